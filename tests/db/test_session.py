"""open_database: URL resolution, friendly errors, SQLite settings, transactions, concurrent writers."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select, text

from db.errors import BadDatabaseUrl, DatabaseUnavailable, TransientDatabaseError, UnsupportedBackend
from db.models import RunRow
from db.runs import start_run
from db.session import Database, default_url, is_transient, open_database, resolve_url


def test_default_url_uses_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("QINGLI_DATABASE_URL", raising=False)
    monkeypatch.setenv("QINGLI_DATA_DIR", str(tmp_path))
    assert default_url() == f"sqlite:///{tmp_path.resolve() / 'qingli.sqlite'}"


def test_default_url_prefers_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QINGLI_DATABASE_URL", "postgresql://u@db.example/qingli")
    assert default_url() == "postgresql://u@db.example/qingli"


def test_open_database_without_url_creates_sqlite_in_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("QINGLI_DATABASE_URL", raising=False)
    monkeypatch.setenv("QINGLI_DATA_DIR", str(tmp_path / "data"))
    with open_database() as database:
        assert database.backend == "sqlite"
    assert (tmp_path / "data" / "qingli.sqlite").is_file()


@pytest.mark.parametrize("url", ["postgresql://u@h/db", "postgres://u@h/db", "postgresql+psycopg2://u@h/db"])
def test_resolve_url_rewrites_postgres_to_psycopg3(url: str) -> None:
    assert resolve_url(url).drivername == "postgresql+psycopg"


@pytest.mark.parametrize("url", ["nonsense", "postgresql://u@h:port/db", "postgresql://u@h"])
def test_open_database_rejects_malformed_url(url: str) -> None:
    with pytest.raises(BadDatabaseUrl):
        open_database(url)


def test_open_database_rejects_unsupported_backend() -> None:
    with pytest.raises(UnsupportedBackend, match="mysql"):
        open_database("mysql://u@localhost/qingli")


def test_open_database_reports_unreachable_server() -> None:
    # Port 1 on localhost refuses at once; the error must be ours, with a Chinese message.
    with pytest.raises(DatabaseUnavailable, match="无法连接数据库"):
        open_database("postgresql://postgres@127.0.0.1:1/test")


def test_open_database_reports_unwritable_sqlite_location(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(DatabaseUnavailable):
        open_database(f"sqlite:///{blocker / 'sub' / 'qingli.sqlite'}")


def test_bad_url_message_hides_nothing_but_password() -> None:
    with pytest.raises(DatabaseUnavailable) as caught:
        open_database("postgresql://postgres:secret@127.0.0.1:1/test")
    assert "secret" not in str(caught.value)


def test_sqlite_connection_settings(tmp_path: Path) -> None:
    with open_database(f"sqlite:///{tmp_path / 'q.sqlite'}") as database, database.session() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() > 0


def test_session_commits_on_success(database: Database) -> None:
    with database.session() as session:
        start_run(session, "review")
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(RunRow)) == 1


def test_session_rolls_back_on_error(database: Database) -> None:
    with pytest.raises(RuntimeError), database.session() as session:
        start_run(session, "review")
        raise RuntimeError("boom")
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(RunRow)) == 0


def test_concurrent_writers_wait_instead_of_failing(database_url: str) -> None:
    """A second run writing while the first holds a write transaction must wait, not fail."""
    first = open_database(database_url)
    second = open_database(database_url)
    holding = threading.Event()
    release = threading.Event()
    failures: list[BaseException] = []

    def hold_write_lock() -> None:
        try:
            with first.session() as session:
                start_run(session, "import")
                holding.set()
                release.wait(timeout=30)
        except BaseException as exc:  # reported through `failures`
            failures.append(exc)
            holding.set()

    def write_meanwhile() -> None:
        try:
            with second.session() as session:
                start_run(session, "review")
        except BaseException as exc:
            failures.append(exc)

    holder = threading.Thread(target=hold_write_lock)
    holder.start()
    holding.wait(timeout=30)
    writer = threading.Thread(target=write_meanwhile)
    writer.start()
    writer.join(timeout=0.5)  # let it reach the lock, then let the holder finish
    release.set()
    holder.join()
    writer.join()
    try:
        assert failures == []
        with first.session() as session:
            assert session.scalar(select(func.count()).select_from(RunRow)) == 2
    finally:
        first.close()
        second.close()


@pytest.mark.parametrize(
    ("orig", "transient"),
    [
        (sqlite3.OperationalError("database is locked"), True),
        (sqlite3.OperationalError("no such table: documents"), False),
        (sqlite3.IntegrityError("UNIQUE constraint failed"), False),
    ],
    ids=["locked", "missing-table", "integrity"],
)
def test_is_transient_classifies_sqlite_errors(orig: Exception, transient: bool) -> None:
    error_type = (
        sa_exc.OperationalError if isinstance(orig, sqlite3.OperationalError) else sa_exc.IntegrityError
    )
    assert is_transient(error_type("SELECT 1", {}, orig)) is transient


def test_session_turns_lock_timeout_into_transient_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'q.sqlite'}"
    with open_database(url) as database, pytest.raises(TransientDatabaseError), database.session():
        raise sa_exc.OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))


def test_read_session_does_not_wait_for_a_writer(database_url: str) -> None:
    writer_db = open_database(database_url)
    reader_db = open_database(database_url)
    holding = threading.Event()
    release = threading.Event()
    writer_done = threading.Event()

    def hold_write_lock() -> None:
        with writer_db.session() as session:
            start_run(session, "import")
            holding.set()
            release.wait(timeout=10)
        writer_done.set()

    holder = threading.Thread(target=hold_write_lock)
    holder.start()
    try:
        holding.wait(timeout=10)
        with reader_db.read_session() as session:
            seen = session.scalar(select(func.count()).select_from(RunRow))
        read_while_writer_held_lock = not writer_done.is_set()
    finally:
        release.set()
        holder.join()
        writer_db.close()
        reader_db.close()
    assert (seen, read_while_writer_held_lock) == (0, True)


def test_read_session_discards_writes(database: Database) -> None:
    with database.read_session() as session:
        start_run(session, "review")
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(RunRow)) == 0


_WRITER_SCRIPT = """
import sys
from db.corpus import store_law_version
from db.runs import start_run
from db.session import open_database
from tests.db.factories import law, law_version

url, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open_database(url) as database:
    for n in range(count):
        with database.session() as session:  # reads first, then writes: the lock-upgrade case
            store_law_version(session, law(f"{name}法{n}"), law_version(f"{name}法{n}"))
            start_run(session, "ingest", {"writer": name, "n": n})
"""
CONCURRENT_WRITES = 25


@pytest.mark.slow
def test_concurrent_processes_all_commit(database_url: str) -> None:
    """Two runs writing the same database at once both finish, with every row stored."""
    import subprocess
    import sys

    from tests.conftest import PROJECT_ROOT

    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER_SCRIPT, database_url, name, str(CONCURRENT_WRITES)],
            cwd=PROJECT_ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("甲", "乙")
    ]
    outcomes = [(w.wait(timeout=300), w.stderr.read() if w.stderr else "") for w in writers]
    assert outcomes == [(0, ""), (0, "")]
    with open_database(database_url) as database, database.session() as session:
        assert session.scalar(select(func.count()).select_from(RunRow)) == 2 * CONCURRENT_WRITES


def test_open_database_reports_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"this is a Word document, not SQLite" * 100)
    with pytest.raises(DatabaseUnavailable):
        open_database(f"sqlite:///{path}")
