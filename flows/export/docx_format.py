"""Word documents laid out after GB/T 9704-2012 (党政机关公文格式), on top of python-docx.

What must stay true:
- every string reaches the XML through `xml_safe` (here, not in callers);
- East Asian fonts are set with ``w:rFonts/@w:eastAsia`` (python-docx's ``font.name`` only sets
  ascii/hAnsi), and theme font attributes are removed because Word lets them win;
- fonts live in styles, not in runs, so a 2,000-row table stays small and fast to write.

When the GB fonts (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体) are not installed, Word
substitutes its own CJK fonts and LibreOffice falls back through fontconfig to Noto CJK
(fonts-noto-cjk), so a document always renders, with the standard metrics kept by the styles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document as new_docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.oxml.table import CT_Tbl
from docx.oxml.text.font import CT_RPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length, Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from flows.export.text import truncate, xml_safe

# Page (GB/T 9704-2012 §5.2): A4; 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm, hence bottom 35 mm, right 26 mm.
PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
MARGIN_TOP = Mm(37)
MARGIN_BOTTOM = Mm(35)
MARGIN_LEFT = Mm(28)
MARGIN_RIGHT = Mm(26)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 156 mm
# The page number's top sits 7 mm under the 版心 (§7.5): 35 − 7 = 28 mm above the page edge, minus
# one 4号 line (≈ 5 mm) because Word measures the footer distance to the footer's bottom.
FOOTER_DISTANCE = Mm(23)
HEADER_DISTANCE = Mm(15)

# Sizes in points (字号): 二号 22, 三号 16, 四号 14, 五号 10.5.
TITLE_SIZE = Pt(22)
BODY_SIZE = Pt(16)
PAGE_NUMBER_SIZE = Pt(14)
TABLE_SIZE = Pt(10.5)
# 22 lines in the 225 mm 版心 (§5.2.2): 637.8 pt / 22 ≈ 28.95 pt, exact line spacing.
LINE_PITCH = Pt(28.95)
# Table text is single-spaced; 1.15 of 五号 keeps 2,000-row lists compact yet readable.
TABLE_LINE_SPACING = 1.15
TABLE_CELL_SPACING = Pt(1.5)
# Word's default 1.9 mm cell padding wastes a character per side in the narrow 文号/日期 columns.
TABLE_CELL_SIDE_MARGIN = Mm(1)
# 首行缩进二字: first-line indent in hundredths of a character (Word's firstLineChars), plus twips fallback.
FIRST_LINE_INDENT_CHARS = 200
# 页码 (§7.5): 一字线 on both sides; odd pages right, even pages left, each 空一字.
PAGE_NUMBER_DASH = "—"
PAGE_NUMBER_SIDE_INDENT = Pt(14)

# A row taller than the page cannot be kept whole: Word then clips it. Rows whose longest cell
# holds more characters than this are allowed to split; ~600 CJK characters fill about a page in
# a 40 mm column of 五号 text (10 characters × 60 lines), so anything longer might not fit.
MAX_UNSPLIT_CELL_CHARS = 600
# Core property values are shown in file dialogs; long titles are cut there (the body keeps them).
MAX_CORE_TITLE_CHARS = 200

# Style names (English ids, stable for tests and for offices that restyle documents).
STYLE_TITLE = "GB Title"
STYLE_SUBTITLE = "GB Subtitle"
STYLE_HEADING_1 = "GB Heading 1"
STYLE_HEADING_2 = "GB Heading 2"
STYLE_BODY = "GB Body"
STYLE_BODY_PLAIN = "GB Body Plain"  # no first-line indent: labels, signatures, "无"
STYLE_TABLE_TEXT = "GB Table Text"
STYLE_TABLE_HEADER = "GB Table Header"
STYLE_PAGE_NUMBER = "GB Page Number"

_TWIPS_PER_EMU = 1 / 635
_BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")
_BORDER_SIZE_EIGHTHS = 4  # ½ pt single line
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_V_ALIGN_CENTER = '<w:vAlign w:val="center"/>'
_JC_CENTER = '<w:jc w:val="center"/>'
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class GbFonts:
    """Font families for the GB/T 9704 styles; offices without the GB fonts may choose 仿宋/楷体."""

    title: str = "方正小标宋简体"
    body: str = "仿宋_GB2312"
    heading_1: str = "黑体"
    heading_2: str = "楷体_GB2312"
    page_number: str = "宋体"
    latin: str = "Times New Roman"

    def __post_init__(self) -> None:
        for name in ("title", "body", "heading_1", "heading_2", "page_number", "latin"):
            if not getattr(self, name).strip():
                raise ValueError(f"GbFonts.{name} must name a font family")


DEFAULT_FONTS = GbFonts()


def new_document(*, title: str, created: datetime | None = None, fonts: GbFonts = DEFAULT_FONTS) -> Document:
    """An empty A4 document with GB/T 9704 margins, styles, and "— N —" page numbers.

    `created` stamps the core properties (pass the report's generation time so that the same
    report always gives the same file contents apart from the zip timestamps).
    """
    doc = new_docx(BytesIO(_template(fonts)))
    props = doc.core_properties
    props.title = truncate(" ".join(xml_safe(title).split()), MAX_CORE_TITLE_CHARS)
    props.author = "qingli"
    props.language = "zh-CN"
    if created is not None:
        # python-docx writes the wall time with a "Z" suffix: convert aware times to UTC first.
        stamp = created.astimezone(UTC) if created.tzinfo is not None else created
        props.created = stamp
        props.modified = stamp
        props.last_modified_by = "qingli"
    return doc


@cache
def _template(fonts: GbFonts) -> bytes:
    """The styled empty document, built once per font choice (styling takes ~0.1 s per document)."""
    doc = new_docx()
    _set_page(doc)
    _set_defaults(doc, fonts)
    _add_styles(doc, fonts)
    _add_page_numbers(doc)
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def add_title(doc: Document, text: str) -> Paragraph:
    """The 标题: 二号 小标宋, centred."""
    return add_paragraph(doc, text, STYLE_TITLE)


def add_heading(doc: Document, text: str, level: int) -> Paragraph:
    """一级标题 (黑体) for level 1, 二级标题 (楷体) for level 2."""
    if level not in (1, 2):
        raise ValueError(f"heading level must be 1 or 2, not {level}")
    return add_paragraph(doc, text, STYLE_HEADING_1 if level == 1 else STYLE_HEADING_2)


def add_body(doc: Document, text: str, *, indent: bool = True) -> Paragraph:
    """A 正文 paragraph (三号 仿宋), with the two-character first-line indent unless `indent` is off."""
    return add_paragraph(doc, text, STYLE_BODY if indent else STYLE_BODY_PLAIN)


def add_labelled(doc: Document, label: str, text: str) -> Paragraph:
    """A body paragraph that starts with a bold label, e.g. "存在问题：" followed by the text."""
    paragraph = add_paragraph(doc, "", STYLE_BODY)
    label_run = paragraph.add_run(xml_safe(label))
    label_run.bold = True
    paragraph.add_run(xml_safe(text))
    return paragraph


def add_paragraph(doc: Document, text: str, style: str) -> Paragraph:
    """A paragraph of `style`; newlines become line breaks, unsafe characters are removed."""
    paragraph = doc.add_paragraph(xml_safe(text))
    # Set the style id directly: python-docx looks styles up by name with a scan of all styles.
    paragraph._p.get_or_add_pPr().get_or_add_pStyle().val = style_id(style)
    return paragraph


def add_right_aligned(doc: Document, text: str) -> Paragraph:
    """A 落款/date line: right-aligned, 空四字 from the right edge as GB/T 9704 §7.3.5 shows."""
    paragraph = add_paragraph(doc, text, STYLE_BODY_PLAIN)
    paragraph.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
    paragraph.paragraph_format.right_indent = Pt(BODY_SIZE.pt * 4)
    return paragraph


def add_table(
    doc: Document,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[Length],
    *,
    centred_columns: frozenset[int] = frozenset(),
) -> Table:
    """A bordered, fixed-layout table whose header row repeats on every page and whose rows stay whole.

    Rows are built directly as XML: python-docx's cell accessors rebuild the whole cell grid on
    every call, which is quadratic in the number of rows.
    """
    if len(headers) != len(widths):
        raise ValueError(f"{len(headers)} headers but {len(widths)} column widths")
    table: Table = doc.add_table(rows=0, cols=len(headers))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl = table._tbl
    _set_table_properties(tbl, sum(int(w) for w in widths))
    twips = [str(round(int(w) * _TWIPS_PER_EMU)) for w in widths]
    for grid_col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), twips, strict=True):
        grid_col.set(qn("w:w"), width)
    header_style = style_id(STYLE_TABLE_HEADER)
    text_style = style_id(STYLE_TABLE_TEXT)
    for cells in rows:
        if len(cells) != len(headers):
            raise ValueError(f"row has {len(cells)} cells, table has {len(headers)} columns")
    all_columns = frozenset(range(len(headers)))
    _append_rows(tbl, _rows_xml([headers], twips, header_style, header=True, centred=all_columns))
    _append_rows(tbl, _rows_xml(rows, twips, text_style, header=False, centred=centred_columns))
    return table


def style_id(name: str) -> str:
    """The ``w:styleId`` python-docx gives a style it adds under `name` (the name without spaces)."""
    return name.replace(" ", "")


def save(doc: Document, path: Path) -> Path:
    """Write `doc` to `path` (parents created) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


