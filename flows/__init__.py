"""Orchestration: Prefect flows and tasks, the `qingli` CLI, exports. Nothing imports `flows`."""

from flows.settings import configure_prefect

configure_prefect()
