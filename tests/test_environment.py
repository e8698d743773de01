"""pyproject.toml, environment.yml and the Makefile describe the same environment."""

import re
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def pyproject_dependencies() -> list[str]:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]


def test_torch_is_pinned_to_the_same_cpu_release_everywhere():
    pins = {d for d in pyproject_dependencies() if re.match(r"torch\b(?!metrics)", d)}
    assert pins == {"torch==2.13.0"}
    makefile = re.search(r"^TORCH := (\S+)$", (REPO / "Makefile").read_text(), re.M).group(1)
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip_list = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert makefile == "torch==2.13.0"
    assert "torch==2.13.0" in pip_list


def test_conda_environment_installs_this_project_on_python_311():
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]
    pip_list = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e .[test]" in pip_list
    makefile = (REPO / "Makefile").read_text()
    assert '-e ".[test]"' in makefile


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
