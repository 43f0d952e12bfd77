"""Legacy formats (.doc, .wps, .rtf, .odt) through LibreOffice, and scans through the reader's hooks.

Tests marked ``libreoffice`` run the real soffice; ``ocr`` ones run tesseract. Both skip when the
tool is missing locally and fail in CI (``CI=true``). The other tests put a small fake ``soffice``
script first on PATH to pin down timeouts, locking, profiles and caching without LibreOffice.
"""

from __future__ import annotations

import os
import shutil
import stat
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from docx import Document
from PIL import Image

from extractors import legacy, ocr
from extractors.errors import ConversionFailed, ConverterMissing, CorruptFile, EmptyFile, OcrMissing
from extractors.model import ParsedDocument, SourceFormat
from extractors.reader import extract

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "legacy"
SOURCE_DOCX = FIXTURES / "ordinance.docx"
LEGACY_FIXTURES = ["ordinance.doc", "ordinance.wps", "ordinance.rtf", "ordinance.odt"]
# Long enough for the fake soffice to start its child even on a loaded machine.
HANG_TIMEOUT_SECONDS = 2.0


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def libreoffice() -> None:
    """Skip locally, fail in CI, when soffice is not installed."""
    if shutil.which(legacy.SOFFICE_COMMAND) is None:
        message = f"soffice not found (apt-get install {legacy.SOFFICE_PACKAGE})"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def tesseract() -> None:
    try:
        ocr.require_tesseract("tesseract check")
    except OcrMissing as exc:
        if _in_ci():
            pytest.fail(exc.message)
        pytest.skip(exc.message)


@pytest.fixture(scope="session")
def conversion_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the session's real conversions: each fixture is converted once."""
    return tmp_path_factory.mktemp("legacy-cache")


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def _labels(doc: ParsedDocument) -> list[str]:
    return [c.label for c in doc.clauses]


# ---------------------------------------------------------------------------------------------
# A fake soffice: same command line, scripted behaviour.

_FAKE_SOFFICE = """#!/bin/sh
# Fake soffice for tests. Behaviour from FAKE_SOFFICE_MODE: ok (copy FAKE_SOFFICE_DOCX to the
# output), hang (start a child and wait for it), fail (exit 3), silent (exit 0, write nothing).
profile=""; outdir=""; source=""; prev=""
for arg in "$@"; do
  case "$arg" in -env:UserInstallation=*) profile="${arg#*=}";; esac
  [ "$prev" = "--outdir" ] && outdir="$arg"
  prev="$arg"; source="$arg"
done
echo "start $profile $*" >> "$FAKE_SOFFICE_LOG"
case "$FAKE_SOFFICE_MODE" in
  hang) sleep 600 & echo $! > "$FAKE_SOFFICE_CHILD"; wait; exit 0;;
  fail) echo "source file could not be loaded" >&2; exit 3;;
  silent) exit 0;;
esac
# Give a concurrent run the chance to start: any overlap would show in the log.
sleep 0.2
mkdir -p "$outdir"
name=$(basename "$source")
cp "$FAKE_SOFFICE_DOCX" "$outdir/${name%.*}.docx"
echo "end" >> "$FAKE_SOFFICE_LOG"
"""


class FakeSoffice:
    def __init__(self, bin_dir: Path, log: Path) -> None:
        self.bin_dir = bin_dir
        self.log = log

    def lines(self) -> list[str]:
        return self.log.read_text("utf-8").splitlines() if self.log.exists() else []


