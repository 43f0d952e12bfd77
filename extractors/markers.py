"""Structural markers at the start of a line: 编/章/节 headings, 第N条, and outline numbers.

Shared by the clause parser and by the readers that re-join wrapped lines, so both agree on
what starts a new unit. Patterns match normalised text (half-width digits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from extractors.numerals import chinese_to_int, int_to_chinese

CN_NUM = "零〇一二三四五六七八九十百千"
_SMALL_CN = "一二三四五六七八九十"

# 第十二条 / 第十二条之一, followed by a space, the end of the line, or a character that
# cannot continue a cross-reference (依照本办法第十二条规定 wrapped onto a new line must not
# start an article; 第十二条规定的 / 第十二条第二款 / 第十二条、第十三条 are references).
ARTICLE = re.compile(
    rf"第(?P<num>[{CN_NUM}0-9]{{1,8}})条(?:之(?P<sub>[{_SMALL_CN}]{{1,3}}))?"
    r"(?=[ \t\u3000]|$|[^规的第所中和或及至、，。款项修删增作调以即之有后前（(])"
)
# 第一编 / 第一分编 / 第一部分 / 第一章 / 第一节, then a short name (or nothing).
HEADING = re.compile(rf"第(?P<num>[{CN_NUM}0-9]{{1,6}})(?P<unit>分编|编|部分|章|节)(?=[ \t\u3000]|$)")
HEADING_MAX_CHARS = 40  # longer lines are sentences that happen to start with 第一章, not headings


class OutlineStyle(StrEnum):
    """Numbering styles of outline documents and of items inside articles."""

    CN_DUN = "一、"
    CN_PAREN = "（一）"
    NUM_DOT = "1."
    NUM_PAREN = "（1）"
    CIRCLED = "①"


_OUTLINE_PATTERNS: tuple[tuple[OutlineStyle, re.Pattern[str]], ...] = (
    (OutlineStyle.CN_DUN, re.compile(rf"(?P<num>[{_SMALL_CN}]{{1,3}})[、](?!、)")),
    (OutlineStyle.CN_PAREN, re.compile(rf"[（(](?P<num>[{_SMALL_CN}]{{1,3}})[）)]")),
    (OutlineStyle.NUM_PAREN, re.compile(r"[（(](?P<num>[0-9]{1,2})[）)]")),
    (OutlineStyle.NUM_DOT, re.compile(r"(?P<num>[0-9]{1,2})(?:[.．](?![0-9])|、)")),
    (OutlineStyle.CIRCLED, re.compile(r"(?P<num>[①-⑳])")),
)


@dataclass(frozen=True, slots=True)
class OutlineMarker:
    style: OutlineStyle
    number: int
    end: int  # offset just after the marker in the line

    @property
    def canonical(self) -> str:
        """The marker as labels write it: 三、 / （二） / 1. / （1） / ①."""
        if self.style is OutlineStyle.CN_DUN:
            return _cn(self.number) + "、"
        if self.style is OutlineStyle.CN_PAREN:
            return "（" + _cn(self.number) + "）"
        if self.style is OutlineStyle.NUM_PAREN:
            return f"（{self.number}）"
        if self.style is OutlineStyle.NUM_DOT:
            return f"{self.number}."
        return chr(0x245F + self.number)


def _cn(n: int) -> str:
    return int_to_chinese(n)


# First characters an outline marker can start with; lines starting otherwise skip the regexes.
_OUTLINE_FIRST = frozenset(_SMALL_CN + "（(0123456789" + "".join(chr(c) for c in range(0x2460, 0x2474)))


def match_outline(line: str) -> OutlineMarker | None:
    """The outline marker a line starts with, if any."""
    if not line or line[0] not in _OUTLINE_FIRST:
        return None
    for style, pattern in _OUTLINE_PATTERNS:
        m = pattern.match(line)
        if m is None:
            continue
        raw = m.group("num")
        number = ord(raw) - 0x245F if style is OutlineStyle.CIRCLED else chinese_to_int(raw)
        if number is None or number <= 0:
            return None
        return OutlineMarker(style=style, number=number, end=m.end())
    return None


def match_heading(line: str) -> re.Match[str] | None:
    """A 编/章/节 heading line, if the whole line is one."""
    if not line.startswith("第") or len(line) > HEADING_MAX_CHARS or line.endswith(("。", "；", "，")):
        return None
    return HEADING.match(line)


def starts_unit(line: str) -> bool:
    """True if a (stripped) line begins a new structural unit and so never continues the line before."""
    return bool(ARTICLE.match(line) or match_heading(line) or match_outline(line) or line.startswith("附件"))
