"""OCR of scanned pages and image files: tesseract (chi_sim) through pytesseract, then safe corrections.

Why pytesseract: it drives the ``tesseract`` command line that Debian ships (``tesseract-ocr``,
``tesseract-ocr-chi-sim``), so nothing is compiled; tesserocr would bind libtesseract directly
and must be built against the exact installed version. The cost — one process per page — is
small next to the seconds tesseract spends recognising a page.

What comes out of a page (deskewed first): paragraphs one per line (wrapped lines re-joined from their geometry),
whitespace inside Chinese text removed, the OCR confusions listed in `correct_ocr_text` fixed
where the structure makes the fix safe, and tesseract's mean word confidence (0..100).

Page numbers are 1-based everywhere, as in `PageInfo.number`.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from extractors.errors import CorruptFile, OcrFailed, OcrMissing, ZipBomb
from extractors.markers import starts_unit
from extractors.normalize import is_cjk
from extractors.numerals import chinese_to_int

if TYPE_CHECKING:
    from PIL.Image import Image

TESSERACT_COMMAND = "tesseract"
OCR_LANGUAGE = "chi_sim"
TESSERACT_PACKAGES = "tesseract-ocr tesseract-ocr-chi-sim"
LANGUAGE_PACKAGE = "tesseract-ocr-chi-sim"
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})

# Resolution pages are rendered at for tesseract. Measured on the fixture scan (三号 body text;
# benchmarks/bench_legacy.py, docs/legacy.md): 200 DPI puts a body character at ~44 px, the size
# tesseract's LSTM model reads best — character accuracy 0.998; 300 DPI was slower and less
# accurate (0.983), 150 DPI fell to 0.856.
OCR_DPI = 200
# Scanners write their resolution into PNG/TIFF/JPEG; an image without it is taken to be a
# 300 DPI scan, the usual office-scanner default.
ASSUMED_IMAGE_DPI = 300
# Resample an image only when its resolution is this far (relative) from OCR_DPI.
RESAMPLE_TOLERANCE = 0.1
# tesseract page segmentation: 3 = automatic layout, no orientation detection (the default).
PAGE_SEGMENTATION_MODE = 3
# A scanned A4 page takes 2-7 s (5-7 s on a loaded 2-core machine); one still running after this is stuck.
PAGE_TIMEOUT_SECONDS = 120.0
# Pages recognised at once. tesseract is run single-threaded (see `_engine`) and pages in
# parallel: on a busy 2-core machine a page took 1.7-3x longer with tesseract's own threads.
MAX_WORKERS = 4
# A PDF page with fewer printable characters than this in its text layer is treated as a scan:
# scanner apps stamp a short line (扫描全能王) on image-only pages, a real text page has hundreds.
MIN_TEXT_LAYER_CHARS = 10

# Deskewing. Skew measured on the fixture scan: 1° cost 1.7 points of accuracy, 3° cost 7.
# The angle is searched on a small copy (rows of text give the sharpest row profile when level),
# coarse then fine; anything under MIN_DESKEW_DEGREES is left alone (resampling blurs strokes).
MAX_SKEW_DEGREES = 5.0  # flatbed and feeder scans stay well inside this; photos need more than deskew
SKEW_COARSE_STEP = 0.5
SKEW_FINE_STEP = 0.1
MIN_DESKEW_DEGREES = 0.3
SKEW_SAMPLE_WIDTH = 500  # px; wide enough to resolve 0.1° over a page of text lines
# The best angle must sharpen the row profile by this factor over the unrotated page, otherwise
# the page (blank, a signature block, a photo) has no text lines to measure and stays as it is.
MIN_SKEW_GAIN = 1.05

# Paragraph rebuilding from line geometry, in units of the median line height (≈ one character).
INDENT_MIN_CHARS = 1.0  # first-line indent is two characters; wrapped lines start flush left
SHORT_LINE_CHARS = 1.5  # a line ending this far before the right margin ended its paragraph
PARAGRAPH_GAP_CHARS = 1.0  # vertical gap between lines that separates paragraphs
CENTRE_TOLERANCE_CHARS = 1.5  # a centred line has equal left and right gaps within this
# Specks read as a symbol no official document uses, with next to no confidence, are dropped
# (seen: "二@〇二一年" from a dot of scanner noise, conf 0). Real words can score 0 too, so the
# confidence alone never drops anything.
NOISE_SYMBOLS = frozenset("@#$^&*_~`\\")
NOISE_MAX_CONFIDENCE = 10.0
# Margins are taken at these quantiles of line edges so one stray speck does not move them.
MARGIN_QUANTILE = 0.1


# ---------------------------------------------------------------------------------------------
# Engine


@cache
def _engine() -> ModuleType:
    """pytesseract, once tesseract and its Chinese model are known to be installed."""
    import pytesseract

    # tesseract's OpenMP threads make a page several times slower on a loaded machine; we run
    # pages in parallel instead. Set only when the operator has not chosen a value.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    languages = set(pytesseract.get_languages(config=""))
    if OCR_LANGUAGE not in languages:
        raise _LanguageMissing(OCR_LANGUAGE)
    module: ModuleType = pytesseract
    return module


class _LanguageMissing(Exception):
    pass


def require_tesseract(path: str | Path) -> ModuleType:
    """Return the OCR engine, or raise `OcrMissing` naming the Debian packages to install."""
    if shutil.which(TESSERACT_COMMAND) is None:
        raise OcrMissing(str(path), tool=TESSERACT_COMMAND, package=TESSERACT_PACKAGES)
    try:
        return _engine()
    except _LanguageMissing as exc:
        raise OcrMissing(
            str(path), tool=f"{TESSERACT_COMMAND}（{OCR_LANGUAGE} 语言包）", package=LANGUAGE_PACKAGE
        ) from exc


# ---------------------------------------------------------------------------------------------
# Public API


def ocr_image(image: Image, *, source: str | Path = "<image>", straighten: bool = True) -> tuple[str, float]:
    """Recognise one page image: corrected text (a paragraph per line) and mean word confidence (0..100).

    Render or resample the image to about `OCR_DPI` first (`ocr_pdf_pages` and `ocr_image_file`
    do). tesseract is not told the resolution: its own estimate from the text height measured
    better than passing ``--dpi`` (0.998 vs 0.995 on the fixture scan).
    """
    engine = require_tesseract(source)
    if straighten:
        image = deskew(image)
    try:
        data = engine.image_to_data(
            image,
            lang=OCR_LANGUAGE,
            config=f"--psm {PAGE_SEGMENTATION_MODE}",
            output_type=engine.Output.DICT,
            timeout=PAGE_TIMEOUT_SECONDS,
        )
    except RuntimeError as exc:  # pytesseract.TesseractError and its timeout are RuntimeErrors
        raise OcrFailed(str(source), detail=str(exc).strip() or type(exc).__name__) from exc
    text = "\n".join(paragraphs_from_data(data))
    return correct_ocr_text(text), mean_confidence(data)


def ocr_pdf_pages(path: Path, pages: Sequence[int], *, dpi: int = OCR_DPI) -> dict[int, tuple[str, float]]:
    """OCR the given 1-based pages of a PDF: {page: (text, mean confidence 0..100)}."""
    require_tesseract(path)
    if not pages:
        return {}
    return dict(_recognise_all(_render_pdf_pages(path, pages, dpi), source=path))


def ocr_image_file(path: Path, *, dpi: int = OCR_DPI) -> list[tuple[str, float]]:
    """OCR an image file (every frame of a multi-page TIFF): one (text, confidence) per page."""
    require_tesseract(path)
    results = dict(_recognise_all(_image_file_pages(path, dpi), source=path))
    return [results[number] for number in sorted(results)]


def ocr_pages(path: Path, pages: Sequence[int]) -> dict[int, tuple[str, float]]:
    """The ``ocr`` hook for `extractors.reader.extract`: PDF pages or image-file frames, 1-based."""
    if Path(path).suffix.lower() in IMAGE_SUFFIXES:
        wanted = set(pages)
        frames = ocr_image_file(path)
        return {n: result for n, result in enumerate(frames, start=1) if n in wanted}
    return ocr_pdf_pages(path, pages)


def count_image_pages(path: Path) -> int:
    """Number of frames (pages) in an image file: 1, or more for a multi-page TIFF."""
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    try:
        with PILImage.open(path) as image:
            return int(getattr(image, "n_frames", 1))
    except PILImage.DecompressionBombError as exc:
        raise ZipBomb(str(path)) from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise CorruptFile(str(path), detail=str(exc)) from exc


def pages_without_text(path: Path) -> list[int]:
    """1-based numbers of the PDF pages whose text layer is empty (or nearly: see MIN_TEXT_LAYER_CHARS)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise CorruptFile(str(path), detail=str(exc)) from exc
    try:
        missing = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                printable = sum(1 for ch in textpage.get_text_range() if not ch.isspace())
            finally:
                textpage.close()
                page.close()
            if printable < MIN_TEXT_LAYER_CHARS:
                missing.append(index + 1)
        return missing
    finally:
        pdf.close()


