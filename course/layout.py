"""Where the course lives on disk: the root folder, its day folders and its nbgrader config.

The step folders (``source``, ``release``, ``submitted``, ``autograded``, ``feedback``) are nbgrader's
``CourseDirectory.*_directory`` settings: ``folder`` reads them from the course config, with
nbgrader's defaults, and every tool finds them through it.
"""

from __future__ import annotations

import re
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

CONFIG_NAME = "nbgrader_config.py"
DAY_PATTERN = re.compile(r"^day\d{2}_[a-z0-9_]+$")
FOLDER_SETTINGS = {
    "source": "source_directory",
    "release": "release_directory",
    "submitted": "submitted_directory",
    "autograded": "autograded_directory",
    "feedback": "feedback_directory",
}


class CourseNotFound(FileNotFoundError):
    """No course (nbgrader_config.py beside a source folder) where a command looked for one."""


def find_root(start: Path | None = None) -> Path:
    """Return the course root: the nearest folder at or above ``start`` holding nbgrader_config.py.

    Falls back to the checkout this package was installed from; raises ``CourseNotFound`` otherwise.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file() and course_folder(folder, "source").is_dir():
            return folder
    fallback = Path(__file__).resolve().parents[1]
    if (fallback / CONFIG_NAME).is_file():
        return fallback
    raise CourseNotFound(f"No {CONFIG_NAME} with a source/ folder found at or above {here}.")


def load_config(root: Path) -> Config:
    """Load the course's nbgrader_config.py as a traitlets Config, with the root pinned to ``root``."""
    config = PyFileConfigLoader(CONFIG_NAME, path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    return config


def folder_name(step: str, config: Config | None = None) -> str:
    """The configured name of an nbgrader step folder (``step``: a key of FOLDER_SETTINGS), or
    nbgrader's default. Raises KeyError for an unknown step."""
    setting = FOLDER_SETTINGS[step]
    value = config.CourseDirectory.get(setting) if config is not None and "CourseDirectory" in config else None
    return str(value) if value else str(getattr(CourseDirectory, setting).default_value)


def course_folder(root: Path, step: str, config: Config | None = None) -> Path:
    """The step folder of the course at ``root`` as nbgrader finds it (``step``: ``source``,
    ``release``, ``submitted``, ``autograded`` or ``feedback``). ``config`` defaults to the course's
    nbgrader_config.py; an absolute configured path is used as it is."""
    if config is None:
        config = load_config(root) if (root / CONFIG_NAME).is_file() else Config()
    return root / folder_name(step, config)


def list_days(root: Path, config: Config | None = None) -> list[str]:
    """Return the day assignments in the source folder in course order (``day01_tensors``, ...)."""
    source = course_folder(root, "source", config)
    return sorted(p.name for p in source.iterdir() if p.is_dir() and DAY_PATTERN.match(p.name))


def notebook_path(root: Path, step: str, day: str, config: Config | None = None) -> Path:
    """Path of a day's notebook inside a step folder (``source`` or ``release``)."""
    return course_folder(root, step, config) / day / f"{day}.ipynb"


def select_days(root: Path, requested: list[str] | None) -> list[str]:
    """Validate the days named on the command line (all days when none are named)."""
    available = list_days(root)
    if not requested:
        return available
    unknown = [d for d in requested if d not in available]
    if unknown:
        raise SystemExit(f"Unknown day(s): {', '.join(unknown)}. Known: {', '.join(available)}")
    return list(requested)
