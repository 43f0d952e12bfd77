"""Documents repository: parsed files in, `ParsedDocument` out, errors recorded as rows.

Identity is the content hash: storing the same bytes twice returns the existing row. A
different hash at a path that already has a current document becomes a new version of
that logical document (``previous_id``, shared ``lineage_id``); the old version and its
results stay.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import insert, literal, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.errors import RecordNotFound
from db.models import ClauseRow, DocumentLawRow, DocumentRow, SpanRow, utcnow
from extractors.model import (
    Clause,
    ClauseKind,
    DocumentKind,
    DocumentMeta,
    ExtractionIssue,
    PageInfo,
    ParsedDocument,
    SourceFormat,
    Span,
)

STATUS_PARSED = "parsed"
STATUS_REVIEWED = "reviewed"
STATUS_ERROR = "error"
REVIEW_KEY_SEPARATOR = "|"
_STORE_ATTEMPTS = 2  # one retry after losing an insert race on the unique sha256


class DocumentRef(NamedTuple):
    """Id of a stored document; `created` when content was written now; `previous_id` = older version."""

    id: int
    created: bool
    previous_id: int | None


def make_review_key(sha256: str, pipeline_version: str, corpus_version: str) -> str:
    """The key a review result is valid for: same bytes, same pipeline, same corpus (version)."""
    return REVIEW_KEY_SEPARATOR.join((sha256, pipeline_version, corpus_version))


def store_document(session: Session, parsed: ParsedDocument) -> DocumentRef:
    """Store a parsed document with its clauses and spans; idempotent on `parsed.sha256`."""
    for attempt in range(_STORE_ATTEMPTS):
        try:
            with session.begin_nested():
                return _store_document(session, parsed)
        except IntegrityError:
            if attempt + 1 == _STORE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _store_document(session: Session, parsed: ParsedDocument) -> DocumentRef:
    row = session.scalar(select(DocumentRow).where(DocumentRow.sha256 == parsed.sha256))
    if row is not None and row.text is not None:
        if not row.is_current and row.path == parsed.source:
            _make_current(session, row)  # the file went back to an earlier content
        return DocumentRef(row.id, False, row.previous_id)
    if row is None:
        row = _new_version(session, parsed.source, parsed.sha256)
    _fill(row, parsed)
    session.flush()
    _insert_parts(session, row.id, parsed)
    return DocumentRef(row.id, True, row.previous_id)


def _new_version(session: Session, path: str, sha256: str | None) -> DocumentRow:
    previous = session.scalar(
        select(DocumentRow)
        .where(DocumentRow.path == path, DocumentRow.is_current.is_(True))
        .order_by(DocumentRow.id.desc())
        .limit(1)
    )
    if previous is not None:
        session.execute(
            update(DocumentRow)
            .where(DocumentRow.path == path, DocumentRow.is_current.is_(True))
            .values(is_current=False)
        )
    row = DocumentRow(
        path=path,
        sha256=sha256,
        status=STATUS_PARSED,
        is_current=True,
        previous_id=previous.id if previous is not None else None,
    )
    session.add(row)
    session.flush()
    row.lineage_id = (previous.lineage_id or previous.id) if previous is not None else row.id
    return row


def _make_current(session: Session, row: DocumentRow) -> None:
    session.execute(
        update(DocumentRow)
        .where(DocumentRow.path == row.path, DocumentRow.is_current.is_(True))
        .values(is_current=False)
    )
    row.is_current = True


def _fill(row: DocumentRow, parsed: ParsedDocument) -> None:
    meta = parsed.meta
    row.format = str(parsed.format.value)
    row.status = STATUS_PARSED
    row.title = meta.title
    row.wrapper_title = meta.wrapper_title
    row.doc_number = meta.doc_number
    row.issuer = meta.issuer
    row.issued_on = meta.issued_on
    row.effective_on = meta.effective_on
    row.valid_until = meta.valid_until
    row.validity_text = meta.validity_text
    row.doc_type = meta.doc_type
    row.kind = str(meta.kind.value)
    row.history = list(meta.history)
    row.text = parsed.text
    row.pages = [{"number": p.number, "ocr": p.ocr, "ocr_confidence": p.ocr_confidence} for p in parsed.pages]
    row.issues = [
        {"stage": i.stage, "code": i.code, "message": i.message, "page": i.page} for i in parsed.issues
    ]
    row.error_stage = row.error_code = row.error_message = None
    row.error_run_id = None
    row.updated_at = utcnow()


def _insert_parts(session: Session, document_id: int, parsed: ParsedDocument) -> None:
    if parsed.clauses:
        session.execute(
            insert(ClauseRow),
            [
                {
                    "document_id": document_id,
                    "position": c.index,
                    "label": c.label,
                    "kind": str(c.kind.value),
                    "number": c.number,
                    "parent_position": c.parent,
                    "depth": c.depth,
                    "headings": list(c.headings),
                    "text": c.text,
                    "start": c.start,
                    "end": c.end,
                    "from_ocr": c.from_ocr,
                }
                for c in parsed.clauses
            ],
        )
    if parsed.spans:
        session.execute(
            insert(SpanRow),
            [
                {
                    "document_id": document_id,
                    "position": position,
                    "label": s.label,
                    "start": s.start,
                    "end": s.end,
                    "text": s.text,
                    "attrs": [list(pair) for pair in s.attrs],
                }
                for position, s in enumerate(parsed.spans)
            ],
        )


def record_document_error(
    session: Session,
    *,
    path: str,
    sha256: str | None,
    stage: str,
    code: str,
    message: str,
    run_id: int | None = None,
) -> DocumentRef:
    """Record that a file failed at `stage`; the document gets (or keeps) a row with status error.

    `sha256` is None when the file could not even be read; the current row at `path` is then
    marked. Storing the document later (after a fix) clears the error.
    """
    with session.begin_nested():
        row: DocumentRow | None
        if sha256 is not None:
            row = session.scalar(select(DocumentRow).where(DocumentRow.sha256 == sha256))
        else:
            row = session.scalar(
                select(DocumentRow)
                .where(DocumentRow.path == path, DocumentRow.is_current.is_(True))
                .order_by(DocumentRow.id.desc())
                .limit(1)
            )
        created = row is None
        if row is None:
            row = _new_version(session, path, sha256)
        row.status = STATUS_ERROR
        row.error_stage = stage
        row.error_code = code
        row.error_message = message
        row.error_run_id = run_id
        row.updated_at = utcnow()
        session.flush()
        return DocumentRef(row.id, created, row.previous_id)


def load_document(session: Session, document_id: int) -> ParsedDocument:
    """The stored document as a `ParsedDocument` (raises `RecordNotFound` if it has no content)."""
    loaded = load_documents(session, [document_id])
    if document_id not in loaded:
        raise RecordNotFound(what="已解析的文档", key=document_id)
    return loaded[document_id]


def load_documents(session: Session, document_ids: Sequence[int]) -> dict[int, ParsedDocument]:
    """Stored documents by id, in three bulk queries; ids without parsed content are left out."""
    ids = sorted(set(document_ids))
    if not ids:
        return {}
    rows = [
        row
        for row in session.scalars(select(DocumentRow).where(DocumentRow.id.in_(ids)))
        if row.text is not None and row.sha256 is not None and row.format is not None
    ]
    clauses: dict[int, list[Clause]] = {row.id: [] for row in rows}
    spans: dict[int, list[Span]] = {row.id: [] for row in rows}
    for c in session.scalars(
        select(ClauseRow).where(ClauseRow.document_id.in_(ids)).order_by(ClauseRow.document_id, ClauseRow.position)
    ):
        clauses[c.document_id].append(
            Clause(
                index=c.position,
                label=c.label,
                kind=ClauseKind(c.kind),
                number=c.number,
                text=c.text,
                start=c.start,
                end=c.end,
                parent=c.parent_position,
                depth=c.depth,
                headings=tuple(c.headings or ()),
                from_ocr=c.from_ocr,
            )
        )
    for s in session.scalars(
        select(SpanRow).where(SpanRow.document_id.in_(ids)).order_by(SpanRow.document_id, SpanRow.position)
    ):
        spans[s.document_id].append(
            Span(
                label=s.label,
                start=s.start,
                end=s.end,
                text=s.text,
                attrs=tuple((str(k), str(v)) for k, v in (s.attrs or ())),
            )
        )
    return {
        row.id: ParsedDocument(
            source=row.path,
            sha256=row.sha256 or "",
            format=SourceFormat(row.format or ""),
            text=row.text or "",
            meta=document_meta(row),
            clauses=tuple(clauses[row.id]),
            spans=tuple(spans[row.id]),
            pages=tuple(_page(p) for p in row.pages or ()),
            issues=tuple(_issue(i) for i in row.issues or ()),
        )
        for row in sorted(rows, key=lambda r: r.id)
    }


def document_meta(row: DocumentRow) -> DocumentMeta:
    """The metadata columns of a document row as `DocumentMeta`."""
    return DocumentMeta(
        title=row.title,
        wrapper_title=row.wrapper_title,
        doc_number=row.doc_number,
        issuer=row.issuer,
        issued_on=row.issued_on,
        effective_on=row.effective_on,
        valid_until=row.valid_until,
        validity_text=row.validity_text,
        doc_type=row.doc_type,
        kind=document_kind(row.kind),
        history=tuple(row.history or ()),
    )


def document_kind(value: str | None) -> DocumentKind:
    try:
        return DocumentKind(value or DocumentKind.UNKNOWN.value)
    except ValueError:
        return DocumentKind.UNKNOWN


def _page(data: dict[str, Any]) -> PageInfo:
    return PageInfo(
        number=data["number"], ocr=data.get("ocr", False), ocr_confidence=data.get("ocr_confidence")
    )


def _issue(data: dict[str, Any]) -> ExtractionIssue:
    return ExtractionIssue(
        stage=data["stage"], code=data["code"], message=data["message"], page=data.get("page")
    )


def find_document(session: Session, *, sha256: str | None = None, path: str | None = None) -> int | None:
    """Id of the document with this content hash, or of the current document at `path`."""
    if sha256 is not None:
        return session.scalar(select(DocumentRow.id).where(DocumentRow.sha256 == sha256))
    if path is not None:
        return session.scalar(
            select(DocumentRow.id)
            .where(DocumentRow.path == path, DocumentRow.is_current.is_(True))
            .order_by(DocumentRow.id.desc())
            .limit(1)
        )
    raise ValueError("find_document needs sha256 or path")


def documents_needing_review(session: Session, pipeline_version: str, corpus_version: str) -> list[int]:
    """Ids of current, parsed documents whose stored review is not for this pipeline and whole-corpus version.

    For the per-document corpus version (only documents whose laws changed), use
    `db.incremental.documents_to_review`.
    """
    wanted = DocumentRow.sha256 + literal(
        REVIEW_KEY_SEPARATOR + pipeline_version + REVIEW_KEY_SEPARATOR + corpus_version
    )
    rows = session.scalars(
        select(DocumentRow.id)
        .where(
            DocumentRow.is_current.is_(True),
            DocumentRow.text.is_not(None),
            or_(DocumentRow.review_key.is_(None), DocumentRow.review_key != wanted),
        )
        .order_by(DocumentRow.id)
    )
    return list(rows)


def documents_touching_laws(session: Session, law_titles: Iterable[str]) -> list[int]:
    """Ids of current documents whose latest review cited or matched any of these laws (canonical titles)."""
    titles = sorted(set(law_titles))
    if not titles:
        return []
    rows = session.scalars(
        select(DocumentRow.id)
        .where(
            DocumentRow.is_current.is_(True),
            DocumentRow.id.in_(
                select(DocumentLawRow.document_id).where(DocumentLawRow.law_title.in_(titles))
            ),
        )
        .order_by(DocumentRow.id)
    )
    return list(rows)
