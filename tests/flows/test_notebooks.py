"""The reviewer notebooks run headless against a database the pipeline produced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tests.flows.conftest import PROJECT, copy_db
from tests.tools.check_notebooks import unstripped_cells

NOTEBOOKS = sorted((PROJECT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT_SECONDS = 600


def _with_parameters(path: Path, url: str) -> Any:
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
    cell.source += f"\nDATABASE_URL = {url!r}\n"
    return notebook


def _run(notebook: Any, *, allow_errors: bool = False) -> Any:
    client = NotebookClient(
        notebook, timeout=CELL_TIMEOUT_SECONDS, kernel_name="python3", allow_errors=allow_errors,
        resources={"metadata": {"path": str(PROJECT)}},
    )
    client.execute()
    return notebook


def test_notebooks_exist_and_are_stripped() -> None:
    assert {p.name for p in NOTEBOOKS} == {"review_flagged_clauses.ipynb", "cleanup_overview.ipynb"}
    assert all(not unstripped_cells(p) for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_without_errors(path: Path, pipeline: dict[str, Any]) -> None:
    url = copy_db(pipeline, f"nb-{path.stem}.sqlite")
    try:
        _run(_with_parameters(path, url))
    except CellExecutionError as exc:
        pytest.fail(f"{path.name}: {exc}")


@pytest.mark.parametrize("url", ["postgresql+psycopg://nobody@127.0.0.1:1/none", "empty"])
def test_notebook_first_cell_explains_bad_database(url: str, tmp_path: Path) -> None:
    if url == "empty":
        from db.session import open_database

        url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
        open_database(url).close()
    notebook = _run(_with_parameters(NOTEBOOKS[-1], url), allow_errors=True)
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    errors = [o for o in code_cells[1].outputs if o.output_type == "error"]
    assert errors, "the connect cell should stop with a message"
    shown = "\n".join(errors[0].traceback)
    assert "无法继续" in shown
    assert "Traceback" not in shown and "File \"" not in shown
