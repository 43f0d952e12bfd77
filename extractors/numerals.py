"""Chinese numerals <-> integers, as they appear in article numbers, dates and amounts."""

from __future__ import annotations

_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0, "O": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "贰": 2, "两": 2, "俩": 2,
    "三": 3, "叁": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_LARGE_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}

CHINESE_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_LARGE_UNITS)


def chinese_to_int(text: str) -> int | None:
    """Parse 一百二十三, 十二, 二〇一九 (digit by digit), or ASCII/full-width digits; None if not a number."""
    s = text.strip()
    if not s:
        return None
    ascii_digits = s.translate(_FULLWIDTH_DIGITS)
    if ascii_digits.isdigit():
        return int(ascii_digits)
    if any(ch not in _DIGITS and ch not in _SMALL_UNITS and ch not in _LARGE_UNITS for ch in s):
        return None
    if not any(ch in _SMALL_UNITS or ch in _LARGE_UNITS for ch in s):
        # 二〇一九: positional digits, as years are written.
        value = 0
        for ch in s:
            value = value * 10 + _DIGITS[ch]
        return value
    total = 0  # completed 亿/万 groups
    section = 0  # current group below 万
    digit = 0
    for ch in s:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            # A bare 十 at the start of a group means 一十.
            section += (digit or 1) * _SMALL_UNITS[ch]
            digit = 0
        else:
            section += digit
            if ch in "亿億":
                total = (total + section) * _LARGE_UNITS[ch]
            else:
                total += section * _LARGE_UNITS[ch]
            section = 0
            digit = 0
    return total + section + digit


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_NUMERALS = "零一二三四五六七八九"


def int_to_chinese(value: int) -> str:
    """Write an integer as article numbers are written: 12 -> 十二, 123 -> 一百二十三, 105 -> 一百零五."""
    if value < 0:
        raise ValueError("negative numbers have no article form")
    if value < 10:
        return _NUMERALS[value]
    if value >= 100_000_000:
        high, low = divmod(value, 100_000_000)
        return int_to_chinese(high) + "亿" + (_pad(low, 10_000_000) if low else "")
    if value >= 10_000:
        high, low = divmod(value, 10_000)
        return int_to_chinese(high) + "万" + (_pad(low, 1000) if low else "")
    out = []
    units = [(1000, "千"), (100, "百"), (10, "十")]
    rest = value
    zero_pending = False
    for unit, name in units:
        d, rest = divmod(rest, unit)
        if d:
            if zero_pending:
                out.append("零")
                zero_pending = False
            out.append(_NUMERALS[d] + name)
        elif out:
            zero_pending = True
    if rest:
        if zero_pending:
            out.append("零")
        out.append(_NUMERALS[rest])
    text = "".join(out)
    # 十二, not 一十二, when the number starts with the tens.
    return text[1:] if text.startswith("一十") else text


def _pad(value: int, leading_unit: int) -> str:
    """Lower group after 万/亿: 10005 -> 一万零五, keep the 零 when the group does not fill its top digit."""
    text = int_to_chinese(value)
    if value < leading_unit:
        text = "零" + (("一" + text) if text.startswith("十") else text)
    return text
