# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test lint types pytest setup fixtures serve clean bench

# Reinstalls only when the pinned dependencies change.
$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check ".[dev]"
	touch $(INSTALLED)

# prune deletes abandoned visitors' quizzes and expired sessions (production runs it daily);
# seed_demo adds demo accounts with a few weeks of practice (nothing when they exist) and
# prints their logins, so `make run` shows them before the server starts.
setup: $(INSTALLED)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py load_catalogue
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py prune
	$(BIN)/python manage.py seed_demo

run: setup
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Code style, template indentation (djhtml; `$(BIN)/djhtml -t 2 templates` fixes it) and
# models without their migration.
lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check -t 2 templates
	$(BIN)/python manage.py makemigrations --check --dry-run

types: $(INSTALLED)
	$(BIN)/mypy .

pytest: $(INSTALLED)
	$(BIN)/pytest

test: lint types pytest

# Under load as production serves it (gunicorn, DEBUG off) and driven by wrk, every hot path
# against a bare /healthz of the same server in the same run; then the dashboards' render times
# at 10,000 and 1,000,000 answers. SQLite in a file of its own (bench.sqlite3), or PostgreSQL
# with DATABASE_URL; BENCH_URL=http://host:port loads that deployment instead of our gunicorn.
BENCH_DB := $(if $(DATABASE_URL),,SQLITE_PATH=bench.sqlite3)
bench: $(INSTALLED)
	$(BENCH_DB) $(BIN)/python manage.py migrate --noinput --verbosity 0
	$(BENCH_DB) $(BIN)/python manage.py createcachetable
	$(BENCH_DB) $(BIN)/python manage.py load_catalogue
	$(BENCH_DB) $(BIN)/python manage.py bench_load $(if $(BENCH_URL),--url $(BENCH_URL))
	$(BENCH_DB) $(BIN)/python manage.py bench_dashboard
	$(BENCH_DB) $(BIN)/python manage.py bench_class

# For curators: write the catalogue as edited in the admin back to the fixture.
fixtures: $(INSTALLED)
	$(BIN)/python manage.py dumpdata catalogue.category catalogue.module catalogue.clue catalogue.confusablegroup \
		--natural-foreign --natural-primary --indent 2 -o fixtures/catalogue.json

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache staticfiles test-artifacts
