"""Storage errors: one catalogue of codes and Chinese messages, one small exception tree.

SQLAlchemy and driver exceptions are wrapped where they enter (`open_database`, the
repositories); the CLI turns `DatabaseError` into a one-line message, never a traceback.
"""

from __future__ import annotations

from enum import Enum


class E(Enum):
    """Error catalogue. Value: (code, Chinese message template)."""

    BAD_URL = ("D001", "数据库地址无效：{url}（{detail}）")
    UNSUPPORTED_BACKEND = ("D002", "不支持的数据库类型“{backend}”，请使用 sqlite:/// 或 postgresql://：{url}")
    UNAVAILABLE = ("D003", "无法连接数据库：{url}（{detail}）")
    SCHEMA_OUTDATED = (
        "D004",
        "数据库结构版本过旧（当前 {current}，需要 {head}），请先运行 qingli db upgrade：{url}",
    )
    SCHEMA_UNKNOWN = ("D005", "数据库结构版本 {current} 无法识别（可能由更新版本的 qingli 创建）：{url}")
    MIGRATION_FAILED = ("D006", "数据库迁移失败：{url}（{detail}）")
    NOT_FOUND = ("D007", "找不到{what}：{key}")
    INVALID_DECISION = ("D008", "审核意见无效：{detail}")
    APPEND_ONLY = ("D009", "审核意见只能追加，不能修改或删除（意见编号 {key}）")
    TRANSIENT = ("D010", "数据库暂时不可用（锁定或连接中断），可重试：{url}（{detail}）")

    @property
    def code(self) -> str:
        return self.value[0]

    def format(self, **kwargs: object) -> str:
        return self.value[1].format(**kwargs)


def first_line(exc: BaseException) -> str:
    """The first line of an exception's text (driver messages run to many lines), or its type."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class DatabaseError(Exception):
    """Base of every error the storage layer raises on purpose."""

    error: E = E.UNAVAILABLE

    def __init__(self, **details: object) -> None:
        self.details = details
        self.message = self.error.format(**details)
        super().__init__(self.message)

    @property
    def code(self) -> str:
        return self.error.code


class BadDatabaseUrl(DatabaseError):
    """The URL cannot be parsed or names a backend we do not support."""

    error = E.BAD_URL


class UnsupportedBackend(BadDatabaseUrl):
    error = E.UNSUPPORTED_BACKEND


class DatabaseUnavailable(DatabaseError):
    """The server (or SQLite file) cannot be reached or opened."""

    error = E.UNAVAILABLE


class TransientDatabaseError(DatabaseUnavailable):
    """A fault that may pass on retry: a locked SQLite file, a dropped connection, a deadlock."""

    error = E.TRANSIENT


class SchemaOutdated(DatabaseError):
    """The database was made by an older qingli; `qingli db upgrade` fixes it."""

    error = E.SCHEMA_OUTDATED


class SchemaUnknown(DatabaseError):
    """The database carries a migration revision this code does not know."""

    error = E.SCHEMA_UNKNOWN


class MigrationFailed(DatabaseError):
    error = E.MIGRATION_FAILED


class RecordNotFound(DatabaseError, LookupError):
    """A document, run, finding or recommendation id that does not exist."""

    error = E.NOT_FOUND


class InvalidDecision(DatabaseError, ValueError):
    """A reviewer decision that lacks a reviewer or comment, or names no subject."""

    error = E.INVALID_DECISION


class AppendOnlyViolation(DatabaseError):
    """Something tried to change or delete a stored reviewer decision."""

    error = E.APPEND_ONLY
