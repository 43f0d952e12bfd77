"""Clause ↔ superior article matcher: which article of which law does a clause restate?

Two stages, so that a clause never meets every article of the corpus one by one:

1. **Retrieval** — every article of the version in force is turned into a character n-gram
   TF-IDF vector once (`ArticleIndex.build`); a batch of clauses becomes one sparse query
   matrix and one sparse product with the index gives every clause's cosine against every
   article. The best `RETRIEVAL_CANDIDATES` per clause go on.
2. **Re-ranking** — RapidFuzz compares the clause with each candidate character by character:
   the coverage is the longest common subsequence (``LCSseq``, explicit ``processor=None`` on
   texts normalised by `normalise_for_index`) as a share of the clause's length, i.e. how much
   of the clause reappears, in order, in the article. The final score blends it with the cosine.
   (``fuzz.partial_ratio`` ranked the same within 0.001 of recall but ran 2–3× slower on long
   articles; ``fuzz.ratio`` punishes a clause for quoting only part of a long article.)

Laws the clause or its document cites (``cited_laws``) get `CITED_LAW_BOOST`: a normative
document that says 根据《道路交通安全法》 almost always restates that law, and without the boost
the same boilerplate sentence in another law may win.

Glossary: 条 article, 款 paragraph, 上位法 superior law.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz.distance import LCSseq

from extractors.model import Article, ParsedDocument
from extractors.numerals import chinese_to_int
from rules.model import ArticleRef, Law, Match
from rules.provisions import diff_provisions
from rules.registry import title_key

if TYPE_CHECKING:
    from numpy.typing import NDArray
    from scipy.sparse import csr_matrix

# --- Thresholds and weights (calibrated on the corpus-built evaluation, see docs/matcher.md) ---

# Character n-gram sizes of the vectoriser. Bigrams carry most of the signal in Chinese legal
# text; trigrams sharpen near-duplicate boilerplate across laws. On the evaluation (2, 2) was
# 2× slower (denser postings) at slightly lower recall; (3, 3) matched recall but not speed.
NGRAM_RANGE = (2, 3)
# n-grams in more than this share of articles (违反, 应当, 人民政府...) carry little idf weight
# but make the sparse product dense. On 3,000 restatements (seed 5) recall@1 without / with
# citations was 0.9957 / 0.9993 at 0.01 and at 0.005, 0.9950 / 0.9987 at 0.0025, while
# throughput rose 340 → 480 → 590 clauses/s (at 0.05 the product alone was 5× slower than at
# 0.01). 0.005 (n-grams in more than ~290 of 58k articles) is the last step that costs nothing.
# Applied only from `MIN_ARTICLES_FOR_PRUNING` articles on.
MAX_DOCUMENT_FREQUENCY = 0.005
# Candidates handed from retrieval to RapidFuzz. Retrieval alone already had recall@5 ≥ 0.997;
# 10 instead of 30 lost 0.0005 of recall@1 and saved little, as the re-ranker is cheap.
RETRIEVAL_CANDIDATES = 30
# Share of the final score that comes from the RapidFuzz coverage (0..100); the rest from the
# retrieval cosine (×100). Coverage alone favours long articles (they contain any short clause's
# characters in order); cosine alone misses reordered paraphrase. 0.4 / 0.6 / 0.8 gave recall@1
# 0.993 / 0.993 / 0.9945 without citations; 0.8 was best with and without.
RERANK_WEIGHT = 0.8
# Cosine added to articles of a cited law before candidates are cut, and points added to
# their final score. Calibrated on 3,000 restatements (seed 5), recall@1 with citations:
# no boost 0.9943; (0.05, 5) 0.9983; (0.15, 10) 0.9983; (0.3, 10) 0.9983; (0.15, 20) 0.9963;
# (0.3, 30) 0.9950 — beyond 10 points the boost pulls a wrong article of the cited law above
# the right one. (0.15, 10) sits in the middle of the plateau. A boost, not a restriction:
# documents cite a law and then restate its implementing regulation.
CITED_LAW_BOOST = 0.15
CITED_LAW_BOOST_POINTS = 10.0
# Clauses per sparse product. The product keeps only non-zero cosines (≈ 5,000 per clause on
# the national corpus, after `MAX_DOCUMENT_FREQUENCY`), so 1,024 clauses hold ≈ 40 MB.
BATCH_ROWS = 1024
# `match_document` reports a unit's best article only at or above this final score. Calibrated
# by holding out a fifth of the laws: correct top-1 scores of restatements of indexed laws had
# a minimum of 73.9 and a 1st percentile of 82.5 (75 keeps 99.9% of them); restatements of
# held-out laws scored a median of 40.6 (the 7% above 75 mostly restate a twin article of
# another law); a document's own matter (联系人……, 请各单位认真贯彻执行, 由市司法局负责解释)
# scored 40–54 and 本办法自……起施行 71.
MIN_MATCH_SCORE = 75.0
# An enumerated item (see `item_passages`) is a candidate only if at least this share of the
# item's own text reappears, in order, in the clause. Restatements of one item keep 0.49–1.0 of
# it in the cases read by hand (消防法 第六十条 items 2 and 3, 噪声污染防治法 第八十二条 items 1
# and 3, 食品安全法 第一百二十六条 item 6 with one of its two alternatives dropped); a clause that
# shares only the lead-in's wording and amounts with an item kept 0.33 (道路交通安全法 第九十九条
# item 5 against a restatement of 第九十条).
ITEM_MIN_SHARE = 0.4

_COUNTRY = "中华人民共和国"
# 根据《……》第十条规定， / 依照……的有关规定： at the start of a clause or sentence: the basis,
# not the content, so it is left out of the vector (the cited law feeds the boost instead).
_BASIS_PREFIX = re.compile(
    r"(^|[。；;\n])\s*(?:根据|依据|依照|按照)[^，。；：,;:\n]{0,80}?(?:的)?(?:有关)?规定[，,：:]"
)
_TITLE = re.compile(r"《([^《》]{1,80})》")
# Clause texts of parsed documents start with their label (第四十七条 …); articles do not.
_LEADING_LABEL = re.compile(r"^\s*第[零〇一二两三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?\s*")
_SELF_REFERENCE = re.compile(r"本(?:法|条例|规定|办法|细则|解释|决定)")
# 第十一条第二款第（三）项: numbering inside a text is its own, not content. Kept, 违反本条例第十一条
# in a local regulation read as 违反本法第十一条 of whichever law has the same number.
_ARTICLE_REFERENCE = re.compile(
    r"第[零〇一二两三四五六七八九十百千0-9]+条(?:之[一二三四五六七八九十]+)?"
    r"(?:第[零〇一二两三四五六七八九十0-9]+款)?(?:第?[（(]?[零〇一二两三四五六七八九十0-9]+[)）]?项)?"
)
# A number directly before a unit of measure: 一万元 / 1万元 / 10000元 all read 10000元.
_NUMBER_BEFORE_UNIT = re.compile(
    r"(?P<num>[0-9０-９]+(?:[.．][0-9０-９]+)?[万亿]?|[零〇一二两三四五六七八九十百千万亿]+)"
    r"(?=元|日|天|个月|年|倍|次|小时|%|％)"
)
_NOT_WORD = re.compile(r"[\W_]+")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def normalise_for_index(text: str) -> str:
    """Reduce a clause or article to what the vectoriser should see: no country name, basis prefix,
    titles, article references or punctuation; numbers canonical."""
    s = _LEADING_LABEL.sub("", text.replace(_COUNTRY, ""))
    s = _BASIS_PREFIX.sub(r"\1", s)
    s = _TITLE.sub("", s)
    s = _SELF_REFERENCE.sub("", s)
    s = _ARTICLE_REFERENCE.sub("", s)
    s = _NUMBER_BEFORE_UNIT.sub(_canonical_number, s)
    return _NOT_WORD.sub("", s)


def _canonical_number(m: re.Match[str]) -> str:
    raw = m.group("num").translate(_FULLWIDTH)
    scale = 1
    if raw[-1] in "万亿" and raw[:-1].replace(".", "", 1).isdigit():
        scale = 10_000 if raw[-1] == "万" else 100_000_000
        raw = raw[:-1]
    if raw.replace(".", "", 1).isdigit():
        value = float(raw) * scale
        return str(int(value)) if value.is_integer() else str(value)
    parsed = chinese_to_int(raw)
    return str(parsed) if parsed is not None else m.group("num")


# Unicode code points fit in 21 bits, so an n-gram of up to three characters packs into one
# uint64 key: the whole vocabulary is a sorted integer array, looked up with searchsorted.
_CODE_POINT_BITS = 21
_MAX_PACKED_CHARS = 3
# Document-frequency pruning only means something on a corpus; on a handful of articles every
# shared n-gram would exceed the share and be dropped.
MIN_ARTICLES_FOR_PRUNING = 1000
# Articles counted per block while fitting: bounds the transient memory of the n-gram arrays
# (4,096 articles ≈ 1M n-gram occurrences ≈ 30 MB of scratch).
FIT_CHUNK_TEXTS = 4096


class CharNgramVectoriser:
    """Character n-gram TF-IDF with scikit-learn's weighting, vectorised in numpy.

    Same numbers as ``TfidfVectorizer(analyzer="char", sublinear_tf=True, smooth_idf=True)``
    (checked in the tests), but n-grams are counted with array operations instead of Python
    dictionaries: the full national corpus indexes in seconds rather than most of a minute.
    """

    def __init__(self, *, ngram_range: tuple[int, int] = NGRAM_RANGE, max_df: float = 1.0) -> None:
        low, high = ngram_range
        if not 1 <= low <= high <= _MAX_PACKED_CHARS:
            raise ValueError(f"ngram_range must lie within 1..{_MAX_PACKED_CHARS}, got {ngram_range}")
        if not 0.0 < max_df <= 1.0:
            raise ValueError(f"max_df must be a share in (0, 1], got {max_df}")
        self.ngram_range = ngram_range
        self.max_df = max_df
        self.vocabulary: NDArray[np.uint64] = np.empty(0, dtype=np.uint64)  # sorted packed keys
        self.idf: NDArray[np.float32] = np.empty(0, dtype=np.float32)

    def fit_transform(self, texts: Sequence[str]) -> csr_matrix:
        """Learn vocabulary and idf from `texts`; return their L2-normalised TF-IDF rows."""
        from scipy.sparse import csr_matrix, vstack

        # Count chunk by chunk against each chunk's own vocabulary, then map the chunks onto the
        # union: sorting a few hundred thousand keys at a time is faster than sorting them all at
        # once, and the full list of n-gram occurrences never sits in memory.
        blocks: list[tuple[NDArray[np.uint64], csr_matrix]] = []
        for start in range(0, len(texts), FIT_CHUNK_TEXTS):
            chunk = texts[start : start + FIT_CHUNK_TEXTS]
            rows, keys = self._ngrams(chunk)
            local, features = np.unique(keys, return_inverse=True)
            counts = csr_matrix(
                (np.ones(len(keys), np.float32), (rows, features.ravel())), shape=(len(chunk), len(local))
            )
            counts.sum_duplicates()
            blocks.append((local, counts))
        vocabulary = _sorted_unique(
            np.concatenate([local for local, _ in blocks] or [np.empty(0, np.uint64)])
        )
        # Local feature ids -> global ones; both vocabularies are sorted, so the mapping keeps
        # each row's column order and the blocks stay canonical CSR.
        global_ids = [np.searchsorted(vocabulary, local)[c.indices] for local, c in blocks]
        df = np.zeros(len(vocabulary), dtype=np.int64)
        for ids in global_ids:
            df += np.bincount(ids, minlength=len(vocabulary))
        n = len(texts)
        kept = df <= self.max_df * n if n >= MIN_ARTICLES_FOR_PRUNING else np.ones(len(vocabulary), bool)
        new_id = (np.cumsum(kept) - 1).astype(np.int32)
        pieces: list[csr_matrix] = []
        for (_, c), ids in zip(blocks, global_ids, strict=True):
            keep = kept[ids]
            row_of = np.repeat(np.arange(c.shape[0]), np.diff(c.indptr))
            indptr = np.concatenate(([0], np.cumsum(np.bincount(row_of[keep], minlength=c.shape[0]))))
            pieces.append(
                csr_matrix((c.data[keep], new_id[ids[keep]], indptr), shape=(c.shape[0], int(kept.sum())))
            )
        blocks.clear()
        global_ids.clear()
        vocabulary, df = vocabulary[kept], df[kept]
        counts = (
            vstack(pieces, format="csr", dtype=np.float32)
            if pieces
            else csr_matrix((0, len(vocabulary)), dtype=np.float32)
        )
        self.vocabulary = vocabulary
        self.idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
        return self._weigh(counts)

    def transform(self, texts: Sequence[str]) -> csr_matrix:
        """TF-IDF rows of `texts` over the learnt vocabulary (unknown n-grams are ignored)."""
        from scipy.sparse import csr_matrix

        rows, keys = self._ngrams(texts)
        shape = (len(texts), len(self.vocabulary))
        if not len(self.vocabulary):
            return csr_matrix(shape, dtype=np.float32)
        positions = np.minimum(np.searchsorted(self.vocabulary, keys), len(self.vocabulary) - 1)
        known = self.vocabulary[positions] == keys
        counts = csr_matrix(
            (np.ones(int(known.sum()), np.float32), (rows[known], positions[known])), shape=shape
        )
        counts.sum_duplicates()
        return self._weigh(counts)

    def _ngrams(self, texts: Sequence[str]) -> tuple[NDArray[np.int32], NDArray[np.uint64]]:
        """Row and packed key of every n-gram of every text (n-grams never cross texts)."""
        joined = "\x00".join(t.replace("\x00", "") for t in texts) + "\x00"
        points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        boundary = points == 0
        row_of = (np.cumsum(boundary) - boundary).astype(np.int32)
        all_rows: list[NDArray[np.int32]] = [np.empty(0, np.int32)]
        all_keys: list[NDArray[np.uint64]] = [np.empty(0, np.uint64)]
        low, high = self.ngram_range
        for n in range(low, high + 1):
            m = len(points) - n + 1
            if m <= 0:
                continue
            keys = np.zeros(m, dtype=np.uint64)
            crosses = np.zeros(m, dtype=bool)
            for offset in range(n):
                keys = (keys << np.uint64(_CODE_POINT_BITS)) | points[offset : offset + m]
                crosses |= boundary[offset : offset + m]
            inside = ~crosses
            all_rows.append(row_of[:m][inside])
            all_keys.append(keys[inside])
        return np.concatenate(all_rows), np.concatenate(all_keys)

    def _weigh(self, counts: csr_matrix) -> csr_matrix:
        counts.data = ((1 + np.log(counts.data)) * self.idf[counts.indices]).astype(np.float32)
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        counts.data /= np.repeat(norms, np.diff(counts.indptr)).astype(np.float32)
        return counts


def _sorted_unique(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """np.unique by sorting: numpy ≥ 2.3 hashes instead, which was 8× slower on these keys."""
    ordered = np.sort(values)
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    return ordered[first]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One superior article proposed for a clause, with the scores that put it there."""

    superior: ArticleRef
    score: float  # 0..100 final: blend of RapidFuzz and cosine, plus the cited-law points
    coverage: float  # 0..100 share of the clause found in order in the article (RapidFuzz LCSseq)
    retrieval: float  # 0..1 TF-IDF cosine, before any boost
    cited: bool  # the article's law is among those the clause cites
    passage: str = ""  # the lead-in and item that matched, when an item did better than the article


