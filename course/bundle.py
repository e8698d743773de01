"""``python -m course bundle``: the students' copy of the course, without solutions or hidden tests.

A clone of this repository is for self-study and for instructors: ``source/`` holds every solution
and hidden test. For a graded course, hand students this archive instead
(``dist/dlwp-student-VERSION.tar.gz``, or ``--out``). It holds:

- ``release/``: the student notebooks, as nbgrader generated them (committed and verified);
- ``helpers/``: the package the notebooks import, installable with pip (``pyproject.toml``);
- ``course/``: only the set-up (``install.py``) and ``python -m course workspace``;
- ``etc/``: the student's JupyterLab configuration and the set-up shared with this Makefile;
- ``Makefile`` and ``README.md`` for students (``make lab``), and ``nbgrader_config.py`` (the course
  settings the Validate button uses).

The archive is reproducible (sorted entries, fixed times and owners). It is refused, and nothing is
written, when any solution or hidden-test line of ``source/`` appears in a file it would hold.
"""

from __future__ import annotations

import argparse
import gzip
import io
import tarfile
import tomllib
from pathlib import Path

import nbformat

from .layout import find_root, folder_name, list_days, load_config, notebook_path
from .markers import all_delimiters, secret_lines, split_secret_lines
from .notebooks import read_notebook

TEMPLATES = Path(__file__).resolve().parent / "student_bundle"
COURSE_MODULES = ("__init__.py", "__main__.py", "install.py", "layout.py", "workspace.py")
CONFIG_FOLDERS = ("etc/make", "etc/jupyter/student", "etc/jupyter/self-study")
SKIPPED_PARTS = {"__pycache__", ".ipynb_checkpoints"}

PYPROJECT = """\
[build-system]
requires = {build_requires}
build-backend = "setuptools.build_meta"

[project]
name = "dlwp-student"
version = "{version}"
description = "Deep Learning with PyTorch: the helpers the course notebooks import, for students."
requires-python = "{requires_python}"
dependencies = [
{dependencies}
]

[tool.setuptools.packages.find]
include = ["helpers*"]

[tool.setuptools.package-data]
{package_data}
"""


def student_pyproject(root: Path) -> str:
    """The bundle's pyproject.toml: this project's dependencies and package data, ``helpers`` only."""
    project_file = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    project = project_file["project"]
    package_data = project_file.get("tool", {}).get("setuptools", {}).get("package-data", {})
    return PYPROJECT.format(
        build_requires=_toml_list(project_file["build-system"]["requires"]),
        version=project["version"],
        requires_python=project["requires-python"],
        dependencies="\n".join(f'    "{d}",' for d in project["dependencies"]),
        package_data="\n".join(f"{name} = {_toml_list(globs)}" for name, globs in package_data.items()
                               if name.split(".")[0] == "helpers"),
    )


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


def _files_under(root: Path, folder: str) -> list[Path]:
    base = root / folder
    return sorted(p for p in base.rglob("*") if p.is_file() and not SKIPPED_PARTS & set(p.relative_to(root).parts))


def bundle_files(root: Path) -> dict[str, bytes]:
    """Every file of the students' bundle: path inside the bundle -> content."""
    files: dict[str, bytes] = {}
    for folder in (folder_name("release", load_config(root)), "helpers", *CONFIG_FOLDERS):
        for path in _files_under(root, folder):
            if folder == "helpers" and path.suffix in (".pyc", ".pyo"):
                continue
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    for name in COURSE_MODULES:
        files[f"course/{name}"] = (root / "course" / name).read_bytes()
    files["nbgrader_config.py"] = (root / "nbgrader_config.py").read_bytes()
    files["Makefile"] = (TEMPLATES / "Makefile").read_bytes()
    files["README.md"] = (TEMPLATES / "README.md").read_bytes()
    files["pyproject.toml"] = student_pyproject(root).encode()
    return dict(sorted(files.items()))


def course_secret_lines(root: Path) -> set[str]:
    """Solution and hidden-test lines of every day that no day shows its students (a line such as
    ``optimizer.step()`` can be one day's solution and another day's lesson)."""
    config = load_config(root)
    kinds = all_delimiters(config)
    secret, public = set(), set()
    for day in list_days(root, config):
        nb = read_notebook(notebook_path(root, "source", day, config))
        secret |= secret_lines(nb, config=config)
        for cell in nb.cells:
            public |= set(split_secret_lines(cell.source, kinds)[1])
    return secret - public


def leaked_lines(root: Path, files: dict[str, bytes]) -> list[tuple[str, str]]:
    """(file, line) for every solution or hidden-test line of ``source/`` found in ``files``."""
    secrets = course_secret_lines(root)
    leaks = []
    for name, content in files.items():
        text = content.decode("utf-8", errors="replace")
        lines = {line.strip() for line in text.splitlines()}
        if name.endswith(".ipynb"):  # notebook JSON quotes each line of a cell as a string
            lines |= {line.strip() for cell in read_notebook_text(text) for line in cell.splitlines()}
        leaks += [(name, line) for line in sorted(secrets & lines)]
    return leaks


def read_notebook_text(text: str) -> list[str]:
    """The sources and text outputs of a notebook given as JSON text."""
    nb = nbformat.reads(text, as_version=4)
    parts = [cell.source for cell in nb.cells]
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            parts.append(str(output.get("text", "")) + "\n" + "\n".join(output.get("traceback", [])))
    return parts


def write_archive(files: dict[str, bytes], path: Path, top: str) -> None:
    """A reproducible .tar.gz of ``files`` under the folder ``top``."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, content in files.items():
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size, info.mtime, info.mode = len(content), 0, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(content))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(buffer.getvalue())


def build_bundle(root: Path, out: Path | None = None) -> Path:
    """Write the students' bundle and return its path; SystemExit if a secret line would leak."""
    version = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    top = f"dlwp-student-{version}"
    files = bundle_files(root)
    leaks = leaked_lines(root, files)
    if leaks:
        shown = "\n".join(f"  {name}: {line}" for name, line in leaks[:10])
        raise SystemExit(f"Refusing to bundle: {len(leaks)} solution or hidden-test line(s) would reach students:\n"
                         f"{shown}\nRebuild release/ (make release) and check it (make verify).")
    path = out or root / "dist" / f"{top}.tar.gz"
    write_archive(files, path, top)
    return path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None,
                        help="archive to write (default: dist/dlwp-student-VERSION.tar.gz)")


def run(args: argparse.Namespace) -> int:
    root = find_root()
    path = build_bundle(root, args.out.resolve() if args.out else None)
    print(f"Wrote {path} ({path.stat().st_size / 1e6:.1f} MB): the released notebooks, helpers and the student set-up; "
          "no source/. Students unpack it and run `make lab`.")
    return 0
