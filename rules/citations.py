"""Citation resolution: which law, which version, which article a citation points at, and is it still good law.

`resolve_citation` never raises for an unknown law: "no such law" is a status. 本法/该条例/前款
are resolved through a `CitationContext` that says which document is being read and which law
was cited last.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz

from extractors.model import ClauseKind, ParsedDocument, Span
from extractors.numerals import chinese_to_int, int_to_chinese
from rules.alignment import UNCHANGED_SIMILARITY, map_article
from rules.model import Citation, CitationStatus, Law, LawVersion, Resolution
from rules.registry import LawIndex

# An article that kept its number and at least this much of its text (rules.alignment similarity)
# is the same provision reworded. Read on the corpus's revisions: 道路运输条例 2019 → 2023 第二十四条
# and 第六十二条 (agency names and amounts updated) scored 90–91; articles replaced by another
# provision under the same number scored below 70.
KEPT_PROVISION_SIMILARITY = 85.0

# 本法 / 本条例 / 本办法: the document the citation is written in.
_SELF_REF = re.compile(
    r"^本(实施细则|实施办法|法|条例|规定|办法|细则|决定|规则|通知|意见|方案|章程|解释|准则|标准|规范|纲要)"
)
# 该法 / 上述条例 / 前述法律: the law cited last.
# 上述规定 alone usually means provisions above in the same text, so 规定 needs 该 to point outwards.
_THAT_REF = re.compile(
    r"^该(法律|法|条例|规定|办法|细则|决定|规则|实施细则|实施办法)"
    r"|^(上述|前述|上列)(法律|法|条例|办法|细则|决定|规则|实施细则|实施办法)"
)
# 该条 / 该款: the provision cited last.
_THAT_PROVISION = re.compile(r"^该(条|款|项)")
# 前款 / 本条 / 前两款 / 第三款 with no law named: a place inside the citing document.
_RELATIVE_REF = re.compile(
    r"^(前|本|上|下)(款|条|项|[两二三四五六七八九十]+[款条项])|^第[一二三四五六七八九十百零〇0-9]+[款条项]"
    r"|^(上述|前述)规定"
)
_CERTIFICATE_KINDS = frozenset({"certificate", "document"})
# Titles that only name a form and lean on the law cited before them.
_IMPLEMENTING_FORMS = frozenset({"实施条例", "实施细则", "实施办法"})


@dataclass(frozen=True, slots=True)
class CitationContext:
    """What 本法, 该条例 and 前款 mean where a citation stands."""

    document_title: str | None = None  # the citing document (本办法 → this)
    document_articles: frozenset[int] = frozenset()  # its article numbers, to check 本办法第N条
    last_law: str | None = None  # canonical title of the law cited last in the clause or document
    last_article: int | None = None  # the article cited last (该条)
    current_article: int | None = None  # the article the citation stands in (前款, 本条)

    @classmethod
    def for_document(cls, doc: ParsedDocument) -> CitationContext:
        """The context of a whole parsed document: its title and the article numbers 本办法第N条 may name."""
        articles = frozenset(
            c.number for c in doc.clauses if c.kind is ClauseKind.ARTICLE and c.number is not None
        )
        return cls(document_title=doc.meta.title, document_articles=articles)

    def after(self, resolution: Resolution) -> CitationContext:
        """The context for the next citation: a resolved external law becomes the last cited law."""
        external = resolution.law_title is not None and resolution.law_title != self.document_title
        if not external:
            return self
        return replace(self, last_law=resolution.law_title, last_article=resolution.citation.article)


def citation_from_span(span: Span) -> Citation | None:
    """A `Citation` from a CITATION or DOC_NUMBER_CITATION span; None for certificates and other documents."""
    if span.label == "DOC_NUMBER_CITATION":
        return Citation(
            raw=span.text,
            law_title=None,
            span=(span.start, span.end),
            doc_number=span.attr("doc_number") or span.text,
        )
    if span.label != "CITATION" or span.attr("kind") in _CERTIFICATE_KINDS:
        return None
    title = span.attr("law_title")
    return Citation(
        raw=span.text,
        law_title=title.strip("《》〈〉 ") or None if title else None,
        article=_number(span.attr("article")),
        paragraph=_number(span.attr("paragraph")),
        item=_number(span.attr("item")),
        span=(span.start, span.end),
    )


def _number(value: str | None) -> int | None:
    if not value:
        return None
    return chinese_to_int(value.strip().strip("第条款项（）()"))


def resolve_citation(
    cite: Citation,
    laws: LawIndex,
    *,
    doc_date: date | None,
    as_of: date,
    context: CitationContext | None = None,
) -> Resolution:
    """Resolve a citation to a law, the version in force on the document's date, and the current article."""
    context = context or CitationContext()
    if cite.doc_number and not cite.law_title:
        return Resolution(
            cite,
            CitationStatus.UNKNOWN_LAW,
            note=f"引用文号“{cite.doc_number}”的规范性文件，法规库不收录，需人工核对",
        )
    title = cite.law_title
    if title is None:
        return _resolve_reference(cite, laws, doc_date=doc_date, as_of=as_of, context=context)
    match = laws.find_title(title)
    if match is None and title in _IMPLEMENTING_FORMS and context.last_law is not None:
        # 《实施条例》 right after 《中华人民共和国X法》 means X法's implementing regulation.
        match = laws.find_title(context.last_law + title)
    if match is None:
        return Resolution(cite, CitationStatus.UNKNOWN_LAW, note=f"法规库中未找到《{title}》，需人工核对")
    if match.ambiguous:
        names = "、".join(f"《{law.title}》" for law in match.candidates)
        return Resolution(
            cite, CitationStatus.AMBIGUOUS, score=match.score, note=f"《{title}》可能指{names}，需人工确定"
        )
    return _resolve_in_law(cite, match.law, match.score, doc_date=doc_date, as_of=as_of)


