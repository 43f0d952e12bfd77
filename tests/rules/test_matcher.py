"""Clause ↔ superior article matcher: normalisation, the n-gram index, batched matching, cited-law boost."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from extractors.model import (
    Article,
    Clause,
    ClauseKind,
    DocumentKind,
    DocumentMeta,
    ParsedDocument,
    SourceFormat,
)
from rules import matcher
from rules.evaluation_matcher import eligible_articles, evaluate_matcher, generate_restatements
from rules.matcher import ArticleIndex, CharNgramVectoriser, cited_titles, match_document, normalise_for_index
from rules.model import Law, LawVersion
from tests.rules.corpus_cache import national_laws

# Hand-written articles in the style of superior law (not corpus text).
_TRAFFIC = (
    "机动车驾驶人应当遵守道路交通安全法律、法规的规定，按照操作规范安全驾驶、文明驾驶。",
    "违反本法规定，驾驶拼装的机动车上道路行驶的，由公安机关交通管理部门处二百元以上二千元以下罚款，并吊销机动车驾驶证。",
    "公安机关交通管理部门应当在受理申请之日起五日内作出决定。",
)
_FOOD = (
    "食品生产经营者应当建立食品安全追溯体系，保证食品可追溯。",
    "未取得食品生产经营许可从事食品生产经营活动的，由县级以上人民政府食品安全监督管理部门没收违法所得，并处五万元以上十万元以下罚款。",
    "县级以上地方人民政府应当将食品安全工作纳入本级国民经济和社会发展规划。",
)


def _article(number: int, text: str) -> Article:
    return Article(number=number, label=f"第{number}条", text=text, paragraphs=(text,))


def _version(title: str, texts: tuple[str, ...], *, effective: date, label: str) -> LawVersion:
    return LawVersion(
        title=title,
        level=DocumentKind.LAW,
        published_on=effective,
        effective_on=effective,
        expired=False,
        source="test",
        articles=tuple(_article(i + 1, t) for i, t in enumerate(texts)),
        version_label=label,
    )


def _law(title: str, *versions: LawVersion) -> Law:
    return Law(
        title=title,
        short_titles=(title.removeprefix("中华人民共和国"),),
        level=DocumentKind.LAW,
        versions=versions,
    )


@pytest.fixture(scope="module")
def laws() -> list[Law]:
    return [
        _law(
            "中华人民共和国道路交通安全法",
            _version(
                "中华人民共和国道路交通安全法", _TRAFFIC, effective=date(2011, 5, 1), label="2011-04-22"
            ),
        ),
        _law(
            "中华人民共和国食品安全法",
            _version("中华人民共和国食品安全法", _FOOD, effective=date(2015, 10, 1), label="2015-04-24"),
        ),
    ]


@pytest.fixture(scope="module")
def index(laws: list[Law]) -> ArticleIndex:
    return ArticleIndex.build(laws)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("中华人民共和国道路交通安全法", "道路交通安全法"),
        ("根据《道路交通安全法》第九十条规定，驾驶人应当安全驾驶。", "驾驶人应当安全驾驶"),
        ("依照本办法的有关规定：企业应当登记。", "企业应当登记"),
        ("处一万元以上五万元以下罚款", "处10000元以上50000元以下罚款"),
        ("处1万元以上5万元以下罚款", "处10000元以上50000元以下罚款"),
        ("处１００００元罚款", "处10000元罚款"),
        ("在十五日内答复。", "在15日内答复"),
    ],
)
def test_normalise_for_index_reduces_to_content(written: str, expected: str) -> None:
    assert normalise_for_index(written) == expected


def test_normalise_for_index_drops_titles_and_self_references() -> None:
    assert normalise_for_index("违反《行政许可法》和本法规定的。") == "违反和规定的"


def test_cited_titles_reads_book_title_marks() -> None:
    assert cited_titles("根据《食品安全法》和《行政处罚法》，制定本办法。") == {"食品安全法", "行政处罚法"}


def test_char_ngram_vectoriser_matches_sklearn_weights() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = ["行政机关应当公开", "行政机关可以公开信息", "公开信息应当及时", "及时准确"]
    ours = CharNgramVectoriser(ngram_range=(2, 3)).fit_transform(texts)
    reference = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), lowercase=False, sublinear_tf=True)
    theirs = reference.fit_transform(texts)
    np.testing.assert_allclose((ours @ ours.T).toarray(), (theirs @ theirs.T).toarray(), atol=1e-6)


def test_char_ngram_vectoriser_ignores_unknown_ngrams() -> None:
    vectoriser = CharNgramVectoriser(ngram_range=(2, 2))
    vectoriser.fit_transform(["行政处罚", "行政许可"])
    assert vectoriser.transform(["刑事诉讼"]).nnz == 0


def test_char_ngram_vectoriser_rejects_too_long_ngrams() -> None:
    with pytest.raises(ValueError, match="ngram_range"):
        CharNgramVectoriser(ngram_range=(2, 4))


@pytest.mark.parametrize(
    ("clause", "law", "article"),
    [
        (
            "根据《道路交通安全法》规定，驾驶拼装的机动车上道路行驶的，处二百元以上二千元以下罚款，并吊销机动车驾驶证。",
            "中华人民共和国道路交通安全法",
            2,
        ),
        ("机动车驾驶人应遵守道路交通安全法律法规，按照操作规范安全驾驶。", "中华人民共和国道路交通安全法", 1),
        ("食品生产经营者应建立食品安全追溯体系，保证食品可以追溯。", "中华人民共和国食品安全法", 1),
        (
            "未取得许可从事食品生产经营活动的，没收违法所得，并处5万元以上20万元以下罚款。",
            "中华人民共和国食品安全法",
            2,
        ),
    ],
)
def test_article_index_match_finds_restated_article(
    index: ArticleIndex, clause: str, law: str, article: int
) -> None:
    best = index.match([clause], k=1)[0][0]
    assert (best.superior.law_title, best.superior.article) == (law, article)


def test_article_index_match_keeps_input_order_across_batches(
    index: ArticleIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matcher, "BATCH_ROWS", 2)
    clauses = [_FOOD[2], _TRAFFIC[0], _FOOD[0], _TRAFFIC[2], _TRAFFIC[1]]
    found = [(r[0].superior.law_title[-5:], r[0].superior.article) for r in index.match(clauses, k=1)]
    assert found == [
        ("食品安全法", 3),
        ("交通安全法", 1),
        ("食品安全法", 1),
        ("交通安全法", 3),
        ("交通安全法", 2),
    ]


def test_article_index_match_returns_at_most_k_best_first(index: ArticleIndex) -> None:
    candidates = index.match(["县级以上人民政府应当公开驾驶证信息。"], k=2)[0]
    assert len(candidates) <= 2
    assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)


def test_article_index_match_unrelated_text_has_no_candidates(index: ArticleIndex) -> None:
    assert index.match(["天气晴朗。"], k=5) == [[]]


def test_article_index_match_rejects_cited_laws_of_other_length(index: ArticleIndex) -> None:
    with pytest.raises(ValueError, match="cited_laws"):
        index.match(["甲", "乙"], cited_laws=[set()])


@pytest.mark.parametrize("cited", ["甲许可法", "乙许可条例"])
def test_article_index_match_boosts_cited_law_over_identical_article(
    twin_index: ArticleIndex, cited: str
) -> None:
    best = twin_index.match([_SHARED_PROVISION], k=1, cited_laws=[{f"《{cited}》"}])[0][0]
    assert (best.superior.law_title, best.cited) == (cited, True)


@pytest.mark.parametrize(
    "title", ["中华人民共和国食品安全法", "食品安全法", "《食品安全法》", "《中华人民共和国食品安全法》"]
)
def test_article_index_law_position_accepts_cited_forms(index: ArticleIndex, title: str) -> None:
    position = index.law_position(title)
    assert position is not None and index.law_titles[position] == "中华人民共和国食品安全法"


def test_article_index_build_indexes_current_version_only() -> None:
    old = _version(
        "中华人民共和国道路交通安全法", ("驾驶人应当持有驾驶证。",), effective=date(2004, 5, 1), label="2003"
    )
    new = _version(
        "中华人民共和国道路交通安全法",
        ("驾驶人应当随身携带电子驾驶证或者纸质驾驶证。",),
        effective=date(2021, 4, 29),
        label="2021",
    )
    index = ArticleIndex.build([_law("中华人民共和国道路交通安全法", old, new)])
    assert index.match(["驾驶人应当持有驾驶证。"], k=1)[0][0].superior.version_label == "2021"


def test_article_index_build_as_of_uses_version_in_force() -> None:
    old = _version(
        "中华人民共和国道路交通安全法", ("驾驶人应当持有驾驶证。",), effective=date(2004, 5, 1), label="2003"
    )
    new = _version(
        "中华人民共和国道路交通安全法",
        ("驾驶人应当随身携带电子驾驶证。",),
        effective=date(2021, 4, 29),
        label="2021",
    )
    index = ArticleIndex.build([_law("中华人民共和国道路交通安全法", old, new)], as_of=date(2010, 1, 1))
    assert index.match(["驾驶人应当持有驾驶证。"], k=1)[0][0].superior.version_label == "2003"


def test_article_index_build_skips_laws_not_in_force() -> None:
    later = _version("某某条例", ("经营者应当公示价格信息。",), effective=date(2030, 1, 1), label="2030")
    index = ArticleIndex.build([_law("某某条例", later)], as_of=date(2020, 1, 1))
    assert len(index) == 0
    assert index.match(["经营者应当公示价格信息。"]) == [[]]


def _document(units: list[tuple[str, str]]) -> ParsedDocument:
    text = ""
    clauses = []
    for i, (label, body) in enumerate(units):
        start = len(text)
        text += body + "\n"
        clauses.append(Clause(i, label, ClauseKind.ARTICLE, i + 1, body, start, start + len(body)))
    return ParsedDocument("test.txt", "0" * 64, SourceFormat.TXT, text, DocumentMeta(), tuple(clauses))


def test_match_document_reports_best_article_with_differences(index: ArticleIndex) -> None:
    doc = _document(
        [("第一条", "驾驶拼装的机动车上道路行驶的，处二百元以上五千元以下罚款，并吊销机动车驾驶证。")]
    )
    (found,) = match_document(doc, index, cited_laws={"道路交通安全法"})
    assert (found.clause_label, found.superior.article) == ("第一条", 2)
    assert [d.aspect for d in found.differences] == ["amount"]


def test_match_document_skips_units_that_restate_nothing(index: ArticleIndex) -> None:
    doc = _document([("第一条", "本办法由市司法局负责解释，联系电话另行公布。")])
    assert match_document(doc, index) == []


def test_generate_restatements_is_deterministic(laws: list[Law]) -> None:
    assert generate_restatements(laws, n=3, seed=7) == generate_restatements(laws, n=3, seed=7)


def test_eligible_articles_skip_short_boilerplate_and_twins() -> None:
    long_text = (
        "县级以上人民政府应当加强对安全生产工作的领导，建立健全安全生产工作协调机制，及时协调解决重大问题。"
    )
    law_a = _law(
        "甲法",
        _version(
            "甲法",
            (
                long_text,
                "本法自公布之日起施行。",
                "第三条的内容很长但是与其他法律的条文一字不差，因此无法判断出处为何。",
            ),
            effective=date(2000, 1, 1),
            label="a",
        ),
    )
    law_b = _law(
        "乙法",
        _version(
            "乙法",
            ("第三条的内容很长但是与其他法律的条文一字不差，因此无法判断出处为何。",),
            effective=date(2000, 1, 1),
            label="b",
        ),
    )
    assert [a.text for _, _, a in eligible_articles([law_a, law_b])] == [long_text]


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("with_citations", [False, True], ids=["no-citations", "cited-law-boost"])
def test_article_index_match_recall_on_corpus_restatements(
    national_corpus: Path, with_citations: bool
) -> None:
    laws = national_laws(national_corpus)
    scores = evaluate_matcher(
        _corpus_index(national_corpus),
        generate_restatements(laws, n=400, seed=20240602),
        with_citations=with_citations,
    )
    assert scores.n == 400
    assert scores.recall_at_1 >= 0.95
    assert scores.recall_at_5 >= 0.99


_INDEXES: dict[Path, ArticleIndex] = {}


def _corpus_index(folder: Path) -> ArticleIndex:
    if folder not in _INDEXES:
        _INDEXES[folder] = ArticleIndex.build(national_laws(folder))
    return _INDEXES[folder]


def test_normalise_for_index_drops_leading_article_label() -> None:
    assert normalise_for_index("第四十七条 工作人员应当依法履职。") == "工作人员应当依法履职"


def test_generate_restatements_ignores_law_order(laws: list[Law]) -> None:
    assert generate_restatements(laws, n=4, seed=3) == generate_restatements(laws[::-1], n=4, seed=3)


_SHARED_PROVISION = "行政机关应当依照法定权限和程序作出行政许可决定，并在十日内送达申请人。"


@pytest.fixture(scope="module")
def twin_index() -> ArticleIndex:
    return ArticleIndex.build(
        [
            _law(
                "甲许可法", _version("甲许可法", (_SHARED_PROVISION,), effective=date(2010, 1, 1), label="a")
            ),
            _law(
                "乙许可条例",
                _version("乙许可条例", (_SHARED_PROVISION,), effective=date(2010, 1, 1), label="b"),
            ),
        ]
    )


@pytest.mark.parametrize("cited", ["甲许可法", "乙许可条例"])
def test_match_document_boosts_law_cited_inside_the_unit(twin_index: ArticleIndex, cited: str) -> None:
    doc = _document([("第一条", f"根据《{cited}》规定，{_SHARED_PROVISION}")])
    (found,) = match_document(doc, twin_index)
    assert found.superior.law_title == cited


def test_article_index_match_empty_text_has_no_candidates(index: ArticleIndex) -> None:
    assert index.match(["", "。"], k=3) == [[], []]


# A penalty article with a lead-in and items, in the style of superior law (not corpus text).
_LIST_ARTICLE = (
    "经营者违反本法规定，有下列行为之一的，责令改正，处三千元以上三万元以下罚款：\n"
    "（一）擅自拆除、停用防护设施的；\n"
    "（二）在禁止区域堆放易燃物品的；\n"
    "（三）拒绝接受监督检查的。\n"
    "个人有前款第一项行为的，处警告或者二百元以下罚款。"
)
_LIST_NEIGHBOUR = (
    "经营者有下列情形之一的，由监督管理部门处三千元以上三万元以下罚款：\n"
    "（一）未按规定公示收费标准的；\n"
    "（二）向消费者强行推销防护用品，造成人身伤害事故，尚不构成犯罪的。"
)


def test_item_passages_pair_each_item_with_its_lead_in() -> None:
    passages = matcher.item_passages(_LIST_ARTICLE)
    assert [item for _, item in passages] == [
        "（一）擅自拆除、停用防护设施的；",
        "（二）在禁止区域堆放易燃物品的；",
        "（三）拒绝接受监督检查的。",
    ]
    assert {lead for lead, _ in passages} == {_LIST_ARTICLE.split("\n")[0]}
    assert matcher.item_passages("没有列举项的条文。\n（一）前面没有引导语的项不成对。") == []


@pytest.fixture(scope="module")
def list_index() -> ArticleIndex:
    texts = (_TRAFFIC[0], _LIST_ARTICLE, _LIST_NEIGHBOUR)
    version = _version("某某安全条例", texts, effective=date(2015, 1, 1), label="2015")
    return ArticleIndex.build([_law("某某安全条例", version)])


def test_one_item_restatement_matches_its_article_and_names_the_item(list_index: ArticleIndex) -> None:
    doc = _document([("第五条", "经营者在禁止区域堆放易燃物品的，责令改正，处五千元以上五万元以下罚款。")])
    (found,) = match_document(doc, list_index, min_score=0)
    assert found.superior.article == 2
    assert "（二）在禁止区域堆放易燃物品的；" in found.passage
    assert found.passage.endswith("个人有前款第一项行为的，处警告或者二百元以下罚款。")  # the list's tail
    assert found.restated == found.passage
    assert "amount" in {d.aspect for d in found.differences}  # compared with the lead-in's amounts


def test_item_sharing_only_the_lead_in_does_not_win(list_index: ArticleIndex) -> None:
    # The clause shares the neighbour's lead-in wording and amounts but restates none of its items.
    (candidates,) = list_index.match(["经营者违反规定的，由监督管理部门处三千元以上三万元以下罚款。"], k=3)
    assert all(c.passage == "" for c in candidates)


@pytest.mark.corpus
@pytest.mark.slow
def test_article_index_match_recall_on_one_item_restatements(national_corpus: Path) -> None:
    from rules.evaluation_matcher import generate_item_restatements

    laws = national_laws(national_corpus)
    items = generate_item_restatements(laws, n=300, seed=20240603)
    assert len(items) == 300
    scores = evaluate_matcher(_corpus_index(national_corpus), items, with_citations=False)
    assert scores.recall_at_1 >= 0.95  # 0.821 before items were indexed (1,000 items, seed 20240601)


_PROCEDURE = (
    "行政机关作出责令停产停业决定之前，应当告知当事人有要求听证的权利。",
    "当事人要求听证的，应当在行政机关告知后五日内提出。",
    "未按照规定设置安全警示标志的，由主管部门责令改正，可以并处二千元以下罚款。",
)
_UNRELATED = ("当事人要求更正的，应当在收到通知后五日内提出书面申请。",)


@pytest.fixture(scope="module")
def procedure_index() -> ArticleIndex:
    return ArticleIndex.build(
        [
            _law(
                "某某程序条例", _version("某某程序条例", _PROCEDURE, effective=date(2015, 1, 1), label="2015")
            ),
            _law("无关条例", _version("无关条例", _UNRELATED, effective=date(2015, 1, 1), label="2015")),
        ]
    )


def test_each_sentence_of_a_unit_finds_the_article_it_restates(procedure_index: ArticleIndex) -> None:
    doc = _document(
        [
            (
                "第四条",
                "行政机关作出责令停产停业决定之前，应当告知当事人有要求听证的权利；"
                "当事人要求听证的，应当在行政机关告知后三日内提出。",
            )
        ]
    )
    found = match_document(doc, procedure_index, cited_laws={"某某程序条例"})
    by_article = {m.superior.article: m for m in found}
    assert set(by_article) == {1, 2}
    assert by_article[2].excerpt.startswith("当事人要求听证的")
    from rules.checks.references import compare_provisions

    assert [d.clause_value for d in compare_provisions(by_article[2].excerpt, by_article[2].restated)] == [
        "三日内"
    ]


def test_conduct_of_a_rewritten_penalty_finds_its_article(procedure_index: ArticleIndex) -> None:
    text = "未按照规定设置安全警示标志的，由主管部门责令改正，按每处五千元以上二万元以下处以罚款；情节严重的，责令停业整顿。"
    found = match_document(_document([("第六条", text)]), procedure_index, cited_laws={"某某程序条例"})
    assert [(m.superior.article, m.excerpt) for m in found] == [(3, text)]


def test_sentence_matches_stay_within_laws_in_play(procedure_index: ArticleIndex) -> None:
    # The second sentence restates 无关条例 word for word, but nothing else in the document
    # cites or restates that law: a short sentence alone does not bring a law in.
    doc = _document(
        [
            (
                "第二条",
                "本办法适用于本市行政区域内各类农贸市场、商场超市和网络平台的经营活动及其监督管理。"
                "当事人要求更正的，应当在收到通知后五日内提出书面申请。",
            )
        ]
    )
    cited = match_document(doc, procedure_index, cited_laws={"无关条例"})
    assert [m.superior.law_title for m in cited] == ["无关条例"]  # the same sentence, its law cited
    assert [m.superior.law_title for m in match_document(doc, procedure_index)] == []