# --- page, styles, footer -------------------------------------------------------------------


def _set_page(doc: Document) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = PAGE_WIDTH
    section.page_height = PAGE_HEIGHT
    section.top_margin = MARGIN_TOP
    section.bottom_margin = MARGIN_BOTTOM
    section.left_margin = MARGIN_LEFT
    section.right_margin = MARGIN_RIGHT
    section.header_distance = HEADER_DISTANCE
    section.footer_distance = FOOTER_DISTANCE
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is not None:  # line pitch only; a character/line grid would also snap table text
        grid.set(qn("w:linePitch"), str(round(int(LINE_PITCH) * _TWIPS_PER_EMU)))


def _set_defaults(doc: Document, fonts: GbFonts) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    set_fonts(rpr, east_asia=fonts.body, latin=fonts.latin)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None:  # the template's 10 pt after / 1.15 lines would double the GB line pitch
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
    normal = doc.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    _format_style(normal, fonts.body, fonts.latin, BODY_SIZE, line=LINE_PITCH)
    normal.paragraph_format.widow_control = False  # GB pages are filled line by line


def _add_styles(doc: Document, fonts: GbFonts) -> None:
    title = _new_style(doc, STYLE_TITLE)
    _format_style(title, fonts.title, fonts.latin, TITLE_SIZE, line=LINE_PITCH, align="center")
    title.paragraph_format.space_after = LINE_PITCH  # 标题与正文之间空一行
    title.paragraph_format.keep_with_next = True

    subtitle = _new_style(doc, STYLE_SUBTITLE)
    _format_style(subtitle, fonts.heading_2, fonts.latin, BODY_SIZE, line=LINE_PITCH, align="center")
    subtitle.paragraph_format.keep_with_next = True

    for name, family, level in (
        (STYLE_HEADING_1, fonts.heading_1, 0),
        (STYLE_HEADING_2, fonts.heading_2, 1),
    ):
        heading = _new_style(doc, name)
        _format_style(heading, family, fonts.latin, BODY_SIZE, line=LINE_PITCH)
        _first_line_indent(heading)
        heading.paragraph_format.keep_with_next = True
        heading.element.get_or_add_pPr().get_or_add_outlineLvl().val = level

    body = _new_style(doc, STYLE_BODY)
    _format_style(body, fonts.body, fonts.latin, BODY_SIZE, line=LINE_PITCH, align="both")
    _first_line_indent(body)

    plain = _new_style(doc, STYLE_BODY_PLAIN)
    _format_style(plain, fonts.body, fonts.latin, BODY_SIZE, line=LINE_PITCH, align="both")

    for name, family, align in (
        (STYLE_TABLE_TEXT, fonts.body, "left"),
        (STYLE_TABLE_HEADER, fonts.heading_1, "center"),
    ):
        style = _new_style(doc, name)
        _format_style(style, family, fonts.latin, TABLE_SIZE, line=None, align=align)
        style.paragraph_format.line_spacing = TABLE_LINE_SPACING
        style.paragraph_format.space_before = TABLE_CELL_SPACING
        style.paragraph_format.space_after = TABLE_CELL_SPACING

    number = _new_style(doc, STYLE_PAGE_NUMBER)
    # 4号半角宋体阿拉伯数字: the digits are set in the page-number font for Latin text as well.
    _format_style(number, fonts.page_number, fonts.page_number, PAGE_NUMBER_SIZE, line=None)


