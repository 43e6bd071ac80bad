# The two commands the README opens with; each sets up what it needs first.
VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements-test.lock | cksum | cut -d' ' -f1)
E2E    := tests/e2e/node_modules/.package-lock.json

.PHONY: run test test-quick setup lock

run: setup
	$(PYTHON) main.py $(ARGS)

# On WORKERS pytest-xdist processes, each with its own databases and emulator (tests/CONVENTIONS.md);
# work-stealing, as the tests' lengths go from milliseconds to half a minute. WORKERS=0: one process.
WORKERS ?= 3
XDIST   := -n $(WORKERS) --dist worksteal

test: setup $(E2E)
	$(PYTHON) -m pytest $(XDIST) $(PYTEST_ARGS)

# The development loop: domain, input, database and handler tests (no processes, no faults).
test-quick: setup
	$(PYTHON) -m pytest $(XDIST) -m "unit or db or handlers" $(PYTEST_ARGS)

setup: $(STAMP)

# Every package at the version and hash of the lock (pip-compile: see README, "Dependencies"),
# then the project itself, editable, with no dependency resolved again.
$(STAMP): pyproject.toml requirements-test.lock
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements-test.lock
	$(VENV)/bin/pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

$(E2E): tests/e2e/package.json tests/e2e/package-lock.json
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error

# After changing a dependency in pyproject.toml: both locks again, with hashes (needs pip-tools).
lock:
	pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock pyproject.toml
	pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
		--extra test --output-file requirements-test.lock pyproject.toml
