"""Whole-document outputs of the fixture documents against reviewed golden files.

Regenerate after an intended change with ``QINGLI_UPDATE_GOLDEN=1 .venv/bin/pytest
tests/extractors/test_golden.py`` and review the diff of tests/extractors/golden/ before committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from extractors import extract
from extractors.model import ParsedDocument

DOCUMENTS = Path(__file__).resolve().parent.parent / "fixtures" / "documents"
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("QINGLI_UPDATE_GOLDEN") == "1"

NAMES = [
    "notice_measures.docx",
    "notice_measures.reportlab.pdf",
    "notice_measures.libreoffice.pdf",
    "notice_measures.gbk.txt",
    "outline_opinion.docx",
    "outline_opinion.libreoffice.pdf",
    "autonumber_measures.docx",
]


def _as_json(doc: ParsedDocument) -> dict[str, object]:
    meta = doc.meta
    return {
        "format": str(doc.format),
        "meta": {
            "title": meta.title,
            "wrapper_title": meta.wrapper_title,
            "doc_number": meta.doc_number,
            "issuer": meta.issuer,
            "issued_on": meta.issued_on.isoformat() if meta.issued_on else None,
            "effective_on": meta.effective_on.isoformat() if meta.effective_on else None,
            "valid_until": meta.valid_until.isoformat() if meta.valid_until else None,
            "validity_text": meta.validity_text,
            "doc_type": meta.doc_type,
            "kind": str(meta.kind),
        },
        "pages": [[p.number, p.ocr] for p in doc.pages],
        "clauses": [
            {
                "label": c.label,
                "kind": str(c.kind),
                "number": c.number,
                "parent": c.parent,
                "depth": c.depth,
                "headings": list(c.headings),
                "text": c.text,
            }
            for c in doc.clauses
        ],
    }


@pytest.mark.parametrize("name", NAMES)
def test_extract_matches_golden(name: str) -> None:
    actual = _as_json(extract(DOCUMENTS / name))
    path = GOLDEN / f"{name}.json"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=1) + "\n", "utf-8")
    assert actual == json.loads(path.read_text("utf-8"))