@dataclass(frozen=True, slots=True)
class _Entry:
    ref: ArticleRef
    law: int  # position of the law in `ArticleIndex.law_titles`
    passage: str = ""  # one enumerated item with its lead-in; "" for the whole article
    item: str = ""  # that item alone, normalised: the clause must restate it, not just the lead-in


# An enumerated item of an article: （一）…, (二)…, 一、… at the start of a line.
_ITEM_START = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)")
_LEAD_IN_END = re.compile(r"[：:]\s*$")


def item_passages(text: str) -> list[tuple[str, str]]:
    """(lead-in, item) for every enumerated item of an article, in order.

    A penalty article reads "有下列行为之一的，处……罚款：（一）……；（二）……"; the documents
    that restate it take one item and its penalty and write "……的，处……罚款". Against the
    whole article such a restatement loses both ways: the other items dilute the cosine and
    the lead-in stands before the item, so the in-order coverage keeps only one of the two.
    """
    return [(lead_in, item) for lead_in, item, _ in _items_with_tails(text)]


def _items_with_tails(text: str) -> list[tuple[str, str, str]]:
    """(lead-in, item, tail): the tail is what follows the list (个人有前款行为的，处……), often its fines."""
    lines = text.split("\n")
    found: list[tuple[str, str, int]] = []
    lead_in = ""
    for i, line in enumerate(lines):
        if _ITEM_START.match(line):
            if lead_in:
                found.append((lead_in, line.strip(), i))
            continue
        lead_in = line.strip() if _LEAD_IN_END.search(line) else ""
    result: list[tuple[str, str, str]] = []
    for lead_in, item, i in found:
        j = i
        while j < len(lines) and _ITEM_START.match(lines[j]):
            j += 1
        result.append((lead_in, item, "\n".join(line.strip() for line in lines[j:] if line.strip())))
    return result


