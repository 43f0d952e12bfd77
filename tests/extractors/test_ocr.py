"""OCR of scanned PDFs and image files: engine checks, paragraph rebuilding, safe corrections, accuracy.

Tests marked ``ocr`` run tesseract with chi_sim; they skip when it is missing locally and fail
in CI (``CI=true``). The fixtures are rendered from our own texts by
``tests/fixtures/legacy/make_fixtures.py``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from docx import Document
from PIL import Image
from rapidfuzz.distance import Levenshtein

from extractors import ocr
from extractors.errors import CorruptFile, OcrMissing
from extractors.normalize import normalize_text
from extractors.structure import split_clauses

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "legacy"
# Character accuracy the issue asks of OCR on our rendered scans (1 - edit distance / length).
MIN_ACCURACY = 0.98


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def tesseract() -> None:
    """Skip locally, fail in CI, when tesseract or its chi_sim model is missing."""
    try:
        ocr.require_tesseract("tesseract check")
    except OcrMissing as exc:
        if _in_ci():
            pytest.fail(exc.message)
        pytest.skip(exc.message)


def _docx_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def _accuracy(recognised: str, truth: str) -> float:
    a, b = re.sub(r"\s", "", recognised), re.sub(r"\s", "", truth)
    return 1 - Levenshtein.distance(a, b) / len(b)


def _labels(text: str) -> list[str]:
    return [c.label for c in split_clauses(normalize_text(text))]


# OCR is the slow part (seconds per page): each fixture is recognised once per session.
@pytest.fixture(scope="session")
def scanned_pages(tesseract: None) -> dict[int, tuple[str, float]]:
    path = FIXTURES / "ordinance.scanned.pdf"
    return ocr.ocr_pdf_pages(path, ocr.pages_without_text(path))


@pytest.fixture(scope="session")
def tiff_pages(tesseract: None) -> list[tuple[str, float]]:
    return ocr.ocr_image_file(FIXTURES / "opinion.tif")


# ---------------------------------------------------------------------------------------------
# Engine checks


def test_require_tesseract_missing_binary_names_debian_packages(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(OcrMissing) as caught:
        ocr.require_tesseract("scan.pdf")
    assert caught.value.code == "E012"
    assert "tesseract-ocr tesseract-ocr-chi-sim" in caught.value.message


@pytest.mark.ocr
def test_require_tesseract_missing_chinese_model_names_its_package(
    tesseract: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pytesseract

    monkeypatch.setattr(pytesseract, "get_languages", lambda config="": ["eng", "osd"])
    ocr._engine.cache_clear()
    try:
        with pytest.raises(OcrMissing) as caught:
            ocr.require_tesseract("scan.pdf")
    finally:
        ocr._engine.cache_clear()
    assert "tesseract-ocr-chi-sim" in caught.value.message
    assert "chi_sim" in caught.value.message


# ---------------------------------------------------------------------------------------------
# Text clean-up


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("第 十 二 条 为 了 加 强", "第十二条为了加强"),
        ("2020 年 5 月 1 日", "2020年5月1日"),
        ("依 照 GB/T 9704 排 版", "依照GB/T 9704排版"),
    ],
)
def test_collapse_spaces_removes_spaces_inside_chinese(raw: str, expected: str) -> None:
    assert ocr.collapse_spaces(raw) == expected


def test_collapse_spaces_keeps_one_space_between_latin_words() -> None:
    assert ocr.collapse_spaces("Microsoft   Word 97") == "Microsoft Word 97"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # 十 read as "+": never part of a Chinese numeral, fixed anywhere.
        ("第+二条 本办法自发布之日起施行。", "第十二条 本办法自发布之日起施行。"),
        ("违反本办法第+二条规定的", "违反本办法第十二条规定的"),
        # 条 read as 祭, at a line start whose neighbour confirms the numbering.
        ("第十一条 甲。\n第十二祭 乙。", "第十一条 甲。\n第十二条 乙。"),
        # The gap after the label read as an unpaired quote.
        ("第一条“为了加强管理，制定本办法。", "第一条 为了加强管理，制定本办法。"),
        ("第八条”违反本办法的", "第八条 违反本办法的"),
        # 文号: any bracket for 〔〕, with spaces, l/| for 1 and O for 0 in its digits.
        ("长府办发[2020] 8号", "长府办发〔2020〕8号"),
        ("长府办发［2020］8号", "长府办发〔2020〕8号"),
        ("长府办发(2020)8号", "长府办发〔2020〕8号"),
        ("长府发【2015]12号", "长府发〔2015〕12号"),
        ("长府办发〔2O20〕l2号", "长府办发〔2020〕12号"),
        ("国办发〔2018〕|18号", "国办发〔2018〕118号"),
        # The brackets around a cited 文号.
        ("的意见》《长府发【2015] 12号)同时废止", "的意见》（长府发〔2015〕12号）同时废止"),
        # 〇 in a year written in Chinese numerals.
        ("二O二一年六月一日", "二〇二一年六月一日"),
        ("二0二0年", "二〇二〇年"),
        ("本意见自二O〇二一年七月一日起施行。", "本意见自二〇二一年七月一日起施行。"),
        ("二〇o二一年", "二〇二一年"),
        # Item markers and punctuation inside Chinese text.
        ("(三)交通安全保障措施;", "（三）交通安全保障措施；"),
        ("提交下列材料:", "提交下列材料："),
        ("《长河市城市道路管理办法(试行)》", "《长河市城市道路管理办法（试行）》"),
    ],
)
def test_correct_ocr_text_fixes_structural_confusions(raw: str, expected: str) -> None:
    assert ocr.correct_ocr_text(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        # 祭 with no numbering around it to confirm an article.
        "第十二祭坛位于城北。",
        "第一条 甲。\n第五祭 乙。",
        # A quote after the label that is closed later is a real quotation.
        "第二条“临时占用”是指因建设工程占用城市道路。",
        # References in running text keep their spelling.
        "违反本办法第七条规定的",
        # Court case numbers use （） around the year by rule, and are followed by letters.
        "（2020）京0101民初123号",
        # A year that is not a year stays as read.
        "长府发〔3020〕8号",
        # Arabic dates, and Latin O outside years.
        "2020年5月1日",
        "O型血献血者",
        "OOOO年",
        # Five numerals before 年 without a doubled 〇 reading: no way to tell which is wrong.
        "二〇〇二一年",
        "一二〇二一年",
        "二〇〇二年",
        # Half-width punctuation between digits or in Latin text.
        "比例为1:2，金额为3,000元",
        "Word 97 (doc)",
        "http://example.com/a;b",
        # 1 and l outside a 文号.
        "l号楼",
    ],
)
def test_correct_ocr_text_leaves_lookalikes_outside_structure_alone(text: str) -> None:
    assert ocr.correct_ocr_text(text) == text


# ---------------------------------------------------------------------------------------------
# Paragraph rebuilding from tesseract's boxes


def _data(lines: list[tuple[int, int, int, str]]) -> dict[str, list[object]]:
    """A minimal ``image_to_data`` dict: one line per (left, top, right, text), words split on spaces."""
    columns: dict[str, list[object]] = {
        k: []
        for k in (
            [
                "level",
                "page_num",
                "block_num",
                "par_num",
                "line_num",
                "word_num",
                "left",
                "top",
                "width",
                "height",
                "conf",
                "text",
            ]
        )
    }

    def row(
        level: int, line: int, word: int, left: int, top: int, width: int, conf: float, text: str
    ) -> None:
        for key, value in zip(
            columns,
            (level, 1, 1, 1, line, word, left, top, width, 40, conf, text),
            strict=True,
        ):
            columns[key].append(value)

    for n, (left, top, right, text) in enumerate(lines, start=1):
        row(4, n, 0, left, top, right - left, -1, "")
        for w, word in enumerate(text.split(), start=1):
            row(5, n, w, left, top, 40, 90.0, word)
    return columns


# Page geometry in pixels at 200 DPI: body from x=220 to x=1440, lines 40 px high, 60 px apart.
_LEFT, _RIGHT, _INDENT = 220, 1440, 300


def test_paragraphs_from_data_joins_wrapped_lines() -> None:
    data = _data(
        [
            (_INDENT, 100, _RIGHT, "第 一 条 为 了 加 强 城 市 道 路 临 时 占 用 管 理 ，"),
            (_LEFT, 160, _RIGHT, "保 障 道 路 通 行 安 全 和 畅 通 ， 根 据 有 关 法 律 、 法 规 ，"),
            (_LEFT, 220, 800, "制 定 本 办 法 。"),
            (_INDENT, 280, 900, "第 二 条 本 办 法 适 用 于 本 市 。"),
        ]
    )
    assert ocr.paragraphs_from_data(data) == [
        "第一条为了加强城市道路临时占用管理，保障道路通行安全和畅通，根据有关法律、法规，制定本办法。",
        "第二条本办法适用于本市。",
    ]


def test_paragraphs_from_data_starts_item_on_its_own_line() -> None:
    data = _data(
        [
            (_INDENT, 100, _RIGHT, "应 当 提 交 下 列 材 料 ："),
            (_LEFT, 160, _RIGHT, "（ 一 ） 申 请 表 ；"),
            (_LEFT, 220, _RIGHT, "（ 二 ） 示 意 图 。"),
        ]
    )
    assert ocr.paragraphs_from_data(data) == ["应当提交下列材料：", "（一）申请表；", "（二）示意图。"]


def test_paragraphs_from_data_keeps_centred_title_together() -> None:
    data = _data(
        [
            (_LEFT, 100, _RIGHT, "长 河 市 人 民 政 府 办 公 室 关 于 印 发 《 长 河 市 城 市"),
            (420, 170, 1240, "道 路 临 时 占 用 管 理 办 法 》 的 通 知"),
            (620, 250, 1040, "长 府 办 发 〔 2020 〕 8 号"),
        ]
    )
    assert ocr.paragraphs_from_data(data) == [
        "长河市人民政府办公室关于印发《长河市城市道路临时占用管理办法》的通知",
        "长府办发〔2020〕8号",
    ]


def test_paragraphs_from_data_drops_unconfident_noise_symbols() -> None:
    data = _data([(_LEFT, 100, 900, "二 @ 〇 二 一 年 六 月 一 日")])
    data["conf"][2] = 0.0  # the "@"
    assert ocr.paragraphs_from_data(data) == ["二〇二一年六月一日"]


def test_paragraphs_from_data_keeps_confident_symbols() -> None:
    data = _data([(_LEFT, 100, 900, "联系邮箱 fzb @ example.cn")])
    assert ocr.paragraphs_from_data(data) == ["联系邮箱fzb @ example.cn"]


def test_paragraphs_from_data_empty_page_gives_no_paragraphs() -> None:
    assert ocr.paragraphs_from_data(_data([])) == []


def test_mean_confidence_ignores_non_word_rows() -> None:
    data = _data([(_LEFT, 100, _RIGHT, "长河 市")])
    data["conf"][1] = 80.0
    data["conf"][2] = 100.0
    assert ocr.mean_confidence(data) == 90.0


def test_mean_confidence_of_empty_page_is_zero() -> None:
    assert ocr.mean_confidence(_data([])) == 0.0


# ---------------------------------------------------------------------------------------------
# Deskewing


@pytest.fixture(scope="session")
def first_page() -> Image.Image:
    """Page 1 of the scanned fixture, rendered as OCR sees it."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(FIXTURES / "ordinance.scanned.pdf"))
    try:
        page: Image.Image = pdf[0].render(scale=ocr.OCR_DPI / 72, grayscale=True).to_pil().convert("L")
        return page
    finally:
        pdf.close()


