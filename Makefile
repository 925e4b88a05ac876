# Two commands do everything on a fresh machine with Python 3.11+ and make:
#   make serve   - create .venv, install, load demo data if the store is empty, start the service
#   make test    - create .venv, install, run the whole suite (SQLite store)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install serve demo test test-sqlite test-postgres lint typecheck ci bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

serve: install
	$(BIN)/ledger demo --if-empty --employees 300 --years 2
	$(BIN)/ledger serve --host $(HOST) --port $(PORT)

demo: install
	$(BIN)/ledger demo

test: test-sqlite

test-sqlite: install
	LEDGER_TEST_STORES=sqlite $(BIN)/pytest -q

test-postgres: install
	LEDGER_TEST_STORES=postgres $(BIN)/pytest -q

lint: install
	$(BIN)/ruff check ledger projections api tests bench
	$(BIN)/ruff format --check ledger projections api tests bench

typecheck: install
	$(BIN)/mypy

ci: test-sqlite test-postgres lint typecheck

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
