"""Migrations: empty → head → base on both backends, and no drift between models and migrations."""

from __future__ import annotations

from sqlalchemy import inspect

from db import migrations
from db.models import Base
from db.session import make_engine, open_database


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_creates_every_table(empty_database_url: str) -> None:
    assert migrations.upgrade(empty_database_url) == migrations.head_revision()
    assert set(Base.metadata.tables) <= _tables(empty_database_url)


def test_downgrade_to_base_drops_every_table(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url)
    assert migrations.downgrade(empty_database_url, "base") is None
    assert not set(Base.metadata.tables) & _tables(empty_database_url)


def test_migrations_match_models(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as connection:
            assert migrations.schema_differences(connection) == []
    finally:
        engine.dispose()


def test_open_database_upgrades_empty_database(empty_database_url: str) -> None:
    open_database(empty_database_url).close()
    assert migrations.current(empty_database_url) == migrations.head_revision()


def test_open_database_without_upgrade_leaves_database_empty(empty_database_url: str) -> None:
    open_database(empty_database_url, upgrade=False).close()
    assert migrations.current(empty_database_url) is None
