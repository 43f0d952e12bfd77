"""Reviewer decisions: append-only records of who decided what about a finding or recommendation.

A decision is attached to the finding or recommendation row the reviewer saw, and also to
its *subject* (document lineage + rule + clause label, or the lineage's recommendation), so
it still applies after a re-run produces an equivalent finding. Latest decision wins for
display; every decision stays in the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import InvalidDecision, RecordNotFound
from db.models import FindingRow, RecommendationRow, ReviewDecisionRow, utcnow
from db.review import RECOMMENDATION_SUBJECT
from rules.model import Decision, RepealKind

_E = TypeVar("_E", bound=StrEnum)


class ReviewAction(StrEnum):
    ACCEPT = "accept"  # 认可: the finding / recommendation stands
    DISMISS = "dismiss"  # 驳回: not a problem (finding) / machine recommendation rejected
    EDIT = "edit"  # 修改: stands, with the reviewer's wording in `edited_text`
    OVERRIDE = "override"  # 改判: recommendations only — the reviewer's retain/amend/repeal wins


class FindingStatus(StrEnum):
    """A finding's status as derived from the latest decision on its subject."""

    OPEN = "open"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"
    EDITED = "edited"
    RECHECK = "recheck"  # a decision exists but the clause text changed since


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    """One stored reviewer decision."""

    id: int
    document_id: int
    finding_id: int | None
    recommendation_id: int | None
    subject_key: str
    reviewer: str
    decided_at: datetime
    decision: ReviewAction
    comment: str
    edited_text: str | None = None
    override_decision: Decision | None = None
    repeal_kind: RepealKind | None = None
    needs_recheck: bool = False
    recheck_reason: str | None = None


def record_decision(
    session: Session,
    *,
    finding_id: int | None = None,
    recommendation_id: int | None = None,
    reviewer: str,
    decision: ReviewAction | str,
    comment: str,
    edited_text: str | None = None,
    override_decision: Decision | str | None = None,
    repeal_kind: RepealKind | str | None = None,
    decided_at: datetime | None = None,
) -> int:
    """Append a reviewer decision on one finding or one recommendation; returns its id."""
    if (finding_id is None) == (recommendation_id is None):
        raise InvalidDecision(detail="必须且只能指定一条审核问题或一条清理建议")
    if not reviewer or not reviewer.strip():
        raise InvalidDecision(detail="缺少审核人")
    if not comment or not comment.strip():
        raise InvalidDecision(detail="缺少审核说明")
    action = _parse(ReviewAction, decision, "审核结论")
    if action is ReviewAction.EDIT and not (edited_text and edited_text.strip()):
        raise InvalidDecision(detail="“修改”须填写修改后的文字")
    override = _parse(Decision, override_decision, "改判结论") if override_decision is not None else None
    kind = _parse(RepealKind, repeal_kind, "废止方式") if repeal_kind is not None else None
    if action is ReviewAction.OVERRIDE:
        if recommendation_id is None:
            raise InvalidDecision(detail="“改判”只适用于清理建议")
        if override is None:
            raise InvalidDecision(detail="“改判”须指定保留、修改或废止")
        if override is Decision.REPEAL and kind is None:
            raise InvalidDecision(detail="改判为废止时须指定“废止”或“宣布失效”")
    elif override is not None:
        raise InvalidDecision(detail="只有“改判”可以指定改判结论")
    if kind is not None and override is not Decision.REPEAL:
        raise InvalidDecision(detail="只有改判为废止时才能指定废止方式")

    if finding_id is not None:
        finding = session.get(FindingRow, finding_id)
        if finding is None:
            raise RecordNotFound(what="审核问题", key=finding_id)
        document_id, lineage_id = finding.document_id, finding.lineage_id
        subject_key, subject_hash = finding.subject_key, finding.subject_hash
    else:
        recommendation = session.get(RecommendationRow, recommendation_id)
        if recommendation is None:
            raise RecordNotFound(what="清理建议", key=recommendation_id)
        document_id, lineage_id = recommendation.document_id, recommendation.lineage_id
        subject_key, subject_hash = RECOMMENDATION_SUBJECT, recommendation.subject_hash

    row = ReviewDecisionRow(
        finding_id=finding_id,
        recommendation_id=recommendation_id,
        document_id=document_id,
        lineage_id=lineage_id,
        subject_key=subject_key,
        subject_hash=subject_hash,
        reviewer=reviewer.strip(),
        decided_at=decided_at or utcnow(),
        decision=action.value,
        edited_text=edited_text,
        comment=comment.strip(),
        override_decision=override.value if override else None,
        repeal_kind=kind.value if kind else None,
        needs_recheck=False,
    )
    session.add(row)
    session.flush()
    return row.id


