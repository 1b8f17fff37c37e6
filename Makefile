# OwnerBot — every target installs what it needs first (scripts/setup.sh is quick when nothing is missing).
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)
NODE := node
SCALE ?= 5000

.PHONY: setup demo demo-sis run test check lint format typecheck migrate seed db-types bench clean help

help:
	@echo "make demo   - run the whole bot against the in-repo fake Telegram (no token); open the printed URL"
	@echo "make demo-sis - the same with UPSTREAM_MODE=SIS_HTTP against the in-repo SIS simulator"
	@echo "make test   - run every test (real Postgres and Redis)"
	@echo "make run    - run against real Telegram with BOT_TOKEN and OWNER_IDS from .env"
	@echo "make check  - format check, lint, typecheck, schema drift check, compose.yaml and import-graph checks, and tests"
	@echo "make seed SCALE=N - regenerate the demo shop with N orders"
	@echo "make bench  - run the benchmarks in bench/"

setup:
	@bash scripts/setup.sh

demo: setup
	@$(NODE) scripts/demo.ts

demo-sis: setup
	@DEMO_UPSTREAM=SIS_HTTP $(NODE) scripts/demo.ts

run: setup
	@$(NODE) scripts/run.ts

test: setup
	@npx vitest run

typecheck: setup
	@npx tsc -p tsconfig.json --noEmit

lint: setup
	@npx eslint . --max-warnings 0

format: setup
	@npx prettier --write .

check: setup
	@npx prettier --check . && npx eslint . --max-warnings 0 && npx tsc -p tsconfig.json --noEmit && bash scripts/db-types.sh --check && $(NODE) scripts/compose-check.ts && $(NODE) scripts/import-check.ts && npx vitest run

migrate: setup
	@$(NODE) shared/core/src/db/migrate-cli.ts

seed: setup
	@$(NODE) shared/domain/src/demo/seed-cli.ts --scale $(SCALE)

db-types: setup
	@bash scripts/db-types.sh

# Each prints its numbers beside a baseline measured in the same run (docs/benchmarks.md).
BENCHES := latency backlog ingest job-cost footprint chaos intent-route question-latency tools-queries seed-demo actions asr reports chart-render soak sis-stall sis-actions
bench: setup
	@for b in $(BENCHES); do echo "== bench/$$b.ts"; $(NODE) bench/$$b.ts || exit 1; done
