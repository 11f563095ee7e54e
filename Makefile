# The two commands a newcomer types: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export FLASK_APP := wsgi.py
# The address `make run` serves on; production sets its own (see README, Production).
export PUBLIC_URL ?= http://127.0.0.1:5000

.PHONY: run test test-sqlite test-postgres install translations migrate demo lint messages bench clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile -d marketplace/translations 2>&1 | grep -v '^compiling' || true

migrate: translations
	$(BIN)/flask db upgrade

demo: migrate
	$(BIN)/flask demo load

run: demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: test-sqlite test-postgres

test-sqlite: translations
	$(BIN)/pytest -n auto

# The same suite on a throwaway PostgreSQL cluster the tests start on 127.0.0.1.
# Without PostgreSQL installed it is skipped, except with CI=true, where it fails.
test-postgres: translations
	TERROIR_TEST_DB=postgresql $(BIN)/pytest -n auto -m "not e2e"

# Extract every marked string into the catalogues (then translate the new ones).
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs=".* tests bench tools" \
	  -o marketplace/translations/messages.pot .
	$(BIN)/pybabel update -i marketplace/translations/messages.pot -d marketplace/translations \
	  --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python tools/fill_english_catalogue.py

clean:
	rm -rf $(VENV) instance .pytest_cache
