"""Runs repository: one row per pipeline run, with parameters, counts and recorded errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import RecordNotFound
from db.models import RunRow, utcnow


class RunStatus(StrEnum):
    RUNNING = "running"
    FINISHED = "finished"
    # Finished, but some documents failed: never reported as clean success.
    FINISHED_WITH_ERRORS = "finished-with-errors"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class RunInfo:
    """A run as stored."""

    id: int
    kind: str
    status: RunStatus
    started_at: datetime
    finished_at: datetime | None
    parameters: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, Any] = field(default_factory=dict)
    errors: tuple[dict[str, Any], ...] = ()


def start_run(
    session: Session,
    kind: str,
    parameters: Mapping[str, Any] | None = None,
    *,
    started_at: datetime | None = None,
) -> int:
    """Record the start of a run (`kind`: import, review, export ...) and return its id."""
    row = RunRow(
        kind=kind,
        parameters=dict(parameters or {}),
        started_at=started_at or utcnow(),
        status=RunStatus.RUNNING.value,
    )
    session.add(row)
    session.flush()
    return row.id


def finish_run(
    session: Session,
    run_id: int,
    *,
    counts: Mapping[str, Any] | None = None,
    errors: Sequence[Mapping[str, Any]] = (),
    status: RunStatus | str | None = None,
    finished_at: datetime | None = None,
) -> RunStatus:
    """Record the end of a run; returns the stored status.

    Without `status`: ``finished-with-errors`` if there are errors, else ``finished``. A run
    with errors is never stored as ``finished`` (it becomes ``finished-with-errors``).
    """
    row = session.get(RunRow, run_id)
    if row is None:
        raise RecordNotFound(what="运行记录", key=run_id)
    final = RunStatus(status) if status is not None else RunStatus.FINISHED
    if errors and final is RunStatus.FINISHED:
        final = RunStatus.FINISHED_WITH_ERRORS
    row.status = final.value
    row.counts = dict(counts or {})
    row.errors = [dict(error) for error in errors]
    row.finished_at = finished_at or utcnow()
    session.flush()
    return final


def load_run(session: Session, run_id: int) -> RunInfo:
    """One run as `RunInfo` (raises `RecordNotFound`)."""
    row = session.get(RunRow, run_id)
    if row is None:
        raise RecordNotFound(what="运行记录", key=run_id)
    return _info(row)


def list_runs(session: Session, *, kind: str | None = None, limit: int = 50) -> list[RunInfo]:
    """The most recent runs first, optionally of one kind."""
    query = select(RunRow).order_by(RunRow.id.desc()).limit(limit)
    if kind is not None:
        query = query.where(RunRow.kind == kind)
    return [_info(row) for row in session.scalars(query)]


def _info(row: RunRow) -> RunInfo:
    return RunInfo(
        id=row.id,
        kind=row.kind,
        status=RunStatus(row.status),
        started_at=row.started_at,
        finished_at=row.finished_at,
        parameters=dict(row.parameters or {}),
        counts=dict(row.counts or {}),
        errors=tuple(row.errors or ()),
    )
