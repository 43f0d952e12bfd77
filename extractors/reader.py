"""The one entry point: a file -> `ParsedDocument`, by magic bytes and extension.

Fixed stages: check the file (exists, not empty, not too large) -> pick the backend -> read
page texts -> OCR the pages without a text layer (if an OCR function is given) -> join and
normalise -> split clauses -> read metadata (for 关于印发《……》的通知, split again so that
the attachment is what is numbered) -> `ParsedDocument`. Bad input raises an
`ExtractionError` subclass with a Chinese message; third-party errors never escape.

Seams for the other backends: ``ocr(path, page_numbers) -> {page: (text, confidence)}``
fills pages without text; ``convert(path) -> Path`` turns .doc/.wps/.rtf/.odt into .docx or
.pdf (without it those formats raise `UnsupportedFormat`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from extractors.backend import PageText, RawDocument, join_pages
from extractors.docx import DocxBackend
from extractors.errors import (
    CorruptFile,
    E,
    EmptyFile,
    FileMissing,
    FileTooLarge,
    NoText,
    NoTextLayer,
    UnsupportedFormat,
)
from extractors.lawtext import INFO_END, parse_law_markdown
from extractors.metadata import attachment_start, extract_meta
from extractors.model import Clause, ExtractionIssue, PageInfo, ParsedDocument, SourceFormat
from extractors.normalize import normalize_with_offsets
from extractors.ocr import count_image_pages
from extractors.pdf import PdfBackend, PdfSettings
from extractors.structure import split_clauses
from extractors.text import TextBackend, decode_bytes, prepare_text

# 50 MB: the largest normative document with scanned attachments we expect; larger files are
# refused before they are read into memory.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

OcrFunction = Callable[[Path, Sequence[int]], dict[int, tuple[str, float]]]
ConvertFunction = Callable[[Path], Path]

_EXTENSIONS = {
    ".pdf": SourceFormat.PDF,
    ".docx": SourceFormat.DOCX,
    ".txt": SourceFormat.TXT,
    ".text": SourceFormat.TXT,
    ".md": SourceFormat.MARKDOWN,
    ".markdown": SourceFormat.MARKDOWN,
    ".doc": SourceFormat.DOC,
    ".wps": SourceFormat.WPS,
    ".rtf": SourceFormat.RTF,
    ".odt": SourceFormat.ODT,
    # Scans delivered as images; read only through the ``ocr`` hook.
    ".png": SourceFormat.IMAGE,
    ".jpg": SourceFormat.IMAGE,
    ".jpeg": SourceFormat.IMAGE,
    ".tif": SourceFormat.IMAGE,
    ".tiff": SourceFormat.IMAGE,
}
_PAGED = frozenset({SourceFormat.PDF, SourceFormat.IMAGE})  # formats that report PageInfo
_LEGACY = frozenset({SourceFormat.DOC, SourceFormat.WPS, SourceFormat.RTF, SourceFormat.ODT})
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")  # PNG, JPEG, TIFF


def sniff_format(path: Path, head: bytes) -> SourceFormat:
    """The format of a file from its first bytes, falling back to the extension for text."""
    suffix = path.suffix.lower()
    by_extension = _EXTENSIONS.get(suffix)
    if head.startswith(b"%PDF-") or (b"%PDF-" in head[:1024] and by_extension is SourceFormat.PDF):
        return SourceFormat.PDF
    if head.startswith(b"{\\rtf"):
        return SourceFormat.RTF
    if head.startswith(_IMAGE_MAGIC):
        return SourceFormat.IMAGE
    if head.startswith(_OLE_MAGIC):
        return by_extension if by_extension in (SourceFormat.WPS, SourceFormat.DOC) else SourceFormat.DOC
    if head.startswith(b"PK\x03\x04"):
        if by_extension is SourceFormat.ODT or b"opendocument.text" in head[:200]:
            return SourceFormat.ODT
        return SourceFormat.DOCX
    if by_extension is None:
        raise UnsupportedFormat(str(path), suffix=suffix or "（无扩展名）")
    if by_extension in (SourceFormat.PDF, SourceFormat.DOCX):
        # The extension promises a binary format the bytes do not have.
        expected = "PDF" if by_extension is SourceFormat.PDF else "DOCX（ZIP）"
        raise CorruptFile(str(path), detail=f"扩展名为 {suffix}，但内容不是 {expected} 格式")
    return by_extension


def extract(
    path: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    ocr: OcrFunction | None = None,
    convert: ConvertFunction | None = None,
    pdf_settings: PdfSettings | None = None,
) -> ParsedDocument:
    """Read a PDF, Word, text or LawRefBook Markdown file into a `ParsedDocument`."""
    path = Path(path)
    if not path.is_file():
        raise FileMissing(str(path))
    size = path.stat().st_size
    if size == 0:
        raise EmptyFile(str(path))
    if size > max_bytes:
        raise FileTooLarge(str(path), size=size, limit=max_bytes)
    try:
        data = path.read_bytes()
    except OSError as exc:  # permission denied, a file vanishing under us: not readable as given
        raise CorruptFile(str(path), detail=f"无法读取：{exc.strerror or exc}") from exc
    if not data.strip():
        raise EmptyFile(str(path))
    sha256 = hashlib.sha256(data).hexdigest()
    source_format = sniff_format(path, data[:2048])

    if source_format in _LEGACY:
        if convert is None:
            raise UnsupportedFormat(str(path), suffix=f"{path.suffix}（旧版格式，需先转换为 DOCX 或 PDF）")
        converted = convert(path)
        document = extract(converted, max_bytes=max_bytes, ocr=ocr, pdf_settings=pdf_settings)
        return replace(document, source=str(path), sha256=sha256, format=source_format)

    if source_format is SourceFormat.MARKDOWN or (
        source_format is SourceFormat.TXT and INFO_END.encode() in data
    ):
        text, _ = decode_bytes(data, source=str(path))
        if INFO_END in text:
            return parse_law_markdown(text, source=str(path), sha256=sha256, path=path)
        raw = RawDocument(format=source_format, pages=(PageText(1, prepare_text(text)),))
    elif source_format is SourceFormat.PDF:
        raw = PdfBackend(pdf_settings).read(path)
    elif source_format is SourceFormat.DOCX:
        raw = DocxBackend().read(path)
    elif source_format is SourceFormat.IMAGE:
        if ocr is None:
            raise UnsupportedFormat(str(path), suffix=f"{path.suffix}（图片，需要 OCR）")
        # Every frame is a page without a text layer; `_build` hands them all to OCR.
        frames = count_image_pages(path)
        raw = RawDocument(
            format=source_format, pages=tuple(PageText(n, "", has_text=False) for n in range(1, frames + 1))
        )
    else:
        raw = TextBackend().read(path)
    return _build(path, sha256, raw, ocr)


def _build(path: Path, sha256: str, raw: RawDocument, ocr: OcrFunction | None) -> ParsedDocument:
    pages = list(raw.pages)
    issues = list(raw.issues)
    page_infos = {p.number: PageInfo(number=p.number, has_text=p.has_text) for p in pages}
    missing = [p.number for p in pages if not p.has_text]
    if missing and ocr is not None:
        results = ocr(path, missing)
        for i, page in enumerate(pages):
            if page.number in results:
                text, confidence = results[page.number]
                pages[i] = PageText(page.number, text, has_text=bool(text.strip()))
                page_infos[page.number] = PageInfo(
                    number=page.number, ocr=True, ocr_confidence=confidence, has_text=bool(text.strip())
                )
        # OCR answered these pages: their "no text layer" issue is resolved.
        issues = [
            x
            for x in issues
            if not (x.code in (E.PAGE_WITHOUT_TEXT.code, E.GARBLED_TEXT_LAYER.code) and x.page in results)
        ]
    if raw.format is SourceFormat.PDF and not any(p.has_text for p in pages):
        raise NoTextLayer(str(path))

    joined, page_spans = join_pages(tuple(pages))
    normalized = normalize_with_offsets(joined)
    text = normalized.text
    if not text.strip():
        raise NoText(str(path))

    clauses = split_clauses(text)
    meta = extract_meta(text, clauses)
    start = attachment_start(text, meta)
    if start is not None:
        # 关于印发《……》的通知: the covering notice is preamble; the attachment is numbered.
        clauses = split_clauses(text, body_start=start)
        meta = extract_meta(text, clauses)

    ocr_ranges = [
        (normalized.from_raw(start_raw), normalized.from_raw(end_raw))
        for number, start_raw, end_raw in page_spans
        if page_infos[number].ocr
    ]
    if ocr_ranges:
        clauses = tuple(_mark_ocr(c, ocr_ranges) for c in clauses)
    if not clauses:
        issues.append(
            ExtractionIssue(stage="structure", code=E.NO_STRUCTURE.code, message=E.NO_STRUCTURE.format())
        )

    return ParsedDocument(
        source=str(path),
        sha256=sha256,
        format=raw.format,
        text=text,
        meta=meta,
        clauses=clauses,
        pages=tuple(page_infos[p.number] for p in pages) if raw.format in _PAGED else (),
        issues=tuple(issues),
    )


def _mark_ocr(clause: Clause, ranges: list[tuple[int, int]]) -> Clause:
    if any(clause.start < end and start < clause.end for start, end in ranges):
        return replace(clause, from_ocr=True)
    return clause
