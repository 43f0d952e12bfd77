"""Word (.docx) backend: body paragraphs and tables in document order, list numbers restored.

Headers and footers are running heads and are not read; text boxes (where a 红头 is often
drawn) are read before the paragraph they are anchored in. A paragraph whose 第一条 / 一、 /
（一） label is a Word list number (numbering.xml) gets that label written back in front of
its text, counted the way Word counts: per abstract list, deeper levels restarting when a
higher level advances, ``startOverride`` restarting a list. The zip directory is checked
for decompression bombs before python-docx opens the file.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors.backend import PageText, RawDocument
from extractors.errors import CorruptFile, ZipBomb
from extractors.model import SourceFormat
from extractors.numerals import int_to_chinese

# A real .docx of a normative document is well under 20 MB unpacked (text plus a few images);
# 200 MB leaves room for scanned attachments and still stops a bomb before it is inflated.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
# XML compresses about 10:1; a member over 200:1 and over 10 MB unpacked is a bomb.
MAX_COMPRESSION_RATIO = 200
RATIO_MIN_BYTES = 10 * 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_LEVELS = 9

_FINANCIAL = str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟")
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip


def format_number(value: int, num_fmt: str) -> str:
    """A list counter in a Word numFmt (decimal, chineseCounting, ideographTraditional …)."""
    if num_fmt in ("bullet", "none"):
        return ""
    if num_fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
    ):
        return int_to_chinese(value)
    if num_fmt == "chineseLegalSimplified":
        return int_to_chinese(value).translate(_FINANCIAL)
    if num_fmt == "ideographTraditional":
        return _HEAVENLY_STEMS[(value - 1) % 10]
    if num_fmt == "ideographZodiac":
        return _EARTHLY_BRANCHES[(value - 1) % 12]
    if num_fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= value <= 20:
        return chr(0x245F + value)
    if num_fmt == "decimalFullWidth":
        return str(value).translate(_FULLWIDTH_DIGITS)
    if num_fmt == "decimalZero":
        return f"{value:02d}"
    if num_fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        n = value
        while n > 0:
            n, r = divmod(n - 1, 26)
            letters = chr(ord("a") + r) + letters
        return letters.upper() if num_fmt == "upperLetter" else letters
    if num_fmt in ("lowerRoman", "upperRoman"):
        out, n = "", value
        for amount, numeral in _ROMAN:
            while n >= amount:
                out += numeral
                n -= amount
        return out.upper() if num_fmt == "upperRoman" else out
    return str(value)  # decimal and formats we do not draw


@dataclass(frozen=True, slots=True)
class _Level:
    start: int = 1
    num_fmt: str = "decimal"
    text: str = ""
    suffix: str = "\t"


@dataclass(slots=True)
class Numbering:
    """Word list definitions and the running counters while the body is read in order."""

    abstract_levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    num_abstract: dict[str, str] = field(default_factory=dict)
    num_overrides: dict[str, dict[int, int]] = field(default_factory=dict)
    counters: dict[str, list[int | None]] = field(default_factory=dict)
    started: set[tuple[str, int]] = field(default_factory=set)

    @classmethod
    def from_xml(cls, root: Any) -> Numbering:
        """Read abstractNum levels and num -> abstractNum links from numbering.xml."""
        numbering = cls()
        if root is None:
            return numbering
        for abstract in root.iter(f"{_W}abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in abstract.iter(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                levels[ilvl] = _Level(
                    start=int(_val(lvl, "start") or 1),
                    num_fmt=_val(lvl, "numFmt") or "decimal",
                    text=_val(lvl, "lvlText") or "",
                    suffix={"space": " ", "nothing": ""}.get(_val(lvl, "suff") or "tab", "\t"),
                )
            numbering.abstract_levels[abstract.get(f"{_W}abstractNumId", "")] = levels
        for num in root.iter(f"{_W}num"):
            num_id = num.get(f"{_W}numId", "")
            numbering.num_abstract[num_id] = _val(num, "abstractNumId") or ""
            overrides = {}
            for override in num.iter(f"{_W}lvlOverride"):
                start = _val(override, "startOverride")
                if start is not None:
                    overrides[int(override.get(f"{_W}ilvl", "0"))] = int(start)
            numbering.num_overrides[num_id] = overrides
        return numbering

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the counter of (num_id, ilvl) and draw the label with its separator ('' if none)."""
        abstract_id = self.num_abstract.get(num_id)
        if num_id in ("", "0") or abstract_id is None:
            return ""  # numId 0 switches numbering off for the paragraph
        levels = self.abstract_levels.get(abstract_id, {})
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self.counters.setdefault(abstract_id, [None] * _MAX_LEVELS)
        override = self.num_overrides.get(num_id, {}).get(ilvl)
        if override is not None and (num_id, ilvl) not in self.started:
            counters[ilvl] = override - 1
        self.started.add((num_id, ilvl))
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, _MAX_LEVELS):
            counters[deeper] = None
        text = level.text
        for k in range(_MAX_LEVELS):
            placeholder = f"%{k + 1}"
            if placeholder in text:
                value = counters[k]
                lvl_k = levels.get(k, _Level())
                text = text.replace(
                    placeholder, format_number(value if value is not None else lvl_k.start, lvl_k.num_fmt)
                )
        return text + level.suffix if text else ""


