"""End to end: the 420 real local regulations against the full national corpus.

Measures, in one process and one run: corpus import; a cold cleanup (ingest + review +
export) on an empty database; an immediate second run (the baseline it is compared to is
the cold run: the figure is the ratio); and the amendment cascade — importing one withheld
newer law version re-reviews exactly the documents that touched that law.
"""

from __future__ import annotations

import resource
import sqlite3
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import flows  # noqa: F401  (Prefect settings first)
from flows.settings import corpus_root
from tests.flows.corpus_subset import build_subset, build_versions

AS_OF = date(2026, 11, 27)
# Cited 54 times across the local regulations and present in two versions (2017, 2023).
CASCADE_LAW = "行政复议法"


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def run() -> dict[str, Any]:
    from prefect.testing.utilities import prefect_test_harness

    from flows.pipeline import export_flow, import_corpus_flow, ingest_flow, review_flow

    root = corpus_root()
    if root is None:
        raise RuntimeError("shared corpus not found (set QINGLI_CORPUS)")
    local = root / "local"
    work = Path(tempfile.mkdtemp(prefix="qingli-bench-"))
    url = f"sqlite:///{work / 'bench.sqlite'}"
    figures: dict[str, Any] = {}
    with prefect_test_harness(server_startup_timeout=180):
        started = time.perf_counter()
        corpus = build_subset(root / "national", work / "national", titles=None, latest_only_for=[CASCADE_LAW])
        imported = import_corpus_flow(str(corpus), db_url=url)
        figures["corpus_import_seconds"] = round(time.perf_counter() - started, 1)
        figures["corpus_versions"] = imported["counts"]["versions_created"]

        def cleanup() -> tuple[float, dict[str, Any], dict[str, Any]]:
            t0 = time.perf_counter()
            ingested = ingest_flow([str(local)], db_url=url)
            reviewed = review_flow(db_url=url, as_of=AS_OF)
            export_flow(out=work / "out", formats=("json", "csv"), db_url=url, as_of=AS_OF)
            return time.perf_counter() - t0, ingested, reviewed

        cold_seconds, ingested, reviewed = cleanup()
        documents = ingested["counts"].get("stored", 0)
        figures["cold_documents"] = documents
        figures["cold_errors"] = len(ingested["errors"]) + len(reviewed["errors"])
        figures["cold_seconds"] = round(cold_seconds, 1)
        figures["cold_docs_per_minute"] = round(60 * documents / cold_seconds, 1)
        figures["cold_findings"] = reviewed["counts"].get("findings", 0)

        warm_seconds, _, rereviewed = cleanup()
        figures["second_run_reviewed"] = rereviewed["counts"].get("reviewed", 0)
        figures["second_run_seconds"] = round(warm_seconds, 1)
        figures["second_over_cold_ratio"] = round(warm_seconds / cold_seconds, 3)

        with sqlite3.connect(work / "bench.sqlite") as connection:
            touching = {
                row[0]
                for row in connection.execute(
                    "SELECT document_id FROM document_laws WHERE law_title LIKE ?", (f"%{CASCADE_LAW}",)
                )
            }
        import_corpus_flow(str(build_versions(root / "national", work / "new", CASCADE_LAW)), db_url=url)
        t0 = time.perf_counter()
        cascade = review_flow(db_url=url, as_of=AS_OF)
        figures["cascade_seconds"] = round(time.perf_counter() - t0, 1)
        with sqlite3.connect(work / "bench.sqlite") as connection:
            rereviewed_ids = {
                row[0]
                for row in connection.execute(
                    "SELECT id FROM documents WHERE review_run_id = ?", (cascade["run_id"],)
                )
            }
        figures["cascade_law"] = CASCADE_LAW
        figures["cascade_documents_touching_law"] = len(touching)
        figures["cascade_documents_rereviewed"] = len(rereviewed_ids)
        figures["cascade_rereviewed_exactly_touching"] = rereviewed_ids == touching
        figures["cascade_changes_listed"] = len(cascade.get("changes", []))
    figures["peak_rss_mb"] = _peak_rss_mb()
    return figures
