# Matchwerk: `make run` serves the app with demo data, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export MATCHWERK_DATA_DIR ?= $(CURDIR)/var
export MATCHWERK_SITE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test test-sqlite test-postgres venv test-deps messages migrate demo bench clean help

help:
	@echo "make run    - install, migrate, load demo data, serve on http://127.0.0.1:$(PORT)"
	@echo "make test   - install test dependencies and run every test (SQLite, PostgreSQL, browser)"
	@echo "make bench  - run the benchmarks (JSON on standard output)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,server]'
	touch $@

# Front-end libraries (htmx, jsQR) from the npm registry, exactly as package-lock.json says.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# WeasyPrint (every PDF) needs Pango from Debian; a marker file records that it is there.
$(VENV)/.pango: | $(BIN)/python
	@ldconfig -p | grep -q 'libpango-1.0.so.0' && ldconfig -p | grep -q 'libpangoft2-1.0.so.0' \
	  || scripts/apt-install.sh libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
	touch $@

venv: $(VENV)/.installed $(VENV)/.pango node_modules/.package-lock.json

# gettext (msgfmt) compiles the translation catalogues; Debian's chromium runs the browser tests.
/usr/bin/msgfmt:
	scripts/apt-install.sh gettext

/usr/bin/chromium:
	scripts/apt-install.sh chromium

messages: venv /usr/bin/msgfmt
	$(BIN)/matchwerk compilemessages --ignore=.venv --ignore=var -v 0

migrate: messages
	$(BIN)/matchwerk migrate --no-input -v 0
	$(BIN)/matchwerk createcachetable

demo: migrate
	$(BIN)/matchwerk demo_load --if-empty

run: demo
	@$(BIN)/matchwerk demo_logins
	@echo "Matchwerk: http://127.0.0.1:$(PORT)/  (Ctrl+C stops)"
	@$(BIN)/matchwerk worker --interval 1 >> $(MATCHWERK_DATA_DIR)/worker.log 2>&1 & worker=$$!; \
	  trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(BIN)/matchwerk runserver 127.0.0.1:$(PORT) --noreload

test-deps: venv messages /usr/bin/chromium

# Parallel test processes (pytest-xdist); whole modules stay in one process so their
# module-scoped worlds are built once. TEST_WORKERS=0 runs everything in one process.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -n $(TEST_WORKERS) --dist loadscope

test-sqlite: test-deps
	MATCHWERK_DATABASE_URL= $(PYTEST)

test-postgres: test-deps
	scripts/with-postgres.sh $(PYTEST) -m "not e2e"

test: test-deps
	MATCHWERK_DATABASE_URL= $(PYTEST) -m "not postgres_part"
	scripts/with-postgres.sh $(PYTEST) -m "not e2e and not engine and not sqlite_part"

bench: venv
	$(BIN)/python bench/optimise.py
	$(BIN)/python bench/matching_quality.py
	$(BIN)/python bench/matching_speed.py
	$(BIN)/python bench/import_speed.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