def _parse(enum: type[_E], value: object, what: str) -> _E:
    try:
        return enum(str(value))
    except ValueError as exc:
        raise InvalidDecision(detail=f"{what}“{value}”无效") from exc


def decision_history(
    session: Session,
    *,
    finding_id: int | None = None,
    recommendation_id: int | None = None,
    document_id: int | None = None,
) -> list[DecisionRecord]:
    """Every decision on the subject of this finding / recommendation (across runs), or on a document; oldest first."""
    query = select(ReviewDecisionRow).order_by(ReviewDecisionRow.decided_at, ReviewDecisionRow.id)
    if finding_id is not None:
        finding = session.get(FindingRow, finding_id)
        if finding is None:
            raise RecordNotFound(what="审核问题", key=finding_id)
        query = query.where(
            ReviewDecisionRow.lineage_id == finding.lineage_id,
            ReviewDecisionRow.subject_key == finding.subject_key,
        )
    elif recommendation_id is not None:
        recommendation = session.get(RecommendationRow, recommendation_id)
        if recommendation is None:
            raise RecordNotFound(what="清理建议", key=recommendation_id)
        query = query.where(
            ReviewDecisionRow.lineage_id == recommendation.lineage_id,
            ReviewDecisionRow.subject_key == RECOMMENDATION_SUBJECT,
        )
    elif document_id is not None:
        query = query.where(ReviewDecisionRow.document_id == document_id)
    else:
        raise ValueError("decision_history needs finding_id, recommendation_id or document_id")
    return [decision_record(row) for row in session.scalars(query)]


def latest_decisions(
    session: Session, lineage_ids: set[int] | None = None
) -> dict[tuple[int, str], DecisionRecord]:
    """The latest decision per (document lineage, subject key) — what reviewers see."""
    query = select(ReviewDecisionRow).order_by(ReviewDecisionRow.decided_at, ReviewDecisionRow.id)
    if lineage_ids is not None:
        if not lineage_ids:
            return {}
        query = query.where(ReviewDecisionRow.lineage_id.in_(sorted(lineage_ids)))
    latest: dict[tuple[int, str], DecisionRecord] = {}
    for row in session.scalars(query):
        latest[(row.lineage_id, row.subject_key)] = decision_record(row)
    return latest


def finding_status(latest: DecisionRecord | None) -> FindingStatus:
    """The status a finding shows, given the latest decision on its subject."""
    if latest is None:
        return FindingStatus.OPEN
    if latest.needs_recheck:
        return FindingStatus.RECHECK
    return {
        ReviewAction.ACCEPT: FindingStatus.ACCEPTED,
        ReviewAction.DISMISS: FindingStatus.DISMISSED,
        ReviewAction.EDIT: FindingStatus.EDITED,
        ReviewAction.OVERRIDE: FindingStatus.ACCEPTED,
    }[latest.decision]


def decision_record(row: ReviewDecisionRow) -> DecisionRecord:
    return DecisionRecord(
        id=row.id,
        document_id=row.document_id,
        finding_id=row.finding_id,
        recommendation_id=row.recommendation_id,
        subject_key=row.subject_key,
        reviewer=row.reviewer,
        decided_at=row.decided_at,
        decision=ReviewAction(row.decision),
        comment=row.comment,
        edited_text=row.edited_text,
        override_decision=Decision(row.override_decision) if row.override_decision else None,
        repeal_kind=RepealKind(row.repeal_kind) if row.repeal_kind else None,
        needs_recheck=row.needs_recheck,
        recheck_reason=row.recheck_reason,
    )