def _rotated(image: Image.Image, degrees: float) -> Image.Image:
    return image.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=255)


# Deskewing resolves angles to SKEW_FINE_STEP; allow two steps.
_SKEW_TOLERANCE = 2 * ocr.SKEW_FINE_STEP


@pytest.mark.parametrize("degrees", [3.0, -1.5, 0.7])
def test_estimate_skew_measures_the_rotation_of_a_scan(first_page: Image.Image, degrees: float) -> None:
    assert ocr.estimate_skew(_rotated(first_page, degrees)) == pytest.approx(-degrees, abs=_SKEW_TOLERANCE)


def test_estimate_skew_of_a_level_scan_is_zero(first_page: Image.Image) -> None:
    assert ocr.estimate_skew(first_page) == 0.0


def test_estimate_skew_of_a_blank_page_is_zero() -> None:
    assert ocr.estimate_skew(Image.new("L", (1654, 2339), 255)) == 0.0


def test_deskew_returns_a_level_scan_unchanged(first_page: Image.Image) -> None:
    assert ocr.deskew(first_page) is first_page


@pytest.mark.ocr
def test_ocr_image_straightens_a_skewed_scan(
    first_page: Image.Image, scanned_pages: dict[int, tuple[str, float]]
) -> None:
    text, _ = ocr.ocr_image(_rotated(first_page, 3.0))
    assert _accuracy(text, scanned_pages[1][0]) >= MIN_ACCURACY


