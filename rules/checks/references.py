"""Checks over citations (already resolved against the corpus) and superior-article matches.

`repealed-citation` and `stale-article-citation` read `Resolution` statuses; `penalty-range-exceeded`
and `superior-conflict` read the structured differences of a `Match` (clause ↔ superior article).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from extractors.numerals import int_to_chinese
from rules.catalogue import Rule
from rules.checks.base import CheckInput, Hit, register_check, sentence_at
from rules.checks.creation import amounts_in
from rules.model import CitationStatus, Difference, Match, Resolution

# Below this matcher score a clause is not taken to restate the superior article, so differences
# between the two mean nothing. Same figure as creation.RESTATEMENT_MIN_SCORE, for the same reason.
CONFLICT_MIN_SCORE = 70.0

_PENALTY_WORD = re.compile(r"罚款|没收|吊销|暂扣|拘留|警告|通报批评|责令停产停业|责令关闭|停业整顿")


def _citation_hits(rule: Rule, inp: CheckInput, statuses: set[CitationStatus]) -> Iterator[Hit]:
    seen: set[tuple[int, int]] = set()
    for resolution in inp.resolutions:
        if resolution.status not in statuses:
            continue
        start, end = resolution.citation.span
        sentence = sentence_at(inp, start)
        if sentence is None or end <= start or sentence.start + len(sentence.text) < end:
            continue  # outside every review unit (e.g. the 红头 or title): not a clause's citation
        if (sentence.start, sentence.end) in seen:
            continue
        seen.add((sentence.start, sentence.end))
        yield Hit(
            rule.id,
            sentence.unit,
            start,
            end,
            (sentence.start, sentence.end),
            _citation_fields(inp.doc.text[start:end], resolution),
        )


def _citation_fields(evidence: str, resolution: Resolution) -> dict[str, str]:
    cited = resolution.law_title or resolution.citation.law_title or "该法"
    current = (
        f"第{int_to_chinese(resolution.current_article)}条"
        if resolution.current_article
        else "现行有效的相应条文"
    )
    if resolution.status is CitationStatus.NO_SUCH_ARTICLE:
        default_note = "现行版本中没有该条"
    elif resolution.status is CitationStatus.OLD_VERSION:
        default_note = f"该条在现行版本中已调整为{current}或内容已修改"
    else:
        default_note = ""
    note = resolution.note or default_note
    if resolution.status is CitationStatus.REPEALED_LAW and note:
        note = f"（{note}）"
    return {
        "evidence": evidence,
        "cited": cited.strip("《》"),
        "note": note,
        "successor": f"《{resolution.successor}》" if resolution.successor else "法律、法规",
        "current": current,
    }


@register_check("qingli.repealed_citation.v1")
def check_repealed_citation(rule: Rule, inp: CheckInput) -> Iterable[Hit]:
    """Citations of laws repealed or no longer in force on `as_of`."""
    return _citation_hits(rule, inp, {CitationStatus.REPEALED_LAW})


@register_check("qingli.stale_article_citation.v1")
def check_stale_article_citation(rule: Rule, inp: CheckInput) -> Iterable[Hit]:
    """Citations of articles that moved, changed, or do not exist in the version in force."""
    return _citation_hits(rule, inp, {CitationStatus.OLD_VERSION, CitationStatus.NO_SUCH_ARTICLE})


def exceeds_superior(diff: Difference) -> bool:
    """Whether a difference raises a penalty: a higher amount or a penalty type the superior lacks."""
    if diff.aspect == "amount":
        mine, theirs = amounts_in(diff.clause_value), amounts_in(diff.superior_value)
        if mine and theirs:
            return max(mine) > max(theirs) or min(mine) > min(theirs)
        return bool(mine) and not theirs
    if diff.aspect == "sanction":
        added = [w for w in _PENALTY_WORD.findall(diff.clause_value) if w not in diff.superior_value]
        return bool(added) or (bool(diff.clause_value.strip()) and not diff.superior_value.strip())
    return False


def _match_hit(rule: Rule, inp: CheckInput, match: Match, diffs: list[Difference]) -> Hit | None:
    unit = next((s.unit for s in inp.sentences if s.unit.label == match.clause_label), None)
    if unit is None:
        return None
    start, end = unit.start, unit.end
    for diff in diffs:
        value = diff.clause_value.strip()
        at = inp.doc.text.find(value, unit.start, unit.end) if value else -1
        if at >= 0:
            start, end = at, at + len(value)
            break
    else:
        first = next(s for s in inp.sentences if s.unit.label == match.clause_label)
        start, end = first.start, first.end
    sentence = sentence_at(inp, start)
    bounds = (sentence.start, sentence.end) if sentence else (start, end)
    return Hit(
        rule.id,
        unit,
        start,
        end,
        bounds,
        {
            "evidence": inp.doc.text[start:end],
            "detail": "；".join(d.detail for d in diffs),
            "superior_law": match.superior.law_title,
            "superior_article": int_to_chinese(match.superior.article),
        },
        superior=match.superior,
        score=match.score,
    )


def _diff_hits(rule: Rule, inp: CheckInput, wanted: bool) -> Iterator[Hit]:
    if not rule.applies_to(inp.kind):
        return
    for match in inp.matches:
        if match.score < CONFLICT_MIN_SCORE:
            continue
        if wanted:
            diffs = [d for d in match.differences if exceeds_superior(d)]
        else:
            diffs = [
                d
                for d in match.differences
                if d.aspect in {"modality", "condition"}
                or (d.aspect in {"amount", "sanction"} and not exceeds_superior(d))
            ]
        if diffs:
            hit = _match_hit(rule, inp, match, diffs)
            if hit is not None:
                yield hit


@register_check("qingli.penalty_range_exceeded.v1")
def check_penalty_range_exceeded(rule: Rule, inp: CheckInput) -> Iterable[Hit]:
    """Restated superior penalties with a higher amount or an added penalty type."""
    return _diff_hits(rule, inp, wanted=True)


@register_check("qingli.superior_conflict.v1")
def check_superior_conflict(rule: Rule, inp: CheckInput) -> Iterable[Hit]:
    """Restated superior provisions with a different modality (可以/应当/不得) or conditions."""
    return _diff_hits(rule, inp, wanted=False)