def resolve_citations(
    cites: Iterable[Citation],
    laws: LawIndex,
    *,
    doc_date: date | None,
    as_of: date,
    context: CitationContext | None = None,
) -> Iterator[Resolution]:
    """Resolve a document's citations in order, so 该法 and 上述条例 follow the law cited before them."""
    current = context or CitationContext()
    for cite in cites:
        resolution = resolve_citation(cite, laws, doc_date=doc_date, as_of=as_of, context=current)
        current = current.after(resolution)
        yield resolution


def _resolve_reference(
    cite: Citation, laws: LawIndex, *, doc_date: date | None, as_of: date, context: CitationContext
) -> Resolution:
    """本法 / 该条例 / 前款: a citation that names no law."""
    raw = cite.raw.strip().lstrip("《〈“")
    if _THAT_REF.match(raw):
        if context.last_law is None:
            return Resolution(
                cite, CitationStatus.UNKNOWN_LAW, note=f"“{raw[:4]}”之前没有引用法律，无法确定所指"
            )
        return resolve_citation(
            replace(cite, law_title=context.last_law), laws, doc_date=doc_date, as_of=as_of, context=context
        )
    if _THAT_PROVISION.match(raw) and context.last_law is not None:
        article = cite.article if cite.article is not None else context.last_article
        return resolve_citation(
            replace(cite, law_title=context.last_law, article=article),
            laws,
            doc_date=doc_date,
            as_of=as_of,
            context=context,
        )
    if _SELF_REF.match(raw) or _RELATIVE_REF.match(raw) or _THAT_PROVISION.match(raw):
        own = laws.find_title(context.document_title) if context.document_title else None
        if own is not None and not own.ambiguous and own.score >= 100.0:
            # The citing text is itself a law of the corpus (e.g. a superior law read from the corpus).
            article = cite.article if cite.article is not None else context.current_article
            return _resolve_in_law(
                replace(cite, article=article), own.law, 100.0, doc_date=doc_date, as_of=as_of
            )
        return _resolve_in_document(cite, context)
    return Resolution(cite, CitationStatus.UNKNOWN_LAW, note=f"无法判断“{cite.raw}”所指的法律")


def _resolve_in_document(cite: Citation, context: CitationContext) -> Resolution:
    """A reference to the citing document itself: only the article number can be checked."""
    article = cite.article
    if article is not None and context.document_articles and article not in context.document_articles:
        return Resolution(
            cite,
            CitationStatus.NO_SUCH_ARTICLE,
            law_title=context.document_title,
            score=100.0,
            note=f"本文件没有第{int_to_chinese(article)}条",
        )
    return Resolution(
        cite,
        CitationStatus.OK,
        law_title=context.document_title,
        current_article=article,
        score=100.0,
        note="引用本文件的条款",
    )