@pytest.fixture
def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeSoffice:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(_FAKE_SOFFICE, "utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    log = tmp_path / "soffice.log"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(log))
    monkeypatch.setenv("FAKE_SOFFICE_DOCX", str(SOURCE_DOCX))
    monkeypatch.setenv("FAKE_SOFFICE_MODE", "ok")
    monkeypatch.setenv("FAKE_SOFFICE_CHILD", str(tmp_path / "child.pid"))
    return FakeSoffice(bin_dir, log)


def _legacy_copy(tmp_path: Path, name: str = "old.doc", *, salt: bytes = b"") -> Path:
    """A distinct .doc (the salt changes its sha256, so it misses the cache)."""
    path = tmp_path / name
    path.write_bytes((FIXTURES / "ordinance.doc").read_bytes() + salt)
    return path


def _process_alive(pid: int) -> bool:
    """True unless the process is gone or a zombie (exited, waiting to be reaped)."""
    status = Path(f"/proc/{pid}/status")
    try:
        state = next(line for line in status.read_text().splitlines() if line.startswith("State:"))
    except (FileNotFoundError, ProcessLookupError):
        return False
    return "Z" not in state.split()[1]


# ---------------------------------------------------------------------------------------------
# convert_to_docx with the real LibreOffice


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", LEGACY_FIXTURES)
def test_convert_to_docx_keeps_every_paragraph(libreoffice: None, conversion_cache: Path, name: str) -> None:
    converted = legacy.convert_to_docx(FIXTURES / name, cache_dir=conversion_cache)
    assert _paragraphs(converted) == _paragraphs(SOURCE_DOCX)


@pytest.mark.libreoffice
def test_convert_to_docx_wps_with_forced_word97_filter(libreoffice: None, tmp_path: Path) -> None:
    converted = legacy.convert_to_docx(FIXTURES / "ordinance.wps", cache_dir=tmp_path, infilter="MS Word 97")
    assert _paragraphs(converted) == _paragraphs(SOURCE_DOCX)


@pytest.mark.libreoffice
def test_convert_to_docx_reads_rtf_saved_as_doc(
    libreoffice: None, conversion_cache: Path, tmp_path: Path
) -> None:
    # Government sites often publish RTF (or HTML) under a .doc name.
    disguised = tmp_path / "really-rtf.doc"
    shutil.copyfile(FIXTURES / "ordinance.rtf", disguised)
    converted = legacy.convert_to_docx(disguised, cache_dir=conversion_cache)
    assert _paragraphs(converted) == _paragraphs(SOURCE_DOCX)


@pytest.mark.libreoffice
def test_convert_to_docx_cached_copy_needs_no_converter(
    libreoffice: None, conversion_cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first = legacy.convert_to_docx(FIXTURES / "ordinance.doc", cache_dir=conversion_cache)
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice any more
    assert legacy.convert_to_docx(FIXTURES / "ordinance.doc", cache_dir=conversion_cache) == first


# ---------------------------------------------------------------------------------------------
# convert_to_docx: errors, timeout, lock, profiles, cache (fake soffice)


def test_convert_to_docx_missing_soffice_names_debian_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConverterMissing) as caught:
        legacy.convert_to_docx(FIXTURES / "ordinance.doc", cache_dir=tmp_path / "cache")
    assert caught.value.code == "E010"
    assert "libreoffice-writer-nogui" in caught.value.message


def test_convert_to_docx_caches_by_content_hash(fake_soffice: FakeSoffice, tmp_path: Path) -> None:
    source = _legacy_copy(tmp_path, "a.doc")
    converted = legacy.convert_to_docx(source, cache_dir=tmp_path / "cache")
    assert converted == tmp_path / "cache" / f"{legacy.file_sha256(source)}.docx"


def test_convert_to_docx_same_content_under_new_name_is_not_converted_again(
    fake_soffice: FakeSoffice, tmp_path: Path
) -> None:
    first = legacy.convert_to_docx(_legacy_copy(tmp_path, "a.doc"), cache_dir=tmp_path / "cache")
    second = legacy.convert_to_docx(_legacy_copy(tmp_path, "renamed.doc"), cache_dir=tmp_path / "cache")
    assert second == first
    assert sum(line.startswith("start") for line in fake_soffice.lines()) == 1


def test_convert_to_docx_timeout_kills_the_process_group(
    fake_soffice: FakeSoffice, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_SOFFICE_MODE", "hang")
    with pytest.raises(ConversionFailed, match="超过"):
        legacy.convert_to_docx(
            _legacy_copy(tmp_path), cache_dir=tmp_path / "cache", timeout=HANG_TIMEOUT_SECONDS
        )
    child = int((tmp_path / "child.pid").read_text().strip())
    assert not _process_alive(child)


def test_convert_to_docx_nonzero_exit_raises_conversion_failed(
    fake_soffice: FakeSoffice, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_SOFFICE_MODE", "fail")
    with pytest.raises(ConversionFailed, match="could not be loaded"):
        legacy.convert_to_docx(_legacy_copy(tmp_path), cache_dir=tmp_path / "cache")


def test_convert_to_docx_no_output_raises_conversion_failed(
    fake_soffice: FakeSoffice, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_SOFFICE_MODE", "silent")
    with pytest.raises(ConversionFailed, match="未生成"):
        legacy.convert_to_docx(_legacy_copy(tmp_path), cache_dir=tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("*"))


def test_convert_to_docx_runs_one_conversion_at_a_time(fake_soffice: FakeSoffice, tmp_path: Path) -> None:
    sources = [_legacy_copy(tmp_path, f"{n}.doc", salt=bytes([n])) for n in range(3)]
    errors: list[BaseException] = []

    def convert(source: Path) -> Callable[[], None]:
        def run() -> None:
            try:
                legacy.convert_to_docx(source, cache_dir=tmp_path / "cache")
            except BaseException as exc:  # re-raised below, in the test's thread
                errors.append(exc)

        return run

    threads = [threading.Thread(target=convert(s)) for s in sources]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    events = [line.split()[0] for line in fake_soffice.lines()]
    assert events == ["start", "end"] * 3


def test_convert_to_docx_uses_a_fresh_profile_each_run(fake_soffice: FakeSoffice, tmp_path: Path) -> None:
    for n in range(2):
        legacy.convert_to_docx(
            _legacy_copy(tmp_path, f"{n}.doc", salt=bytes([n])), cache_dir=tmp_path / "cache"
        )
    profiles = [line.split()[1] for line in fake_soffice.lines() if line.startswith("start")]
    assert len(set(profiles)) == 2
    assert all(p.startswith("file:///") for p in profiles)


def test_convert_to_docx_passes_infilter(fake_soffice: FakeSoffice, tmp_path: Path) -> None:
    legacy.convert_to_docx(
        _legacy_copy(tmp_path, "x.wps"), cache_dir=tmp_path / "cache", infilter="MS Word 97"
    )
    assert "--infilter=MS Word 97" in fake_soffice.lines()[0]


def test_convert_to_docx_refuses_bytes_that_are_no_document(
    fake_soffice: FakeSoffice, tmp_path: Path
) -> None:
    # LibreOffice would import these as plain text and "succeed".
    garbage = tmp_path / "garbage.doc"
    garbage.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(CorruptFile, match="不是 Word"):
        legacy.convert_to_docx(garbage, cache_dir=tmp_path / "cache")
    assert fake_soffice.lines() == []


def test_convert_to_docx_empty_file_raises_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.rtf"
    empty.touch()
    with pytest.raises(EmptyFile):
        legacy.convert_to_docx(empty, cache_dir=tmp_path / "cache")


def test_default_cache_dir_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(legacy.CACHE_DIR_ENV, str(tmp_path))
    assert legacy.default_cache_dir() == tmp_path / "legacy"


# ---------------------------------------------------------------------------------------------
# Through the reader: the structure equals the .docx source's


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", LEGACY_FIXTURES)
def test_extract_legacy_format_gives_same_clauses_as_docx(
    libreoffice: None, conversion_cache: Path, name: str
) -> None:
    doc = extract(FIXTURES / name, convert=legacy.converter(conversion_cache))
    assert _labels(doc) == _labels(extract(SOURCE_DOCX))
    assert doc.meta.doc_number == "长府办发〔2020〕8号"


@pytest.mark.libreoffice
def test_extract_wps_keeps_its_own_format(libreoffice: None, conversion_cache: Path) -> None:
    doc = extract(FIXTURES / "ordinance.wps", convert=legacy.converter(conversion_cache))
    assert (doc.format, doc.source) == (SourceFormat.WPS, str(FIXTURES / "ordinance.wps"))


def test_extract_legacy_without_soffice_is_a_per_document_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConverterMissing, match="libreoffice-writer-nogui"):
        extract(FIXTURES / "ordinance.doc", convert=legacy.converter(tmp_path / "cache"))


@pytest.fixture(scope="session")
def mixed_document(tesseract: None) -> ParsedDocument:
    return extract(FIXTURES / "ordinance.mixed.pdf", ocr=ocr.ocr_pages)


@pytest.mark.ocr
def test_extract_mixed_pdf_gives_same_clauses_as_docx(mixed_document: ParsedDocument) -> None:
    assert _labels(mixed_document) == _labels(extract(SOURCE_DOCX))


@pytest.mark.ocr
def test_extract_mixed_pdf_ocrs_only_pages_without_text(mixed_document: ParsedDocument) -> None:
    assert [(p.number, p.ocr) for p in mixed_document.pages] == [(1, False), (2, True), (3, True)]
    assert mixed_document.pages[0].ocr_confidence is None
    assert all(p.ocr_confidence is not None and p.ocr_confidence > 0 for p in mixed_document.pages[1:])


@pytest.mark.ocr
def test_extract_mixed_pdf_marks_clauses_from_scanned_pages(mixed_document: ParsedDocument) -> None:
    flags = {c.label: c.from_ocr for c in mixed_document.clauses}
    assert flags["第一条"] is False  # page 1, text layer
    assert flags["第十二条"] is True  # page 3, scanned


@pytest.mark.ocr
def test_extract_mixed_pdf_gives_same_metadata_as_docx(mixed_document: ParsedDocument) -> None:
    assert mixed_document.meta == extract(SOURCE_DOCX).meta


@pytest.fixture(scope="session")
def tiff_document(tesseract: None) -> ParsedDocument:
    return extract(FIXTURES / "opinion.tif", ocr=ocr.ocr_pages)


@pytest.mark.ocr
def test_extract_tiff_gives_same_outline_as_docx(tiff_document: ParsedDocument) -> None:
    assert tiff_document.format is SourceFormat.IMAGE
    assert _labels(tiff_document) == _labels(extract(FIXTURES / "opinion.docx"))


@pytest.mark.ocr
def test_extract_tiff_reports_every_frame_as_an_ocr_page(tiff_document: ParsedDocument) -> None:
    assert [(p.number, p.ocr) for p in tiff_document.pages] == [(1, True), (2, True)]


@pytest.mark.ocr
def test_extract_tiff_gives_same_metadata_as_docx(tiff_document: ParsedDocument) -> None:
    # Dates in Chinese numerals (二〇二一年六月一日) included: they decide validity in a cleanup.
    assert tiff_document.meta == extract(FIXTURES / "opinion.docx").meta


@pytest.mark.parametrize(("name", "fmt"), [("scan.jpg", "JPEG"), ("scan.png", "PNG"), ("scan.tiff", "TIFF")])
def test_extract_image_file_is_read_through_the_ocr_hook(tmp_path: Path, name: str, fmt: str) -> None:
    path = tmp_path / name
    Image.new("L", (120, 160), 255).save(path, fmt)
    asked: list[list[int]] = []

    def fake_ocr(path: Path, pages: Sequence[int]) -> dict[int, tuple[str, float]]:
        asked.append(list(pages))
        return {1: ("第一条 为了规范管理，制定本办法。\n第二条 本办法自公布之日起施行。", 88.0)}

    doc = extract(path, ocr=fake_ocr)
    assert (doc.format, asked, _labels(doc)) == (SourceFormat.IMAGE, [[1]], ["第一条", "第二条"])
    assert doc.pages[0].ocr_confidence == 88.0
    assert all(c.from_ocr for c in doc.clauses)


def test_extract_image_without_ocr_hook_is_unsupported() -> None:
    from extractors.errors import UnsupportedFormat

    with pytest.raises(UnsupportedFormat, match="需要 OCR"):
        extract(FIXTURES / "opinion.tif")


def test_extract_scan_without_tesseract_is_a_per_document_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(OcrMissing, match="tesseract-ocr tesseract-ocr-chi-sim"):
        extract(FIXTURES / "ordinance.scanned.pdf", ocr=ocr.ocr_pages)
