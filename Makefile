# Two commands on a fresh machine with python3 and make: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test extract clean

setup: $(STAMP)

# Reinstall whenever the pins change; requirements.lock fixes the transitive versions too.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet -c requirements.lock -e .
	touch $(STAMP)

run: setup
	$(BIN)/perfdw extract

test: setup
	$(BIN)/python -m pytest

extract: setup
	$(BIN)/perfdw extract

clean:
	rm -rf warehouse target dbt_packages logs
