# Everything a fresh machine needs: Python 3.10+ and make.
#
# What `make` installs comes from the lock in requirements/ (exact versions and
# hashes, one resolution for every Python from 3.10 and every platform), so a
# fresh clone installs the same packages whatever the registry serves today.
# pyproject.toml keeps loose ranges for people who `pip install` catchball into
# their own environment. `make lock` refreshes the lock; `make test-latest`
# runs the suite against the newest releases, to see drift before it lands.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
LOCK   := requirements
UV_VERSION := 0.13.9
PIP_INSTALL = $(BIN)/python -m pip install --quiet --require-hashes --no-deps
# catchball itself: built with the locked setuptools, its dependencies already in place.
SELF_INSTALL = $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .

.PHONY: install run test test-latest lock browser-test-deps bench bench-large fuzz mutate clean

# A venv that failed half-way (Debian without python3-venv) is removed, or the
# next `make` would take it as made and stop at "No module named pip".
$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }
	$(PIP_INSTALL) -r $(LOCK)/build.txt || { rm -rf $(VENV); exit 1; }

# `make run` needs catchball alone; the tests and benchmarks add their tools.
$(STAMP): $(BIN)/python pyproject.toml $(LOCK)/run.txt $(LOCK)/build.txt
	$(PIP_INSTALL) -r $(LOCK)/build.txt -r $(LOCK)/run.txt
	$(SELF_INSTALL)
	touch $(STAMP)

$(TEST_STAMP): $(STAMP) $(LOCK)/test.txt
	$(PIP_INSTALL) -r $(LOCK)/test.txt
	touch $(TEST_STAMP)

install: $(STAMP)

run: install
	$(BIN)/catchball cascade goals

test: $(TEST_STAMP)
	$(BIN)/python -m pytest

# Mermaid for the browser tests only (tests/test_board_browser.py): into .venv/node,
# outside the package; nothing from npm is committed or shipped.
MERMAID := $(VENV)/node/node_modules/mermaid/dist/mermaid.min.js
browser-test-deps: $(MERMAID)

# An exact version: the one the browser tests last passed with (npm has no lock here).
$(MERMAID):
	mkdir -p $(VENV)/node
	npm install --prefix $(VENV)/node --no-audit --no-fund --silent mermaid@11.17.2

# The suite against the newest release of every dependency, in a throwaway
# venv: run it before `make lock`, and monthly, so that a new PyYAML or Typer
# shows up here as a report rather than as a failed landing.
LATEST := $(or $(TMPDIR),/tmp)/catchball-latest
test-latest:
	rm -rf $(LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --upgrade --no-cache-dir pip setuptools
	$(LATEST)/bin/python -m pip install --quiet --upgrade --no-cache-dir -e '.[test]'
	$(LATEST)/bin/python -m pip list --format=freeze > $(LATEST)/versions.txt
	@echo "newest releases (in $(LATEST)/versions.txt):"; grep -iE '^(typer|click|rich|pyyaml|networkx|jinja2|openpyxl|ruamel.yaml|hypothesis|pytest|setuptools|pip)==' $(LATEST)/versions.txt
	$(LATEST)/bin/python -m pytest -p no:cacheprovider

# Refresh the lock from pyproject.toml: the test lock first, then the run lock
# inside it, so both agree on every shared package.
UV := $(VENV)/tools/bin/uv
$(UV):
	$(PYTHON) -m venv $(VENV)/tools
	$(VENV)/tools/bin/python -m pip install --quiet uv==$(UV_VERSION)

lock: $(UV)
	$(UV) pip compile pyproject.toml --extra test --universal --python-version 3.10 --generate-hashes --upgrade -o $(LOCK)/test.txt
	$(UV) pip compile pyproject.toml -c $(LOCK)/test.txt --universal --python-version 3.10 --generate-hashes -o $(LOCK)/run.txt
	$(UV) pip compile $(LOCK)/build.in --universal --python-version 3.10 --generate-hashes --upgrade -o $(LOCK)/build.txt

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/run.py --staff 1000 20000

bench-large: $(TEST_STAMP)
	$(BIN)/python benchmarks/run.py --staff 200000 1500000

fuzz: $(TEST_STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_properties.py tests/test_hostile_nesting.py

# Mutation run on the fast reader (catchball/load/plain.py): one process,
# niced, about 20 minutes; survivors must be killed by a test or explained in
# tests/mutation/equivalent.py (docs/architecture.md, "Fencing the fast reader").
mutate: $(TEST_STAMP)
	nice -n 10 $(BIN)/python tests/mutation/run_mutants.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mutation