def _new_style(doc: Document, name: str) -> ParagraphStyle:
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    return style


def _format_style(
    style: ParagraphStyle,
    east_asia: str,
    latin: str,
    size: Length,
    *,
    line: Length | None,
    align: str | None = None,
) -> None:
    style.font.size = size
    set_fonts(style.element.get_or_add_rPr(), east_asia=east_asia, latin=latin)
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if line is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = line
    if align is not None:
        fmt.alignment = {
            "center": WD_PARAGRAPH_ALIGNMENT.CENTER,
            "left": WD_PARAGRAPH_ALIGNMENT.LEFT,
            "both": WD_PARAGRAPH_ALIGNMENT.JUSTIFY,
        }[align]


def _first_line_indent(style: ParagraphStyle) -> None:
    ind = style.element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(FIRST_LINE_INDENT_CHARS))
    ind.set(qn("w:firstLine"), str(round(2 * BODY_SIZE.pt * 20)))


def set_fonts(rpr: CT_RPr, *, east_asia: str, latin: str) -> None:
    """Set explicit fonts on a ``w:rPr``: Latin for ascii/hAnsi/cs, `east_asia` for CJK text.

    Theme attributes are removed because Word prefers them over explicit names.
    """
    rfonts = rpr.get_or_add_rFonts()
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme_attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    # Ambiguous characters (“” …… —) take the East Asian font, as Chinese typesetting expects.
    rfonts.set(qn("w:hint"), "eastAsia")


