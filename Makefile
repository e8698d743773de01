# Deep Learning with PyTorch - set-up and checks. `make lab` for students, `make test` for everything else.
PYTHON ?= python3.11
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# The CPU wheel of torch; an unpinned torch pulls a multi-GB CUDA build. Keep in step with pyproject.toml
# and environment.yml (tests/test_environment.py checks that the three agree).
TORCH := torch==2.13.0
STAMP := $(VENV)/.installed
PORT ?= 8888
# Extra options for JupyterLab, e.g. LAB_ARGS=--no-browser on a server.
LAB_ARGS ?=
# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

# nbgrader calls `alembic` by name, so the environment's bin/ comes first on PATH.
export PATH := $(BIN):$(PATH)

.PHONY: install lab test release verify workspace grade benchmark system-deps clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "$(TORCH)" -e ".[test]"
	touch $(STAMP)

## Students: build the release, copy new days into workspace/ and open JupyterLab there.
lab: install release workspace
	$(BIN)/jupyter lab --notebook-dir=workspace --ServerApp.port=$(PORT) $(ROOT_FLAG) $(LAB_ARGS)

workspace: install
	$(BIN)/python -m course workspace

## Everyone: unit tests, then the four checks for every day.
test: install
	$(BIN)/python -m pytest
	$(BIN)/python -m course verify

## Instructors.
release: install
	$(BIN)/python -m course build

verify: install
	$(BIN)/python -m course verify

grade: install
	@test -n "$(ASSIGNMENT)" || (echo "usage: make grade ASSIGNMENT=day01_tensors [JOBS=2]"; exit 2)
	$(BIN)/python -m course grade $(ASSIGNMENT) --jobs $(JOBS)

benchmark: install
	$(BIN)/python benchmarks/grading.py

## System packages for the sandboxed grader and the browser tests (Debian/Ubuntu, needs root).
system-deps:
	@if command -v bwrap >/dev/null && command -v chromium >/dev/null; then echo "bubblewrap and chromium are installed"; \
	else apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends bubblewrap chromium; fi

clean:
	rm -rf $(VENV) .pytest_cache artifacts
