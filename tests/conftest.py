"""Shared fixtures: where the shared corpus is, and how tests that need it behave.

The corpus is read from ``QINGLI_CORPUS`` or ``../shared/corpus``. Locally a missing corpus
skips the tests that need it; in CI (``CI=true``) it is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _corpus_root() -> Path:
    configured = os.environ.get("QINGLI_CORPUS")
    return Path(configured) if configured else PROJECT_ROOT.parent / "shared" / "corpus"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def corpus_root() -> Path:
    """The shared corpus folder (national/ and local/)."""
    root = _corpus_root()
    if not (root / "national" / "index.csv").is_file():
        message = f"shared corpus not found at {root} (set QINGLI_CORPUS)"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return root


@pytest.fixture(scope="session")
def national_corpus(corpus_root: Path) -> Path:
    return corpus_root / "national"


@pytest.fixture(scope="session")
def local_corpus(corpus_root: Path) -> Path:
    return corpus_root / "local"


# ---------------------------------------------------------------- databases (db/ tests)
#
# `database_url` is parametrised: `sqlite` (a fresh file per test) and `postgres` (one schema
# per test session on the server at 127.0.0.1:5432, emptied before each test, dropped at the
# end). Postgres tests carry the `postgres` marker; an unreachable server skips them locally
# and fails them in CI.

POSTGRES_TEST_URL_ENV = "QINGLI_TEST_POSTGRES_URL"
DEFAULT_POSTGRES_TEST_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_admin_url() -> str:
    return os.environ.get(POSTGRES_TEST_URL_ENV, DEFAULT_POSTGRES_TEST_URL)


def _schema_url(base: str, schema: str) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(base).set(drivername="postgresql+psycopg")
    url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def _create_postgres_schema() -> tuple[str, str]:
    """Create a uniquely named schema; returns (schema, url whose search_path is that schema)."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    schema = f"qingli_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    engine = create_engine(
        _schema_url(_postgres_admin_url(), "public"), connect_args={"connect_timeout": 3}
    )
    try:
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        message = f"PostgreSQL not reachable at {_postgres_admin_url()} ({exc.orig})"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    finally:
        engine.dispose()
    return schema, _schema_url(_postgres_admin_url(), schema)


def _drop_postgres_schema(schema: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(_schema_url(_postgres_admin_url(), "public"))
    try:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def postgres_session_url():  # type: ignore[no-untyped-def]
    """A migrated schema shared by this test session; dropped when the session ends."""
    from db.session import open_database

    schema, url = _create_postgres_schema()
    open_database(url).close()
    yield url
    _drop_postgres_schema(schema)


def _empty_postgres_tables(url: str) -> None:
    from sqlalchemy import text

    from db.models import Base
    from db.session import make_engine

    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


_BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, made once per session and copied for each test (migrating is slow)."""
    from db.session import open_database

    path = tmp_path_factory.mktemp("sqlite-template") / "qingli.sqlite"
    open_database(f"sqlite:///{path}").close()  # closing the last connection folds the WAL back in
    return path


@pytest.fixture(params=_BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty, migrated database: a fresh SQLite file, or the emptied session schema."""
    if request.param == "sqlite":
        import shutil

        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "qingli.sqlite"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    url = str(request.getfixturevalue("postgres_session_url"))
    _empty_postgres_tables(url)
    return url


@pytest.fixture
def database(database_url: str):  # type: ignore[no-untyped-def]
    """An opened `db.Database` on `database_url`, closed after the test."""
    from db.session import open_database

    opened = open_database(database_url)
    yield opened
    opened.close()


@pytest.fixture(params=_BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """URL of a database with no tables at all (a SQLite path, or a new schema of its own)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    schema, url = _create_postgres_schema()
    yield url
    _drop_postgres_schema(schema)


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say up front which real services and data the run uses."""
    return [f"qingli: corpus {_corpus_root()}, postgres {_postgres_admin_url()}, CI={_in_ci()}"]


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Show how many tests really ran against PostgreSQL (they must not silently skip)."""
    passed = terminalreporter.stats.get("passed", [])
    on_postgres = [r for r in passed if "postgres" in r.keywords]
    terminalreporter.write_line(f"qingli: {len(on_postgres)} tests passed against PostgreSQL")
