"""Read-only queries for the reviewer notebooks: findings by run, document, rule, severity, status."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.decisions import DecisionRecord, FindingStatus, finding_status, latest_decisions
from db.models import DocumentRow, FindingRow, RecommendationRow
from db.review import RECOMMENDATION_SUBJECT, finding_from_row, recommendation_from_row
from rules.model import Finding, Recommendation, Severity

# Notebook tables above this many rows become unreadable and slow to render.
HTML_TABLE_MAX_ROWS = 200


@dataclass(frozen=True, slots=True)
class FindingView:
    """A stored finding with its ids, document and review status, for notebooks and the CLI."""

    id: int
    document_id: int
    run_id: int | None
    path: str
    title: str | None
    finding: Finding
    status: FindingStatus
    latest_decision: DecisionRecord | None = None
    is_current: bool = True

    def _repr_html_(self) -> str:
        return findings_html([self])


@dataclass(frozen=True, slots=True)
class RecommendationView:
    """A stored recommendation with its ids and the latest reviewer decision on it."""

    id: int
    document_id: int
    run_id: int | None
    path: str
    title: str | None
    recommendation: Recommendation
    latest_decision: DecisionRecord | None = None


def find_findings(
    session: Session,
    *,
    run_id: int | None = None,
    document_id: int | None = None,
    rule: str | None = None,
    severity: Severity | str | None = None,
    status: FindingStatus | str | None = None,
    current_only: bool = True,
    finding_id: int | None = None,
) -> list[FindingView]:
    """Findings matching every given filter, in document and clause order.

    `current_only` keeps only the latest results of each document version; pass False (with
    `run_id`) to look at a past run's findings.
    """
    query = (
        select(FindingRow, DocumentRow.path, DocumentRow.title)
        .join(DocumentRow, DocumentRow.id == FindingRow.document_id)
        .order_by(DocumentRow.path, FindingRow.document_id, FindingRow.position)
    )
    if current_only:
        query = query.where(FindingRow.is_current.is_(True))
    if run_id is not None:
        query = query.where(FindingRow.run_id == run_id)
    if document_id is not None:
        query = query.where(FindingRow.document_id == document_id)
    if finding_id is not None:
        query = query.where(FindingRow.id == finding_id)
    if rule is not None:
        query = query.where(FindingRow.rule == rule)
    if severity is not None:
        query = query.where(FindingRow.severity == Severity(severity).value)
    rows = session.execute(query).all()
    latest = latest_decisions(session)  # all of them: decisions are few (human-made), lineages many
    wanted = FindingStatus(status) if status is not None else None
    views = []
    for row, path, title in rows:
        decision = latest.get((row.lineage_id, row.subject_key))
        shown = finding_status(decision)
        if wanted is not None and shown is not wanted:
            continue
        views.append(
            FindingView(
                id=row.id,
                document_id=row.document_id,
                run_id=row.run_id,
                path=path,
                title=title,
                finding=finding_from_row(row),
                status=shown,
                latest_decision=decision,
                is_current=row.is_current,
            )
        )
    return views


def find_recommendations(
    session: Session,
    *,
    run_id: int | None = None,
    document_id: int | None = None,
    decision: str | None = None,
) -> list[RecommendationView]:
    """Current recommendations (or those of `run_id`), with the latest reviewer decision on each."""
    query = (
        select(RecommendationRow, DocumentRow.path, DocumentRow.title)
        .join(DocumentRow, DocumentRow.id == RecommendationRow.document_id)
        .order_by(DocumentRow.path, RecommendationRow.id)
    )
    if run_id is not None:
        query = query.where(RecommendationRow.run_id == run_id)
    else:
        query = query.where(RecommendationRow.is_current.is_(True))
    if document_id is not None:
        query = query.where(RecommendationRow.document_id == document_id)
    if decision is not None:
        query = query.where(RecommendationRow.decision == decision)
    rows = session.execute(query).all()
    latest = latest_decisions(session)
    return [
        RecommendationView(
            id=row.id,
            document_id=row.document_id,
            run_id=row.run_id,
            path=path,
            title=title,
            recommendation=recommendation_from_row(row),
            latest_decision=latest.get((row.lineage_id, RECOMMENDATION_SUBJECT)),
        )
        for row, path, title in rows
    ]


def document_issuers(session: Session, document_ids: Iterable[int]) -> dict[int, str | None]:
    """The issuing body (制定机关) of each document, in one query (for the overview charts)."""
    ids = sorted(set(document_ids))
    if not ids:
        return {}
    rows = session.execute(select(DocumentRow.id, DocumentRow.issuer).where(DocumentRow.id.in_(ids)))
    return {document_id: issuer for document_id, issuer in rows}


_STATUS_NAMES = {
    FindingStatus.OPEN: "待审核",
    FindingStatus.ACCEPTED: "已认可",
    FindingStatus.DISMISSED: "已驳回",
    FindingStatus.EDITED: "已修改",
    FindingStatus.RECHECK: "需复核",
}
_SEVERITY_NAMES = {Severity.HIGH: "严重", Severity.MEDIUM: "一般", Severity.LOW: "提示"}


def findings_html(views: Sequence[FindingView]) -> str:
    """An HTML table of findings for notebooks (Chinese headers, escaped cells)."""
    header = "".join(
        f"<th>{h}</th>" for h in ("编号", "文件", "条款", "规则", "严重程度", "问题", "证据", "状态")
    )
    body = []
    for view in views[:HTML_TABLE_MAX_ROWS]:
        f = view.finding
        cells = (
            str(view.id),
            view.title or view.path,
            f.clause_label,
            f.rule,
            _SEVERITY_NAMES[f.severity],
            f.message,
            f.evidence,
            _STATUS_NAMES[view.status],
        )
        body.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    more = len(views) - HTML_TABLE_MAX_ROWS
    tail = f"<p>另有 {more} 条未显示</p>" if more > 0 else ""
    return f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(body)}</tbody></table>{tail}"
