# Ballotguard: `make run` starts the product with demo data; `make test` installs what the tests
# need (Python packages, Debian's chromium and postgresql when missing) and runs them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.app-installed
TEST_STAMP := $(VENV)/.test-installed
SCHEMAS_STAMP := $(VENV)/.stix-schemas-installed
STIX_SCHEMAS_WHEEL := stix2_validator-3.0.2-py2.py3-none-any.whl
PG_BIN := $(firstword $(wildcard /usr/lib/postgresql/*/bin))

.PHONY: run test lint bench system-deps clean help

help:
	@echo "make run    - install, create the SQLite database, load the demo, serve on 127.0.0.1:8000"
	@echo "make test   - install test tools, Chromium and PostgreSQL if missing, run all tests"
	@echo "make lint   - ruff, mypy and the import contracts"
	@echo "make bench  - the benchmarks in bench/ (quick sizes; see bench/README.md)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(APP_STAMP) $@

# stix2-validator's newer wheels ship without the OASIS JSON schemas; the 3.0.2 wheel has them.
$(SCHEMAS_STAMP): $(APP_STAMP)
	$(BIN)/pip download --quiet --no-deps --only-binary :all: stix2-validator==3.0.2 \
	  -d $(VENV)/stix-schemas
	$(BIN)/python tools/install_stix_schemas.py $(VENV)/stix-schemas/$(STIX_SCHEMAS_WHEEL)
	touch $@

run: $(APP_STAMP) $(SCHEMAS_STAMP)
	$(BIN)/ballotguard serve --demo

system-deps:
	@need=""; \
	command -v chromium >/dev/null 2>&1 || need="$$need chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$$need postgresql"; \
	if [ -n "$$need" ]; then \
	  echo "installing Debian packages:$$need"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need >/dev/null; \
	fi

test: $(TEST_STAMP) $(SCHEMAS_STAMP) system-deps
	$(BIN)/pytest -q -p no:cacheprovider

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(TEST_STAMP) $(SCHEMAS_STAMP) system-deps
	$(BIN)/python bench/report_intake.py --quick
	$(BIN)/python bench/report_list.py --quick
	$(BIN)/python bench/campaign_correlation.py --quick
	$(BIN)/python bench/campaign_attach.py --quick
	$(BIN)/python bench/campaign_attach_store.py --quick --db sqlite
	$(BIN)/python bench/taxii_exchange.py --quick
	$(BIN)/python bench/rla_minerva.py --quick
	$(BIN)/python bench/rla_alpha.py --quick
	$(BIN)/python bench/rla_sampler.py --quick
	$(BIN)/python bench/notification_outbox.py --quick

# medallion 3.0.0 (the reference TAXII 2.1 server) for bench/taxii_exchange.py, in its own
# environment: it must not share Ballotguard's packages. The script also creates it when missing.
.PHONY: bench-medallion
bench-medallion: bench/.venv-medallion/bin/medallion

bench/.venv-medallion/bin/medallion:
	$(PYTHON) -m venv bench/.venv-medallion
	bench/.venv-medallion/bin/pip install --quiet medallion==3.0.0

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
