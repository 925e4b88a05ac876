# Two commands do everything on a fresh machine with Python 3.11+ and make:
#   make serve   - create .venv, install, load demo data if the store is empty, start the service
#   make test    - create .venv, install, run the whole suite (SQLite store)
#   make test-fast - the tests that need no store (rules, aggregates, values, pure checks): seconds
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install serve demo docs-test test test-fast test-sqlite test-postgres test-slow lint typecheck ci bench clean mutate mutate-smoke mutate-report fuzz

# A developer's checkout also gets the pre-commit hook (ruff and mypy before each commit).
# pip's own lines are the progress of the first install (about 30 s); later runs skip it.
$(STAMP): pyproject.toml constraints.txt
	@echo "==> creating $(VENV) and installing the pinned dependencies (first time: about 30 s)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --progress-bar off -c constraints.txt -e '.[dev]'
	if [ -e .git ] && [ -z "$$CI" ]; then $(BIN)/pre-commit install >/dev/null; fi
	touch $(STAMP)
	@echo "==> installed"

install: $(STAMP)

# HOST and PORT choose the address: make serve HOST=0.0.0.0 PORT=8080 (docs/CONFIGURATION.md).
serve: install
	$(BIN)/ledger demo --if-empty --employees 300 --years 2
	$(BIN)/ledger serve --host $(HOST) --port $(PORT)

demo: install
	$(BIN)/ledger demo

test: test-sqlite

# The documentation is executed: every console block of README.md and docs/API.md runs against
# servers it starts itself on fresh stores (tools/run_docs.py; rules in docs/TESTING.md).
docs-test: install
	$(BIN)/python tools/run_docs.py README.md docs/API.md

test-fast: install
	LEDGER_TEST_NO_STORE=1 $(BIN)/pytest -q -m "not store"

test-sqlite: install
	LEDGER_TEST_STORES=sqlite $(BIN)/pytest -q

test-postgres: install
	LEDGER_TEST_STORES=postgres $(BIN)/pytest -q

# The long fault tests (marked slow, skipped otherwise): SIGKILLs under load (docs/RELIABILITY.md).
test-slow: install
	LEDGER_TEST_SLOW=1 LEDGER_TEST_STORES=postgres $(BIN)/pytest -q -s -m slow

lint: install
	$(BIN)/ruff check ledger projections api tests bench tools
	$(BIN)/ruff format --check ledger projections api tests bench tools

typecheck: install
	$(BIN)/mypy

ci: test-sqlite test-postgres lint typecheck

# Mutation testing (docs/TESTING.md): too slow for CI. A fresh mutants/ each time so the score
# belongs to the tree as it is; the suite runs on SQLite with the reproducible hypothesis profile.
MUTATE_CHILDREN ?= 2
MUTATE_ENV := LEDGER_TEST_STORES=sqlite HYPOTHESIS_PROFILE=ci

mutate: install
	rm -rf mutants && mkdir mutants
	@echo "mutmut output: mutants/run.log"
	set -f; $(MUTATE_ENV) $(BIN)/mutmut run --max-children $(MUTATE_CHILDREN) $$($(BIN)/python tools/mutation_report.py --patterns) > mutants/run.log 2>&1
	$(BIN)/python tools/mutation_report.py --survivors

# One small module end to end (about two minutes): proves the setup still works.
mutate-smoke: install
	rm -rf mutants && mkdir mutants
	set -f; $(MUTATE_ENV) $(BIN)/mutmut run --max-children $(MUTATE_CHILDREN) $$($(BIN)/python tools/mutation_report.py --only ledger/nip.py --patterns) > mutants/run.log 2>&1
	$(BIN)/python tools/mutation_report.py --only ledger/nip.py --survivors

# Schemathesis over the whole OpenAPI with a larger, random budget (docs/RELIABILITY.md).
FUZZ_MAX_EXAMPLES ?= 150
fuzz: install
	FUZZ_MAX_EXAMPLES=$(FUZZ_MAX_EXAMPLES) FUZZ_RANDOM=1 LEDGER_PUBLIC_BURST=1000000 LEDGER_TEST_STORES=sqlite \
		$(BIN)/pytest -q -s -p no:cacheprovider tests/api/test_api_schemathesis.py

mutate-report:
	$(BIN)/python tools/mutation_report.py --survivors

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis mutants

# The benchmark suite (docs/PERFORMANCE.md): one table, results in var/bench/results-$(SCALE).json.
# SCALE=small (default, about six minutes) or SCALE=full (1,000,000 events, about 45 minutes on
# 2 cores); ONLY=B1,B5 for some.
SCALE ?= small
ONLY ?=
bench: install
	$(BIN)/python -m bench.suite --scale $(SCALE) $(if $(ONLY),--only $(ONLY))
