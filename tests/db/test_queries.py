"""Notebook queries: findings filtered by run, document, rule, severity and derived status."""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.decisions import FindingStatus, record_decision
from db.documents import store_document
from db.queries import find_findings, find_recommendations, findings_html
from db.review import store_review
from db.runs import start_run
from db.session import Database
from rules.model import Severity
from tests.db.factories import finding, parsed_document, recommendation


def _seed(session: Session) -> tuple[int, int, int]:
    """Two documents; returns (run id, first document id, second document id)."""
    run_id = start_run(session, "review")
    first = store_document(session, parsed_document())
    second = store_document(
        session,
        parsed_document(source="/docs/b.docx", title="收费办法", article_2="第二条 违者处一百元罚款。"),
    )
    store_review(
        session,
        first.id,
        run_id,
        findings=[finding(), finding(rule="fee-creation", severity=Severity.MEDIUM)],
        resolutions=[],
        recommendation=recommendation(),
        review_key="k",
        touched_laws=[],
    )
    store_review(
        session,
        second.id,
        run_id,
        findings=[finding(severity=Severity.LOW)],
        resolutions=[],
        recommendation=recommendation(),
        review_key="k",
        touched_laws=[],
    )
    return run_id, first.id, second.id


def test_find_findings_by_rule(database: Database) -> None:
    with database.session() as session:
        _seed(session)
        assert [v.finding.rule for v in find_findings(session, rule="fee-creation")] == ["fee-creation"]


def test_find_findings_by_document(database: Database) -> None:
    with database.session() as session:
        _, _, second = _seed(session)
        assert {v.document_id for v in find_findings(session, document_id=second)} == {second}


def test_find_findings_by_severity(database: Database) -> None:
    with database.session() as session:
        _seed(session)
        assert [v.finding.severity for v in find_findings(session, severity="low")] == [Severity.LOW]


def test_find_findings_by_run(database: Database) -> None:
    with database.session() as session:
        run_id, _, _ = _seed(session)
        assert len(find_findings(session, run_id=run_id)) == 3
        assert find_findings(session, run_id=run_id + 1) == []


def test_find_findings_by_status(database: Database) -> None:
    with database.session() as session:
        _seed(session)
        target = find_findings(session, rule="fee-creation")[0]
        record_decision(session, finding_id=target.id, reviewer="张三", decision="dismiss", comment="有依据")
        dismissed = find_findings(session, status=FindingStatus.DISMISSED)
        still_open = find_findings(session, status="open")
    assert [v.id for v in dismissed] == [target.id]
    assert len(still_open) == 2


def test_find_findings_past_runs_need_current_only_off(database: Database) -> None:
    with database.session() as session:
        run_id, first, _ = _seed(session)
        store_review(
            session,
            first,
            None,
            findings=[],
            resolutions=[],
            recommendation=recommendation(),
            review_key="k",
            touched_laws=[],
        )
        assert len(find_findings(session, run_id=run_id)) == 1
        assert len(find_findings(session, run_id=run_id, current_only=False)) == 3


def test_find_recommendations_with_latest_decision(database: Database) -> None:
    with database.session() as session:
        _, first, _ = _seed(session)
        (rec,) = find_recommendations(session, document_id=first)
        record_decision(session, recommendation_id=rec.id, reviewer="李四", decision="accept", comment="同意")
        (again,) = find_recommendations(session, document_id=first)
    assert again.latest_decision is not None and again.latest_decision.reviewer == "李四"


def test_findings_html_escapes_and_uses_chinese_headers(database: Database) -> None:
    with database.session() as session:
        _seed(session)
        html = findings_html(find_findings(session))
    assert "<th>条款</th>" in html and "待审核" in html and "<script" not in html


def test_find_findings_by_id_includes_superseded(database: Database) -> None:
    with database.session() as session:
        _, first, _ = _seed(session)
        target = find_findings(session, document_id=first)[0]
        store_review(
            session,
            first,
            None,
            findings=[],
            resolutions=[],
            recommendation=recommendation(),
            review_key="k",
            touched_laws=[],
        )
        (found,) = find_findings(session, finding_id=target.id, current_only=False)
    assert (found.id, found.is_current) == (target.id, False)


def test_document_issuers_reads_issuer_of_each_document(database: Database) -> None:
    from dataclasses import replace

    from db.queries import document_issuers

    parsed = parsed_document()
    parsed = replace(parsed, meta=replace(parsed.meta, issuer="江川市人民政府办公室"))
    with database.session() as session:
        ref = store_document(session, parsed)
    with database.session() as session:
        assert document_issuers(session, [ref.id]) == {ref.id: "江川市人民政府办公室"}
        assert document_issuers(session, []) == {}
