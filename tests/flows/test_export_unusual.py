"""Unusual characters (controls, lone surrogates, emoji, RTL, 5,000-character titles) never break a file."""

from __future__ import annotations

import json
from pathlib import Path
from zipfile import ZipFile

import pytest
from docx import Document
from lxml import etree
from openpyxl import load_workbook

from flows.export import export_all, validate_report_json
from flows.export.text import single_line
from tests.flows.export_fixtures import UNUSUAL_TITLES, docx_text, unusual_report


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    return export_all(unusual_report(), tmp_path_factory.mktemp("unusual"))


def test_unusual_docx_files_reopen_with_python_docx(written: dict[str, list[Path]]) -> None:
    for path in written["docx"]:
        Document(str(path))


def test_unusual_docx_parts_are_well_formed_xml(written: dict[str, list[Path]]) -> None:
    for path in written["docx"]:
        with ZipFile(path) as archive:
            for name in archive.namelist():
                if name.endswith(".xml"):
                    etree.fromstring(archive.read(name))


@pytest.mark.parametrize("name", ["emoji", "mixed", "rtl", "xml", "long"])
def test_unusual_titles_survive_unchanged_in_the_cleanup_list(
    written: dict[str, list[Path]], name: str
) -> None:
    assert UNUSUAL_TITLES[name] in docx_text(written["docx"][0])


@pytest.mark.parametrize("name", ["controls", "surrogate"])
def test_unusual_titles_are_sanitised_in_the_cleanup_list(written: dict[str, list[Path]], name: str) -> None:
    sanitised = single_line(UNUSUAL_TITLES[name])  # breaks inside a title become spaces in the table
    assert sanitised in docx_text(written["docx"][0])


def test_unusual_opinion_per_reviewed_document(written: dict[str, list[Path]]) -> None:
    assert len(written["docx"]) == 1 + len(UNUSUAL_TITLES)


def test_unusual_file_names_stay_short(written: dict[str, list[Path]]) -> None:
    assert all(len(p.name.encode("utf-8")) < 255 for p in written["docx"])


def test_unusual_xlsx_reopens(written: dict[str, list[Path]]) -> None:
    workbook = load_workbook(written["xlsx"][0])
    assert workbook.active is not None
    assert workbook.active.max_row == 1 + len(UNUSUAL_TITLES) + 1


def test_unusual_csv_is_valid_utf8(written: dict[str, list[Path]]) -> None:
    written["csv"][0].read_bytes().decode("utf-8-sig")


def test_unusual_json_is_valid_and_follows_the_schema(written: dict[str, list[Path]]) -> None:
    validate_report_json(json.loads(written["json"][0].read_text(encoding="utf-8")))


def test_unusual_json_keeps_control_characters_escaped(written: dict[str, list[Path]]) -> None:
    data = json.loads(written["json"][0].read_text(encoding="utf-8"))
    titles = [d["title"] for d in data["documents"]]
    assert UNUSUAL_TITLES["controls"] in titles