def _resolve_in_law(
    cite: Citation, law: Law, score: float, *, doc_date: date | None, as_of: date
) -> Resolution:
    base = Resolution(cite, CitationStatus.OK, law_title=law.title, score=score, successor=law.successor)
    if law.repealed_on is not None and law.repealed_on <= as_of:
        return replace(base, status=CitationStatus.REPEALED_LAW, note=_repeal_note(law, law.repealed_on))
    if law.versions and law.versions[-1].expired and law.repealed_on is None:
        return replace(
            base,
            status=CitationStatus.REPEALED_LAW,
            note=f"《{law.title}》已失效（废止日期未收录），需核对现行依据",
        )
    if not law.versions:
        note = "法规库未收录该法条文，未核对条款" if cite.article is not None else None
        return replace(base, current_article=cite.article, note=note)
    day = doc_date or as_of
    in_force = law.version_on(day)
    cited = in_force or law.versions[0]
    current = law.version_on(as_of) or law.versions[-1]
    base = replace(base, version_label=cited.version_label)
    if in_force is None and doc_date is not None:
        # The corpus starts after the document was made: the numbering it cites cannot be checked
        # against the text it meant, only against the oldest text there is.
        base = replace(base, note=f"文件制定时施行的《{law.title}》版本未收录，按{_version_name(cited)}核对")
    if cite.article is None:
        return base
    where = f"第{int_to_chinese(cite.article)}条"
    if not cited.articles:
        return replace(base, current_article=cite.article, note="法规库中该法未切分出条文，未核对条款")
    article = cited.article(cite.article)
    if article is None:
        return replace(
            base,
            status=CitationStatus.NO_SUCH_ARTICLE,
            note=f"《{law.title}》{_version_name(cited)}没有{where}",
        )
    if cite.paragraph is not None and article.paragraphs and cite.paragraph > len(article.paragraphs):
        return replace(
            base,
            status=CitationStatus.NO_SUCH_ARTICLE,
            current_article=cite.article,
            note=f"《{law.title}》{where}只有{int_to_chinese(len(article.paragraphs))}款，没有第{int_to_chinese(cite.paragraph)}款",
        )
    if cited is current:
        return replace(base, current_article=cite.article)
    link = map_article(law, cite.article, start=cited, end=current)
    if link is not None and link.new == cite.article and link.score >= UNCHANGED_SIMILARITY:
        return replace(base, current_article=cite.article)
    if link is not None and link.new == cite.article and link.score >= KEPT_PROVISION_SIMILARITY:
        # Same number, the same provision reworded (an agency renamed, an amount updated): the
        # citation still leads the reader to the right text; say so, do not call it stale.
        note = f"《{law.title}》{f'第{int_to_chinese(cite.article)}条'}在现行版本（{_version_name(current)}）中有文字修改（相似度{link.score:.0f}%），援引仍然有效"
        return replace(base, current_article=cite.article, note=note)
    moved = link.new if link is not None else None
    old_name, current_name = _version_name(cited), _version_name(current)
    if link is None or moved is None:
        note = f"《{law.title}》{where}（{old_name}）在现行版本（{current_name}）中已删除或无法对应"
    elif moved == cite.article:
        note = f"《{law.title}》{where}在现行版本（{current_name}）中内容已修改（相似度{link.score:.0f}%）"
    else:
        note = (
            f"《{law.title}》{where}（{old_name}）在现行版本（{current_name}）中"
            f"对应第{int_to_chinese(moved)}条（相似度{link.score:.0f}%）"
        )
    return replace(base, status=CitationStatus.OLD_VERSION, current_article=moved, note=note)


def _version_name(version: LawVersion) -> str:
    day = version.published_on or version.effective_on
    return f"{day.year}年版本" if day else "所引版本"


def _repeal_note(law: Law, repealed_on: date) -> str:
    when = f"{repealed_on.year}年{repealed_on.month}月{repealed_on.day}日"
    if law.successor:
        return f"《{law.title}》已于{when}废止，由《{law.successor}》取代"
    return f"《{law.title}》已于{when}废止"