class ArticleIndex:
    """Character n-gram TF-IDF index over the articles of the laws in force, for batched matching."""

    def __init__(
        self,
        *,
        entries: Sequence[_Entry],
        normalised: Sequence[str],
        law_titles: Sequence[str],
        title_lookup: dict[str, int],
        vectoriser: CharNgramVectoriser,
        matrix_t: csr_matrix,
    ) -> None:
        self._entries = tuple(entries)
        self._normalised = tuple(normalised)
        self.law_titles = tuple(law_titles)
        self._law_of = np.array([e.law for e in self._entries], dtype=np.int32)  # article -> law
        self._title_lookup = title_lookup
        self._vectoriser = vectoriser
        self._matrix_t = matrix_t  # n-grams × articles, so a query batch multiplies from the left

    @classmethod
    def build(cls, laws: Iterable[Law], *, as_of: date | None = None) -> ArticleIndex:
        """Index every article of each law's current version (or the version in force on `as_of`)."""
        entries: list[_Entry] = []
        normalised: list[str] = []
        law_titles: list[str] = []
        title_lookup: dict[str, int] = {}
        for law in laws:
            version = law.current if as_of is None else law.version_on(as_of)
            if version is None or not version.articles:
                continue
            position = len(law_titles)
            law_titles.append(law.title)
            for title in (law.title, version.title, *law.short_titles):
                title_lookup.setdefault(title_key(title), position)
            for article in version.articles:
                ref = _ref(version.title, version.version_label, article)
                entries.append(_Entry(ref, position))
                normalised.append(normalise_for_index(article.text))
                # Each item again, written the way a restatement orders it: conduct, then penalty.
                for lead_in, item, tail in _items_with_tails(article.text):
                    passage = "\n".join(p for p in (lead_in, item, tail) if p)
                    entries.append(
                        _Entry(ref, position, passage, normalise_for_index(_ITEM_START.sub("", item)))
                    )
                    normalised.append(normalise_for_index(f"{_ITEM_START.sub('', item)}{lead_in}"))
        vectoriser = CharNgramVectoriser(ngram_range=NGRAM_RANGE, max_df=MAX_DOCUMENT_FREQUENCY)
        matrix = vectoriser.fit_transform(normalised)
        return cls(
            entries=entries,
            normalised=normalised,
            law_titles=law_titles,
            title_lookup=title_lookup,
            vectoriser=vectoriser,
            matrix_t=matrix.T.tocsr(),
        )

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return (
            f"ArticleIndex(laws={len(self.law_titles)}, articles={len(self._entries)}, "
            f"ngrams={len(self._vectoriser.vocabulary)})"
        )

    def law_position(self, title: str) -> int | None:
        """Position of a law in the index from a title as cited (short or full, with or without 《》)."""
        return self._title_lookup.get(_cited_title_key(title))

    def match(
        self,
        texts: Sequence[str],
        *,
        k: int = 5,
        cited_laws: Sequence[set[str]] | None = None,
    ) -> list[list[Candidate]]:
        """The `k` best superior articles for each text, best first; cited laws are boosted."""
        if cited_laws is not None and len(cited_laws) != len(texts):
            raise ValueError("cited_laws must give one set of titles per text")
        results: list[list[Candidate]] = []
        if not self._entries:
            return [[] for _ in texts]
        for start in range(0, len(texts), BATCH_ROWS):
            chunk = texts[start : start + BATCH_ROWS]
            cited_chunk = cited_laws[start : start + BATCH_ROWS] if cited_laws is not None else None
            results.extend(self._match_chunk(chunk, k=k, cited_laws=cited_chunk))
        return results

    def _match_chunk(
        self, texts: Sequence[str], *, k: int, cited_laws: Sequence[set[str]] | None
    ) -> list[list[Candidate]]:
        from rapidfuzz.process import cpdist

        queries = [normalise_for_index(t) for t in texts]
        # One sparse product for the whole chunk: clauses × articles cosines. Rows stay sparse:
        # an article sharing no indexed n-gram with the clause is no candidate, and top-k over
        # a row's few thousand non-zeros is far cheaper than over every article.
        cosines = (self._vectoriser.transform(queries) @ self._matrix_t).tocsr()
        shortlists: list[_Shortlist] = []
        for row, query in enumerate(queries):
            lo, hi = cosines.indptr[row], cosines.indptr[row + 1]
            cited = self._cited_positions(cited_laws[row]) if cited_laws is not None else set()
            shortlists.append(self._shortlist(query, cosines.indices[lo:hi], cosines.data[lo:hi], cited))
        # One RapidFuzz call for every (clause, candidate) pair of the chunk, on all cores.
        pair_queries = [queries[row] for row, s in enumerate(shortlists) for _ in range(len(s.articles))]
        pair_articles = [self._normalised[i] for s in shortlists for i in s.articles.tolist()]
        common = cpdist(
            pair_queries, pair_articles, scorer=LCSseq.similarity, processor=None, dtype=np.int32, workers=-1
        )
        # Items compete only where the clause restates the item itself: the lead-in ("有下列行为
        # 之一的，由公安机关交通管理部门处二百元以上二千元以下罚款") is shared by every item of it.
        item_pairs = [
            (row, j, self._entries[i].item)
            for row, s in enumerate(shortlists)
            for j, i in enumerate(s.articles.tolist())
            if self._entries[i].item
        ]
        item_common = (
            cpdist(
                [queries[row] for row, _, _ in item_pairs],
                [item for _, _, item in item_pairs],
                scorer=LCSseq.similarity,
                processor=None,
                dtype=np.int32,
                workers=-1,
            )
            if item_pairs
            else np.empty(0, np.int32)
        )
        weak_items: dict[int, set[int]] = {}
        for (row, j, item), shared in zip(item_pairs, item_common.tolist(), strict=True):
            if shared < ITEM_MIN_SHARE * len(item):
                weak_items.setdefault(row, set()).add(j)
        results: list[list[Candidate]] = []
        offset = 0
        for row, (query, shortlist) in enumerate(zip(queries, shortlists, strict=True)):
            n = len(shortlist.articles)
            coverage = 100.0 * common[offset : offset + n] / max(1, len(query))
            offset += n
            results.append(self._rank(shortlist, coverage, k=k, skip=weak_items.get(row, set())))
        return results

    def _cited_positions(self, titles: set[str]) -> set[int]:
        found = (self.law_position(t) for t in titles)
        return {p for p in found if p is not None}

    def _shortlist(
        self, query: str, articles: NDArray[np.int32], cosines: NDArray[np.float32], cited: set[int]
    ) -> _Shortlist:
        """The `RETRIEVAL_CANDIDATES` best articles of one clause by (boosted) cosine."""
        if not query or not len(articles):
            return _Shortlist(np.empty(0, np.int32), np.empty(0, np.float32), np.empty(0, bool))
        n = min(RETRIEVAL_CANDIDATES, len(articles))
        if not cited:
            top = np.argpartition(-cosines, n - 1)[:n]
            return _Shortlist(articles[top], cosines[top], np.zeros(n, dtype=bool))
        laws = self._law_of[articles]
        # Usually one cited law: a comparison is cheaper than a membership test.
        is_cited = laws == next(iter(cited)) if len(cited) == 1 else np.isin(laws, list(cited))
        boosted = np.where(is_cited, cosines + CITED_LAW_BOOST, cosines)
        top = np.argpartition(-boosted, n - 1)[:n]
        return _Shortlist(articles[top], cosines[top], is_cited[top])

    def _rank(
        self, shortlist: _Shortlist, coverage: NDArray[np.float64], *, k: int, skip: set[int]
    ) -> list[Candidate]:
        final = RERANK_WEIGHT * coverage + (1 - RERANK_WEIGHT) * 100 * shortlist.cosines
        final = np.minimum(100.0, final + CITED_LAW_BOOST_POINTS * shortlist.cited)
        # Best final score first; the cosine breaks ties (several articles quoting one sentence).
        candidates: list[Candidate] = []
        seen: set[int] = set()  # an article and its items are one candidate: the best of them
        for j in np.lexsort((-shortlist.cosines, -final)).tolist():
            entry = self._entries[shortlist.articles[j]]
            if j in skip or id(entry.ref) in seen:
                continue
            seen.add(id(entry.ref))
            candidates.append(
                Candidate(
                    superior=entry.ref,
                    score=round(float(final[j]), 2),
                    coverage=round(float(coverage[j]), 2),
                    retrieval=float(shortlist.cosines[j]),
                    cited=bool(shortlist.cited[j]),
                    passage=entry.passage,
                )
            )
            if len(candidates) == k:
                break
        return candidates


