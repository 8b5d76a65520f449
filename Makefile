# Two commands for a fresh machine with Python 3.12+ and make:  make run  ·  make test
SHELL := /bin/bash
# The first Python 3.12+ found on PATH (pyenv shims honour .python-version).
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 \
	&& echo $$p && break; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
DEV := DJANGO_DEBUG=1

.PHONY: install run test messages lint format ci clean bench bench-faults

$(STAMP):
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (python3.12 on PATH)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

# Compiled catalogues are committed; recompile when GNU gettext is available.
messages: install
	@if command -v msgfmt >/dev/null 2>&1; then $(DEV) $(PY) manage.py compilemessages --ignore=.venv -v0; fi

# make run PORT=8001 serves on another port.
PORT ?= 8000
run: messages
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_demo
	$(DEV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# In parallel, one process per core (pytest-xdist): TEST_WORKERS=0 runs in this process.
# loadgroup: tests marked xdist_group (the fault suite) share one worker and its servers.
# PYTEST_ARGS passes more options, e.g. PYTEST_ARGS='-m "not browser"'.
TEST_WORKERS ?= auto
PYTEST_ARGS ?=
test: messages
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

ci:
	bash .ci/run

# Issue 14's table in one run (about 9 minutes): bare Django, the portal cached and uncached,
# nginx in front (docs/nginx/sodertorn.conf), two app servers, one edit a second; PostgreSQL
# sodertorn_bench, Redis db 14, 127.0.0.1:18765-18769, load from wrk (wrk and nginx installed
# with apt-get when missing). BENCH_DURATION, BENCH_PORT, BENCH_DB, ...: see bench/run.sh.
bench: messages
	bash bench/run.sh

# Faults under load (own PostgreSQL cluster, Redis and gunicorn on 127.0.0.1:23200-23399):
# 60 s at 64 connections with Redis killed halfway, then the four faults; about 3 minutes.
bench-faults: messages
	$(PY) bench/faults.py

clean:
	rm -rf $(VENV) var
