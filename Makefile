# Two commands on a fresh machine with python3 and make: `make run` and `make test`.
# `make run` needs no root and no system package; `make test` adds what only the tests need.
# dbt's manifest is parsed when the definitions load (perfdw/dbt.py), not here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: setup test-setup run test extract bench bench-formats bench-quick docs dagster clean fixtures

setup: $(STAMP)

# Reinstall whenever the pins change; requirements.lock fixes the transitive versions too.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet -c requirements.lock -e .
	touch $(STAMP)

test-setup: $(TEST_STAMP)

# The test runner and browser driver (the `test` extra), then Chromium and a CJK font.
$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $(TEST_STAMP)

# $PERFDW_ENGINE=postgres|spark first installs what that engine needs (scripts/install-engine.sh).
run: setup
	bash scripts/install-engine.sh $${PERFDW_ENGINE:-duckdb}
	$(BIN)/perfdw run

test: test-setup
	bash scripts/install-test-packages.sh
	bash scripts/install-engine.sh postgres
	bash scripts/install-engine.sh spark
	$(BIN)/python -m pytest

extract: setup
	$(BIN)/perfdw extract

# The full protocol on the bundled corpus and scales 1, 10 and 100 (about 12 minutes here).
bench: setup
	$(BIN)/perfdw bench --scale 1 --scale 10 --scale 100 --repeats 3

# The readers of published formats against reference readers: poppler's pdftotext (apt) and
# python-calamine (pip, the bench extra), installed here and by nothing `make run` needs.
bench-formats: setup
	@command -v pdftotext >/dev/null || { [ "$$(id -u)" -eq 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; } || echo "bench-formats: pdftotext missing; as root: apt-get install poppler-utils"
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[bench]'
	$(BIN)/perfdw bench --formats

# What CI runs after the tests, so the harness can't rot: scale 10, each stage once (about a minute).
bench-quick: setup
	$(BIN)/perfdw bench --scale 10 --quick

# Re-render tests/fixtures/published/ (the bundled documents as .xlsx/.pdf/…, and bad inputs) and
# tests/fixtures/family/ (fictional documents of the wider family) with
# LibreOffice; needs root for apt the first time. Tests read the committed files, not this.
fixtures: setup
	bash scripts/install-fixture-tools.sh
	$(BIN)/python scripts/render_fixtures.py

docs: setup
	DBT_PROFILES_DIR=. $(BIN)/dbt docs generate
	@echo "dbt docs: target/index.html (serve with: DBT_PROFILES_DIR=. $(BIN)/dbt docs serve)"

# dagster dev with DAGSTER_HOME=$PERFDW_HOME/dagster (unless set) and the settings of dagster.yaml.
dagster: setup
	$(BIN)/perfdw dagster

clean:
	rm -rf warehouse target dbt_packages logs
