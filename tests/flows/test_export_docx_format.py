"""GB/T 9704 page, styles, page numbers and tables of the Word exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm

from flows.export import docx_format as gb

W_TAG = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    doc = gb.new_document(title="测试文件")
    gb.add_title(doc, "关于印发《测试办法》的通知")
    gb.add_heading(doc, "一、总体要求", 1)
    gb.add_heading(doc, "（一）工作目标", 2)
    gb.add_body(doc, "为了规范行政执法行为，制定本办法。")
    rows = [["1", "短文本"], ["2", "长" * (gb.MAX_UNSPLIT_CELL_CHARS + 1)]]
    gb.add_table(doc, ["序号", "内容"], rows, [Mm(20), Mm(136)])
    return gb.save(doc, tmp_path_factory.mktemp("gb") / "测试.docx")


def _rfonts(path: Path, style_name: str) -> dict[str, str]:
    style = Document(str(path)).styles[style_name]
    rfonts = style.element.rPr.rFonts
    return {key.removeprefix(W_TAG): value for key, value in rfonts.attrib.items()}


@pytest.mark.parametrize(
    ("attribute", "millimetres"),
    [
        ("page_width", 210),
        ("page_height", 297),
        ("top_margin", 37),
        ("bottom_margin", 35),
        ("left_margin", 28),
        ("right_margin", 26),
    ],
)
def test_new_document_sets_gb_page_geometry(saved: Path, attribute: str, millimetres: int) -> None:
    section = Document(str(saved)).sections[0]
    assert getattr(section, attribute).mm == pytest.approx(millimetres, abs=0.1)


@pytest.mark.parametrize(
    ("style_name", "east_asia"),
    [
        (gb.STYLE_TITLE, "方正小标宋简体"),
        (gb.STYLE_BODY, "仿宋_GB2312"),
        (gb.STYLE_HEADING_1, "黑体"),
        (gb.STYLE_HEADING_2, "楷体_GB2312"),
        (gb.STYLE_TABLE_TEXT, "仿宋_GB2312"),
        ("Normal", "仿宋_GB2312"),
    ],
)
def test_new_document_sets_east_asian_fonts_on_styles(saved: Path, style_name: str, east_asia: str) -> None:
    fonts = _rfonts(saved, style_name)
    assert fonts["eastAsia"] == east_asia
    assert fonts["ascii"] == fonts["hAnsi"] == "Times New Roman"


@pytest.mark.parametrize("style_name", ["Normal", gb.STYLE_BODY, gb.STYLE_TITLE, gb.STYLE_HEADING_1])
def test_new_document_removes_theme_fonts_that_would_override_names(saved: Path, style_name: str) -> None:
    assert not any(key.endswith("Theme") or key.endswith("theme") for key in _rfonts(saved, style_name))


def test_new_document_removes_theme_fonts_from_document_defaults(saved: Path) -> None:
    rfonts = Document(str(saved)).styles.element.find(f".//{qn('w:rPrDefault')}//{qn('w:rFonts')}")
    assert rfonts.get(qn("w:eastAsiaTheme")) is None
    assert rfonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_new_document_declares_chinese_as_east_asian_language(saved: Path) -> None:
    lang = Document(str(saved)).styles.element.find(f".//{qn('w:rPrDefault')}//{qn('w:lang')}")
    assert lang.get(qn("w:eastAsia")) == "zh-CN"


@pytest.mark.parametrize(
    ("style_name", "points"),
    [(gb.STYLE_TITLE, 22), (gb.STYLE_BODY, 16), (gb.STYLE_HEADING_1, 16), (gb.STYLE_TABLE_TEXT, 10.5)],
)
def test_new_document_sets_gb_font_sizes(saved: Path, style_name: str, points: float) -> None:
    assert Document(str(saved)).styles[style_name].font.size.pt == points


def test_title_style_is_centred(saved: Path) -> None:
    assert (
        Document(str(saved)).styles[gb.STYLE_TITLE].paragraph_format.alignment
        == WD_PARAGRAPH_ALIGNMENT.CENTER
    )


def test_body_style_has_exact_line_pitch_for_22_lines(saved: Path) -> None:
    fmt = Document(str(saved)).styles[gb.STYLE_BODY].paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert fmt.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    assert 225 / fmt.line_spacing.mm == pytest.approx(22, abs=0.05)


def test_body_style_indents_the_first_line_two_characters(saved: Path) -> None:
    ind = Document(str(saved)).styles[gb.STYLE_BODY].element.pPr.ind
    assert ind.get(qn("w:firstLineChars")) == "200"


def test_headings_carry_outline_levels(saved: Path) -> None:
    styles = Document(str(saved)).styles
    assert styles[gb.STYLE_HEADING_1].element.pPr.outlineLvl.val == 0
    assert styles[gb.STYLE_HEADING_2].element.pPr.outlineLvl.val == 1


def test_footer_holds_a_page_field_between_dashes(saved: Path) -> None:
    footer = Document(str(saved)).sections[0].footer.paragraphs[0]
    instr = [el.text for el in footer._p.iter(qn("w:instrText"))]
    assert instr == [" PAGE "]
    assert footer.text == "— 1 —"


def test_footers_put_odd_pages_right_and_even_pages_left(saved: Path) -> None:
    word = Document(str(saved))
    section = word.sections[0]
    assert word.settings.odd_and_even_pages_header_footer
    assert section.footer.paragraphs[0].alignment == WD_PARAGRAPH_ALIGNMENT.RIGHT
    assert section.even_page_footer.paragraphs[0].alignment == WD_PARAGRAPH_ALIGNMENT.LEFT
    assert section.even_page_footer.paragraphs[0].text == "— 1 —"


def _row_flags(path: Path) -> list[set[str]]:
    """The ``w:trPr`` children of each row of the first table, by local name."""
    rows = Document(str(path)).tables[0]._tbl.tr_lst
    return [{str(child.tag).removeprefix(W_TAG) for child in tr.find(qn("w:trPr"))} for tr in rows]


def test_add_table_repeats_the_header_row(saved: Path) -> None:
    flags = _row_flags(saved)
    assert "tblHeader" in flags[0]
    assert all("tblHeader" not in row for row in flags[1:])


def test_add_table_keeps_ordinary_rows_whole(saved: Path) -> None:
    assert "cantSplit" in _row_flags(saved)[1]


def test_add_table_lets_rows_longer_than_a_page_split(saved: Path) -> None:
    assert "cantSplit" not in _row_flags(saved)[2]


def test_add_table_draws_all_borders(saved: Path) -> None:
    borders = Document(str(saved)).tables[0]._tbl.tblPr.find(qn("w:tblBorders"))
    assert {child.tag.removeprefix(W_TAG) for child in borders} == set(gb._BORDER_SIDES)


def test_add_table_uses_table_font_size(saved: Path) -> None:
    cell = Document(str(saved)).tables[0].rows[1].cells[1]
    assert cell.paragraphs[0].style.name == gb.STYLE_TABLE_TEXT


def test_add_table_rejects_rows_of_the_wrong_width() -> None:
    doc = gb.new_document(title="t")
    with pytest.raises(ValueError, match="2 columns"):
        gb.add_table(doc, ["a", "b"], [["1"]], [Mm(78), Mm(78)])


def test_add_heading_rejects_levels_without_a_gb_style() -> None:
    with pytest.raises(ValueError, match="level"):
        gb.add_heading(gb.new_document(title="t"), "三级", 3)


def test_gb_fonts_names_the_empty_setting() -> None:
    with pytest.raises(ValueError, match=r"GbFonts\.body"):
        gb.GbFonts(body=" ")


def test_new_document_uses_chosen_fonts(tmp_path: Path) -> None:
    doc = gb.new_document(title="t", fonts=gb.GbFonts(body="仿宋", heading_2="楷体"))
    path = gb.save(doc, tmp_path / "fonts.docx")
    assert _rfonts(path, gb.STYLE_BODY)["eastAsia"] == "仿宋"
    assert _rfonts(path, gb.STYLE_HEADING_2)["eastAsia"] == "楷体"


@pytest.mark.parametrize(
    "style_name",
    [
        gb.STYLE_TITLE,
        gb.STYLE_SUBTITLE,
        gb.STYLE_HEADING_1,
        gb.STYLE_HEADING_2,
        gb.STYLE_BODY,
        gb.STYLE_BODY_PLAIN,
        gb.STYLE_TABLE_TEXT,
        gb.STYLE_TABLE_HEADER,
    ],
)
def test_style_id_names_a_style_of_the_template(style_name: str) -> None:
    assert gb.new_document(title="t").styles[style_name].style_id == gb.style_id(style_name)


def test_new_document_returns_independent_documents() -> None:
    first = gb.new_document(title="甲")
    gb.add_body(first, "只在第一份文件中")
    assert gb.new_document(title="乙").paragraphs == []
