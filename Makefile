# The two commands the README opens with; each sets up what it needs first.
VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
E2E    := tests/e2e/node_modules/.package-lock.json

.PHONY: run test test-quick setup

run: setup
	$(PYTHON) main.py $(ARGS)

test: setup $(E2E)
	$(PYTHON) -m pytest $(PYTEST_ARGS)

# The development loop: domain, input, database and handler tests (no processes, no faults).
test-quick: setup
	$(PYTHON) -m pytest -m "unit or db or handlers" $(PYTEST_ARGS)

setup: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

$(E2E): tests/e2e/package.json tests/e2e/package-lock.json
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
