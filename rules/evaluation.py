"""Labelled evaluation of the catalogue: per-rule precision and recall, decoy false positives, decisions.

The evaluation folder holds ``documents/`` (each document as .docx and .pdf), ``labels.csv``
(document, clause, rule: planted problems), ``decoys.csv`` (document, clause, looks_like: lawful
look-alikes), ``recommendations.csv`` (document, decision, repeal_kind, kind) and ``meta.json``
(``as_of``). Every file is read, annotated and reviewed like any other document; both formats
count, so a rule that only works on one of them shows up in the figures.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from extractors.errors import ExtractionError
from extractors.model import DocumentKind, ParsedDocument
from rules.catalogue import load_catalogue
from rules.model import Decision, Finding, RepealKind
from rules.review import ReviewContext, review_document

ContextFactory = Callable[[date], ReviewContext]
Reader = Callable[[Path], ParsedDocument]


@dataclass(frozen=True, slots=True)
class RuleScore:
    """Counts and ratios for one rule over every evaluated file."""

    rule: str
    labelled: int  # planted problems × files
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.labelled if self.labelled else 1.0


@dataclass(frozen=True, slots=True)
class Miss:
    """A labelled problem not found, or a finding no label asked for (for reading the errors)."""

    file: str
    clause: str
    rule: str
    evidence: str = ""
    decoy: bool = False


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    """The whole evaluation, JSON-able through `to_dict`."""

    as_of: date
    files: int
    documents: int
    rules: tuple[RuleScore, ...]
    decoys: int  # lawful look-alikes × files
    decoy_false_positives: int
    recommendations: int
    recommendations_correct: int
    false_negatives: tuple[Miss, ...] = ()
    false_positives: tuple[Miss, ...] = ()
    wrong_recommendations: tuple[tuple[str, str, str], ...] = ()  # file, expected, got
    errors: tuple[tuple[str, str], ...] = field(default=())  # file, message

    @property
    def recommendation_accuracy(self) -> float:
        return self.recommendations_correct / self.recommendations if self.recommendations else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able figures."""
        return {
            "as_of": self.as_of.isoformat(),
            "files": self.files,
            "documents": self.documents,
            "rules": {
                r.rule: {
                    "labelled": r.labelled,
                    "tp": r.true_positives,
                    "fp": r.false_positives,
                    "fn": r.false_negatives,
                    "precision": round(r.precision, 3),
                    "recall": round(r.recall, 3),
                }
                for r in self.rules
            },
            "decoys": self.decoys,
            "decoy_false_positives": self.decoy_false_positives,
            "recommendation_accuracy": round(self.recommendation_accuracy, 3),
            "recommendations": self.recommendations,
            "false_negatives": [asdict(m) for m in self.false_negatives],
            "false_positives": [asdict(m) for m in self.false_positives],
            "wrong_recommendations": [list(w) for w in self.wrong_recommendations],
            "errors": [list(e) for e in self.errors],
        }

    def report(self) -> str:
        """A plain-text table for the terminal."""
        lines = [f"evaluation as of {self.as_of}: {self.documents} documents, {self.files} files"]
        lines.append(f"{'rule':32} {'labelled':>8} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'recall':>6}")
        for r in self.rules:
            lines.append(
                f"{r.rule:32} {r.labelled:>8} {r.true_positives:>4} {r.false_positives:>4} "
                f"{r.false_negatives:>4} {r.precision:>6.3f} {r.recall:>6.3f}"
            )
        lines.append(f"decoy false positives: {self.decoy_false_positives} of {self.decoys}")
        lines.append(
            f"recommendation accuracy: {self.recommendation_accuracy:.3f} "
            f"({self.recommendations_correct}/{self.recommendations})"
        )
        if self.errors:
            lines.append(f"files that failed: {len(self.errors)}")
        return "\n".join(lines)


def labels_match(found: str, labelled: str) -> bool:
    """Whether a finding's clause label names the labelled clause (三、 covers 三、（二） and back)."""
    a, b = found.replace(" ", ""), labelled.replace(" ", "")
    return a == b or a.startswith(b) or b.startswith(a)


def _read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _default_reader(path: Path) -> ParsedDocument:
    from extractors.reader import extract

    return extract(path)


def _score_file(
    name: str,
    file: str,
    findings: Iterable[Finding],
    gold: list[tuple[str, str]],
    decoys: list[tuple[str, str]],
    document_rules: set[str],
) -> tuple[dict[str, list[int]], list[Miss], list[Miss], int]:
    """Per rule [tp, fp, fn] for one file, its misses and false positives, and its decoy hits."""
    counts: dict[str, list[int]] = {}
    found = list(findings)
    used: set[int] = set()
    false_negatives: list[Miss] = []
    for clause, rule in gold:
        hit = next(
            (
                i
                for i, f in enumerate(found)
                if i not in used
                and f.rule == rule
                and (rule in document_rules or labels_match(f.clause_label, clause))
            ),
            None,
        )
        row = counts.setdefault(rule, [0, 0, 0])
        if hit is None:
            row[2] += 1
            false_negatives.append(Miss(file, clause, rule))
        else:
            row[0] += 1
            used.add(hit)
    false_positives: list[Miss] = []
    decoy_hits = 0
    for i, f in enumerate(found):
        if i in used:
            continue
        # A second finding of the same rule on an already matched clause is a duplicate, not a new error.
        if any(f.rule == r and labels_match(f.clause_label, c) for c, r in gold):
            continue
        counts.setdefault(f.rule, [0, 0, 0])[1] += 1
        is_decoy = any(labels_match(f.clause_label, c) for c, _ in decoys)
        decoy_hits += is_decoy
        false_positives.append(Miss(file, f.clause_label, f.rule, f.evidence, is_decoy))
    return counts, false_negatives, false_positives, decoy_hits


