# Everything a fresh machine needs: Python 3.10+ and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test bench bench-large fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/catchball cascade goals

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/run.py --staff 1000 20000

bench-large: install
	$(BIN)/python benchmarks/run.py --staff 200000 1500000

fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_properties.py tests/test_hostile_nesting.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
