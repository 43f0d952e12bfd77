"""Registry facts, title normalisation and the title index."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from extractors.model import Article, DocumentKind
from rules.model import Law, LawVersion
from rules.registry import (
    DATA_DIR,
    LawIndex,
    Registry,
    RegistryLaw,
    is_local_title,
    law_form,
    load_registry,
    title_key,
)


def _law(title: str, level: DocumentKind = DocumentKind.LAW, published: date = date(2020, 1, 1)) -> Law:
    version = LawVersion(
        title=title,
        level=level,
        published_on=published,
        effective_on=published,
        expired=False,
        source="test",
        articles=(Article(1, "第一条", "为了……，制定本法。"),),
        version_label=published.isoformat(),
    )
    short = title.removeprefix("中华人民共和国")
    return Law(title, (short,) if short != title else (), level, (version,))


@pytest.fixture(scope="module")
def index() -> LawIndex:
    laws = [
        _law("中华人民共和国行政处罚法"),
        _law("中华人民共和国行政许可法"),
        _law("中华人民共和国治安管理处罚法"),
        _law("中华人民共和国地方各级人民代表大会和地方各级人民政府组织法"),
        _law("全国人民代表大会常务委员会关于司法鉴定管理问题的决定"),
        _law("中华人民共和国居民身份证法"),
        _law("物业管理条例", DocumentKind.ADMINISTRATIVE_REGULATION),
        _law("中华人民共和国民法典"),
    ]
    return LawIndex(laws, load_registry())


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("《中华人民共和国行政处罚法》", "行政处罚法"),
        ("〈中华人民共和国行政处罚法〉", "行政处罚法"),
        ("行政处罚法", "行政处罚法"),
        ("中华人民和国治安管理处罚法", "治安管理处罚法"),
        ("全国人大常委会关于司法鉴定管理问题的决定", "全国人民代表大会常务委员会关于司法鉴定管理问题的决定"),
        ("行政复议法（2017年修正）", "行政复议法"),
        ("中华人民共和国食品安全法（2021年版）", "食品安全法"),
        ("关于审理案件的解释（试行）", "关于审理案件的解释(试行)"),
        ("中华人民共和国宪法修正案（1988年）", "宪法修正案(1988年)"),
    ],
)
def test_title_key_normalises_written_forms(raw: str, key: str) -> None:
    assert title_key(raw) == key


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("《合同法》", "中华人民共和国合同法"),
        ("民法通则", "中华人民共和国民法通则"),
        ("地方组织法", "中华人民共和国地方各级人民代表大会和地方各级人民政府组织法"),
        ("〈刑法〉", "中华人民共和国刑法"),
        ("全国人大常委会关于司法鉴定管理问题的决定", "全国人民代表大会常务委员会关于司法鉴定管理问题的决定"),
    ],
)
def test_canonical_title_knows_short_forms_and_variants(raw: str, canonical: str) -> None:
    assert load_registry().canonical_title(raw) == canonical


def test_canonical_title_unknown_is_none() -> None:
    assert load_registry().canonical_title("上海市市容环境卫生管理条例") is None


@pytest.mark.parametrize(
    ("title", "repealed_on", "successor"),
    [
        ("婚姻法", date(2021, 1, 1), "中华人民共和国民法典"),
        ("中华人民共和国继承法", date(2021, 1, 1), "中华人民共和国民法典"),
        ("《物权法》", date(2021, 1, 1), "中华人民共和国民法典"),
        ("治安管理处罚条例", date(2006, 3, 1), "中华人民共和国治安管理处罚法"),
        ("食品卫生法", date(2009, 6, 1), "中华人民共和国食品安全法"),
        ("城市规划法", date(2008, 1, 1), "中华人民共和国城乡规划法"),
        ("行政监察法", date(2018, 3, 20), "中华人民共和国监察法"),
    ],
)
def test_repeal_of_gives_date_and_successor(title: str, repealed_on: date, successor: str) -> None:
    repeal = load_registry().repeal_of(title)
    assert repeal is not None
    assert (repeal.repealed_on, repeal.successor) == (repealed_on, successor)


def test_repeal_of_labour_re_education_has_no_successor() -> None:
    repeal = load_registry().repeal_of("国务院关于劳动教养问题的决定")
    assert repeal is not None
    assert repeal.repealed_on == date(2013, 12, 28)
    assert repeal.successor is None


def test_repeal_of_law_in_force_is_none() -> None:
    assert load_registry().repeal_of("中华人民共和国行政处罚法") is None


def test_civil_code_replaced_exactly_nine_laws() -> None:
    replaced = [r for r in load_registry().repeals if r.successor == "中华人民共和国民法典"]
    assert len(replaced) == 9
    assert {r.repealed_on for r in replaced} == {date(2021, 1, 1)}


@pytest.mark.parametrize(
    ("name", "successor"),
    [
        ("国土资源部", "自然资源部"),
        ("环境保护部", "生态环境部"),
        ("农业部", "农业农村部"),
        ("文化部", "文化和旅游部"),
        ("国家旅游局", "文化和旅游部"),
        ("国家工商行政管理总局", "国家市场监督管理总局"),
        ("国家质量监督检验检疫总局", "国家市场监督管理总局"),
        ("国家食品药品监督管理总局", "国家市场监督管理总局"),
        ("国家安全生产监督管理总局", "应急管理部"),
        ("监察部", "国家监察委员会"),
        ("国家新闻出版广电总局", "国家广播电视总局"),
    ],
)
def test_agency_successor_national_2018_reform(name: str, successor: str) -> None:
    change = load_registry().agency_successor(name, as_of=date(2020, 1, 1))
    assert change is not None
    assert change.successor == successor


@pytest.mark.parametrize(
    ("name", "successor"),
    [
        ("上海市工商行政管理局", "上海市市场监督管理局"),
        ("北京市质量技术监督局", "北京市市场监督管理局"),
        ("浦东新区食品药品监督管理局", "浦东新区市场监督管理局"),
        ("上海市规划和国土资源管理局", "上海市规划和自然资源局"),
        ("某某县国土资源局", "某某县自然资源局"),
        ("上海市环境保护局", "上海市生态环境局"),
        ("北京市卫生和计划生育委员会", "北京市卫生健康委员会"),
        ("上海市安全生产监督管理局", "上海市应急管理局"),
        ("北京市旅游发展委员会", "北京市文化和旅游局"),
        ("某某区文化广播电视新闻出版局", "某某区文化和旅游局"),
    ],
)
def test_agency_successor_local_by_pattern(name: str, successor: str) -> None:
    change = load_registry().agency_successor(name, as_of=date(2020, 1, 1))
    assert change is not None
    assert change.successor == successor


@pytest.mark.parametrize("name", ["上海市文化和旅游局", "上海市市场监督管理局", "自然资源部", "上海市司法局"])
def test_agency_successor_current_name_is_unchanged(name: str) -> None:
    assert load_registry().agency_successor(name, as_of=date(2020, 1, 1)) is None


def test_agency_successor_not_yet_reformed_on_as_of() -> None:
    assert load_registry().agency_successor("环境保护部", as_of=date(2017, 6, 1)) is None


def test_agency_successor_follows_chained_reforms() -> None:
    change = load_registry().agency_successor("卫生部", as_of=date(2020, 1, 1))
    assert change is not None
    assert change.successor == "国家卫生健康委员会"
    assert change.via == ("国家卫生和计划生育委员会",)


def test_agency_successor_chain_stops_at_as_of() -> None:
    change = load_registry().agency_successor("卫生部", as_of=date(2015, 1, 1))
    assert change is not None
    assert change.successor == "国家卫生和计划生育委员会"


@pytest.mark.parametrize("name", ["laws.csv", "repeals.csv", "agencies.csv"])
def test_registry_data_every_row_has_a_source(name: str) -> None:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    assert all(row["source"].strip() for row in rows)


def test_registry_data_levels_are_document_kinds() -> None:
    registry = load_registry()
    assert all(law.level is not DocumentKind.UNKNOWN for law in registry.laws)
    assert all(repeal.level is not DocumentKind.UNKNOWN for repeal in registry.repeals)


@pytest.mark.parametrize(
    ("raw", "title", "method"),
    [
        ("中华人民共和国行政处罚法", "中华人民共和国行政处罚法", "exact"),
        ("《行政处罚法》", "中华人民共和国行政处罚法", "exact"),
        ("〈中华人民共和国行政许可法〉", "中华人民共和国行政许可法", "exact"),
        ("中华人民和国治安管理处罚法", "中华人民共和国治安管理处罚法", "exact"),
        ("地方组织法", "中华人民共和国地方各级人民代表大会和地方各级人民政府组织法", "alias"),
        (
            "全国人大常委会关于司法鉴定管理问题的决定",
            "全国人民代表大会常务委员会关于司法鉴定管理问题的决定",
            "exact",
        ),
        ("中华人民共和国治安管理处法", "中华人民共和国治安管理处罚法", "fuzzy"),
        (
            "中华人民共和国地方各级人民代表大会和地方各级人民政府组识法",
            "中华人民共和国地方各级人民代表大会和地方各级人民政府组织法",
            "fuzzy",
        ),
    ],
)
def test_find_title_matches_written_forms(index: LawIndex, raw: str, title: str, method: str) -> None:
    match = index.find_title(raw)
    assert match is not None
    assert (match.law.title, match.method) == (title, method)


@pytest.mark.parametrize("raw", ["居民身份证", "营业执照", "企业法人营业执照", "总体方案", "许可证"])
def test_find_title_certificates_do_not_match_laws(index: LawIndex, raw: str) -> None:
    assert index.find_title(raw) is None


@pytest.mark.parametrize("raw", ["北京市物业管理条例", "上海市治安管理处罚条例", "本市行政处罚办法"])
def test_find_title_local_titles_do_not_fuzzily_match_national_laws(index: LawIndex, raw: str) -> None:
    assert index.find_title(raw) is None


def test_find_title_knows_repealed_laws_without_text(index: LawIndex) -> None:
    match = index.find_title("《中华人民共和国合同法》")
    assert match is not None
    assert match.law.repealed_on == date(2021, 1, 1)
    assert match.law.successor == "中华人民共和国民法典"


def test_find_title_alias_of_two_laws_is_ambiguous() -> None:
    registry = Registry(
        [
            RegistryLaw("甲组织法", DocumentKind.LAW, ("组织法",), "test"),
            RegistryLaw("乙组织法", DocumentKind.LAW, ("组织法",), "test"),
        ],
        [],
        [],
    )
    index = LawIndex([_law("甲组织法"), _law("乙组织法")], registry)
    match = index.find_title("组织法")
    assert match is not None
    assert match.ambiguous


def test_find_title_empty_is_none(index: LawIndex) -> None:
    assert index.find_title("《》") is None


@pytest.mark.parametrize(
    ("key", "local"),
    [
        ("上海市消防条例", True),
        ("本市若干规定", True),
        ("城市市容和环境卫生管理条例", False),
        ("城市房地产管理法", False),
    ],
)
def test_is_local_title_by_place_name(key: str, local: bool) -> None:
    assert is_local_title(key) is local


@pytest.mark.parametrize(
    ("key", "form"),
    [("行政处罚法", "法"), ("物业管理条例", "条例"), ("土地管理法实施条例", "实施条例"), ("营业执照", None)],
)
def test_law_form_from_title_ending(key: str, form: str | None) -> None:
    assert law_form(key) == form


@pytest.mark.corpus
def test_registry_successors_exist_in_national_corpus(national_corpus: Path) -> None:
    from tests.rules.corpus_cache import national_index

    index = national_index(national_corpus)
    missing = [
        r.successor
        for r in index.registry.repeals
        if r.successor and ((m := index.find_title(r.successor)) is None or not m.law.versions)
    ]
    # 合同法 (successor of the 1999 contract laws) is itself repealed and has no text in the corpus.
    assert set(missing) <= {"中华人民共和国合同法"}


def test_find_title_local_regulation_in_the_index_matches_exactly() -> None:
    local = _law("上海市示范条例", DocumentKind.LOCAL_REGULATION)
    index = LawIndex([_law("中华人民共和国示范法"), local], load_registry())
    match = index.find_title("《上海市示范条例》")
    assert match is not None and (match.law.title, match.method) == ("上海市示范条例", "exact")


@pytest.mark.parametrize(
    ("name", "successor"),
    [
        ("市工商局", "市市场监管局"),
        ("区质监局", "区市场监管局"),
        ("市卫计委", "市卫健委"),
        ("区安监局", "区应急局"),
        ("市政府法制办", "市司法局"),
        ("上海市人民政府法制办公室", "上海市司法局"),
        ("国家工商总局", "国家市场监督管理总局"),
        ("中国银监会", "国家金融监督管理总局"),
    ],
)
def test_agency_successor_common_abbreviations(name: str, successor: str) -> None:
    change = load_registry().agency_successor(name, as_of=date(2024, 1, 1))
    assert change is not None
    assert change.successor == successor


def test_agency_successor_three_reforms_chain() -> None:
    change = load_registry().agency_successor("国家环保局", as_of=date(2024, 1, 1))
    assert change is not None
    assert (change.successor, change.via) == ("生态环境部", ("国家环境保护总局", "环境保护部"))


def test_agency_successor_unlisted_national_body_is_not_guessed() -> None:
    assert load_registry().agency_successor("国家某某旅游局", as_of=date(2024, 1, 1)) is None


def test_law_index_merges_versions_of_one_law_from_two_sources() -> None:
    older = _law("中华人民共和国示范法", published=date(2015, 1, 1))
    newer = _law("中华人民共和国示范法", published=date(2023, 1, 1))
    index = LawIndex(
        [newer, older, _law("中华人民共和国示范法", published=date(2023, 1, 1))], load_registry()
    )
    law = index.get("中华人民共和国示范法")
    assert law is not None
    assert [v.version_label for v in law.versions] == ["2015-01-01", "2023-01-01"]
    assert [v.expired for v in law.versions] == [True, False]
