"""What every check sees and returns, the check registry, sentences, and the generic pattern check.

A check is a pure function ``(rule, CheckInput) -> Iterable[Hit]`` registered under a versioned
name (``qingli.pattern.v1``) that catalogue entries refer to. Checks judge one sentence at a
time: the lawful context of a trigger (a cited superior provision, a negation, a voluntary
application) lives in the same sentence far more often than anywhere else in the clause.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from extractors.model import Clause, ClauseKind, DocumentKind, ParsedDocument, Span
from rules.catalogue import Rule
from rules.model import ArticleRef, Match, Resolution

# Sentence ends: 。；！？ and line breaks. Commas do not end a sentence: "违反…的，处…罚款" is one.
_SENTENCE_END = re.compile(r"[。；;！？!?\n]")
# A line that names a document rather than regulating anything: 关于收取…保证金的通知 states the
# subject of the notice; its clauses, not its title, are what a rule judges.
_TITLE_LINE = re.compile(
    r"^[^，,。；;：:]{2,80}(通知|通告|公告|意见|办法|规定|方案|细则|规则|措施|决定|计划|要点|文件|标准|条例)$"
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the document text (offsets into `doc.text`) and the review unit it belongs to."""

    start: int
    end: int
    text: str
    unit: Clause


@dataclass(frozen=True, slots=True)
class Hit:
    """A check's raw result: where the evidence is, and the fields for the rule's Chinese templates."""

    rule: str
    unit: Clause
    start: int
    end: int
    sentence: tuple[int, int]
    fields: Mapping[str, str] = field(default_factory=dict)
    superior: ArticleRef | None = None
    score: float | None = None

    @classmethod
    def in_sentence(
        cls, rule: Rule, sentence: Sentence, start: int, end: int, fields: Mapping[str, str]
    ) -> Hit:
        """Evidence [start, end) inside `sentence`, named by the sentence's review unit."""
        return cls(rule.id, sentence.unit, start, end, (sentence.start, sentence.end), fields)


@dataclass(frozen=True, slots=True)
class AgencyRename:
    """An agency name found in the text and the body that now carries its duties."""

    successor: str
    effective_on: date


@dataclass(frozen=True, slots=True)
class Limits:
    """Kind-dependent limits, overridable per run."""

    # 国发〔2021〕26号: fines set by 部门规章 without a superior law may not exceed 10万元 (20万元
    # for life, health and financial safety); the general cap is the one we apply.
    department_rule_fine: int = 100_000
    # Set by each province's standing committee; 3万元 is the common figure (e.g. 上海, 北京
    # 非经营活动/经营活动 ranges top out there). Override in ReviewContext for other provinces.
    local_rule_fine: int = 30_000


@dataclass(frozen=True, slots=True)
class CheckInput:
    """Everything a check may look at for one document; all of it already computed."""

    doc: ParsedDocument
    kind: DocumentKind
    as_of: date
    sentences: tuple[Sentence, ...]
    resolutions: tuple[Resolution, ...] = ()
    matches: tuple[Match, ...] = ()
    agency_successor: Callable[[str], AgencyRename | None] | None = None
    known_agency_endings: tuple[str, ...] = ()  # old agency names to look for when no AGENCY spans
    limits: Limits = Limits()

    def match_for(self, unit: Clause) -> Match | None:
        """The superior article matched to a review unit, if any."""
        return next((m for m in self.matches if m.clause_label == unit.label), None)


CheckFn = Callable[[Rule, CheckInput], Iterable[Hit]]
CHECKS: dict[str, CheckFn] = {}


