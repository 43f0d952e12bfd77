"""Benchmarks: each `bench_*.py` module here defines `run() -> dict` and is run by `make bench`."""
