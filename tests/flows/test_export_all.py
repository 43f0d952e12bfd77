"""export_all: every format into one folder, with predictable names."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.export import (
    CLEANUP_LIST_NAME,
    CSV_NAME,
    FORMATS,
    JSON_NAME,
    OPINIONS_DIR,
    XLSX_NAME,
    UnknownFormat,
    export_all,
)
from tests.flows.export_fixtures import sample_report


def test_export_all_writes_every_format_by_default(tmp_path: Path) -> None:
    written = export_all(sample_report(), tmp_path)
    assert set(written) == set(FORMATS) == {"docx", "json", "csv", "xlsx"}
    assert all(path.is_file() for paths in written.values() for path in paths)


def test_export_all_puts_the_cleanup_list_first_then_opinions(tmp_path: Path) -> None:
    docx = export_all(sample_report(), tmp_path, formats=("docx",))["docx"]
    assert docx[0] == tmp_path / CLEANUP_LIST_NAME
    assert all(p.parent == tmp_path / OPINIONS_DIR for p in docx[1:])
    assert len(docx) == 1 + 7  # seven reviewed documents in the sample report


@pytest.mark.parametrize(("fmt", "name"), [("json", JSON_NAME), ("csv", CSV_NAME), ("xlsx", XLSX_NAME)])
def test_export_all_names_single_file_formats(tmp_path: Path, fmt: str, name: str) -> None:
    assert export_all(sample_report(), tmp_path, formats=(fmt,)) == {fmt: [tmp_path / name]}


def test_export_all_accepts_format_names_in_any_case(tmp_path: Path) -> None:
    assert set(export_all(sample_report(), tmp_path, formats=("JSON", " csv "))) == {"json", "csv"}


def test_export_all_rejects_unknown_formats_before_writing(tmp_path: Path) -> None:
    with pytest.raises(UnknownFormat, match="pdf"):
        export_all(sample_report(), tmp_path / "out", formats=("json", "pdf"))
    assert not (tmp_path / "out").exists()


def test_export_all_creates_the_output_folder(tmp_path: Path) -> None:
    export_all(sample_report(), tmp_path / "a" / "b", formats=("json",))
    assert (tmp_path / "a" / "b" / JSON_NAME).is_file()
