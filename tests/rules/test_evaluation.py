"""evaluate(): scoring of findings and recommendations against labels."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from extractors.model import ParsedDocument
from rules.evaluation import evaluate, labels_match
from rules.review import ReviewContext
from tests.rules.rulekit import make_doc

TEXTS = {
    "fee": "一、建设单位应当缴纳建筑垃圾处置保证金。\n二、做好宣传。\n三、加强监督。",
    "clean": "一、窗口办理不得收取任何费用。\n二、申请人可以自主选择办理方式。",
}


def _write_set(root: Path, labels: list[tuple[str, str, str]], recs: list[tuple[str, str, str]]) -> None:
    (root / "documents").mkdir()
    for name in TEXTS:
        (root / "documents" / f"{name}.txt").write_text(TEXTS[name], "utf-8")
    (root / "meta.json").write_text(json.dumps({"as_of": "2026-11-01"}), "utf-8")
    with (root / "labels.csv").open("w", encoding="utf-8", newline="") as h:
        csv.writer(h).writerows([("document", "clause", "rule"), *labels])
    with (root / "decoys.csv").open("w", encoding="utf-8", newline="") as h:
        csv.writer(h).writerows([("document", "clause", "looks_like"), ("clean", "一、", "unlawful-fee")])
    with (root / "recommendations.csv").open("w", encoding="utf-8", newline="") as h:
        csv.writer(h).writerows([("document", "decision", "repeal_kind", "kind"), *recs])


def _read(path: Path) -> ParsedDocument:
    return make_doc(path.read_text("utf-8"))


def _ctx(as_of: date) -> ReviewContext:
    return ReviewContext(as_of=as_of, annotate=False)


def test_evaluate_counts_true_positives_and_correct_recommendations(tmp_path: Path) -> None:
    _write_set(
        tmp_path,
        [("fee", "一、", "unlawful-fee")],
        [("fee", "amend", "", "规范性文件"), ("clean", "retain", "", "规范性文件")],
    )
    result = evaluate(tmp_path, _ctx, read=_read, formats=("txt",))
    fee = next(r for r in result.rules if r.rule == "unlawful-fee")
    assert (fee.true_positives, fee.false_positives, fee.false_negatives) == (1, 0, 0)
    assert result.recommendation_accuracy == 1.0 and result.decoy_false_positives == 0


def test_evaluate_counts_misses_and_wrong_decisions(tmp_path: Path) -> None:
    _write_set(
        tmp_path,
        [("fee", "二、", "unlawful-fee"), ("clean", "二、", "fair-competition")],
        [("fee", "retain", "", "规范性文件"), ("clean", "retain", "", "规范性文件")],
    )
    result = evaluate(tmp_path, _ctx, read=_read, formats=("txt",))
    fee = next(r for r in result.rules if r.rule == "unlawful-fee")
    fair = next(r for r in result.rules if r.rule == "fair-competition")
    assert (fee.precision, fee.recall) == (0.0, 0.0) and fair.recall == 0.0
    assert result.wrong_recommendations == (("fee.txt", "retain", "amend"),)
    json.dumps(result.to_dict())  # JSON-able


@pytest.mark.parametrize(
    ("found", "labelled", "expected"),
    [
        ("三、", "三、（二）", True),
        ("三、（二）", "三、", True),
        ("十一、", "一、", False),
        ("第十一条", "第一条", False),
    ],
)
def test_labels_match_accepts_parent_and_child_only(found: str, labelled: str, expected: bool) -> None:
    assert labels_match(found, labelled) is expected


@pytest.mark.slow
@pytest.mark.corpus
def test_evaluate_real_set_meets_recommendation_bar(national_corpus: Path) -> None:
    from rules.evaluation import corpus_context_factory

    root = Path(__file__).resolve().parents[2] / "evaluation"
    result = evaluate(root, corpus_context_factory(national_corpus), formats=("docx",))
    assert result.recommendation_accuracy >= 0.9
    assert result.decoy_false_positives <= 0.1 * result.decoys
