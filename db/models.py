"""ORM rows: the tables of the qingli database.

Rows are storage, not our domain types: repositories turn them into `extractors.model`
and `rules.model` values. Enum-valued columns hold the enum's string value (no native
database enums, so adding a value never needs a migration).

What must stay true:
- Machine results (findings, recommendations, citations) are never deleted; a new review
  marks the previous ones ``is_current = False``. Old results stay queryable.
- Reviewer decisions are append-only (enforced in `_guard_decisions` below); only the
  ``needs_recheck`` flag may change after insert.
- A changed file at the same path is a new `DocumentRow` linked by ``previous_id``; every
  version of one logical document shares ``lineage_id`` (the id of the first version).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.types import TypeDecorator

from db.errors import AppendOnlyViolation

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on every backend (SQLite has no time zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime not allowed in the database: {value!r}")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


# ---------------------------------------------------------------- superior-law corpus


class LawRow(Base):
    """A superior law (上位法) across its versions."""

    __tablename__ = "laws"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(400), unique=True)
    short_titles: Mapped[list[Any]] = mapped_column(default=list)
    level: Mapped[str] = mapped_column(String(32))
    repealed_on: Mapped[date | None]
    successor: Mapped[str | None] = mapped_column(String(400))
    # sha256 of the law-level fields above; part of the corpus fingerprint.
    info_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class LawVersionRow(Base):
    """One version (promulgation or amendment) of a law."""

    __tablename__ = "law_versions"
    __table_args__ = (UniqueConstraint("law_id", "version_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    law_id: Mapped[int] = mapped_column(ForeignKey("laws.id", ondelete="CASCADE"), index=True)
    # version_label, or the publication date, or "" — never NULL so it can be unique per law.
    version_key: Mapped[str] = mapped_column(String(64))
    version_label: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(400))
    level: Mapped[str] = mapped_column(String(32))
    published_on: Mapped[date | None]
    effective_on: Mapped[date | None]
    expired: Mapped[bool] = mapped_column(Boolean, default=False)
    repealed_on: Mapped[date | None]
    source: Mapped[str] = mapped_column(Text)
    # sha256 over the version fields and every article; decides "unchanged" on re-import.
    content_hash: Mapped[str] = mapped_column(String(64))
    article_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class LawArticleRow(Base):
    """One article (条) of one law version, with its 章/节 context."""

    __tablename__ = "law_articles"
    __table_args__ = (Index("ix_law_articles_version_id_number", "version_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("law_versions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # order within the version
    number: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    # 章/节 headings and 款 paragraphs joined by PART_SEPARATOR, not JSON: load_laws reads
    # ~100k articles at once, and splitting a string is an order of magnitude faster than
    # decoding JSON (it was most of load_laws' time).
    headings_joined: Mapped[str] = mapped_column(Text, default="")
    paragraphs_joined: Mapped[str] = mapped_column(Text, default="")


# U+001F INFORMATION SEPARATOR ONE: a control character that normalised statute text never holds.
PART_SEPARATOR = "\x1f"


def join_parts(parts: tuple[str, ...]) -> str:
    """Join headings or paragraphs for storage (the separator is removed from the parts)."""
    return PART_SEPARATOR.join(part.replace(PART_SEPARATOR, "") for part in parts)


def split_parts(joined: str) -> tuple[str, ...]:
    return tuple(joined.split(PART_SEPARATOR)) if joined else ()


# ---------------------------------------------------------------- runs


class RunRow(Base):
    """One pipeline run (import, review, export ...), with what it did and what went wrong."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(32), default="running")
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    errors: Mapped[list[Any]] = mapped_column(default=list)


# ---------------------------------------------------------------- documents under review


