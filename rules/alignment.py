"""Version alignment: which article of a later version of a law continues a given article of an earlier one.

Articles of consecutive versions are scored with rapidfuzz and aligned monotonically (a dynamic
programme over the score matrix, as in sequence alignment, with no gap penalty), so inserted and
deleted articles shift the numbering without breaking the chain; articles moved out of order are
then picked up by a stricter second pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from extractors.model import Article
from rules.model import Law, LawVersion

# Below this similarity (rapidfuzz `fuzz.ratio` of article bodies, 0..100) two articles are not the
# same provision. Calibrated on 立法法 2015→2023 and 反垄断法 2007→2022 (tests/rules/test_alignment.py):
# rewritten-but-continued articles scored 50–80, unrelated neighbours mostly 20–45.
MIN_ARTICLE_SIMILARITY = 50.0
# An article moved out of order is only accepted with this much similarity (the monotone pass cannot see it).
MOVED_ARTICLE_SIMILARITY = 80.0
# An article contained in a longer one (a 款 added around it) counts at this fraction of its partial
# ratio, so a verbatim but extended article (反垄断法 2007 第二十一条 → 2022 第二十六条) still links,
# yet never outranks a whole-text match of the same strength.
PARTIAL_WEIGHT = 0.9
TIE_BREAK = 0.001
# At or above this similarity an article counts as unchanged (punctuation or a renamed agency at most).
UNCHANGED_SIMILARITY = 95.0


@dataclass(frozen=True, slots=True)
class ArticleLink:
    """Article `old` of the earlier version continues as article `new` of the later one (None: deleted)."""

    old: int
    new: int | None
    score: float  # similarity 0..100; the confidence of the link

    @property
    def unchanged(self) -> bool:
        return self.new == self.old and self.score >= UNCHANGED_SIMILARITY


@dataclass(frozen=True, slots=True)
class VersionAlignment:
    """Links from every article of one version to the next version of the same law."""

    old_label: str | None
    new_label: str | None
    links: tuple[ArticleLink, ...]

    def link(self, old_number: int) -> ArticleLink | None:
        """The link of article `old_number` of the earlier version, or None if it had no such article."""
        return next((k for k in self.links if k.old == old_number), None)

    @property
    def renumbered(self) -> tuple[ArticleLink, ...]:
        """Links whose article number changed."""
        return tuple(k for k in self.links if k.new is not None and k.new != k.old)


def article_similarities(olds: list[str], news: list[str]) -> NDArray[np.float32]:
    """Similarity of every old article body to every new one: whole-text ratio, or a discounted
    partial ratio when one text contains most of the other (an article that gained a 款)."""
    whole = process.cdist(olds, news, scorer=fuzz.ratio, processor=None, dtype=np.float32)
    contained = process.cdist(olds, news, scorer=fuzz.partial_ratio, processor=None, dtype=np.float32)
    # Between equal scores, the pair that is more alike as a whole wins (an old article whose two
    # 款 became two new articles links to the one that continues its first 款).
    combined: NDArray[np.float32] = np.maximum(whole, contained * PARTIAL_WEIGHT) + whole * TIE_BREAK
    return combined


def _body(article: Article) -> str:
    """Article text without its label, so 第十条 vs 第十一条 does not count as a difference."""
    text = article.text.strip()
    return text.removeprefix(article.label).strip() if article.label else text


@lru_cache(maxsize=256)
def align_versions(old: LawVersion, new: LawVersion) -> VersionAlignment:
    """Align the articles of `old` to those of `new`, order-aware, with a similarity per link."""
    olds = [_body(a) for a in old.articles]
    news = [_body(a) for a in new.articles]
    if not olds or not news:
        deleted = tuple(ArticleLink(a.number, None, 0.0) for a in old.articles)
        return VersionAlignment(old.version_label, new.version_label, deleted)
    scores = article_similarities(olds, news)
    n, m = len(olds), len(news)
    gain = np.where(scores >= MIN_ARTICLE_SIMILARITY, scores - MIN_ARTICLE_SIMILARITY, -np.inf)
    # best[i, j]: best total gain aligning the first i old and first j new articles. Each row is a
    # running maximum: best[i, j] = max(best[i-1, j], best[i-1, j-1] + gain, best[i, j-1]).
    best = np.zeros((n + 1, m + 1), dtype=np.float64)
    for i in range(1, n + 1):
        candidates = np.maximum(best[i - 1, 1:], best[i - 1, :-1] + gain[i - 1])
        best[i, 1:] = np.maximum.accumulate(candidates)
    pairs: dict[int, tuple[int, float]] = {}
    i, j = n, m
    while i > 0 and j > 0:
        if best[i, j] == best[i - 1, j]:
            i -= 1
        elif best[i, j] == best[i, j - 1]:
            j -= 1
        else:
            pairs[i - 1] = (j - 1, float(scores[i - 1, j - 1]))
            i, j = i - 1, j - 1
    used = {jj for jj, _ in pairs.values()}
    for ii in range(n):
        if ii in pairs:
            continue
        candidates = [(float(scores[ii, jj]), jj) for jj in range(m) if jj not in used]
        if candidates:
            sim, jj = max(candidates)
            if sim >= MOVED_ARTICLE_SIMILARITY:
                pairs[ii] = (jj, sim)
                used.add(jj)
    links = []
    for ii, article in enumerate(old.articles):
        if ii in pairs:
            jj, sim = pairs[ii]
            links.append(ArticleLink(article.number, new.articles[jj].number, min(100.0, round(sim, 1))))
        else:
            links.append(ArticleLink(article.number, None, 0.0))
    return VersionAlignment(old.version_label, new.version_label, tuple(links))


def map_article(law: Law, number: int, *, start: LawVersion, end: LawVersion) -> ArticleLink | None:
    """Follow article `number` of version `start` through every later version up to `end`.

    The confidence of a chain is its weakest link. None when `start` has no such article or
    the versions are not both of `law`, in that order.
    """
    versions = list(law.versions)
    if start not in versions or end not in versions:
        return None
    first, last = versions.index(start), versions.index(end)
    if start.article(number) is None or first > last:
        return None
    current: int | None = number
    confidence = 100.0
    for older, newer in zip(versions[first:last], versions[first + 1 : last + 1], strict=True):
        if current is None:
            break
        link = align_versions(older, newer).link(current)
        if link is None:
            return None
        current = link.new
        confidence = min(confidence, link.score)
    return ArticleLink(number, current, confidence if current is not None else 0.0)
