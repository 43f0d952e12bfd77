"""PDF backend: page texts with running heads, footers and page numbers removed, and the
fixed-width line wrapping of Chinese official documents undone.

Lines with geometry come from one of the engines; the assembly is shared. A line that reaches the
right margin was wrapped, a line indented by about two characters starts a paragraph, centred
lines are titles or headings, lines in the top and bottom bands that repeat across pages or look
like page numbers (``— 3 —``, ``-3-``, ``第 3 页 共 9 页``) are running heads; ruled tables come
out as rows of cells joined by `` | ``.

Engines: ``auto`` (default) takes geometry from pypdfium2's characters and reads only the pages
that draw paths (where a ruled table can be) with pdfplumber; ``pdfplumber`` reads every page;
``pdfium-layout`` never uses pdfplumber; ``pdfium`` is text-only. ``benchmarks/bench_extract.py``
measures them on the same files and compares their text with pdfplumber's.

The file is probed with pypdfium2 first: its errors tell an encrypted file from a corrupt one.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from extractors.backend import PageText, RawDocument
from extractors.errors import CorruptFile, E, EncryptedPdf
from extractors.markers import starts_unit
from extractors.metadata import doc_type_of
from extractors.model import ExtractionIssue, SourceFormat
from extractors.normalize import CLOSING_PUNCTUATION, FULL_LINE_SHARE

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－_~·•\s]*[0-9]{1,4}[-—–－_~·•\s]*"
    r"|第\s*[0-9]{1,4}\s*页\s*(?:[,，/]?\s*共\s*[0-9]{1,4}\s*页)?"
    r"|[0-9]{1,4}\s*/\s*[0-9]{1,4}"
    r"|(?:page|Page|PAGE)\s*[0-9]{1,4}(?:\s*of\s*[0-9]{1,4})?)$"
)
_SENTENCE_END = ("。", "；", "：", "！", "？", "”", "」", ")", "）")
_DIGITS = re.compile(r"[0-9]+")

# A document "uses indentation" for paragraph starts when at least this share of its lines is
# indented; 公文 indent every paragraph by two characters, so even short paragraphs give > 20 %.
INDENTED_SHARE = 0.1

# A page whose text layer is more than this share undecodable is treated as having none (OCR it):
# a few private-use glyphs (logos, bullets) are normal, a third of the page is a broken font.
MAX_GARBLED_SHARE = 0.3

# Lines set at least this much larger than the body text are display type (titles, 红头);
# 公文 set titles in 2号 (22 pt) over a 3号 (16 pt) body, a ratio of 1.375.
DISPLAY_SIZE_RATIO = 1.15

# A line whose middle lies within this many character widths of the text block's middle is centred
# (a paragraph's first line indented by two characters is off by one).
CENTRED_TOLERANCE = 0.5
# A centred line at least this share of the text block wide is the first line of a wrapped title.
WIDE_TITLE_SHARE = 0.75

# Lines that begin a paragraph even when flush left under a full line: the salutation (主送) and
# the closing formula.
_NEVER_CONTINUED = re.compile(r"各[^。；]{1,80}[：:]$|特此(?:通知|通告|公告|批复|函告|函复)")

Engine = Literal["auto", "pdfplumber", "pdfium", "pdfium-layout"]


@dataclass(frozen=True, slots=True)
class PdfSettings:
    """How running heads and wrapped lines are recognised; errors name the bad setting."""

    # Share of the page height at the top and at the bottom where running heads live;
    # 公文 pages keep 37 mm of a 297 mm page above the text block, so 0.09 catches heads only.
    margin_band: float = 0.09
    # A margin line repeated (digits ignored) on at least this share of pages is a running head.
    repeat_share: float = 0.5
    # A line ending within this many character widths of the right margin is full (wrapped):
    # a wrapped line is short by up to one character that did not fit, one more that line-breaking
    # rules (禁则) pushed down with a following 。, and half a character for a half-width space.
    full_line_slack: float = 2.5
    # A line starting this many character widths right of the left margin is indented.
    indent_chars: float = 1.0
    # auto: pypdfium2 geometry, pdfplumber for pages that draw paths (possible ruled tables);
    # measured to give pdfplumber's text on every benchmark file at about 3× the speed.
    engine: Engine = "auto"

    def __post_init__(self) -> None:
        if not 0 <= self.margin_band < 0.5:
            raise ValueError(f"PdfSettings.margin_band must be in [0, 0.5), got {self.margin_band}")
        if not 0 < self.repeat_share <= 1:
            raise ValueError(f"PdfSettings.repeat_share must be in (0, 1], got {self.repeat_share}")
        if self.full_line_slack < 0:
            raise ValueError(f"PdfSettings.full_line_slack must be >= 0, got {self.full_line_slack}")
        if self.indent_chars <= 0:
            raise ValueError(f"PdfSettings.indent_chars must be > 0, got {self.indent_chars}")
        if self.engine not in ("auto", "pdfplumber", "pdfium", "pdfium-layout"):
            raise ValueError(
                "PdfSettings.engine must be 'auto', 'pdfplumber', 'pdfium' or 'pdfium-layout', "
                f"got {self.engine!r}"
            )


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    table: bool = False  # a table row: never joined with its neighbours


@dataclass(frozen=True, slots=True)
class _Page:
    number: int
    height: float
    lines: tuple[_Line, ...]
    has_text: bool
    garbled: bool = False  # a text layer that does not decode (fonts without a Unicode map)


def garbled_share(chars: Iterable[str]) -> float:
    """Share of characters that did not decode: pdfminer's ``(cid:123)``, U+FFFD, private-use code points."""
    total = bad = 0
    for ch in chars:
        if ch.isspace():
            continue
        total += 1
        if ch.startswith("(cid:") or ch == "\ufffd" or (len(ch) == 1 and "\ue000" <= ch <= "\uf8ff"):
            bad += 1
    return bad / total if total else 0.0