def _add_page_numbers(doc: Document) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    odd = section.footer.paragraphs[0]
    even = section.even_page_footer.paragraphs[0]
    for paragraph, align in ((odd, WD_PARAGRAPH_ALIGNMENT.RIGHT), (even, WD_PARAGRAPH_ALIGNMENT.LEFT)):
        paragraph.style = doc.styles[STYLE_PAGE_NUMBER]
        paragraph.alignment = align
        if align == WD_PARAGRAPH_ALIGNMENT.RIGHT:
            paragraph.paragraph_format.right_indent = PAGE_NUMBER_SIDE_INDENT
        else:
            paragraph.paragraph_format.left_indent = PAGE_NUMBER_SIDE_INDENT
        _append_page_field(paragraph)


def _append_page_field(paragraph: Paragraph) -> None:
    """ "— N —" with N a PAGE field (begin / instruction / separate / cached result / end)."""
    p = paragraph._p
    _text_run(p, f"{PAGE_NUMBER_DASH} ")
    _field_char(p, "begin")
    run = _sub(p, "w:r")
    instr = _sub(run, "w:instrText")
    instr.set(_XML_SPACE, "preserve")
    instr.text = " PAGE "
    _field_char(p, "separate")
    _text_run(p, "1")
    _field_char(p, "end")
    _text_run(p, f" {PAGE_NUMBER_DASH}")


def _field_char(p: BaseOxmlElement, kind: str) -> None:
    run = _sub(p, "w:r")
    _sub(run, "w:fldChar").set(qn("w:fldCharType"), kind)


