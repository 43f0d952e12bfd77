"""load_report: the CleanupReport the exports are written from, with reviewer decisions applied."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.decisions import record_decision
from db.documents import DocumentRef, record_document_error, store_document
from db.models import FindingRow, RecommendationRow
from db.reports import load_report
from db.review import store_review
from db.runs import start_run
from db.session import Database
from rules.model import Decision, DocumentStatus, RepealKind
from tests.db.factories import finding, parsed_document, recommendation, sha

AS_OF = date(2026, 6, 30)
CORPUS = {"laws": 2, "version": "abc"}
GENERATED = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)


def _review(
    session: Session, ref: DocumentRef, run_id: int, rules: tuple[str, ...] = ("penalty-amount",)
) -> None:
    store_review(
        session,
        ref.id,
        run_id,
        findings=[finding(rule=r) for r in rules],
        resolutions=[],
        recommendation=recommendation(),
        review_key="k",
        touched_laws=[],
    )


def _report(session: Session, run_id: int | None = None):  # type: ignore[no-untyped-def]
    return load_report(session, run_id=run_id, as_of=AS_OF, corpus=CORPUS, generated_at=GENERATED)


def test_load_report_contains_reviewed_document(database: Database) -> None:
    parsed = parsed_document()
    with database.session() as session:
        run_id = start_run(session, "review")
        _review(session, store_document(session, parsed), run_id)
        report = _report(session)
    (result,) = report.documents
    assert (report.as_of, report.corpus, report.generated_at) == (AS_OF, CORPUS, GENERATED)
    assert (result.path, result.status, result.title, result.doc_number) == (
        parsed.source,
        DocumentStatus.REVIEWED,
        parsed.meta.title,
        parsed.meta.doc_number,
    )
    assert result.findings == (finding(),)
    assert result.recommendation == recommendation()


def test_load_report_leaves_out_unreviewed_documents(database: Database) -> None:
    with database.session() as session:
        store_document(session, parsed_document())
        assert _report(session).documents == ()


def test_load_report_includes_errors(database: Database) -> None:
    with database.session() as session:
        run_id = start_run(session, "review")
        record_document_error(
            session,
            path="/docs/坏.pdf",
            sha256=sha("bad"),
            stage="extract",
            code="E003",
            message="文件已损坏",
            run_id=run_id,
        )
        (result,) = _report(session, run_id).documents
    assert (result.status, result.error, result.recommendation) == (DocumentStatus.ERROR, "文件已损坏", None)


def test_load_report_for_run_shows_that_runs_results(database: Database) -> None:
    with database.session() as session:
        ref = store_document(session, parsed_document())
        first = start_run(session, "review")
        _review(session, ref, first, rules=("penalty-amount", "fee-creation"))
        second = start_run(session, "review")
        _review(session, ref, second, rules=("penalty-amount",))
        (old,) = _report(session, first).documents
        (new,) = _report(session, second).documents
    assert (len(old.findings), len(new.findings)) == (2, 1)


def test_load_report_leaves_out_dismissed_findings(database: Database) -> None:
    with database.session() as session:
        run_id = start_run(session, "review")
        _review(
            session,
            store_document(session, parsed_document()),
            run_id,
            rules=("penalty-amount", "fee-creation"),
        )
        dismissed = session.scalar(select(FindingRow.id).where(FindingRow.rule == "fee-creation"))
        assert dismissed is not None
        record_decision(
            session, finding_id=dismissed, reviewer="张三", decision="dismiss", comment="收费有法律依据"
        )
        (result,) = _report(session).documents
    assert [f.rule for f in result.findings] == ["penalty-amount"]


def test_load_report_uses_edited_suggestion(database: Database) -> None:
    with database.session() as session:
        run_id = start_run(session, "review")
        _review(session, store_document(session, parsed_document()), run_id)
        finding_id = session.scalar(select(FindingRow.id))
        assert finding_id is not None
        record_decision(
            session,
            finding_id=finding_id,
            reviewer="张三",
            decision="edit",
            comment="措辞",
            edited_text="删除第二条罚款规定。",
        )
        (result,) = _report(session).documents
    assert result.findings[0].suggestion == "删除第二条罚款规定。"


def test_load_report_applies_reviewer_override(database: Database) -> None:
    with database.session() as session:
        run_id = start_run(session, "review")
        _review(session, store_document(session, parsed_document()), run_id)
        rec_id = session.scalar(select(RecommendationRow.id))
        assert rec_id is not None
        record_decision(
            session,
            recommendation_id=rec_id,
            reviewer="李四",
            decision="override",
            comment="有效期已届满",
            override_decision=Decision.REPEAL,
            repeal_kind=RepealKind.DECLARE_INVALID,
        )
        (result,) = _report(session).documents
    assert result.override is not None and result.override.reviewer == "李四"
    assert (result.final_decision, result.final_repeal_kind) == (Decision.REPEAL, RepealKind.DECLARE_INVALID)


def test_load_report_latest_accept_cancels_earlier_override(database: Database) -> None:
    with database.session() as session:
        run_id = start_run(session, "review")
        _review(session, store_document(session, parsed_document()), run_id)
        rec_id = session.scalar(select(RecommendationRow.id))
        assert rec_id is not None
        record_decision(
            session,
            recommendation_id=rec_id,
            reviewer="李四",
            decision="override",
            comment="先改判",
            override_decision=Decision.RETAIN,
            decided_at=datetime(2026, 6, 1, tzinfo=UTC),
        )
        record_decision(
            session,
            recommendation_id=rec_id,
            reviewer="王五",
            decision="accept",
            comment="同意机器建议",
            decided_at=datetime(2026, 6, 2, tzinfo=UTC),
        )
        (result,) = _report(session).documents
    assert (result.override, result.final_decision) == (None, Decision.AMEND)