def probe(path: Path) -> int:
    """Open the file with pypdfium2: page count, or EncryptedPdf / CorruptFile."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedPdf(str(path)) from exc
        raise CorruptFile(str(path), detail=str(exc)) from exc
    try:
        return len(document)
    finally:
        document.close()


class PdfBackend:
    """Text of each PDF page, one paragraph a line."""

    format = SourceFormat.PDF

    def __init__(self, settings: PdfSettings | None = None) -> None:
        self.settings = settings or PdfSettings()

    def read(self, path: Path) -> RawDocument:
        page_count = probe(path)
        if page_count == 0:
            raise CorruptFile(str(path), detail="PDF 没有页面")
        # Pages without a text layer stay in the result (has_text=False): the dispatcher asks
        # OCR for them, or raises NoTextLayer when no page has text and no OCR is given.
        if self.settings.engine == "pdfium":
            pages = _read_pdfium(path)
            texts = _assemble_plain(pages)
        else:
            if self.settings.engine == "pdfplumber":
                pages = _read_pdfplumber(path)
            elif self.settings.engine == "pdfium-layout":
                pages = _read_pdfium_layout(path)[0]
            else:
                pages = _read_auto(path)
            texts = _assemble(pages, self.settings)
        issues = tuple(
            ExtractionIssue(
                stage="pdf",
                code=(E.GARBLED_TEXT_LAYER if p.garbled else E.PAGE_WITHOUT_TEXT).code,
                message=(E.GARBLED_TEXT_LAYER if p.garbled else E.PAGE_WITHOUT_TEXT).format(page=p.number),
                page=p.number,
            )
            for p in pages
            if not p.has_text
        )
        return RawDocument(format=SourceFormat.PDF, pages=texts, issues=issues)


def read_pdf(path: Path, settings: PdfSettings | None = None) -> RawDocument:
    """Read a PDF with the given settings (see `PdfBackend`)."""
    return PdfBackend(settings).read(path)


def _read_pdfplumber(path: Path) -> list[_Page]:
    import pdfplumber

    pages: list[_Page] = []
    try:
        with pdfplumber.open(str(path)) as pdf:
            for page in pdf.pages:
                pages.append(_plumber_page(page))
    except Exception as exc:  # pdfminer raises many types on broken files; all mean "corrupt"
        raise CorruptFile(str(path), detail=f"{type(exc).__name__}: {exc}") from exc
    return pages


def _plumber_page(page: Any) -> _Page:
    # Table detection is the slowest step; pages without ruling lines cannot hold a ruled table.
    tables = page.find_tables() if (page.lines or page.rects) else []
    boxes = [t.bbox for t in tables]

    def in_table(line: dict[str, Any]) -> bool:
        middle = (line["top"] + line["bottom"]) / 2
        return any(
            x0 - 1 <= line["x0"] and line["x1"] <= x1 + 1 and top <= middle <= bottom
            for x0, top, x1, bottom in boxes
        )

    lines = [
        _Line(ln["text"], ln["x0"], ln["x1"], ln["top"], ln["bottom"])
        for ln in page.extract_text_lines(strip=True, return_chars=False)
        if ln["text"].strip() and not in_table(ln)
    ]
    for table in tables:
        x0, top, x1, bottom = table.bbox
        rows = [
            " | ".join(" ".join((cell or "").split()) for cell in row)
            for row in table.extract()
            if any(cell and cell.strip() for cell in row)
        ]
        step = (bottom - top) / max(len(rows), 1)
        lines.extend(
            _Line(row, x0, x1, top + i * step, top + (i + 1) * step, table=True) for i, row in enumerate(rows)
        )
    lines.sort(key=lambda ln: (round(ln.top), ln.x0))
    if page.chars and garbled_share(c["text"] for c in page.chars) > MAX_GARBLED_SHARE:
        return _Page(page.page_number, float(page.height), (), has_text=False, garbled=True)
    return _Page(page.page_number, float(page.height), tuple(lines), has_text=bool(page.chars))


def _running_head_keys(pages: list[_Page], settings: PdfSettings) -> set[str]:
    """Margin lines (digits ignored) that repeat on enough pages to be running heads or footers."""
    counts: Counter[str] = Counter()
    for page in pages:
        band = settings.margin_band * page.height
        keys = {
            _DIGITS.sub("#", ln.text.replace(" ", ""))
            for ln in page.lines
            if ln.top < band or ln.bottom > page.height - band
        }
        counts.update(keys)
    with_text = sum(1 for p in pages if p.has_text)
    needed = max(2, settings.repeat_share * with_text)
    return {key for key, n in counts.items() if n >= needed}


def _body_lines(page: _Page, heads: set[str], settings: PdfSettings) -> list[_Line]:
    band = settings.margin_band * page.height
    body = []
    for ln in page.lines:
        in_margin = ln.top < band or ln.bottom > page.height - band
        if in_margin and (_PAGE_NUMBER.match(ln.text) or _DIGITS.sub("#", ln.text.replace(" ", "")) in heads):
            continue
        body.append(ln)
    # A page number printed just above the band still ends the page.
    while body and _PAGE_NUMBER.match(body[-1].text):
        body.pop()
    return body


def _assemble(pages: list[_Page], settings: PdfSettings) -> tuple[PageText, ...]:
    heads = _running_head_keys(pages, settings)
    bodies = [_body_lines(p, heads, settings) for p in pages]
    text_lines = [ln for body in bodies for ln in body if not ln.table]
    if not text_lines:
        return tuple(PageText(p.number, "", has_text=p.has_text) for p in pages)
    char = statistics.median(ln.bottom - ln.top for ln in text_lines)
    left = min(ln.x0 for ln in text_lines)
    right = max(ln.x1 for ln in text_lines)
    indented_share = sum(1 for ln in text_lines if ln.x0 > left + settings.indent_chars * char) / len(
        text_lines
    )
    # Documents that indent paragraph starts let a full line ending in 。 continue; others cannot.
    uses_indent = indented_share >= INDENTED_SHARE

    centre = (left + right) / 2

    def centred(ln: _Line) -> bool:
        """Set in the middle with room on both sides: a title, 文号 or heading, never a wrapped body line."""
        middle = (ln.x0 + ln.x1) / 2
        return (
            not ln.table
            and ln.x0 > left + settings.indent_chars * char
            and abs(middle - centre) < CENTRED_TOLERANCE * char
        )

    def full(ln: _Line) -> bool:
        return not ln.table and ln.x1 >= right - settings.full_line_slack * char and not centred(ln)

    def title_wraps(a: _Line, b: _Line) -> bool:
        """A title wrapped over centred lines of one size: the first line wide, or set large."""
        same_size = abs((a.bottom - a.top) - (b.bottom - b.top)) < 0.1 * char
        prominent = a.bottom - a.top > DISPLAY_SIZE_RATIO * char or a.x1 - a.x0 >= WIDE_TITLE_SHARE * (
            right - left
        )
        return (
            centred(a)
            and centred(b)
            and same_size
            and prominent
            and not a.text.endswith(_SENTENCE_END)
            and not starts_unit(b.text)
            and b.top - a.bottom < (a.bottom - a.top)
        )

    def continues(a: _Line, b: _Line) -> bool:
        if title_wraps(a, b):
            return True
        if _NEVER_CONTINUED.match(b.text):
            return False  # 各区人民政府： and 特此通知。 stand alone, flush left or not
        if (
            full(a)
            and centred(b)
            and "关于" in a.text
            and doc_type_of(a.text) is None
            and doc_type_of(a.text + b.text)
        ):
            return True  # 关于印发《……》的通 / 知: the title's last characters centred on a line of their own
        if b.text.startswith(CLOSING_PUNCTUATION) and not (a.table or b.table):
            return True  # a line never starts with 。，、: the typesetter pushed it down
        if not full(a) or b.table or starts_unit(b.text.lstrip()):
            return False
        if b.x0 > left + settings.indent_chars * char:
            return False
        return uses_indent or not a.text.endswith(_SENTENCE_END)

    out = []
    for i, (page, body) in enumerate(zip(pages, bodies, strict=True)):
        paragraphs: list[str] = []
        for j, ln in enumerate(body):
            if j > 0 and continues(body[j - 1], ln):
                paragraphs[-1] += ln.text
            else:
                paragraphs.append(ln.text)
        next_body = bodies[i + 1] if i + 1 < len(bodies) else []
        runs_on = bool(body and next_body and continues(body[-1], next_body[0]))
        out.append(PageText(page.number, "\n".join(paragraphs), has_text=page.has_text, continues=runs_on))
    return tuple(out)


_T = TypeVar("_T")


def _pdfium_each_page(path: Path, read: Callable[[int, Any, Any], _T]) -> list[_T]:
    """`read(number, page, textpage)` for every page of a pdfium document, closing what it opens;
    a document pdfium cannot read is a `CorruptFile`."""
    import pypdfium2 as pdfium

    results = []
    try:
        document = pdfium.PdfDocument(str(path))
        try:
            for i in range(len(document)):
                page = document[i]
                textpage = page.get_textpage()
                try:
                    results.append(read(i + 1, page, textpage))
                finally:
                    textpage.close()
                    page.close()
        finally:
            document.close()
    except pdfium.PdfiumError as exc:
        raise CorruptFile(str(path), detail=str(exc)) from exc
    return results


def _pdfium_page(number: int, height: float, text: str, count: int, lines: tuple[_Line, ...]) -> _Page:
    """A page read by pdfium; mostly unmapped glyphs make it a page without usable text."""
    if count > 0 and garbled_share(text) > MAX_GARBLED_SHARE:
        return _Page(number, height, (), has_text=False, garbled=True)
    return _Page(number, height, lines, has_text=count > 0)


def _read_pdfium(path: Path) -> list[_Page]:
    def read(number: int, page: Any, textpage: Any) -> _Page:
        text = textpage.get_text_range()
        lines = tuple(
            _Line(s.strip(), 0.0, float(len(s.strip())), 0.0, 0.0)
            for s in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            if s.strip()
        )
        return _pdfium_page(number, page.get_height(), text, textpage.count_chars(), lines)

    return _pdfium_each_page(path, read)


def _read_pdfium_layout(path: Path) -> tuple[list[_Page], set[int]]:
    """Line geometry from pdfium's characters: its own line breaks and loose (advance-width) boxes of
    the non-blank characters, so lines measure as pdfplumber's stripped lines do. Also returns the
    numbers of pages that draw vector paths (rules, boxes): only there can a ruled table be."""
    import pypdfium2.raw as pdfium_raw

    ruled: set[int] = set()

    def read(number: int, page: Any, textpage: Any) -> _Page:
        height = page.get_height()
        count = textpage.count_chars()
        text = textpage.get_text_range() if count else ""
        lines = _pdfium_lines(textpage, text, count, height)
        if any(True for _ in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_PATH], max_depth=3)):
            ruled.add(number)
        return _pdfium_page(number, height, text, count, lines)

    return _pdfium_each_page(path, read), ruled


def _read_auto(path: Path) -> list[_Page]:
    """pdfium geometry for plain pages, pdfplumber (with table detection) for pages that draw paths."""
    pages, ruled = _read_pdfium_layout(path)
    ruled = {n for n in ruled if pages[n - 1].has_text}
    if not ruled:
        return pages
    import pdfplumber

    try:
        with pdfplumber.open(str(path)) as pdf:
            for n in sorted(ruled):
                pages[n - 1] = _plumber_page(pdf.pages[n - 1])
    except Exception as exc:  # pdfminer raises many types on broken files; all mean "corrupt"
        raise CorruptFile(str(path), detail=f"{type(exc).__name__}: {exc}") from exc
    return pages


def _pdfium_lines(textpage: Any, text: str, count: int, height: float) -> tuple[_Line, ...]:
    import pypdfium2.raw as pdfium_raw

    out = []
    # (char, left, right, baseline-ish bottom, font size) of the current line.
    chars: list[tuple[str, float, float, float, float]] = []

    def flush() -> None:
        inked = [c for c in chars if not c[0].isspace()]
        if inked:
            # Like pdfplumber's stripped lines: leading U+3000 indentation is a gap, not text;
            # the line is as tall as its font size, as pdfplumber measures characters.
            bottom = height - min(c[3] for c in inked)
            size = max(c[4] for c in inked)
            text_of_line = "".join(c[0] for c in chars).strip()
            out.append(
                _Line(text_of_line, min(c[1] for c in inked), max(c[2] for c in inked), bottom - size, bottom)
            )
        chars.clear()

    for index in range(count):
        # get_text_range() normally has one character per index; if not, ask index by index.
        ch = text[index] if len(text) == count else textpage.get_text_range(index, 1)
        if ch in "\r\n":
            flush()
            continue
        left, bottom, right, _top = textpage.get_charbox(index, loose=True)
        size = pdfium_raw.FPDFText_GetFontSize(textpage.raw, index)
        chars.append((ch, left, right, bottom, size))
    flush()
    return tuple(out)


def _assemble_plain(pages: list[_Page]) -> tuple[PageText, ...]:
    """Text-only assembly: running heads are the first/last lines repeated across pages."""
    counts: Counter[str] = Counter()
    for page in pages:
        edge = {_DIGITS.sub("#", ln.text.replace(" ", "")) for ln in (*page.lines[:2], *page.lines[-2:])}
        counts.update(edge)
    with_text = sum(1 for p in pages if p.has_text)
    heads = {k for k, n in counts.items() if n >= max(2, 0.5 * with_text)}
    bodies = []
    for page in pages:
        lines = list(page.lines)
        kept = [
            ln.text
            for k, ln in enumerate(lines)
            if not (
                (k < 2 or k >= len(lines) - 2)
                and (_PAGE_NUMBER.match(ln.text) or _DIGITS.sub("#", ln.text.replace(" ", "")) in heads)
            )
        ]
        bodies.append(kept)
    width = max((len(s) for body in bodies for s in body), default=0)

    def full(s: str) -> bool:
        return len(s) >= FULL_LINE_SHARE * width and not s.endswith(_SENTENCE_END)

    out = []
    for i, (page, body) in enumerate(zip(pages, bodies, strict=True)):
        paragraphs: list[str] = []
        for j, s in enumerate(body):
            if j > 0 and (s.startswith(CLOSING_PUNCTUATION) or (full(body[j - 1]) and not starts_unit(s))):
                paragraphs[-1] += s
            else:
                paragraphs.append(s)
        next_body = bodies[i + 1] if i + 1 < len(bodies) else []
        runs_on = bool(body and next_body and full(body[-1]) and not starts_unit(next_body[0]))
        out.append(PageText(page.number, "\n".join(paragraphs), has_text=page.has_text, continues=runs_on))
    return tuple(out)
