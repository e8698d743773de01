"""This Python environment's commands found by name: its ``bin/`` first on PATH.

nbgrader's gradebook runs ``alembic`` by name (and the tests and benchmarks run ``nbgrader``,
``jupyter`` and ``dask`` by name): whatever the caller's PATH holds, this environment's copies must
be the ones found.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

VENV_BIN = Path(sys.executable).parent


def path_with_venv_bin(path: str | None) -> str:
    """``path`` (a PATH value) with this environment's bin/ first, added only when it is not first."""
    bin_dir = str(VENV_BIN)
    if (path or "").split(os.pathsep)[:1] == [bin_dir]:
        return path or bin_dir
    return bin_dir + (os.pathsep + path if path else "")


def env_with_venv_bin(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """A copy of ``base`` (default: this process's environment) whose PATH finds this environment's
    ``alembic``, ``nbgrader`` and ``jupyter`` first: the environment for nbgrader commands."""
    env = dict(os.environ if base is None else base)
    env["PATH"] = path_with_venv_bin(env.get("PATH"))
    return env


def ensure_alembic_on_path() -> None:
    """nbgrader's gradebook runs ``alembic`` by name: make this environment's bin/ first on this
    process's PATH (and its children's)."""
    os.environ["PATH"] = path_with_venv_bin(os.environ.get("PATH"))