# --- tables -------------------------------------------------------------------------------


def _set_table_properties(tbl: CT_Tbl, width_emu: int) -> None:
    tbl_pr = tbl.tblPr
    style = tbl_pr.find(qn("w:tblStyle"))
    if style is not None:  # our borders and fonts are explicit; no dependency on template styles
        tbl_pr.remove(style)
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = _sub(tbl_pr, "w:tblW")
    width.set(qn("w:w"), str(round(width_emu * _TWIPS_PER_EMU)))
    width.set(qn("w:type"), "dxa")
    borders = tbl_pr.makeelement(qn("w:tblBorders"), {})
    for side in _BORDER_SIDES:
        edge = _sub(borders, f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), str(_BORDER_SIZE_EIGHTHS))
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), "000000")
    layout = tbl_pr.makeelement(qn("w:tblLayout"), {qn("w:type"): "fixed"})
    margins = tbl_pr.makeelement(qn("w:tblCellMar"), {})
    for side in ("left", "right"):
        margin = _sub(margins, f"w:{side}")
        margin.set(qn("w:w"), str(round(int(TABLE_CELL_SIDE_MARGIN) * _TWIPS_PER_EMU)))
        margin.set(qn("w:type"), "dxa")
    # CT_TblPr order: tblStyle, …, jc, …, tblBorders, shd, tblLayout, tblCellMar, tblLook.
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        for element in (borders, layout, margins):
            look.addprevious(element)
    else:
        tbl_pr.extend((borders, layout, margins))


def _rows_xml(
    rows: Iterable[Sequence[str]],
    twips: Sequence[str],
    style: str,
    *,
    header: bool,
    centred: frozenset[int],
) -> str:
    """``w:tr`` elements for `rows` as XML text (parsed once: ~10× faster than building nodes one by one)."""
    v_align = _V_ALIGN_CENTER if header else ""
    cell_props = [f'<w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{v_align}</w:tcPr>' for width in twips]
    paragraph_props = [
        f'<w:pPr><w:pStyle w:val="{style}"/>{_JC_CENTER if column in centred else ""}</w:pPr>'
        for column in range(len(twips))
    ]
    parts: list[str] = []
    for cells in rows:
        texts = [xml_safe(cell) for cell in cells]
        keep_whole = header or max((len(t) for t in texts), default=0) <= MAX_UNSPLIT_CELL_CHARS
        parts.append("<w:tr><w:trPr>")
        parts.append("<w:cantSplit/>" if keep_whole else "")
        parts.append("<w:tblHeader/>" if header else "")
        parts.append("</w:trPr>")
        for column, text in enumerate(texts):
            parts.append("<w:tc>")
            parts.append(cell_props[column])
            # One paragraph per line of text: table cells read better without forced breaks.
            for line in _LINE_BREAK.split(text):
                parts.append("<w:p>")
                parts.append(paragraph_props[column])
                if line:
                    parts.append("<w:r>")
                    for i, piece in enumerate(line.split("\t")):
                        if i:
                            parts.append("<w:tab/>")
                        if piece:
                            parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
                    parts.append("</w:r>")
                parts.append("</w:p>")
            parts.append("</w:tc>")
        parts.append("</w:tr>")
    return "".join(parts)


def _append_rows(tbl: CT_Tbl, rows_xml: str) -> None:
    holder = parse_xml(f'<w:tbl xmlns:w="{_W_NAMESPACE}">{rows_xml}</w:tbl>')
    tbl.extend(list(holder))


def _text_run(p: etree._Element, text: str) -> None:
    """Append a run holding `text` (tabs become ``w:tab``); `text` must already be xml_safe."""
    run = _sub(p, "w:r")
    for i, piece in enumerate(text.split("\t")):
        if i:
            _sub(run, "w:tab")
        if piece:
            t = _sub(run, "w:t")
            t.set(_XML_SPACE, "preserve")
            t.text = piece


def _sub(parent: etree._Element, tag: str) -> etree._Element:
    return etree.SubElement(parent, qn(tag))
