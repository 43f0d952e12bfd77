"""Run the catalogue over the real local regulations and draw a reproducible sample of findings.

``.venv/bin/python -m evaluation.run_local CORPUS_ROOT [--as-of 2026-11-01]`` reviews every Markdown
file under ``CORPUS_ROOT/local`` with its real kind (地方性法规 may lawfully set penalties and
licences), prints counts per rule and writes ``local_sample_50.csv`` skeleton rows (file, clause,
rule, verdict, reason) for 50 findings drawn with a fixed seed. Verdicts are filled in by hand;
the corpus text itself never enters the project — only file names, clause labels and rule ids.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections import Counter
from datetime import date
from pathlib import Path

from extractors.lawtext import read_law_markdown
from extractors.nlp import annotate
from rules.evaluation import corpus_context_factory
from rules.model import Finding
from rules.review import review_document

HERE = Path(__file__).resolve().parent
SAMPLE_SIZE = 50
SEED = 20261101


def review_local(corpus: Path, as_of: date) -> list[tuple[str, Finding]]:
    """(relative file, finding) for every finding over the local regulations."""
    factory = corpus_context_factory(corpus / "national")
    ctx = factory(as_of)
    found: list[tuple[str, Finding]] = []
    root = corpus / "local"
    for path in sorted(root.rglob("*.md")):
        doc = annotate(read_law_markdown(path))
        review = review_document(doc, ctx)
        found.extend((str(path.relative_to(root)), f) for f in review.findings)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 1))
    parser.add_argument("--show", action="store_true", help="print the sampled evidence (not written)")
    args = parser.parse_args()
    found = review_local(args.corpus, args.as_of)
    print(f"{len(found)} findings in {len({f for f, _ in found})} files")
    for rule, n in Counter(f.rule for _, f in found).most_common():
        print(f"  {rule:32} {n}")
    sample = random.Random(SEED).sample(found, min(SAMPLE_SIZE, len(found)))
    out = HERE / "local_sample_50.draw.csv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "clause", "rule", "verdict", "reason"])
        for i, (file, f) in enumerate(sample):
            writer.writerow([file, f.clause_label, f.rule, "", ""])
            if args.show:
                where = f" <- {f.superior.law_title} 第{f.superior.article}条 ({f.score})" if f.superior else ""
                print(f"[{i}] {file} {f.clause_label} {f.rule}{where} :: {f.evidence} :: {f.message}")
                print(f"     {f.clause_text[:400]!r}")
                if f.superior:
                    print(f"     SUP {f.superior.text[:300]!r}")
    print(f"sample skeleton written to {out}")


if __name__ == "__main__":
    main()
