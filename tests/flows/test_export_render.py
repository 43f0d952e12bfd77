"""Rendering with LibreOffice: every title is on the page, pages are A4, page numbers are printed.

Needs LibreOffice headless (`soffice`). Skipped locally when it is missing; a failure in CI (CI=true).
All documents are converted in one LibreOffice run to pay its start-up once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import pdfplumber
import pytest

from flows.export import write_cleanup_list_docx, write_opinions_docx
from flows.export.lists import display_title
from flows.export.render import convert_all_to_pdf, render_png, soffice_path
from flows.export.text import xml_safe
from rules.model import CleanupReport
from tests.flows.export_fixtures import UNUSUAL_TITLES, sample_report, unusual_report

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

A4_POINTS = (595.0, 842.0)
A4_TOLERANCE = 2.0


@dataclass(frozen=True)
class Rendered:
    text: str  # all page text, whitespace removed (PDF extraction breaks lines inside cells)
    cells: frozenset[str]  # every table cell, whitespace removed
    sizes: tuple[tuple[float, float], ...]
    pdf: Path


def _squash(text: str) -> str:
    return "".join(text.split())


def _read(pdf: Path, *, tables: bool) -> Rendered:
    with pdfplumber.open(pdf) as document:
        pages = document.pages
        text = "\n".join(page.extract_text() or "" for page in pages)
        cells = {
            _squash(cell or "")
            for page in (pages if tables else [])
            for table in page.extract_tables()
            for row in table
            for cell in row
        }
        sizes = tuple((float(page.width), float(page.height)) for page in pages)
    return Rendered(_squash(text), frozenset(cells), sizes, pdf)


@pytest.fixture(scope="module")
def sample() -> CleanupReport:
    return sample_report()


@pytest.fixture(scope="module")
def rendered(sample: CleanupReport, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    if soffice_path() is None:
        message = "LibreOffice (soffice) is not installed"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("render")
    unusual = unusual_report()
    long_doc = next(d for d in unusual.documents if d.title == UNUSUAL_TITLES["long"])
    (long_opinion,) = write_opinions_docx(replace(unusual, documents=(long_doc,)), folder / "long")
    sources = {
        "listing": write_cleanup_list_docx(sample, folder / "listing.docx"),
        "unusual": write_cleanup_list_docx(unusual, folder / "unusual.docx"),
        "opinion": write_opinions_docx(sample, folder / "opinions")[0],
        "long_opinion": long_opinion,
    }
    pdfs = convert_all_to_pdf(list(sources.values()), folder / "pdf")
    with_tables = {"listing", "unusual"}  # table extraction is slow; opinions are checked by text
    return {name: _read(pdf, tables=name in with_tables) for name, pdf in zip(sources, pdfs, strict=True)}


def test_render_cleanup_list_contains_every_title(
    sample: CleanupReport, rendered: dict[str, Rendered]
) -> None:
    for doc in sample.documents:
        assert _squash(display_title(doc)) in rendered["listing"].cells


@pytest.mark.parametrize("name", ["listing", "unusual", "opinion", "long_opinion"])
def test_render_pages_are_a4(rendered: dict[str, Rendered], name: str) -> None:
    for width, height in rendered[name].sizes:
        assert width == pytest.approx(A4_POINTS[0], abs=A4_TOLERANCE)
        assert height == pytest.approx(A4_POINTS[1], abs=A4_TOLERANCE)


@pytest.mark.parametrize("name", ["listing", "long_opinion"])
def test_render_prints_page_numbers_on_every_page(rendered: dict[str, Rendered], name: str) -> None:
    for number in range(1, len(rendered[name].sizes) + 1):
        assert f"—{number}—" in rendered[name].text


def test_render_cleanup_list_prints_the_counts(rendered: dict[str, Rendered]) -> None:
    assert "继续有效1件、修改2件、废止2件、宣布失效1件" in rendered["listing"].text


@pytest.mark.parametrize("name", ["emoji", "mixed", "xml", "controls", "surrogate", "rtl"])
def test_render_unusual_titles_reach_the_pdf(rendered: dict[str, Rendered], name: str) -> None:
    # Emoji may lack a glyph and RTL runs are reordered on extraction: compare the CJK characters.
    def cjk(text: str) -> str:
        return "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")

    assert cjk(xml_safe(UNUSUAL_TITLES[name])) in {cjk(cell) for cell in rendered["unusual"].cells}


def test_render_long_title_row_splits_across_pages(rendered: dict[str, Rendered]) -> None:
    unusual = rendered["unusual"]
    assert len(unusual.sizes) > 2
    assert any(cell.startswith("超长标题规范性文件") for cell in unusual.cells)


def test_render_long_title_opinion_keeps_the_title(rendered: dict[str, Rendered]) -> None:
    assert "关于《超长标题规范性文件规范性文件" in rendered["long_opinion"].text


def test_render_png_writes_page_images(rendered: dict[str, Rendered], tmp_path: Path) -> None:
    (png,) = render_png(rendered["listing"].pdf, tmp_path / "page", first=1, last=1, dpi=30)
    assert png.read_bytes().startswith(b"\x89PNG")
