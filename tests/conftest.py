"""Shared fixtures: where the shared corpus is, and how tests that need it behave.

The corpus is read from ``QINGLI_CORPUS`` or ``../shared/corpus``. Locally a missing corpus
skips the tests that need it; in CI (``CI=true``) it is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

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
