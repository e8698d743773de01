# Deep Learning with PyTorch - set-up and checks. `make lab` for students, `make instructor` for
# instructors, `make test` for everything else. The environment (Python 3.11, torch's CPU build) is
# set up by etc/make/common.mk, which the students' bundle shares (with `make lab`).
PACKAGES := -e ".[test]"
include etc/make/common.mk
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# Days for `make verify` (all when empty), e.g. DAYS="day01_tensors day02_linear_layers".
DAYS ?=
# The instructor's JupyterLab server options live in this folder (etc/jupyter/instructor/).
INSTRUCTOR_JUPYTER_CONFIG := $(CURDIR)/etc/jupyter/instructor

.PHONY: install lab instructor test lint release verify workspace grade benchmark student-bundle system-deps clean

## Instructors: JupyterLab in the course root, with the formgrader.
instructor: install
	JUPYTER_CONFIG_PATH="$(INSTRUCTOR_JUPYTER_CONFIG)$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	  $(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --ServerApp.port=$(PORT) $(ROOT_FLAG) $(LAB_ARGS)

## Everyone: the lint gate, unit tests, then the four checks for every day.
test: install lint
	$(BIN)/python -m pytest
	$(BIN)/python -m course verify $(DAYS)

## Everyone, before committing: ruff over the Python files and the notebooks' code cells (configured in
## pyproject.toml), and nbstripout's check that source notebooks hold no outputs or execution counts.
# What is the course's own: not the folders a course run makes (workspace/, submitted/, fetched days...).
LINT_PATHS := course helpers tests benchmarks deploy etc source $(wildcard *.py)
lint: install
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/nbstripout --verify --keep-id source/*/*.ipynb

release: install
	$(BIN)/python -m course build $(DAYS)

verify: install
	$(BIN)/python -m course verify $(DAYS)

grade: install
	@test -n "$(ASSIGNMENT)" || (echo "usage: make grade ASSIGNMENT=day01_tensors [JOBS=2]"; exit 2)
	$(BIN)/python -m course grade $(ASSIGNMENT) --jobs $(JOBS)

benchmark: install
	$(BIN)/python benchmarks/grading.py

## The students' copy for a graded course: released notebooks and helpers, no source/ (dist/).
student-bundle: install
	$(BIN)/python -m course bundle

## System packages for the sandboxed grader and the browser tests (Debian/Ubuntu, needs root).
system-deps:
	@if command -v bwrap >/dev/null && command -v chromium >/dev/null; then echo "bubblewrap and chromium are installed"; \
	else apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends bubblewrap chromium; fi

clean:
	rm -rf $(VENV) .pytest_cache artifacts dist

## ---------------------------------------------------------------------------------------------------------
## A class on JupyterHub (README, "A class on JupyterHub"); run as root: each student's server runs as
## that student's own Unix account.
# The course environment every server on the hub runs in. Students must be able to read and run it, so it
# is made from the system's Python, outside any home folder, with the course installed (not linked).
HUB_PYTHON ?= /usr/bin/python3.11
HUB_PREFIX ?= /opt/dlwp
HUB_ENV := $(HUB_PREFIX)/env
# The stamp names what the environment was built from, by content (pyproject.toml, helpers/, course/):
# clones with the same files share one build, and two runs at once never rebuild it under each other
# (the build itself holds a lock).
HUB_INPUTS := $(shell cat pyproject.toml $$(find helpers course -type f -not -path '*/__pycache__/*' 2>/dev/null | LC_ALL=C sort) 2>/dev/null | sha256sum | cut -c1-16)
HUB_STAMP := $(HUB_ENV)/.installed-$(HUB_INPUTS)
HUB_DEPLOY := deploy/jupyterhub
HUB_PROXY := $(HUB_DEPLOY)/node_modules/.bin/configurable-http-proxy
HUB_ARGS ?=

.PHONY: hub hub-install hub-env benchmark-hub

hub-install: $(HUB_STAMP) $(HUB_PROXY)

$(HUB_STAMP):
	@mkdir -p $(HUB_PREFIX)
	@flock $(HUB_PREFIX)/.install.lock sh -c 'test -e $(HUB_STAMP) || $(MAKE) --no-print-directory hub-env'

# Builds the hub's environment; run through hub-install, which holds the lock.
hub-env:
	@test -x $(HUB_PYTHON) || (echo "$(HUB_PYTHON) not found: install Python 3.11 for all users (Debian: apt-get install python3.11) or set HUB_PYTHON"; exit 2)
	@$(HUB_PYTHON) -c "import ensurepip" 2>/dev/null || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3.11-venv)
	test -x $(HUB_ENV)/bin/python || (umask 022 && $(HUB_PYTHON) -m venv $(HUB_ENV))
	rm -rf build  # setuptools builds the course in-tree: no stale copy of deleted files
	umask 022 && $(HUB_ENV)/bin/python -m course.install --torch "$(TORCH)" --torch-build "$(TORCH_BUILD)" --cpu-index "$(TORCH_CPU_INDEX)" -- ".[hub]"
	rm -rf build
	chmod -R a+rX,go-w $(HUB_PREFIX)
	rm -f $(HUB_ENV)/.installed*
	touch $(HUB_STAMP)

$(HUB_PROXY): $(HUB_DEPLOY)/package.json $(HUB_DEPLOY)/package-lock.json
	@command -v npm >/dev/null || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs npm)
	cd $(HUB_DEPLOY) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

## Instructors: the class's JupyterHub on this server (as root; HUB_ARGS passes options to jupyterhub).
hub: hub-install
	$(HUB_ENV)/bin/python $(HUB_DEPLOY)/classroom.py prepare
	$(HUB_ENV)/bin/jupyterhub -f $(HUB_DEPLOY)/jupyterhub_config.py $(HUB_ARGS)

## 30 students logging in at once on a scratch hub on loopback: spawn times, hub CPU and memory.
benchmark-hub: install hub-install
	$(BIN)/python benchmarks/hub_load.py

# `make test` also runs the hub tests, which need the course environment and the proxy.
test: hub-install
test: export DLWP_HUB_ENV := $(HUB_ENV)
benchmark-hub: export DLWP_HUB_ENV := $(HUB_ENV)
