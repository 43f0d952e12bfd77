"""Exports of a `CleanupReport`: Word (GB/T 9704) cleanup list and review opinions, CSV, XLSX, JSON.

Everything here works from a `CleanupReport` value; nothing reads the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from flows.export.cleanup_list import write_cleanup_list_docx
from flows.export.errors import ConversionFailed, ExportError, SofficeMissing, UnknownFormat
from flows.export.json_export import report_to_json, validate_report_json, write_json
from flows.export.opinion import write_opinions_docx
from flows.export.tables import write_csv, write_xlsx
from rules.model import CleanupReport

__all__ = [
    "CLEANUP_LIST_NAME",
    "CSV_NAME",
    "FORMATS",
    "JSON_NAME",
    "OPINIONS_DIR",
    "XLSX_NAME",
    "ConversionFailed",
    "ExportError",
    "SofficeMissing",
    "UnknownFormat",
    "export_all",
    "report_to_json",
    "validate_report_json",
    "write_cleanup_list_docx",
    "write_csv",
    "write_json",
    "write_opinions_docx",
    "write_xlsx",
]

# File names inside `export_all`'s out_dir: Chinese for what reviewers open, English for the contract.
CLEANUP_LIST_NAME = "规范性文件清理结果目录.docx"
OPINIONS_DIR = "合法性审核意见书"
CSV_NAME = "清理结果目录.csv"
XLSX_NAME = "清理结果目录.xlsx"
JSON_NAME = "report.json"


def _docx(report: CleanupReport, out_dir: Path, office: str | None) -> list[Path]:
    listing = write_cleanup_list_docx(report, out_dir / CLEANUP_LIST_NAME, office=office)
    return [listing, *write_opinions_docx(report, out_dir / OPINIONS_DIR, office=office)]


_WRITERS: dict[str, Callable[[CleanupReport, Path, str | None], list[Path]]] = {
    "docx": _docx,
    "json": lambda report, out_dir, _office: [write_json(report, out_dir / JSON_NAME)],
    "csv": lambda report, out_dir, _office: [write_csv(report, out_dir / CSV_NAME)],
    "xlsx": lambda report, out_dir, _office: [write_xlsx(report, out_dir / XLSX_NAME)],
}
FORMATS: tuple[str, ...] = tuple(_WRITERS)


def export_all(
    report: CleanupReport,
    out_dir: Path,
    formats: Iterable[str] = FORMATS,
    *,
    office: str | None = None,
) -> dict[str, list[Path]]:
    """Write `report` in each of `formats` under `out_dir`; map each format to the files written.

    "docx" gives the cleanup list first, then one review opinion per reviewed document.
    Unknown format names raise `UnknownFormat` before anything is written.
    """
    wanted = list(dict.fromkeys(f.strip().lower() for f in formats))
    for name in wanted:
        if name not in _WRITERS:
            raise UnknownFormat(name, FORMATS)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return {name: _WRITERS[name](report, out_dir, office) for name in wanted}
