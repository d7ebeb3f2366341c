# The two set-up commands of the README: `make tour` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: tour test lint bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-base: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,plot]'
	touch $@

$(VENV)/.installed-docs: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	touch $@

## tour: install into .venv and run the main job on the shipped examples
tour: $(VENV)/.installed-base
	$(BIN)/knightian tour

## test: install the test and plot extras into .venv, lint, type-check, and run the whole suite
## (with doctests)
test: lint
	$(BIN)/python -m pytest

## lint: ruff (lint and format check), mypy (the packages and the typed usage in tests/typecheck)
## and the architecture contract (import-linter: layers, independence, no import cycles)
lint: $(VENV)/.installed-test
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/python -m mypy contracts infrabayes portfolios tests/typecheck
	$(BIN)/lint-imports --no-cache --no-logo

## bench: run every benchmark script (prints our time, the baseline's, and the ratio)
bench: $(VENV)/.installed-test
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

## docs: build the HTML documentation into docs/_build/html (warnings are errors, nitpicky)
docs: $(VENV)/.installed-docs
	$(BIN)/python -m sphinx -E -W --keep-going -n -q -b html docs docs/_build/html
	$(BIN)/python .ci/check_offline_docs.py docs/_build/html
	@echo "docs: open docs/_build/html/index.html"

clean:
	rm -rf $(VENV) dist build .pytest_cache .ruff_cache .mypy_cache .hypothesis docs/_build
