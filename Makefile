# Stegvis: `make demo` to try it, `make test` to check everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export STEGVIS_VAR_DIR ?= $(CURDIR)/var
# PostgreSQL for the second test run: TEST_DATABASE_URL, or the local server when it answers.
PG_DEFAULT_URL := postgres://postgres@127.0.0.1:5432/stegvis

.PHONY: install install-test demo serve test lint types pytest pytest-pg check-deploy messages clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

install-test: $(VENV)/.installed-test

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# A demo installation (STEGVIS_DEMO=1): plain http on this machine, static files
# served by WhiteNoise from the app folders, and DEBUG off, so errors show Stegvis's
# own Swedish pages. DEBUG=1 make serve for Django's debug pages while developing.
demo: install
	STEGVIS_DEMO=1 $(BIN)/stegvis migrate --noinput
	STEGVIS_DEMO=1 $(BIN)/stegvis demo
	@echo
	@echo "Stegvis körs på http://127.0.0.1:8000 (avsluta med Ctrl-C)"
	STEGVIS_DEMO=1 $(BIN)/stegvis runserver 127.0.0.1:8000

serve: install
	STEGVIS_DEMO=1 $(BIN)/stegvis runserver 127.0.0.1:8000

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: install-test
	$(BIN)/mypy stegvis

check-deploy: install
	DEBUG=0 SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-secret-but-long-enough-for-the-check \
	  ALLOWED_HOSTS=stegvis.example.se $(BIN)/stegvis check --deploy --fail-level WARNING
	TEST_DATABASE_URL= DJANGO_SETTINGS_MODULE=stegvis.settings_test $(BIN)/stegvis makemigrations --check --dry-run

pytest: install-test
	@echo "SQLite (in memory)"
	TEST_DATABASE_URL= $(BIN)/pytest

pytest-pg: install-test
	@url="$${TEST_DATABASE_URL:-}"; \
	if [ -z "$$url" ] && $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_DEFAULT_URL:/stegvis=/postgres)', connect_timeout=3).close()" 2>/dev/null; then \
	  url="$(PG_DEFAULT_URL)"; fi; \
	if [ -z "$$url" ]; then echo "PostgreSQL: ingen server nåddes och TEST_DATABASE_URL är inte satt – hoppar över."; \
	else echo "PostgreSQL: $$url"; TEST_DATABASE_URL="$$url" $(BIN)/pytest; fi

# The two database runs are independent and single-threaded: run them side by side
# (one per core), each one's output printed whole when it ends.
test: lint types check-deploy
	$(MAKE) --no-print-directory -j2 --output-sync=target pytest pytest-pg

messages: install
	cd stegvis && export DJANGO_SETTINGS_MODULE=stegvis.settings_test && \
	  ../$(BIN)/stegvis makemessages -l en --no-obsolete --ignore 'tests/*' && \
	  ../$(BIN)/stegvis compilemessages -l en

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts
