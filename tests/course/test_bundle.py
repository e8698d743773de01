"""The students' bundle: released notebooks and an installable helpers package, never a solution."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import nbformat
import pytest

from course.bundle import build_bundle
from course.layout import list_days
from course.markers import marked_lines, split_secret_lines

REPO = Path(__file__).resolve().parents[2]


def secret_and_public_lines(root: Path) -> tuple[set[str], set[str]]:
    """Stripped lines inside a solution or hidden-test region of any day that no day shows outside
    one (a line like ``optimizer.step()`` can be one day's solution and another day's lesson), and
    the lines outside the regions."""
    secret, public = set(), set()
    for day in list_days(root):
        nb = nbformat.read(str(root / "source" / day / f"{day}.ipynb"), as_version=4)
        for cell in nb.cells:
            cell_secret, cell_public = split_secret_lines(cell.source)
            secret |= set(cell_secret)
            public |= set(cell_public)
    return {s for s in secret - public if len(s) >= 8 and not s.startswith("#")}, public


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """The bundle built from this checkout, and the folder it unpacks to."""
    out = tmp_path_factory.mktemp("bundle")
    path = build_bundle(REPO, out / "student.tar.gz")
    with tarfile.open(path) as tar:
        names = tar.getnames()
        tar.extractall(out / "unpacked", filter="data")
    (top,) = {name.split("/")[0] for name in names}
    return path, names, out / "unpacked" / top


def test_the_bundle_holds_the_release_and_helpers_but_no_source(bundle):
    _, names, _ = bundle
    inside = {name.split("/", 1)[1] for name in names}
    assert not [n for n in inside
                if n.startswith(("source/", "tests/", "autograded/", "course/grading/", "benchmarks/"))]
    assert not [n for n in inside if "gradebook" in n or "__pycache__" in n]
    for day in list_days(REPO):
        assert f"release/{day}/{day}.ipynb" in inside
    assert {"Makefile", "README.md", "pyproject.toml", "nbgrader_config.py", "helpers/checks/__init__.py",
            "helpers/tracebacks.py", "course/install.py", "etc/make/common.mk",
            "etc/jupyter/student/labconfig/page_config.json"} <= inside


def test_no_solution_or_hidden_test_line_reaches_the_bundle(bundle):
    _, _, unpacked = bundle
    secret, _ = secret_and_public_lines(REPO)
    assert len(secret) > 100  # the course has many; an empty set would make this test vacuous
    leaks = []
    for path in sorted(p for p in unpacked.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8", errors="replace")
        lines = {line.strip() for line in text.splitlines()}
        if path.suffix == ".ipynb":
            for cell in nbformat.reads(text, as_version=4).cells:
                lines |= {line.strip() for line in cell.source.splitlines()}
        leaks += [(str(path.relative_to(unpacked)), line) for line in secret & lines]
    assert leaks == []


def test_the_released_notebooks_are_the_committed_ones(bundle):
    _, _, unpacked = bundle
    for day in list_days(REPO):
        name = Path("release") / day / f"{day}.ipynb"
        assert (unpacked / name).read_bytes() == (REPO / name).read_bytes()


def test_helpers_install_with_pip_from_the_bundle(bundle, tmp_path):
    _, _, unpacked = bundle
    target = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                           "--no-index", "--target", str(target), str(unpacked)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert ((target / "helpers" / "checks" / "values.py").is_file()
            and (target / "helpers" / "data" / "animals.csv").is_file())
    assert not (target / "course").exists()


def test_the_students_makefile_sets_up_and_opens_the_lab_with_student_tools(bundle):
    _, _, unpacked = bundle
    (unpacked / ".venv").mkdir()
    (unpacked / ".venv" / ".installed").touch()  # as if installed: show what `make lab` then runs
    done = subprocess.run(["make", "-n", "lab"], cwd=unpacked, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "-m course workspace" in done.stdout
    assert f"{unpacked}/etc/jupyter/self-study:{unpacked}/etc/jupyter/student" in done.stdout
    assert "jupyter lab --notebook-dir=workspace" in done.stdout
    assert subprocess.run(["make", "-n", "instructor"], cwd=unpacked, capture_output=True, timeout=60).returncode != 0


def test_a_solution_line_in_the_release_stops_the_bundle(tmp_path):
    course = tmp_path / "course"
    for name in ("pyproject.toml", "nbgrader_config.py"):
        (course / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, course / name)
    for folder in ("helpers", "etc", "source", "release"):
        shutil.copytree(REPO / folder, course / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "course", course / "course", ignore=shutil.ignore_patterns("__pycache__"))
    day = list_days(REPO)[0]
    secret, _ = secret_and_public_lines(REPO)
    source = nbformat.read(str(REPO / "source" / day / f"{day}.ipynb"), as_version=4)
    leaked = next(line.strip() for cell in source.cells
                  for line in marked_lines(cell.source) if line.strip() in secret)
    release_path = course / "release" / day / f"{day}.ipynb"
    release = nbformat.read(str(release_path), as_version=4)
    release.cells.append(nbformat.v4.new_code_cell(leaked))
    nbformat.write(release, str(release_path))
    with pytest.raises(SystemExit, match="Refusing to bundle: 1 solution or hidden-test line"):
        build_bundle(course, tmp_path / "out.tar.gz")
    assert not (tmp_path / "out.tar.gz").exists()
