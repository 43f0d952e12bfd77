"""extract(): format detection, fixtures end to end, typed errors for bad input, OCR and converter seams."""

from __future__ import annotations

import contextlib
import hashlib
import os
import zipfile
from collections.abc import Sequence
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors import extract
from extractors.errors import (
    CorruptFile,
    EmptyFile,
    EncryptedPdf,
    ExtractionError,
    FileMissing,
    FileTooLarge,
    NoTextLayer,
    UnsupportedFormat,
    ZipBomb,
)
from extractors.model import ClauseKind, DocumentKind, ParsedDocument, SourceFormat
from extractors.reader import sniff_format
from tests.fixtures.make_documents import (
    AUTONUMBER_LABELS,
    NOTICE_LABELS,
    NOTICE_WITH_MEASURES,
    OUTLINE_LABELS,
)

DOCUMENTS = Path(__file__).resolve().parent.parent / "fixtures" / "documents"


@cache
def _extracted(name: str) -> ParsedDocument:
    """Fixture documents are read once per test session; ParsedDocument is immutable."""
    return extract(DOCUMENTS / name)


NOTICE_FILES = [
    "notice_measures.docx",
    "notice_measures.reportlab.pdf",
    "notice_measures.libreoffice.pdf",
    "notice_measures.gbk.txt",
]
OUTLINE_FILES = ["outline_opinion.docx", "outline_opinion.libreoffice.pdf"]


@pytest.mark.parametrize("name", NOTICE_FILES)
def test_extract_notice_clause_labels(name: str) -> None:
    assert tuple(c.label for c in _extracted(name).clauses) == NOTICE_LABELS


@pytest.mark.parametrize("name", NOTICE_FILES)
def test_extract_notice_clause_texts(name: str) -> None:
    doc = _extracted(name)
    expected = {
        line.split(" ", 1)[0]: line
        for line in NOTICE_WITH_MEASURES.split("\n")
        if line.startswith("第") and "条 " in line
    }
    for label, line in expected.items():
        clause = doc.clause(label)
        assert clause is not None and clause.text.split("\n")[0] == line


@pytest.mark.parametrize("name", NOTICE_FILES)
def test_extract_notice_covering_letter_is_preamble(name: str) -> None:
    preamble = _extracted(name).clauses[0]
    assert preamble.kind is ClauseKind.PREAMBLE
    assert preamble.text.endswith("2019年5月6日\n云溪市行政规范性文件管理办法")


@pytest.mark.parametrize("name", NOTICE_FILES)
def test_extract_notice_metadata(name: str) -> None:
    meta = _extracted(name).meta
    assert (
        meta.title,
        meta.doc_number,
        meta.issuer,
        meta.issued_on,
        meta.effective_on,
        meta.valid_until,
    ) == (
        "云溪市行政规范性文件管理办法",
        "云府办发〔2019〕23号",
        "云溪市人民政府办公厅",
        date(2019, 5, 6),
        date(2019, 6, 1),
        date(2024, 5, 31),
    )
    assert (meta.doc_type, meta.kind) == ("办法", DocumentKind.NORMATIVE_DOCUMENT)


@pytest.mark.parametrize("name", OUTLINE_FILES)
def test_extract_outline_clause_labels(name: str) -> None:
    assert tuple(c.label for c in _extracted(name).clauses) == OUTLINE_LABELS


@pytest.mark.parametrize("name", OUTLINE_FILES)
def test_extract_outline_metadata(name: str) -> None:
    meta = _extracted(name).meta
    assert (meta.title, meta.doc_number, meta.issuer, meta.issued_on, meta.valid_until, meta.doc_type) == (
        "云溪市人民政府关于全面推行行政执法公示制度的实施意见",
        "云政发〔2020〕8号",
        "云溪市人民政府",
        date(2020, 3, 1),
        date(2025, 12, 31),
        "意见",
    )


def test_extract_automatic_numbering_labels() -> None:
    assert tuple(c.label for c in _extracted("autonumber_measures.docx").clauses) == AUTONUMBER_LABELS


@pytest.mark.parametrize("name", [*NOTICE_FILES, *OUTLINE_FILES, "autonumber_measures.docx"])
def test_extract_offsets_round_trip(name: str) -> None:
    doc = _extracted(name)
    assert all(doc.text[c.start : c.end] == c.text for c in doc.clauses)


