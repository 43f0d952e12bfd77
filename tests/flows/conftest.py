"""Flow tests run against one temporary Prefect server for the whole session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import flows  # noqa: F401  (Prefect settings before prefect is imported)


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    # The temporary server needs the same generous start-up allowance as the CLI.
    with prefect_test_harness(server_startup_timeout=180):
        yield
