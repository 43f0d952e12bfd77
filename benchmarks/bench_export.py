"""Export speed: a 2,000-document cleanup list in Word, against baselines measured in the same run.

Baselines: the CSV of the same report (the cheapest useful export), and stock python-docx writing one
plain paragraph per document (what any Word export pays at least). The list is then converted to PDF
with LibreOffice to show it opens, with the conversion time and page count.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

DOCUMENTS = 2_000
# Opinions are one file each; 100 are enough for a stable per-document time.
OPINIONS = 100
# Best of three: the machine is shared, and the minimum is the least disturbed measurement.
REPEATS = 3


def _best(action: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def _plain_docx(titles: list[str], path: Path) -> None:
    from docx import Document

    doc = Document()
    for title in titles:
        doc.add_paragraph(title)
    doc.save(str(path))


def run() -> dict[str, object]:
    from dataclasses import replace

    import pypdfium2

    from flows.export import write_cleanup_list_docx, write_csv, write_json, write_opinions_docx, write_xlsx
    from flows.export.lists import display_title
    from flows.export.render import convert_to_pdf, soffice_path
    from tests.flows.export_fixtures import synthetic_report

    report = synthetic_report(DOCUMENTS)
    titles = [display_title(d) for d in report.documents]
    figures: dict[str, object] = {"documents": DOCUMENTS}
    with tempfile.TemporaryDirectory(prefix="qingli-bench-export-") as scratch:
        out = Path(scratch)
        listing = out / "list.docx"
        docx_s = _best(lambda: write_cleanup_list_docx(report, listing))
        csv_s = _best(lambda: write_csv(report, out / "list.csv"))
        plain_s = _best(lambda: _plain_docx(titles, out / "plain.docx"))
        xlsx_s = _best(lambda: write_xlsx(report, out / "list.xlsx"))
        json_s = _best(lambda: write_json(report, out / "report.json"))
        few = replace(report, documents=report.documents[:OPINIONS])
        opinions_s = _best(lambda: write_opinions_docx(few, out / "opinions"))
        figures.update(
            {
                "docx_cleanup_list_seconds": round(docx_s, 3),
                "baseline_csv_seconds": round(csv_s, 3),
                "baseline_plain_docx_paragraphs_seconds": round(plain_s, 3),
                "docx_vs_csv_ratio": round(docx_s / csv_s, 1),
                "docx_vs_plain_docx_ratio": round(docx_s / plain_s, 2),
                "xlsx_seconds": round(xlsx_s, 3),
                "json_seconds": round(json_s, 3),
                "docx_cleanup_list_kib": listing.stat().st_size // 1024,
                "opinion_seconds_per_document": round(opinions_s / OPINIONS, 4),
            }
        )
        if soffice_path() is None:
            figures["libreoffice"] = "missing: install libreoffice-writer-nogui"
            return figures
        started = time.perf_counter()
        pdf = convert_to_pdf(listing, out / "pdf")
        figures["libreoffice_pdf_seconds"] = round(time.perf_counter() - started, 1)
        document = pypdfium2.PdfDocument(str(pdf))
        try:
            width, height = document[0].get_size()
            figures["pdf_pages"] = len(document)
            figures["pdf_first_page_points"] = [round(width), round(height)]
        finally:
            document.close()
    return figures
