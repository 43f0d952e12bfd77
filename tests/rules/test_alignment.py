"""Version alignment: small hand-built versions, then article pairs checked by hand on the real corpus."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from extractors.model import Article, DocumentKind
from rules.alignment import align_versions, map_article
from rules.model import Law, LawVersion


def _version(day: date, bodies: list[str]) -> LawVersion:
    return LawVersion(
        title="中华人民共和国示范法",
        level=DocumentKind.LAW,
        published_on=day,
        effective_on=day,
        expired=False,
        source="test",
        articles=tuple(Article(i, f"第{i}条", body) for i, body in enumerate(bodies, 1)),
        version_label=day.isoformat(),
    )


_A = [
    "为了规范示范活动，保护当事人的合法权益，制定本法。",
    "在中华人民共和国境内从事示范活动，适用本法。",
    "示范主管部门负责示范活动的监督管理工作，其他部门按照职责分工负责有关工作。",
    "示范经营者应当依法取得许可，并在许可范围内从事经营活动。",
    "违反本法规定，未取得许可从事示范经营的，由主管部门责令停止违法行为，没收违法所得。",
]
# Inserted article 2, deleted article 4, and article 5 extended with a new sentence.
_B = [
    "为了规范示范活动，保护当事人的合法权益，制定本法。",
    "示范工作坚持中国共产党的领导，坚持以人民为中心。",
    "在中华人民共和国境内从事示范活动，适用本法。",
    "示范主管部门负责示范活动的监督管理工作，其他部门按照职责分工负责有关工作。",
    "违反本法规定，未取得许可从事示范经营的，由主管部门责令停止违法行为，没收违法所得，并处十万元以下的罚款。",
]
_C = [*_B[:2], "国家鼓励示范科学研究。", *_B[2:]]


def test_align_versions_follows_insertions() -> None:
    alignment = align_versions(_version(date(2010, 1, 1), _A), _version(date(2020, 1, 1), _B))
    assert [(k.old, k.new) for k in alignment.links] == [(1, 1), (2, 3), (3, 4), (4, None), (5, 5)]


def test_align_versions_unchanged_article_scores_full() -> None:
    alignment = align_versions(_version(date(2010, 1, 1), _A), _version(date(2020, 1, 1), _B))
    link = alignment.link(1)
    assert link is not None and link.unchanged


def test_align_versions_amended_article_scores_lower() -> None:
    alignment = align_versions(_version(date(2010, 1, 1), _A), _version(date(2020, 1, 1), _B))
    link = alignment.link(5)
    assert link is not None and 50 <= link.score < 100


def test_align_versions_renumbered_lists_moves() -> None:
    alignment = align_versions(_version(date(2010, 1, 1), _A), _version(date(2020, 1, 1), _B))
    assert [(k.old, k.new) for k in alignment.renumbered] == [(2, 3), (3, 4)]


def test_align_versions_empty_new_version_deletes_everything() -> None:
    alignment = align_versions(_version(date(2010, 1, 1), _A), _version(date(2020, 1, 1), []))
    assert all(k.new is None for k in alignment.links)


def test_map_article_chains_versions() -> None:
    versions = (
        _version(date(2010, 1, 1), _A),
        _version(date(2020, 1, 1), _B),
        _version(date(2024, 1, 1), _C),
    )
    law = Law("中华人民共和国示范法", ("示范法",), DocumentKind.LAW, versions)
    link = map_article(law, 3, start=versions[0], end=versions[2])
    assert link is not None and (link.new, link.score) == (5, 100.0)


def test_map_article_deleted_article_has_no_target() -> None:
    versions = (_version(date(2010, 1, 1), _A), _version(date(2020, 1, 1), _B))
    law = Law("中华人民共和国示范法", ("示范法",), DocumentKind.LAW, versions)
    link = map_article(law, 4, start=versions[0], end=versions[1])
    assert link is not None and link.new is None


def test_map_article_unknown_article_is_none() -> None:
    versions = (_version(date(2010, 1, 1), _A), _version(date(2020, 1, 1), _B))
    law = Law("中华人民共和国示范法", ("示范法",), DocumentKind.LAW, versions)
    assert map_article(law, 99, start=versions[0], end=versions[1]) is None


# Pairs verified by reading both texts of the shared corpus (docs/laws.md lists what each is about).
_VERIFIED = [
    ("中华人民共和国立法法", 8, 11),  # 只能制定法律的事项 (法律保留)
    ("中华人民共和国立法法", 9, 12),  # 授权国务院先制定行政法规
    ("中华人民共和国立法法", 80, 91),  # 部门规章的制定
    ("中华人民共和国立法法", 82, 93),  # 地方政府规章的制定
    ("中华人民共和国反垄断法", 5, 6),  # 经营者依法实施集中
    ("中华人民共和国反垄断法", 13, 17),  # 横向垄断协议
    ("中华人民共和国反垄断法", 17, 22),  # 滥用市场支配地位
    ("中华人民共和国反垄断法", 21, 26),  # 经营者集中申报 (2022 adds 款)
    ("中华人民共和国反垄断法", 46, 56),  # 垄断协议的法律责任
    ("中华人民共和国反垄断法", 50, 60),  # 民事责任 (2022 adds 公益诉讼)
    ("中华人民共和国行政复议法", 6, 11),  # 行政复议范围
    ("中华人民共和国行政复议法", 9, 20),  # 六十日申请期限
    ("中华人民共和国行政复议法", 19, 34),  # 复议前置
]


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize(("title", "old", "new"), _VERIFIED)
def test_align_versions_real_renumbering(national_corpus: Path, title: str, old: int, new: int) -> None:
    from tests.rules.corpus_cache import national_laws

    law = next(law for law in national_laws(national_corpus) if law.title == title)
    link = align_versions(law.versions[0], law.versions[1]).link(old)
    assert link is not None and link.new == new
