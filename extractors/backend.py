"""What every format backend returns: the text of each page, before normalisation and parsing.

A backend reads one format (`pdf`, `docx`, `text`) and nothing else; the dispatcher
(`extractors.reader.extract`) joins the pages, normalises, splits clauses and reads metadata.
Pages without a text layer come back with ``has_text=False`` so the dispatcher can ask OCR.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from extractors.model import ExtractionIssue, SourceFormat


@dataclass(frozen=True, slots=True)
class PageText:
    """Text of one page (docx and plain text are one page), one paragraph a line."""

    number: int  # 1-based
    text: str
    has_text: bool = True  # False: no text layer, a candidate for OCR
    # The last paragraph runs on into the next page (a line wrapped at a page break).
    continues: bool = False


@dataclass(frozen=True, slots=True)
class RawDocument:
    format: SourceFormat
    pages: tuple[PageText, ...]
    issues: tuple[ExtractionIssue, ...] = ()


class Backend(Protocol):
    """One input format: ``read`` raises `ExtractionError` subclasses for bad input, nothing else."""

    format: SourceFormat

    def read(self, path: Path) -> RawDocument: ...


def join_pages(pages: tuple[PageText, ...]) -> tuple[str, list[tuple[int, int, int]]]:
    """Join page texts into one text; also (page number, start, end) of each page in it."""
    pieces: list[str] = []
    spans: list[tuple[int, int, int]] = []
    pos = 0
    previous: PageText | None = None
    for page in pages:
        text = page.text.strip("\n")
        if previous is not None and pieces:
            separator = "" if previous.continues else "\n"
            pieces.append(separator)
            pos += len(separator)
        pieces.append(text)
        spans.append((page.number, pos, pos + len(text)))
        pos += len(text)
        previous = page
    return "".join(pieces), spans
