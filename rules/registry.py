"""The law registry: canonical titles and their variants, repealed laws, renamed agencies, and the title index.

Facts live in ``rules/data/*.csv`` (one source note per row) and are loaded once, on first use.
`LawIndex` puts corpus laws and registry facts together and answers "which law does this
title as written mean?" — exact and alias matches first, a calibrated fuzzy match last.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from extractors.model import DocumentKind
from rules.model import Law

DATA_DIR = Path(__file__).resolve().parent / "data"

PRC_PREFIX = "中华人民共和国"

# Fuzzy title matches below this score (rapidfuzz `fuzz.ratio` over normalised title keys, 0..100)
# are not trusted. Calibrated (benchmarks/bench_corpus.py, docs/laws.md) on the national laws the
# local corpus cites: every one-character deletion and substitution of their titles was looked up.
# At 84, 99.7% of the fuzzy answers name the right law (recall: 89% of deletions, 69% of
# substitutions); at 80 precision falls to 98.7%. Real non-statute titles that pass the form and
# locality guards (《实施条例》, …) score at most 73.
FUZZY_TITLE_THRESHOLD = 84.0
# Two different laws whose fuzzy scores lie within this margin make the match ambiguous.
AMBIGUITY_MARGIN = 2.0
# A leading 中华人民共和国 written with at most this many typos is still recognised as the prefix.
PREFIX_MAX_TYPOS = 1

# Forms a title of a law or regulation ends with; fuzzy matching is only tried between titles of
# the same form, so 《…许可证》 or 《…方案》 never fuzzily become a statute.
LAW_FORMS = (
    "实施细则", "实施办法", "实施条例", "补充规定", "暂行条例", "暂行规定", "暂行办法",
    "条例", "规定", "办法", "决定", "细则", "规则", "解释", "法",
)  # fmt: skip

# Where a title names a province, municipality or lower unit, it is a local instrument: it may
# match a local corpus title exactly but never fuzzily a national one.
_PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "四川", "贵州",
    "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "深圳", "浦东",
)  # fmt: skip
_LOCAL_MARK = re.compile(
    "(" + "|".join(_PROVINCES) + r")|^(本市|本省|本区|本县|本自治区|市人民|区人民|县人民)"
    r"|^(?!城市|都市)[\u4e00-\u9fff]{2,4}(市|自治州|自治县)(?![场容民政])"
)
# A version note after a title, 行政复议法（2017年修正）: it names a version, not another law.
# 宪法修正案（1988年） keeps its year: that year is part of the title.
_VERSION_NOTE = re.compile(r"\(\d{4}年(修正|修订|修改|版|文本)本?\)$")
_NATIONAL_PREFIXES = ("国家", "国务院", "中国", "中华人民共和国", "全国")
_QUOTES = str.maketrans("", "", "《》〈〉<>“”\"'‘’「」『』 \t\r\n\u3000")
_NPCSC_SHORT = (("全国人大常委会", "全国人民代表大会常务委员会"), ("全国人大", "全国人民代表大会"))


def title_key(raw: str) -> str:
    """Normalise a title as written (《》, 〈〉, width, 全国人大常委会, 中华人民共和国) into the key titles are compared by."""
    text = unicodedata.normalize("NFKC", raw).translate(_QUOTES)
    for short, full in _NPCSC_SHORT:
        if short in text and full not in text:
            text = text.replace(short, full)
    text = _VERSION_NOTE.sub("", _strip_prefix(text))
    return text.replace(PRC_PREFIX, "")


def _strip_prefix(text: str) -> str:
    """Drop a leading 中华人民共和国 even when written with a typo (中华人民和国, 中国人民共和国)."""
    if text.startswith(PRC_PREFIX):
        return text[len(PRC_PREFIX) :]
    if not text.startswith("中"):
        return text
    for width in (len(PRC_PREFIX) - 1, len(PRC_PREFIX) + 1):
        if Levenshtein.distance(text[:width], PRC_PREFIX) <= PREFIX_MAX_TYPOS:
            return text[width:]
    return text


def is_local_title(key: str) -> bool:
    """True when a title key names a province/city instrument (上海市…条例, 本市…), which no national law matches fuzzily."""
    return bool(_LOCAL_MARK.search(key))


def law_form(key: str) -> str | None:
    """The form a title ends with (法, 条例, 规定 …), or None for certificates, plans and the like."""
    return next((form for form in LAW_FORMS if key.endswith(form)), None)


@dataclass(frozen=True, slots=True)
class RegistryLaw:
    """A law the registry knows by title and aliases, whether or not the corpus holds its text."""

    title: str
    level: DocumentKind
    aliases: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class Repeal:
    """A law repealed on `repealed_on`, and the law that replaced it (None when nothing did)."""

    title: str
    repealed_on: date
    successor: str | None
    level: DocumentKind
    source: str


@dataclass(frozen=True, slots=True)
class AgencyChange:
    """An agency abolished or renamed on `effective_on`, with the body that took over its duties.

    `via` lists the intermediate names when several reforms chain (卫生部 → 国家卫生和计划生育委员会 → …).
    """

    old_name: str
    successor: str
    effective_on: date
    scope: str  # "national": an exact name; "local": a name ending that applies to every locality
    source: str
    via: tuple[str, ...] = ()


class Registry:
    """Typed lookups over the registry facts in ``rules/data``."""

    def __init__(
        self,
        laws: Iterable[RegistryLaw],
        repeals: Iterable[Repeal],
        agencies: Iterable[AgencyChange],
    ) -> None:
        self.laws = tuple(laws)
        self.repeals = tuple(repeals)
        self.agencies = tuple(agencies)
        self._title_by_key: dict[str, str] = {}
        for law in self.laws:
            for name in (law.title, *law.aliases):
                self._title_by_key.setdefault(title_key(name), law.title)
        for repeal in self.repeals:
            self._title_by_key.setdefault(title_key(repeal.title), repeal.title)
        self._repeal_by_key = {title_key(r.title): r for r in self.repeals}
        self._national_agencies = {a.old_name: a for a in self.agencies if a.scope == "national"}
        # Longest endings first, so 规划和国土资源管理局 wins over a shorter ending it contains.
        self._local_agencies = sorted(
            (a for a in self.agencies if a.scope == "local"), key=lambda a: -len(a.old_name)
        )

    def canonical_title(self, raw: str) -> str | None:
        """The full official title the registry knows `raw` by (short form, 〈〉, missing 中华人民共和国), else None."""
        return self._title_by_key.get(title_key(raw))

    def repeal_of(self, title: str) -> Repeal | None:
        """The repeal of the law titled `title` (any written form), or None if the registry knows of none."""
        return self._repeal_by_key.get(title_key(title))

    def agency_successor(self, name: str, *, as_of: date) -> AgencyChange | None:
        """The body that has carried `name`'s duties since a reform in force on `as_of`, following chains; None if unchanged."""
        current = name.strip()
        steps: list[AgencyChange] = []
        while (change := self._one_change(current, as_of)) is not None and len(steps) < 5:
            steps.append(change)
            current = change.successor
        if not steps:
            return None
        last = steps[-1]
        return AgencyChange(
            old_name=name.strip(),
            successor=last.successor,
            effective_on=last.effective_on,
            scope=steps[0].scope,
            source="；".join(s.source for s in steps),
            via=tuple(s.successor for s in steps[:-1]),
        )

    def _one_change(self, name: str, as_of: date) -> AgencyChange | None:
        national = self._national_agencies.get(name)
        if national is not None:
            return national if national.effective_on <= as_of else None
        for change in self._local_agencies:
            place = name.removesuffix(change.old_name)
            # The ending must follow a place name (上海市, 浦东新区), and a new name that merely
            # ends the same way (文化和旅游局 ends with 旅游局) is not an old one.
            if place == name or not place or name.endswith(change.successor):
                continue
            if place.startswith(_NATIONAL_PREFIXES):
                return None  # national bodies are listed by exact name; an unlisted one is not guessed
            if change.effective_on > as_of:
                return None
            return replace(change, old_name=name, successor=place + change.successor)
        return None


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _kind(level: str) -> DocumentKind:
    return DocumentKind(level) if level in DocumentKind._value2member_map_ else DocumentKind.UNKNOWN