_TITLED_CITATION = re.compile(
    r"《(?P<title>[^《》\n]{1,120})》"
    r"(?:第(?P<article>[零〇一二三四五六七八九十百千0-9]{1,8})条(?:之[一二三四五六七八九十]+)?)?"
    r"(?:第(?P<paragraph>[一二三四五六七八九十0-9]{1,3})款)?"
    r"(?:第[（(]?(?P<item>[一二三四五六七八九十0-9]{1,3})[）)]?项)?"
)


def titled_citations(text: str) -> Iterator[Citation]:
    """Every 《title》[第N条[第M款[第K项]]] in `text`: a regex baseline for corpus-wide measurement, not the spaCy extractor."""
    for match in _TITLED_CITATION.finditer(text):
        yield Citation(
            raw=match.group(0),
            law_title=match.group("title").strip() or None,
            article=_number(match.group("article")),
            paragraph=_number(match.group("paragraph")),
            item=_number(match.group("item")),
            span=(match.start(), match.end()),
        )


# --- Does the cited article say what the clause attributes to it? ---

# What a clause says besides its citation must be this long (normalised characters) to be compared:
# "依照……第九十三条的规定处理" attributes nothing checkable to the article.
CONTENT_MIN_CHARS = 12
# The article that holds the content: the best partial_ratio over the law's articles at least this.
CONTENT_FOUND = 65.0
# The cited article does not hold it: its own partial_ratio at most this, and at least
# `CONTENT_GAP` below the holder. Read by hand: hearing notices attributed to 行政处罚法 第四十二条
# (2021 text: who may enforce) scored 31–32 there and 69–80 in 第六十三条; clauses that cite the
# right article scored 66–100 in it.
CONTENT_ABSENT = 45.0
CONTENT_GAP = 25.0
_BASIS_WORDS = re.compile(
    r"依照|按照|根据|依据|遵照|参照|遵守|执行|的规定|规定的|有关规定|规定|办理|处理|组织|进行"
)


@lru_cache(maxsize=65536)
def _normalised_article(text: str) -> str:
    """An article's text as the matcher reads it, kept: a document cites the same law clause after clause."""
    from rules.matcher import normalise_for_index

    return normalise_for_index(text)


def check_cited_content(
    resolution: Resolution, sentence: str, law: Law, *, doc_date: date | None
) -> Resolution:
    """The resolution, or an OLD_VERSION one when the cited article plainly holds other content.

    Documents keep citing an article by its old number after a revision renumbered the law
    (行政处罚法 第四十二条 for hearings, 第六十三条 since 2021). When the corpus lacks the old
    text the number cannot be checked, but the content can: what the sentence says besides the
    citation is looked for in every article of the cited version; if another article holds it
    and the cited one does not, the citation is stale.
    """
    from rules.matcher import normalise_for_index

    cite = resolution.citation
    if resolution.status is not CitationStatus.OK or cite.article is None or not law.versions:
        return resolution
    version = law.version_on(doc_date) if doc_date else None
    version = version or law.versions[-1]
    if not version.articles or version.article(cite.article) is None:
        return resolution
    content = _BASIS_WORDS.sub("", normalise_for_index(sentence.replace(cite.raw, "")))
    if len(content) < CONTENT_MIN_CHARS:
        return resolution
    scores = [(fuzz.partial_ratio(content, _normalised_article(a.text)), a.number) for a in version.articles]
    best_score, best = max(scores)
    cited_score = next(score for score, number in scores if number == cite.article)
    if (
        best == cite.article
        or best_score < CONTENT_FOUND
        or cited_score > CONTENT_ABSENT
        or best_score - cited_score < CONTENT_GAP
    ):
        return resolution
    current = law.version_on(date.max) or law.versions[-1]
    holder = best
    if current is not version:
        link = map_article(law, best, start=version, end=current)
        holder = link.new if link is not None and link.new is not None else best
    where, there = f"第{int_to_chinese(cite.article)}条", f"第{int_to_chinese(holder)}条"
    return replace(
        resolution,
        status=CitationStatus.OLD_VERSION,
        current_article=holder,
        note=f"所引《{law.title}》{where}并无该条款所述内容，相应规定现为{there}（可能沿用了修订前的条文序号）",
    )
