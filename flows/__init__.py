"""Orchestration: Prefect flows and tasks, the `qingli` CLI, exports. Nothing imports `flows`."""
