"""Runs repository: start, finish, status never clean when errors were recorded."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from db.errors import RecordNotFound
from db.runs import RunStatus, finish_run, list_runs, load_run, start_run
from db.session import Database

STARTED = datetime(2026, 6, 30, 8, 0, tzinfo=UTC)
FINISHED = datetime(2026, 6, 30, 8, 5, tzinfo=UTC)


def test_start_run_records_parameters(database: Database) -> None:
    with database.session() as session:
        run_id = start_run(session, "review", {"pipeline": "1.0", "paths": ["/docs"]}, started_at=STARTED)
        run = load_run(session, run_id)
    assert (run.kind, run.status, run.started_at, run.parameters) == (
        "review",
        RunStatus.RUNNING,
        STARTED,
        {"pipeline": "1.0", "paths": ["/docs"]},
    )


def test_finish_run_without_errors_is_finished(database: Database) -> None:
    with database.session() as session:
        run_id = start_run(session, "review")
        status = finish_run(session, run_id, counts={"documents": 3}, finished_at=FINISHED)
        run = load_run(session, run_id)
    assert (status, run.status, run.counts, run.finished_at) == (
        RunStatus.FINISHED,
        RunStatus.FINISHED,
        {"documents": 3},
        FINISHED,
    )


def test_finish_run_with_errors_is_never_clean(database: Database) -> None:
    errors = [{"path": "/docs/坏.pdf", "stage": "extract", "code": "E003", "message": "文件已损坏"}]
    with database.session() as session:
        run_id = start_run(session, "review")
        status = finish_run(session, run_id, errors=errors, status="finished")
        run = load_run(session, run_id)
    assert (status, run.errors) == (RunStatus.FINISHED_WITH_ERRORS, tuple(errors))


def test_finish_run_keeps_explicit_failure(database: Database) -> None:
    with database.session() as session:
        run_id = start_run(session, "review")
        assert finish_run(session, run_id, status=RunStatus.FAILED) is RunStatus.FAILED


def test_finish_unknown_run_raises(database: Database) -> None:
    with database.session() as session, pytest.raises(RecordNotFound):
        finish_run(session, 404)


def test_list_runs_newest_first(database: Database) -> None:
    with database.session() as session:
        first = start_run(session, "import")
        second = start_run(session, "review")
        assert [r.id for r in list_runs(session)] == [second, first]
        assert [r.id for r in list_runs(session, kind="import")] == [first]