# ---------------------------------------------------------------------------------------------
# Pages without a text layer


def test_pages_without_text_finds_the_scanned_pages_of_a_mixed_pdf() -> None:
    assert ocr.pages_without_text(FIXTURES / "ordinance.mixed.pdf") == [2, 3]


def test_pages_without_text_finds_every_page_of_an_image_only_pdf() -> None:
    assert ocr.pages_without_text(FIXTURES / "ordinance.scanned.pdf") == [1, 2, 3]


def test_pages_without_text_corrupt_pdf_raises_corrupt_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nthis is not a pdf")
    with pytest.raises(CorruptFile):
        ocr.pages_without_text(broken)


# ---------------------------------------------------------------------------------------------
# Image files and the reader's hook (tesseract replaced by a recorder)


@pytest.fixture
def recorded_images(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Sizes of the images handed to tesseract; recognition itself is faked."""
    sizes: list[tuple[int, int]] = []

    def fake_ocr_image(
        image: Image.Image, *, source: object = None, straighten: bool = True
    ) -> tuple[str, float]:
        sizes.append(image.size)
        return f"第{len(sizes)}页", 90.0

    monkeypatch.setattr(ocr, "require_tesseract", lambda path: None)
    monkeypatch.setattr(ocr, "ocr_image", fake_ocr_image)
    return sizes


@pytest.mark.parametrize(
    ("dpi", "expected_size"),
    [
        ((300, 300), (400, 200)),  # 300 DPI scan -> resampled to OCR_DPI
        (None, (400, 200)),  # no resolution stated: taken as a 300 DPI scan
        ((200, 200), (600, 300)),  # already at OCR_DPI: left as it is
    ],
)
def test_ocr_image_file_resamples_to_ocr_dpi(
    recorded_images: list[tuple[int, int]],
    tmp_path: Path,
    dpi: tuple[int, int] | None,
    expected_size: tuple[int, int],
) -> None:
    path = tmp_path / "scan.png"
    image = Image.new("L", (600, 300), 255)
    if dpi is None:
        image.save(path)
    else:
        image.save(path, dpi=dpi)
    ocr.ocr_image_file(path)
    assert recorded_images == [expected_size]


def test_ocr_pages_hook_answers_only_the_asked_frames(recorded_images: list[tuple[int, int]]) -> None:
    assert ocr.ocr_pages(FIXTURES / "opinion.tif", [2]) == {2: ("第2页", 90.0)}


def test_count_image_pages_counts_tiff_frames() -> None:
    assert ocr.count_image_pages(FIXTURES / "opinion.tif") == 2


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data:UserWarning")  # Pillow's complaint before it gives up
def test_count_image_pages_corrupt_image_raises_corrupt_file(tmp_path: Path) -> None:
    broken = tmp_path / "scan.tif"
    broken.write_bytes(b"II*\x00garbage")
    with pytest.raises(CorruptFile):
        ocr.count_image_pages(broken)


# ---------------------------------------------------------------------------------------------
# Recognition (tesseract)


@pytest.mark.ocr
def test_ocr_pdf_pages_accuracy_on_scanned_fixture(scanned_pages: dict[int, tuple[str, float]]) -> None:
    recognised = "\n".join(scanned_pages[n][0] for n in sorted(scanned_pages))
    assert _accuracy(recognised, _docx_text(FIXTURES / "ordinance.docx")) >= MIN_ACCURACY


@pytest.mark.ocr
def test_ocr_pdf_pages_reports_confidence_per_page(scanned_pages: dict[int, tuple[str, float]]) -> None:
    assert sorted(scanned_pages) == [1, 2, 3]
    assert all(0 < confidence <= 100 for _, confidence in scanned_pages.values())


@pytest.mark.ocr
def test_ocr_pdf_pages_structure_matches_docx_source(scanned_pages: dict[int, tuple[str, float]]) -> None:
    recognised = "\n".join(scanned_pages[n][0] for n in sorted(scanned_pages))
    assert _labels(recognised) == _labels(_docx_text(FIXTURES / "ordinance.docx"))


@pytest.mark.ocr
def test_ocr_pdf_pages_out_of_range_page_raises(tesseract: None) -> None:
    with pytest.raises(ValueError, match="outside"):
        ocr.ocr_pdf_pages(FIXTURES / "ordinance.scanned.pdf", [4])


@pytest.mark.ocr
def test_ocr_pdf_pages_no_pages_runs_nothing(tesseract: None) -> None:
    assert ocr.ocr_pdf_pages(FIXTURES / "ordinance.mixed.pdf", []) == {}


@pytest.mark.ocr
def test_ocr_image_file_reads_every_tiff_frame(tiff_pages: list[tuple[str, float]]) -> None:
    assert len(tiff_pages) == 2
    assert tiff_pages[1][0].rstrip().endswith("日")


@pytest.mark.ocr
def test_ocr_image_file_accuracy_on_tiff_fixture(tiff_pages: list[tuple[str, float]]) -> None:
    recognised = "\n".join(text for text, _ in tiff_pages)
    assert _accuracy(recognised, _docx_text(FIXTURES / "opinion.docx")) >= MIN_ACCURACY


@pytest.mark.ocr
def test_ocr_image_file_outline_structure_matches_docx_source(tiff_pages: list[tuple[str, float]]) -> None:
    recognised = "\n".join(text for text, _ in tiff_pages)
    assert _labels(recognised) == _labels(_docx_text(FIXTURES / "opinion.docx"))


@pytest.mark.ocr
def test_ocr_image_file_corrupt_image_raises_corrupt_file(tesseract: None, tmp_path: Path) -> None:
    broken = tmp_path / "scan.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    with pytest.raises(CorruptFile):
        ocr.ocr_image_file(broken)
