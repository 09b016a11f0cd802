# The two commands of the README: `make demo` and `make test`.
# Both bootstrap a virtualenv in .venv with nothing but python3 (>= 3.11) and pip.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# Test processes (pytest-xdist); 0 runs in this process, e.g. for a debugger.
PYTEST_WORKERS ?= auto

.PHONY: demo test lint install clean translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Create the SQLite database in ./instance, load the sample directory, serve on http://127.0.0.1:5000/
demo: $(STAMP)
	$(BIN)/referral demo

## Run the test suite (SQLite; set REFERRAL_TEST_DATABASE_URL to run it on PostgreSQL + PostGIS)
test: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check referral tests
	$(BIN)/ruff format --check referral tests

## Extract the UI strings into translations/messages.pot, merge them into each
## catalog (translations/<lang>/LC_MESSAGES/messages.po) and compile the .mo files.
## Translate new or fuzzy entries in the .po, then run it again: tests/test_i18n.py
## fails while a string is untranslated or a .mo is stale.
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k _lp:1c,2 -k lazy_pgettext:1c,2 --add-location=file \
		--sort-by-file --no-wrap --project=referral -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-wrap --ignore-obsolete --no-fuzzy-matching
	$(BIN)/pybabel compile -d translations --statistics

clean:
	rm -rf $(VENV) instance .pytest_cache
