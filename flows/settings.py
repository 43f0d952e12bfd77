"""Process-wide settings read from the environment, applied before Prefect is imported.

Prefect reads its settings when it is first imported, so `configure_prefect()` must run
before any `import prefect`; `flows/__init__.py` calls it.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# The ephemeral Prefect server took ~14 s (and up to ~55 s on a loaded 2-core machine) to
# start here, past Prefect's default startup timeout; give it room so runs never fail on it.
EPHEMERAL_STARTUP_TIMEOUT_SECONDS = "180"


def data_dir() -> Path:
    """Where the default SQLite database, caches and Prefect's home live."""
    return Path(os.environ.get("QINGLI_DATA_DIR") or PROJECT_ROOT / "data")


def corpus_root() -> Path | None:
    """The shared superior-law corpus (QINGLI_CORPUS or ../shared/corpus), if present."""
    configured = os.environ.get("QINGLI_CORPUS")
    root = Path(configured) if configured else PROJECT_ROOT.parent / "shared" / "corpus"
    return root if (root / "national").is_dir() else None


def configure_prefect() -> None:
    """Project-local Prefect home, a generous ephemeral-server timeout, no telemetry."""
    defaults = {
        "PREFECT_HOME": str(PROJECT_ROOT / ".prefect"),
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_LOGGING_TO_API_ENABLED": "false",
        # Results stay in memory: documents are stored by our own tasks, not by Prefect.
        "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
