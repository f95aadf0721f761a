# Parvis: two commands for users (make run, make test); the rest for developers and CI.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: install install-test run test test-postgres check lint typecheck bench lock browser-deps clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || \
		{ echo "Parvis needs Python >= 3.12 (found $$($(PYTHON) --version))"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip==26.3"
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install-test: $(TEST_STAMP)

$(TEST_STAMP): $(STAMP) requirements-test.lock
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.lock
	touch $(TEST_STAMP)

# Debian chromium and the axe-core npm package for the browser tests (best effort:
# without them the browser tests are reported as skipped, with the reason).
browser-deps:
	@bash scripts/browser-deps.sh

run: install
	$(VENV)/bin/parvis run

test: install-test browser-deps
	$(VENV)/bin/pytest

test-postgres: install-test
	DATABASE_URL=$${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test} $(VENV)/bin/pytest -m "not browser"

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install-test
	$(VENV)/bin/mypy parvis config

check: lint typecheck test test-postgres

bench: install
	@for script in benchmarks/*.py; do echo "== $$script"; $(PY) $$script $(BENCH_ARGS) || exit 1; done

# Re-resolve the pinned sets from pyproject.toml (developers only).
lock:
	rm -rf /tmp/parvis-lock && $(PYTHON) -m venv /tmp/parvis-lock
	/tmp/parvis-lock/bin/pip install --quiet --upgrade "pip==26.3"
	/tmp/parvis-lock/bin/pip install --quiet -e .
	/tmp/parvis-lock/bin/pip freeze --exclude-editable | grep -v '^pip==' > requirements.lock
	/tmp/parvis-lock/bin/pip install --quiet -e '.[test]'
	/tmp/parvis-lock/bin/pip freeze --exclude-editable | grep -v '^pip==' > /tmp/parvis-lock/all.txt
	grep -vxF -f requirements.lock /tmp/parvis-lock/all.txt > requirements-test.lock

clean:
	rm -rf $(VENV) node_modules
