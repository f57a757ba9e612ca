# The two quick-start commands: `make pdfs` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: pdfs test check clean

pdfs: $(STAMP)
	$(PY) build_pdfs.py build

check: $(STAMP)
	$(PY) build_pdfs.py check

test: $(STAMP)
	$(PY) -m pytest -n 2 -q

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

clean:
	rm -rf dist .pytest_cache
