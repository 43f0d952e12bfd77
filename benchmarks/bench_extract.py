"""Extraction speed: PDF pages/s with pdfplumber (the baseline) vs the default ``auto`` (pypdfium2
geometry, pdfplumber for pages with paths), pypdfium2 line geometry (``pdfium-layout``) and
pypdfium2 text only (``pdfium``) on the same files in the same run,
and files/s and 条/s for the Markdown corpus against a read+regex baseline.

PDF inputs: the committed fixtures, the evaluation set's PDFs, and a few corpus laws rendered to
hard-wrapped A4 PDFs in a temporary folder at run time (nothing is written into the project). A
faster engine is only worth using if its text equals pdfplumber's: `*_same_text_share` says how
often, `*_different` which files differ.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

from extractors.lawtext import INFO_END, read_law_markdown
from extractors.model import ClauseKind, ParsedDocument
from extractors.pdf import PdfSettings
from extractors.reader import extract

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "documents"
EVALUATION = ROOT / "evaluation" / "documents"
CORPUS = Path(os.environ.get("QINGLI_CORPUS", ROOT.parent / "shared" / "corpus"))
RENDERED_LAWS = 6  # enough pages (~150) for a stable rate, few enough to render in seconds
_ARTICLE_LINE = re.compile(r"^第[零〇一二三四五六七八九十百千0-9]+条", re.MULTILINE)


def _render_laws(folder: Path) -> list[Path]:
    from tests.fixtures.make_documents import write_reportlab_pdf

    laws = sorted((CORPUS / "national").rglob("*.md"))[:: max(1, 1400 // RENDERED_LAWS)][:RENDERED_LAWS]
    out: list[Path] = []
    for law in laws:
        body = law.read_text("utf-8").split(INFO_END, 1)[-1]
        lines = [ln.lstrip("# ").strip() for ln in body.splitlines() if ln.strip()]
        path = folder / f"law{len(out)}.pdf"
        write_reportlab_pdf("\n".join(lines), path)
        out.append(path)
    return out


def _timed(paths: list[Path], settings: PdfSettings) -> tuple[float, float, list[ParsedDocument]]:
    """Wall and CPU seconds (CPU time is steadier on a machine shared with other jobs)."""
    wall, cpu = time.perf_counter(), time.process_time()
    docs = [extract(p, pdf_settings=settings) for p in paths]
    return time.perf_counter() - wall, time.process_time() - cpu, docs


def _bench_pdf() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        paths = sorted(FIXTURES.glob("*.pdf")) + sorted(EVALUATION.glob("*.pdf"))
        paths = [p for p in paths if p.name not in ("encrypted.pdf", "scan_no_text.pdf")]
        if (CORPUS / "national").is_dir():
            paths += _render_laws(Path(tmp))
        plumber_s, plumber_cpu, plumber_docs = _timed(paths, PdfSettings(engine="pdfplumber"))
        pages = sum(len(d.pages) for d in plumber_docs)
        figures: dict[str, object] = {
            "pdf_files": len(paths),
            "pdf_pages": pages,
            "pdfplumber_pages_per_s": round(pages / plumber_s, 1),
            "pdfplumber_pages_per_cpu_s": round(pages / plumber_cpu, 1),
        }
        for engine in ("auto", "pdfium-layout", "pdfium"):
            wall, cpu, docs = _timed(paths, PdfSettings(engine=engine))
            same = [a.text == b.text for a, b in zip(plumber_docs, docs, strict=True)]
            key = engine.replace("-", "_")
            figures |= {
                f"{key}_pages_per_s": round(pages / wall, 1),
                f"{key}_pages_per_cpu_s": round(pages / cpu, 1),
                f"{key}_speedup_cpu": round(plumber_cpu / cpu, 2),
                f"{key}_same_text_share": round(sum(same) / len(same), 3),
                f"{key}_different": [p.name for p, s in zip(paths, same, strict=True) if not s],
            }
        return figures


def _bench_markdown() -> dict[str, object]:
    files = sorted(CORPUS.rglob("*.md"))
    started = time.perf_counter()
    expected = [len(_ARTICLE_LINE.findall(f.read_text("utf-8-sig").split(INFO_END, 1)[-1])) for f in files]
    baseline_s = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    got = [sum(1 for c in read_law_markdown(f).clauses if c.kind is ClauseKind.ARTICLE) for f in files]
    parse_s, parse_cpu = time.perf_counter() - started, time.process_time() - cpu
    mismatches = [
        f"{f.relative_to(CORPUS)}: {e} lines, {g} articles"
        for f, e, g in zip(files, expected, got, strict=True)
        if e != g
    ]
    return {
        "md_files": len(files),
        "md_articles": sum(got),
        "md_files_per_s": round(len(files) / parse_s, 1),
        "md_articles_per_s": round(sum(got) / parse_s),
        "md_files_per_cpu_s": round(len(files) / parse_cpu, 1),
        "md_articles_per_cpu_s": round(sum(got) / parse_cpu),
        "md_cost_vs_read_regex_baseline": round(parse_s / baseline_s, 1),
        "md_agreement": round(1 - len(mismatches) / max(len(files), 1), 4),
        "md_mismatches": mismatches,
    }


def run() -> dict[str, object]:
    figures = _bench_pdf()
    if CORPUS.is_dir():
        figures.update(_bench_markdown())
    return figures
