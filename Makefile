# Quick start: `make demo` (set-up + the main job on the bundled sample web) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_DB ?= sqlite:///var/demo.sqlite

.PHONY: setup system demo test clean

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

test: $(STAMP) system
	$(VENV)/bin/pytest

clean:
	rm -rf $(VENV) var informes-demo .pytest_cache
