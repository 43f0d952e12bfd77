"""Word backend: body order, tables, running heads skipped, list numbers restored, bad zips refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from extractors.docx import DocxBackend, Numbering, check_zip, format_number
from extractors.errors import CorruptFile, ZipBomb
from extractors.reader import extract

DOCUMENTS = Path(__file__).resolve().parent.parent / "fixtures" / "documents"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.mark.parametrize(
    ("value", "num_fmt", "text"),
    [
        (3, "decimal", "3"),
        (12, "chineseCounting", "十二"),
        (105, "chineseCountingThousand", "一百零五"),
        (3, "ideographTraditional", "丙"),
        (12, "chineseLegalSimplified", "拾贰"),
        (2, "decimalEnclosedCircle", "②"),
        (4, "decimalFullWidth", "４"),
        (28, "lowerLetter", "ab"),
        (14, "upperRoman", "XIV"),
        (3, "bullet", ""),
    ],
)
def test_format_number_word_formats(value: int, num_fmt: str, text: str) -> None:
    assert format_number(value, num_fmt) == text


def _numbering(levels: str, nums: str) -> Numbering:
    return Numbering.from_xml(parse_xml(f"<w:numbering {W}>{levels}{nums}</w:numbering>"))


_ARTICLE_LEVELS = (
    '<w:abstractNum w:abstractNumId="1">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/>'
    '<w:suff w:val="nothing"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/>'
    '<w:suff w:val="nothing"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
    "</w:abstractNum>"
)


def test_numbering_levels_restart_below_higher_level() -> None:
    numbering = _numbering(_ARTICLE_LEVELS, '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>')
    labels = [numbering.label("5", lvl) for lvl in (0, 1, 1, 2, 0, 1)]
    assert labels == ["一、", "（一）", "（二）", "1.\t", "二、", "（一）"]


def test_numbering_start_override_restarts_list() -> None:
    nums = (
        '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="6"><w:abstractNumId w:val="1"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    )
    numbering = _numbering(_ARTICLE_LEVELS, nums)
    assert [numbering.label(n, 0) for n in ("5", "5", "6", "6")] == ["一、", "二、", "一、", "二、"]


def test_numbering_shared_abstract_continues_without_override() -> None:
    nums = '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num><w:num w:numId="7"><w:abstractNumId w:val="1"/></w:num>'
    numbering = _numbering(_ARTICLE_LEVELS, nums)
    assert [numbering.label(n, 0) for n in ("5", "7")] == ["一、", "二、"]


def test_numbering_article_label_text() -> None:
    levels = (
        '<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="chineseCountingThousand"/><w:lvlText w:val="第%1条"/><w:suff w:val="space"/></w:lvl>'
        "</w:abstractNum>"
    )
    numbering = _numbering(levels, '<w:num w:numId="1"><w:abstractNumId w:val="2"/></w:num>')
    assert [numbering.label("1", 0) for _ in range(12)][-1] == "第十二条 "


def test_numbering_num_id_zero_is_no_number() -> None:
    numbering = _numbering(_ARTICLE_LEVELS, '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>')
    assert numbering.label("0", 0) == ""


def test_docx_backend_automatic_numbering_fixture() -> None:
    doc = extract(DOCUMENTS / "autonumber_measures.docx")
    assert doc.clause("第二条") is not None
    assert doc.text.split("\n")[2] == "第二条 申领行政执法证件，应当具备下列条件："
    assert doc.text.split("\n")[3] == "（一）在编在岗的行政机关工作人员；"


def test_docx_backend_automatic_numbering_items_restart() -> None:
    doc = extract(DOCUMENTS / "autonumber_measures.docx")
    item = doc.clause("第三条第（一）项")
    assert item is not None and item.text == "（一）持证人调离执法岗位的；"


def test_docx_backend_running_header_skipped() -> None:
    raw = DocxBackend().read(DOCUMENTS / "notice_measures.docx")
    assert "云溪市人民政府行政规范性文件" not in raw.pages[0].text.split("\n")


def test_docx_backend_tables_as_rows_in_body_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("第一条 收费标准如下：")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("项目", "标准"), ("工本费", "10元")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("第二条 本办法自公布之日起施行。")
    path = tmp_path / "table.docx"
    document.save(str(path))
    text = DocxBackend().read(path).pages[0].text
    assert text.split("\n") == [
        "第一条 收费标准如下：",
        "项目 | 标准",
        "工本费 | 10元",
        "第二条 本办法自公布之日起施行。",
    ]


def test_docx_backend_merged_cells_once(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合并"
    table.cell(0, 2).text = "单独"
    path = tmp_path / "merged.docx"
    document.save(str(path))
    assert DocxBackend().read(path).pages[0].text == "合并 | 单独"


def test_check_zip_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_bytes(b"this is not a zip archive")
    with pytest.raises(CorruptFile):
        check_zip(path)


def test_check_zip_missing_document_part(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(CorruptFile, match=r"word/document\.xml"):
        check_zip(path)


def test_check_zip_bomb_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/media/zeros.bin", b"\0" * (64 * 1024 * 1024))
    with pytest.raises(ZipBomb):
        check_zip(path)


def test_docx_backend_broken_xml_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(DOCUMENTS / "notice_measures.docx") as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, data[: len(data) // 2] if info.filename == "word/document.xml" else data)
    with pytest.raises(CorruptFile):
        DocxBackend().read(path)


def test_docx_backend_numbering_inherited_from_style(tmp_path: Path) -> None:
    document = docx.Document()
    for text in ("甲事项；", "乙事项。"):
        document.add_paragraph(text, style="List Number")
    path = tmp_path / "styled.docx"
    document.save(str(path))
    lines = DocxBackend().read(path).pages[0].text.split("\n")
    assert [line.split("\t")[0] for line in lines] == ["1.", "2."]


_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_TEXT_BOX_RUN = (
    f'<w:r {W} xmlns:v="urn:schemas-microsoft-com:vml" xmlns:mc="{_MC}">'
    '<mc:AlternateContent><mc:Choice Requires="wps"><w:pict><v:shape><v:textbox><w:txbxContent>'
    "<w:p><w:r><w:t>云溪市人民政府文件</w:t></w:r></w:p>"
    "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Choice>"
    "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
    "<w:p><w:r><w:t>云溪市人民政府文件</w:t></w:r></w:p>"
    "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)


def test_docx_backend_text_box_read_once_before_its_paragraph(tmp_path: Path) -> None:
    document = docx.Document()
    anchor = document.add_paragraph("云府发〔2020〕1号")
    anchor._p.append(parse_xml(_TEXT_BOX_RUN))
    document.add_paragraph("第一条 甲。")
    path = tmp_path / "textbox.docx"
    document.save(str(path))
    assert DocxBackend().read(path).pages[0].text.split("\n") == [
        "云溪市人民政府文件",
        "云府发〔2020〕1号",
        "第一条 甲。",
    ]


def test_docx_backend_manual_line_breaks_start_lines(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("第三条 有下列情形之一的，不予公示：")
    run = paragraph.add_run()
    run.add_break()
    paragraph.add_run("（一）涉及国家秘密的；")
    path = tmp_path / "breaks.docx"
    document.save(str(path))
    doc = extract(path)
    assert [c.label for c in doc.clauses] == ["第三条", "第三条第（一）项"]
