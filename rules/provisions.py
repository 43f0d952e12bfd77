"""Structured differences between a clause and the superior article it restates.

`diff_provisions` is the evidence of the ``penalty-range-exceeded`` and ``superior-conflict``
rules: amounts and ranges, sanction types, modality (可以 / 应当 / 不得) and conditions (情节严重的,
逾期不改正的, 经……批准). Both texts are cut into sentence units (。；and line breaks) and each
clause unit is paired with the superior unit it restates, so that 情节严重的 in one sentence is not
compared with the amount of another. A superior unit the clause does not restate is no
difference: a clause may quote only part of an article.

Every `Difference.clause_value` is written exactly as in the clause (so the finding can point
at it); `superior_value` as in the superior article. An empty value means "absent on that side".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from extractors.amounts import AmountRange, AmountUnit, find_amount_ranges
from rules.model import Difference

# A clause unit restates a superior unit when their character-level similarity (fuzz.ratio on
# texts without punctuation, 0..100) reaches this. Hand-checked on restatements with one changed
# amount, modal verb or added condition (60..95) against neighbouring sentences of the same
# article (20..45); 50 keeps the margin on both sides.
UNIT_PAIR_MIN_SCORE = 50.0
# Condition fragments up to this length are compared exactly (情节严重的 ≠ 情节特别严重的); longer
# ones are the same condition re-worded when this share of the shorter one's characters
# reappears in order in the longer (违反本办法规定，未经批准擅自施工的 ≈ 未经许可擅自施工的 is
# not the same at 0.78; 未经批准擅自施工的 ≈ 未经县级以上人民政府批准擅自施工的 is, at 1.0 — the
# dropped approver is reported separately by the 经……批准 pattern).
SHORT_CONDITION_CHARS = 8
CONDITION_SAME_MIN_COVERAGE = 0.85
# Characters after a modal verb that say what it governs (应当告知 vs 可以告知): four keep 责令改正
# apart from 责令停产; two are too few (作出 is everywhere).
GOVERNED_CHARS = 4

# Administrative sanctions (行政处罚法 第九条 and the usual statutory wordings), longest first
# so 吊销营业执照 is read before 吊销.
SANCTIONS: tuple[str, ...] = (
    "没收违法所得",
    "没收非法财物",
    "暂扣许可证件",
    "暂扣许可证",
    "暂扣执照",
    "吊销许可证件",
    "吊销许可证",
    "吊销营业执照",
    "吊销执照",
    "降低资质等级",
    "责令停产停业",
    "责令停业整顿",
    "责令关闭",
    "限制开展生产经营活动",
    "限制从业",
    "通报批评",
    "行政拘留",
    "拘留",
    "警告",
    "罚款",
    "没收",
    "吊销",
    "暂扣",
)
_MODALS = {
    "应当": "应当",
    "必须": "应当",
    "可以": "可以",
    "不得": "不得",
    "禁止": "不得",
    "严禁": "不得",
}
_MODAL = re.compile("|".join(_MODALS))
_UNIT_END = re.compile(r"(?<=[。；;！？])|\n")
_FRAGMENT_SPLIT = re.compile(r"[，,：:]")
# 经……批准 as a condition; 经 of 经济, 经营, 经费, 经常, 经过 … is not one.
_APPROVAL = re.compile(
    r"经(?:[^，。；：济营费常过验历理办手纪典销][^，。；：]{0,28}?)?(?:批准|同意|许可|核准|审批|备案)"
)
# A unit starting with its own label (第四十七条 …) as clause texts of parsed documents do.
_LEADING_LABEL = re.compile(r"^\s*第[零〇一二两三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?\s*")
_SELF_REFERENCE = re.compile(r"本(?:法|条例|规定|办法|细则|决定)")
_TITLE = re.compile(r"《[^《》]{1,80}》")
_NOT_WORD = re.compile(r"[\W_]+")
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_AMOUNT_NAME = {AmountUnit.YUAN: "数额", AmountUnit.MULTIPLE: "倍数", AmountUnit.PERCENT: "比例"}


@dataclass(frozen=True, slots=True)
class _Unit:
    text: str
    key: str  # without punctuation, for similarity


def diff_provisions(clause_text: str, superior_text: str) -> tuple[Difference, ...]:
    """Amount, sanction, modality and condition differences of a clause against the superior article it restates."""
    clause_units = _units(clause_text)
    superior_units = _units(superior_text)
    found: list[Difference] = []
    for mine, theirs in _pairs(clause_units, superior_units):
        found.extend(_amount_differences(mine.text, theirs.text))
        found.extend(_modality_differences(mine.text, theirs.text))
        found.extend(_condition_differences(mine.text, theirs.text))
        found.extend(_dropped_sanctions(mine.text, theirs.text))
    found.extend(_added_sanctions(clause_text, superior_text))
    return tuple(dict.fromkeys(found))  # the same difference seen in two pairs is one difference


def _units(text: str) -> list[_Unit]:
    pieces = (_LEADING_LABEL.sub("", p).strip() for p in _UNIT_END.split(text))
    return [_Unit(p, _NOT_WORD.sub("", p)) for p in pieces if _NOT_WORD.sub("", p)]


def _pairs(clause_units: Sequence[_Unit], superior_units: Sequence[_Unit]) -> Iterator[tuple[_Unit, _Unit]]:
    """Each clause unit with the superior unit it restates best, if any reaches `UNIT_PAIR_MIN_SCORE`."""
    for mine in clause_units:
        scored = [
            (fuzz.ratio(mine.key, theirs.key, processor=None), i) for i, theirs in enumerate(superior_units)
        ]
        if not scored:
            return
        score, best = max(scored)
        if score >= UNIT_PAIR_MIN_SCORE:
            yield mine, superior_units[best]


def _amount_differences(clause: str, superior: str) -> Iterator[Difference]:
    for unit in AmountUnit:
        mine = [r for r in find_amount_ranges(clause) if r.unit is unit]
        theirs = [r for r in find_amount_ranges(superior) if r.unit is unit]
        for a, b in zip(mine, theirs, strict=False):
            if a.bounds == b.bounds or (a.base and b.base and a.base != b.base):
                continue  # same range, or multiples of different bases (违法所得 vs 货值金额)
            yield Difference(
                "amount",
                clause[a.start : a.end],
                superior[b.start : b.end],
                _amount_detail(a, b, clause[a.start : a.end], superior[b.start : b.end]),
            )


def _amount_detail(mine: AmountRange, theirs: AmountRange, mine_text: str, theirs_text: str) -> str:
    name = _AMOUNT_NAME[mine.unit]
    notes: list[str] = []
    if _above(mine.high, theirs.high, open_is_high=True):
        notes.append("上限高于上位法")
    elif _above(theirs.high, mine.high, open_is_high=True):
        notes.append("上限低于上位法")
    if _above(theirs.low, mine.low, open_is_high=False):
        notes.append("下限低于上位法")
    elif _above(mine.low, theirs.low, open_is_high=False):
        notes.append("下限高于上位法")
    return f"{name}与上位法不一致（本条为{mine_text}，上位法为{theirs_text}）：" + "，".join(notes)


def _above(a: Decimal | None, b: Decimal | None, *, open_is_high: bool) -> bool:
    """Whether bound `a` lies above bound `b`; an open bound (None) is +∞ for upper bounds, −∞ for lower."""
    if a is None or b is None:
        return (a is None) != (b is None) and (a is None) == open_is_high
    return a > b


def _modality_differences(clause: str, superior: str) -> Iterator[Difference]:
    superior_modals = [(m, superior[m.end() : m.end() + GOVERNED_CHARS]) for m in _MODAL.finditer(superior)]
    clause_modals = list(_MODAL.finditer(clause))
    for m in clause_modals:
        governed = clause[m.end() : m.end() + GOVERNED_CHARS]
        same_object = [o for o, g in superior_modals if g == governed and _CJK.fullmatch(governed)]
        if not same_object and len(clause_modals) == 1 and len(superior_modals) == 1:
            same_object = [superior_modals[0][0]]  # one modal each: they govern the same thing
        for other in same_object[:1]:
            if _MODALS[other.group()] == _MODALS[m.group()]:
                continue
            mine_text = m.group() + governed
            theirs_text = other.group() + superior[other.end() : other.end() + GOVERNED_CHARS]
            yield Difference(
                "modality",
                mine_text,
                theirs_text,
                f"上位法规定“{theirs_text}”，本条改为“{mine_text}”（{_MODALS[other.group()]}→{_MODALS[m.group()]}）",
            )


def _conditions(text: str) -> list[str]:
    """Condition fragments of a sentence: ……的， clauses and 经……批准."""
    fragments = [f.strip() for f in _FRAGMENT_SPLIT.split(text)]
    found = [f for f in fragments if f.endswith("的") and len(_NOT_WORD.sub("", f)) > 1]
    found.extend(m.group() for m in _APPROVAL.finditer(text))
    return found


def _condition_key(text: str) -> str:
    """Wording that does not change a condition: punctuation, 《titles》, 本法/本办法, the country name."""
    return _NOT_WORD.sub("", _SELF_REFERENCE.sub("", _TITLE.sub("", text.replace("中华人民共和国", ""))))


def _same_condition(a: str, b: str) -> bool:
    ka, kb = _condition_key(a), _condition_key(b)
    if ka == kb:
        return True
    shorter, longer = sorted((ka, kb), key=len)
    if len(shorter) <= SHORT_CONDITION_CHARS:
        return False
    return LCSseq.similarity(shorter, longer, processor=None) >= CONDITION_SAME_MIN_COVERAGE * len(shorter)


def _condition_differences(clause: str, superior: str) -> Iterator[Difference]:
    mine, theirs = _conditions(clause), _conditions(superior)
    added = [c for c in mine if not any(_same_condition(c, o) for o in theirs)]
    dropped = [c for c in theirs if not any(_same_condition(c, o) for o in mine)]
    # An added and a dropped condition of the same form (two 经……批准, two ……的) in one restated
    # sentence are one condition changed: 经批准 for 经县级以上人民政府批准. A ……的 fragment whose
    # only change is an approval already reported is not reported again.
    reported: list[str] = []
    for is_approval in (True, False):
        mine_kind = [c for c in added if bool(_APPROVAL.fullmatch(c)) == is_approval]
        theirs_kind = [c for c in dropped if bool(_APPROVAL.fullmatch(c)) == is_approval]
        if not is_approval:
            mine_kind = [c for c in mine_kind if not any(r in c for r in reported)]
            theirs_kind = [c for c in theirs_kind if not any(r in c for r in reported)]
        for a, b in zip(mine_kind, theirs_kind, strict=False):
            yield Difference("condition", a, b, f"条件与上位法不一致：上位法为“{b}”，本条为“{a}”")
        for a in mine_kind[len(theirs_kind) :]:
            yield Difference("condition", a, "", f"增加了上位法没有的条件“{a}”")
        for b in theirs_kind[len(mine_kind) :]:
            yield Difference("condition", "", b, f"删去了上位法规定的条件“{b}”")
        reported.extend(mine_kind + theirs_kind)


def _sanctions(text: str) -> list[str]:
    """Sanction types named in `text`, each once, longest wording first (吊销营业执照 hides 吊销)."""
    found: list[str] = []
    rest = text
    for name in SANCTIONS:
        if name in rest:
            found.append(name)
            rest = rest.replace(name, "\0")
    return found


def _added_sanctions(clause: str, superior: str) -> Iterator[Difference]:
    theirs = _sanctions(superior)
    for name in _sanctions(clause):
        if not any(name in other or other in name for other in theirs):
            yield Difference("sanction", name, "", f"增加了上位法没有规定的处罚种类“{name}”")


def _dropped_sanctions(clause: str, superior: str) -> Iterator[Difference]:
    mine = _sanctions(clause)
    for name in _sanctions(superior):
        if not any(name in other or other in name for other in mine):
            yield Difference("sanction", "", name, f"删去了上位法规定的处罚种类“{name}”")
