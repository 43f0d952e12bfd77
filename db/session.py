"""Engine and sessions: where the database is, how to open it, one transaction per `with`.

SQLite (the default) runs in WAL mode with foreign keys on and a generous busy timeout, and
every transaction starts with ``BEGIN IMMEDIATE`` so that two concurrent runs queue for the
write lock instead of failing with "database is locked" when a reader turns writer.
PostgreSQL goes through psycopg 3 with a short connect timeout.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from db.errors import (
    BadDatabaseUrl,
    DatabaseUnavailable,
    MigrationFailed,
    SchemaOutdated,
    SchemaUnknown,
    TransientDatabaseError,
    UnsupportedBackend,
    first_line,
)

DATABASE_URL_ENV = "QINGLI_DATABASE_URL"
DATA_DIR_ENV = "QINGLI_DATA_DIR"
DEFAULT_DATA_DIR = "data"
DEFAULT_SQLITE_NAME = "qingli.sqlite"

# A failing server should be reported within a few seconds, not after the OS default (~2 min).
CONNECT_TIMEOUT_SECONDS = 3
# How long a SQLite writer waits for another run's write transaction. Our transactions are
# one document or one law version, well under a second; 60 s leaves room for a slow disk.
SQLITE_BUSY_TIMEOUT_SECONDS = 60

_POSTGRES_DRIVERS = {"postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2"}
_SQLITE_DRIVERS = {"sqlite", "sqlite+pysqlite"}


def data_dir() -> Path:
    """The project data directory: ``QINGLI_DATA_DIR`` or ``./data``."""
    return Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)


def default_url() -> str:
    """The database URL used when none is given: env ``QINGLI_DATABASE_URL`` or the SQLite file."""
    configured = os.environ.get(DATABASE_URL_ENV)
    if configured:
        return configured
    return f"sqlite:///{(data_dir() / DEFAULT_SQLITE_NAME).resolve()}"


def resolve_url(url: str | None = None) -> URL:
    """Parse and normalise a database URL (``postgresql://`` becomes ``postgresql+psycopg://``)."""
    raw = url if url is not None else default_url()
    try:
        parsed = make_url(raw)
    except (sa_exc.ArgumentError, ValueError) as exc:
        raise BadDatabaseUrl(url=raw, detail=str(exc)) from exc
    driver = parsed.drivername
    if driver in _POSTGRES_DRIVERS:
        parsed = parsed.set(drivername="postgresql+psycopg")
        if not parsed.database:
            raise BadDatabaseUrl(url=raw, detail="缺少数据库名")
    elif driver in _SQLITE_DRIVERS:
        parsed = parsed.set(drivername="sqlite+pysqlite")
    else:
        raise UnsupportedBackend(url=raw, backend=driver)
    try:
        parsed.port  # noqa: B018 — URL parses ports lazily; a bad one must fail here
    except ValueError as exc:
        raise BadDatabaseUrl(url=raw, detail=str(exc)) from exc
    return parsed


def _is_memory(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def _set_sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (SAVEPOINTs need it).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


# Execution option that marks a connection as read-only (see `Database.read_session`).
_READ_ONLY = "qingli_read_only"


def _begin(connection: Connection) -> None:
    # Writers take the write lock up front (no "database is locked" on upgrade to writer);
    # readers begin deferred, so in WAL mode they never wait for or block a writer.
    read_only = connection.get_execution_options().get(_READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_engine(url: str | URL | None = None) -> Engine:
    """A configured engine for `url` (see module docstring); does not connect yet."""
    resolved = url if isinstance(url, URL) else resolve_url(url)
    if resolved.get_backend_name() == "sqlite":
        if _is_memory(resolved):
            engine = create_engine(resolved, poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            path = Path(resolved.database or "")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnavailable(url=str(resolved), detail=str(exc)) from exc
            engine = create_engine(
                resolved,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
        event.listen(engine, "connect", _set_sqlite_pragmas)
        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(
        resolved,
        pool_pre_ping=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS},
    )


class Database:
    """An opened database: the engine plus a session factory; close it when done."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._readers = sessionmaker(engine.execution_options(**{_READ_ONLY: True}), expire_on_commit=False)

    @property
    def url(self) -> str:
        """The URL with any password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: commit when the block ends, roll back if it raises."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except sa_exc.DBAPIError as exc:
            session.rollback()
            if is_transient(exc):
                raise TransientDatabaseError(url=self.url, detail=first_line(exc.orig or exc)) from exc
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A transaction for reading only (bulk loads, notebooks): never takes SQLite's write lock.

        It is always rolled back; anything written in it is discarded.
        """
        session = self._readers()
        try:
            yield session
        except sa_exc.DBAPIError as exc:
            if is_transient(exc):
                raise TransientDatabaseError(url=self.url, detail=first_line(exc.orig or exc)) from exc
            raise
        finally:
            session.rollback()
            session.close()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Database({self.url!r})"


def open_database(url: str | None = None, *, upgrade: bool = True) -> Database:
    """Open the qingli database at `url`, creating or upgrading its schema to head unless `upgrade` is False.

    With ``upgrade=False`` an empty database stays empty and an older schema raises
    `SchemaOutdated`; a schema this code does not know always raises `SchemaUnknown`.
    """
    from db import migrations

    engine = make_engine(url)
    shown = engine.url.render_as_string(hide_password=True)
    try:
        with migrations.migration_connection(engine) as connection:
            current = migrations.current_revision(connection)
            head = migrations.head_revision()
            if current is None and _has_qingli_tables(connection):
                raise SchemaUnknown(url=shown, current="无")
            if current is not None and current != head and not migrations.is_known_revision(current):
                raise SchemaUnknown(url=shown, current=current)
            if current != head:
                if upgrade:
                    migrations.upgrade_connection(connection, "head")
                elif current is not None:
                    raise SchemaOutdated(url=shown, current=current, head=head)
    except sa_exc.SQLAlchemyError as exc:  # connecting failed earlier, as DatabaseUnavailable
        engine.dispose()
        raise MigrationFailed(url=shown, detail=first_line(exc)) from exc
    except BaseException:
        engine.dispose()
        raise
    return Database(engine)


# SQLite reports a lock it waited for in vain as OperationalError("database is locked"); other
# OperationalErrors there ("no such table") are bugs, not weather.
_SQLITE_TRANSIENT_MARKERS = ("locked", "busy")


def is_transient(exc: sa_exc.DBAPIError) -> bool:
    """Whether retrying the transaction may succeed (locks, dropped connections, deadlocks)."""
    if exc.connection_invalidated:
        return True
    if not isinstance(exc, sa_exc.OperationalError):
        return False
    if type(exc.orig).__module__.startswith("sqlite3"):
        return any(marker in str(exc.orig).lower() for marker in _SQLITE_TRANSIENT_MARKERS)
    return True  # psycopg OperationalError: connection lost, serialization failure, deadlock


def _has_qingli_tables(connection: Connection) -> bool:
    from db.models import Base

    existing = set(inspect(connection).get_table_names())
    return bool(existing & set(Base.metadata.tables))
