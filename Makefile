# Two commands do all the set-up on a fresh machine: `make run` and `make test`.

PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
# The PostgreSQL run of the suite; pytest-django creates and drops test_callcenter.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/callcenter
PG_MARKER := .postgres-tested

.PHONY: run test test-sqlite test-postgres lint format install chromium bench bench-search bench-data check-plans screenshots restore-drill soak load clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is required (found $(PYTHON))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

# The demo runs on its own SQLite file, whatever DATABASE_URL the shell exports (the
# production database's, on a server): the demo accounts never land in a real database.
# RUN_DATABASE_URL=postgres://... make run uses another database on purpose.
RUN_DATABASE_URL ?=
run: install
	DATABASE_URL=$(RUN_DATABASE_URL) DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DATABASE_URL=$(RUN_DATABASE_URL) DEBUG=1 $(BIN)/python manage.py load_demo
	DATABASE_URL=$(RUN_DATABASE_URL) DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The browser tests drive the system Chromium; install Debian's package when it is missing.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "Installing Chromium (Debian package chromium)"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; \
	fi
	@test -x "$(CHROMIUM)" || { echo "Chromium is missing at $(CHROMIUM)"; exit 1; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test-sqlite: install chromium
	DEBUG=1 DATABASE_URL= $(BIN)/pytest

# Runs when the PostgreSQL server answers; leaves $(PG_MARKER) behind when it passed.
test-postgres: install chromium
	@rm -f $(PG_MARKER)
	@if $(BIN)/python scripts/pg_ready.py "$(PG_TEST_URL)"; then \
		DEBUG=1 DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest && touch $(PG_MARKER); \
	else \
		echo "PostgreSQL at $(PG_TEST_URL) does not answer: the PostgreSQL run is left out."; \
	fi

test: lint test-sqlite test-postgres

bench: install
	DEBUG=1 $(BIN)/python -m benchmarks.run
	@if $(BIN)/python scripts/pg_ready.py "$(PG_TEST_URL)"; then \
		$(BIN)/python -m benchmarks.soak; \
	else \
		echo "PostgreSQL does not answer: the soak is left out."; \
	fi

# The soak alone: SOAK_CLERKS clerks (8) for SOAK_SECONDS (60) with faults, then the checker.
soak: install
	$(BIN)/python -m benchmarks.soak

# Locust: LOAD_CLERKS clerks (50) take orders for LOAD_SECONDS (300) through gunicorn and
# PostgreSQL, then the database is checked; the table goes to docs/benchmarks/load.md.
load: install
	$(BIN)/python -m benchmarks.load

# Customer search at BENCH_CUSTOMERS customers (default 1,000,000) on the local PostgreSQL.
bench-search: install
	$(BIN)/python -m benchmarks.search

# The large data set in BENCH_DB (callcenter_bench) on the local PostgreSQL: 1,000,000 customers,
# 50,000 products, 2,000,000 orders (BENCH_CUSTOMERS, BENCH_PRODUCTS, BENCH_ORDERS); kept, topped up.
bench-data: install
	$(BIN)/python -m benchmarks.data

# The plans of the main screens' queries on that data set: status 1 when one reads a large table whole.
check-plans: install
	$(BIN)/python -m benchmarks.data --check-plans

# Back up DATABASE_URL (PostgreSQL), restore it into a scratch database, compare counts and money.
restore-drill: install
	$(BIN)/python scripts/restore_drill.py "$(DATABASE_URL)"

# Screenshots of the main screens for the README (docs/screenshots/).
screenshots: install chromium
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache $(PG_MARKER)
