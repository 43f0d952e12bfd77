"""The pure per-document review the flows call: citations, matches, rule checks, one recommendation.

Stages, in order: (1) annotation — if `doc.spans` is empty and `ReviewContext.annotate` is true the
spaCy pipeline (`extractors.nlp.annotate`) runs here; flows normally annotate before; (2) citations
resolved against the LawIndex; (3) review units matched to superior articles when an ArticleIndex
is given; (4) every catalogue rule's check; (5) precedence — one problem, one finding; (6) the
retain / amend / repeal recommendation.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from extractors.model import DocumentKind, ParsedDocument, Span
from rules.catalogue import Catalogue, Rule, load_catalogue
from rules.checks import CHECKS, AgencyRename, CheckInput, Hit, Limits, split_sentences
from rules.model import Finding, LegalBasis, Match, Recommendation, Resolution
from rules.recommend import recommend

if TYPE_CHECKING:
    from rules.matcher import ArticleIndex
    from rules.registry import LawIndex


# Matches are asked for from this score, below the matcher's general floor (MIN_MATCH_SCORE, 75):
# a restatement whose fine was raised scores 68-74 precisely because its amounts differ. The rules
# that read matches between this floor and 75 need a concrete difference (a higher amount, an added
# penalty type) — see rules.checks.references — so a topic neighbour alone yields no finding.
REVIEW_MATCH_FLOOR = 65.0


@dataclass(frozen=True, slots=True)
class ReviewContext:
    """Settings of one review run: the date, the document kind override, the indexes, the rules."""

    as_of: date
    kind_override: DocumentKind | None = None  # wins over the kind the extractor found
    laws: LawIndex | None = None  # citation resolution, agency renamings, basis texts
    articles: ArticleIndex | None = None  # clause ↔ superior article matching (optional)
    catalogue: Catalogue | None = None  # default: the shipped catalogue
    rules: frozenset[str] | None = None  # run only these rule ids (default: all)
    limits: Limits = field(default_factory=Limits)
    annotate: bool = True  # run extractors.nlp.annotate on documents that have no spans

    def __post_init__(self) -> None:
        catalogue = self.catalogue or load_catalogue()
        if self.laws is not None:
            catalogue = catalogue.with_basis_text(_basis_text(self.laws))
        object.__setattr__(self, "catalogue", catalogue)
        if self.rules is not None:
            unknown = self.rules - set(catalogue.ids)
            if unknown:
                raise ValueError(f"ReviewContext.rules: unknown rule ids {sorted(unknown)}")

    @property
    def active_catalogue(self) -> Catalogue:
        assert self.catalogue is not None  # set in __post_init__
        return self.catalogue


@dataclass(frozen=True, slots=True)
class DocumentReview:
    """Everything the review found about one document."""

    doc: ParsedDocument  # as reviewed (annotated)
    kind: DocumentKind  # the kind the rules were applied for
    resolutions: tuple[Resolution, ...]
    matches: tuple[Match, ...]
    findings: tuple[Finding, ...]
    recommendation: Recommendation
    touched_laws: tuple[str, ...]  # canonical titles of the laws the review relied on


def _basis_text(laws: LawIndex) -> Callable[[LegalBasis], str | None]:
    def find(basis: LegalBasis) -> str | None:
        if basis.article is None:
            return None
        found = laws.find_title(basis.law_title)
        version = found.law.current if found is not None else None
        article = version.article(basis.article) if version is not None else None
        return article.text if article is not None else None

    return find


def _annotated(doc: ParsedDocument, ctx: ReviewContext) -> ParsedDocument:
    if doc.spans or not ctx.annotate:
        return doc
    from extractors.nlp import annotate  # the spaCy pipeline is built on first use

    return annotate(doc)


# Titles that can only name a law or regulation, whatever kind the span tagger guessed.
_LAW_TITLE = re.compile(r"(法|通则|条例|法典)$")


def _as_law(span: Span) -> Span:
    """A CITATION span of a title that can only be a law, re-kinded as one (《民法通则》 is no 文件)."""
    title = (span.attr("law_title") or "").strip("《》 ")
    if span.attr("kind") == "document" and _LAW_TITLE.search(title):
        return replace(span, attrs=tuple((k, "law" if k == "kind" else v) for k, v in span.attrs))
    return span


def _resolutions(doc: ParsedDocument, ctx: ReviewContext) -> tuple[Resolution, ...]:
    if ctx.laws is None:
        return ()
    from rules.citations import CitationContext, citation_from_span, resolve_citations

    cites = [
        c
        for c in (citation_from_span(_as_law(s)) for s in doc.spans if s.label == "CITATION")
        if c is not None
    ]
    context = CitationContext(document_title=doc.meta.title)
    doc_date = text_date(doc)
    resolved = list(resolve_citations(cites, ctx.laws, doc_date=doc_date, as_of=ctx.as_of, context=context))
    return tuple(_content_checked(doc, resolved, ctx.laws, doc_date))


def text_date(doc: ParsedDocument) -> date | None:
    """The date of the text as it reads: the last amendment a regulation's history records, else its issue.

    A regulation passed in 2021 and amended in 2024 cites the superior law as it stood in 2024;
    judging its 《立法法》第十一条 against the 2015 numbering would call a correct citation stale.
    """
    from extractors.dates import parse_date

    amended = [d for d in (parse_date(line) for line in doc.meta.history) if d is not None]
    dated = [d for d in (doc.meta.issued_on, *amended) if d is not None]
    return max(dated) if dated else doc.meta.effective_on


_SENTENCE_BREAK = re.compile(r"[。；;\n]")
_ARTICLE_NUMBER = re.compile(r"第[零〇一二两三四五六七八九十百千0-9]+条")


def _content_checked(
    doc: ParsedDocument, resolved: list[Resolution], laws: LawIndex, doc_date: date | None
) -> Iterable[Resolution]:
    """Each resolution, with the content of its sentence checked against the cited article.

    Only where the sentence cites one article: with two, which content goes with which is a guess.
    """
    from rules.citations import check_cited_content

    bounds = [_sentence_bounds(doc.text, *r.citation.span) for r in resolved]
    per_sentence = Counter(b for b, r in zip(bounds, resolved, strict=True) if r.citation.article is not None)
    for (start, end), resolution in zip(bounds, resolved, strict=True):
        found = laws.find_title(resolution.law_title) if resolution.law_title else None
        several = len(_ARTICLE_NUMBER.findall(resolution.citation.raw)) > 1  # 第四十九条、第五十一条
        # 违反《…》第十八条规定的，处……: the article names the duty broken, the content is the penalty.
        violated = (
            "违反" in doc.text[max(start, resolution.citation.span[0] - 4) : resolution.citation.span[0]]
        )
        if found is None or several or violated or per_sentence[(start, end)] != 1:
            yield resolution
            continue
        yield check_cited_content(resolution, doc.text[start:end], found.law, doc_date=doc_date)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    before = max((m.end() for m in _SENTENCE_BREAK.finditer(text, 0, start)), default=0)
    after = _SENTENCE_BREAK.search(text, end)
    return before, after.start() if after else len(text)


def _matches(doc: ParsedDocument, ctx: ReviewContext) -> tuple[Match, ...]:
    if ctx.articles is None:
        return ()
    from rules.matcher import match_document

    # Laws the document cites anywhere (根据《消防法》 in 第一条) are what its later clauses restate.
    cited = {
        title.strip("《》 ")
        for s in doc.spans
        if s.label == "CITATION" and s.attr("kind") == "law" and (title := s.attr("law_title"))
    }
    return tuple(match_document(doc, ctx.articles, cited_laws=cited, min_score=REVIEW_MATCH_FLOOR))


def _agency_successor(ctx: ReviewContext) -> Callable[[str], AgencyRename | None] | None:
    if ctx.laws is None:
        return None
    registry = ctx.laws.registry

    def successor(name: str) -> AgencyRename | None:
        change = registry.agency_successor(name, as_of=ctx.as_of)
        return AgencyRename(change.successor, change.effective_on) if change is not None else None

    return successor


def _agency_endings(ctx: ReviewContext) -> tuple[str, ...]:
    if ctx.laws is None:
        return ()
    return tuple(a.old_name for a in ctx.laws.registry.agencies)


def document_kind(doc: ParsedDocument, ctx: ReviewContext) -> DocumentKind:
    """The kind the rules apply for: the run's override, else the extractor's; unknown reads as 规范性文件."""
    kind = ctx.kind_override or doc.meta.kind
    return DocumentKind.NORMATIVE_DOCUMENT if kind is DocumentKind.UNKNOWN else kind


def run_checks(inp: CheckInput, catalogue: Catalogue, only: frozenset[str] | None = None) -> list[Hit]:
    """Every rule's raw hits, before precedence."""
    hits: list[Hit] = []
    for rule in catalogue:
        if only is not None and rule.id not in only:
            continue
        hits.extend(CHECKS[rule.check](rule, inp))
    return hits


