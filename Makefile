# Mastery: `make demo` runs the demo school, `make test` runs every check and test.
# Both set up .venv first; nothing else needs installing by hand (see README.md).

.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Find a Python >= 3.12: an explicit PYTHON, then python3.13/3.12 on PATH, then pyenv's versions.
PYTHON ?= $(shell for candidate in python3.14 python3.13 python3.12 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3; do \
	  path=$$(command -v $$candidate 2>/dev/null) || continue; \
	  $$path -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$path; break; }; \
	done)

.PHONY: help setup demo serve test test-sqlite test-postgres check format bench clean

help:
	@echo "make demo   set up, load the demo school and serve http://127.0.0.1:$(PORT)"
	@echo "make test   set up, then run every check and test (SQLite, and PostgreSQL when DATABASE_URL says so)"
	@echo "make setup  create .venv with everything Mastery needs"
	@echo "make check  formatting, lint, types, import layering, migrations"
	@echo "make bench  run the benchmarks in bench/"

$(BIN)/mastery: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Mastery needs Python >= 3.12: install one, or run 'make PYTHON=/path/to/python3.12 setup'"; exit 1; }
	@echo "Creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(BIN)/mastery

setup: $(BIN)/mastery

# The demo school runs in demo mode (fixed public key, password "demo") in ./mastery.sqlite3,
# unless DATABASE_URL says otherwise. Loading it again changes nothing; `mastery demo --reset` reloads.
demo: export MASTERY_MODE = demo
demo: setup
	$(BIN)/mastery migrate --no-input
	$(BIN)/mastery demo
	PORT=$(PORT) $(BIN)/mastery serve

serve: setup
	PORT=$(PORT) $(BIN)/mastery serve

# The checks read the settings (mypy's Django plugin, makemigrations) in test mode: no secrets needed.
check: export MASTERY_MODE = test
check: setup
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/mastery makemigrations --check --dry-run
	$(BIN)/mastery check

# The suite runs on SQLite always, and again on PostgreSQL when DATABASE_URL points at one.
test: check test-sqlite test-postgres

# pytest exits 5 when it collects nothing: that is a broken selection, never a pass, so it fails
# the run with a message saying so.
test-sqlite: setup
	MASTERY_MODE=test DATABASE_URL=sqlite:///$(CURDIR)/.test.sqlite3 $(BIN)/pytest $(PYTEST_ARGS) \
	  || { status=$$?; [ $$status -eq 5 ] && echo "pytest collected no tests: check the selection"; exit $$status; }

test-postgres: setup
	@if [[ "$$DATABASE_URL" == postgres* ]]; then \
	  echo "Running the suite again on PostgreSQL"; \
	  MASTERY_MODE=test $(BIN)/pytest -m "not browser" $(PYTEST_ARGS) \
	    || { status=$$?; [ $$status -eq 5 ] && echo "pytest collected no tests: check the selection"; exit $$status; }; \
	else \
	  echo "DATABASE_URL is not PostgreSQL: skipping the PostgreSQL run (CI sets it)"; \
	fi

format: setup
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .test.sqlite3 build src/*.egg-info
