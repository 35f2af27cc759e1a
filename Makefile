# Certify: `make run` serves the app with demo data; `make test` runs the whole suite (SQLite, then PostgreSQL).
# Needs make, python3 (3.11+) and python3-venv; everything else is installed by `make setup` (see README).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
export SESSION_COOKIE_SECURE ?= false
# Where `make run` serves: `make run HOST=0.0.0.0 PORT=8000`.
HOST ?= 127.0.0.1
PORT ?= 5000
TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# Test processes (pytest-xdist): one per CPU; `make test WORKERS=0` runs the suite in a single process.
WORKERS ?= auto
PYTEST := $(PY) -m pytest -q -n $(WORKERS)
LOCALES := ru en

.PHONY: setup system venv axe translations catalogs run test test-sqlite test-postgres lint format clean

setup: system venv catalogs axe

system:
	@bash scripts/install-system-packages.sh

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

# axe-core, with which the browser tests check the main pages' accessibility (npm's registry, pinned by the lock).
AXE := tests/browser/axe/node_modules/axe-core/axe.min.js
axe: $(AXE)

$(AXE): tests/browser/axe/package-lock.json
	npm ci --prefix tests/browser/axe --silent --no-audit --no-fund
	@touch $@

# Compile the catalogs the app reads (the .po files are the source, kept in git).
catalogs: venv
	@$(VENV)/bin/pybabel compile --use-fuzzy -d certify/translations -D messages >/dev/null

# After changing user-facing text: extract it and merge it into both catalogs, then translate ru.
translations: venv
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ --no-location --sort-output \
	  -o certify/translations/messages.pot .
	$(VENV)/bin/pybabel update -i certify/translations/messages.pot -d certify/translations --no-fuzzy-matching

# Links in e-mails and QR codes follow HOST and PORT unless PUBLIC_URL is set.
run: export PUBLIC_URL ?= http://$(HOST):$(PORT)
run: setup
	$(FLASK) db upgrade
	$(FLASK) certify standard install
	$(FLASK) certify demo
	$(FLASK) run --host $(HOST) --port $(PORT)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test-sqlite: setup
	$(PYTEST)

test-postgres: setup
	@bash scripts/ensure-postgres.sh
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(PYTEST)

test: lint test-sqlite test-postgres

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