# Overrides that hold across the sentences of one clause: a clause that restates a superior
# penalty and raises it (penalty-range-exceeded) restates it in its 情节严重的… sentence too.
CLAUSE_WIDE_OVERRIDES = frozenset({("penalty-range-exceeded", "penalty-creation")})


def apply_precedence(hits: Iterable[Hit], catalogue: Catalogue) -> list[Hit]:
    """One problem, one finding: drop hits overridden on the same sentence, and repeats of a rule there.

    The same evidence under the same rule in one clause is one problem too (市工商局 named in
    three sentences of 第十二条 is one agency to rename there, not three findings).
    """
    kept: list[Hit] = []
    seen: set[tuple[str, str, int, str]] = set()
    ordered = sorted(hits, key=lambda h: (catalogue.precedence.index(h.rule), h.start))
    for hit in ordered:
        same_sentence = [k for k in kept if _overlap(k.sentence, hit.sentence)]
        if any(k.rule == hit.rule or catalogue.overrides(k.rule, hit.rule) for k in same_sentence):
            continue
        same_clause = [k for k in kept if k.unit.label == hit.unit.label and k.unit.start == hit.unit.start]
        if any((k.rule, hit.rule) in CLAUSE_WIDE_OVERRIDES for k in same_clause):
            continue
        repeat = (hit.rule, hit.unit.label, hit.unit.start, hit.fields.get("evidence", ""))
        if repeat[3] and repeat in seen:
            continue
        seen.add(repeat)
        kept.append(hit)
    return sorted(kept, key=lambda h: (h.start, catalogue.precedence.index(h.rule)))


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def to_finding(hit: Hit, rule: Rule, doc: ParsedDocument) -> Finding:
    """A hit made into a reviewer-facing finding with Chinese message and 修改建议."""
    return Finding(
        rule=rule.id,
        severity=rule.severity,
        clause_label=hit.unit.label,
        clause_text=hit.unit.text,
        evidence=doc.text[hit.start : hit.end],
        span=(hit.start, hit.end),
        message=rule.render(rule.message, hit.fields),
        suggestion=rule.render(rule.suggestion, hit.fields),
        basis=rule.basis,
        superior=hit.superior,
        score=hit.score,
    )


