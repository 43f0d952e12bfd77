"""Whole-document wording of the Word exports, compared with reviewed golden text dumps.

After an intended change: QINGLI_UPDATE_GOLDEN=1 .venv/bin/pytest tests/flows/test_export_golden.py,
then review the diff of tests/flows/golden/ before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flows.export import write_cleanup_list_docx, write_opinions_docx
from tests.flows.export_fixtures import docx_text, sample_report

GOLDEN = Path(__file__).parent / "golden"
UPDATE_GOLDEN = os.environ.get("QINGLI_UPDATE_GOLDEN") == "1"


def _check(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE_GOLDEN:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    assert text + "\n" == path.read_text(encoding="utf-8")


def test_cleanup_list_text_matches_golden(tmp_path: Path) -> None:
    path = write_cleanup_list_docx(sample_report(), tmp_path / "list.docx", office="上海市司法局")
    _check("export_cleanup_list.txt", docx_text(path))


@pytest.mark.parametrize("index", [0, 3])  # two findings with a superior article; a reviewer override
def test_opinion_text_matches_golden(tmp_path: Path, index: int) -> None:
    path = write_opinions_docx(sample_report(), tmp_path, office="上海市司法局")[index]
    _check(f"export_opinion_{index + 1:03d}.txt", docx_text(path))
