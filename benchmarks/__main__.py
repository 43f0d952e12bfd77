"""Run every benchmark module (or those named on the command line) and write their figures as JSON.

Each module `benchmarks/bench_<name>.py` exposes ``run() -> dict``: it measures its subject and a
baseline in the same run and returns figures (ratios against the baseline, not bare timings).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def main(argv: list[str]) -> int:
    wanted = set(argv)
    names = sorted(
        m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_")
    )
    RESULTS.mkdir(exist_ok=True)
    failed = 0
    for name in names:
        short = name.removeprefix("bench_")
        if wanted and short not in wanted and name not in wanted:
            continue
        print(f"== {short}", flush=True)
        started = time.perf_counter()
        try:
            figures = importlib.import_module(f"benchmarks.{name}").run()
        except Exception as exc:  # a broken benchmark is reported, the others still run
            failed += 1
            print(f"   FAILED: {type(exc).__name__}: {exc}", flush=True)
            continue
        figures["wall_seconds"] = round(time.perf_counter() - started, 2)
        (RESULTS / f"{short}.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2), "utf-8")
        for key, value in figures.items():
            print(f"   {key}: {value}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
