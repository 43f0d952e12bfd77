"""Evidence spans: a blank Chinese spaCy pipeline with one rule component per span family.

The pipeline is ``spacy.blank("zh")`` with our one-token-per-character tokenizer (no download,
no word segmenter on the hot path: every pattern works on characters), one matcher pass that
runs every family's patterns (`EvidenceMatcher`), then one `EvidenceRuler` per family
(CITATION, DOC_NUMBER_CITATION, DEONTIC, SANCTION, LICENSING, COMPULSORY, FEE,
MARKET_RESTRICTION, AGENCY, DATE, DURATION) that extends, filters and normalises its matches,
and a precedence step that merges them into ``doc.spans["evidence"]``. It is built once per
process, on first use (`get_nlp`). See docs/nlp.md for labels and attributes.

Public API: `get_nlp`, `build_nlp`, `annotate_texts`, `annotate`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# Importing the components registers their factories and normalisers with spaCy.
from extractors.components import normalisers as _normalisers
from extractors.components import ruler as _ruler
from extractors.components import tokenizer as _tokenizer
from extractors.model import Clause, ParsedDocument, Span

_REGISTERED = (_normalisers, _ruler, _tokenizer)

# "qingli" is our one-token-per-character tokenizer (the default); "char" and "jieba" are
# spaCy's own Chinese segmenters, kept for the benchmark and for components that need words.
SEGMENTERS = ("qingli", "char", "jieba")
# nlp.pipe batch size: past a few hundred short clauses per batch nothing is gained, and memory grows.
DEFAULT_BATCH_SIZE = 256
# spaCy refuses texts longer than nlp.max_length; a document with no clause tree is annotated in
# line-aligned chunks of at most this many characters.
MAX_CHUNK_CHARS = 100_000


@dataclass(frozen=True, slots=True)
class Family:
    """One span family: its label, pattern file, normaliser and (optional) extender registry names."""

    name: str
    label: str
    normaliser: str
    extender: str | None = None


FAMILIES: tuple[Family, ...] = (
    Family("citation", "CITATION", "qingli.citation_attrs.v1", "qingli.citation_extend.v1"),
    Family("doc_number", "DOC_NUMBER_CITATION", "qingli.doc_number_attrs.v1", "qingli.doc_number_extend.v1"),
    Family("deontic", "DEONTIC", "qingli.deontic_attrs.v1"),
    Family("sanction", "SANCTION", "qingli.sanction_attrs.v1"),
    Family("licensing", "LICENSING", "qingli.licensing_attrs.v1"),
    Family("compulsory", "COMPULSORY", "qingli.compulsory_attrs.v1"),
    Family("fee", "FEE", "qingli.fee_attrs.v1"),
    Family("market_restriction", "MARKET_RESTRICTION", "qingli.market_restriction_attrs.v1"),
    Family("agency", "AGENCY", "qingli.agency_attrs.v1", "qingli.agency_extend.v1"),
    Family("date", "DATE", "qingli.date_attrs.v1"),
    Family("duration", "DURATION", "qingli.duration_attrs.v1"),
)
LABELS = tuple(f.label for f in FAMILIES)


def build_nlp(*, segmenter: str = "qingli", families: Sequence[str] | None = None) -> Language:
    """A fresh pipeline (use `get_nlp` for the shared one); `families` limits it to some family names."""
    if segmenter not in SEGMENTERS:
        raise ValueError(f"segmenter must be one of {SEGMENTERS}, not {segmenter!r}")
    tokenizer: dict[str, str] = (
        {"@tokenizers": "qingli.char_tokenizer.v1"}
        if segmenter == "qingli"
        else {"@tokenizers": "spacy.zh.ChineseTokenizer", "segmenter": segmenter}
    )
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": tokenizer}})
    chosen = [f for f in FAMILIES if families is None or f.name in families]
    nlp.add_pipe(
        "qingli_evidence_matcher_v1", name="matcher", config={"families": {f.name: f.label for f in chosen}}
    )
    for family in chosen:
        config: dict[str, object] = {
            "label": family.label,
            "normaliser": {"@misc": family.normaliser},
            "extender": {"@misc": family.extender} if family.extender else None,
        }
        nlp.add_pipe("qingli_evidence_ruler_v1", name=family.name, config=config)
    nlp.add_pipe(
        "qingli_evidence_precedence_v1", name="precedence", config={"labels": [f.label for f in chosen]}
    )
    return nlp


@cache
def get_nlp() -> Language:
    """The shared pipeline: character segmentation and every family, built once per process."""
    return build_nlp()


def doc_spans(doc: Doc) -> tuple[Span, ...]:
    """The evidence spans of a processed spaCy doc, as our plain `Span` values."""
    return tuple(
        Span(
            label=s.label_,
            start=s.start_char,
            end=s.end_char,
            text=s.text,
            attrs=s._.get(_ruler.ATTRS_EXTENSION),
        )
        for s in doc.spans[_ruler.EVIDENCE_KEY]
    )


def annotate_texts(
    texts: Iterable[str], *, batch_size: int = DEFAULT_BATCH_SIZE, nlp: Language | None = None
) -> list[tuple[Span, ...]]:
    """Evidence spans of each text, offsets into that text, in text order."""
    pipeline = nlp if nlp is not None else get_nlp()
    return [doc_spans(doc) for doc in pipeline.pipe(texts, batch_size=batch_size)]


def annotate(doc: ParsedDocument, *, batch_size: int = DEFAULT_BATCH_SIZE) -> ParsedDocument:
    """`doc` with `spans` found in its review units (offsets shifted into the document text)."""
    units = _outermost(list(doc.review_units()))
    pieces = [(u.start, u.text) for u in units] if units else _chunks(doc.text)
    found = annotate_texts((text for _, text in pieces), batch_size=batch_size)
    spans = [
        dataclasses.replace(s, start=s.start + offset, end=s.end + offset)
        for (offset, _), unit_spans in zip(pieces, found, strict=True)
        for s in unit_spans
    ]
    return dataclasses.replace(doc, spans=tuple(sorted(set(spans), key=lambda s: (s.start, s.end, s.label))))


def _outermost(units: list[Clause]) -> list[Clause]:
    """Review units not inside another one (an outline 一、 holds its （一）): each text is read once."""
    kept: list[Clause] = []
    for unit in sorted(units, key=lambda c: (c.start, -c.end)):
        if kept and unit.start >= kept[-1].start and unit.end <= kept[-1].end:
            continue
        kept.append(unit)
    return kept


def _chunks(text: str) -> list[tuple[int, str]]:
    """The whole text in line-aligned pieces no longer than MAX_CHUNK_CHARS."""
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + MAX_CHUNK_CHARS)
        if end < len(text):
            newline = text.rfind("\n", start, end)
            end = newline + 1 if newline > start else end
        pieces.append((start, text[start:end]))
        start = end
    return pieces
