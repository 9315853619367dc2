# kesu — two commands: `make run` (demo app + worker) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# the suite runs on every core (tests are isolated: each worker has its own database)
PYTEST_ARGS ?= -n auto

.PHONY: run test install install-dev lint format typecheck imports clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(PY) -m kesu migrate --noinput
	$(PY) -m kesu collectstatic --noinput --verbosity 0
	KESU_DEMO=1 $(PY) -m kesu demo
	KESU_DEMO=1 PORT=$(PORT) $(PY) -m kesu serve --port $(PORT)

test: install-dev
	$(PY) -m kesu makemigrations --check --dry-run
	$(PY) -m pytest -q $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: install-dev
	$(VENV)/bin/mypy kesu

imports: install-dev
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) var test-artifacts