def test_extract_sha256_of_file_bytes() -> None:
    path = DOCUMENTS / "notice_measures.docx"
    assert extract(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("name", "source_format"),
    [
        ("notice_measures.docx", SourceFormat.DOCX),
        ("notice_measures.reportlab.pdf", SourceFormat.PDF),
        ("notice_measures.gbk.txt", SourceFormat.TXT),
    ],
)
def test_extract_format_recorded(name: str, source_format: SourceFormat) -> None:
    assert _extracted(name).format is source_format


def test_extract_pdf_by_magic_bytes_whatever_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "download.bin"
    path.write_bytes((DOCUMENTS / "notice_measures.reportlab.pdf").read_bytes())
    assert extract(path).format is SourceFormat.PDF


def test_extract_law_markdown(tmp_path: Path) -> None:
    path = tmp_path / "law.md"
    path.write_text("# 示例法\n\n<!-- INFO END -->\n\n第一条 示例。\n", "utf-8")
    doc = extract(path)
    assert (doc.format, doc.meta.title, [c.label for c in doc.clauses]) == (
        SourceFormat.MARKDOWN,
        "示例法",
        ["第一条"],
    )


# Bad input: every case raises a typed ExtractionError with a Chinese message.


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_extract_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileMissing, match="文件不存在"):
        extract(tmp_path / "nowhere.pdf")


@pytest.mark.parametrize("name", ["empty.pdf", "empty.docx", "empty.txt"])
def test_extract_empty_file(tmp_path: Path, name: str) -> None:
    with pytest.raises(EmptyFile, match="文件为空"):
        extract(_write(tmp_path, name, b""))


def test_extract_whitespace_only_file_is_empty(tmp_path: Path) -> None:
    with pytest.raises(EmptyFile):
        extract(_write(tmp_path, "blank.txt", b"  \n\n "))


def test_extract_over_size_limit(tmp_path: Path) -> None:
    path = _write(tmp_path, "big.txt", "第一条 甲。".encode() * 100)
    with pytest.raises(FileTooLarge, match="文件过大"):
        extract(path, max_bytes=100)


@pytest.mark.parametrize("name", ["photo.jpg", "table.xlsx", "noextension"])
def test_extract_unknown_extension(tmp_path: Path, name: str) -> None:
    with pytest.raises(UnsupportedFormat, match="不支持的文件格式"):
        extract(_write(tmp_path, name, b"some bytes"))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100),
        ("old.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100),
        ("old.rtf", b"{\\rtf1\\ansi hello}"),
        ("new.odt", b"PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.text"),
    ],
)
def test_extract_legacy_formats_need_converter(tmp_path: Path, name: str, data: bytes) -> None:
    with pytest.raises(UnsupportedFormat, match="旧版格式"):
        extract(_write(tmp_path, name, data))


