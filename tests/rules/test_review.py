"""review_document: the per-document pipeline, its precedence, its context and its evidence."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.model import Article, DocumentKind
from rules.model import Decision, Law, LawVersion
from rules.registry import LawIndex, load_registry
from rules.review import ReviewContext, review_document
from tests.rules.rulekit import AS_OF, make_doc, span_of

PENALTY_LAW = Law(
    title="中华人民共和国行政处罚法",
    short_titles=("行政处罚法",),
    level=DocumentKind.LAW,
    versions=(
        LawVersion(
            title="中华人民共和国行政处罚法",
            level=DocumentKind.LAW,
            published_on=date(2021, 1, 22),
            effective_on=date(2021, 7, 15),
            expired=False,
            source="test",
            articles=(Article(16, "第十六条", "除法律、法规、规章外，其他规范性文件不得设定行政处罚。"),),
        ),
    ),
)


def context(**kw: object) -> ReviewContext:
    return ReviewContext(as_of=AS_OF, annotate=False, **kw)  # type: ignore[arg-type]


def test_review_document_evidence_offsets_round_trip() -> None:
    doc = make_doc(
        "第一条 为了规范管理，制定本办法。\n第二条 违反本办法的，处五百元罚款。\n第三条 应当缴纳保证金5000元。"
    )
    review = review_document(doc, context())
    assert review.findings
    for f in review.findings:
        assert doc.text[f.span[0] : f.span[1]] == f.evidence
        assert f.evidence in f.clause_text


def test_review_document_one_problem_one_finding() -> None:
    doc = make_doc("二、驾驶员必须参加协会组织的培训并缴纳培训费800元。")
    assert [f.rule for f in review_document(doc, context()).findings] == ["unlawful-fee"]


def test_review_document_keeps_distinct_problems_of_one_clause() -> None:
    doc = make_doc("二、驾驶员必须参加协会组织的岗前培训。培训费每人800元，由驾驶员缴纳。")
    assert sorted(f.rule for f in review_document(doc, context()).findings) == [
        "obligation-without-basis",
        "unlawful-fee",
    ]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (DocumentKind.NORMATIVE_DOCUMENT, ["penalty-creation"]),
        (DocumentKind.LOCAL_REGULATION, []),
        (DocumentKind.LOCAL_GOVERNMENT_RULE, []),
    ],
)
def test_review_document_kind_override_decides_what_may_be_set(
    kind: DocumentKind, expected: list[str]
) -> None:
    doc = make_doc("第九条 擅自设置地锁的，由城市管理部门责令拆除，处五百元罚款。", kind=DocumentKind.UNKNOWN)
    review = review_document(doc, context(kind_override=kind))
    assert [f.rule for f in review.findings] == expected and review.kind is kind


def test_review_document_unknown_kind_is_reviewed_as_normative_document() -> None:
    doc = make_doc("第九条 擅自设置地锁的，处五百元罚款。", kind=DocumentKind.UNKNOWN)
    assert review_document(doc, context()).kind is DocumentKind.NORMATIVE_DOCUMENT


def test_review_document_resolves_citations_and_reports_repealed_law() -> None:
    text = "第一条 为了规范房屋租赁，根据《中华人民共和国合同法》，制定本办法。"
    span = span_of(
        text, "CITATION", "《中华人民共和国合同法》", ("kind", "law"), ("law_title", "中华人民共和国合同法")
    )
    doc = make_doc(text, spans=(span,))
    review = review_document(doc, context(laws=LawIndex([PENALTY_LAW], load_registry())))
    assert [f.rule for f in review.findings] == ["repealed-citation"]
    assert "中华人民共和国合同法" in review.touched_laws
    assert "民法典" in review.findings[0].suggestion


def test_review_document_fills_basis_text_from_law_index() -> None:
    doc = make_doc("第二条 违反本办法的，处五百元罚款。")
    review = review_document(doc, context(laws=LawIndex([PENALTY_LAW], load_registry())))
    basis = next(b for b in review.findings[0].basis if b.article == 16)
    assert basis.text is not None and "不得设定行政处罚" in basis.text


def test_review_document_finding_texts_are_chinese_with_suggestion() -> None:
    f = review_document(make_doc("第二条 违反本办法的，处五百元罚款。"), context()).findings[0]
    assert "行政处罚" in f.message and "删除" in f.suggestion and "{" not in f.message + f.suggestion


def test_review_document_recommendation_depends_on_as_of() -> None:
    doc = make_doc("一、支持电子商务发展。\n二、本意见自印发之日起施行，有效期至2023年12月31日。")
    assert review_document(
        doc, ReviewContext(as_of=date(2023, 6, 1), annotate=False)
    ).recommendation.decision is (Decision.RETAIN)
    assert review_document(doc, context()).recommendation.decision is Decision.REPEAL


def test_review_context_rejects_unknown_rule_ids() -> None:
    with pytest.raises(ValueError, match="no-such-rule"):
        ReviewContext(as_of=AS_OF, rules=frozenset({"no-such-rule"}))


def test_review_document_runs_only_selected_rules() -> None:
    doc = make_doc("第二条 违反本办法的，处五百元罚款。\n第三条 应当缴纳保证金5000元。")
    review = review_document(doc, context(rules=frozenset({"unlawful-fee"})))
    assert [f.rule for f in review.findings] == ["unlawful-fee"]


@pytest.mark.slow
def test_review_document_annotates_documents_without_spans() -> None:
    text = "第一条 根据《中华人民共和国合同法》，制定本办法。"
    review = review_document(
        make_doc(text), ReviewContext(as_of=AS_OF, laws=LawIndex([PENALTY_LAW], load_registry()))
    )
    assert any(s.label == "CITATION" for s in review.doc.spans)
    assert [f.rule for f in review.findings] == ["repealed-citation"]


def test_text_date_is_the_last_amendment_in_the_history() -> None:
    from rules.review import text_date

    doc = make_doc(
        "第一条 为了规范管理，制定本条例。",
        issued_on=date(2021, 5, 21),
        history=(
            "2021年5月21日某市人民代表大会常务委员会通过",
            "2024年11月28日某市人民代表大会常务委员会修订",
        ),
    )
    assert text_date(doc) == date(2024, 11, 28)
    assert text_date(make_doc("一、加强管理。", issued_on=date(2019, 3, 1))) == date(2019, 3, 1)


def test_apply_precedence_keeps_one_finding_per_clause_and_evidence() -> None:
    from rules.catalogue import load_catalogue
    from rules.checks import Hit
    from rules.review import apply_precedence

    doc = make_doc("第三条 市工商局负责登记。市工商局应当公示。\n第四条 市工商局负责监督。")
    units = {c.label: c for c in doc.clauses}
    at = [i for i in range(len(doc.text)) if doc.text.startswith("市工商局", i)]
    hits = [
        Hit(
            "outdated-agency",
            units["第三条" if i < at[2] else "第四条"],
            i,
            i + 4,
            (i, i + 8),
            {"evidence": "市工商局"},
        )
        for i in at
    ]
    kept = apply_precedence(hits, load_catalogue())
    assert [(h.unit.label, h.start) for h in kept] == [("第三条", at[0]), ("第四条", at[2])]


def test_a_raised_restated_penalty_is_not_also_a_created_one_in_its_next_sentence() -> None:
    from rules.catalogue import load_catalogue
    from rules.checks import Hit
    from rules.review import apply_precedence

    doc = make_doc("第九条 未取得合格证的，处五千元以上五万元以下罚款；情节严重的，责令停业整顿。")
    unit = doc.clauses[0]
    first_end = doc.text.index("；") + 1
    range_hit = Hit("penalty-range-exceeded", unit, 17, 20, (unit.start, first_end), {"evidence": "x"})
    creation_hit = Hit(
        "penalty-creation", unit, first_end + 6, first_end + 12, (first_end, unit.end), {"evidence": "y"}
    )
    kept = apply_precedence([range_hit, creation_hit], load_catalogue())
    assert [h.rule for h in kept] == ["penalty-range-exceeded"]