@dataclass(frozen=True, slots=True)
class _Shortlist:
    """One clause's retrieval candidates, aligned arrays."""

    articles: NDArray[np.int32]  # positions in the index
    cosines: NDArray[np.float32]  # unboosted
    cited: NDArray[np.bool_]


@lru_cache(maxsize=4096)
def _cited_title_key(title: str) -> str:
    """`title_key` of a cited title, cached: the same few titles are cited in clause after clause."""
    return title_key(title)


def _ref(law_title: str, version_label: str | None, article: Article) -> ArticleRef:
    return ArticleRef(
        law_title=law_title, version_label=version_label, article=article.number, text=article.text
    )


def cited_titles(text: str) -> set[str]:
    """Law titles a text cites in 《》, as written."""
    return {m.group(1) for m in _TITLE.finditer(text)}


# A unit of several sentences may restate several provisions (the hearing notice of one article
# and the hearing time limit of the next); each sentence is matched on its own as well, and kept
# where it finds an article the whole unit did not. Sentences shorter than this (normalised) say
# too little to be matched on their own.
MIN_SENTENCE_CHARS = 15
# A sentence, or a penalty's conduct, is matched on its own only from this score: one sentence of
# a clause shares its topic with neighbouring articles far more often than a whole clause does. On
# the real local regulations (36b7602), extra matches from 75 raised superior-conflict findings
# from 20 to 65 and penalty-range-exceeded from 15 to 31, and a hand-read sample found most of them
# paired with the wrong article; from 85 they add 14 and 8, and no labelled problem of the five
# evaluation sets is lost (90 loses one).
SENTENCE_MIN_SCORE = 85.0
# Articles scoring within this many points of the best are its rivals (`Match.rivals`): a clause
# whose fine one of them sets word for word restates that one, not a raised version of the best
# (a Shanghai food-safety fine equal to 食品安全法 第一百二十六条, paired with 第一百二十二条).
RIVAL_MARGIN = 5.0
MAX_RIVALS = 2
# A penalty clause's conduct — what comes before the words that set the penalty — matched alone finds the
# provision whose penalty the clause re-sets even when the clause rewrote most of that penalty
# (按每株……处以罚款；情节严重的，责令停业整顿 against 可以并处罚款): the changed penalty is what
# pulls the whole clause's score down. Shorter conducts are too generic to be matched alone.
MIN_CONDUCT_CHARS = 10
_SENTENCE_END = re.compile(r"(?<=[。；;])")
_PIECE_BREAK = re.compile(r"[，,；;：:]")
_CONTINUES = re.compile(r"(情节|逾期|拒不|造成|有违法所得|没有违法所得|违法所得|对其?直接负责|并处|构成犯罪)")
_PENALTY = re.compile(r"罚款|没收|吊销|暂扣|拘留|警告|通报批评|责令停产停业|责令关闭|停业整顿")


