"""``python -m course workspace``: a student's personal copy of the released notebooks.

Students never edit the committed ``release/`` in place. This copies every released file into
``workspace/`` (ignored by git) when it is not there yet, so new days appear and a student's
existing work is never overwritten.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from .layout import course_folder, find_root


def update_workspace(release: Path, workspace: Path) -> tuple[list[Path], list[Path]]:
    """Copy files from ``release`` that ``workspace`` lacks; return (copied, kept) relative paths."""
    copied, kept = [], []
    for source in sorted(p for p in release.rglob("*") if p.is_file()):
        relative = source.relative_to(release)
        if relative.parts[0].startswith(".") or relative.name == ".ipynb_checkpoints":
            continue
        target = workspace / relative
        if target.exists():
            kept.append(relative)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        copied.append(relative)
    return copied, kept


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--to", type=Path, default=None, help="workspace folder (default: workspace/ in the course)")


def run(args: argparse.Namespace) -> int:
    root = find_root()
    workspace = args.to or root / "workspace"
    copied, kept = update_workspace(course_folder(root, "release"), workspace)
    for path in copied:
        print(f"new: {workspace.name}/{path}")
    print(f"{len(copied)} file(s) added to {workspace}; {len(kept)} already there were left untouched.")
    return 0
