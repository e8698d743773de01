"""Tampering visible in a submitted notebook, before it runs: cells and metadata compared with the gradebook.

nbgrader quietly repairs much of this (an edited test cell is restored from the gradebook, a deleted
one is put back when ``add_missing_cells`` is on, changed points are reset), so the grade would be
right, but a student who edits, deletes, duplicates or re-points test cells or changes their
metadata is flagged for the instructor, and so is code that patches how tests are judged.
"""

from __future__ import annotations

from nbformat import NotebookNode

from ..markers import HIDDEN_TESTS
from .codescan import imported_names, scan_code
from .gradebook import ExpectedCell, ExpectedNotebook

ROLES = ("grade", "solution", "locked", "task")


def _kind(cell: ExpectedCell) -> str:
    if cell.grade and cell.cell_type == "code":
        return "test cell"
    if cell.solution:
        return "answer cell"
    if cell.task:
        return "task cell"
    return "locked cell"


def _meta(cell: NotebookNode) -> dict | None:
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else None


def check_cells(nb: NotebookNode, expected: ExpectedNotebook) -> list[str]:
    """Structural tampering: deleted, duplicated, unknown (re-pointed), edited, moved cells; changed metadata."""
    findings: list[str] = []
    seen: dict[str, list[NotebookNode]] = {}
    edited: dict[str, list[str]] = {}
    hidden = False
    for index, cell in enumerate(nb.cells):
        raw = cell.get("metadata", {}).get("nbgrader")
        if raw is None:
            continue
        meta = _meta(cell)
        if meta is None:
            findings.append(f"changed metadata: cell {index + 1} has unreadable nbgrader metadata")
            continue
        grade_id = meta.get("grade_id")
        if not grade_id:
            if any(meta.get(role) for role in ROLES):
                findings.append(f"changed metadata: cell {index + 1} is marked for grading without a grade_id")
            continue
        seen.setdefault(str(grade_id), []).append(cell)
    for grade_id, cells in seen.items():
        if grade_id not in expected.cells:
            findings.append(f"re-pointed cell: grade_id {grade_id} is not part of the assignment")
        elif len(cells) > 1:
            findings.append(f"duplicated {_kind(expected.cells[grade_id])} {grade_id} ({len(cells)} copies)")
    for grade_id, want in expected.cells.items():
        if grade_id not in seen:
            if want.grade or want.locked or want.task:
                findings.append(f"deleted {_kind(want)} {grade_id}")
            continue
        # Compared with what the student was given: the release keeps its author's metadata (a test
        # cell may be unlocked there), while the gradebook records every test cell as locked.
        for cell in seen[grade_id]:
            meta = _meta(cell) or {}
            given = want.released_meta or {role: getattr(want, role) for role in ROLES}
            changed = []
            if cell.cell_type != want.cell_type:
                changed.append(f"cell type {want.cell_type} -> {cell.cell_type}")
            for role in ROLES:
                if bool(meta.get(role, False)) != given[role]:
                    changed.append(f"{role} {given[role]} -> {bool(meta.get(role, False))}")
            if want.grade:
                try:
                    points = float(meta.get("points", "nan"))
                except (TypeError, ValueError):
                    points = float("nan")
                if points != want.points:
                    changed.append(f"points {want.points:g} -> {meta.get('points')}")
            if changed:
                findings.append(f"changed metadata of {grade_id}: {', '.join(changed)}")
            if want.locked and want.released and cell.source not in want.released:
                edited.setdefault(_kind(want), []).append(grade_id)
                hidden = hidden or HIDDEN_TESTS.begin in cell.source
    # One finding per kind of cell, so a notebook with every test cell edited does not bury the rest.
    for kind, ids in edited.items():
        findings.append(f"edited {kind}{'s' if len(ids) > 1 else ''} {', '.join(dict.fromkeys(ids))}")
    if hidden:
        findings.append("the edited cells hold the hidden tests: the instructor's source notebook, not the release?")
    order = [g for g in expected.order if g in seen and len(seen[g]) == 1]
    submitted = [g for g in dict.fromkeys(str((_meta(c) or {}).get("grade_id")) for c in nb.cells if _meta(c))
                 if g in order]
    if submitted != order:
        findings.append("moved cells: the graded cells are not in their released order")
    return findings


def check_code(nb: NotebookNode, expected: ExpectedNotebook) -> list[str]:
    """Code the student wrote (cells that are neither locked nor the instructor's) scanned for patching."""
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    imports = imported_names(sources)
    findings: list[str] = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or cell.source.strip() in expected.instructor_code:
            continue
        grade_id = str((_meta(cell) or {}).get("grade_id", ""))
        known = expected.cells.get(grade_id)
        if known is not None and known.locked:
            continue  # nbgrader puts the gradebook's version back before it runs
        where = grade_id or f"cell {index + 1}"
        findings += [f"patching in {where}: {finding}"
                     for finding in scan_code(cell.source, imports, expected.inherited_names)]
    return findings


def inspect_submission(nb: NotebookNode, expected: ExpectedNotebook) -> list[str]:
    """Every tampering finding for one submitted notebook (empty for an honest one): code that patches
    first, as the finding that matters most in a reason the summary shortens."""
    return check_code(nb, expected) + check_cells(nb, expected)
