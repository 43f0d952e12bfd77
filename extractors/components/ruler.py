"""The evidence ruler: one spaCy component per span family, driven by a JSONL pattern file.

Each family (CITATION, SANCTION, ...) is one `EvidenceRuler` in the pipeline. It matches the
family's patterns (token patterns over single characters, and phrase patterns), keeps the
longest non-overlapping matches, and asks the family's normaliser — a small registered
function — for the span's attributes. The normaliser may veto a match by looking at its
context (有权 inside 所有权): that keeps the patterns plain data and the exceptions in code.

Pattern files live in ``extractors/patterns/<family>.jsonl``: one JSON object per line,
``{"id": "fine", "pattern": [...token specs...]}`` or ``{"id": "obligation", "pattern": "应当"}``;
blank lines and lines starting with ``#`` are comments. Token patterns may say which words a
text must contain for them to match at all (``"requires"``, see `EvidenceMatcher`), and that
an occurrence of such a word at the start of a line cannot begin a match
(``"not_at_line_start": true``: 第十二条 opening an article is its heading). ``$NAME`` inside an ``IN``/``NOT_IN``
list stands for the character class ``NAME`` of ``classes.json``, so patterns read as
"a numeral, then 元" instead of a list of forty characters.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extractors.errors import PatternFileError

PATTERNS_DIR = Path(__file__).resolve().parent.parent / "patterns"
ATTRS_EXTENSION = "qingli_attrs"  # Span._.qingli_attrs: sorted (key, value) string pairs

Attrs = dict[str, str]
# Any-of word groups that must all occur in a text for a token pattern to be worth trying.
Requirement = tuple[tuple[str, ...], ...]
# A normaliser turns a matched span (its pattern id in ``span.id_``) into attributes, or
# returns None to veto the match.
Normaliser = Callable[[Span], Attrs | None]
# An extender returns the (start, end) tokens a span really covers, for families whose patterns
# anchor on a fixed word and take in open-ended text around it (the issuer before a 文号, the
# place before an agency, the article numbers after 本法). Doing that in code keeps the number
# of token patterns small, and the Matcher's cost grows with patterns x tokens.
Extender = Callable[[Span], tuple[int, int]]


def ensure_extension() -> None:
    """Register ``Span._.qingli_attrs`` once per process (spaCy keeps extensions globally)."""
    if not Span.has_extension(ATTRS_EXTENSION):
        Span.set_extension(ATTRS_EXTENSION, default=())


@cache
def char_classes() -> dict[str, tuple[str, ...]]:
    """Named character classes used by the pattern files (``$NUM``, ``$STOP`` ...)."""
    path = PATTERNS_DIR / "classes.json"
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise PatternFileError(str(path), line=0, detail=str(exc)) from exc
    return {
        name: tuple(dict.fromkeys(_chars(value))) for name, value in raw.items() if not name.startswith("#")
    }


def _chars(value: str | list[str]) -> list[str]:
    """A class is a string of characters, or a list of strings (for tokens like \\n)."""
    return list(value)


def load_patterns(family: str) -> list[dict[str, Any]]:
    """Read ``patterns/<family>.jsonl`` and expand its ``$CLASS`` references."""
    path = PATTERNS_DIR / f"{family}.jsonl"
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise PatternFileError(str(path), line=0, detail=str(exc)) from exc
    entries: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            entry = json.loads(stripped)
            if not isinstance(entry, dict) or "id" not in entry or "pattern" not in entry:
                raise ValueError("每行须有 id 和 pattern")
            if isinstance(entry["pattern"], list):
                entry["pattern"] = [_expand_token(spec) for spec in entry["pattern"]]
            requires = entry.get("requires", [])
            if not (isinstance(requires, list) and all(isinstance(g, list) and g for g in requires)):
                raise ValueError("requires 须是非空词组的列表")
        except (ValueError, KeyError) as exc:
            raise PatternFileError(str(path), line=number, detail=str(exc)) from exc
        entries.append(entry)
    return entries


def _expand_token(spec: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attr, value in spec.items():
        if isinstance(value, dict):
            out[attr] = {op: _expand_values(v) if op in ("IN", "NOT_IN") else v for op, v in value.items()}
        else:
            out[attr] = value
    return out


def _expand_values(values: str | list[str]) -> list[str]:
    classes = char_classes()
    items = [values] if isinstance(values, str) else values
    expanded: list[str] = []
    for item in items:
        if item.startswith("$"):
            if item[1:] not in classes:
                raise KeyError(f"未定义的字符类 {item}")
            expanded.extend(classes[item[1:]])
        else:
            expanded.append(item)
    return list(dict.fromkeys(expanded))


MATCHES_KEY = "qingli_matches"  # doc.user_data: [(label, pattern id, start token, end token), ...]
TEXT_KEY = "qingli_text"  # doc.user_data: the text as given to the tokenizer (taken by the matcher)
# A leading IN-list of up to this many characters is split into one pattern per character, so
# the Matcher (which tries every pattern at every token) compares a plain ORTH in C instead of
# calling a Python set predicate on every token. Larger classes are left as predicates.
MAX_ANCHOR_SPLIT = 12


class EvidenceMatcher:
    """Run every family's patterns over a doc and leave the raw matches for the family rulers.

    A spaCy Matcher walks every token and tries every one of its patterns there, so its cost is
    tokens x patterns. Token patterns therefore declare the words they cannot match without
    (``"requires": [["罚款"]]``, or any-of groups that must all be present: ``[["企业", "公司"],
    ["补贴", "奖励"]]``); patterns with the same requirement share a Matcher, and that Matcher
    runs only on texts that contain the words — a substring test, far cheaper than the walk —
    and only over the sentences that hold a word of the first group.
    Phrase patterns all go to one PhraseMatcher, which is a single hash walk whatever their number.
    """

    def __init__(self, nlp: Language, name: str, *, families: dict[str, str]) -> None:
        self.name = name
        self.phrase_matcher = PhraseMatcher(nlp.vocab)
        self.groups: dict[tuple[Requirement, bool], Matcher] = {}
        self.words: frozenset[str] = frozenset()
        self.keys: dict[int, tuple[str, str]] = {}
        for patterns, label in families.items():
            for entry in load_patterns(patterns):
                key = f"{label}|{entry['id']}"
                self.keys[nlp.vocab.strings.add(key)] = (label, str(entry["id"]))
                if isinstance(entry["pattern"], str):
                    self.phrase_matcher.add(key, [nlp.make_doc(entry["pattern"])])
                    continue
                requirement = tuple(tuple(group) for group in entry.get("requires", ()))
                # "not_at_line_start": a word at the start of a line cannot begin a match (第十二条
                # opening an article is its heading, never a citation), so it opens no window.
                self.words |= {word for words in requirement for word in words}
                group = (requirement, bool(entry.get("not_at_line_start", False)))
                matcher = self.groups.setdefault(group, Matcher(nlp.vocab))
                # Longest per pattern id already here: the rulers keep the longest anyway, and fewer
                # overlapping sub-matches (第十二条 inside 第十二条第二款) means fewer Spans to build.
                matcher.add(key, anchored_variants(entry["pattern"]), greedy="LONGEST")

    def __call__(self, doc: Doc) -> Doc:
        matches = list(self.phrase_matcher(doc))
        if self.groups:
            # doc.text re-joins every token; our tokenizer leaves the text it was given.
            text = doc.user_data.pop(TEXT_KEY, None) or doc.text
            sentences = _sentence_ends(text)
            present = {word for word in self.words if word in text}
            for (requirement, not_at_line_start), matcher in self.groups.items():
                if not all(present.intersection(group) for group in requirement):
                    continue
                words = requirement[0] if requirement else ()
                for start_char, end_char in _windows(
                    text, sentences, words, not_at_line_start=not_at_line_start
                ):
                    window = doc.char_span(start_char, end_char, alignment_mode="expand")
                    if window is not None:
                        offset = window.start
                        matches.extend((key, s + offset, e + offset) for key, s, e in matcher(window))
        doc.user_data[MATCHES_KEY] = [(*self.keys[key], start, end) for key, start, end in matches]
        return doc


# No pattern crosses these: a match lies inside one sentence (or clause of a sentence).
_SENTENCE_END = re.compile(r"[。；！？\n]")


def _sentence_ends(text: str) -> list[int]:
    return [m.end() for m in _SENTENCE_END.finditer(text)]


def _windows(
    text: str, sentence_ends: list[int], words: Sequence[str], *, not_at_line_start: bool = False
) -> list[tuple[int, int]]:
    """The sentences holding one of `words`, merged; the whole text when there are no words.

    Every token pattern contains a word of its first required group (what must stay true when
    writing ``requires``), so its matches lie in these sentences, and the Matcher walks them
    instead of the whole text.
    """
    if not words:
        return [(0, len(text))]
    spans: list[tuple[int, int]] = []
    for word in words:
        pos = text.find(word)
        while pos >= 0:
            if not_at_line_start and (pos == 0 or text[pos - 1] == "\n"):
                pos = text.find(word, pos + 1)
                continue
            i = bisect_right(sentence_ends, pos)
            start = sentence_ends[i - 1] if i > 0 else 0
            end = sentence_ends[i] if i < len(sentence_ends) else len(text)
            spans.append((start, end))
            pos = text.find(word, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def anchored_variants(pattern: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The same pattern with its leading optional or small IN-list tokens spelled out as plain ORTHs."""
    if not pattern:
        return [pattern]
    first, rest = pattern[0], pattern[1:]
    op = first.get("OP")
    orth = first.get("ORTH")
    if op == "?" and rest:
        required = {k: v for k, v in first.items() if k != "OP"}
        return anchored_variants([required, *rest]) + anchored_variants(rest)
    if op is None and isinstance(orth, dict) and set(orth) == {"IN"} and len(orth["IN"]) <= MAX_ANCHOR_SPLIT:
        return [[{"ORTH": ch}, *rest] for ch in orth["IN"]]
    return [pattern]


