# Nexus — every target bootstraps what it needs (uv, the locked virtualenv) and is idempotent.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
HOST ?= 127.0.0.1
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/.venv

# Use the uv on PATH if there is one; otherwise install a pinned uv into .tools/ with pip.
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
MANAGE := $(UV) run --frozen python manage.py

CORPUS ?= ../shared/corpus/readmes

.PHONY: help run test lint fmt schema demo venv chromium screenshots clean readme-report bench bench-http bench-ws bench-registry graphql-schema bench-graphql

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-8s %s\n", $$1, $$2}'

$(CURDIR)/.tools/bin/uv:
	python3 -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

.venv/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen
	@touch $@

venv: .venv/.synced ## create or update the locked virtualenv

# Browser tests (e2e/) drive Debian's Chromium through Playwright; Playwright's own browser
# download is never used. Installed with apt-get when missing (CI and developers run as root).
chromium: ## install Debian's Chromium for the browser tests if it is missing
	@command -v chromium >/dev/null || (apt-get install -y -q chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium))

# One ASGI process (uvicorn) serves HTTP and WebSockets -- the in-memory channel layer lives in
# it -- and reloads on code changes like runserver.
run: venv ## serve Nexus (HTTP and WebSockets) on embedded defaults with demo data (PORT=8000, HOST=127.0.0.1)
	@mkdir -p var
	$(MANAGE) migrate --no-input
	$(MANAGE) topics sync
	$(MANAGE) demo
	@echo ""
	@echo "  Pages:       http://$(HOST):$(PORT)/  (hubs at /@ada/)"
	@echo "  API:         http://$(HOST):$(PORT)/api/v1/"
	@echo "  API docs:    http://$(HOST):$(PORT)/api/docs/  (ReDoc: /api/redoc/)"
	@echo "  GraphQL:     http://$(HOST):$(PORT)/graphql/  (GraphiQL in a browser)"
	@echo "  Admin:       http://$(HOST):$(PORT)/admin/"
	@echo "  WebSockets:  ws://$(HOST):$(PORT)/ws/channels/<id>/"
	@echo ""
	DEBUG=$${DEBUG:-true} DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.base} \
	  $(UV) run --frozen uvicorn config.asgi:application --host $(HOST) --port $(PORT) \
	  --reload --reload-dir nexus --reload-dir config --reload-dir templates

test: venv chromium ## run the whole test suite (embedded defaults unless DATABASE_URL/REDIS_URL are set)
	$(UV) run --frozen pytest $(PYTEST_ARGS)

lint: venv ## ruff (lint + format check) and mypy on the service layer
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen mypy

fmt: venv ## format and autofix
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

schema: venv ## validate the OpenAPI schema and write it to var/openapi.yaml
	@mkdir -p var
	$(MANAGE) spectacular --validate --fail-on-warn --file var/openapi.yaml

graphql-schema: venv ## write the GraphQL schema to schema.graphql (a test fails when it differs from the code)
	$(MANAGE) graphql_schema

demo: venv ## load the demo data set (idempotent)
	$(MANAGE) migrate --no-input
	$(MANAGE) topics sync
	$(MANAGE) demo

readme-report: venv ## per README in CORPUS: entries by kind, word coverage, warnings
	@mkdir -p var
	@$(MANAGE) migrate --no-input -v0
	@$(MANAGE) topics sync > /dev/null
	@$(MANAGE) readme report $(CORPUS)/*.md

BENCH_ENTRIES ?= 10000

bench: venv ## run the benchmarks under bench/ (record the figures in bench/RESULTS.md)
	$(UV) run --frozen python bench/readme_parse.py
	DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/var/bench-$(BENCH_ENTRIES).sqlite3} \
	  $(UV) run --frozen python bench/search_bench.py --entries $(BENCH_ENTRIES) --rounds 10

BENCH_SECONDS ?= 10

bench-http: venv ## HTTP load benchmark: gunicorn + wrk on 127.0.0.1 (installs wrk with apt-get if missing)
	@command -v wrk >/dev/null || (apt-get install -y -q wrk >/dev/null || (apt-get update -q && apt-get install -y -q wrk))
	@mkdir -p var
	DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/var/bench-http-$(BENCH_ENTRIES).sqlite3} \
	  $(UV) run --frozen python bench/http_bench.py --entries $(BENCH_ENTRIES) --seconds $(BENCH_SECONDS)

BENCH_WS_ARGS ?=

bench-ws: venv ## live fan-out: one message to 500 WebSocket clients, idle connections per process (bench/ws_fanout.py)
	@mkdir -p var
	$(UV) run --frozen python bench/ws_fanout.py $(BENCH_WS_ARGS)

bench-registry: venv ## one health-check cycle over 1,000 registered APIs served by local stub servers
	$(UV) run --frozen python bench/registry_health.py --apis 1000 --cycles 3

screenshots: venv chromium ## PNGs of every page at desktop (1280) and mobile (390) width in var/screenshots/
	@mkdir -p var
	@dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || apt-get install -y -q fonts-noto-color-emoji >/dev/null || true
	$(UV) run --frozen python e2e/screenshots.py

bench-graphql: venv ## hub page: one GraphQL query vs the equivalent REST calls, gunicorn + wrk (bench/graphql_bench.py)
	@command -v wrk >/dev/null || (apt-get install -y -q wrk >/dev/null || (apt-get update -q && apt-get install -y -q wrk))
	@mkdir -p var
	DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/var/bench-graphql-$(BENCH_ENTRIES).sqlite3} \
	  $(UV) run --frozen python bench/graphql_bench.py --entries $(BENCH_ENTRIES) --seconds $(BENCH_SECONDS)

clean: ## remove the virtualenv, bootstrap tools and local data
	rm -rf .venv .tools var .pytest_cache .mypy_cache .ruff_cache
