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

.PHONY: install lab instructor test release verify workspace grade benchmark student-bundle system-deps clean

## Instructors: JupyterLab in the course root, with the formgrader.
instructor: install
	JUPYTER_CONFIG_PATH="$(INSTRUCTOR_JUPYTER_CONFIG)$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	  $(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --ServerApp.port=$(PORT) $(ROOT_FLAG) $(LAB_ARGS)

## Everyone: unit tests, then the four checks for every day.
test: install
	$(BIN)/python -m pytest
	$(BIN)/python -m course verify $(DAYS)

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
