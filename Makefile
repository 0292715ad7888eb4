# The two Quickstart commands: `make serve` and `make test`. Both install what they need.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/newsarchive: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.dev: $(BIN)/newsarchive
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

.PHONY: serve test lint bench
serve: $(BIN)/newsarchive  ## start the service on SQLite at http://127.0.0.1:8000
	$(BIN)/newsarchive serve

test: $(VENV)/.dev  ## the whole test suite (PostgreSQL tests skip locally when it is down)
	$(BIN)/python -m pytest -n 2 --timeout 300

lint: $(VENV)/.dev
	$(BIN)/ruff check newsarchive tests bench
	$(BIN)/mypy newsarchive
