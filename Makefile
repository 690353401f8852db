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

NODE_STAMP := tests/node/node_modules/.installed

install: $(STAMP) $(NODE_STAMP)

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@echo "installing selfserve and its dependencies into $(VENV) ..."
	@$(BIN)/pip install --disable-pip-version-check -q --upgrade pip
	@$(BIN)/pip install --disable-pip-version-check -q -e '.[dev]'
	@touch $(STAMP)

# The Node clients the tests drive (tests/node: Apollo Client), from the committed lock file;
# skipped where npm is absent (those tests then skip, or fail under REQUIRE_SERVICES).
$(NODE_STAMP): tests/node/package.json tests/node/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		echo "installing the Node test clients (npm ci in tests/node) ..."; \
		cd tests/node && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "npm not found: the Node client tests will not run"; fi

run: install
	@$(BIN)/selfserve migrate
	@$(BIN)/selfserve demo
	@echo "GraphiQL: http://$(HOST):$(PORT)/graphql"
	@$(BIN)/selfserve serve --host $(HOST) --port $(PORT)

# With the services configured, the two halves run at the same time (they share nothing: a
# temporary SQLite per test app on one side, the configured database and redis db on the other),
# each one's output printed whole when it ends; `make test` fails if either does.
test: install
	@if [ -n "$$SELFSERVE_TEST_DATABASE_URL" ] && [ -n "$$SELFSERVE_TEST_REDIS_URL" ]; then \
		$(MAKE) --no-print-directory -j2 --output-sync=target test-embedded test-services; \
	elif [ -n "$$REQUIRE_SERVICES" ] && [ "$$REQUIRE_SERVICES" != "0" ]; then \
		echo "REQUIRE_SERVICES is set but SELFSERVE_TEST_DATABASE_URL/SELFSERVE_TEST_REDIS_URL are not"; exit 1; \
	else \
		$(MAKE) --no-print-directory test-embedded; \
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
	@# pyright (config: [tool.pyright] in pyproject.toml) runs the copy bundled in its wheel; the
	@# variable stops its wrapper from asking PyPI for a newer release on every run.
	@PYRIGHT_PYTHON_IGNORE_WARNINGS=1 $(BIN)/pyright
	@$(BIN)/lint-imports --no-cache

schema: install
	@$(BIN)/selfserve schema > schema/schema.graphql

bench: install  ## needs wrk (apt-get install wrk); BENCH_DATABASE_URL + BENCH_REDIS_URL add PostgreSQL; BENCH_BASELINE_REF=<commit> adds a baseline to the lists
	@$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) var tests/node/node_modules
