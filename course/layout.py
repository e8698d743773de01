"""Where the course lives on disk: the root folder, its day folders and its nbgrader config."""

from __future__ import annotations

import re
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

CONFIG_NAME = "nbgrader_config.py"
DAY_PATTERN = re.compile(r"^day\d{2}_[a-z0-9_]+$")


def find_root(start: Path | None = None) -> Path:
    """Return the course root: the nearest folder at or above ``start`` holding nbgrader_config.py.

    Falls back to the checkout this package was installed from.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file() and (folder / "source").is_dir():
            return folder
    fallback = Path(__file__).resolve().parents[1]
    if (fallback / CONFIG_NAME).is_file():
        return fallback
    raise FileNotFoundError(f"No {CONFIG_NAME} with a source/ folder found at or above {here}.")


def load_config(root: Path) -> Config:
    """Load the course's nbgrader_config.py as a traitlets Config, with the root pinned to ``root``."""
    config = PyFileConfigLoader(CONFIG_NAME, path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    return config


def list_days(root: Path) -> list[str]:
    """Return the day assignments in ``source/`` in course order (``day01_tensors``, ...)."""
    source = root / "source"
    return sorted(p.name for p in source.iterdir() if p.is_dir() and DAY_PATTERN.match(p.name))


def notebook_path(root: Path, folder: str, day: str) -> Path:
    """Path of a day's notebook inside ``folder`` (``source`` or ``release``)."""
    return root / folder / day / f"{day}.ipynb"


def select_days(root: Path, requested: list[str] | None) -> list[str]:
    """Validate the days named on the command line (all days when none are named)."""
    available = list_days(root)
    if not requested:
        return available
    unknown = [d for d in requested if d not in available]
    if unknown:
        raise SystemExit(f"Unknown day(s): {', '.join(unknown)}. Known: {', '.join(available)}")
    return list(requested)
