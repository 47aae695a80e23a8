# Linesight: the two commands are `make demo` and `make test` (README's quick start).
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")

.PHONY: env demo test test-unit test-integration bench up contracts contracts-check lint

env: ## create the environment (installs uv with pip if missing)
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv || $(PYTHON) -m pip install --quiet --user --break-system-packages uv
	@$(UV) sync --all-packages --frozen --quiet

demo: env ## the bundled sample case end to end on the embedded default; writes var/demo/report.pdf
	@$(UV) run --frozen linesight demo

test: env ## every test (integration and e2e need PostgreSQL, RabbitMQ; S3 is started by the tests)
	@$(UV) run --frozen pytest

test-unit: env ## tests that need no server
	@$(UV) run --frozen pytest -m "not integration and not e2e"

test-integration: env
	@$(UV) run --frozen pytest -m "integration or e2e"

bench: env ## run the benchmarks in bench/ and print their figures
	@$(UV) run --frozen python bench/run.py

up: env ## run the platform on the embedded default in the foreground
	@$(UV) run --frozen linesight up

contracts: env ## regenerate contracts/ and the client models
	@$(UV) run --frozen python scripts/contracts.py

contracts-check: env
	@$(UV) run --frozen python scripts/contracts.py --check

lint: env
	@$(UV) run --frozen ruff check .
