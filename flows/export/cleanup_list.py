"""清理结果目录: one Word document with the 继续有效 / 修改 / 废止 / 宣布失效 lists of a run."""

from __future__ import annotations

from pathlib import Path

from docx.document import Document
from docx.shared import Length, Mm

from extractors.numerals import int_to_chinese
from flows.export import docx_format as gb
from flows.export.lists import (
    DECISION_LISTS,
    LIST_HEADINGS,
    MISSING,
    OVERRIDE_MARK,
    CleanupList,
    cn_date,
    display_title,
    error_message,
    group_documents,
    local_time,
    opinion_label,
    reasons_and_basis,
    summary_sentence,
)
from flows.export.text import single_line
from rules.model import CleanupReport, DocumentResult, DocumentStatus

TITLE = "规范性文件清理结果目录"
EMPTY_LIST = "无"

DECISION_COLUMNS: tuple[tuple[str, Length], ...] = (
    ("序号", Mm(9)),
    ("文件名称", Mm(36)),
    ("文号", Mm(24)),
    ("制定机关", Mm(21)),
    ("发布日期", Mm(18)),
    ("清理意见", Mm(13)),
    ("理由及依据", Mm(35)),
)  # 156 mm: the full 版心 width
UNPROCESSED_COLUMNS: tuple[tuple[str, Length], ...] = (
    ("序号", Mm(9)),
    ("文件名称", Mm(45)),
    ("文件路径", Mm(45)),
    ("未能处理的原因", Mm(57)),
)
_CENTRED = frozenset({0, 4, 5})  # 序号, 发布日期, 清理意见

# How corpus facts are named for the reviewer; unknown keys are printed as they are.
CORPUS_LABELS = {
    "source": "来源",
    "laws": "法律法规",
    "versions": "版本",
    "articles": "条文",
    "version": "库版本号",
    "fetched_on": "更新日期",
}
CORPUS_UNITS = {"laws": "部", "versions": "个", "articles": "条"}


def write_cleanup_list_docx(report: CleanupReport, path: Path, *, office: str | None = None) -> Path:
    """Write the 清理结果目录 of `report` to `path` as a GB/T 9704 .docx and return the path."""
    doc = build_cleanup_list(report, office=office)
    return gb.save(doc, Path(path))


def build_cleanup_list(report: CleanupReport, *, office: str | None = None) -> Document:
    """The 清理结果目录 as an unsaved python-docx document."""
    title = f"{office.strip()}{TITLE}" if office and office.strip() else TITLE
    doc = gb.new_document(title=title, created=report.generated_at)
    groups = group_documents(report)

    gb.add_title(doc, title)
    gb.add_paragraph(doc, f"（清理基准日：{cn_date(report.as_of)}）", gb.STYLE_SUBTITLE)
    gb.add_body(
        doc, f"以{cn_date(report.as_of)}为清理基准日，{summary_sentence(groups)}{_override_sentence(report)}"
    )
    gb.add_body(doc, provenance(report))

    for number, kind in enumerate((*DECISION_LISTS, CleanupList.UNPROCESSED), start=1):
        docs = groups[kind]
        if kind is CleanupList.UNPROCESSED and not docs:
            continue  # the section exists only when something failed
        gb.add_heading(doc, f"{int_to_chinese(number)}、{LIST_HEADINGS[kind]}（{len(docs)}件）", 1)
        if not docs:
            gb.add_body(doc, EMPTY_LIST)
            continue
        if kind is CleanupList.UNPROCESSED:
            _add_table(doc, UNPROCESSED_COLUMNS, [_unprocessed_row(i, d) for i, d in enumerate(docs, 1)])
        else:
            _add_table(doc, DECISION_COLUMNS, [decision_row(i, d) for i, d in enumerate(docs, 1)])
    return doc


def decision_row(number: int, doc: DocumentResult) -> list[str]:
    """序号, 文件名称, 文号, 制定机关, 发布日期, 清理意见, 理由及依据 of one document."""
    # Names and numbers on one line each: a stray line break in a title splits the table cell.
    return [
        str(number),
        single_line(display_title(doc)),
        single_line(doc.doc_number or MISSING),
        single_line(doc.issuer or MISSING),
        cn_date(doc.issued_on) or MISSING,
        opinion_label(doc),
        reasons_and_basis(doc),
    ]


def provenance(report: CleanupReport) -> str:
    """Which run and which law corpus the lists come from."""
    run = f"第{report.run_id}号审查运行" if report.run_id is not None else "各文件的最新审查结果"
    text = f"数据来源：{run}，生成于{cn_date(report.generated_at)} {local_time(report.generated_at):%H:%M}"
    facts = [
        f"{CORPUS_LABELS.get(key, key)} {value}{CORPUS_UNITS.get(key, '')}" for key, value in report.corpus.items()
    ]
    if facts:
        text += "；法律法规库：" + "，".join(facts)
    return text + "。"


def _override_sentence(report: CleanupReport) -> str:
    adjusted = sum(
        1 for d in report.documents if d.override is not None and d.status is DocumentStatus.REVIEWED
    )
    if not adjusted:
        return ""
    return f"其中{adjusted}件文件的清理意见经审核人员调整，已在“清理意见”栏中注明“{OVERRIDE_MARK}”。"


def _unprocessed_row(number: int, doc: DocumentResult) -> list[str]:
    return [str(number), single_line(display_title(doc)), single_line(doc.path), error_message(doc)]


def _add_table(doc: Document, columns: tuple[tuple[str, Length], ...], rows: list[list[str]]) -> None:
    gb.add_table(
        doc,
        [name for name, _ in columns],
        rows,
        [width for _, width in columns],
        centred_columns=_CENTRED if columns is DECISION_COLUMNS else frozenset({0}),
    )
