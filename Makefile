# Quick start: `make run` (serve the demo) and `make test` (the whole suite).
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

# Two workers: the suite's PostgreSQL and browser tests keep both cores busy.
PYTEST_ARGS ?= -n 2

.PHONY: install run test lint messages clean-db bench

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	bin/dev-server

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Refresh the zh_Hans catalogue after changing user-facing strings (needs gettext).
messages: install
	$(PY) manage.py makemessages --locale zh_Hans --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*'
	$(PY) manage.py compilemessages --locale zh_Hans --ignore '.venv/*'

# The scale benchmark (not part of `make test`): pages at every level against the county preset
# and raw SQL; see bench/dashboard.py. PRESETS may add shandong (山东's real tree, ~13M rows).
PRESETS ?= county,city,province
bench: install
	$(PY) bench/dashboard.py --presets $(PRESETS)

# Throw away the embedded development database (./var/pgdata).
clean-db:
	rm -rf var/pgdata
