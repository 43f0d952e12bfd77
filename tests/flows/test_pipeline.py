"""The Prefect flows end to end on a small real corpus and the team's sample documents.

One session-scoped pipeline run (import, ingest, review) feeds most tests; the tests that
change the database work on copies of it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.flows.conftest import (
    AS_OF,
    PROJECT,
    SAMPLE_COUNT,
    copy_db,
    findings_of,
    rows,
    sample_files,
)
from tests.flows.corpus_subset import build_amended_version


def test_import_corpus_stores_every_version(pipeline: dict[str, Any]) -> None:
    counts = pipeline["import"]["counts"]
    assert counts["errors"] == 0
    assert counts["versions_unchanged"] == 0
    assert counts["versions_created"] >= 30


def test_ingest_records_bad_files_and_goes_on(pipeline: dict[str, Any]) -> None:
    errors = {Path(e["path"]).name: e for e in pipeline["ingest"]["errors"]}
    assert set(errors) == {"empty.docx", "not-a-zip.docx", "truncated.pdf"}
    assert all(e["message"] and e["code"].startswith("E") for e in errors.values())
    assert pipeline["ingest"]["counts"]["stored"] == SAMPLE_COUNT
    stored = rows(pipeline["url"], "SELECT path, status, error_code FROM documents WHERE status = 'error'")
    assert {Path(p).name for p, _, _ in stored} == set(errors)


def test_review_reviews_every_parsed_document(pipeline: dict[str, Any]) -> None:
    counts = pipeline["review"]["counts"]
    assert counts["reviewed"] == SAMPLE_COUNT
    assert counts.get("failed", 0) == 0
    assert counts["findings"] > SAMPLE_COUNT  # the samples carry planted problems


def test_ingest_again_reads_nothing(pipeline: dict[str, Any]) -> None:
    from flows.pipeline import ingest_flow

    url = copy_db(pipeline, "reingest.sqlite")
    before = rows(url, "SELECT count(*) FROM documents")[0][0]
    again = ingest_flow(sample_files(), db_url=url)
    assert again["counts"]["already_stored"] == SAMPLE_COUNT
    assert rows(url, "SELECT count(*) FROM documents")[0][0] == before


def test_review_again_reviews_nothing(pipeline: dict[str, Any]) -> None:
    from flows.pipeline import review_flow

    url = copy_db(pipeline, "rereview.sqlite")
    before = findings_of(url)
    again = review_flow(db_url=url, as_of=AS_OF)
    assert again["counts"]["to_review"] == 0
    assert findings_of(url) == before


def test_new_law_version_rereviews_only_documents_touching_it(
    pipeline: dict[str, Any], national_corpus: Path, tmp_path: Path
) -> None:
    from flows.pipeline import import_corpus_flow, review_flow
    from tests.flows.corpus_subset import SUBSET_TITLES

    url = copy_db(pipeline, "cascade.sqlite")
    total = rows(url, "SELECT count(*) FROM documents WHERE status = 'reviewed'")[0][0]
    touched: dict[str, set[int]] = {}
    for document_id, title in rows(url, "SELECT document_id, law_title FROM document_laws"):
        touched.setdefault(title, set()).add(document_id)
    # A corpus law that some, but not all, documents touched; amend it and import the new version.
    candidates = [
        (short, docs) for title, docs in touched.items() for short in SUBSET_TITLES
        if 0 < len(docs) < total and title.endswith(short)
    ]
    assert candidates, f"no corpus law is touched by a strict subset of documents: {sorted(touched)}"
    short, _ = min(candidates, key=lambda c: (len(c[1]), c[0]))
    expected = set().union(*(docs for title, docs in touched.items() if title.endswith(short)))
    amended = build_amended_version(national_corpus, tmp_path / "new", short, on="2026-06-01")
    import_corpus_flow(str(amended), db_url=url)
    again = review_flow(db_url=url, as_of=AS_OF)
    reviewed = {r[0] for r in rows(url, f"SELECT id FROM documents WHERE review_run_id = {again['run_id']}")}
    assert reviewed == expected


def test_export_writes_every_format_and_json_matches_schema(pipeline: dict[str, Any], tmp_path: Path) -> None:
    import jsonschema

    from flows.pipeline import export_flow

    written = export_flow(out=tmp_path, db_url=pipeline["url"], as_of=AS_OF)
    assert set(written) >= {"docx", "json", "csv", "xlsx"}
    report = json.loads(Path(written["json"][0]).read_text(encoding="utf-8"))
    schema = json.loads((PROJECT / "flows" / "export" / "schemas" / "report.schema.json").read_text("utf-8"))
    jsonschema.validate(report, schema)
    statuses = [d["status"] for d in report["documents"]]
    assert statuses.count("reviewed") == SAMPLE_COUNT
    assert statuses.count("error") == 3


def test_review_on_dask_matches_default_runner(pipeline: dict[str, Any]) -> None:
    from prefect_dask import DaskTaskRunner

    from flows.pipeline import review_flow

    url = copy_db(pipeline, "dask.sqlite", source="ingested.sqlite")
    runner = DaskTaskRunner(cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True})
    summary = review_flow.with_options(task_runner=runner)(db_url=url, as_of=AS_OF)
    assert summary["counts"]["reviewed"] == SAMPLE_COUNT
    assert findings_of(url) == findings_of(pipeline["url"])


# ----------------------------------------------------------------------------- processes


def _cli_env(api_url: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"PREFECT_API_URL": api_url, "QINGLI_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"})
    return env


@pytest.fixture(scope="session")
def api_url(prefect_harness: None) -> str:
    from prefect.settings import PREFECT_API_URL

    value = PREFECT_API_URL.value()
    assert value, "the Prefect test harness did not expose an API URL"
    return str(value)


def _cleanup_command(url: str, corpus: Path, out: Path, files: list[str]) -> list[str]:
    return [
        sys.executable, "-m", "flows.cli", "cleanup", *files, "--corpus", str(corpus),
        "--db", url, "--as-of", AS_OF.isoformat(), "--out", str(out),
    ]


def _wait_for(predicate: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def _table_count(url: str, table: str) -> int:
    try:
        return int(rows(url, f"SELECT count(*) FROM {table}")[0][0])
    except Exception:  # the schema may not exist yet while the child starts
        return 0


def test_cleanup_resumes_after_sigterm(
    pipeline: dict[str, Any], corpus_folder: Path, api_url: str, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'killed.sqlite'}"
    files = sample_files()
    command = _cleanup_command(url, corpus_folder, tmp_path / "out", files)
    child = subprocess.Popen(command, cwd=PROJECT, env=_cli_env(api_url, tmp_path), start_new_session=True)
    try:
        # Kill it once it has stored some, but not all, documents.
        assert _wait_for(lambda: _table_count(url, "documents") > 0, timeout=600)
        os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=120)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
    resumed = subprocess.run(command, cwd=PROJECT, env=_cli_env(api_url, tmp_path), timeout=900)
    assert resumed.returncode == 0
    assert rows(url, "SELECT count(*), count(DISTINCT sha256) FROM documents")[0] == (len(files), len(files))
    assert findings_of(url) == {f for f in findings_of(pipeline["url"]) if f[0] in _shas(url)}
    duplicates = rows(url, "SELECT count(*) FROM (SELECT document_id FROM recommendations WHERE is_current "
                            "GROUP BY document_id HAVING count(*) > 1) d")
    assert duplicates[0][0] == 0


def _shas(url: str) -> set[str]:
    return {r[0] for r in rows(url, "SELECT sha256 FROM documents")}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shared_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.sqlite'}"
        return
    from tests.conftest import _create_postgres_schema, _drop_postgres_schema

    schema, url = _create_postgres_schema()
    yield url
    _drop_postgres_schema(schema)


def test_concurrent_cleanups_do_not_duplicate(
    pipeline: dict[str, Any], corpus_folder: Path, api_url: str, shared_url: str, tmp_path: Path
) -> None:
    files = sample_files()[:8]
    children = [
        subprocess.Popen(
            _cleanup_command(shared_url, corpus_folder, tmp_path / f"out{i}", files),
            cwd=PROJECT, env=_cli_env(api_url, tmp_path / f"data{i}"),
        )
        for i in range(2)
    ]
    codes = [child.wait(timeout=900) for child in children]
    assert codes == [0, 0]
    assert rows(shared_url, "SELECT count(*), count(DISTINCT sha256) FROM documents")[0] == (8, 8)
    assert rows(shared_url, "SELECT count(*) FROM laws")[0][0] == rows(pipeline["url"], "SELECT count(*) FROM laws")[0][0]
    per_doc = rows(shared_url, "SELECT document_id, count(*) FROM recommendations WHERE is_current GROUP BY document_id")
    assert len(per_doc) == 8 and all(n == 1 for _, n in per_doc)
    expected = {f for f in findings_of(pipeline["url"]) if f[0] in _shas(shared_url)}
    assert findings_of(shared_url) == expected