# ---------------------------------------------------------------------------------------------
# Rendering and recognition


def _render_pdf_pages(path: Path, pages: Sequence[int], dpi: int) -> Iterator[tuple[int, Image]]:
    """Greyscale page images; pdfium is not thread-safe, so rendering stays in the caller's thread."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise CorruptFile(str(path), detail=str(exc)) from exc
    try:
        count = len(pdf)
        bad = [p for p in pages if not 1 <= p <= count]
        if bad:
            raise ValueError(f"page numbers {bad} outside 1..{count} in {path}")
        for number in pages:
            page = pdf[number - 1]
            try:
                bitmap = page.render(scale=dpi / 72, grayscale=True)
                yield number, bitmap.to_pil().convert("L")
            finally:
                page.close()
    finally:
        pdf.close()


def _image_file_pages(path: Path, dpi: int) -> Iterator[tuple[int, Image]]:
    """Every frame of an image file, greyscale and resampled to `dpi`."""
    from PIL import Image as PILImage
    from PIL import ImageSequence, UnidentifiedImageError

    try:
        with PILImage.open(path) as image:
            for index, frame in enumerate(ImageSequence.Iterator(image)):
                yield index + 1, _to_ocr_resolution(frame, dpi)
    except PILImage.DecompressionBombError as exc:
        raise ZipBomb(str(path)) from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise CorruptFile(str(path), detail=str(exc)) from exc


def _to_ocr_resolution(frame: Image, dpi: int) -> Image:
    grey = frame.convert("L")
    source_dpi = _image_dpi(frame)
    factor = dpi / source_dpi
    if abs(factor - 1) <= RESAMPLE_TOLERANCE:
        return grey
    from PIL.Image import Resampling

    size = (max(1, round(grey.width * factor)), max(1, round(grey.height * factor)))
    return grey.resize(size, Resampling.LANCZOS)


def _image_dpi(frame: Image) -> float:
    value = frame.info.get("dpi")
    if isinstance(value, tuple) and value and float(value[0]) > 1:
        return float(value[0])
    return float(ASSUMED_IMAGE_DPI)


def _recognise_all(
    pages: Iterator[tuple[int, Image]], *, source: str | Path
) -> Iterator[tuple[int, tuple[str, float]]]:
    """Recognise pages in parallel, at most `MAX_WORKERS` images in memory at a time."""
    workers = max(1, min(MAX_WORKERS, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        batch: list[tuple[int, Image]] = []
        for item in pages:
            batch.append(item)
            if len(batch) == workers:
                yield from _recognise_batch(pool, batch, source=source)
                batch = []
        yield from _recognise_batch(pool, batch, source=source)


def _recognise_batch(
    pool: ThreadPoolExecutor, batch: list[tuple[int, Image]], *, source: str | Path
) -> Iterator[tuple[int, tuple[str, float]]]:
    futures = [(number, pool.submit(ocr_image, image, source=source)) for number, image in batch]
    for number, future in futures:
        yield number, future.result()


def estimate_skew(image: Image) -> float:
    """Degrees to rotate `image` counter-clockwise so its text lines are level (0.0 when unsure)."""
    from PIL.Image import Resampling

    grey = image.convert("L")
    height = max(1, round(grey.height * SKEW_SAMPLE_WIDTH / grey.width))
    sample = grey.resize((SKEW_SAMPLE_WIDTH, height), Resampling.BOX)

    def sharpness(angle: float) -> float:
        from PIL import ImageStat

        rotated = sample.rotate(angle, resample=Resampling.BILINEAR, fillcolor=255)
        profile = rotated.resize((1, rotated.height), Resampling.BOX)  # mean of every row
        return float(ImageStat.Stat(profile).var[0])

    steps = round(MAX_SKEW_DEGREES / SKEW_COARSE_STEP)
    coarse = max((k * SKEW_COARSE_STEP for k in range(-steps, steps + 1)), key=sharpness)
    fine_steps = round(SKEW_COARSE_STEP / SKEW_FINE_STEP)
    best = max((coarse + k * SKEW_FINE_STEP for k in range(-fine_steps, fine_steps + 1)), key=sharpness)
    best = max(-MAX_SKEW_DEGREES, min(MAX_SKEW_DEGREES, best))
    if sharpness(best) <= MIN_SKEW_GAIN * sharpness(0.0):
        return 0.0
    return round(best, 2)


def deskew(image: Image) -> Image:
    """`image` rotated so its text lines are level; the same image when the skew is negligible."""
    from PIL.Image import Resampling

    angle = estimate_skew(image)
    if abs(angle) < MIN_DESKEW_DEGREES:
        return image
    return image.convert("L").rotate(angle, resample=Resampling.BICUBIC, fillcolor=255, expand=True)


# ---------------------------------------------------------------------------------------------
# From tesseract's word boxes to paragraphs


@dataclass(frozen=True, slots=True)
class _OcrLine:
    left: int
    top: int
    right: int
    bottom: int
    text: str

    @property
    def height(self) -> int:
        return self.bottom - self.top


# tesseract's TSV levels: 4 = text line, 5 = word.
_LINE_LEVEL = 4
_WORD_LEVEL = 5


def _lines_from_data(data: dict[str, list[object]]) -> list[_OcrLine]:
    """Text lines in reading order, words joined and whitespace inside Chinese removed."""
    boxes: dict[tuple[object, ...], tuple[int, int, int, int]] = {}
    words: dict[tuple[object, ...], list[str]] = {}
    key: tuple[object, ...]
    for i, level in enumerate(data["level"]):
        key = (data["page_num"][i], data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if level == _LINE_LEVEL:
            left, top = int(str(data["left"][i])), int(str(data["top"][i]))
            width, height = int(str(data["width"][i])), int(str(data["height"][i]))
            boxes[key] = (left, top, left + width, top + height)
            words.setdefault(key, [])
        elif level == _WORD_LEVEL:
            word = str(data["text"][i]).strip()
            if word and not _is_noise(word, float(str(data["conf"][i]))):
                words.setdefault(key, []).append(word)
    lines = []
    for key, box in boxes.items():
        text = collapse_spaces(" ".join(words.get(key, [])))
        if text:
            lines.append(_OcrLine(*box, text=text))
    return lines


def _is_noise(word: str, confidence: float) -> bool:
    return len(word) == 1 and word in NOISE_SYMBOLS and 0 <= confidence < NOISE_MAX_CONFIDENCE


def _quantile(values: list[int], q: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def paragraphs_from_data(data: dict[str, list[object]]) -> list[str]:
    """Paragraphs from tesseract's ``image_to_data`` dict, wrapped lines re-joined by their geometry.

    A paragraph starts with an indented line, after a line that stops short of the right margin,
    after a vertical gap, or with a structural marker (第十二条, 一、, （一）); a centred line
    right after a full-width one continues a centred title.
    """
    lines = _lines_from_data(data)
    if not lines:
        return []
    char = statistics.median(line.height for line in lines)
    body_left = _quantile([line.left for line in lines], MARGIN_QUANTILE)
    body_right = _quantile([line.right for line in lines], 1 - MARGIN_QUANTILE)

    def indented(line: _OcrLine) -> bool:
        return line.left - body_left > INDENT_MIN_CHARS * char

    def short(line: _OcrLine) -> bool:
        return body_right - line.right > SHORT_LINE_CHARS * char

    def centred(line: _OcrLine) -> bool:
        gap_left, gap_right = line.left - body_left, body_right - line.right
        return indented(line) and abs(gap_left - gap_right) <= CENTRE_TOLERANCE_CHARS * char

    paragraphs = [lines[0].text]
    for prev, line in pairwise(lines):
        # A centred line after a full-width one is the second line of a centred title.
        title_continues = (
            not indented(prev) and not short(prev) and centred(line) and not starts_unit(line.text)
        )
        starts_new = (
            indented(line)
            or short(prev)
            or line.top - prev.bottom > PARAGRAPH_GAP_CHARS * char
            or starts_unit(line.text)
        )
        if starts_new and not title_continues:
            paragraphs.append(line.text)
        else:
            glue = " " if paragraphs[-1][-1:].isascii() and line.text[:1].isascii() else ""
            paragraphs[-1] += glue + line.text
    return paragraphs


def mean_confidence(data: dict[str, list[object]]) -> float:
    """Mean confidence of the recognised words (0..100); 0.0 for a page where nothing was read."""
    scores = [
        float(str(conf))
        for level, conf, text in zip(data["level"], data["conf"], data["text"], strict=True)
        if level == _WORD_LEVEL and str(text).strip() and float(str(conf)) >= 0
    ]
    return round(statistics.fmean(scores), 2) if scores else 0.0


# ---------------------------------------------------------------------------------------------
# Text clean-up

_SPACES = re.compile(r"[^\S\n]+")


def collapse_spaces(text: str) -> str:
    """Remove the spaces tesseract puts between Chinese characters; keep one between Latin words."""

    def replace(m: re.Match[str]) -> str:
        start, end = m.span()
        if start == 0 or end == len(text) or text[start - 1] == "\n" or text[end] == "\n":
            return ""
        return "" if is_cjk(text[start - 1]) or is_cjk(text[end]) else " "

    return _SPACES.sub(replace, text)


# Look-alikes tesseract returns for characters of structural markers.
_TEN_LOOKALIKES = "+＋"  # 十 in 第+二条
_ARTICLE_LOOKALIKES = "祭杀余茶亲朵"  # 条 in 第十二祭
_ZERO_LOOKALIKES = "0OoОＯ０"  # 〇 in 二O二一年; also 0 in 文号 digits
_ONE_LOOKALIKES = "lI|丨"  # 1 in 文号 digits
_STRAY_QUOTES = "“”\"'‘’"  # the wide gap after 第十二条 read as a quote
_OPEN_BRACKETS = "〔［[【(（〈<{｛"
_CLOSE_BRACKETS = "〕］]】)）〉>}｝"

_DIGITS = r"0-9"
_DIGIT_LIKE = _DIGITS + _ZERO_LOOKALIKES + re.escape(_ONE_LOOKALIKES)
_TO_DIGITS = str.maketrans({**dict.fromkeys(_ZERO_LOOKALIKES, "0"), **dict.fromkeys(_ONE_LOOKALIKES, "1")})

_CN_ARTICLE_NUM = "零〇一二三四五六七八九十百千"
# 第+二条 / 第十二祭 / 第十二条 at the start of a line; group "tail" is what follows the label.
_LINE_ARTICLE = re.compile(
    rf"^(?P<label>第(?P<num>[{_CN_ARTICLE_NUM}{_TEN_LOOKALIKES}]{{1,8}})(?P<unit>[条{_ARTICLE_LOOKALIKES}]))"
    r"(?P<tail>.*)$",
    re.MULTILINE,
)
# 第+二条 anywhere: "+" is never part of a Chinese numeral, so the fix is safe in running text too.
_TEN_IN_ARTICLE = re.compile(
    rf"第[{_CN_ARTICLE_NUM}]*[{_TEN_LOOKALIKES}][{_CN_ARTICLE_NUM}{_TEN_LOOKALIKES}]*条"
)
# 文号: issuer abbreviation (ends in a Chinese character), year in some bracket, serial, 号.
_DOC_NUMBER = re.compile(
    rf"(?<=[\u4e00-\u9fff])\s*[{re.escape(_OPEN_BRACKETS)}]\s*"
    rf"(?P<year>[12{re.escape(_ONE_LOOKALIKES)}][{_DIGIT_LIKE}]{{3}})"
    rf"\s*[{re.escape(_CLOSE_BRACKETS)}]\s*(?P<serial>[{_DIGIT_LIKE}]{{1,5}})\s*号"
)
# A whole 文号 in the wrong enclosing brackets: （长府发〔2015〕12号） read as 《长府发…号)
_ENCLOSED_DOC_NUMBER = re.compile(
    r"[《〈<(（](?P<number>[\u4e00-\u9fff]{1,15}〔[0-9]{4}〕[0-9]{1,5}号)[)）》〉>]"
)
# A year written in Chinese numerals with a Latin O or a digit zero for 〇: 二O二一年.
# Exactly four characters: the run may not continue to the left either.
_CN_YEAR_CHARS = f"〇零一二三四五六七八九{_ZERO_LOOKALIKES}"
_CN_YEAR = re.compile(rf"(?<![0-9A-Za-z{_CN_YEAR_CHARS}])[{_CN_YEAR_CHARS}]{{4,5}}(?=年)")
_CN_YEAR_MIN_NUMERALS = 2  # 二O二O年 still has two real numerals; OOOO年 is not a year
# One wide 〇 read twice, as a Latin O and as 〇 (boxes side by side): 二O〇二一年.
_DOUBLED_ZERO = re.compile(rf"[{_ZERO_LOOKALIKES}](?=〇)|(?<=〇)[{_ZERO_LOOKALIKES}]")
# Item marker at the start of a line in half-width parentheses: (三) -> （三）.
_LINE_ITEM = re.compile(r"^[(（]([一二三四五六七八九十]{1,3})[)）]", re.MULTILINE)
# Half-width punctuation right after a Chinese character, not between digits (1:2, 3,000).
_HALF_PUNCT = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_HALF_PUNCT_AFTER_CJK = re.compile(r"(?<=[\u4e00-\u9fff])[,:;?!](?![0-9])")
# Half-width parentheses whose content is Chinese: (试行) -> （试行）; (PDF) and (2020) stay.
_HALF_PARENS = re.compile(r"\(([^()\n]*[\u4e00-\u9fff][^()\n]*)\)")
_MIN_YEAR, _MAX_YEAR = 1949, 2099  # a 文号 year outside this is not a year we fix into one


def correct_ocr_text(text: str) -> str:
    """Fix OCR confusions only where the structure makes the fix safe.

    - 第+二条 -> 第十二条 (a ``+`` is never part of a Chinese numeral);
    - 第十二祭 -> 第十二条 at the start of a line, when a neighbouring line starts 第十一条 or 第十三条;
    - a quote mark tesseract reads in the gap after a line-initial 第十二条, when it has no partner;
    - 文号 brackets and digits: 长府发[2O20]l2号 -> 长府发〔2020〕12号;
    - a 文号 enclosed in the wrong brackets: 《长府发〔2015〕12号) -> （长府发〔2015〕12号）;
    - 〇 in years written in Chinese numerals: 二O二一年 -> 二〇二一年, and one 〇 read twice
      (二O〇二一年 -> 二〇二一年);
    - half-width punctuation and parentheses in Chinese text -> full-width.

    Everything else — including look-alikes outside these contexts — is left as read.
    """
    text = _TEN_IN_ARTICLE.sub(lambda m: m.group().translate(_TEN_FIX), text)
    text = _fix_article_lines(text)
    text = _HALF_PARENS.sub(r"（\1）", text)
    text = _HALF_PUNCT_AFTER_CJK.sub(lambda m: _HALF_PUNCT[m.group()], text)
    text = _LINE_ITEM.sub(r"（\1）", text)
    text = _DOC_NUMBER.sub(_fix_doc_number, text)
    text = _ENCLOSED_DOC_NUMBER.sub(r"（\g<number>）", text)
    return _CN_YEAR.sub(_fix_cn_year, text)


_TEN_FIX = str.maketrans(dict.fromkeys(_TEN_LOOKALIKES, "十"))


def _fix_article_lines(text: str) -> str:
    genuine = {
        chinese_to_int(m.group("num")) for m in _LINE_ARTICLE.finditer(text) if m.group("unit") == "条"
    }

    def fix(m: re.Match[str]) -> str:
        number = chinese_to_int(m.group("num"))
        unit = m.group("unit")
        if unit != "条":
            if number is None or not ({number - 1, number + 1} & genuine):
                return m.group()
            unit = "条"
        label = f"第{m.group('num')}{unit}"
        return label + _strip_stray_quote(m.group("tail"))

    return _LINE_ARTICLE.sub(fix, text)


def _strip_stray_quote(tail: str) -> str:
    """Drop a quote mark opening `tail` when nothing later in the line closes it."""
    body = tail.lstrip()
    if not body or body[0] not in _STRAY_QUOTES:
        return tail
    mark, rest = body[0], body[1:]
    partner = {"“": "”", "‘": "’"}.get(mark, mark)
    if mark in "“‘" and partner in rest:
        return tail
    if mark in "\"'" and mark in rest:
        return tail
    return " " + rest.lstrip()


def _fix_doc_number(m: re.Match[str]) -> str:
    year = m.group("year").translate(_TO_DIGITS)
    if not _MIN_YEAR <= int(year) <= _MAX_YEAR:
        return m.group()
    return f"〔{year}〕{m.group('serial').translate(_TO_DIGITS)}号"


def _fix_cn_year(m: re.Match[str]) -> str:
    year = m.group()
    if len(year) == 5:
        # No year has five digits; only the double reading of one 〇 is repaired, once.
        year = _DOUBLED_ZERO.sub("", year, count=1)
        if len(year) != 4:
            return m.group()
    if sum(ch in "〇零一二三四五六七八九" for ch in year) < _CN_YEAR_MIN_NUMERALS:
        return m.group()
    return "".join("〇" if ch in _ZERO_LOOKALIKES else ch for ch in year)