def _val(element: Any, tag: str) -> str | None:
    child = element.find(f"{_W}{tag}")
    return None if child is None else child.get(f"{_W}val")


def check_zip(path: Path) -> None:
    """Refuse files that are not zips, lack word/document.xml, or inflate like a bomb."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise CorruptFile(str(path), detail="不是有效的 DOCX（ZIP）文件") from exc
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ZipBomb(str(path))
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_MIN_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise ZipBomb(str(path))
    if not any(info.filename == "word/document.xml" for info in infos):
        raise CorruptFile(str(path), detail="缺少 word/document.xml")


class DocxBackend:
    """Body text of a .docx, one paragraph a line, tables as rows of ``cell | cell``."""

    format = SourceFormat.DOCX

    def read(self, path: Path) -> RawDocument:
        check_zip(path)
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        try:
            document = docx.Document(str(path))
            numbering_part = _numbering_root(document)
            numbering = Numbering.from_xml(numbering_part)
            lines: list[str] = []
            for element in _body_elements(document.element.body):
                if element.tag == f"{_W}p":
                    # A 红头 or 文号 is often drawn in a text box anchored to the paragraph.
                    lines.extend(_text_box_lines(element))
                    paragraph = Paragraph(element, document)
                    text = paragraph.text
                    num = _num_pr(paragraph)
                    label = numbering.label(*num) if num else ""
                    if text.strip() or label:
                        lines.append(label + text)
                elif element.tag == f"{_W}tbl":
                    lines.extend(_table_rows(Table(element, document)))
        except Exception as exc:  # python-docx/lxml raise many types on broken parts; all mean corrupt
            raise CorruptFile(str(path), detail=f"{type(exc).__name__}: {exc}") from exc
        # A manual line break (Shift+Enter) inside a paragraph separates lines as deliberately as a
        # paragraph mark does: 款 and 项 typed that way must still start their own line.
        text = "\n".join(line.replace("\x0b", "\n") for line in lines)
        return RawDocument(format=SourceFormat.DOCX, pages=(PageText(1, text),))


_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _text_box_lines(paragraph: Any) -> list[str]:
    """Paragraph texts of the text boxes anchored in a paragraph, each box once.

    Word writes a modern box (wps:txbx) and a VML copy inside mc:Fallback; the copy is skipped.
    """
    lines = []
    for box in paragraph.iter(f"{_W}txbxContent"):
        ancestor = box.getparent()
        in_fallback = False
        while ancestor is not None and ancestor is not paragraph:
            if ancestor.tag == _MC_FALLBACK:
                in_fallback = True
                break
            ancestor = ancestor.getparent()
        if in_fallback:
            continue
        for p in box.iter(f"{_W}p"):
            text = "".join(t.text or "" for t in p.iter(f"{_W}t"))
            if text.strip():
                lines.append(text)
    return lines


def _numbering_root(document: Any) -> Any:
    try:
        return document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return None  # no numbering part: no list numbers to restore


def _body_elements(body: Any) -> Any:
    """Paragraphs and tables in order, looking inside content controls (w:sdt)."""
    for child in body.iterchildren():
        if child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _body_elements(content)
        elif child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child


def _num_pr(paragraph: Any) -> tuple[str, int] | None:
    """(numId, ilvl) of a paragraph, from its own properties or its style chain."""
    p_pr = paragraph._p.pPr
    num_pr = p_pr.find(f"{_W}numPr") if p_pr is not None else None
    style = paragraph.style
    seen = 0
    while num_pr is None and style is not None and seen < 10:
        style_p_pr = style.element.find(f"{_W}pPr")
        num_pr = style_p_pr.find(f"{_W}numPr") if style_p_pr is not None else None
        style = style.base_style
        seen += 1
    if num_pr is None:
        return None
    num_id = _val(num_pr, "numId")
    ilvl = _val(num_pr, "ilvl")
    if num_id is None:
        return None
    return num_id, int(ilvl or 0)


def _table_rows(table: Any) -> list[str]:
    rows = []
    for row in table.rows:
        cells = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:
                continue  # a merged cell repeats across the columns it spans
            previous = cell._tc
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(" | ".join(cells))
    return rows
