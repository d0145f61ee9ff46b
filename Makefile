# Ketenregie — the two commands a newcomer needs: `make run` and `make test`.
# Quick-start defaults live here and in .env (written from throw-away keys), never in code.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck pytest install install-dev clean help

help:
	@echo "make run   - install, migrate the embedded SQLite database, load the demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test  - install the dev dependencies and run ruff, mypy and the whole pytest suite"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

.env:
	$(BIN)/python config/devenv.py .env

run: install .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Ketenregie draait op http://$(HOST):$(PORT)/ (stoppen met Ctrl+C)."
	@echo "Inloggen: kies een demogebruiker hierboven, het wachtwoord hierboven, en daarna de"
	@echo "eenmalige code uit: $(BIN)/python manage.py demo_totp GEBRUIKERSNAAM"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(BIN)/mypy .

pytest: install-dev
	$(BIN)/pytest

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/bandit -c pyproject.toml -r config partners casus audit -q
	$(BIN)/pytest

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
