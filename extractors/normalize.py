"""Text normalisation: one canonical form of Chinese official text, with a map back to the raw text.

What changes (and must stay true for every caller):
- full-width ASCII letters and digits become half-width (``２０１９`` -> ``2019``); Chinese
  punctuation (，。：；（）“”《》) is kept as it is;
- invisible characters (zero-width space/joiners, word joiner, stray BOM) go;
- whitespace inside Chinese text goes (``第 十 二 条`` -> ``第十二条``, ``2019 年`` -> ``2019年``),
  except the one space after a structural label at the start of a line (``第十二条　为了`` ->
  ``第十二条 为了``), which the clause parser and readers rely on; whitespace between Latin
  words becomes one space; indentation and trailing blanks go; line breaks stay;
- 文号 brackets (``[]［］【】()（）``) around the year become ``〔〕``;
- a title nested inside 《》 is written ``〈〉``.

Only whitespace is removed, every other change is one character for one character, so the map
back to raw offsets is piecewise linear (`Normalized.to_raw`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.markers import starts_unit

_FULLWIDTH = str.maketrans(
    {
        chr(c): chr(c - 0xFEE0)
        for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
    }
)

_HAS_FULLWIDTH = re.compile("[０-９Ａ-Ｚａ-ｚ]")

# Characters after which (or before which) whitespace is not meaningful: CJK ideographs,
# CJK and full-width punctuation, curly quotes, and digits next to them (2019 年).
_CJK_RANGES = (
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。〔〕《》「」)
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),  # full-width forms (，：；（）)
    (0x2010, 0x206F),  # general punctuation (“”‘’—…)
    (0x2460, 0x24FF),  # circled numbers ①
)


def is_cjk(ch: str) -> bool:
    """True for Chinese characters and Chinese/full-width punctuation."""
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in _CJK_RANGES)


# A structural label standing alone at the start of a line: the space after it is kept.
STRUCTURAL_LABEL = re.compile(
    r"第[零〇一二三四五六七八九十百千0-9]{1,8}(?:条(?:之[一二三四五六七八九十]{1,3})?|章|节|编|分编|部分)"
)
_LABEL_PREFIX = re.compile(STRUCTURAL_LABEL.pattern + r"\Z")
_LABEL_PREFIX_MAX = 16  # longest label: 第一千二百六十条之十二 plus spaces written inside it

# Whitespace other than line breaks, and invisible format characters (zero-width space and
# joiners, word joiner, a BOM inside the text) that editors and web copies leave behind.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_WHITESPACE_RUN = re.compile(f"(?:[^\\S\\n]|[{_INVISIBLE}])+")

# 文号: issuer abbreviation, year in any bracket, serial number, 号.
_DOC_NUMBER_BRACKETS = re.compile(
    r"(?<=[\u4e00-\u9fff])[\[［【(（〔]([12][0-9]{3})[\]］】)）〕](?=\s*[0-9]{1,5}\s*号)"
)


@dataclass(frozen=True, slots=True)
class Normalized:
    """Normalised text and the breakpoints mapping its offsets back to the raw text."""

    text: str
    # (normalised offset, raw offset) at the start of every stretch copied unchanged.
    breakpoints: tuple[tuple[int, int], ...]

    def to_raw(self, offset: int) -> int:
        """Raw-text offset of normalised offset `offset` (end offsets map to the end of the stretch)."""
        keys = [b[0] for b in self.breakpoints]
        i = bisect_right(keys, offset) - 1
        if i < 0:
            return offset
        norm_start, raw_start = self.breakpoints[i]
        return raw_start + (offset - norm_start)

    def from_raw(self, offset: int) -> int:
        """Normalised offset of raw offset `offset` (inside removed whitespace: where it was removed)."""
        i = bisect_right([b[1] for b in self.breakpoints], offset) - 1
        if i < 0:
            return offset
        norm_start, raw_start = self.breakpoints[i]
        value = norm_start + (offset - raw_start)
        if i + 1 < len(self.breakpoints):
            value = min(value, self.breakpoints[i + 1][0])
        return min(value, len(self.text))


def _space_replacement(raw: str, start: int, end: int) -> str:
    """What a whitespace run raw[start:end] becomes: nothing, or one space."""
    if not raw[start:end].strip(_INVISIBLE):
        return ""  # only invisible characters: they never stood for a space
    if start == 0 or raw[start - 1] == "\n" or end == len(raw) or raw[end] == "\n":
        return ""
    left, right = raw[start - 1], raw[end]
    if not (is_cjk(left) or is_cjk(right)):
        return " "
    line_start = raw.rfind("\n", 0, start) + 1
    if start - line_start <= _LABEL_PREFIX_MAX:
        prefix = "".join(raw[line_start:start].split()).translate(_FULLWIDTH)
        if _LABEL_PREFIX.match(prefix):
            return " "
    return ""


def normalize_with_offsets(raw: str) -> Normalized:
    """Normalise `raw` and keep the map from normalised offsets back to raw offsets."""
    pieces: list[str] = []
    breakpoints: list[tuple[int, int]] = [(0, 0)]
    out_len = 0
    pos = 0
    for m in _WHITESPACE_RUN.finditer(raw):
        start, end = m.span()
        replacement = _space_replacement(raw, start, end)
        if replacement == m.group():
            continue
        pieces.append(raw[pos:start])
        out_len += start - pos
        pieces.append(replacement)
        out_len += len(replacement)
        breakpoints.append((out_len, end))
        pos = end
    pieces.append(raw[pos:])
    text = "".join(pieces)
    if _HAS_FULLWIDTH.search(text):
        text = text.translate(_FULLWIDTH)
    text = _DOC_NUMBER_BRACKETS.sub(r"〔\1〕", text)
    text = _nest_title_marks(text)
    return Normalized(text=text, breakpoints=tuple(breakpoints))


def normalize_text(raw: str) -> str:
    """Normalise `raw` (see the module docstring for what changes)."""
    return normalize_with_offsets(raw).text


def normalize_doc_number(raw: str) -> str:
    """Canonical 文号: no spaces, half-width digits, year in 〔〕 (``沪府办发[2019] 23 号`` -> ``沪府办发〔2019〕23号``)."""
    compact = "".join(raw.split()).translate(_FULLWIDTH)
    return re.sub(r"[\[［【(（〔]([12][0-9]{3})[\]］】)）〕]", r"〔\1〕", compact)


_TITLE_MARKS = re.compile("[《〈》〉\n]")


def _nest_title_marks(text: str) -> str:
    """Write a title inside 《》 with 〈〉, and an outer 〈〉 with 《》; unbalanced marks are left alone."""
    if "《" not in text and "〈" not in text:
        return text
    changes: list[tuple[int, str]] = []
    depth = 0
    for m in _TITLE_MARKS.finditer(text):
        ch = m.group()
        if ch == "\n":
            depth = 0  # titles never span lines; an unclosed mark must not leak
        elif ch in "《〈":
            wanted = "《" if depth == 0 else "〈"
            depth += 1
            if wanted != ch:
                changes.append((m.start(), wanted))
        elif depth > 0:
            depth -= 1
            wanted = "》" if depth == 0 else "〉"
            if wanted != ch:
                changes.append((m.start(), wanted))
    if not changes:
        return text
    chars = list(text)
    for i, wanted in changes:
        chars[i] = wanted
    return "".join(chars)


# Lines ending like this end a paragraph; anything else at full width was hard-wrapped.
_PARAGRAPH_END = "。；：！？”」』）)"
# Punctuation that never starts a line in Chinese typesetting; a line starting with it continues.
CLOSING_PUNCTUATION = ("。", "，", "、", "；", "：", "？", "！", "）", "》", "」", "』", "”", "〕", "】")

# A line at least this share of the longest line is "full": it was wrapped, not ended.
# 0.85 leaves room for lines that end in a wide glyph or a narrower Latin run in the middle.
FULL_LINE_SHARE = 0.85


def unwrap_lines(lines: Sequence[str], *, full_width: float | None = None) -> list[str]:
    """Join hard-wrapped lines back into paragraphs.

    A line continues into the next when it is "full" (at least ``FULL_LINE_SHARE`` of
    `full_width`, by default the longest line), does not end a sentence, and the next line does
    not start a new numbered unit.
    """
    stripped = [ln.strip() for ln in lines]
    width = full_width if full_width is not None else max((len(s) for s in stripped), default=0)
    out: list[str] = []
    joining = False
    for s in stripped:
        if not s:
            out.append("")
            joining = False
            continue
        if out and out[-1] and (s.startswith(CLOSING_PUNCTUATION) or (joining and not starts_unit(s))):
            out[-1] += s
        else:
            out.append(s)
        joining = len(s) >= FULL_LINE_SHARE * width and not s.endswith(tuple(_PARAGRAPH_END))
    return out
