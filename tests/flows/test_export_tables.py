"""CSV and XLSX exports of the cleanup lists and findings."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from flows.export.lists import OVERRIDE_MARK
from flows.export.tables import (
    DOCUMENT_COLUMNS,
    DOCUMENTS_SHEET,
    EXCEL_MAX_CELL_CHARS,
    FINDING_COLUMNS,
    FINDINGS_SHEET,
    write_csv,
    write_xlsx,
)
from rules.model import CleanupReport, Decision
from tests.flows.export_fixtures import document, sample_report


@pytest.fixture(scope="module")
def report() -> CleanupReport:
    return sample_report()


@pytest.fixture(scope="module")
def csv_rows(report: CleanupReport, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    path = write_csv(report, tmp_path_factory.mktemp("csv") / "清理结果.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def workbook_path(report: CleanupReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_xlsx(report, tmp_path_factory.mktemp("xlsx") / "清理结果.xlsx")


def test_write_csv_starts_with_a_utf8_bom(report: CleanupReport, tmp_path: Path) -> None:
    path = write_csv(report, tmp_path / "a.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_write_csv_has_one_row_per_document(report: CleanupReport, csv_rows: list[dict[str, str]]) -> None:
    assert sorted(row["文件路径"] for row in csv_rows) == sorted(d.path for d in report.documents)


def test_write_csv_header_is_the_document_columns(csv_rows: list[dict[str, str]]) -> None:
    assert tuple(csv_rows[0]) == DOCUMENT_COLUMNS


def test_write_csv_orders_rows_by_list(csv_rows: list[dict[str, str]]) -> None:
    lists = [row["清理目录"] for row in csv_rows]
    assert lists == ["继续有效", "修改", "修改", "废止", "废止", "宣布失效", "未能处理", "未能处理"]


def test_write_csv_marks_reviewer_decisions(csv_rows: list[dict[str, str]]) -> None:
    row = next(r for r in csv_rows if r["文件名称"] == "上海市建设工程材料采购管理规定")
    assert row["清理意见"] == "废止" + OVERRIDE_MARK
    assert (row["经审核人员调整"], row["审核人员"]) == ("是", "王敏")


def test_write_csv_writes_iso_dates(csv_rows: list[dict[str, str]]) -> None:
    row = next(r for r in csv_rows if r["清理目录"] == "宣布失效")
    assert (row["发布日期"], row["有效期至"]) == ("2018-04-02", "2018-12-31")


def test_write_csv_gives_the_error_of_failed_documents(csv_rows: list[dict[str, str]]) -> None:
    row = next(r for r in csv_rows if r["文件路径"] == "docs/扫描件.pdf")
    assert "EOF marker not found" in row["理由及依据"]


def test_write_csv_neutralises_formula_like_cells(report: CleanupReport, tmp_path: Path) -> None:
    evil = replace(report, documents=(document('=HYPERLINK("http://x")', decision=Decision.RETAIN),))
    with write_csv(evil, tmp_path / "evil.csv").open(encoding="utf-8-sig") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["文件名称"] == '\'=HYPERLINK("http://x")'


def test_write_xlsx_has_documents_and_findings_sheets(workbook_path: Path) -> None:
    assert load_workbook(workbook_path).sheetnames == [DOCUMENTS_SHEET, FINDINGS_SHEET]


def test_write_xlsx_documents_sheet_matches_csv(workbook_path: Path, csv_rows: list[dict[str, str]]) -> None:
    sheet = load_workbook(workbook_path)[DOCUMENTS_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == DOCUMENT_COLUMNS
    assert [r[7] for r in rows[1:]] == [r["清理意见"] for r in csv_rows]


def test_write_xlsx_has_one_row_per_finding(report: CleanupReport, workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)[FINDINGS_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == FINDING_COLUMNS
    assert len(rows) - 1 == sum(len(d.findings) for d in report.documents)


def test_write_xlsx_findings_carry_basis_superior_and_score(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)[FINDINGS_SHEET]
    row = dict(zip(FINDING_COLUMNS, next(sheet.iter_rows(min_row=2, values_only=True)), strict=True))
    assert row["条款"] == "第十二条"
    assert row["法律依据"] == "《中华人民共和国行政处罚法》第十六条"
    assert str(row["对照上位法条款"]).startswith("《中华人民共和国行政处罚法》（2021-01-22版）第十六条")
    assert row["匹配度"] == 91.5


def test_write_xlsx_writes_real_dates(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)[DOCUMENTS_SHEET]
    assert sheet["F2"].value == datetime(2021, 9, 10)
    assert "年" in sheet["F2"].number_format


def test_write_xlsx_keeps_formula_like_text_as_text(report: CleanupReport, tmp_path: Path) -> None:
    evil = replace(report, documents=(document("=1+1", decision=Decision.RETAIN),))
    sheet = load_workbook(write_xlsx(evil, tmp_path / "evil.xlsx"))[DOCUMENTS_SHEET]
    assert sheet["C2"].value == "=1+1"
    assert sheet["C2"].data_type == "s"


def test_write_xlsx_cuts_cells_beyond_the_excel_limit(report: CleanupReport, tmp_path: Path) -> None:
    huge = replace(
        report, documents=(document("长" * (EXCEL_MAX_CELL_CHARS + 10), decision=Decision.RETAIN),)
    )
    sheet = load_workbook(write_xlsx(huge, tmp_path / "huge.xlsx"))[DOCUMENTS_SHEET]
    assert len(sheet["C2"].value) == EXCEL_MAX_CELL_CHARS
    assert sheet["C2"].value.endswith("……")


def test_write_xlsx_freezes_the_header_row(workbook_path: Path) -> None:
    assert load_workbook(workbook_path)[DOCUMENTS_SHEET].freeze_panes == "A2"