# What a sentence says beyond boilerplate: references to the document's own articles (违反本条例
# 第十条规定), list leads (有下列行为之一的) and the words and figures of a fine, which are the same
# in hundreds of articles, are not content to match on.
_BOILERPLATE = re.compile(
    r"违反(?:(?:本|该)(?:条例|办法|规定|细则|决定)|第[^，。；]{1,20}?[条款项])[^，。；]{0,24}?规定[的，,]?"
    r"|(有|具有)?下列(行为|情形)之一的?|情节(较重|严重|特别严重)的|逾期(不|未)改正的|拒不改正的"
    r"|[0-9.]+(元|倍)|以上|以下|罚款|并处|处以?|可以|给予|警告|责令(限期)?改正"
)


def content_chars(text: str) -> int:
    """Normalised characters of `text` that are not boilerplate (see `_BOILERPLATE`)."""
    return len(_BOILERPLATE.sub("", normalise_for_index(text)))


def _extra_queries(text: str) -> list[tuple[str, str, str]]:
    """(kind, query, excerpt) of one unit besides the unit itself: its sentences, and the conduct of
    its penalty sentences (compared, once matched, through the whole sentence)."""
    body = _LEADING_LABEL.sub("", text)
    queries: list[tuple[str, str, str]] = []
    sentences = [p.strip() for p in _SENTENCE_END.split(body) if p.strip()]
    for n, sentence in enumerate(sentences):
        penalty = _PENALTY.search(sentence)
        if penalty is None or "下列" in sentence:
            continue  # a list's lead sets the penalty of items that are matched on their own
        # Everything before the comma piece that sets the penalty: the conduct, and the body and
        # order to correct (由……部门责令改正) that restatements keep word for word.
        cut = max((m.start() for m in _PIECE_BREAK.finditer(sentence, 0, penalty.start())), default=0)
        conduct = sentence[:cut]
        if content_chars(conduct) >= MIN_CONDUCT_CHARS:
            # The penalty goes on in sentences like 情节严重的，责令停业整顿 that follow it.
            following = itertools.takewhile(lambda p: _CONTINUES.match(p) is not None, sentences[n + 1 :])
            queries.append(("conduct", conduct, "".join((sentence, *following))))
    # After the conducts: a conduct's match carries its whole penalty (情节严重的……) as excerpt.
    if len(sentences) > 1:
        queries.extend(("sentence", p, p) for p in sentences if content_chars(p) >= MIN_SENTENCE_CHARS)
    return queries


