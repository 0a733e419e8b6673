# govcredit — 政务诚信管理平台. `make demo` to run, `make test` to test (DESIGN §5).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: install demo test test-sqlite test-pg lint typecheck format benchmark clean

# mypy (django-stubs) must pass on these; widen the list as apps become clean
MYPY_PACKAGES := -p govcredit.core -p govcredit.accounts -p govcredit.office

$(BIN)/govcredit: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	@touch $@

install: $(BIN)/govcredit

demo: install
	PORT=$(PORT) $(BIN)/govcredit demo --port $(PORT)

$(VENV)/.test-deps: pyproject.toml $(BIN)/govcredit
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

# The whole suite on SQLite, then on PostgreSQL when GOVCREDIT_TEST_PG names a server. The browser
# tests (Chromium + axe-core crawling every page) test the same templates whatever the database, so
# they run once, on the SQLite leg; everything else runs on both.
test: $(VENV)/.test-deps
	$(BIN)/ruff check .
	env -u DATABASE_URL $(BIN)/mypy $(MYPY_PACKAGES)
	@echo "== SQLite =="
	env -u DATABASE_URL $(BIN)/python -m pytest -q -n 2 $(PYTEST_ARGS)
	@if [ -n "$$GOVCREDIT_TEST_PG" ]; then \
		echo "== PostgreSQL ($$GOVCREDIT_TEST_PG) =="; \
		DATABASE_URL="$$GOVCREDIT_TEST_PG" $(BIN)/python -m pytest -q -n 2 -m "not browser" $(PYTEST_ARGS) || exit 1; \
	else \
		echo "== PostgreSQL leg SKIPPED: set GOVCREDIT_TEST_PG=postgresql://postgres@127.0.0.1:5432/postgres to run it =="; \
	fi

lint: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	env -u DATABASE_URL $(BIN)/mypy $(MYPY_PACKAGES)

typecheck: $(VENV)/.test-deps
	env -u DATABASE_URL $(BIN)/mypy $(MYPY_PACKAGES)

format: $(VENV)/.test-deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var test-output
