"""The national corpus loaded once per test session (parsing it takes seconds), shared by the rules tests."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from rules.citations import titled_citations
from rules.corpus import CorpusError, iter_corpus
from rules.model import Citation, Law
from rules.registry import LawIndex

# Every corpus-wide figure is measured on this day, so results do not drift with the calendar.
AS_OF = date(2026, 11, 1)
# Parsed corpus kept between sessions; it is keyed by the corpus files and the parser's code.
CACHE_DIR = Path(__file__).resolve().parents[2] / ".pytest_cache" / "qingli-corpus"


@cache
def national_laws(folder: Path) -> tuple[Law, ...]:
    return tuple(
        item for item in iter_corpus(folder, cache_dir=CACHE_DIR) if not isinstance(item, CorpusError)
    )


@cache
def national_index(folder: Path) -> LawIndex:
    return LawIndex(national_laws(folder))


@dataclass(frozen=True, slots=True)
class LocalFile:
    path: Path
    title: str
    published_on: date | None
    text: str


def local_files(folder: Path) -> Iterator[LocalFile]:
    """Local regulations with their index data (title line, publication date)."""
    for index in sorted(folder.rglob("index.csv")):
        with index.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                path = index.parent / row["path"]
                text = path.read_text(encoding="utf-8")
                title = text.splitlines()[0].lstrip("# ").strip()
                published = date.fromisoformat(row["publish_date"]) if row["publish_date"] else None
                yield LocalFile(path, title, published, text)


def local_citations(folder: Path) -> Iterator[tuple[LocalFile, list[Citation]]]:
    for item in local_files(folder):
        yield item, list(titled_citations(item.text))
