# Everything a fresh machine needs: Python 3.10+ and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: install run test browser-test-deps bench bench-large fuzz clean

# A venv that failed half-way (Debian without python3-venv) is removed, or the
# next `make` would take it as made and stop at "No module named pip".
$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

# `make run` needs catchball alone; the tests and benchmarks add their tools.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
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

$(MERMAID):
	mkdir -p $(VENV)/node
	npm install --prefix $(VENV)/node --no-audit --no-fund --silent mermaid@11

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/run.py --staff 1000 20000

bench-large: $(TEST_STAMP)
	$(BIN)/python benchmarks/run.py --staff 200000 1500000

fuzz: $(TEST_STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_properties.py tests/test_hostile_nesting.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
