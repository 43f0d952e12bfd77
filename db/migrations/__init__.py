"""Schema migrations (Alembic), shipped inside the package: upgrade, downgrade, check.

The scripts live next to this file (``env.py``, ``versions/``); no ``alembic.ini`` is needed.
Every command runs on one connection inside one transaction, so a failed migration leaves
the database as it was (SQLite and PostgreSQL both have transactional DDL).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from db.errors import DatabaseError, DatabaseUnavailable, MigrationFailed, first_line

SCRIPT_LOCATION = "db:migrations"
# Arbitrary constant: PostgreSQL advisory-lock key that serialises concurrent migrations.
_PG_MIGRATION_LOCK_KEY = 7_105_116_108_105


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    """The newest migration revision this code knows."""
    head = _scripts().get_current_head()
    assert head is not None, "db/migrations/versions is empty"
    return head


def is_known_revision(revision: str) -> bool:
    try:
        return _scripts().get_revision(revision) is not None
    except Exception:  # alembic raises several types for unknown ids; all mean "not ours"
        return False


def current_revision(connection: Connection) -> str | None:
    """The revision stamped in the database, or None for an empty database."""
    return MigrationContext.configure(connection).get_current_revision()


def lock(connection: Connection) -> None:
    """Serialise schema checks and migrations between concurrent processes (PostgreSQL).

    On SQLite the ``BEGIN IMMEDIATE`` of the enclosing transaction already does this.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK_KEY})


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in one locked transaction, fit for migrations.

    SQLite: foreign keys are switched off for the transaction, because batch migrations
    recreate tables and a DROP TABLE with foreign keys on would cascade-delete child rows;
    integrity is verified with ``PRAGMA foreign_key_check`` before commit.
    """
    shown = engine.url.render_as_string(hide_password=True)
    try:
        connection = engine.connect()
    except sa_exc.DBAPIError as exc:
        raise DatabaseUnavailable(url=shown, detail=first_line(exc.orig or exc)) from exc
    with connection:
        raw = connection.connection.dbapi_connection if connection.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys = OFF")  # outside any transaction, or it is ignored
        try:
            with connection.begin():
                lock(connection)
                before = current_revision(connection)
                yield connection
                if raw is not None and current_revision(connection) != before:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise MigrationFailed(url=shown, detail=f"外键检查失败：{broken[:5]}")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")


def upgrade_connection(connection: Connection, revision: str = "head") -> None:
    """Upgrade inside the caller's transaction on `connection`."""
    command.upgrade(_config(connection), revision)


def downgrade_connection(connection: Connection, revision: str) -> None:
    command.downgrade(_config(connection), revision)


def upgrade(url: str | None = None, revision: str = "head") -> str | None:
    """Upgrade the database at `url` to `revision` (default head); returns the new revision."""
    return _run(url, lambda connection: upgrade_connection(connection, revision))


def downgrade(url: str | None = None, revision: str = "-1") -> str | None:
    """Downgrade the database at `url` to `revision` (default one step; ``base`` drops everything)."""
    return _run(url, lambda connection: downgrade_connection(connection, revision))


def current(url: str | None = None) -> str | None:
    """The revision the database at `url` is at (None when empty)."""
    return _run(url, lambda connection: None)


def schema_differences(connection: Connection) -> list[Any]:
    """Differences between the live schema and the ORM models (empty when they agree)."""
    from db.models import Base

    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def _run(url: str | None, action: Any) -> str | None:
    from db.session import make_engine

    engine = make_engine(url)
    shown = engine.url.render_as_string(hide_password=True)
    try:
        with migration_connection(engine) as connection:
            action(connection)
            return current_revision(connection)
    except DatabaseError:
        raise
    except sa_exc.SQLAlchemyError as exc:
        raise MigrationFailed(url=shown, detail=first_line(exc)) from exc
    finally:
        engine.dispose()
