"""Storage: the only package that knows SQL (models, sessions, repositories, migrations).

Open a database with `open_database`, then pass `Database.session()` sessions to the
repository functions re-exported here; they take and return our own types
(`extractors.model`, `rules.model`), never rows.
"""

from db.errors import (
    BadDatabaseUrl,
    DatabaseError,
    DatabaseUnavailable,
    InvalidDecision,
    RecordNotFound,
    SchemaOutdated,
    SchemaUnknown,
)
from db.session import Database, open_database

__all__ = [
    "BadDatabaseUrl",
    "Database",
    "DatabaseError",
    "DatabaseUnavailable",
    "InvalidDecision",
    "RecordNotFound",
    "SchemaOutdated",
    "SchemaUnknown",
    "open_database",
]
