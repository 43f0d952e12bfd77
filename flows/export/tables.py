"""CSV and XLSX exports: the cleanup lists one row per document, and (in XLSX) every finding."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from copy import copy
from datetime import date
from pathlib import Path

from flows.export.lists import (
    SEVERITY_LABELS,
    basis_cites,
    display_title,
    group_documents,
    opinion_label,
    reasons_and_basis,
)
from flows.export.opinion import cite_article
from flows.export.text import truncate, xml_safe
from rules.model import CleanupReport, DocumentStatus

Cell = str | int | float | date | None

DOCUMENT_COLUMNS = (
    "清理目录",
    "序号",
    "文件名称",
    "文号",
    "制定机关",
    "发布日期",
    "有效期至",
    "清理意见",
    "经审核人员调整",
    "审核人员",
    "理由及依据",
    "问题数",
    "文件路径",
    "SHA-256",
)
FINDING_COLUMNS = (
    "文件名称",
    "文号",
    "清理意见",
    "条款",
    "问题等级",
    "规则编号",
    "存在问题",
    "条款原文",
    "问题所在",
    "法律依据",
    "对照上位法条款",
    "匹配度",
    "修改建议",
)
DOCUMENTS_SHEET = "清理结果目录"
FINDINGS_SHEET = "审核发现的问题"

# Excel refuses cells longer than this (its documented limit); longer text is cut with a marker.
EXCEL_MAX_CELL_CHARS = 32_767
# Characters that make Excel read a CSV cell as a formula (CSV injection, OWASP): such cells get a
# leading apostrophe, which Excel hides. Document text is outside input, so this is not optional.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Column widths in Excel character units, by header; others get the default.
COLUMN_WIDTHS = {
    "文件名称": 40,
    "理由及依据": 60,
    "存在问题": 40,
    "条款原文": 60,
    "法律依据": 40,
    "对照上位法条款": 40,
    "修改建议": 40,
    "文件路径": 30,
    "文号": 22,
    "制定机关": 22,
    "SHA-256": 20,
}
DEFAULT_COLUMN_WIDTH = 12
DATE_FORMAT = 'yyyy"年"m"月"d"日"'


def document_rows(report: CleanupReport) -> list[list[Cell]]:
    """One row per document (`DOCUMENT_COLUMNS`), list by list, numbered within each list."""
    rows: list[list[Cell]] = []
    for kind, docs in group_documents(report).items():
        for number, doc in enumerate(docs, start=1):
            override = doc.override if doc.status is DocumentStatus.REVIEWED else None
            rows.append(
                [
                    kind.value,
                    number,
                    display_title(doc),
                    doc.doc_number,
                    doc.issuer,
                    doc.issued_on,
                    doc.valid_until,
                    opinion_label(doc),
                    "是" if override is not None else "否",
                    override.reviewer if override is not None else None,
                    reasons_and_basis(doc),
                    len(doc.findings),
                    doc.path,
                    doc.sha256,
                ]
            )
    return rows


def finding_rows(report: CleanupReport) -> list[list[Cell]]:
    """One row per finding (`FINDING_COLUMNS`), in report order."""
    rows: list[list[Cell]] = []
    for doc in report.documents:
        for finding in doc.findings:
            superior = finding.superior
            rows.append(
                [
                    display_title(doc),
                    doc.doc_number,
                    opinion_label(doc),
                    finding.clause_label,
                    SEVERITY_LABELS[finding.severity],
                    finding.rule,
                    finding.message,
                    finding.clause_text,
                    finding.evidence,
                    "、".join(basis_cites([finding])),
                    f"{cite_article(superior)}：{superior.text}" if superior is not None else None,
                    finding.score,
                    finding.suggestion,
                ]
            )
    return rows


def write_csv(report: CleanupReport, path: Path) -> Path:
    """Write the cleanup lists as UTF-8 CSV with a BOM (so Excel reads Chinese correctly); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(DOCUMENT_COLUMNS)
        writer.writerows([_csv_cell(cell) for cell in row] for row in document_rows(report))
    return path


def write_xlsx(report: CleanupReport, path: Path) -> Path:
    """Write the cleanup lists and the findings as two sheets of an .xlsx workbook; return the path."""
    from openpyxl import Workbook  # ~0.2 s to import: only when a workbook is written

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook()
    # Stamp the report's time, not the wall clock, so the same report gives the same workbook.
    workbook.properties.created = report.generated_at.replace(tzinfo=None)
    workbook.properties.modified = report.generated_at.replace(tzinfo=None)
    workbook.properties.creator = "qingli"
    documents = workbook.active
    assert documents is not None
    documents.title = DOCUMENTS_SHEET
    _fill_sheet(documents, DOCUMENT_COLUMNS, document_rows(report))
    _fill_sheet(workbook.create_sheet(FINDINGS_SHEET), FINDING_COLUMNS, finding_rows(report))
    workbook.save(path)
    return path


def _csv_cell(cell: Cell) -> str | int | float:
    if cell is None:
        return ""
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, str):
        text = xml_safe(cell)  # control characters are noise in a spreadsheet, as in the xlsx
        return "'" + text if text.startswith(FORMULA_PREFIXES) else text
    return cell


def _fill_sheet(sheet: object, headers: Sequence[str], rows: list[list[Cell]]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    assert isinstance(sheet, Worksheet)
    sheet.append(list(headers))
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    for values in rows:
        sheet.append([_xlsx_value(value) for value in values])
    # Style every data cell alike. Assigning a style object hashes it into the workbook's style
    # table on every cell (~0.2 ms each); copying the style array of a styled cell is much cheaper.
    # One pass after appending, because indexing the sheet by row number per row is quadratic.
    text_style = date_style = None
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":  # text that starts with "=" is text, never a formula
                cell.data_type = "s"
            if isinstance(cell.value, date):
                if date_style is None:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                    cell.number_format = DATE_FORMAT
                    date_style = cell._style
                cell._style = copy(date_style)
            else:
                if text_style is None:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                    text_style = cell._style
                cell._style = copy(text_style)
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = COLUMN_WIDTHS.get(
            header, DEFAULT_COLUMN_WIDTH
        )
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _xlsx_value(value: Cell) -> Cell:
    if isinstance(value, str):
        return truncate(xml_safe(value), EXCEL_MAX_CELL_CHARS)
    return value
