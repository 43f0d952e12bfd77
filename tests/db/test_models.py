"""ORM rows: timestamps are aware UTC on every backend; constraints carry conventional names."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError

from db.models import Base
from db.runs import load_run, start_run
from db.session import Database

BEIJING = timezone(timedelta(hours=8))


def test_timestamps_come_back_as_utc(database: Database) -> None:
    started = datetime(2026, 6, 30, 16, 0, tzinfo=BEIJING)
    with database.session() as session:
        run_id = start_run(session, "review", started_at=started)
    with database.session() as session:
        stored = load_run(session, run_id).started_at
    assert (stored, stored.utcoffset()) == (started, timedelta(0))


def test_naive_timestamps_are_refused(database: Database) -> None:
    with pytest.raises(StatementError, match="naive datetime"), database.session() as session:
        start_run(session, "review", started_at=datetime(2026, 6, 30, 8, 0))
        session.flush()


def test_constraint_names_follow_the_convention() -> None:
    names = {c.name for table in Base.metadata.sorted_tables for c in table.constraints}
    assert {"pk_documents", "uq_documents_sha256", "fk_clauses_document_id_documents"} <= names
    assert "ck_review_decisions_one_subject" in names
