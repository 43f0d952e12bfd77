"""Small builders for rule tests: a ParsedDocument from inline Chinese text, spans placed by text."""

from __future__ import annotations

from datetime import date

from extractors.model import DocumentKind, DocumentMeta, ParsedDocument, SourceFormat, Span
from extractors.structure import split_clauses
from rules.checks import CheckInput, split_sentences
from rules.model import Match, Resolution

AS_OF = date(2026, 11, 1)


def make_doc(
    text: str,
    *,
    kind: DocumentKind = DocumentKind.NORMATIVE_DOCUMENT,
    title: str | None = None,
    spans: tuple[Span, ...] = (),
    **meta: object,
) -> ParsedDocument:
    """A document whose clause tree comes from the real splitter; no spaCy, spans as given."""
    return ParsedDocument(
        source="test.txt",
        sha256="0" * 64,
        format=SourceFormat.TXT,
        text=text,
        meta=DocumentMeta(title=title, kind=kind, **meta),  # type: ignore[arg-type]
        clauses=split_clauses(text),
        spans=spans,
    )


def span_of(doc_text: str, label: str, text: str, *attrs: tuple[str, str], nth: int = 0) -> Span:
    """A span over the `nth` occurrence of `text` in the document text."""
    start = -1
    for _ in range(nth + 1):
        start = doc_text.index(text, start + 1)
    return Span(label, start, start + len(text), text, tuple(sorted(attrs)))


def check_input(
    doc: ParsedDocument,
    *,
    kind: DocumentKind | None = None,
    as_of: date = AS_OF,
    resolutions: tuple[Resolution, ...] = (),
    matches: tuple[Match, ...] = (),
) -> CheckInput:
    return CheckInput(
        doc=doc,
        kind=kind or doc.meta.kind,
        as_of=as_of,
        sentences=split_sentences(doc),
        resolutions=resolutions,
        matches=matches,
    )
