"""Flow tests run against one temporary Prefect server for the whole session."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import flows  # noqa: F401  (Prefect settings before prefect is imported)
from tests.flows.corpus_subset import build_subset


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    # The temporary server needs the same generous start-up allowance as the CLI.
    with prefect_test_harness(server_startup_timeout=180):
        yield


PROJECT = Path(__file__).resolve().parents[2]
SAMPLES = PROJECT / "evaluation" / "documents"
BAD_FIXTURES = PROJECT / "tests" / "fixtures" / "documents"
AS_OF = date(2026, 11, 27)

# Newest versions kept out of the first import, so a test can import one and watch the cascade.
WITHHELD = ("立法法", "反垄断法", "矿产资源法", "行政复议法", "道路运输条例", "农产品质量安全法", "职业教育法")
SAMPLE_COUNT = 14  # enough documents to touch several laws, few enough to keep the suite quick


def sample_files() -> list[str]:
    return [str(p) for p in sorted(SAMPLES.glob("*.docx"))[:SAMPLE_COUNT]]


def _bad_files(folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.docx").write_bytes(b"")
    (folder / "not-a-zip.docx").write_bytes("这不是一个 Word 文件".encode())
    (folder / "truncated.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\n")
    return [str(p) for p in sorted(folder.iterdir())]


@pytest.fixture(scope="session")
def corpus_folder(national_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_subset(national_corpus, tmp_path_factory.mktemp("corpus"), latest_only_for=WITHHELD)


@pytest.fixture(scope="session")
def pipeline(corpus_folder: Path, prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Import the small corpus, ingest samples plus bad files, review: the summaries and the DB file."""
    from flows.pipeline import import_corpus_flow, ingest_flow, review_flow

    root = tmp_path_factory.mktemp("pipeline")
    url = f"sqlite:///{root / 'qingli.sqlite'}"
    files = sample_files() + _bad_files(root / "bad")
    imported = import_corpus_flow(str(corpus_folder), db_url=url)
    ingested = ingest_flow(files, db_url=url)
    _backup(root / "qingli.sqlite", root / "ingested.sqlite")  # for the Dask comparison
    reviewed = review_flow(db_url=url, as_of=AS_OF)
    return {"url": url, "root": root, "files": files, "import": imported, "ingest": ingested, "review": reviewed}


def _backup(source: Path, target: Path) -> None:
    """Copy a live SQLite database (WAL included) with SQLite's own backup API."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def copy_db(pipeline: dict[str, Any], name: str, source: str = "qingli.sqlite") -> str:
    """A private copy of the pipeline's database for a test that changes it."""
    target = pipeline["root"] / name
    _backup(pipeline["root"] / source, target)
    return f"sqlite:///{target}"


def rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    from sqlalchemy import text

    from db.session import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(sql))]
    finally:
        engine.dispose()


def findings_of(url: str) -> set[tuple[Any, ...]]:
    return set(
        rows(
            url,
            "SELECT d.sha256, f.rule, f.clause_label, f.evidence, f.span_start FROM findings f "
            "JOIN documents d ON d.id = f.document_id WHERE f.is_current",
        )
    )
