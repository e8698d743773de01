"""pyproject.toml, environment.yml and the Makefile describe the same environment, and it is the one
installed: torch is the CPU build unless the CUDA build was asked for."""

import json
import re
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from course import install

REPO = Path(__file__).resolve().parents[1]
MAKE_ENVIRONMENT = REPO / "etc" / "make" / "common.mk"


def pyproject_dependencies() -> list[str]:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]


def make_variable(name: str) -> str:
    return re.search(rf"^{name} [:?]?= (.+)$", MAKE_ENVIRONMENT.read_text(), re.M).group(1).strip()


def conda_pip_list() -> list[str]:
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    return next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))


def test_torch_is_pinned_to_the_same_release_and_cpu_index_everywhere():
    pins = {d for d in pyproject_dependencies() if re.match(r"torch\b(?!metrics)", d)}
    assert pins == {"torch==2.13.0"}
    assert make_variable("TORCH") == "torch==2.13.0"
    assert "torch==2.13.0" in conda_pip_list()
    assert make_variable("TORCH_CPU_INDEX") == install.CPU_INDEX == "https://download.pytorch.org/whl/cpu"
    assert f"--extra-index-url {install.CPU_INDEX}" in conda_pip_list()
    assert make_variable("TORCH_BUILD") == "cpu"


def test_conda_environment_installs_this_project_on_python_311():
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]
    assert "-e .[test]" in conda_pip_list()
    assert re.search(r'^PACKAGES := -e "\.\[test\]"$', (REPO / "Makefile").read_text(), re.M)
    assert "include etc/make/common.mk" in (REPO / "Makefile").read_text()


def test_project_requires_the_course_stack():
    names = {re.split(r"[<>=!\[ ]", d, maxsplit=1)[0].lower() for d in pyproject_dependencies()}
    assert {"torch", "nbgrader", "jupyterlab", "pandas", "scikit-learn", "matplotlib", "tqdm",
            "torchmetrics"} <= names
    assert any(d.startswith("nbgrader>=0.9") and "<0.10" in d for d in pyproject_dependencies())
    assert any(d.startswith("jupyterlab>=4") and "<5" in d for d in pyproject_dependencies())


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text()
    readme = (REPO / "README.md").read_text()
    commands = [line.strip() for line in ci.splitlines() if line.strip().startswith("make ")]
    assert "make test" in commands
    for command in commands:
        assert command in readme, f"`{command}` is run by CI but not described in the README"


def test_installed_torch_is_the_cpu_build_unless_cuda_was_asked_for():
    import torch

    record_file = install.record_path(sys.prefix)
    record = json.loads(record_file.read_text()) if record_file.is_file() else {}
    if record.get("requested") == "cuda":
        pytest.skip(f"this environment asked for the CUDA build (TORCH_BUILD=cuda): torch {torch.__version__}")
    source = record.get("source", "an unrecorded source (not `make install`)")
    assert torch.version.cuda is None, (
        f"torch {torch.__version__} is a CUDA {torch.version.cuda} build, from {source}, although the CPU build "
        f"was asked for: run `make clean install` where {install.CPU_INDEX} is reachable, or set TORCH_BUILD=cuda "
        "if CUDA is what you want.")


def test_make_test_runs_the_lint_gate_with_the_pinned_tools():
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^test: install lint$", makefile, re.M), "`make test` must run `make lint` first"
    lint = makefile.split("\nlint: install\n", 1)[1].split("\n\n", 1)[0]
    assert "$(BIN)/ruff check $(LINT_PATHS)" in lint
    paths = re.search(r"^LINT_PATHS := (.+)$", makefile, re.M).group(1)
    assert {"course", "helpers", "tests", "source"} <= set(paths.split()) and "$(wildcard *.py)" in paths
    assert "$(BIN)/nbstripout --verify --keep-id source/*/*.ipynb" in lint
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]["test"]
    assert {"ruff==0.17.5", "nbstripout==0.9.1"} <= set(extras)
