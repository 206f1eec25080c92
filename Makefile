# Quick start: `make demo` (set-up + the main job on the bundled sample web) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# pywb (`apertura review --servir` and the replay tests) pins old redis/werkzeug/pyOpenSSL, so it lives in
# its own virtualenv.
PYWB_VENV ?= .venv-pywb
PYWB_STAMP := $(PYWB_VENV)/.installed
DEMO_DB ?= sqlite:///var/demo.sqlite

.PHONY: setup system pywb demo lint test test-fast bench bench-quick bench-politeness clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $(STAMP)

system:
	@scripts/system-deps.sh

demo: $(STAMP) system
	$(PY) -m sample_web.demo --db $(DEMO_DB) --out informes-demo

pywb: $(PYWB_STAMP)

$(PYWB_STAMP):
	python3 -m venv $(PYWB_VENV)
	$(PYWB_VENV)/bin/pip install -q pywb
	touch $(PYWB_STAMP)

# The habits CI enforces (.ci/run, and .pre-commit-config.yaml on each commit): ruff, ruff format, mypy.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# Two workers (pytest-xdist), each test file on one of them (its module fixtures are built once): on 2 cores the
# suite takes 10 min instead of 20, because a night's tests spend much of their time waiting on servers.
TEST_WORKERS ?= 2

test: $(STAMP) $(PYWB_STAMP) system
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile

# Rules, catalog, matching, auditors, periods… in seconds: no Chromium, no PostgreSQL, no whole-night crawls
# (markers in pyproject.toml; `browser` is set by tests/conftest.py on the tests that use Chromium).
test-fast: $(STAMP)
	$(VENV)/bin/pytest -m "not slow and not browser and not postgres"

# Benchmarks on a generated web served by nginx; docs/benchmarks.md is written from the measured numbers.
bench: $(STAMP) system
	$(PY) -m benchmarks.run --municipalities 125 --pages 300 --report docs/benchmarks.md

bench-quick: $(STAMP) system
	$(PY) -m benchmarks.run --municipalities 10 --pages 50 --wrk-seconds 5 --report var/benchmarks-quick.md

# A politeness-bound night: the generated web and its shared portal at a time-scaled 1 s per domain.
bench-politeness: $(STAMP) system
	$(PY) -m benchmarks.politeness --municipalities 125 --pages 20 --delay 0.1 --report docs/benchmarks-cortesia.md

clean:
	rm -rf $(VENV) $(PYWB_VENV) var informes-demo .pytest_cache
