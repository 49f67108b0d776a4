# Halle — two commands for a newcomer:
#   make run    the demo town on http://127.0.0.1:8000 (SQLite, tasks run in-process)
#   make test   lint (ruff), then the whole test suite against PostgreSQL and Redis
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip --disable-pip-version-check -q
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test demo venv lint lock bench-storefront clean

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null || { echo "Halle : Python 3.11 est requis ($(PYTHON) introuvable)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.base-installed: requirements/base.lock | $(VENV)/bin/python
	$(PIP) install -r requirements/base.lock
	@touch $@

$(VENV)/.dev-installed: requirements/dev.lock | $(VENV)/bin/python
	$(PIP) install -r requirements/dev.lock
	@touch $@ $(VENV)/.base-installed

venv: $(VENV)/.base-installed

## run: install, migrate the embedded SQLite database, load the demo town, serve it
## (with the local Stripe server on 127.0.0.1:8420, stopped with runserver)
run: demo
	@echo "Halle tourne sur http://$(HOST):$(PORT)/ (Ctrl-C pour arrêter)"
	PY=$(PY) bash scripts/run_demo.sh $(HOST):$(PORT)

demo: $(VENV)/.base-installed
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_town --shops 12 --products 400 --seed 1 --accounts --historique 6

## test: lint, then the whole suite on PostgreSQL + Redis + headless Chromium (starts them if needed)
test: lint
	bash scripts/services.sh
	$(VENV)/bin/pytest

## lint: ruff with the rules configured in pyproject.toml ([tool.ruff]); fails on any finding
lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .

## bench-storefront: Halle against plain Oscar on the same data (as root; see bench/README.md)
bench-storefront: $(VENV)/.dev-installed
	bash bench/storefront/run.sh

lock: | $(VENV)/bin/python
	$(PIP) install pip-tools==7.6.2
	$(VENV)/bin/pip-compile -q --strip-extras --no-header -o requirements/base.lock pyproject.toml
	$(VENV)/bin/pip-compile -q --strip-extras --no-header --extra dev -o requirements/dev.lock pyproject.toml

clean:
	rm -rf $(VENV) db.sqlite3 var test-artifacts
