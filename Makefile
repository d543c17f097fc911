# Données et territoires — every command a developer or CI needs. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
PY := .venv/bin/python
PROFILE ?= default
export QT_QPA_PLATFORM ?= offscreen
export PYTHONDONTWRITEBYTECODE := 1
PYTEST := $(PY) -m pytest -q

.PHONY: help setup test test-matrix test-unit test-qgis test-gui screenshots lint translations zip install bench demo clean

help: ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

setup: ## install missing apt packages and the .venv with pinned test tools (idempotent)
	@bash scripts/setup.sh

$(PY):
	@bash scripts/setup.sh

test: setup translations ## lint, then the whole suite: unit (no QGIS), QGIS headless, real QGIS window under xvfb
	$(MAKE) --no-print-directory lint test-unit test-qgis test-gui

test-matrix: ## make test again in Debian 13 (QGIS 3.40) and Debian unstable (QGIS 3.44) root filesystems (root; SUITES="trixie")
	@bash scripts/test_matrix.sh $(SUITES)

test-unit: ## unit tests, QGIS not importable
	$(PYTEST) -p no:pytest_qgis tests/unit

test-qgis: ## tests with pytest-qgis, headless (offscreen)
	$(PYTEST) tests/qgis

test-gui: ## tests in a real QGIS Desktop window under xvfb-run
	xvfb-run -a -s "-screen 0 1600x1000x24" $(PYTEST) -p no:pytest_qgis tests/gui

screenshots: setup translations ## refresh docs/*.png from a real QGIS window (the dock flow, partial-run and publish tests)
	DT_REFRESH_DOCS=1 xvfb-run -a -s "-screen 0 1600x1000x24" $(PYTEST) -p no:pytest_qgis tests/gui/test_dock_flow.py tests/gui/test_partial_run.py tests/gui/test_publish_window.py

lint: $(PY) ## ruff, flake8-qgis rules, and Qt5-only idioms QGIS 4 (Qt6) refuses (scripts/lint_qt6.py)
	$(PY) -m ruff check .
	$(PY) -m flake8 --select=QGS donnees_territoires
	$(PY) scripts/lint_qt6.py

translations: $(PY) ## French source strings -> i18n/*.ts (kept translations) -> compiled .qm
	$(PY) scripts/translations.py update
	$(PY) scripts/translations.py compile

zip: translations ## dist/donnees_territoires-<version>.zip for the Plugin Manager
	$(PY) scripts/package_plugin.py zip

install: translations ## deploy into $$HOME's QGIS profile (PROFILE=default) and enable it
	$(PY) scripts/package_plugin.py install $(PROFILE)

bench: setup translations ## benchmarks in tests/bench: figures into docs/bench/last-run.json and the README; fails if a budget is missed
	@missed=""; \
	for bench in tests/bench/bench_*.py; do echo "== $$bench"; $(PY) $$bench || missed="$$missed $$bench"; done; \
	$(PY) scripts/bench_table.py --write || missed="$$missed scripts/bench_table.py"; \
	if [ -n "$$missed" ]; then echo "make bench : budget manqué ou échec dans$$missed" >&2; exit 1; fi

demo: setup translations ## the main job: a package of Bordeaux and its map in demo/, offline (ONLINE=1: real services)
	@$(PY) scripts/demo.py $(if $(filter 1 yes true,$(ONLINE)),--online)

clean: ## remove build outputs (keeps .venv)
	rm -rf build dist demo tests/artifacts .pytest_cache .ruff_cache i18n/*.qm
