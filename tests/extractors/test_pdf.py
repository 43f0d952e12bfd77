"""PDF backend: running heads and page numbers dropped, wrapped lines and pages re-joined, bad PDFs typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.errors import CorruptFile, EncryptedPdf
from extractors.pdf import Engine, PdfBackend, PdfSettings, garbled_share, read_pdf
from extractors.reader import extract

DOCUMENTS = Path(__file__).resolve().parent.parent / "fixtures" / "documents"
REPORTLAB = DOCUMENTS / "notice_measures.reportlab.pdf"


def _text(settings: PdfSettings | None = None) -> str:
    return "\n".join(p.text for p in read_pdf(REPORTLAB, settings).pages)


def test_pdf_backend_running_head_dropped() -> None:
    assert "云溪市人民政府行政规范性文件" not in _text().split("\n")


@pytest.mark.parametrize("number", ["— 1 —", "— 2 —", "— 3 —"])
def test_pdf_backend_page_numbers_dropped(number: str) -> None:
    assert number not in _text()


def test_pdf_backend_wrapped_lines_rejoined() -> None:
    assert "第二条 本办法所称行政规范性文件，是指除政府规章外，由行政机关依照法定权限" in _text()


def test_pdf_backend_paragraph_across_page_break_rejoined() -> None:
    assert [p.continues for p in read_pdf(REPORTLAB).pages] == [False, True, False]
    article = extract(REPORTLAB).clause("第六条")
    assert article is not None
    assert article.text == (
        "第六条 行政规范性文件经审议通过后，由制定机关主要负责人签发，并向社会公开发布。"
        "未经公开发布的，不得作为行政管理的依据。"
    )


def test_pdf_backend_centred_two_line_title_joined() -> None:
    assert "关于印发《云溪市行政规范性文件管理办法》的通知" in _text().split("\n")


def test_pdf_backend_red_header_not_joined_with_doc_number() -> None:
    assert _text().split("\n")[:2] == ["云溪市人民政府办公厅文件", "云府办发〔2019〕23号"]


def test_pdf_backend_right_aligned_signature_lines_kept_apart() -> None:
    assert "云溪市人民政府办公厅\n2019年5月6日" in _text()


def test_pdf_backend_orphan_punctuation_joined() -> None:
    doc = extract(REPORTLAB)
    last = doc.clause("第七条")
    assert last is not None and last.text == "第七条 本办法自2019年6月1日起施行，有效期5年。"


def test_pdf_backend_same_text_as_word_original() -> None:
    assert extract(REPORTLAB).text == extract(DOCUMENTS / "notice_measures.docx").text


def test_pdf_backend_pdfium_engine_same_clause_labels() -> None:
    fast = extract(REPORTLAB, pdf_settings=PdfSettings(engine="pdfium"))
    assert [c.label for c in fast.clauses] == [c.label for c in extract(REPORTLAB).clauses]


def test_pdf_backend_pdfium_engine_cannot_join_centred_title() -> None:
    """Regression guard for why pdfplumber stays the default: text alone has no line geometry."""
    assert "关于印发《云溪市行政规" in _text(PdfSettings(engine="pdfium")).split("\n")


def test_pdf_backend_libreoffice_pdf_same_clauses_as_docx() -> None:
    from_pdf = extract(DOCUMENTS / "outline_opinion.libreoffice.pdf")
    from_docx = extract(DOCUMENTS / "outline_opinion.docx")
    assert [(c.label, c.text) for c in from_pdf.clauses if c.label != "序言"] == [
        (c.label, c.text) for c in from_docx.clauses if c.label != "序言"
    ]


def test_pdf_backend_libreoffice_wrapped_pages_same_text_as_docx() -> None:
    """LibreOffice wraps 40 characters a line, keeps 。 off line starts, repeats the Word header."""
    from_pdf = extract(DOCUMENTS / "notice_measures.libreoffice.pdf")
    assert len(from_pdf.pages) == 2
    assert from_pdf.text == extract(DOCUMENTS / "notice_measures.docx").text


def test_pdf_backend_page_info_per_page() -> None:
    assert [p.number for p in extract(REPORTLAB).pages] == [1, 2, 3]


def test_pdf_backend_page_without_text_marked() -> None:
    raw = PdfBackend().read(DOCUMENTS / "scan_no_text.pdf")
    assert [(p.number, p.has_text) for p in raw.pages] == [(1, False)]
    assert [i.page for i in raw.issues] == [1]


def test_pdf_backend_encrypted_refused() -> None:
    with pytest.raises(EncryptedPdf):
        PdfBackend().read(DOCUMENTS / "encrypted.pdf")


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9])
def test_pdf_backend_truncated_is_corrupt(tmp_path: Path, keep: float) -> None:
    data = REPORTLAB.read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(CorruptFile):
        PdfBackend().read(path)


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("margin_band", 0.6),
        ("repeat_share", 0.0),
        ("full_line_slack", -1.0),
        ("indent_chars", 0.0),
        ("engine", "ocr"),
    ],
)
def test_pdf_settings_invalid_value_names_setting(setting: str, value: object) -> None:
    with pytest.raises(ValueError, match=setting):
        PdfSettings(**{setting: value})  # type: ignore[arg-type]


def _reportlab_pages(path: Path, footer: str, bodies: list[list[str]], *, table: bool = False) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    width, height = A4
    c = canvas.Canvas(str(path), pagesize=A4)
    for n, lines in enumerate(bodies, start=1):
        c.setFont("STSong-Light", 9)
        c.drawString(72, height - 40, "云溪市司法局")
        c.drawCentredString(width / 2, 30, footer.format(n=n, total=len(bodies)))
        c.setFont("STSong-Light", 14)
        y = height - 120
        for line in lines:
            c.drawString(100, y, line)
            y -= 26
        if table and n == 1:
            cells = [("项目", "标准"), ("工本费", "10元")]
            for r, row in enumerate(cells):
                for k, value in enumerate(row):
                    x0, top = 100 + k * 150, y - r * 30
                    c.rect(x0, top - 30, 150, 30)
                    c.drawString(x0 + 10, top - 20, value)
        c.showPage()
    c.save()


@pytest.mark.parametrize("footer", ["-{n}-", "第 {n} 页 共 {total} 页", "{n}/{total}", "— {n} —"])
def test_pdf_backend_page_number_styles_dropped(tmp_path: Path, footer: str) -> None:
    path = tmp_path / "footer.pdf"
    _reportlab_pages(path, footer, [["第一条 甲。"], ["第二条 乙。"], ["第三条 丙。"]])
    assert _all_text(path) == "第一条 甲。\n第二条 乙。\n第三条 丙。"


def test_pdf_backend_single_page_number_dropped_without_repetition(tmp_path: Path) -> None:
    path = tmp_path / "single.pdf"
    _reportlab_pages(path, "— {n} —", [["第一条 甲。"]])
    assert _all_text(path) == "云溪市司法局\n第一条 甲。"


def test_pdf_backend_table_rows_kept(tmp_path: Path) -> None:
    path = tmp_path / "table.pdf"
    _reportlab_pages(path, "— {n} —", [["第一条 收费标准如下："], ["第二条 乙。"]], table=True)
    assert _all_text(path).split("\n") == [
        "第一条 收费标准如下：",
        "项目 | 标准",
        "工本费 | 10元",
        "第二条 乙。",
    ]


def _all_text(path: Path, settings: PdfSettings | None = None) -> str:
    return "\n".join(p.text for p in read_pdf(path, settings).pages if p.text)


@pytest.mark.parametrize(
    ("chars", "share"),
    [
        (["第", "一", "条", " "], 0.0),
        (["(cid:12)", "(cid:13)", "第", "一"], 0.5),
        ("\ue001\ue002甲乙", 0.5),
        ("\ufffd\ufffd\ufffd\ufffd", 1.0),
        ("", 0.0),
    ],
)
def test_garbled_share_counts_undecodable_glyphs(chars: list[str] | str, share: float) -> None:
    assert garbled_share(chars) == share


EVALUATION = Path(__file__).resolve().parent.parent.parent / "evaluation" / "documents"


@pytest.mark.slow
def test_pdf_backend_evaluation_twins_same_text_and_metadata_as_word() -> None:
    """Every PDF of the labelled evaluation set gives the text and metadata of its Word original."""
    twins = [p for p in sorted(EVALUATION.glob("*.pdf")) if p.with_suffix(".docx").exists()]
    if not twins:
        pytest.skip(f"no evaluation documents under {EVALUATION}")
    different = []
    for pdf in twins:
        a, b = extract(pdf), extract(pdf.with_suffix(".docx"))
        if (a.text, a.meta) != (b.text, b.meta):
            different.append(pdf.name)
    assert different == []


@pytest.mark.parametrize(
    "name",
    ["notice_measures.reportlab.pdf", "notice_measures.libreoffice.pdf", "outline_opinion.libreoffice.pdf"],
)
@pytest.mark.parametrize("engine", ["pdfium-layout", "auto"])
def test_pdf_backend_fast_engines_same_text_as_pdfplumber(name: str, engine: Engine) -> None:
    path = DOCUMENTS / name
    fast = extract(path, pdf_settings=PdfSettings(engine=engine))
    assert fast.text == extract(path, pdf_settings=PdfSettings(engine="pdfplumber")).text


def test_pdf_settings_default_engine_is_auto() -> None:
    assert PdfSettings().engine == "auto"


def test_pdf_backend_auto_engine_reads_ruled_table_page_with_pdfplumber(tmp_path: Path) -> None:
    path = tmp_path / "table.pdf"
    _reportlab_pages(path, "— {n} —", [["第一条 收费标准如下："], ["第二条 乙。"]], table=True)
    assert "项目 | 标准" in _all_text(path, PdfSettings(engine="auto")).split("\n")
    assert "项目 | 标准" not in _all_text(path, PdfSettings(engine="pdfium-layout")).split("\n")


def test_pdf_backend_salutation_under_full_title_line_not_joined(tmp_path: Path) -> None:
    path = tmp_path / "salutation.pdf"
    title = "云溪市人民政府办公室关于印发《云溪市政务服务工作规则》的通知"
    _reportlab_pages(
        path, "— {n} —", [[title, "各乡镇人民政府，县政府各部门：", "第一条 甲。"], ["第二条 乙。"]]
    )
    assert _all_text(path).split("\n")[:2] == [title, "各乡镇人民政府，县政府各部门："]