def register_check(name: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check under a versioned name that catalogue entries refer to."""

    def wrap(fn: CheckFn) -> CheckFn:
        if name in CHECKS:
            raise ValueError(f"check {name!r} registered twice")
        CHECKS[name] = fn
        return fn

    return wrap


def whole_document(doc: ParsedDocument, kind: ClauseKind = ClauseKind.PREAMBLE) -> Clause:
    """The whole text as one unit labelled 全文, for text that no clause owns."""
    return Clause(
        index=-1,
        label="全文",
        kind=kind,
        number=None,
        text=doc.text,
        start=0,
        end=len(doc.text),
    )


def split_sentences(doc: ParsedDocument) -> tuple[Sentence, ...]:
    """The document's sentences, each assigned to the innermost review unit containing it.

    Text outside every review unit (红头, title, 落款) is not judged by clause rules.
    """
    units = sorted(doc.review_units(), key=lambda c: (c.start, -c.end))
    if not units:
        units = [whole_document(doc)]
    cuts = {0, len(doc.text)}
    for unit in units:
        cuts.update((unit.start, unit.end))
    cuts.update(m.end() for m in _SENTENCE_END.finditer(doc.text))
    points = sorted(cuts)
    sentences: list[Sentence] = []
    for a, b in itertools.pairwise(points):
        raw = doc.text[a:b]
        stripped = raw.strip()
        if not stripped:
            continue
        start = a + raw.index(stripped)
        end = start + len(stripped)
        if _TITLE_LINE.match(stripped) or stripped in (doc.meta.title, doc.meta.wrapper_title):
            continue
        owners = [u for u in units if u.start <= start and end <= u.end]
        if not owners:
            continue
        unit = max(owners, key=lambda u: (u.depth, u.start, -u.end))
        sentences.append(Sentence(start, end, stripped, unit))
    return tuple(sentences)


def unit_at(inp: CheckInput, offset: int) -> Clause | None:
    """The review unit whose sentence contains `offset`."""
    sentence = sentence_at(inp, offset)
    return sentence.unit if sentence else None


def sentence_at(inp: CheckInput, offset: int) -> Sentence | None:
    return next((s for s in inp.sentences if s.start <= offset < s.end), None)


def triggers(rule: Rule, doc: ParsedDocument, sentence: Sentence) -> list[tuple[int, int]]:
    """Trigger offsets in a sentence, in text order: where the rule's patterns match.

    A span label is a word, a pattern is a construction: 罚款 is tagged SANCTION in "公开罚款数额"
    too, while only "处…罚款" sets one. So a span triggers nothing alone; when a span of the rule's
    labels lies inside a pattern match, the span is the (narrower) evidence.
    """
    found: set[tuple[int, int]] = set()
    inside = [
        s for s in doc.spans if s.label in rule.labels and sentence.start <= s.start and s.end <= sentence.end
    ]
    for pattern in rule.patterns:
        for m in pattern.finditer(sentence.text):
            if m.end() <= m.start():
                continue
            start, end = sentence.start + m.start(), sentence.start + m.end()
            span = next((s for s in inside if start <= s.start and s.end <= end), None)
            found.add((span.start, span.end) if span is not None else (start, end))
    return sorted(found)


_CLAUSE_BREAK = re.compile(r"[，,：:]")


# A sentence that carries on the one before it (发现其具有前述行为记录的，不得录用) shares its basis.
_CARRIES_ON = re.compile(r"^[^，。；]{0,12}(前述|上述|前款|该|其)")


def excused(rule: Rule, sentence: Sentence, start: int) -> bool:
    """Whether the sentence gives the trigger at `start` a lawful context."""
    if any(p.search(sentence.text) for p in rule.excuses):
        return True
    if _CARRIES_ON.search(sentence.text):
        unit = sentence.unit
        before = unit.text[: max(0, sentence.start - unit.start)].rstrip("；;。 \n")
        previous = re.split(r"[。；;\n]", before)[-1] if before else ""
        if previous and any(p.search(previous) for p in rule.excuses):
            return True
    before = sentence.text[: start - sentence.start]
    pieces = _CLAUSE_BREAK.split(before)
    prefix = pieces[-1] if pieces else ""
    if any(p.search(prefix) for p in rule.prefix_excuses):
        return True
    return _under_negated_lead(rule, sentence)


_ITEM_START = re.compile(r"^[（(][一二三四五六七八九十]+[）)]|^[0-9]+[.．、]")


def _under_negated_lead(rule: Rule, sentence: Sentence) -> bool:
    """An item of a list whose lead sentence forbids it: 不得有下列行为：（一）限定购买…"""
    if not rule.prefix_excuses or not _ITEM_START.match(sentence.text):
        return False
    unit = sentence.unit
    head = unit.text[: max(0, sentence.start - unit.start)]
    colon = max(head.rfind("："), head.rfind(":"))
    if colon < 0:
        return False
    lead_start = max(head.rfind(c, 0, colon) for c in "。；\n") + 1
    lead = head[lead_start:colon]
    return any(p.search(lead) for p in rule.prefix_excuses)


# An item's title (（四）查封扣押期限。 / 二、职责分工) names a topic; it commands nothing.
_HEADING = re.compile(
    r"^(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)?[^，,；;：:。]{1,12}。?$"
)
_COMMANDS = re.compile(r"应当|不得|可以|必须|须|禁止|严禁|一律|处|予以|给予|收取|缴纳|交纳|责令|由")


def is_heading(text: str) -> bool:
    """A short title line without any verb of command: a topic, not a provision."""
    return _HEADING.match(text.strip()) is not None and _COMMANDS.search(text) is None


def pattern_hits(
    rule: Rule,
    inp: CheckInput,
    *,
    accept: Callable[[Sentence, int, int], bool] | None = None,
    fields: Callable[[Sentence, int, int], Mapping[str, str]] | None = None,
) -> Iterator[Hit]:
    """The generic check: the first unexcused trigger of each sentence, if `accept` agrees."""
    if not rule.applies_to(inp.kind):
        return
    for sentence in inp.sentences:
        if is_heading(sentence.text):
            continue
        for start, end in triggers(rule, inp.doc, sentence):
            if excused(rule, sentence, start):
                continue
            if accept is not None and not accept(sentence, start, end):
                continue
            extra = dict(fields(sentence, start, end)) if fields else {}
            extra.setdefault("evidence", inp.doc.text[start:end])
            yield Hit.in_sentence(rule, sentence, start, end, extra)
            break


def cited_law(sentence: str) -> str | None:
    """The first law title a sentence cites in 《》, for suggestions."""
    m = re.search(r"《([^》]{2,40})》", sentence)
    return m.group(1) if m else None


def spans_of(doc: ParsedDocument, label: str) -> list[Span]:
    return [s for s in doc.spans if s.label == label]


@register_check("qingli.pattern.v1")
def check_pattern(rule: Rule, inp: CheckInput) -> Iterable[Hit]:
    """Declarative rules: triggers and excuses come entirely from the catalogue entry."""
    return pattern_hits(rule, inp)
