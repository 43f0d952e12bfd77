"""Speed of the evidence pipeline on real articles, against tokenisation alone, in the same run.

Subject: `extractors.nlp` (our one-token-per-character tokenizer + every span family) over the
review units of national-corpus laws. Baselines measured on the same texts: tokenisation only
(ours, spaCy's ``segmenter="char"``, and jieba), and the full pipeline on jieba words. Timings
are CPU seconds of this process (``time.process_time``), so a busy machine skews them less;
the figures to read are the ratios.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from extractors.lawtext import read_law_markdown
from extractors.nlp import annotate_texts, build_nlp

# Enough articles to cover every family many times over while keeping the run near a minute
# (jieba is four times slower than the rest); files are taken in sorted order, so the sample
# is the same on every machine.
BENCH_MAX_CLAUSES = 6000
# Repetitions of each timing: the best is kept (the least disturbed by other processes).
BENCH_REPEATS = 2


def _corpus_root() -> Path:
    configured = os.environ.get("QINGLI_CORPUS")
    root = (
        Path(configured)
        if configured
        else Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    )
    return root / "national"


def _clauses(limit: int) -> list[str]:
    """Review-unit texts (articles) of national laws, in sorted file order, up to `limit`."""
    texts: list[str] = []
    for path in sorted(_corpus_root().rglob("*.md")):
        doc = read_law_markdown(path)
        texts.extend(c.text for c in doc.review_units() if c.text.strip())
        if len(texts) >= limit:
            break
    return texts[:limit]


def _best(run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(BENCH_REPEATS):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return max(best, 1e-9)


def _tokenize_all(make_doc: Callable[[str], object], texts: Sequence[str]) -> Callable[[], object]:
    return lambda: [make_doc(t) for t in texts]


def run() -> dict[str, object]:
    texts = _clauses(BENCH_MAX_CLAUSES)
    chars = sum(len(t) for t in texts)
    ours, spacy_char, jieba = (build_nlp(segmenter=s) for s in ("qingli", "char", "jieba"))
    jieba.make_doc("预热分词词典")  # jieba loads its dictionary on first use; not part of the timing

    tok_ours = _best(_tokenize_all(ours.make_doc, texts))
    tok_char = _best(_tokenize_all(spacy_char.make_doc, texts))
    tok_jieba = _best(_tokenize_all(jieba.make_doc, texts))
    full_ours = _best(lambda: annotate_texts(texts, nlp=ours))
    full_jieba = _best(lambda: annotate_texts(texts, nlp=jieba))

    # Per-component cost: each pipe over docs tokenised once, in pipeline order.
    docs = [ours.make_doc(t) for t in texts]
    component_seconds: dict[str, float] = {}
    for name, proc in ours.pipeline:
        started = time.process_time()
        for doc in docs:
            proc(doc)
        component_seconds[name] = time.process_time() - started
    component_total = sum(component_seconds.values()) or 1e-9

    labels = Counter(s.label for spans in annotate_texts(texts, nlp=ours) for s in spans)
    return {
        "clauses": len(texts),
        "chars": chars,
        "pipeline_clauses_per_s": round(len(texts) / full_ours),
        "pipeline_chars_per_s": round(chars / full_ours),
        "pipeline_jieba_clauses_per_s": round(len(texts) / full_jieba),
        "tokenize_ours_chars_per_s": round(chars / tok_ours),
        "tokenize_spacy_char_chars_per_s": round(chars / tok_char),
        "tokenize_jieba_chars_per_s": round(chars / tok_jieba),
        # > 1: how many times slower than our character tokenizer.
        "ratio_jieba_tokenize_vs_ours": round(tok_jieba / tok_ours, 2),
        "ratio_spacy_char_tokenize_vs_ours": round(tok_char / tok_ours, 2),
        "ratio_pipeline_vs_tokenize": round(full_ours / tok_ours, 2),
        "ratio_pipeline_jieba_vs_ours": round(full_jieba / full_ours, 2),
        "component_share": {k: round(v / component_total, 3) for k, v in component_seconds.items()},
        "spans_per_label": dict(sorted(labels.items())),
    }
