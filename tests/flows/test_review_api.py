"""The reviewer API the notebooks use: decisions are appended, survive re-runs, override exports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from flows.review_api import ReviewApiError, ReviewDesk, char_diff_html, connect, highlight
from tests.flows.conftest import AS_OF, copy_db


@pytest.fixture
def desk(pipeline: dict[str, Any]) -> ReviewDesk:
    return connect(copy_db(pipeline, "desk.sqlite"))


def test_connect_wrong_url_raises_chinese_message() -> None:
    with pytest.raises(ReviewApiError, match="无法连接数据库"):
        connect("postgresql+psycopg://nobody@127.0.0.1:1/none")


def test_connect_empty_database_raises_chinese_message(tmp_path: Path) -> None:
    from db.session import open_database

    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    open_database(url).close()
    with pytest.raises(ReviewApiError, match="还没有审核结果"):
        connect(url)


def test_review_error_renders_without_traceback() -> None:
    lines = ReviewApiError("数据库中还没有审核结果")._render_traceback_()
    assert len(lines) == 1 and "还没有审核结果" in lines[0]


def test_desk_accept_marks_finding_accepted(desk: ReviewDesk) -> None:
    finding = desk.findings()[0]
    desk.decide(finding.id, "accept", reviewer="张三", comment="属实")
    assert next(f for f in desk.findings() if f.id == finding.id).status.value == "accepted"


def test_desk_dismiss_marks_finding_dismissed(desk: ReviewDesk) -> None:
    finding = desk.findings()[0]
    desk.decide(finding.id, "dismiss", reviewer="张三", comment="引用了上位法，合法")
    assert next(f for f in desk.findings() if f.id == finding.id).status.value == "dismissed"


def test_desk_decision_needs_comment(desk: ReviewDesk) -> None:
    from db.errors import InvalidDecision

    with pytest.raises(InvalidDecision):
        desk.decide(desk.findings()[0].id, "accept", reviewer="张三", comment="  ")


def test_desk_two_reviewers_both_kept_latest_wins(desk: ReviewDesk) -> None:
    finding = desk.findings()[0]
    desk.decide(finding.id, "accept", reviewer="张三", comment="属实")
    desk.decide(finding.id, "dismiss", reviewer="李四", comment="不属实")
    card = desk.card(finding.id)
    assert [d.reviewer for d in card.history] == ["张三", "李四"]
    assert next(f for f in desk.findings() if f.id == finding.id).status.value == "dismissed"


def test_desk_override_wins_in_exported_report(desk: ReviewDesk) -> None:
    from db.reports import load_report

    recommendation = next(r for r in desk.recommendations() if r.recommendation.decision.value != "retain")
    desk.override(recommendation.document_id, "retain", reviewer="王五", comment="经研究继续有效")
    with desk.database.session() as session:
        report = load_report(session, as_of=AS_OF, corpus={})
    document = next(d for d in report.documents if d.title == recommendation.title and d.override is not None)
    assert document.final_decision is not None and document.final_decision.value == "retain"
    assert document.override is not None and document.override.reviewer == "王五"


def test_desk_card_shows_evidence_and_basis(desk: ReviewDesk) -> None:
    finding = desk.findings()[0]
    page = desk.card(finding.id)._repr_html_()
    assert "<mark" in page and "法律依据" in page and "修改建议" in page


def test_review_rerun_keeps_decisions(pipeline: dict[str, Any]) -> None:
    from flows.pipeline import review_flow

    url = copy_db(pipeline, "rerun.sqlite")
    desk = connect(url)
    finding = desk.findings()[0]
    desk.decide(finding.id, "accept", reviewer="张三", comment="属实")
    review_flow(db_url=url, as_of=AS_OF, force=True)
    again = connect(url)
    same = [f for f in again.findings() if f.finding.rule == finding.finding.rule
            and f.finding.clause_label == finding.finding.clause_label and f.document_id == finding.document_id]
    assert same and same[0].status.value == "accepted"


def test_review_of_changed_clause_asks_for_recheck(pipeline: dict[str, Any], tmp_path: Path) -> None:
    import docx

    from flows.pipeline import ingest_flow, review_flow
    from tests.flows.conftest import sample_files

    url = copy_db(pipeline, "recheck.sqlite")
    office_file = tmp_path / "office" / Path(sample_files()[0]).name
    office_file.parent.mkdir()
    # The office's own copy: same text, different bytes (an empty paragraph), so it is a document of its own.
    copy = docx.Document(sample_files()[0])
    copy.add_paragraph("")
    copy.save(str(office_file))
    ingest_flow([str(office_file)], db_url=url)
    review_flow(db_url=url, as_of=AS_OF)
    desk = connect(url)
    finding = next(f for f in desk.findings() if f.path == str(office_file))
    desk.decide(finding.id, "accept", reviewer="张三", comment="属实")
    # The office edits the same file: the clause under the decision is reworded.
    document = docx.Document(str(office_file))
    paragraph = next(p for p in document.paragraphs if finding.finding.evidence in p.text)
    paragraph.add_run("（经修订）")
    document.save(str(office_file))
    ingest_flow([str(office_file)], db_url=url)
    review_flow(db_url=url, as_of=AS_OF)
    statuses = {
        f.status.value for f in connect(url).findings()
        if f.path == str(office_file) and f.finding.rule == finding.finding.rule
        and f.finding.clause_label == finding.finding.clause_label
    }
    assert statuses == {"recheck"}


def test_highlight_marks_exact_span() -> None:
    assert highlight("处五千元罚款", 1, 4) == "处<mark style=\"background:#ffe08a\">五千元</mark>罚款"


def test_char_diff_marks_changed_amount() -> None:
    clause, superior = char_diff_html("处一万元以下罚款", "处五千元以下罚款")
    assert "一万" in clause and "background:#cfc" in clause
    assert "五千" in superior and "background:#fcc" in superior


def test_decisions_keep_order_of_time(desk: ReviewDesk) -> None:
    finding = desk.findings()[0]
    first = datetime.now(UTC)
    desk.decide(finding.id, "accept", reviewer="张三", comment="属实")
    assert all(d.decided_at >= first - timedelta(seconds=5) for d in desk.card(finding.id).history)
