"""Storage error catalogue: unique codes, Chinese messages, the tree the CLI relies on."""

from __future__ import annotations

import pytest

from db.errors import (
    BadDatabaseUrl,
    DatabaseError,
    DatabaseUnavailable,
    E,
    InvalidDecision,
    RecordNotFound,
    TransientDatabaseError,
    UnsupportedBackend,
    first_line,
)


def test_error_codes_are_unique() -> None:
    codes = [member.code for member in E]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("member", list(E), ids=lambda m: m.name)
def test_error_messages_are_chinese(member: E) -> None:
    assert any("\u4e00" <= ch <= "\u9fff" for ch in member.value[1])


@pytest.mark.parametrize(
    ("error", "parent"),
    [
        (UnsupportedBackend, BadDatabaseUrl),
        (TransientDatabaseError, DatabaseUnavailable),
        (InvalidDecision, ValueError),
        (RecordNotFound, LookupError),
        (BadDatabaseUrl, DatabaseError),
    ],
)
def test_error_tree(error: type[Exception], parent: type[Exception]) -> None:
    assert issubclass(error, parent)


def test_error_carries_code_and_message() -> None:
    error = RecordNotFound(what="文档", key=7)
    assert (error.code, str(error)) == ("D007", "找不到文档：7")


def test_first_line_of_multiline_driver_message() -> None:
    assert first_line(RuntimeError("connection refused\nIs the server running?")) == "connection refused"
