"""Review repository: store a document's machine results for one run, atomically.

`store_review` supersedes (never deletes) the previous findings, citations and
recommendation of the document, writes the new ones in bulk, records the review key and
the laws touched, and flags reviewer decisions whose subject changed underneath them.
Reviewer decisions themselves are never written here except for that flag.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from db.documents import REVIEW_KEY_SEPARATOR, STATUS_REVIEWED
from db.errors import RecordNotFound
from db.models import (
    CitationRow,
    ClauseRow,
    DocumentLawRow,
    DocumentRow,
    FindingRow,
    LawRow,
    RecommendationRow,
    ReviewDecisionRow,
    utcnow,
)
from rules.model import (
    ArticleRef,
    Decision,
    Finding,
    LegalBasis,
    Recommendation,
    RepealKind,
    Resolution,
    Severity,
)

RECOMMENDATION_SUBJECT = "recommendation"
RECHECK_FINDING = "条文内容已变化，请重新确认此前的审核意见。"
RECHECK_RECOMMENDATION = "机器清理建议已变化（{old} → {new}），请重新确认此前的审核意见。"


@dataclass(frozen=True, slots=True)
class ReviewDiff:
    """What changed against the previous results of the document (or of its previous version)."""

    document_id: int
    path: str
    title: str | None = None
    added: dict[str, int] = field(default_factory=dict)  # rule id -> findings new in this run
    removed: dict[str, int] = field(default_factory=dict)  # rule id -> findings gone in this run
    previous_decision: Decision | None = None
    decision: Decision | None = None
    rechecks: int = 0  # reviewer decisions flagged `needs_recheck` by this store

    @property
    def document(self) -> str:
        """How a reviewer names the document: its title, else its path."""
        return self.title or self.path

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed) or self.previous_decision != self.decision

    def describe(self) -> str:
        """One Chinese sentence for the run summary, e.g. 新增问题：fee-creation 1 条；清理建议：修改 → 废止."""
        parts = []
        if self.added:
            parts.append("新增问题：" + "，".join(f"{rule} {n} 条" for rule, n in self.added.items()))
        if self.removed:
            parts.append("消除问题：" + "，".join(f"{rule} {n} 条" for rule, n in self.removed.items()))
        if self.previous_decision != self.decision:
            old = _DECISION_NAMES[self.previous_decision] if self.previous_decision else "无"
            new = _DECISION_NAMES[self.decision] if self.decision else "无"
            parts.append(f"清理建议：{old} → {new}")
        if self.rechecks:
            parts.append(f"{self.rechecks} 条审核意见需复核")
        return "；".join(parts) if parts else "无变化"


def finding_subject_key(rule: str, clause_label: str) -> str:
    """What a reviewer decision on a finding is about: the rule and the clause, across runs."""
    return f"{rule}|{clause_label}"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def recommendation_hash(decision: str, repeal_kind: str | None) -> str:
    return text_hash(f"{decision}|{repeal_kind or ''}")


def store_review(
    session: Session,
    document_id: int,
    run_id: int | None,
    *,
    findings: Sequence[Finding],
    resolutions: Sequence[Resolution],
    recommendation: Recommendation,
    review_key: str,
    touched_laws: Iterable[str],
) -> ReviewDiff:
    """Replace the document's machine results with these, in one SAVEPOINT; decisions are kept.

    `touched_laws`: the law titles the citations and matches touched (see `db.incremental`).
    """
    with session.begin_nested():
        return _store_review(
            session,
            document_id,
            run_id,
            findings=findings,
            resolutions=resolutions,
            recommendation=recommendation,
            review_key=review_key,
            touched_laws=touched_laws,
        )


def _store_review(
    session: Session,
    document_id: int,
    run_id: int | None,
    *,
    findings: Sequence[Finding],
    resolutions: Sequence[Resolution],
    recommendation: Recommendation,
    review_key: str,
    touched_laws: Iterable[str],
) -> ReviewDiff:
    document = session.get(DocumentRow, document_id)
    if document is None:
        raise RecordNotFound(what="文档", key=document_id)
    lineage_id = document.lineage_id or document.id
    now = utcnow()

    before_id = document.id
    previous_keys = _current_finding_keys(session, document.id)
    previous_decision = _current_decision(session, document.id)
    if not previous_keys and previous_decision is None and document.previous_id is not None:
        before_id = document.previous_id
        previous_keys = _current_finding_keys(session, before_id)
        previous_decision = _current_decision(session, before_id)

    for table in (FindingRow, CitationRow, RecommendationRow):
        session.execute(
            update(table)
            .where(table.document_id == document.id, table.is_current.is_(True))
            .values(is_current=False)
        )

    clauses = session.execute(
        select(ClauseRow.id, ClauseRow.label, ClauseRow.start, ClauseRow.end).where(
            ClauseRow.document_id == document.id
        )
    ).all()
    clause_by_label = {label: clause_id for clause_id, label, _, _ in clauses}

    finding_rows = [
        _finding_values(
            f, position, document.id, lineage_id, run_id, review_key, clause_by_label.get(f.clause_label)
        )
        for position, f in enumerate(findings)
    ]
    if finding_rows:
        session.execute(insert(FindingRow), finding_rows)

    rec_hash = recommendation_hash(recommendation.decision.value, _value(recommendation.repeal_kind))
    session.add(
        RecommendationRow(
            document_id=document.id,
            lineage_id=lineage_id,
            run_id=run_id,
            is_current=True,
            decision=recommendation.decision.value,
            repeal_kind=_value(recommendation.repeal_kind),
            reasons=list(recommendation.reasons),
            rules=list(recommendation.rules),
            subject_hash=rec_hash,
            review_key=review_key,
            created_at=now,
        )
    )

    if resolutions:
        law_ids = _law_ids(session, {r.law_title for r in resolutions if r.law_title})
        spans = [(clause_id, start, end) for clause_id, _, start, end in clauses]
        session.execute(
            insert(CitationRow),
            [
                _citation_values(
                    r, position, document.id, run_id, law_ids, _innermost(spans, r.citation.span)
                )
                for position, r in enumerate(resolutions)
            ],
        )

    session.execute(delete(DocumentLawRow).where(DocumentLawRow.document_id == document.id))
    titles = sorted({t for t in touched_laws if t})
    if titles:
        session.execute(insert(DocumentLawRow), [{"document_id": document.id, "law_title": t} for t in titles])

    parts = review_key.split(REVIEW_KEY_SEPARATOR)
    document.review_key = review_key
    document.pipeline_version = parts[1] if len(parts) == 3 else None
    document.corpus_version = parts[2] if len(parts) == 3 else None
    document.reviewed_at = now
    document.review_run_id = run_id
    document.status = STATUS_REVIEWED
    document.error_stage = document.error_code = document.error_message = None
    document.error_run_id = None
    document.updated_at = now

    subject_hashes = {row["subject_key"]: row["subject_hash"] for row in finding_rows}
    rechecks = _flag_rechecks(session, lineage_id, subject_hashes, rec_hash, recommendation)
    session.flush()

    new_keys = Counter((f.rule, f.clause_label, f.evidence) for f in findings)
    return ReviewDiff(
        document_id=document.id,
        path=document.path,
        title=document.title,
        added=_by_rule(new_keys - previous_keys),
        removed=_by_rule(previous_keys - new_keys),
        previous_decision=previous_decision,
        decision=recommendation.decision,
        rechecks=rechecks,
    )


def _value(kind: RepealKind | None) -> str | None:
    return kind.value if kind is not None else None


def _current_finding_keys(session: Session, document_id: int) -> Counter[tuple[str, str, str]]:
    rows = session.execute(
        select(FindingRow.rule, FindingRow.clause_label, FindingRow.evidence).where(
            FindingRow.document_id == document_id, FindingRow.is_current.is_(True)
        )
    )
    return Counter((rule, label, evidence) for rule, label, evidence in rows)


def _current_decision(session: Session, document_id: int) -> Decision | None:
    value = session.scalar(
        select(RecommendationRow.decision)
        .where(RecommendationRow.document_id == document_id, RecommendationRow.is_current.is_(True))
        .order_by(RecommendationRow.id.desc())
        .limit(1)
    )
    return Decision(value) if value is not None else None


def _by_rule(keys: Counter[tuple[str, str, str]]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for (rule, _, _), n in keys.items():
        counts[rule] += n
    return dict(sorted(counts.items()))


def _finding_values(
    f: Finding,
    position: int,
    document_id: int,
    lineage_id: int,
    run_id: int | None,
    review_key: str,
    clause_id: int | None,
) -> dict[str, Any]:
    return {
        "document_id": document_id,
        "lineage_id": lineage_id,
        "run_id": run_id,
        "clause_id": clause_id,
        "is_current": True,
        "position": position,
        "rule": f.rule,
        "severity": f.severity.value,
        "clause_label": f.clause_label,
        "clause_text": f.clause_text,
        "subject_key": finding_subject_key(f.rule, f.clause_label),
        "subject_hash": text_hash(f.clause_text),
        "evidence": f.evidence,
        "span_start": f.span[0],
        "span_end": f.span[1],
        "message": f.message,
        "suggestion": f.suggestion,
        "basis": [
            {"law_title": b.law_title, "article": b.article, "paragraph": b.paragraph, "text": b.text}
            for b in f.basis
        ],
        "superior_law_title": f.superior.law_title if f.superior else None,
        "superior_version_label": f.superior.version_label if f.superior else None,
        "superior_article": f.superior.article if f.superior else None,
        "superior_text": f.superior.text if f.superior else None,
        "score": f.score,
        "review_key": review_key,
        "created_at": utcnow(),
    }


def _citation_values(
    r: Resolution,
    position: int,
    document_id: int,
    run_id: int | None,
    law_ids: dict[str, int],
    clause_id: int | None,
) -> dict[str, Any]:
    c = r.citation
    return {
        "document_id": document_id,
        "run_id": run_id,
        "clause_id": clause_id,
        "is_current": True,
        "position": position,
        "raw": c.raw,
        "written_title": c.law_title,
        "article": c.article,
        "paragraph": c.paragraph,
        "item": c.item,
        "start": c.span[0],
        "end": c.span[1],
        "doc_number": c.doc_number,
        "status": r.status.value,
        "law_id": law_ids.get(r.law_title) if r.law_title else None,
        "law_title": r.law_title,
        "version_label": r.version_label,
        "current_article": r.current_article,
        "score": r.score,
        "note": r.note,
        "successor": r.successor,
    }


def _law_ids(session: Session, titles: set[str]) -> dict[str, int]:
    if not titles:
        return {}
    rows = session.execute(select(LawRow.title, LawRow.id).where(LawRow.title.in_(sorted(titles))))
    return {title: law_id for title, law_id in rows}


def _innermost(clauses: list[tuple[int, int, int]], span: tuple[int, int]) -> int | None:
    """The smallest clause that contains the span (citations name the deepest unit they sit in)."""
    start, end = span
    best: tuple[int, int] | None = None
    for clause_id, c_start, c_end in clauses:
        if c_start <= start and end <= c_end and (best is None or c_end - c_start < best[1]):
            best = (clause_id, c_end - c_start)
    return best[0] if best is not None else None


def _flag_rechecks(
    session: Session,
    lineage_id: int,
    finding_hashes: dict[str, str],
    rec_hash: str,
    recommendation: Recommendation,
) -> int:
    """Flag the latest decision on each subject whose text or machine decision changed since."""
    wanted = {**finding_hashes, RECOMMENDATION_SUBJECT: rec_hash}
    decisions = session.scalars(
        select(ReviewDecisionRow)
        .where(
            ReviewDecisionRow.lineage_id == lineage_id,
            ReviewDecisionRow.subject_key.in_(sorted(wanted)),
        )
        .order_by(ReviewDecisionRow.decided_at, ReviewDecisionRow.id)
    )
    latest: dict[str, ReviewDecisionRow] = {}
    for decision in decisions:
        latest[decision.subject_key] = decision
    flagged = 0
    for key, decision in latest.items():
        if decision.needs_recheck or decision.subject_hash == wanted[key]:
            continue
        decision.needs_recheck = True
        if key == RECOMMENDATION_SUBJECT:
            old = _recommendation_label(session, decision)
            decision.recheck_reason = RECHECK_RECOMMENDATION.format(
                old=old, new=_DECISION_NAMES[recommendation.decision]
            )
        else:
            decision.recheck_reason = RECHECK_FINDING
        flagged += 1
    return flagged


_DECISION_NAMES = {Decision.RETAIN: "保留", Decision.AMEND: "修改", Decision.REPEAL: "废止"}


def _recommendation_label(session: Session, decision: ReviewDecisionRow) -> str:
    value = session.scalar(
        select(RecommendationRow.decision).where(RecommendationRow.id == decision.recommendation_id)
    )
    return _DECISION_NAMES[Decision(value)] if value is not None else "未知"


def finding_from_row(row: FindingRow) -> Finding:
    """A stored finding as `rules.model.Finding`."""
    superior = None
    if row.superior_law_title is not None and row.superior_article is not None:
        superior = ArticleRef(
            law_title=row.superior_law_title,
            version_label=row.superior_version_label,
            article=row.superior_article,
            text=row.superior_text or "",
        )
    return Finding(
        rule=row.rule,
        severity=Severity(row.severity),
        clause_label=row.clause_label,
        clause_text=row.clause_text,
        evidence=row.evidence,
        span=(row.span_start, row.span_end),
        message=row.message,
        suggestion=row.suggestion,
        basis=tuple(
            LegalBasis(
                law_title=b["law_title"],
                article=b.get("article"),
                paragraph=b.get("paragraph"),
                text=b.get("text"),
            )
            for b in row.basis or ()
        ),
        superior=superior,
        score=row.score,
    )


def recommendation_from_row(row: RecommendationRow) -> Recommendation:
    """A stored recommendation as `rules.model.Recommendation`."""
    return Recommendation(
        decision=Decision(row.decision),
        reasons=tuple(row.reasons or ()),
        repeal_kind=RepealKind(row.repeal_kind) if row.repeal_kind else None,
        rules=tuple(row.rules or ()),
    )
