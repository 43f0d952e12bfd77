"""Money amounts, multiples and percentages as written in legal Chinese, turned into numbers and ranges.

``五千元`` -> 5000, ``3万元`` -> 30000, ``一万元以上五万元以下`` -> (10000, 50000),
``一千元以下`` -> (None, 1000), ``违法所得一倍以上三倍以下`` -> multiple (1, 3) of 违法所得.
Bounds are inclusive, as 以上/以下 are in statute (《刑法》第九十九条 and common usage): the
caller never needs to care whether the text said 以上 or 不低于.

Pure functions; "no amount" is ``None``, never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from extractors.numerals import chinese_to_int


class AmountUnit(StrEnum):
    YUAN = "yuan"  # 元
    MULTIPLE = "multiple"  # 倍 of a base such as 违法所得, 货值金额
    PERCENT = "percent"  # % / 百分之 (千分之 is converted to percent)


@dataclass(frozen=True, slots=True)
class AmountRange:
    """An inclusive range; a fixed amount has ``low == high``, an open side is None."""

    low: Decimal | None
    high: Decimal | None
    unit: AmountUnit
    base: str | None = None  # what a multiple or percentage is of: 违法所得, 货值金额 ...
    start: int = 0  # offsets of the range inside the parsed text
    end: int = 0

    @property
    def bounds(self) -> tuple[Decimal | None, Decimal | None]:
        return (self.low, self.high)


_ARABIC = r"[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?"
_CHINESE = r"[〇零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟]+"
# One quantity: optional 百分之/千分之, a number, an optional magnitude after Arabic digits
# (3万, 1.5亿), an optional unit. 等值 ("equal value") is a multiple of one.
_QUANTITY = re.compile(
    rf"(?P<equal>等值)"
    rf"|(?P<frac>百分之|千分之)?(?P<num>{_ARABIC}|{_CHINESE})(?P<mag>万亿|亿|万|千)?"
    rf"\s*(?P<unit>元|倍|%|％|‰)?"
)
_LOWER_WORDS = ("以上", "以外", "起")
_UPPER_WORDS = ("以下", "以内")
_TO_WORDS = ("至", "到", "-", "－", "~", "～", "—", "–")
_UPPER_PREFIXES = ("不超过", "不高于", "不多于", "最高", "最多", "不足", "低于", "少于")
_LOWER_PREFIXES = ("不低于", "不少于", "最低", "最少", "超过", "高于")
_MAGNITUDES = {"千": 1000, "万": 10_000, "亿": 100_000_000, "万亿": 1_000_000_000_000}
# Prefix words that belong to the sentence, not to the base of a multiple (处违法所得一倍 -> 违法所得).
_BASE_PREFIXES = ("并处", "处以", "处", "可以", "可", "的", "罚款", "按", "以")
_UNIT_OF = {
    "元": AmountUnit.YUAN,
    "倍": AmountUnit.MULTIPLE,
    "%": AmountUnit.PERCENT,
    "％": AmountUnit.PERCENT,
}
# Longest base text kept for a multiple; a longer stretch before the number is a sentence, not a base.
MAX_BASE_CHARS = 16


@dataclass(frozen=True, slots=True)
class _Quantity:
    value: Decimal
    unit: AmountUnit | None
    magnitude: int  # 1 unless an explicit 万/千/亿 followed the digits or the number
    start: int
    end: int


def parse_number(text: str) -> Decimal | None:
    """``3``, ``1.5``, ``1,000``, ``五千``, ``二十万``, ``3万`` -> Decimal; None if `text` is not a number."""
    match = _QUANTITY.fullmatch(text.strip())
    if match is None or match.group("unit") or match.group("frac") or match.group("equal"):
        return None
    quantity = _quantity(match)
    return None if quantity is None else quantity.value


def parse_money(text: str) -> int | None:
    """``五千元`` -> 5000, ``3万元`` -> 30000, ``人民币1.5万元`` -> 15000; None unless `text` is one sum in 元."""
    stripped = text.strip().removeprefix("人民币")
    match = _QUANTITY.fullmatch(stripped)
    if match is None or match.group("unit") != "元":
        return None
    quantity = _quantity(match)
    return None if quantity is None else int(quantity.value)


def parse_amount_range(text: str) -> AmountRange | None:
    """The first amount, multiple or percentage range in `text` (e.g. 处五千元以上三万元以下罚款); None if there is none."""
    ranges = find_amount_ranges(text)
    return ranges[0] if ranges else None


def find_amount_ranges(text: str) -> list[AmountRange]:
    """Every amount, multiple or percentage range in `text`, in order of appearance."""
    quantities = [q for m in _QUANTITY.finditer(text) if (q := _quantity(m)) is not None]
    found: list[AmountRange] = []
    i = 0
    while i < len(quantities):
        first = quantities[i]
        after = _word_after(text, first.end)
        second = quantities[i + 1] if i + 1 < len(quantities) else None
        joined = second is not None and text[first.end : second.start].strip() in _joiners(after)
        if second is not None and joined and (after in _TO_WORDS or after in _LOWER_WORDS):
            low_q, high_q = _share_unit(first, second)
            unit = high_q.unit
            i += 2
            if unit is None:
                continue  # two bare numbers (第一至第三) are not amounts
            found.append(
                AmountRange(
                    low=low_q.value,
                    high=high_q.value,
                    unit=unit,
                    base=_base(text, first.start, unit),
                    start=_prefix_start(text, first.start),
                    end=_suffix_end(text, second.end),
                )
            )
            continue
        i += 1
        if first.unit is None:
            continue
        low: Decimal | None = first.value
        high: Decimal | None = first.value
        prefix = _prefix_word(text, first.start)
        if after in _UPPER_WORDS or prefix in _UPPER_PREFIXES:
            low = None
        elif after in _LOWER_WORDS or prefix in _LOWER_PREFIXES:
            high = None
        found.append(
            AmountRange(
                low=low,
                high=high,
                unit=first.unit,
                base=_base(text, first.start, first.unit),
                start=_prefix_start(text, first.start),
                end=_suffix_end(text, first.end),
            )
        )
    return found


def _quantity(match: re.Match[str]) -> _Quantity | None:
    if match.group("equal"):
        return _Quantity(Decimal(1), AmountUnit.MULTIPLE, 1, match.start(), match.end())
    raw = match.group("num")
    if raw is None:
        return None
    value = _number(raw)
    if value is None:
        return None
    magnitude = _MAGNITUDES.get(match.group("mag") or "", 1)
    value *= magnitude
    if magnitude == 1:
        # 五万 carries its magnitude inside the numeral; 一至五万元 needs to know it.
        magnitude = next(
            (m for w, m in _MAGNITUDES.items() if len(w) == 1 and raw.endswith(w) and m > 1000), 1
        )
    unit_text = match.group("unit")
    fraction = match.group("frac")
    unit: AmountUnit | None = _UNIT_OF.get(unit_text) if unit_text else None
    if unit_text == "‰":
        unit, value = AmountUnit.PERCENT, value / 10
    if fraction == "百分之":
        unit = AmountUnit.PERCENT
    elif fraction == "千分之":
        unit, value = AmountUnit.PERCENT, value / 10
    return _Quantity(_tidy(value), unit, magnitude, match.start(), match.end())


def _tidy(value: Decimal) -> Decimal:
    """5000, not 5E+3; 0.5, not 0.50."""
    return Decimal(int(value)) if value == value.to_integral_value() else value.normalize()


def _number(raw: str) -> Decimal | None:
    ascii_text = raw.translate(_FULLWIDTH).replace(",", "").replace("，", "")
    if ascii_text[:1].isdigit():
        try:
            return Decimal(ascii_text)
        except InvalidOperation:
            return None
    value = chinese_to_int(raw)
    return None if value is None else Decimal(value)


_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def _share_unit(first: _Quantity, second: _Quantity) -> tuple[_Quantity, _Quantity]:
    """500至1000元 and 1至5万元: the lower bound borrows the unit (and magnitude) written after the upper."""
    if first.unit is not None:
        return first, second
    value = first.value
    # Borrow the magnitude only when the bare number is small enough to be read in it:
    # 1至5万元 is 1万 to 5万, but 5000至1万元 is 5000 to 10000.
    if first.magnitude == 1 and second.magnitude != 1 and value <= second.value / second.magnitude:
        value = _tidy(value * second.magnitude)
    return _Quantity(value, second.unit, second.magnitude, first.start, first.end), second


def _word_after(text: str, pos: int) -> str:
    rest = text[pos:].lstrip()
    for word in (*_LOWER_WORDS, *_UPPER_WORDS, *_TO_WORDS):
        if rest.startswith(word):
            return word
    return ""


def _joiners(after: str) -> tuple[str, ...]:
    """What may stand between the two bounds of a range: 一万元以上五万元以下, 500元至1000元."""
    if after in _TO_WORDS:
        return (after,)
    if after in _LOWER_WORDS:
        return (after, after + "、", after + "，")
    return ()


def _prefix_word(text: str, pos: int) -> str:
    head = text[max(0, pos - 3) : pos]
    for word in (*_UPPER_PREFIXES, *_LOWER_PREFIXES):
        if head.endswith(word):
            return word
    return ""


def _prefix_start(text: str, pos: int) -> int:
    word = _prefix_word(text, pos)
    return pos - len(word)


def _suffix_end(text: str, pos: int) -> int:
    word = _word_after(text, pos)
    if word in _LOWER_WORDS or word in _UPPER_WORDS:
        return text.index(word, pos) + len(word)
    return pos


def _base(text: str, pos: int, unit: AmountUnit) -> str | None:
    """违法所得 in 处违法所得一倍以上: the words before a multiple or percentage, up to punctuation."""
    if unit is AmountUnit.YUAN:
        return None
    head = text[max(0, pos - MAX_BASE_CHARS) : pos]
    head = re.split(r"[，。；：、\s（）()]", head)[-1]
    changed = True
    while changed:
        changed = False
        for prefix in _BASE_PREFIXES:
            if head.startswith(prefix):
                head = head[len(prefix) :]
                changed = True
    head = head.removesuffix("的")
    return head or None