@Language.factory("qingli_evidence_matcher_v1", default_config={"families": {}})
def make_evidence_matcher(nlp: Language, name: str, *, families: dict[str, str]) -> EvidenceMatcher:
    return EvidenceMatcher(nlp, name, families=families)


class EvidenceRuler:
    """Turn one family's raw matches into evidence spans with normalised attributes (``Span._.qingli_attrs``)."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        label: str,
        normaliser: Normaliser,
        extender: Extender | None = None,
    ) -> None:
        ensure_extension()
        self.name = name
        self.label = label
        self.normaliser = normaliser
        self.extender = extender

    def __call__(self, doc: Doc) -> Doc:
        found = list(self.find(doc))
        if found:
            doc.spans[self.label] = found
        return doc

    def find(self, doc: Doc) -> Iterator[Span]:
        """The family's spans in `doc`: longest non-overlapping matches the normaliser accepts."""
        candidates = [
            Span(doc, start, end, label=self.label, span_id=key)
            for label, key, start, end in doc.user_data.get(MATCHES_KEY, ())
            if label == self.label
        ]
        if not candidates:
            return
        if self.extender is not None:
            # Extend before choosing the longest, so 《行政处罚法》第十二条 swallows the bare 第十二条.
            candidates = [self._extended(span) for span in candidates]
        for span in sorted(filter_spans(candidates), key=lambda s: s.start):
            attrs = self.normaliser(span)
            if attrs is None:
                continue  # vetoed by context: a lawful look-alike
            span._.set(ATTRS_EXTENSION, tuple(sorted(attrs.items())))
            yield span

    def _extended(self, span: Span) -> Span:
        assert self.extender is not None
        start, end = self.extender(span)
        if (start, end) == (span.start, span.end):
            return span
        return Span(span.doc, start, end, label=self.label, span_id=span.id)


