# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test lint types pytest setup fixtures serve clean

# Reinstalls only when the pinned dependencies change.
$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check ".[dev]"
	touch $(INSTALLED)

setup: $(INSTALLED)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py loaddata catalogue
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: setup
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(INSTALLED)
	$(BIN)/mypy .

pytest: $(INSTALLED)
	$(BIN)/pytest

test: lint types pytest

# For curators: write the catalogue as edited in the admin back to the fixture.
fixtures: $(INSTALLED)
	$(BIN)/python manage.py dumpdata catalogue.category catalogue.module catalogue.clue \
		--natural-foreign --natural-primary --indent 2 -o fixtures/catalogue.json

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache staticfiles test-artifacts