def read_registry(data_dir: Path) -> Registry:
    """Read the registry CSV files of `data_dir` (laws.csv, repeals.csv, agencies.csv)."""
    laws = [
        RegistryLaw(
            title=row["title"],
            level=_kind(row["level"]),
            aliases=tuple(a for a in row["aliases"].split("|") if a),
            source=row["source"],
        )
        for row in _read_csv(data_dir / "laws.csv")
    ]
    repeals = [
        Repeal(
            title=row["title"],
            repealed_on=date.fromisoformat(row["repealed_on"]),
            successor=row["successor"] or None,
            level=_kind(row["level"]),
            source=row["source"],
        )
        for row in _read_csv(data_dir / "repeals.csv")
    ]
    agencies = [
        AgencyChange(
            old_name=row["old_name"],
            successor=row["successor"],
            effective_on=date.fromisoformat(row["effective_on"]),
            scope=row["scope"],
            source=row["source"],
        )
        for row in _read_csv(data_dir / "agencies.csv")
    ]
    return Registry(laws, repeals, agencies)


@cache
def load_registry() -> Registry:
    """The registry shipped in ``rules/data``, read once."""
    return read_registry(DATA_DIR)


@dataclass(frozen=True, slots=True)
class TitleMatch:
    """The law a title as written names, how it was found, and any equally good rivals."""

    law: Law
    score: float  # 0..100
    method: str  # "exact" (title or short title), "alias" (registry), "fuzzy"
    candidates: tuple[Law, ...] = ()  # more than one: the title is ambiguous

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


