"""Reports: read a run's (or the current) results back as one `CleanupReport` for the exports.

Reviewer decisions are applied here, and only here: a dismissed finding is left out, an
edited finding carries the reviewer's wording as its suggestion, and the latest
``override`` on a document's recommendation becomes `DocumentResult.override`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from db.decisions import DecisionRecord, ReviewAction, latest_decisions
from db.documents import STATUS_ERROR, document_kind
from db.models import DocumentRow, FindingRow, RecommendationRow, utcnow
from db.review import RECOMMENDATION_SUBJECT, finding_from_row, recommendation_from_row
from rules.model import (
    CleanupReport,
    DocumentResult,
    DocumentStatus,
    Finding,
    Recommendation,
    ReviewerOverride,
)


def load_report(
    session: Session,
    *,
    run_id: int | None = None,
    as_of: date,
    corpus: Mapping[str, str | int],
    generated_at: datetime | None = None,
) -> CleanupReport:
    """Documents with their recommendation, findings and reviewer overrides, as one report.

    With `run_id`: the documents that run reviewed or failed on, with that run's results.
    Without: every current document, with its current results. Documents that were parsed
    but never reviewed are not in the report.
    """
    if run_id is None:
        chosen: ColumnElement[bool] = DocumentRow.is_current.is_(True)
        rec_filter: ColumnElement[bool] = RecommendationRow.is_current.is_(True)
        finding_filter: ColumnElement[bool] = FindingRow.is_current.is_(True)
    else:
        reviewed = select(RecommendationRow.document_id).where(RecommendationRow.run_id == run_id)
        chosen = or_(DocumentRow.id.in_(reviewed), DocumentRow.error_run_id == run_id)
        rec_filter = RecommendationRow.run_id == run_id
        finding_filter = FindingRow.run_id == run_id
    documents = list(session.scalars(select(DocumentRow).where(chosen).order_by(DocumentRow.path, DocumentRow.id)))
    # Subqueries, not id lists: a cleanup can cover more documents than SQLite allows bound parameters.
    chosen_ids = select(DocumentRow.id).where(chosen)

    recommendations: dict[int, RecommendationRow] = {}
    for rec_row in session.scalars(
        select(RecommendationRow)
        .where(rec_filter, RecommendationRow.document_id.in_(chosen_ids))
        .order_by(RecommendationRow.id)
    ):
        recommendations[rec_row.document_id] = rec_row
    findings: dict[int, list[FindingRow]] = defaultdict(list)
    for finding in session.scalars(
        select(FindingRow)
        .where(finding_filter, FindingRow.document_id.in_(chosen_ids))
        .order_by(FindingRow.document_id, FindingRow.position)
    ):
        findings[finding.document_id].append(finding)
    latest = latest_decisions(session)

    results = []
    for document in documents:
        lineage = document.lineage_id or document.id
        errored = document.status == STATUS_ERROR and (run_id is None or document.error_run_id == run_id)
        rec = recommendations.get(document.id)
        if not errored and rec is None:
            continue  # parsed, never reviewed (or not in this run)
        result = DocumentResult(
            path=document.path,
            sha256=document.sha256 or "",
            status=DocumentStatus.ERROR if errored else DocumentStatus.REVIEWED,
            title=document.title,
            wrapper_title=document.wrapper_title,
            doc_number=document.doc_number,
            issuer=document.issuer,
            issued_on=document.issued_on,
            valid_until=document.valid_until,
            kind=document_kind(document.kind),
            error=document.error_message if errored else None,
        )
        if not errored and rec is not None:
            rec_decision = latest.get((lineage, RECOMMENDATION_SUBJECT))
            result = replace(
                result,
                recommendation=_apply_to_recommendation(recommendation_from_row(rec), rec_decision),
                findings=tuple(
                    f
                    for row in findings.get(document.id, [])
                    if (f := _apply_to_finding(finding_from_row(row), latest.get((lineage, row.subject_key))))
                    is not None
                ),
                override=_override(rec_decision),
            )
        results.append(result)

    return CleanupReport(
        as_of=as_of,
        generated_at=generated_at or utcnow(),
        run_id=run_id,
        corpus=dict(corpus),
        documents=tuple(results),
    )


def _apply_to_finding(finding: Finding, decision: DecisionRecord | None) -> Finding | None:
    if decision is None:
        return finding
    if decision.decision is ReviewAction.DISMISS:
        return None
    if decision.decision is ReviewAction.EDIT and decision.edited_text:
        return replace(finding, suggestion=decision.edited_text)
    return finding


def _apply_to_recommendation(
    recommendation: Recommendation, decision: DecisionRecord | None
) -> Recommendation:
    if decision is not None and decision.decision is ReviewAction.EDIT and decision.edited_text:
        return replace(recommendation, reasons=(decision.edited_text,))
    return recommendation


def _override(decision: DecisionRecord | None) -> ReviewerOverride | None:
    if (
        decision is None
        or decision.decision is not ReviewAction.OVERRIDE
        or decision.override_decision is None
    ):
        return None
    return ReviewerOverride(
        reviewer=decision.reviewer,
        decided_at=decision.decided_at,
        decision=decision.override_decision,
        comment=decision.comment,
        repeal_kind=decision.repeal_kind,
    )