def review_document(doc: ParsedDocument, ctx: ReviewContext) -> DocumentReview:
    """Review one parsed document: findings with evidence, and a retain / amend / repeal recommendation."""
    catalogue = ctx.active_catalogue
    doc = _annotated(doc, ctx)
    kind = document_kind(doc, ctx)
    resolutions = _resolutions(doc, ctx)
    matches = _matches(doc, ctx)
    inp = CheckInput(
        doc=doc,
        kind=kind,
        as_of=ctx.as_of,
        sentences=split_sentences(doc),
        resolutions=resolutions,
        matches=matches,
        agency_successor=_agency_successor(ctx),
        known_agency_endings=_agency_endings(ctx),
        limits=ctx.limits,
    )
    hits = apply_precedence(run_checks(inp, catalogue, ctx.rules), catalogue)
    findings = tuple(to_finding(h, catalogue.get(h.rule), doc) for h in hits)
    recommendation = recommend(doc, findings, as_of=ctx.as_of, catalogue=catalogue)
    touched = {r.law_title for r in resolutions if r.law_title}
    touched |= {m.superior.law_title for m in matches}
    touched |= {f.superior.law_title for f in findings if f.superior is not None}
    return DocumentReview(
        doc=doc,
        kind=kind,
        resolutions=resolutions,
        matches=matches,
        findings=findings,
        recommendation=recommendation,
        touched_laws=tuple(sorted(touched)),
    )


def with_kind(doc: ParsedDocument, kind: DocumentKind) -> ParsedDocument:
    """A copy of `doc` whose metadata names `kind` (for tests and notebooks)."""
    return replace(doc, meta=replace(doc.meta, kind=kind))
