# The two set-up commands are `make run` and `make test`; everything they need is installed here.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint typecheck unit bench fuzz index clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

index: install
	$(BIN)/jiebang index

run: install
	$(BIN)/jiebang index
	$(BIN)/jiebang chat

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/python -m pytest -q

test: lint typecheck unit

# One table on stdout and bench/results.json (≤ 10 minutes on 2 cores); README carries the latest.
bench: install
	$(BIN)/python -m bench

# ≥ 10,000 generated inputs per main property (answer(), interview, validators); prints per-test counts.
fuzz: install
	JIEBANG_FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest -q tests -k fuzz --hypothesis-show-statistics

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
