# The two quick-start commands: `make pdfs` and `make test`. Each first runs scripts/setup.sh
# (the system packages it needs, also used by .ci/run), then sets up .venv, then does its job.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: pdfs test check release release-candidate clean system-pdfs system-test
# The system check, the venv and the command run in that order, also under `make -j`.
.NOTPARALLEL:

pdfs: system-pdfs $(STAMP)
	$(PY) build_pdfs.py build

check: system-pdfs $(STAMP)
	$(PY) build_pdfs.py check

test: system-test $(STAMP)
	$(PY) -m pytest -n 2 -q

# A release build of the whole catalogue into a scratch folder: any problem or warning fails,
# a placeholder brand address in site.yaml too.
release: system-pdfs $(STAMP)
	@out=$$(mktemp -d) && trap 'rm -rf "$$out"' EXIT && \
	    $(PY) build_pdfs.py build --strict -q --out "$$out" >/dev/null && \
	    echo "Release build: $$(ls "$$out"/*.pdf | wc -l) PDFs, no problem or warning."

# The same, while site.yaml's address is still a placeholder (what CI builds until the
# brand's real address is known): every other problem or warning still fails it.
release-candidate: system-pdfs $(STAMP)
	@out=$$(mktemp -d) && trap 'rm -rf "$$out"' EXIT && \
	    $(PY) build_pdfs.py build --strict --allow-placeholder-address -q --out "$$out" \
	        >/dev/null && \
	    echo "Release candidate: $$(ls "$$out"/*.pdf | wc -l) PDFs, no problem or warning" \
	         "(the brand address in site.yaml may still be a placeholder: not for release)."

system-pdfs system-test: system-%:
	@PYTHON='$(PYTHON)' VENV='$(VENV)' bash scripts/setup.sh $*

# pip prints nothing when it succeeds; when it fails, everything it printed is shown.
$(STAMP): pyproject.toml
	@echo "Installing guidepress and its dependencies into $(VENV)"
	@if [ ! -x $(PY) ] && ! out=$$($(PYTHON) -m venv $(VENV) 2>&1); then \
	    rm -rf $(VENV); \
	    case "$$out" in \
	    *ensurepip*) echo "'$(PYTHON) -m venv' failed: no ensurepip; on Debian or Ubuntu run 'sudo apt-get install -y python3-venv', then make again." >&2 ;; \
	    *) printf '%s\n' "$$out" >&2; echo "'$(PYTHON) -m venv $(VENV)' failed (above)." >&2 ;; \
	    esac; \
	    exit 1; \
	fi
	@out=$$($(PY) -m pip install --upgrade pip 2>&1 && $(PY) -m pip install -e '.[test]' 2>&1) \
	    || { printf '%s\n' "$$out" >&2; echo "pip install failed (above)." >&2; exit 1; }
	@touch $@

clean:
	rm -rf dist .pytest_cache