class LawIndex:
    """Corpus laws and registry facts, looked up by title as written."""

    def __init__(self, laws: Iterable[Law], registry: Registry | None = None) -> None:
        self.registry = registry if registry is not None else load_registry()
        merged: dict[str, Law] = {}
        for law in laws:
            key = title_key(law.title)
            merged[key] = self._with_repeal(merge_law(merged[key], law) if key in merged else law)
        for fact in self.registry.laws:
            key = title_key(fact.title)
            if key not in merged:
                merged[key] = Law(fact.title, _short_titles(fact.title), fact.level, ())
        for repeal in self.registry.repeals:
            key = title_key(repeal.title)
            if key not in merged:
                merged[key] = self._with_repeal(
                    Law(repeal.title, _short_titles(repeal.title), repeal.level, ())
                )
        self.laws: tuple[Law, ...] = tuple(merged.values())
        self._exact: dict[str, list[Law]] = {}
        self._alias: dict[str, list[Law]] = {}
        for law in self.laws:
            for name in (law.title, *law.short_titles):
                _add(self._exact, title_key(name), law)
        for fact in self.registry.laws:
            target = merged[title_key(fact.title)]
            for alias in fact.aliases:
                key = title_key(alias)
                if key not in self._exact:
                    _add(self._alias, key, target)
        self._by_title = {law.title: law for law in self.laws}
        self._fuzzy_keys: dict[str, list[str]] = {}  # form -> keys of that form
        for key in self._exact:
            form = law_form(key)
            if form is not None and not is_local_title(key):
                self._fuzzy_keys.setdefault(form, []).append(key)

    def _with_repeal(self, law: Law) -> Law:
        repeal = self.registry.repeal_of(law.title)
        if repeal is None or law.repealed_on is not None:
            return law
        return replace(law, repealed_on=repeal.repealed_on, successor=repeal.successor)

    def __len__(self) -> int:
        return len(self.laws)

    def get(self, title: str) -> Law | None:
        """The law with exactly this canonical title."""
        return self._by_title.get(title)

    def find_title(self, raw: str) -> TitleMatch | None:
        """The law `raw` names: exact title or short title, registry alias, then fuzzy above the threshold; None if none."""
        key = title_key(raw)
        if not key:
            return None
        for table, method in ((self._exact, "exact"), (self._alias, "alias")):
            found = table.get(key)
            if found:
                return TitleMatch(found[0], 100.0, method, tuple(found) if len(found) > 1 else ())
        form = law_form(key)
        if form is None or is_local_title(key):
            return None
        choices = self._fuzzy_keys.get(form, [])
        hits = process.extract(
            key, choices, scorer=fuzz.ratio, processor=None, limit=5, score_cutoff=FUZZY_TITLE_THRESHOLD
        )
        if not hits:
            return None
        best_key, best_score, _ = hits[0]
        best = self._exact[best_key][0]
        rivals = [best] + [
            self._exact[k][0]
            for k, score, _ in hits[1:]
            if score >= best_score - AMBIGUITY_MARGIN and self._exact[k][0] is not best
        ]
        return TitleMatch(best, float(best_score), "fuzzy", tuple(rivals) if len(rivals) > 1 else ())


def _add(table: dict[str, list[Law]], key: str, law: Law) -> None:
    bucket = table.setdefault(key, [])
    if all(existing is not law for existing in bucket):
        bucket.append(law)


def _short_titles(title: str) -> tuple[str, ...]:
    short = title.removeprefix(PRC_PREFIX)
    return (short,) if short != title else ()


def merge_law(first: Law, second: Law) -> Law:
    """One law from two partial records of it (e.g. two sources): versions by date, oldest first, no duplicates."""
    seen: dict[str, object] = {}
    versions = []
    for version in sorted(
        (*first.versions, *second.versions),
        key=lambda v: (v.effective_on or v.published_on or date.min, v.published_on or date.min),
    ):
        label = version.version_label or str(version.published_on)
        if label in seen:
            continue
        seen[label] = version
        versions.append(version)
    # Every version but the newest is superseded, whichever source said otherwise.
    versions = [replace(v, expired=v.expired or i < len(versions) - 1) for i, v in enumerate(versions)]
    return replace(
        first,
        short_titles=tuple(dict.fromkeys((*first.short_titles, *second.short_titles))),
        versions=tuple(versions),
        repealed_on=first.repealed_on or second.repealed_on,
        successor=first.successor or second.successor,
    )
