"""The catalogue as data: required ids, bases, precedence, validation errors that name the setting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.model import DocumentKind
from rules.catalogue import CATALOGUE_PATH, CatalogueError, load_catalogue, read_catalogue
from rules.checks import CHECKS
from rules.model import LegalBasis

REQUIRED = {
    "penalty-creation",
    "licensing-creation",
    "compulsory-measure-creation",
    "unlawful-fee",
    "obligation-without-basis",
    "fair-competition",
    "repealed-citation",
    "stale-article-citation",
    "penalty-range-exceeded",
    "superior-conflict",
    "outdated-agency",
    "expired-validity",
    "obsolete-subject",
}


def test_catalogue_has_exactly_the_required_ids() -> None:
    assert set(load_catalogue().ids) == REQUIRED


def test_catalogue_every_rule_has_chinese_texts_and_a_registered_check() -> None:
    for rule in load_catalogue():
        assert rule.name and rule.description and rule.message and rule.suggestion
        assert rule.basis, rule.id
        assert rule.check in CHECKS, rule.id


@pytest.mark.parametrize(
    ("rule_id", "law", "article"),
    [
        ("penalty-creation", "中华人民共和国行政处罚法", 16),
        ("licensing-creation", "中华人民共和国行政许可法", 17),
        ("compulsory-measure-creation", "中华人民共和国行政强制法", 10),
        ("fair-competition", "公平竞争审查条例", 8),
        ("fair-competition", "中华人民共和国反垄断法", 39),
        ("obligation-without-basis", "中华人民共和国立法法", 91),
        ("obligation-without-basis", "中华人民共和国立法法", 93),
        ("unlawful-fee", "优化营商环境条例", 25),
    ],
)
def test_catalogue_basis_names_the_article(rule_id: str, law: str, article: int) -> None:
    assert LegalBasis(law, article) in load_catalogue().get(rule_id).basis


@pytest.mark.parametrize(
    ("winner", "loser"),
    [
        ("penalty-creation", "obligation-without-basis"),
        ("unlawful-fee", "obligation-without-basis"),
        ("licensing-creation", "superior-conflict"),
        ("penalty-range-exceeded", "penalty-creation"),
        ("compulsory-measure-creation", "penalty-creation"),
    ],
)
def test_catalogue_precedence_puts_specific_before_generic(winner: str, loser: str) -> None:
    catalogue = load_catalogue()
    assert catalogue.overrides(winner, loser)
    assert catalogue.precedence.index(winner) < catalogue.precedence.index(loser)


def test_catalogue_rules_may_set_what_their_kind_allows() -> None:
    catalogue = load_catalogue()
    assert not catalogue.get("penalty-creation").applies_to(DocumentKind.LOCAL_REGULATION)
    assert catalogue.get("penalty-creation").applies_to(DocumentKind.NORMATIVE_DOCUMENT)
    assert catalogue.get("compulsory-measure-creation").applies_to(DocumentKind.LOCAL_GOVERNMENT_RULE)


@pytest.mark.corpus
def test_catalogue_bases_resolve_against_the_corpus(national_corpus: Path) -> None:
    from extractors.lawtext import read_law_markdown

    files = {
        "中华人民共和国行政处罚法": "行政法/行政处罚法(2021-01-22).md",
        "中华人民共和国行政许可法": "行政法/行政许可法(2019-04-23).md",
        "中华人民共和国行政强制法": "行政法/行政强制法(2011-06-30).md",
        "公平竞争审查条例": "行政法规/公平竞争审查条例(2024-06-06).md",
        "优化营商环境条例": "行政法规/优化营商环境条例(2019-10-22).md",
        "中华人民共和国反垄断法": "经济法/反垄断法(2022-06-24).md",
        "中华人民共和国立法法": "宪法相关法/立法法(2023-03-13).md",
    }
    for rule in load_catalogue():
        for basis in rule.basis:
            if basis.article is None or basis.law_title not in files:
                continue
            doc = read_law_markdown(national_corpus / files[basis.law_title])
            assert doc.clause(f"第{_cn(basis.article)}条") is not None, (rule.id, basis)


def _cn(n: int) -> str:
    from extractors.numerals import int_to_chinese

    return int_to_chinese(n)


def _write(tmp_path: Path, mutate: object) -> Path:
    data = json.loads(CATALOGUE_PATH.read_text("utf-8"))
    mutate(data)  # type: ignore[operator]
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def test_read_catalogue_bad_regex_names_rule_and_setting(tmp_path: Path) -> None:
    path = _write(tmp_path, lambda d: d["rules"][0]["patterns"].append("(unclosed"))
    with pytest.raises(CatalogueError, match=r"penalty-creation.*patterns"):
        read_catalogue(path)


def test_read_catalogue_unknown_override_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, lambda d: d["rules"][0]["overrides"].append("no-such-rule"))
    with pytest.raises(CatalogueError, match="overrides"):
        read_catalogue(path)


def test_read_catalogue_precedence_cycle_is_an_error(tmp_path: Path) -> None:
    def cycle(d: dict) -> None:  # type: ignore[type-arg]
        rules = {r["id"]: r for r in d["rules"]}
        rules["obligation-without-basis"]["overrides"].append("penalty-creation")

    with pytest.raises(CatalogueError, match="cycle"):
        read_catalogue(_write(tmp_path, cycle))


def test_with_basis_text_fills_article_text() -> None:
    filled = load_catalogue().with_basis_text(lambda b: f"{b.law_title}{b.article}")
    basis = filled.get("penalty-creation").basis[0]
    assert basis.text == "中华人民共和国行政处罚法16"