def match_document(
    doc: ParsedDocument,
    index: ArticleIndex,
    *,
    cited_laws: set[str] | None = None,
    min_score: float = MIN_MATCH_SCORE,
) -> list[Match]:
    """Superior articles the review units restate, with structured differences.

    Each unit's best article at or above `min_score`; then articles that one of its sentences, or
    the conduct of one of its penalty sentences, restates at or above `MIN_MATCH_SCORE` and the
    whole unit did not find (see `MIN_SENTENCE_CHARS`, `MIN_CONDUCT_CHARS`).
    """
    units = list(doc.review_units())
    document_cited = cited_laws or set()
    queries: list[tuple[int, str, str, str]] = [(i, "unit", u.text, "") for i, u in enumerate(units)]
    for i, unit in enumerate(units):
        queries.extend((i, kind, text, excerpt) for kind, text, excerpt in _extra_queries(unit.text))
    cited = [document_cited | cited_titles(units[i].text) for i, _, _, _ in queries]
    found = index.match([text for _, _, text, _ in queries], k=1 + MAX_RIVALS, cited_laws=cited)
    # A sentence or a conduct alone is short, and short texts find their characters in order in
    # many long articles: their matches count only in a law the document cites or that one of its
    # whole units restates (on the local regulations, without this, two thirds of such matches
    # paired 情节严重的，处……罚款 with the same amounts in an unrelated law).
    laws_in_play = {
        p
        for t in document_cited | {t for u in units for t in cited_titles(u.text)}
        if (p := index.law_position(t)) is not None
    }
    laws_in_play |= {
        p
        for (_, kind, _, _), candidates in zip(queries, found, strict=True)
        if kind == "unit"
        and candidates
        and candidates[0].score >= min_score
        and (p := index.law_position(candidates[0].superior.law_title)) is not None
    }
    matches: list[Match] = []
    seen: set[tuple[int, str, int]] = set()
    for (i, kind, _, excerpt), candidates in zip(queries, found, strict=True):
        unit = units[i]
        floor = min_score if kind == "unit" else max(min_score, SENTENCE_MIN_SCORE)
        if not candidates or candidates[0].score < floor:
            continue  # no match is a normal result: the unit is the document's own matter
        best = candidates[0]
        if kind != "unit" and index.law_position(best.superior.law_title) not in laws_in_play:
            continue
        key = (i, best.superior.law_title, best.superior.article)
        if key in seen:
            continue
        restated = best.passage or best.superior.text
        if kind == "conduct" and not _PENALTY.search(restated):
            continue  # the conduct is the superior's, but it sets no penalty to compare with
        seen.add(key)
        matches.append(
            Match(
                clause_label=unit.label,
                superior=best.superior,
                score=best.score,
                differences=diff_provisions(excerpt or unit.text, restated),
                passage=best.passage,
                excerpt=excerpt,
                via=kind,
                rivals=tuple(
                    c.passage or c.superior.text
                    for c in candidates[1:]
                    if best.score - c.score <= RIVAL_MARGIN
                ),
            )
        )
    return matches