@Language.factory(
    "qingli_evidence_ruler_v1",
    default_config={"label": "", "normaliser": None, "extender": None},
)
def make_evidence_ruler(
    nlp: Language,
    name: str,
    *,
    label: str,
    normaliser: Normaliser,
    extender: Extender | None,
) -> EvidenceRuler:
    return EvidenceRuler(nlp, name, label=label, normaliser=normaliser, extender=extender)


# Which families give way to which: a LICENSING span wholly inside a SANCTION span is the
# object of the sanction (吊销许可证), not a licensing requirement. Everything else that
# overlaps is kept: a SANCTION next to a CITATION is still a sanction, a DATE inside a
# DURATION is still a date.
SUPPRESSED_INSIDE: dict[str, tuple[str, ...]] = {
    "LICENSING": ("SANCTION", "FEE"),
    "COMPULSORY": ("SANCTION",),
    "DEONTIC": ("SANCTION",),
}
# The text of a cited title (《行政许可法》) is a name, not evidence of its own: spans of other
# families wholly inside it are dropped.
TITLE_LABEL = "CITATION"
EVIDENCE_KEY = "evidence"


class EvidencePrecedence:
    """Merge every family's spans into ``doc.spans["evidence"]``, applying the precedence rules."""

    def __init__(
        self, nlp: Language, name: str, *, labels: Iterable[str], suppressed_inside: dict[str, list[str]]
    ) -> None:
        ensure_extension()
        self.name = name
        self.labels = tuple(labels)
        self.suppressed_inside = {k: tuple(v) for k, v in suppressed_inside.items()}

    def __call__(self, doc: Doc) -> Doc:
        by_label = {label: list(doc.spans[label]) if label in doc.spans else [] for label in self.labels}
        titles = [t for s in by_label.get(TITLE_LABEL, []) if (t := _title_range(s)) is not None]
        kept: list[Span] = []
        for label, spans in by_label.items():
            outer = [s for other in self.suppressed_inside.get(label, ()) for s in by_label.get(other, [])]
            for span in spans:
                if label != TITLE_LABEL and any(
                    a <= span.start_char and span.end_char <= b for a, b in titles
                ):
                    continue
                if any(o.start <= span.start and span.end <= o.end for o in outer):
                    continue
                kept.append(span)
        kept.sort(key=lambda s: (s.start, s.end, s.label_))
        doc.spans[EVIDENCE_KEY] = kept
        doc.user_data.pop(MATCHES_KEY, None)
        doc.user_data.pop(TEXT_KEY, None)
        return doc


def _title_range(span: Span) -> tuple[int, int] | None:
    """Character range of the 《title》 a CITATION span opens with, if it has one."""
    text = span.text
    if not text or text[0] not in "《〈":
        return None
    close = "》" if text[0] == "《" else "〉"
    end = text.find(close)
    return None if end < 0 else (span.start_char, span.start_char + end + 1)


@Language.factory(
    "qingli_evidence_precedence_v1",
    default_config={"labels": [], "suppressed_inside": {k: list(v) for k, v in SUPPRESSED_INSIDE.items()}},
)
def make_evidence_precedence(
    nlp: Language, name: str, *, labels: list[str], suppressed_inside: dict[str, list[str]]
) -> EvidencePrecedence:
    return EvidencePrecedence(nlp, name, labels=labels, suppressed_inside=suppressed_inside)
