"""Legacy conversion and OCR: seconds per page, cold vs cached conversion, and OCR accuracy by DPI.

Baselines measured in the same run: reading the .docx source directly (what a converted file
costs once cached), and reading a page's text layer (what OCR replaces). OCR is measured at
the chosen `OCR_DPI` and at the alternatives in `COMPARED_DPIS`, each with its character
accuracy against the .docx text (1 - Levenshtein distance / length, whitespace removed).
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from rapidfuzz.distance import Levenshtein

from extractors import legacy, ocr
from extractors.reader import extract

if TYPE_CHECKING:
    from PIL.Image import Image

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "legacy"
SOURCE_DOCX = FIXTURES / "ordinance.docx"
SCANNED_PDF = FIXTURES / "ordinance.scanned.pdf"
MIXED_PDF = FIXTURES / "ordinance.mixed.pdf"
LEGACY_FORMATS = ("doc", "wps", "rtf", "odt")
# OCR_DPI first; the others show why it was chosen.
COMPARED_DPIS = (ocr.OCR_DPI, 300, 150)
# A flatbed scan fed slightly crooked; the fixture is level, so the benchmark rotates it.
SKEW_DEGREES = 3.0
# Cheap steps are repeated and the median taken; conversions and OCR are too slow to repeat.
REPEATS = 5


def _median_seconds(action: Callable[[], object], repeats: int = REPEATS) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def _once(action: Callable[[], object]) -> float:
    return _median_seconds(action, repeats=1)


def _accuracy(recognised: str, truth: str) -> float:
    a, b = re.sub(r"\s", "", recognised), re.sub(r"\s", "", truth)
    return 1 - Levenshtein.distance(a, b) / len(b)


def _page_count(pdf: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()


def _conversion_figures(pages: int) -> dict[str, object]:
    figures: dict[str, object] = {}
    colds, cacheds, directs = [], [], []
    with tempfile.TemporaryDirectory(prefix="qingli-bench-legacy-") as tmp:
        for fmt in LEGACY_FORMATS:
            source = FIXTURES / f"ordinance.{fmt}"
            cache = Path(tmp) / fmt  # a cache of its own: every format converts cold
            hook = legacy.converter(cache)
            cold = _once(partial(extract, source, convert=hook))
            cached = _median_seconds(partial(extract, source, convert=hook))
            # Baseline: the converted .docx read directly, i.e. the reader without the legacy step.
            direct = _median_seconds(partial(extract, hook(source)))
            colds.append(cold)
            cacheds.append(cached)
            directs.append(direct)
            figures[f"{fmt}_cold_s_per_doc"] = round(cold, 2)
            figures[f"{fmt}_cached_s_per_doc"] = round(cached, 3)
    cold_median, cached_median = statistics.median(colds), statistics.median(cacheds)
    direct_median = statistics.median(directs)
    figures["converted_docx_extract_s_per_doc"] = round(direct_median, 3)
    figures["convert_cold_s_per_page"] = round(cold_median / pages, 2)
    figures["convert_cached_s_per_page"] = round(cached_median / pages, 4)
    figures["cold_vs_cached_ratio"] = round(cold_median / cached_median, 1)
    figures["cached_vs_direct_docx_ratio"] = round(cached_median / direct_median, 2)
    return figures


def _ocr_figures(pages: int) -> dict[str, object]:
    truth = "\n".join(p.text for p in Document(str(SOURCE_DOCX)).paragraphs)
    all_pages = list(range(1, pages + 1))
    text_layer = _median_seconds(lambda: ocr.pages_without_text(MIXED_PDF))
    figures: dict[str, object] = {"text_layer_check_s_per_page": round(text_layer / pages, 4)}
    per_page: dict[int, float] = {}
    for dpi in COMPARED_DPIS:
        results: dict[int, tuple[str, float]] = {}

        def run(dpi: int = dpi, results: dict[int, tuple[str, float]] = results) -> None:
            results.update(ocr.ocr_pdf_pages(SCANNED_PDF, all_pages, dpi=dpi))

        seconds = _once(run)
        per_page[dpi] = seconds / pages
        text = "\n".join(results[n][0] for n in all_pages)
        figures[f"ocr_{dpi}dpi_s_per_page"] = round(per_page[dpi], 2)
        figures[f"ocr_{dpi}dpi_accuracy"] = round(_accuracy(text, truth), 4)
        figures[f"ocr_{dpi}dpi_mean_confidence"] = round(statistics.fmean(c for _, c in results.values()), 1)
    figures["ocr_vs_text_layer_ratio"] = round(per_page[ocr.OCR_DPI] / (text_layer / pages), 0)
    figures.update(_skew_figures(truth))
    figures.update(_threading_figures())
    return figures


def _rendered_pages() -> list[Image]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(SCANNED_PDF))
    try:
        return [
            page.render(scale=ocr.OCR_DPI / 72, grayscale=True).to_pil().convert("L") for page in document
        ]
    finally:
        document.close()


def _skew_figures(truth: str) -> dict[str, object]:
    """Accuracy on the scan rotated by SKEW_DEGREES, with and without deskewing; cost of the estimate."""
    from PIL.Image import Resampling

    skewed = [p.rotate(SKEW_DEGREES, resample=Resampling.BICUBIC, fillcolor=255) for p in _rendered_pages()]
    figures: dict[str, object] = {}
    for straighten in (False, True):
        text = "\n".join(ocr.ocr_image(page, straighten=straighten)[0] for page in skewed)
        figures[f"ocr_skew{SKEW_DEGREES:g}deg_{'deskewed' if straighten else 'raw'}_accuracy"] = round(
            _accuracy(text, truth), 4
        )
    figures["deskew_estimate_s_per_page"] = round(_median_seconds(partial(ocr.estimate_skew, skewed[0])), 2)
    return figures


def _threading_figures() -> dict[str, object]:
    """One page through tesseract with OpenMP threads vs single-threaded (our setting)."""
    engine = ocr.require_tesseract(SCANNED_PDF)
    image = _rendered_pages()[0]
    saved = os.environ.pop("OMP_THREAD_LIMIT", None)
    try:
        openmp = _once(lambda: engine.image_to_data(image, lang=ocr.OCR_LANGUAGE))
        os.environ["OMP_THREAD_LIMIT"] = "1"
        single = _once(lambda: engine.image_to_data(image, lang=ocr.OCR_LANGUAGE))
    finally:
        if saved is None:
            os.environ.pop("OMP_THREAD_LIMIT", None)
        else:
            os.environ["OMP_THREAD_LIMIT"] = saved
    return {
        "tesseract_openmp_s_per_page": round(openmp, 2),
        "tesseract_single_thread_s_per_page": round(single, 2),
        "openmp_vs_single_thread_ratio": round(openmp / single, 2),
        "cpu_count": os.cpu_count(),
    }


def run() -> dict[str, object]:
    """Measure conversion (if soffice is installed) and OCR (if tesseract is)."""
    pages = _page_count(SCANNED_PDF)
    figures: dict[str, object] = {"pages_per_document": pages}
    if shutil.which(legacy.SOFFICE_COMMAND):
        figures.update(_conversion_figures(pages))
    else:
        figures["conversion"] = f"skipped: install {legacy.SOFFICE_PACKAGE}"
    if shutil.which(ocr.TESSERACT_COMMAND):
        figures.update(_ocr_figures(pages))
    else:
        figures["ocr"] = f"skipped: install {ocr.TESSERACT_PACKAGES}"
    return figures


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