class DocumentRow(Base):
    """One version of one reviewed file (a 行政规范性文件), keyed by content hash."""

    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_path_is_current", "path", "is_current"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    # NULL only for files that could not even be read (e.g. missing).
    sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    format: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)  # parsed / reviewed / error
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    lineage_id: Mapped[int | None] = mapped_column(Integer, index=True)

    title: Mapped[str | None] = mapped_column(Text)
    wrapper_title: Mapped[str | None] = mapped_column(Text)
    doc_number: Mapped[str | None] = mapped_column(String(200), index=True)  # 文号
    issuer: Mapped[str | None] = mapped_column(Text)
    issued_on: Mapped[date | None]
    effective_on: Mapped[date | None]
    valid_until: Mapped[date | None]
    validity_text: Mapped[str | None] = mapped_column(Text)
    doc_type: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32), default="未知")
    history: Mapped[list[Any]] = mapped_column(default=list)
    text: Mapped[str | None] = mapped_column(Text)  # normalised text; span offsets point into it
    pages: Mapped[list[Any]] = mapped_column(default=list)
    issues: Mapped[list[Any]] = mapped_column(default=list)

    error_stage: Mapped[str | None] = mapped_column(String(32))
    error_code: Mapped[str | None] = mapped_column(String(16))
    error_message: Mapped[str | None] = mapped_column(Text)
    error_run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))

    # The review record: ``sha256|pipeline_version|corpus_version`` of the current machine
    # results (see db.incremental); NULL: never reviewed.
    review_key: Mapped[str | None] = mapped_column(String(200))
    pipeline_version: Mapped[str | None] = mapped_column(String(64))
    corpus_version: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None]
    review_run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"), index=True)

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClauseRow(Base):
    """One node of a document's clause tree (条/款/项/目 or outline entry)."""

    __tablename__ = "clauses"
    __table_args__ = (UniqueConstraint("document_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # Clause.index
    label: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[int | None]
    parent_position: Mapped[int | None]
    depth: Mapped[int] = mapped_column(Integer, default=0)
    headings: Mapped[list[Any]] = mapped_column(default=list)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column("start_offset", Integer)
    end: Mapped[int] = mapped_column("end_offset", Integer)
    from_ocr: Mapped[bool] = mapped_column(Boolean, default=False)


class SpanRow(Base):
    """One evidence span of a document (document-level, like `ParsedDocument.spans`).

    A table rather than JSON on the clause: spans are document-level and may straddle
    nested clauses, notebooks filter them by label across documents, and bulk inserts
    keep them as cheap as JSON.
    """

    __tablename__ = "spans"
    __table_args__ = (Index("ix_spans_document_id_start", "document_id", "start_offset"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(64), index=True)
    start: Mapped[int] = mapped_column("start_offset", Integer)
    end: Mapped[int] = mapped_column("end_offset", Integer)
    text: Mapped[str] = mapped_column(Text)
    attrs: Mapped[list[Any]] = mapped_column(default=list)  # [[key, value], ...]


# ---------------------------------------------------------------- machine results


class CitationRow(Base):
    """A citation written in a clause and where it resolved in the corpus."""

    __tablename__ = "citations"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("clauses.id", ondelete="SET NULL"))
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer)
    raw: Mapped[str] = mapped_column(Text)
    written_title: Mapped[str | None] = mapped_column(Text)
    article: Mapped[int | None]
    paragraph: Mapped[int | None]
    item: Mapped[int | None]
    start: Mapped[int] = mapped_column("start_offset", Integer)
    end: Mapped[int] = mapped_column("end_offset", Integer)
    doc_number: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(32), index=True)
    law_id: Mapped[int | None] = mapped_column(ForeignKey("laws.id", ondelete="SET NULL"), index=True)
    law_title: Mapped[str | None] = mapped_column(String(400))
    version_label: Mapped[str | None] = mapped_column(String(64))
    current_article: Mapped[int | None]
    score: Mapped[float] = mapped_column(Float, default=0.0)
    note: Mapped[str | None] = mapped_column(Text)
    successor: Mapped[str | None] = mapped_column(String(400))


