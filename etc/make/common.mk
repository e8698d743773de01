# Shared by the course's Makefile and the students' bundle: the Python environment and the student's lab.
# `make install` creates .venv/ with Python 3.11 and installs the packages, torch as its CPU build;
# `make lab` copies new days into workspace/ and opens JupyterLab there with student tools only.
# pyproject.toml and environment.yml name the same torch (tests/test_environment.py checks that).

# Python 3.11: PYTHON=/path/to/python3.11 overrides; otherwise the first of these that is 3.11.
PYTHON_CANDIDATES := python3.11 python3 python /usr/bin/python3.11 /usr/local/bin/python3.11
PYTHON ?= $(firstword $(foreach p,$(PYTHON_CANDIDATES),$(shell $(p) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' >/dev/null 2>&1 && command -v $(p))))
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
# torch: one pin everywhere. On Linux it comes from PyTorch's CPU index (PyPI's Linux wheels are the
# multi-GB CUDA build); TORCH_BUILD=cuda asks for the default (CUDA) build instead. To switch an
# existing environment: make clean install TORCH_BUILD=cuda
TORCH := torch==2.13.0
TORCH_BUILD ?= cpu
TORCH_CPU_INDEX := https://download.pytorch.org/whl/cpu
# What else goes into the environment (the including Makefile may set it first).
PACKAGES ?= -e .

# JupyterLab: PORT picks the port, LAB_ARGS adds options (LAB_ARGS=--no-browser on a server).
PORT ?= 8888
LAB_ARGS ?=
# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
# The student's JupyterLab: student tools only (etc/jupyter/student, which a JupyterHub uses too), and no
# Assignments tab where there is no nbgrader exchange to fetch from (etc/jupyter/self-study).
STUDENT_JUPYTER_CONFIG := $(CURDIR)/etc/jupyter/self-study:$(CURDIR)/etc/jupyter/student

.DEFAULT_GOAL := install

# nbgrader calls `alembic` by name, so the environment's bin/ comes first on PATH.
export PATH := $(BIN):$(PATH)

$(STAMP): pyproject.toml
	@if [ ! -x "$(BIN)/python" ]; then \
	  py="$(PYTHON)"; \
	  if [ -z "$$py" ]; then \
	    echo "No Python 3.11 found (tried $(PYTHON_CANDIDATES)): install Python 3.11 (python.org, 'apt install python3.11 python3.11-venv', 'brew install python@3.11' or 'pyenv install 3.11') or name one with PYTHON=/path/to/python3.11." >&2; \
	    exit 1; \
	  fi; \
	  if ! "$$py" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then \
	    echo "PYTHON=$$py is $$("$$py" --version 2>&1), but the course needs Python 3.11." >&2; exit 1; \
	  fi; \
	  echo "First-time set-up: creating $(VENV)/ with $$py ($$("$$py" --version 2>&1))."; \
	  if ! "$$py" -m venv "$(VENV)"; then \
	    rm -rf "$(VENV)"; \
	    echo "Could not create $(VENV)/ with $$py; on Debian or Ubuntu, install the python3.11-venv package." >&2; exit 1; \
	  fi; \
	fi
	@$(BIN)/python -m course.install --torch "$(TORCH)" --torch-build "$(TORCH_BUILD)" --cpu-index "$(TORCH_CPU_INDEX)" -- $(PACKAGES)
	@touch $(STAMP)

install: $(STAMP)

## Students: copy new days into workspace/ and open JupyterLab there, with student tools only.
lab: install workspace
	JUPYTER_CONFIG_PATH="$(STUDENT_JUPYTER_CONFIG)$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	  $(BIN)/jupyter lab --notebook-dir=workspace --ServerApp.port=$(PORT) $(ROOT_FLAG) $(LAB_ARGS)

workspace: install
	$(BIN)/python -m course workspace
