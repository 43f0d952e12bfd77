"""The cleanup lists a report is sorted into, and the Chinese wording every export shares.

Each document of a report belongs to exactly one list. Reviewer overrides win over the
machine's recommendation; documents that failed, or that were reviewed without any
recommendation, go to the unprocessed list and never into a decision list.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum

from rules.model import (
    CleanupReport,
    Decision,
    DocumentResult,
    DocumentStatus,
    Finding,
    RepealKind,
    Severity,
)


class CleanupList(StrEnum):
    """The lists of a cleanup result, in the order they are printed; values are their Chinese names."""

    RETAIN = "继续有效"
    AMEND = "修改"
    ABOLISH = "废止"
    DECLARE_INVALID = "宣布失效"
    UNPROCESSED = "未能处理"


DECISION_LISTS: tuple[CleanupList, ...] = (
    CleanupList.RETAIN,
    CleanupList.AMEND,
    CleanupList.ABOLISH,
    CleanupList.DECLARE_INVALID,
)

# Heading of each list in the Word cleanup list (清理结果目录).
LIST_HEADINGS: dict[CleanupList, str] = {
    CleanupList.RETAIN: "继续有效（保留）的规范性文件目录",
    CleanupList.AMEND: "修改的规范性文件目录",
    CleanupList.ABOLISH: "废止的规范性文件目录",
    CleanupList.DECLARE_INVALID: "宣布失效的规范性文件目录",
    CleanupList.UNPROCESSED: "未能处理的文件",
}

SEVERITY_LABELS: dict[Severity, str] = {
    Severity.HIGH: "严重",
    Severity.MEDIUM: "一般",
    Severity.LOW: "提示",
}

OVERRIDE_MARK = "（经审核人员调整）"
NO_DECISION_MESSAGE = "已完成审查，但未形成清理意见。"
UNKNOWN_ERROR_MESSAGE = "处理失败，未记录错误信息。"
MISSING = "—"
# Reviewers read times in China Standard Time (UTC+8, no daylight saving), whatever the server's zone.
DISPLAY_TIMEZONE = timezone(
    timedelta(hours=8), "CST"
)  # printed in a table cell whose value the document does not state


def list_for(decision: Decision | None, repeal_kind: RepealKind | None) -> CleanupList:
    """The list a decision puts a document in; a repeal without a kind is a 废止 (the issuer acts)."""
    if decision is Decision.RETAIN:
        return CleanupList.RETAIN
    if decision is Decision.AMEND:
        return CleanupList.AMEND
    if decision is Decision.REPEAL:
        if repeal_kind is RepealKind.DECLARE_INVALID:
            return CleanupList.DECLARE_INVALID
        return CleanupList.ABOLISH
    return CleanupList.UNPROCESSED


def list_of(doc: DocumentResult) -> CleanupList:
    """The one list `doc` belongs to, after any reviewer override."""
    if doc.status is DocumentStatus.ERROR:
        return CleanupList.UNPROCESSED
    return list_for(doc.final_decision, doc.final_repeal_kind)


def group_documents(report: CleanupReport) -> dict[CleanupList, list[DocumentResult]]:
    """Every document of `report` in exactly one list, each list in report order."""
    groups: dict[CleanupList, list[DocumentResult]] = {kind: [] for kind in CleanupList}
    for doc in report.documents:
        groups[list_of(doc)].append(doc)
    return groups


def local_time(moment: datetime) -> datetime:
    """`moment` in China Standard Time when it is timezone-aware; naive times are shown as they are."""
    return moment.astimezone(DISPLAY_TIMEZONE) if moment.tzinfo is not None else moment


def cn_date(day: date | datetime | None) -> str:
    """2019年3月1日, as GB/T 9704 writes dates (Arabic numerals, no leading zeros); "" for None."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = local_time(day)
    return f"{day.year}年{day.month}月{day.day}日"


def display_title(doc: DocumentResult) -> str:
    """The document's title, or its file name when the title could not be read."""
    if doc.title:
        return doc.title
    return doc.path.replace("\\", "/").rsplit("/", 1)[-1] or doc.path


def opinion_label(doc: DocumentResult) -> str:
    """清理意见 cell: the list name, marked when a reviewer set it."""
    label = list_of(doc).value
    if doc.override is not None and doc.status is DocumentStatus.REVIEWED:
        return label + OVERRIDE_MARK
    return label


def machine_label(doc: DocumentResult) -> str:
    """The machine's own recommendation as a list name ("" when there is none)."""
    rec = doc.recommendation
    if rec is None:
        return ""
    return list_for(rec.decision, rec.repeal_kind).value


def basis_cites(findings: Iterable[Finding]) -> list[str]:
    """Distinct legal bases of `findings` as 《…》第…条, in first-seen order."""
    seen: dict[str, None] = {}
    for finding in findings:
        for basis in finding.basis:
            seen.setdefault(basis.cite(), None)
    return list(seen)


def review_note(doc: DocumentResult) -> str:
    """One sentence on the reviewer's adjustment: who, when, what the machine said, and why."""
    override = doc.override
    if override is None:
        return ""
    note = f"审核人员{override.reviewer}于{cn_date(override.decided_at)}调整为“{list_of(doc).value}”"
    machine = machine_label(doc)
    if machine:
        note += f"（系统原建议：{machine}）"
    comment = override.comment.strip().rstrip(_SENTENCE_END)
    if comment:
        note += f"，意见：{comment}"
    return note + "。"


_SENTENCE_END = "。．.；;！!"  # a comment's own full stop would double the note's


def reasons_and_basis(doc: DocumentResult) -> str:
    """理由及依据 cell: reviewer note, the recommendation's reasons, and the legal bases relied on."""
    if list_of(doc) is CleanupList.UNPROCESSED:
        return error_message(doc)
    parts: list[str] = []
    if doc.override is not None:
        parts.append(review_note(doc))
    if doc.recommendation is not None:
        parts.extend(reason.strip() for reason in doc.recommendation.reasons if reason.strip())
    cites = basis_cites(doc.findings)
    if cites:
        parts.append("依据：" + "、".join(cites))
    return "\n".join(parts) if parts else MISSING


def error_message(doc: DocumentResult) -> str:
    """Why a document is in the unprocessed list."""
    if doc.status is DocumentStatus.ERROR:
        return doc.error or UNKNOWN_ERROR_MESSAGE
    return NO_DECISION_MESSAGE


def summary_sentence(groups: dict[CleanupList, list[DocumentResult]]) -> str:
    """本次共清理规范性文件N件，其中继续有效X件、修改Y件、废止Z件、宣布失效W件（，另有E件未能处理）。"""
    decided = sum(len(groups[kind]) for kind in DECISION_LISTS)
    counts = "、".join(f"{kind.value}{len(groups[kind])}件" for kind in DECISION_LISTS)
    sentence = f"本次共清理规范性文件{decided}件，其中{counts}"
    unprocessed = len(groups[CleanupList.UNPROCESSED])
    if unprocessed:
        sentence += f"；另有{unprocessed}件文件未能处理，列于“{LIST_HEADINGS[CleanupList.UNPROCESSED]}”部分"
    return sentence + "。"
