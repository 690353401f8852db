# selfserve — `make run` starts the service on embedded defaults, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# With SELFSERVE_TEST_DATABASE_URL and SELFSERVE_TEST_REDIS_URL set, `make test` also runs the
# suite on PostgreSQL + Redis (one pytest process per backend).
PYTEST_ARGS ?= -q

.PHONY: install run test test-embedded test-services lint bench schema clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@echo "installing selfserve and its dependencies into $(VENV) ..."
	@$(BIN)/pip install --disable-pip-version-check -q --upgrade pip
	@$(BIN)/pip install --disable-pip-version-check -q -e '.[dev]'
	@touch $(STAMP)

run: install
	@$(BIN)/selfserve migrate
	@$(BIN)/selfserve demo
	@echo "GraphiQL: http://$(HOST):$(PORT)/graphql"
	@$(BIN)/selfserve serve --host $(HOST) --port $(PORT)

test: install test-embedded
	@if [ -n "$$SELFSERVE_TEST_DATABASE_URL" ] && [ -n "$$SELFSERVE_TEST_REDIS_URL" ]; then \
		$(MAKE) --no-print-directory test-services; \
	elif [ -n "$$REQUIRE_SERVICES" ] && [ "$$REQUIRE_SERVICES" != "0" ]; then \
		echo "REQUIRE_SERVICES is set but SELFSERVE_TEST_DATABASE_URL/SELFSERVE_TEST_REDIS_URL are not"; exit 1; \
	fi

test-embedded: install
	@echo "== tests on SQLite + in-process redis =="
	@SELFSERVE_TEST_BACKEND=embedded $(BIN)/pytest $(PYTEST_ARGS)

test-services: install
	@echo "== tests on PostgreSQL + Redis =="
	@SELFSERVE_TEST_BACKEND=services $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check core schema selfserve plugins tests bench
	@$(BIN)/lint-imports --no-cache

schema: install
	@$(BIN)/selfserve schema > schema/schema.graphql

bench: install
	@$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) var
