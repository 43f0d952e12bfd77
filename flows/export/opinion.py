"""合法性审核意见书: one Word document per reviewed document, finding by finding."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from docx.document import Document
from docx.shared import Mm

from extractors.model import DocumentKind
from extractors.numerals import int_to_chinese
from flows.export import docx_format as gb
from flows.export.lists import (
    MISSING,
    NO_DECISION_MESSAGE,
    OVERRIDE_MARK,
    SEVERITY_LABELS,
    CleanupList,
    cn_date,
    display_title,
    list_of,
    review_note,
)
from flows.export.text import safe_filename
from rules.model import ArticleRef, CleanupReport, DocumentResult, DocumentStatus, Finding, Severity

TITLE = "合法性审核意见书"
FILE_SUFFIX = "合法性审核意见书"
# Sequence numbers keep file names unique (two documents may share a title) and in report order.
MIN_SEQUENCE_DIGITS = 3

CONCLUSIONS: dict[CleanupList, str] = {
    CleanupList.RETAIN: "保留（继续有效）",
    CleanupList.AMEND: "修改",
    CleanupList.ABOLISH: "废止",
    CleanupList.DECLARE_INVALID: "宣布失效",
    CleanupList.UNPROCESSED: "暂不能形成清理意见",
}
_OUR_FILE_NAME = re.compile(rf"\d{{{MIN_SEQUENCE_DIGITS},}}-.*-{FILE_SUFFIX}\.docx")
_FACT_COLUMNS = (Mm(36), Mm(120))  # 156 mm: the full 版心 width


def write_opinions_docx(report: CleanupReport, out_dir: Path, *, office: str | None = None) -> list[Path]:
    """Write one 合法性审核意见书 per reviewed document of `report` into `out_dir`; return the paths in report order.

    Opinions left in `out_dir` by an earlier export (files named like ours) are removed first, so
    the folder never mixes runs; other files are left alone.
    """
    out_dir = Path(out_dir)
    if out_dir.is_dir():
        for old in out_dir.iterdir():
            if old.is_file() and _OUR_FILE_NAME.fullmatch(old.name):
                old.unlink()
    reviewed = [d for d in report.documents if d.status is DocumentStatus.REVIEWED]
    digits = max(MIN_SEQUENCE_DIGITS, len(str(len(reviewed))))
    paths: list[Path] = []
    for number, doc in enumerate(reviewed, start=1):
        name = f"{number:0{digits}d}-{safe_filename(display_title(doc))}-{FILE_SUFFIX}.docx"
        paths.append(gb.save(build_opinion(report, doc, office=office), out_dir / name))
    return paths


def build_opinion(report: CleanupReport, doc: DocumentResult, *, office: str | None = None) -> Document:
    """The 合法性审核意见书 of one document as an unsaved python-docx document."""
    title = display_title(doc)
    word = gb.new_document(title=f"《{title}》{TITLE}", created=report.generated_at)
    reviewer = office.strip() if office and office.strip() else "本机关"

    gb.add_title(word, TITLE)
    gb.add_paragraph(word, f"关于《{title}》", gb.STYLE_SUBTITLE)
    number = f"（{doc.doc_number}）" if doc.doc_number else ""
    gb.add_body(
        word,
        f"{reviewer}以{cn_date(report.as_of)}为审核基准日，对《{title}》{number}进行了合法性审核。现将审核意见提出如下：",
    )

    gb.add_heading(word, "一、文件基本情况", 1)
    gb.add_table(word, ["项目", "内容"], document_facts(report, doc), _FACT_COLUMNS)

    gb.add_heading(word, "二、审核发现的问题", 1)
    gb.add_body(word, findings_summary(doc.findings))
    for index, finding in enumerate(doc.findings, start=1):
        _add_finding(word, index, finding)

    gb.add_heading(word, "三、审核结论", 1)
    for paragraph in conclusion(doc):
        gb.add_body(word, paragraph)

    if office and office.strip():
        gb.add_right_aligned(word, office.strip())
    gb.add_right_aligned(word, cn_date(report.generated_at))
    return word


def document_facts(report: CleanupReport, doc: DocumentResult) -> list[list[str]]:
    """Header data of the document as (项目, 内容) rows."""
    rows = [
        ["文件名称", display_title(doc)],
        ["印发文件", doc.wrapper_title or MISSING],
        ["文号", doc.doc_number or MISSING],
        ["制定机关", doc.issuer or MISSING],
        ["文件类别", doc.kind.value if doc.kind is not DocumentKind.UNKNOWN else MISSING],
        ["发布日期", cn_date(doc.issued_on) or MISSING],
        ["有效期", validity(doc.valid_until, report.as_of)],
        ["审核基准日", cn_date(report.as_of)],
        ["文件来源", doc.path],
        ["文件校验值（SHA-256）", doc.sha256],
    ]
    if report.run_id is not None:
        rows.append(["审查运行", f"第{report.run_id}号"])
    return rows


def validity(valid_until: date | None, as_of: date) -> str:
    """有效期 as the reviewer needs it: the date, and whether it has run out by `as_of`."""
    if valid_until is None:
        return "文件未载明有效期"
    if valid_until < as_of:
        return f"至{cn_date(valid_until)}，截至审核基准日已届满"
    return f"至{cn_date(valid_until)}，审核基准日仍在有效期内"


def findings_summary(findings: tuple[Finding, ...]) -> str:
    """经审核，共发现问题N处，其中严重X处、一般Y处、提示Z处。"""
    if not findings:
        return "经审核，未发现与上位法相抵触、超越法定权限或违反法定程序的问题。"
    counts = "、".join(
        f"{SEVERITY_LABELS[severity]}{sum(1 for f in findings if f.severity is severity)}处"
        for severity in Severity
    )
    return f"经审核，共发现问题{len(findings)}处，其中{counts}。"


def cite_article(ref: ArticleRef) -> str:
    """《中华人民共和国行政处罚法》（2021-01-22版）第十六条."""
    version = f"（{ref.version_label}版）" if ref.version_label else ""
    return f"《{ref.law_title}》{version}第{int_to_chinese(ref.article)}条"


def conclusion(doc: DocumentResult) -> list[str]:
    """The closing recommendation: the final decision, who made it, and the reasons."""
    kind = list_of(doc)
    if kind is CleanupList.UNPROCESSED:
        return [f"审核结论：{CONCLUSIONS[kind]}。{NO_DECISION_MESSAGE}"]
    mark = OVERRIDE_MARK if doc.override is not None else ""
    paragraphs = [f"审核结论：建议{CONCLUSIONS[kind]}{mark}。"]
    if doc.override is not None:
        paragraphs.append(review_note(doc))
    rec = doc.recommendation
    if rec is not None and rec.reasons:
        lead = "系统审查理由：" if doc.override is not None else "理由："
        reasons = [r.strip() for r in rec.reasons if r.strip()]
        if len(reasons) == 1:
            paragraphs.append(lead + reasons[0])
        else:
            paragraphs.append(lead)
            paragraphs.extend(f"{i}. {reason}" for i, reason in enumerate(reasons, start=1))
    return paragraphs


def _inline(text: str) -> str:
    """Quoted provisions run on in one paragraph: their 款 breaks would stretch a justified line."""
    return "".join(part.strip() for part in text.splitlines())


def _add_finding(word: Document, index: int, finding: Finding) -> None:
    gb.add_heading(word, f"（{int_to_chinese(index)}）{finding.clause_label}", 2)
    gb.add_labelled(word, "条款原文：", _inline(finding.clause_text))
    gb.add_labelled(
        word,
        "存在问题：",
        f"{finding.message}（问题等级：{SEVERITY_LABELS[finding.severity]}；规则编号：{finding.rule}）",
    )
    if finding.evidence:
        gb.add_labelled(word, "问题所在：", f"“{finding.evidence}”")
    for basis in finding.basis:
        text = f"{basis.cite()}规定：“{_inline(basis.text)}”" if basis.text else basis.cite()
        gb.add_labelled(word, "法律依据：", text)
    if finding.superior is not None:
        score = f"（匹配度{finding.score:.1f}）" if finding.score is not None else ""
        gb.add_labelled(
            word, "对照上位法条款：", f"{cite_article(finding.superior)}{score}：“{_inline(finding.superior.text)}”"
        )
    gb.add_labelled(word, "修改建议：", finding.suggestion or MISSING)