def test_extract_converter_hook_used_for_legacy(tmp_path: Path) -> None:
    path = _write(tmp_path, "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    doc = extract(path, convert=lambda _: DOCUMENTS / "notice_measures.docx")
    assert (doc.format, doc.source, doc.meta.doc_number) == (
        SourceFormat.DOC,
        str(path),
        "云府办发〔2019〕23号",
    )


def test_extract_docx_not_a_zip(tmp_path: Path) -> None:
    with pytest.raises(CorruptFile, match="DOCX"):
        extract(_write(tmp_path, "fake.docx", b"<html>not a word file</html>"))


def test_extract_pdf_extension_without_pdf_bytes(tmp_path: Path) -> None:
    with pytest.raises(CorruptFile, match="PDF"):
        extract(_write(tmp_path, "fake.pdf", b"<html>not a pdf</html>"))


def test_extract_truncated_pdf(tmp_path: Path) -> None:
    data = (DOCUMENTS / "notice_measures.reportlab.pdf").read_bytes()
    with pytest.raises(CorruptFile, match="文件已损坏"):
        extract(_write(tmp_path, "cut.pdf", data[: len(data) // 2]))


def test_extract_encrypted_pdf() -> None:
    with pytest.raises(EncryptedPdf, match="已加密"):
        extract(DOCUMENTS / "encrypted.pdf")


def test_extract_zip_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (64 * 1024 * 1024))
    with pytest.raises(ZipBomb, match="压缩炸弹"):
        extract(path)


def test_extract_scan_without_ocr_raises_no_text_layer() -> None:
    with pytest.raises(NoTextLayer, match="OCR"):
        extract(DOCUMENTS / "scan_no_text.pdf")


def test_extract_scan_with_ocr_hook() -> None:
    calls: list[list[int]] = []

    def fake_ocr(path: Path, pages: Sequence[int]) -> dict[int, tuple[str, float]]:
        calls.append(list(pages))
        return {1: ("第一条 为了规范管理，制定本办法。\n第二条 本办法自公布之日起施行。", 91.5)}

    doc = extract(DOCUMENTS / "scan_no_text.pdf", ocr=fake_ocr)
    assert calls == [[1]]
    assert [c.label for c in doc.clauses] == ["第一条", "第二条"]
    assert all(c.from_ocr for c in doc.clauses)
    assert (doc.pages[0].ocr, doc.pages[0].ocr_confidence, doc.issues) == (True, 91.5, ())


def test_extract_errors_are_extraction_errors_with_codes(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError) as info:
        extract(_write(tmp_path, "x.xyz", b"1"))
    assert info.value.code == "E002"


@pytest.mark.parametrize(
    ("name", "head", "source_format"),
    [
        ("a.pdf", b"%PDF-1.7\n", SourceFormat.PDF),
        ("a.docx", b"PK\x03\x04rest", SourceFormat.DOCX),
        ("a.zip.docx", b"PK\x03\x04rest", SourceFormat.DOCX),
        ("a.odt", b"PK\x03\x04rest", SourceFormat.ODT),
        ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", SourceFormat.DOC),
        ("a.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", SourceFormat.WPS),
        ("a.txt", b"{\\rtf1 ", SourceFormat.RTF),
        ("a.txt", "第一条".encode(), SourceFormat.TXT),
        ("a.md", b"# title", SourceFormat.MARKDOWN),
    ],
)
def test_sniff_format_magic_bytes_then_extension(name: str, head: bytes, source_format: SourceFormat) -> None:
    assert sniff_format(Path(name), head) is source_format


# Damaged copies of real files: whatever the damage, extract() returns or raises ExtractionError.
_DAMAGEABLE = ["notice_measures.docx", "notice_measures.reportlab.pdf", "notice_measures.gbk.txt"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(_DAMAGEABLE),
    cuts=st.lists(st.tuples(st.floats(0, 1), st.binary(max_size=8)), min_size=1, max_size=4),
)
def test_extract_damaged_files_raise_only_extraction_errors(
    tmp_path: Path, name: str, cuts: list[tuple[float, bytes]]
) -> None:
    data = bytearray((DOCUMENTS / name).read_bytes())
    for where, junk in cuts:
        at = int(where * (len(data) - 1))
        data[at : at + len(junk)] = junk
    path = tmp_path / f"damaged{Path(name).suffix}"
    path.write_bytes(bytes(data))
    # A typed, catalogued refusal is the expected outcome for many damages; anything else fails.
    with contextlib.suppress(ExtractionError):
        extract(path)


def test_extract_unreadable_file_is_typed(tmp_path: Path) -> None:
    path = _write(tmp_path, "locked.txt", "第一条 甲。".encode())
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: permissions are not enforced")
        with pytest.raises(CorruptFile, match="无法读取"):
            extract(path)
    finally:
        path.chmod(0o644)


def test_extract_page_without_text_marked_in_pages() -> None:
    pdf = DOCUMENTS / "notice_measures.reportlab.pdf"

    def ocr_nothing(path: Path, pages: Sequence[int]) -> dict[int, tuple[str, float]]:
        return {}

    assert all(p.has_text for p in extract(pdf, ocr=ocr_nothing).pages)


def test_extract_mixed_pdf_page_without_text_marked(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "mixed.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("STSong-Light", 14)
    c.drawString(100, 700, "第一条 甲。")
    c.showPage()
    c.rect(100, 400, 300, 200, fill=1)  # a scanned page: no text layer
    c.showPage()
    c.save()
    doc = extract(path)
    assert [(p.number, p.has_text) for p in doc.pages] == [(1, True), (2, False)]
    assert [(i.code, i.page) for i in doc.issues] == [("W001", 2)]