def evaluate(
    eval_dir: Path,
    ctx_factory: ContextFactory,
    *,
    read: Reader | None = None,
    formats: tuple[str, ...] = ("docx", "pdf"),
) -> EvaluationResult:
    """Review every labelled document of `eval_dir` and score the findings and recommendations."""
    eval_dir = Path(eval_dir)
    read = read or _default_reader
    meta = json.loads((eval_dir / "meta.json").read_text(encoding="utf-8"))
    as_of = date.fromisoformat(meta["as_of"])
    base = ctx_factory(as_of)
    catalogue = load_catalogue()
    document_rules = {r.id for r in catalogue if r.scope == "document"}
    gold: dict[str, list[tuple[str, str]]] = {}
    for row in _read_rows(eval_dir / "labels.csv"):
        gold.setdefault(row["document"], []).append((row["clause"], row["rule"]))
    decoys: dict[str, list[tuple[str, str]]] = {}
    for row in _read_rows(eval_dir / "decoys.csv"):
        decoys.setdefault(row["document"], []).append((row["clause"], row["looks_like"]))
    expected = {row["document"]: row for row in _read_rows(eval_dir / "recommendations.csv")}

    totals: dict[str, list[int]] = {r.id: [0, 0, 0] for r in catalogue}
    labelled: dict[str, int] = dict.fromkeys(totals, 0)
    misses: list[Miss] = []
    extras: list[Miss] = []
    wrong: list[tuple[str, str, str]] = []
    errors: list[tuple[str, str]] = []
    files = correct = decoy_total = decoy_hits = 0
    for name, row in sorted(expected.items()):
        ctx = replace(base, kind_override=DocumentKind(row["kind"]) if row.get("kind") else None)
        for suffix in formats:
            path = eval_dir / "documents" / f"{name}.{suffix}"
            file = path.name
            files += 1
            for _, rule in gold.get(name, []):
                labelled[rule] += 1
            decoy_total += len(decoys.get(name, []))
            try:
                review = review_document(read(path), ctx)
            except ExtractionError as exc:  # recorded and counted as misses; the run goes on
                errors.append((file, exc.message))
                for clause, rule in gold.get(name, []):
                    totals[rule][2] += 1
                    misses.append(Miss(file, clause, rule))
                continue
            counts, fn, fp, dh = _score_file(
                name, file, review.findings, gold.get(name, []), decoys.get(name, []), document_rules
            )
            for rule, (tp, fpos, fneg) in counts.items():
                row_total = totals.setdefault(rule, [0, 0, 0])
                row_total[0] += tp
                row_total[1] += fpos
                row_total[2] += fneg
            misses.extend(fn)
            extras.extend(fp)
            decoy_hits += dh
            rec = review.recommendation
            want = Decision(row["decision"])
            want_kind = RepealKind(row["repeal_kind"]) if row.get("repeal_kind") else None
            if rec.decision is want and (want is not Decision.REPEAL or rec.repeal_kind is want_kind):
                correct += 1
            else:
                got = rec.decision.value + (f"/{rec.repeal_kind.value}" if rec.repeal_kind else "")
                wanted = want.value + (f"/{want_kind.value}" if want_kind else "")
                wrong.append((file, wanted, got))
    scores = tuple(
        RuleScore(rule, labelled.get(rule, 0), tp, fp, fn) for rule, (tp, fp, fn) in totals.items()
    )
    return EvaluationResult(
        as_of=as_of,
        files=files,
        documents=len(expected),
        rules=scores,
        decoys=decoy_total,
        decoy_false_positives=decoy_hits,
        recommendations=files - len(errors),
        recommendations_correct=correct,
        false_negatives=tuple(misses),
        false_positives=tuple(extras),
        wrong_recommendations=tuple(wrong),
        errors=tuple(errors),
    )


def corpus_context_factory(national: Path) -> ContextFactory:
    """A factory of review contexts over a national corpus folder: LawIndex and ArticleIndex built once."""
    from rules.corpus import load_corpus
    from rules.matcher import ArticleIndex
    from rules.registry import LawIndex, load_registry

    laws, _ = load_corpus(national)
    law_index = LawIndex(laws, load_registry())
    article_index = ArticleIndex.build(laws)

    def factory(as_of: date) -> ReviewContext:
        return ReviewContext(as_of=as_of, laws=law_index, articles=article_index)

    return factory
