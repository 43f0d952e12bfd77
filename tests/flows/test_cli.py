"""The CLI boundary: help texts, exit codes, one-line errors."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from flows.cli import EXIT_USAGE, app

runner = CliRunner()

COMMANDS = ["db", "corpus", "ingest", "review", "export", "cleanup", "findings", "serve", "demo", "eval"]


def test_cli_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "（" in result.output  # Chinese help with English in parentheses


def test_readme_documents_every_command() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"qingli {command}" in readme


@pytest.mark.parametrize(
    "url",
    [
        "notadb://x/y",
        "postgresql+psycopg://nobody@127.0.0.1:1/none",
        "postgresql://:::bad",
    ],
)
def test_cli_bad_database_url_exits_2_with_one_line(url: str) -> None:
    result = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert result.exit_code == EXIT_USAGE
    assert "Traceback" not in result.output
    assert "错误" in result.output


def test_cli_bad_date_exits_2() -> None:
    result = runner.invoke(app, ["review", "--as-of", "2024-13-45", "--db", "sqlite://"])
    assert result.exit_code == EXIT_USAGE


def test_cli_missing_corpus_folder_exits_2(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["corpus", "import", str(tmp_path / "nowhere"), "--db", "sqlite://"])
    assert result.exit_code == EXIT_USAGE
    assert "语料来源不存在" in result.output


@pytest.mark.parametrize("name", ["nowhere", "../evaluation", ".hidden"])
def test_cli_eval_unknown_set_exits_2(name: str) -> None:
    result = runner.invoke(app, ["eval", "--set", name])
    assert result.exit_code == EXIT_USAGE
    assert "评测集" in result.output


def test_evaluation_folders_of_every_shipped_set() -> None:
    from flows.pipeline import evaluation_folder

    for name in ["training", "heldout", "heldout2", "heldout3", "heldout4"]:
        folder = evaluation_folder(name)
        assert folder is not None and (folder / "labels.csv").is_file()
