"""``python -m course similarity ASSIGNMENT``: which students' answers share more than independent work explains.

Reads the answer cells of ``submitted/<student>/<assignment>/`` (what nbgrader's collect leaves),
compares them exercise by exercise and writes an HTML report (default
``autograded/<assignment>-similarity.html``). See course/similarity/compare.py for how.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from ..build import build_day
from ..layout import course_folder, find_root, load_config
from ..terminal import printable
from .answers import collect
from .compare import Settings, assignment_pairs, compare_exercise
from .report import render, write_report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = Settings()
    parser.add_argument("assignment", help="assignment to compare, e.g. day09_training_loop")
    parser.add_argument("--out", type=Path, default=None,
                        help="HTML report (default: autograded/ASSIGNMENT-similarity.html)")
    parser.add_argument("--submitted", type=Path, default=None, help="folder of submissions (default: submitted/)")
    parser.add_argument("--k", type=int, default=defaults.k, help="fingerprint length in tokens (default: %(default)d)")
    parser.add_argument("--min-length", type=float, default=defaults.min_length,
                        help="weighted shared tokens a reported pair needs, in one exercise or over the assignment "
                             "(default: %(default)g)")
    parser.add_argument("--min-share", type=float, default=defaults.min_share,
                        help="share of the smaller answer a reported pair needs, 0-1 (default: %(default)g)")


def run(args: argparse.Namespace) -> int:
    root = find_root()
    if not 0 < args.min_share <= 1 or args.k < 2 or args.min_length <= 0:
        raise SystemExit("--min-share must be in (0, 1], --k at least 2 and --min-length positive.")
    config = load_config(root)
    submitted = args.submitted or course_folder(root, "submitted", config)
    if not any(p.is_dir() for p in submitted.glob(f"*/{args.assignment}")):
        raise SystemExit(f"No submissions of {args.assignment} in {submitted} (expected {submitted}/<student>/"
                         f"{args.assignment}/, as nbgrader collect leaves them).")
    settings = Settings(k=args.k, min_length=args.min_length, min_share=args.min_share)
    source = course_folder(root, "source", config) / args.assignment
    with tempfile.TemporaryDirectory(prefix="course-similarity-") as scratch:
        release = course_folder(root, "release", config) / args.assignment
        if not release.is_dir():
            if not source.is_dir():
                raise SystemExit(f"{args.assignment} is neither in release/ nor in source/.")
            release = build_day(root, args.assignment, release_dir=Path(scratch))
        collected = collect(submitted, args.assignment, release, source if source.is_dir() else None)
    results = [compare_exercise(e, {s: a[e.key] for s, a in collected.answers.items() if e.key in a}, settings)
               for e in collected.exercises]
    pairs = assignment_pairs(results, settings)
    out = args.out or course_folder(root, "autograded", config) / f"{args.assignment}-similarity.html"
    write_report(out, render(args.assignment, collected, results, pairs, settings))
    print(f"{len(collected.answers)} submission(s), {len(results)} exercise(s): "
          f"{len(pairs)} pair(s) of students reported.")
    for pair in pairs:
        print(f"  {printable(pair.a)} and {printable(pair.b)}: {pair.length:.0f} weighted shared tokens, "
              f"{pair.share:.0%} (in {', '.join(pair.exercises)})")
    for student, why in collected.problems:
        print(f"  not read: {printable(student)}: {printable(why)}")
    print(f"Report: {out}")
    return 0
