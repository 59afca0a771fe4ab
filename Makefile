# Two commands on a fresh machine with python3 and make: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test extract bench bench-formats bench-quick docs dagster clean fixtures

setup: $(STAMP)

# Reinstall whenever the pins change; requirements.lock fixes the transitive versions too.
$(STAMP): pyproject.toml requirements.lock scripts/install-system-packages.sh
	bash scripts/install-system-packages.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet -c requirements.lock -e .
	touch $(STAMP)

# Loading the Dagster definitions needs dbt's manifest; rebuild it when the dbt project changes.
MANIFEST := target/manifest.json
$(MANIFEST): $(STAMP) dbt_project.yml $(shell find models macros seeds tests/dbt -type f 2>/dev/null)
	DBT_PROFILES_DIR=. $(BIN)/dbt parse --quiet
	touch $(MANIFEST)

run: setup $(MANIFEST)
	$(BIN)/perfdw run

test: setup $(MANIFEST)
	$(BIN)/python -m pytest

extract: setup
	$(BIN)/perfdw extract

# The full protocol on the bundled corpus and scales 1, 10 and 100 (about 12 minutes here).
bench: setup $(MANIFEST)
	$(BIN)/perfdw bench --scale 1 --scale 10 --scale 100 --repeats 3

# The readers of published formats against reference readers: poppler's pdftotext (apt) and
# python-calamine (pip, the bench extra), installed here and by nothing `make run` needs.
bench-formats: setup
	@command -v pdftotext >/dev/null || { [ "$$(id -u)" -eq 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; } || echo "bench-formats: pdftotext missing; as root: apt-get install poppler-utils"
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[bench]'
	$(BIN)/perfdw bench --formats

# What CI runs after the tests, so the harness can't rot: scale 10, each stage once (about a minute).
bench-quick: setup $(MANIFEST)
	$(BIN)/perfdw bench --scale 10 --quick

# Re-render tests/fixtures/published/ (the bundled documents as .xlsx/.pdf/…, and bad inputs) with
# LibreOffice; needs root for apt the first time. Tests read the committed files, not this.
fixtures: setup
	bash scripts/install-fixture-tools.sh
	$(BIN)/python scripts/render_fixtures.py

docs: setup
	DBT_PROFILES_DIR=. $(BIN)/dbt docs generate
	@echo "dbt docs: target/index.html (serve with: DBT_PROFILES_DIR=. $(BIN)/dbt docs serve)"

dagster: setup $(MANIFEST)
	$(BIN)/dagster dev

clean:
	rm -rf warehouse target dbt_packages logs
