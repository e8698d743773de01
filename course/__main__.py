"""Command line: ``python -m course {build,verify,workspace,answers,grade,bundle,similarity} ...``."""

from __future__ import annotations

import argparse
import importlib
import sys

from .layout import CourseNotFound

COMMANDS = {
    "build": ("course.build", "generate release/ from source/ with nbgrader"),
    "verify": ("course.verify", "check every day: runs, tests can fail, release in sync, metadata"),
    "workspace": ("course.workspace", "copy new released days into workspace/ without touching existing work"),
    "answers": ("course.answers", "run alternative answers: correct ones pass, wrong ones get their hint"),
    "grade": ("course.grade", "autograde submissions in parallel, sandboxed, with honest statuses"),
    "bundle": ("course.bundle", "the students' copy without source/: dist/dlwp-student-VERSION.tar.gz"),
    "similarity": ("course.similarity.cli", "report answers that share more than independent work explains"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    modules = {}
    for name, (module_name, help_text) in COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            if err.name != module_name:
                raise
            continue
        modules[name] = module
        module.add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    args = parser.parse_args(argv)
    try:
        return modules[args.command].run(args)
    except CourseNotFound as err:
        parser.exit(2, f"python -m course {args.command}: {err} Run it in the course folder.\n")


if __name__ == "__main__":
    sys.exit(main())
