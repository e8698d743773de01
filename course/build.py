"""``python -m course build``: generate the student notebooks in ``release/`` with nbgrader."""

from __future__ import annotations

import argparse
import logging
import shutil
from pathlib import Path

from nbgrader.converters import GenerateAssignment
from nbgrader.coursedir import CourseDirectory

from .layout import find_root, load_config, select_days


def build_day(root: Path, day: str, release_dir: Path | None = None) -> Path:
    """Generate the student version of ``day`` into ``release_dir`` (default ``root/release``).

    Uses nbgrader's own GenerateAssignment converter without touching the gradebook, so the result
    is deterministic and matches what an instructor's ``nbgrader generate_assignment`` gives.
    Returns the folder written.
    """
    config = load_config(root)
    config.CourseDirectory.assignment_id = day
    if release_dir is not None:
        config.CourseDirectory.release_directory = str(release_dir)
    config.GenerateAssignment.no_database = True
    config.SaveCells.enabled = False
    config.BaseConverter.force = True
    log = logging.getLogger("course.build")
    coursedir = CourseDirectory(config=config, log=log)
    out = Path(coursedir.format_path(coursedir.release_directory, ".", day))
    if out.exists():
        shutil.rmtree(out)
    converter = GenerateAssignment(coursedir=coursedir, config=config, log=log)
    converter.start()
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("days", nargs="*", help="days to build (default: all), e.g. day01_tensors")


def run(args: argparse.Namespace) -> int:
    root = find_root()
    for day in select_days(root, args.days):
        out = build_day(root, day)
        print(f"built {out.relative_to(root)}")
    return 0
