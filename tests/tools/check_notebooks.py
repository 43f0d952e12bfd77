"""Check that notebooks are stored without outputs or execution counts (`make lint`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def unstripped_cells(path: Path) -> list[int]:
    """Indexes of code cells in `path` that carry outputs or an execution count."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [
        index
        for index, cell in enumerate(notebook.get("cells", []))
        if cell.get("cell_type") == "code" and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]


def main(folder: str) -> int:
    bad = {str(p): cells for p in sorted(Path(folder).glob("*.ipynb")) if (cells := unstripped_cells(p))}
    for path, cells in bad.items():
        print(f"{path}: cells with outputs {cells} — store notebooks stripped")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "notebooks"))
