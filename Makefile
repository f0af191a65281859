# Make Friends With Social Media, Carefully
#   make app     serve the course on http://127.0.0.1:8866/ (HOST=... PORT=... to change)
#   make class   serve a live session to the room: HOST=0.0.0.0 SIZE=30 (CODE=..., CERT=... KEY=...)
#   make lab     JupyterLab on the course, with nbgrader's formgrader, for instructors
#   make test    run the whole test suite (installs Debian's chromium if missing)
#   make bench   print page speed and memory against a floor page
#   make release regenerate release/ from source/ with nbgrader
#   make lint    check the code with ruff
# Each target creates .venv on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8866
SIZE   ?= 30
CODE   ?=
CERT   ?=
KEY    ?=
LAB_PORT ?= 8888

# Kernels and nbgrader find the course's own programs first (nbgrader runs alembic).
export PATH := $(BIN):$(PATH)

.PHONY: app class lab test bench release lint chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed-app

app: $(VENV)/.installed-app
	$(BIN)/carefully serve --ip $(HOST) --port $(PORT)

class: $(VENV)/.installed-app
	$(BIN)/carefully serve --class --ip $(HOST) --port $(PORT) --size $(SIZE) \
		$(if $(CODE),--code $(CODE)) $(if $(CERT),--certfile $(CERT)) $(if $(KEY),--keyfile $(KEY))

lab: $(VENV)/.installed-app
	$(BIN)/jupyter lab --ServerApp.root_dir=$(CURDIR) --ServerApp.ip=$(HOST) \
		--ServerApp.port=$(LAB_PORT) --ServerApp.allow_root=True --no-browser

chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Debian's chromium at /usr/bin/chromium."; \
		echo "Install it as root:  apt-get install chromium   then run make test again."; \
		exit 1; \
	fi

# The JupyterHub test needs the hub's proxy, from the npm registry.
$(VENV)/node/.installed-proxy: | $(BIN)/python
	@command -v npm >/dev/null || { echo "The hub test needs npm (Node.js): apt-get install nodejs npm"; exit 1; }
	npm install --prefix $(VENV)/node --no-audit --no-fund --silent configurable-http-proxy@5.2.0
	touch $@

test: $(VENV)/.installed-test $(VENV)/node/.installed-proxy chromium
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-test chromium
	$(BIN)/python tests/bench.py

release: $(VENV)/.installed-app
	$(BIN)/carefully release

lint: $(VENV)/.installed-test
	$(BIN)/ruff check carefully tests deploy nbgrader_config.py
