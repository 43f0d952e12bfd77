"""The legality review catalogue: every rule as data, read once from ``rules/data/catalogue.json``.

A rule is a stable id, a Chinese name and description, its legal basis, a severity, the decision
it implies, the name of the check that detects it (registered in `rules.checks`), declarative
triggers (span labels and regexes searched per sentence) and the lawful contexts that excuse a
trigger. Adding a rule means one catalogue entry, a check if no existing one fits, and its tests.

Precedence — one problem, one finding: a rule's ``overrides`` lists the rules whose findings on the
same sentence it suppresses (`penalty-creation` overrides the generic `obligation-without-basis`).
`Catalogue.precedence` orders the ids so that overriding rules come first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from extractors.model import DocumentKind
from rules.model import Decision, LegalBasis, Severity

CATALOGUE_PATH = Path(__file__).resolve().parent / "data" / "catalogue.json"

# Context sets searched in the text before a trigger (from the last comma) rather than the whole
# sentence: "不得收取保证金" is the opposite of a fee, but "不按期缴纳的，处罚款" is still a penalty.
PREFIX_CONTEXTS = frozenset({"negation"})


class CatalogueError(ValueError):
    """The catalogue data is malformed; the message names the rule and the bad setting."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One entry of the catalogue."""

    id: str
    name: str
    description: str
    basis: tuple[LegalBasis, ...]
    severity: Severity
    decision: Decision  # what the rule implies for the document: amend, or repeal
    core: bool  # a finding of this rule can make the document's purpose unlawful (废止)
    scope: str  # "clause": findings name a clause; "document": one finding per document
    check: str  # registered check name, e.g. qingli.pattern.v1
    labels: tuple[str, ...]  # span labels that trigger the rule
    patterns: tuple[re.Pattern[str], ...]  # regexes that trigger the rule within one sentence
    excuses: tuple[re.Pattern[str], ...]  # lawful contexts anywhere in the sentence
    prefix_excuses: tuple[re.Pattern[str], ...]  # lawful contexts just before the trigger
    allowed_kinds: frozenset[DocumentKind]  # document kinds that may lawfully do this
    overrides: tuple[str, ...]
    message: str  # Chinese template, str.format fields from the check
    suggestion: str  # Chinese template
    options: Mapping[str, Any]  # rule-specific settings (e.g. penalty types a 规章 may set)

    def applies_to(self, kind: DocumentKind) -> bool:
        """Whether a document of `kind` can break this rule at all."""
        return kind not in self.allowed_kinds

    def render(self, template: str, fields: Mapping[str, str]) -> str:
        """Fill a Chinese template; fields the check did not supply read as 有关."""
        return template.format_map(_Defaults(fields))


class _Defaults(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return {"law": "有关法律、法规", "agency": "有关部门"}.get(key, "")


@dataclass(frozen=True, slots=True)
class Catalogue:
    """All rules, in catalogue order, with their precedence."""

    rules: tuple[Rule, ...]
    version: int

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules)

    def overrides(self, winner: str, loser: str) -> bool:
        """Whether a finding of `winner` suppresses one of `loser` on the same evidence."""
        return loser in self.get(winner).overrides

    @property
    def precedence(self) -> tuple[str, ...]:
        """Rule ids ordered so that every rule comes before the rules it overrides."""
        order: list[str] = []
        visiting: set[str] = set()

        def visit(rule_id: str) -> None:
            if rule_id in order:
                return
            if rule_id in visiting:
                raise CatalogueError(f"precedence cycle through rule {rule_id!r}")
            visiting.add(rule_id)
            for other in self.rules:
                if rule_id in other.overrides:
                    visit(other.id)
            visiting.discard(rule_id)
            order.append(rule_id)

        for rule in self.rules:
            visit(rule.id)
        return tuple(order)

    def with_basis_text(self, article_text: Callable[[LegalBasis], str | None]) -> Catalogue:
        """A copy whose legal bases carry the article text `article_text` finds (e.g. from a LawIndex)."""
        rules = tuple(
            replace(r, basis=tuple(replace(b, text=b.text or article_text(b)) for b in r.basis))
            for r in self.rules
        )
        return replace(self, rules=rules)