class FindingRow(Base):
    """One problem in one clause, found by one rule in one run."""

    __tablename__ = "findings"
    __table_args__ = (
        Index("ix_findings_document_id_is_current", "document_id", "is_current"),
        Index("ix_findings_rule_is_current", "rule", "is_current"),
        Index("ix_findings_lineage_id_subject_key", "lineage_id", "subject_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    lineage_id: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"), index=True)
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("clauses.id", ondelete="SET NULL"))
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16), index=True)
    clause_label: Mapped[str] = mapped_column(String(200))
    clause_text: Mapped[str] = mapped_column(Text)
    # "rule|clause label": what a reviewer decision is about across runs and file versions.
    subject_key: Mapped[str] = mapped_column(String(300))
    # sha256 of the clause text; a decision made on other text needs another look.
    subject_hash: Mapped[str] = mapped_column(String(64))
    evidence: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[str] = mapped_column(Text)
    basis: Mapped[list[Any]] = mapped_column(default=list)
    superior_law_title: Mapped[str | None] = mapped_column(String(400))
    superior_version_label: Mapped[str | None] = mapped_column(String(64))
    superior_article: Mapped[int | None]
    superior_text: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float | None]
    review_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecommendationRow(Base):
    """The machine's retain / amend / repeal recommendation for one document in one run."""

    __tablename__ = "recommendations"
    __table_args__ = (Index("ix_recommendations_document_id_is_current", "document_id", "is_current"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    lineage_id: Mapped[int] = mapped_column(Integer, index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"), index=True)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    decision: Mapped[str] = mapped_column(String(16), index=True)
    repeal_kind: Mapped[str | None] = mapped_column(String(16))
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    rules: Mapped[list[Any]] = mapped_column(default=list)
    subject_hash: Mapped[str] = mapped_column(String(64))
    review_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DocumentLawRow(Base):
    """A law the current machine results of a document cite or matched (drives re-review)."""

    __tablename__ = "document_laws"
    __table_args__ = (UniqueConstraint("document_id", "law_title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    law_title: Mapped[str] = mapped_column(String(400), index=True)


# ---------------------------------------------------------------- reviewer decisions


class ReviewDecisionRow(Base):
    """A reviewer's decision on a finding or a recommendation. Append-only."""

    __tablename__ = "review_decisions"
    __table_args__ = (
        CheckConstraint(
            "(finding_id IS NULL) <> (recommendation_id IS NULL)",
            name="one_subject",
        ),
        Index("ix_review_decisions_lineage_id_subject_key", "lineage_id", "subject_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id"), index=True)
    recommendation_id: Mapped[int | None] = mapped_column(ForeignKey("recommendations.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    lineage_id: Mapped[int] = mapped_column(Integer)
    subject_key: Mapped[str] = mapped_column(String(300))
    subject_hash: Mapped[str] = mapped_column(String(64))
    reviewer: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    decision: Mapped[str] = mapped_column(String(16))  # accept / dismiss / edit / override
    edited_text: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str] = mapped_column(Text)
    override_decision: Mapped[str | None] = mapped_column(String(16))
    repeal_kind: Mapped[str | None] = mapped_column(String(16))
    needs_recheck: Mapped[bool] = mapped_column(Boolean, default=False)
    recheck_reason: Mapped[str | None] = mapped_column(Text)


_MUTABLE_DECISION_FIELDS = frozenset({"needs_recheck", "recheck_reason"})


@event.listens_for(Session, "before_flush")
def _guard_decisions(session: Session, flush_context: object, instances: object) -> None:
    """Reviewer decisions are evidence of who decided what: never deleted, never rewritten."""
    for obj in session.deleted:
        if isinstance(obj, ReviewDecisionRow):
            raise AppendOnlyViolation(key=obj.id)
    for obj in session.dirty:
        if isinstance(obj, ReviewDecisionRow):
            state = inspect(obj)
            changed = {
                attr.key for attr in state.attrs if attr.history.has_changes()
            } - _MUTABLE_DECISION_FIELDS
            if changed:
                raise AppendOnlyViolation(key=obj.id)
