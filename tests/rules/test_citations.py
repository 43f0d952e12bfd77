"""Citation resolution: statuses on small hand-built laws, then the bars on the real local corpus."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from extractors.model import Article, DocumentKind, Span
from rules.citations import (
    CitationContext,
    check_cited_content,
    citation_from_span,
    resolve_citation,
    resolve_citations,
    titled_citations,
)
from rules.model import Citation, CitationStatus, Law, LawVersion, Resolution
from rules.registry import LawIndex, load_registry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "citations"
AS_OF = date(2026, 11, 1)

# Bars measured on the local corpus (docs/laws.md); a regression below them fails.
NATIONAL_COVERAGE_BAR = 0.98
SAMPLE_PRECISION_REPORTED = 1.0  # 200 of 200 hand-checked resolutions named the right law


def _version(title: str, published: date, bodies: list[str], *, expired: bool = False) -> LawVersion:
    return LawVersion(
        title=title,
        level=DocumentKind.LAW,
        published_on=published,
        effective_on=published,
        expired=expired,
        source="test",
        articles=tuple(
            Article(i, f"第{i}条", body, paragraphs=tuple(body.split("\n")))
            for i, body in enumerate(bodies, 1)
        ),
        version_label=published.isoformat(),
    )


_OLD = [
    "为了规范示范活动，制定本法。",
    "示范活动应当遵循公开、公平、公正的原则，任何单位和个人不得妨碍。",
    "县级以上人民政府示范主管部门负责本行政区域内的示范管理工作。\n其他有关部门在各自职责范围内负责相关工作。",
    "违反本法规定的，由示范主管部门责令改正，处一万元以上五万元以下的罚款。",
]
# 2022: a new article 2 pushes the rest down by one; article 3 (old) keeps its text.
_NEW = [
    "为了规范示范活动，制定本法。",
    "示范工作坚持中国共产党的领导。",
    "示范活动应当遵循公开、公平、公正的原则，任何单位和个人不得妨碍。",
    "县级以上人民政府示范主管部门负责本行政区域内的示范管理工作。\n其他有关部门在各自职责范围内负责相关工作。",
    "违反本法规定的，由示范主管部门责令改正，处二万元以上十万元以下的罚款；情节严重的，吊销许可证。",
]


@pytest.fixture(scope="module")
def index() -> LawIndex:
    demo = Law(
        "中华人民共和国示范法",
        ("示范法",),
        DocumentKind.LAW,
        (
            _version("中华人民共和国示范法", date(2010, 1, 1), _OLD, expired=True),
            _version("中华人民共和国示范法", date(2022, 6, 1), _NEW),
        ),
    )
    rule = Law(
        "示范管理条例",
        (),
        DocumentKind.ADMINISTRATIVE_REGULATION,
        (
            _version(
                "示范管理条例", date(2015, 1, 1), ["为了实施示范法，制定本条例。", "本条例自公布之日起施行。"]
            ),
        ),
    )
    implementing = Law(
        "中华人民共和国示范法实施条例",
        ("示范法实施条例",),
        DocumentKind.ADMINISTRATIVE_REGULATION,
        (_version("中华人民共和国示范法实施条例", date(2016, 1, 1), ["根据示范法，制定本条例。"]),),
    )
    return LawIndex([demo, rule, implementing], load_registry())


def _cite(raw: str, title: str | None, article: int | None = None, paragraph: int | None = None) -> Citation:
    return Citation(raw=raw, law_title=title, article=article, paragraph=paragraph)


def test_resolve_citation_current_article_is_ok(index: LawIndex) -> None:
    res = resolve_citation(
        _cite("《示范法》第三条", "示范法", 3), index, doc_date=date(2023, 1, 1), as_of=AS_OF
    )
    assert (res.status, res.law_title, res.current_article) == (CitationStatus.OK, "中华人民共和国示范法", 3)


def test_resolve_citation_renumbered_article_is_old_version(index: LawIndex) -> None:
    res = resolve_citation(
        _cite("《中华人民共和国示范法》第三条", "中华人民共和国示范法", 3),
        index,
        doc_date=date(2015, 1, 1),
        as_of=AS_OF,
    )
    assert res.status is CitationStatus.OLD_VERSION
    assert res.current_article == 4
    assert res.note is not None and "第四条" in res.note


def test_resolve_citation_unchanged_article_of_old_version_is_ok(index: LawIndex) -> None:
    res = resolve_citation(
        _cite("《示范法》第一条", "示范法", 1), index, doc_date=date(2015, 1, 1), as_of=AS_OF
    )
    assert (res.status, res.current_article) == (CitationStatus.OK, 1)


def test_resolve_citation_amended_article_is_old_version(index: LawIndex) -> None:
    res = resolve_citation(
        _cite("《示范法》第四条", "示范法", 4), index, doc_date=date(2015, 1, 1), as_of=AS_OF
    )
    assert res.status is CitationStatus.OLD_VERSION
    assert res.current_article == 5


def test_resolve_citation_missing_article_is_no_such_article(index: LawIndex) -> None:
    res = resolve_citation(_cite("《示范法》第九十条", "示范法", 90), index, doc_date=None, as_of=AS_OF)
    assert res.status is CitationStatus.NO_SUCH_ARTICLE


def test_resolve_citation_missing_paragraph_is_no_such_article(index: LawIndex) -> None:
    res = resolve_citation(_cite("《示范法》第四条第三款", "示范法", 4, 3), index, doc_date=None, as_of=AS_OF)
    assert res.status is CitationStatus.NO_SUCH_ARTICLE
    assert res.note is not None and "第三款" in res.note


@pytest.mark.parametrize(
    ("title", "successor", "when"),
    [
        ("中华人民共和国合同法", "中华人民共和国民法典", "2021年1月1日"),
        ("婚姻法", "中华人民共和国民法典", "2021年1月1日"),
        ("中华人民共和国治安管理处罚条例", "中华人民共和国治安管理处罚法", "2006年3月1日"),
        ("食品卫生法", "中华人民共和国食品安全法", "2009年6月1日"),
    ],
)
def test_resolve_citation_repealed_law_names_successor(
    index: LawIndex, title: str, successor: str, when: str
) -> None:
    res = resolve_citation(_cite(f"《{title}》", title), index, doc_date=date(2005, 1, 1), as_of=AS_OF)
    assert res.status is CitationStatus.REPEALED_LAW
    assert res.successor == successor
    assert res.note is not None and when in res.note and successor in res.note


def test_resolve_citation_not_yet_repealed_on_as_of_is_ok(index: LawIndex) -> None:
    res = resolve_citation(_cite("《合同法》", "合同法"), index, doc_date=None, as_of=date(2019, 1, 1))
    assert res.status is CitationStatus.OK


@pytest.mark.parametrize("title", ["上海市示范条例", "营业执照", "不存在的管理办法"])
def test_resolve_citation_unknown_law_never_raises(index: LawIndex, title: str) -> None:
    res = resolve_citation(_cite(f"《{title}》", title), index, doc_date=None, as_of=AS_OF)
    assert res.status is CitationStatus.UNKNOWN_LAW


def test_resolve_citation_ambiguous_alias() -> None:
    from rules.registry import Registry, RegistryLaw

    registry = Registry(
        [
            RegistryLaw("甲示范法", DocumentKind.LAW, ("示范法",), "test"),
            RegistryLaw("乙示范法", DocumentKind.LAW, ("示范法",), "test"),
        ],
        [],
        [],
    )
    both = LawIndex(
        [
            Law("甲示范法", (), DocumentKind.LAW, (_version("甲示范法", date(2020, 1, 1), ["甲。"]),)),
            Law("乙示范法", (), DocumentKind.LAW, (_version("乙示范法", date(2020, 1, 1), ["乙。"]),)),
        ],
        registry,
    )
    res = resolve_citation(_cite("《示范法》", "示范法"), both, doc_date=None, as_of=AS_OF)
    assert res.status is CitationStatus.AMBIGUOUS


def test_resolve_citation_this_law_is_the_document_itself(index: LawIndex) -> None:
    context = CitationContext(document_title="上海市示范办法", document_articles=frozenset({1, 2, 3}))
    res = resolve_citation(_cite("本办法第二条", None, 2), index, doc_date=None, as_of=AS_OF, context=context)
    assert (res.status, res.law_title) == (CitationStatus.OK, "上海市示范办法")


def test_resolve_citation_this_law_missing_article(index: LawIndex) -> None:
    context = CitationContext(document_title="上海市示范办法", document_articles=frozenset({1, 2, 3}))
    res = resolve_citation(_cite("本办法第九条", None, 9), index, doc_date=None, as_of=AS_OF, context=context)
    assert res.status is CitationStatus.NO_SUCH_ARTICLE


def test_resolve_citation_this_law_inside_a_corpus_law(index: LawIndex) -> None:
    context = CitationContext(document_title="中华人民共和国示范法")
    res = resolve_citation(_cite("本法第二条", None, 2), index, doc_date=None, as_of=AS_OF, context=context)
    assert (res.status, res.law_title) == (CitationStatus.OK, "中华人民共和国示范法")


@pytest.mark.parametrize("raw", ["该法第三条", "上述法律第三条", "该法"])
def test_resolve_citation_that_law_is_the_last_cited(index: LawIndex, raw: str) -> None:
    context = CitationContext(document_title="上海市示范办法", last_law="中华人民共和国示范法")
    article = 3 if "第三条" in raw else None
    res = resolve_citation(_cite(raw, None, article), index, doc_date=None, as_of=AS_OF, context=context)
    assert (res.status, res.law_title) == (CitationStatus.OK, "中华人民共和国示范法")


def test_resolve_citation_that_law_without_antecedent_is_unknown(index: LawIndex) -> None:
    res = resolve_citation(_cite("该条例第二条", None, 2), index, doc_date=None, as_of=AS_OF)
    assert res.status is CitationStatus.UNKNOWN_LAW


@pytest.mark.parametrize("raw", ["前款", "本条第二款", "第三款"])
def test_resolve_citation_relative_reference_stays_in_document(index: LawIndex, raw: str) -> None:
    context = CitationContext(document_title="上海市示范办法", current_article=5)
    res = resolve_citation(_cite(raw, None), index, doc_date=None, as_of=AS_OF, context=context)
    assert (res.status, res.law_title) == (CitationStatus.OK, "上海市示范办法")


def test_resolve_citations_carry_the_last_cited_law(index: LawIndex) -> None:
    cites = [_cite("《示范法》", "示范法"), _cite("该法第三条", None, 3)]
    results = list(
        resolve_citations(cites, index, doc_date=None, as_of=AS_OF, context=CitationContext("上海市示范办法"))
    )
    assert [r.law_title for r in results] == ["中华人民共和国示范法", "中华人民共和国示范法"]


def test_resolve_citations_implementing_regulation_of_last_law(index: LawIndex) -> None:
    cites = [_cite("《中华人民共和国示范法》", "中华人民共和国示范法"), _cite("《实施条例》", "实施条例")]
    results = list(resolve_citations(cites, index, doc_date=None, as_of=AS_OF))
    assert results[1].law_title == "中华人民共和国示范法实施条例"


def test_resolve_citation_doc_number_is_not_in_the_law_corpus(index: LawIndex) -> None:
    cite = Citation(raw="国办发〔2018〕37号", law_title=None, doc_number="国办发〔2018〕37号")
    assert resolve_citation(cite, index, doc_date=None, as_of=AS_OF).status is CitationStatus.UNKNOWN_LAW


def test_citation_from_span_reads_attrs() -> None:
    span = Span(
        "CITATION",
        10,
        28,
        "《中华人民共和国示范法》第十六条第二款",
        (("article", "16"), ("kind", "law"), ("law_title", "中华人民共和国示范法"), ("paragraph", "二")),
    )
    cite = citation_from_span(span)
    assert cite is not None
    assert (cite.law_title, cite.article, cite.paragraph, cite.span) == (
        "中华人民共和国示范法",
        16,
        2,
        (10, 28),
    )


@pytest.mark.parametrize("kind", ["certificate", "document"])
def test_citation_from_span_certificate_is_none(kind: str) -> None:
    span = Span("CITATION", 0, 6, "《营业执照》", (("kind", kind), ("law_title", "营业执照")))
    assert citation_from_span(span) is None


def test_citation_from_span_doc_number() -> None:
    span = Span("DOC_NUMBER_CITATION", 0, 12, "国办发〔2018〕37号", (("doc_number", "国办发〔2018〕37号"),))
    cite = citation_from_span(span)
    assert cite is not None and cite.doc_number == "国办发〔2018〕37号"


@pytest.mark.parametrize(
    ("text", "title", "article", "paragraph"),
    [
        ("依照《中华人民共和国示范法》第十六条第二款规定", "中华人民共和国示范法", 16, 2),
        ("根据《示范法》，制定本办法", "示范法", None, None),
        ("《关于修改〈示范条例〉的决定》", "关于修改〈示范条例〉的决定", None, None),
    ],
)
def test_titled_citations_finds_title_and_numbers(
    text: str, title: str, article: int | None, paragraph: int | None
) -> None:
    (cite,) = titled_citations(text)
    assert (cite.law_title, cite.article, cite.paragraph) == (title, article, paragraph)


# --- bars on the real corpus -------------------------------------------------------------------


def _labels() -> dict[str, dict[str, str]]:
    with (FIXTURES / "local_titles.csv").open(encoding="utf-8", newline="") as handle:
        return {row["cited_title"]: row for row in csv.DictReader(handle)}


@pytest.mark.corpus
@pytest.mark.slow
def test_local_corpus_national_citations_resolve_to_the_right_law(
    national_corpus: Path, local_corpus: Path
) -> None:
    from tests.rules.corpus_cache import local_citations, national_index

    laws = national_index(national_corpus)
    labels = _labels()
    national = right = 0
    for item, cites in local_citations(local_corpus):
        context = CitationContext(document_title=item.title)
        for cite, res in zip(
            cites,
            resolve_citations(cites, laws, doc_date=item.published_on, as_of=AS_OF, context=context),
            strict=True,
        ):
            label = labels.get(cite.law_title or "")
            if label is None or label["kind"] != "national":
                continue
            national += 1
            right += res.law_title == label["expected_law"]
    assert national > 900
    assert right / national >= NATIONAL_COVERAGE_BAR


@pytest.mark.corpus
@pytest.mark.slow
def test_local_corpus_other_titles_never_resolve_to_a_national_law(
    national_corpus: Path, local_corpus: Path
) -> None:
    from tests.rules.corpus_cache import national_index

    laws = national_index(national_corpus)
    wrong = [
        title
        for title, label in _labels().items()
        if label["kind"] != "national" and (m := laws.find_title(title)) is not None and m.law.versions
    ]
    assert wrong == []


@pytest.mark.corpus
@pytest.mark.slow
def test_sample_200_precision_at_least_reported(national_corpus: Path, local_corpus: Path) -> None:
    from tests.rules.corpus_cache import local_citations, national_index

    laws = national_index(national_corpus)
    with (FIXTURES / "sample_200.csv").open(encoding="utf-8", newline="") as handle:
        sample = list(csv.DictReader(handle))
    wanted = {(row["file"], row["citation"]) for row in sample}
    resolved: dict[tuple[str, str], str] = {}
    for item, cites in local_citations(local_corpus):
        if not any(f == item.path.name for f, _ in wanted):
            continue
        context = CitationContext(document_title=item.title)
        for cite, res in zip(
            cites,
            resolve_citations(cites, laws, doc_date=item.published_on, as_of=AS_OF, context=context),
            strict=True,
        ):
            resolved[(item.path.name, cite.raw)] = res.law_title or ""
    correct = sum(resolved.get((row["file"], row["citation"])) == row["right_law"] for row in sample)
    assert len(sample) == 200
    assert correct / len(sample) >= SAMPLE_PRECISION_REPORTED


def test_resolve_citations_that_article_is_the_article_cited_last(index: LawIndex) -> None:
    cites = [_cite("《示范法》第三条", "示范法", 3), _cite("该条", None)]
    results = list(
        resolve_citations(cites, index, doc_date=None, as_of=AS_OF, context=CitationContext("上海市示范办法"))
    )
    assert (results[1].law_title, results[1].current_article) == ("中华人民共和国示范法", 3)


def test_resolve_citation_above_provisions_stay_in_document(index: LawIndex) -> None:
    context = CitationContext(document_title="上海市示范办法", last_law="中华人民共和国示范法")
    res = resolve_citation(_cite("上述规定", None), index, doc_date=None, as_of=AS_OF, context=context)
    assert (res.status, res.law_title) == (CitationStatus.OK, "上海市示范办法")


def test_resolve_citation_document_older_than_corpus_says_so(index: LawIndex) -> None:
    res = resolve_citation(
        _cite("《示范法》第一条", "示范法", 1), index, doc_date=date(2001, 1, 1), as_of=AS_OF
    )
    assert res.status is CitationStatus.OK
    assert res.note is not None and "未收录" in res.note


def test_citation_context_for_document_knows_its_articles(index: LawIndex) -> None:
    from extractors.lawtext import parse_law_markdown

    doc = parse_law_markdown(
        "# 上海市示范办法\n\n<!-- INFO END -->\n\n第一条 为了示范，制定本办法。\n\n第二条 本办法自公布之日起施行。\n"
    )
    context = CitationContext.for_document(doc)
    assert (context.document_title, context.document_articles) == ("上海市示范办法", frozenset({1, 2}))
    res = resolve_citation(_cite("本办法第五条", None, 5), index, doc_date=None, as_of=AS_OF, context=context)
    assert res.status is CitationStatus.NO_SUCH_ARTICLE


# --- content of the cited article (check_cited_content) ---

_HEARING_LAW = [
    "为了规范示范执法，制定本法。",
    "示范执法应当由具有执法资格的人员实施，执法人员不得少于两人。",
    "示范主管部门作出较大数额罚款决定之前，应当告知当事人有要求听证的权利；当事人要求听证的，应当组织听证。",
    "执法人员在调查或者检查时，应当主动向当事人出示执法证件。",
]


def _hearing_law() -> Law:
    return Law(
        title="中华人民共和国示范执法法",
        short_titles=("示范执法法",),
        level=DocumentKind.LAW,
        versions=(_version("中华人民共和国示范执法法", date(2021, 1, 1), _HEARING_LAW),),
    )


def _cited(sentence: str, raw: str, article: int) -> Resolution:
    start = sentence.index(raw)
    cite = Citation(
        raw=raw, law_title="中华人民共和国示范执法法", article=article, span=(start, start + len(raw))
    )
    return Resolution(cite, CitationStatus.OK, law_title="中华人民共和国示范执法法", current_article=article)


def test_cited_content_held_by_another_article_makes_the_citation_stale() -> None:
    sentence = "行政机关作出较大数额罚款决定前，应当依照《中华人民共和国示范执法法》第二条的规定告知当事人有要求听证的权利"
    found = check_cited_content(
        _cited(sentence, "《中华人民共和国示范执法法》第二条", 2),
        sentence,
        _hearing_law(),
        doc_date=date(2022, 5, 1),
    )
    assert found.status is CitationStatus.OLD_VERSION
    assert found.current_article == 3
    assert "第二条" in (found.note or "") and "第三条" in (found.note or "")


@pytest.mark.parametrize(
    ("sentence", "article"),
    [
        # The right article: its content is there.
        (
            "示范主管部门作出较大数额罚款决定之前，应当依照《中华人民共和国示范执法法》第三条的规定告知当事人有要求听证的权利",
            3,
        ),
        # Too little content to say anything about the article.
        ("违反规定的，依照《中华人民共和国示范执法法》第二条的规定处理", 2),
    ],
    ids=["right-article", "no-content"],
)
def test_cited_content_leaves_good_and_contentless_citations_alone(sentence: str, article: int) -> None:
    raw = f"《中华人民共和国示范执法法》第{'二三'[article - 2]}条"
    resolution = _cited(sentence, raw, article)
    assert check_cited_content(resolution, sentence, _hearing_law(), doc_date=date(2022, 5, 1)) is resolution