def _compile(rule_id: str, setting: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise CatalogueError(f"rule {rule_id!r}: bad regex in {setting!r}: {exc}") from exc


def _rule(raw: Mapping[str, Any], contexts: Mapping[str, list[str]]) -> Rule:
    rule_id = str(raw.get("id", "?"))
    try:
        excuse_sets = [str(name) for name in raw.get("excuse", [])]
        for name in excuse_sets:
            if name not in contexts:
                raise CatalogueError(f"rule {rule_id!r}: unknown context set {name!r} in 'excuse'")
        sentence = [p for name in excuse_sets if name not in PREFIX_CONTEXTS for p in contexts[name]]
        sentence += [str(p) for p in raw.get("extra_excuses", [])]
        prefix = [p for name in excuse_sets if name in PREFIX_CONTEXTS for p in contexts[name]]
        return Rule(
            id=rule_id,
            name=str(raw["name"]),
            description=str(raw["description"]),
            basis=tuple(
                LegalBasis(str(b["law_title"]), b.get("article"), b.get("paragraph")) for b in raw["basis"]
            ),
            severity=Severity(raw["severity"]),
            decision=Decision(raw["decision"]),
            core=bool(raw.get("core", False)),
            scope=str(raw.get("scope", "clause")),
            check=str(raw["check"]),
            labels=tuple(str(x) for x in raw.get("labels", [])),
            patterns=tuple(_compile(rule_id, "patterns", p) for p in raw.get("patterns", [])),
            excuses=tuple(_compile(rule_id, "excuse", p) for p in sentence),
            prefix_excuses=tuple(_compile(rule_id, "excuse", p + "[^，,]{0,30}$") for p in prefix),
            allowed_kinds=frozenset(DocumentKind(k) for k in raw.get("allowed_kinds", [])),
            overrides=tuple(str(x) for x in raw.get("overrides", [])),
            message=str(raw["message"]),
            suggestion=str(raw["suggestion"]),
            options={k: v for k, v in raw.items() if k in {"rule_kinds_may_set"}},
        )
    except KeyError as exc:
        raise CatalogueError(f"rule {rule_id!r}: missing setting {exc.args[0]!r}") from exc
    except ValueError as exc:
        if isinstance(exc, CatalogueError):
            raise
        raise CatalogueError(f"rule {rule_id!r}: {exc}") from exc


def read_catalogue(path: Path) -> Catalogue:
    """Read and validate a catalogue file; errors name the rule and the setting."""
    data = json.loads(path.read_text(encoding="utf-8"))
    contexts: dict[str, list[str]] = {k: list(v) for k, v in data.get("context_patterns", {}).items()}
    rules = tuple(_rule(r, contexts) for r in data["rules"])
    ids = [r.id for r in rules]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise CatalogueError(f"duplicate rule ids: {sorted(duplicates)}")
    for rule in rules:
        unknown = set(rule.overrides) - set(ids)
        if unknown:
            raise CatalogueError(f"rule {rule.id!r}: 'overrides' names unknown rules {sorted(unknown)}")
        if rule.scope not in {"clause", "document"}:
            raise CatalogueError(f"rule {rule.id!r}: 'scope' must be clause or document, not {rule.scope!r}")
    catalogue = Catalogue(rules=rules, version=int(data.get("version", 1)))
    catalogue.precedence  # noqa: B018 - validates that the precedence has no cycle
    return catalogue


@cache
def load_catalogue() -> Catalogue:
    """The catalogue shipped with qingli, read once on first use."""
    return read_catalogue(CATALOGUE_PATH)
