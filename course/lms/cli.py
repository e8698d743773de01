"""``python -m course grade ASSIGNMENT --lms canvas --lms-map ids.csv``: LMS files right after grading."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory

from ..layout import load_config
from ..terminal import printable
from .mapping import MappingError, read_mapping
from .plugins import PLUGINS, LmsExportError


def add_lms_arguments(parser: argparse.ArgumentParser) -> None:
    """The options ``course grade`` takes for LMS files."""
    parser.add_argument("--lms", action="append", choices=sorted(PLUGINS), default=[],
                        help="also write this LMS's grade import CSV beside the grades CSV (repeatable)")
    parser.add_argument("--lms-map", type=Path, default=None,
                        help="CSV mapping nbgrader ids to LMS ids (columns nbgrader_id, lms_id[, name, section])")


def check_lms_arguments(args: argparse.Namespace) -> None:
    """Refuse a missing or unreadable mapping file before any grading starts."""
    if not args.lms:
        return
    if args.lms_map is None:
        raise SystemExit("--lms needs --lms-map FILE: the CSV that maps nbgrader ids to LMS ids")
    try:
        read_mapping(args.lms_map)
    except MappingError as err:
        raise SystemExit(str(err)) from None


def export_lms(root: Path, args: argparse.Namespace, grades_csv: Path, out: TextIO = sys.stdout) -> bool:
    """Write each requested LMS file for ``args.assignment`` beside ``grades_csv`` with the nbgrader
    export plugins; returns False (after saying why) when one could not be written."""
    if not args.lms:
        return True
    config = load_config(root)
    coursedir = CourseDirectory(config=config)
    ok = True
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        for system in args.lms:
            dest = grades_csv.with_name(f"{args.assignment}-{system}.csv")
            plugin = PLUGINS[system](config=config, to=str(dest), assignment=[args.assignment],
                                     mapping=str(args.lms_map.resolve()), grader_csv=str(grades_csv))
            try:
                plugin.export(gradebook)
            except LmsExportError as err:
                print(f"{system}: not written: {err}", file=out)
                ok = False
                continue
            for line in plugin.report.lines():
                print(f"{system}: {printable(line)}", file=out)
    return ok
