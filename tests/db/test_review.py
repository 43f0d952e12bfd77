"""store_review: atomic replacement of machine results, diff summary, decisions kept and rechecked."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.corpus import store_law_version
from db.decisions import decision_history, record_decision
from db.documents import DocumentRef, make_review_key, store_document
from db.errors import RecordNotFound
from db.models import CitationRow, ClauseRow, DocumentLawRow, DocumentRow, FindingRow, RecommendationRow
from db.review import ReviewDiff, store_review
from db.runs import start_run
from db.session import Database
from rules.model import Decision, Finding, Resolution
from tests.db.factories import (
    ARTICLE_2_CHANGED,
    PENALTY_LAW,
    finding,
    law,
    law_version,
    parsed_document,
    recommendation,
    resolution,
)


def _review(
    session: Session,
    ref: DocumentRef,
    *,
    findings: Sequence[Finding] = (),
    resolutions: Sequence[Resolution] = (),
    decision: Decision = Decision.AMEND,
    touched: Sequence[str] = (PENALTY_LAW,),
) -> ReviewDiff:
    run_id = start_run(session, "review")
    return store_review(
        session,
        ref.id,
        run_id,
        findings=findings,
        resolutions=resolutions,
        recommendation=recommendation(decision),
        review_key=make_review_key("sha", "1.0", "corpus"),
        touched_laws=touched,
    )


def _current(session: Session, table: type[FindingRow] | type[RecommendationRow] | type[CitationRow]) -> int:
    return session.scalar(select(func.count()).select_from(table).where(table.is_current.is_(True))) or 0


def test_store_review_stores_findings_and_recommendation(database: Database) -> None:
    with database.session() as session:
        ref = store_document(session, parsed_document())
        _review(session, ref, findings=[finding(), finding(rule="fee-creation")])
        assert (_current(session, FindingRow), _current(session, RecommendationRow)) == (2, 1)


def test_store_review_links_finding_to_its_clause(database: Database) -> None:
    with database.session() as session:
        ref = store_document(session, parsed_document())
        _review(session, ref, findings=[finding()])
        clause_label = session.scalar(
            select(ClauseRow.label).join(FindingRow, FindingRow.clause_id == ClauseRow.id)
        )
        assert clause_label == "第二条"


def test_store_review_supersedes_previous_results(database: Database) -> None:
    with database.session() as session:
        ref = store_document(session, parsed_document())
        _review(session, ref, findings=[finding(), finding(rule="fee-creation")], resolutions=[resolution()])
        _review(session, ref, findings=[finding()], resolutions=[])
        assert (_current(session, FindingRow), _current(session, CitationRow)) == (1, 0)
        assert session.scalar(select(func.count()).select_from(FindingRow)) == 3  # old rows kept


def test_store_review_reports_diff_by_rule(database: Database) -> None:
    with database.session() as session:
        ref = store_document(session, parsed_document())
        _review(session, ref, findings=[finding(), finding(rule="fee-creation")])
        diff = _review(
            session, ref, findings=[finding(), finding(rule="licensing")], decision=Decision.REPEAL
        )
    assert (diff.added, diff.removed) == ({"licensing": 1}, {"fee-creation": 1})
    assert (diff.previous_decision, diff.decision, diff.changed) == (Decision.AMEND, Decision.REPEAL, True)


def test_store_review_unchanged_results_report_no_change(database: Database) -> None:
    with database.session() as session:
        ref = store_document(session, parsed_document())
        _review(session, ref, findings=[finding()])
        diff = _review(session, ref, findings=[finding()])
    assert not diff.changed


def test_store_review_of_new_version_diffs_against_previous_version(database: Database) -> None:
    with database.session() as session:
        old = store_document(session, parsed_document())
        _review(session, old, findings=[finding()])
        new = store_document(session, parsed_document(article_2=ARTICLE_2_CHANGED))
        diff = _review(session, new, findings=[])
    assert diff.removed == {"penalty-amount": 1}


def test_store_review_resolves_citation_law_and_clause(database: Database) -> None:
    parsed = parsed_document()
    cite = parsed.spans[0]
    with database.session() as session:
        store_law_version(session, law(), law_version())
        ref = store_document(session, parsed)
        _review(session, ref, resolutions=[resolution(span=(cite.start, cite.end))])
        row = session.scalar(select(CitationRow))
        assert row is not None and row.law_id is not None
        assert session.scalar(select(ClauseRow.label).where(ClauseRow.id == row.clause_id)) == "第一条"


def test_store_review_records_review_key_and_touched_laws(database: Database) -> None:
    with database.session() as session:
        ref = store_document(session, parsed_document())
        _review(session, ref, touched=[PENALTY_LAW, PENALTY_LAW, ""])
        document = session.get(DocumentRow, ref.id)
        assert document is not None
        assert (document.status, document.pipeline_version, document.corpus_version) == (
            "reviewed",
            "1.0",
            "corpus",
        )
        assert list(session.scalars(select(DocumentLawRow.law_title))) == [PENALTY_LAW]


def test_store_review_keeps_decisions(database: Database) -> None:
    with database.session() as session:
        ref = store_document(session, parsed_document())
        _review(session, ref, findings=[finding()])
        finding_id = session.scalar(select(FindingRow.id).where(FindingRow.is_current.is_(True)))
        assert finding_id is not None
        record_decision(
            session, finding_id=finding_id, reviewer="张三", decision="dismiss", comment="上位法已授权"
        )
        _review(session, ref, findings=[])
        history = decision_history(session, finding_id=finding_id)
    assert [(d.reviewer, d.needs_recheck) for d in history] == [("张三", False)]


def test_store_review_flags_decision_when_clause_text_changed(database: Database) -> None:
    with database.session() as session:
        ref = store_document(session, parsed_document())
        _review(session, ref, findings=[finding()])
        finding_id = session.scalar(select(FindingRow.id).where(FindingRow.is_current.is_(True)))
        assert finding_id is not None
        record_decision(
            session, finding_id=finding_id, reviewer="张三", decision="accept", comment="确有问题"
        )
        diff = _review(session, ref, findings=[finding(clause_text=ARTICLE_2_CHANGED)])
        (decision,) = decision_history(session, finding_id=finding_id)
    assert (diff.rechecks, decision.needs_recheck) == (1, True)
    assert decision.recheck_reason and "重新确认" in decision.recheck_reason


def test_store_review_does_not_flag_decision_on_same_text(database: Database) -> None:
    with database.session() as session:
        ref = store_document(session, parsed_document())
        _review(session, ref, findings=[finding()])
        finding_id = session.scalar(select(FindingRow.id).where(FindingRow.is_current.is_(True)))
        assert finding_id is not None
        record_decision(
            session, finding_id=finding_id, reviewer="张三", decision="accept", comment="确有问题"
        )
        diff = _review(session, ref, findings=[finding()])
    assert diff.rechecks == 0


def test_store_review_flags_recommendation_decision_when_machine_changes_its_mind(database: Database) -> None:
    with database.session() as session:
        ref = store_document(session, parsed_document())
        _review(session, ref, decision=Decision.AMEND)
        rec_id = session.scalar(select(RecommendationRow.id).where(RecommendationRow.is_current.is_(True)))
        assert rec_id is not None
        record_decision(
            session, recommendation_id=rec_id, reviewer="李四", decision="accept", comment="同意修改"
        )
        _review(session, ref, decision=Decision.REPEAL)
        (decision,) = decision_history(session, recommendation_id=rec_id)
    assert decision.needs_recheck
    assert decision.recheck_reason is not None and "修改 → 废止" in decision.recheck_reason


def test_store_review_is_atomic(database: Database) -> None:
    broken = finding()
    object.__setattr__(broken, "message", None)  # NOT NULL violated by the bulk insert
    with database.session() as session:
        ref = store_document(session, parsed_document())
        _review(session, ref, findings=[finding()])
        with pytest.raises(Exception):  # noqa: B017 — the driver's NOT NULL error, whatever its type
            _review(session, ref, findings=[broken])
        assert (_current(session, FindingRow), _current(session, RecommendationRow)) == (1, 1)


def test_store_review_of_unknown_document_raises(database: Database) -> None:
    with database.session() as session, pytest.raises(RecordNotFound):
        store_review(
            session,
            999,
            None,
            findings=[],
            resolutions=[],
            recommendation=recommendation(),
            review_key="k",
            touched_laws=[],
        )


def test_review_diff_describes_changes_in_chinese(database: Database) -> None:
    with database.session() as session:
        ref = store_document(session, parsed_document())
        _review(session, ref, findings=[finding(rule="fee-creation")])
        diff = _review(session, ref, findings=[finding()], decision=Decision.REPEAL)
    assert (
        diff.describe() == "新增问题：penalty-amount 1 条；消除问题：fee-creation 1 条；清理建议：修改 → 废止"
    )
    assert diff.document == "某市养犬管理办法"


def test_review_diff_without_changes_says_so(database: Database) -> None:
    with database.session() as session:
        ref = store_document(session, parsed_document())
        _review(session, ref, findings=[finding()])
        assert _review(session, ref, findings=[finding()]).describe() == "无变化"
