"""Migrations: empty → head → base on both backends, and no drift between models and migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from db import migrations
from db.corpus import load_laws
from db.errors import SchemaOutdated, SchemaUnknown
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


def test_upgrade_keeps_rows_that_reference_rebuilt_tables(empty_database_url: str) -> None:
    """0002 rebuilds `runs` on SQLite; rows pointing at it must survive (no cascading SET NULL)."""
    migrations.upgrade(empty_database_url, "0001")
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO runs (id, kind, parameters, started_at, status, counts, errors) "
                    "VALUES (7, 'ingest', '{}', '2026-01-01 00:00:00', 'running', '{}', '[]')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO documents (id, path, status, is_current, kind, history, pages, issues, "
                    "error_run_id, created_at, updated_at) VALUES (1, '/a.pdf', 'error', true, '未知', '[]', "
                    "'[]', '[]', 7, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                )
            )
        migrations.upgrade(empty_database_url)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT error_run_id FROM documents")).scalar() == 7
    finally:
        engine.dispose()


def test_open_database_upgrades_older_schema(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url, "0001")
    open_database(empty_database_url).close()
    assert migrations.current(empty_database_url) == migrations.head_revision()


def test_open_database_without_upgrade_refuses_older_schema(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url, "0001")
    with pytest.raises(SchemaOutdated, match="qingli db upgrade"):
        open_database(empty_database_url, upgrade=False)


def test_open_database_refuses_unknown_revision(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = 'ffffffff'"))
    finally:
        engine.dispose()
    with pytest.raises(SchemaUnknown):
        open_database(empty_database_url)


def test_open_database_refuses_tables_without_revision(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE alembic_version"))
    finally:
        engine.dispose()
    with pytest.raises(SchemaUnknown):
        open_database(empty_database_url)


def test_sqlite_migrations_run_with_foreign_keys_off(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'q.sqlite'}")
    try:
        with migrations.migration_connection(engine) as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_upgrade_converts_article_parts_to_text(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url, "0002")
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO laws (id, title, short_titles, level, info_hash, created_at, updated_at) "
                    "VALUES (1, '中华人民共和国行政处罚法', '[]', '法律', 'h', '2026-01-01', '2026-01-01')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO law_versions (id, law_id, version_key, title, level, expired, source, "
                    "content_hash, article_count, created_at, updated_at) VALUES (1, 1, 'v', "
                    "'中华人民共和国行政处罚法', '法律', false, 's', 'c', 1, '2026-01-01', '2026-01-01')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO law_articles (version_id, position, number, label, text, headings, paragraphs) "
                    "VALUES (1, 0, 16, '第十六条', '第十六条 正文', :h, :p)"
                ),
                {"h": '["第二章 行政处罚的种类和设定"]', "p": '["第一款", "第二款"]'},
            )
        migrations.upgrade(empty_database_url)
    finally:
        engine.dispose()
    with open_database(empty_database_url) as database, database.session() as session:
        (article,) = load_laws(session)[0].versions[0].articles
    assert (article.headings, article.paragraphs) == (("第二章 行政处罚的种类和设定",), ("第一款", "第二款"))
