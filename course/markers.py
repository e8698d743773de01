"""Solution and hidden-test regions of a cell, found exactly as nbgrader finds them.

nbgrader's ``ClearSolutions`` and ``ClearHiddenTests`` read a cell's source line by line (split on
``"\\n"``). A line that *contains* the begin delimiter opens a region and a line that contains the end
delimiter closes it: the text is matched case-sensitively anywhere in the line, whatever the
indentation, comment style or trailing spaces (``    # BEGIN SOLUTION  `` and ``x = 1  ### BEGIN
SOLUTION`` both open one; ``# begin solution`` does not). Marker lines belong to neither side. A begin
inside an open region, or a region still open at the end of the cell, makes nbgrader refuse the
notebook; here it raises ``MarkerError``. The delimiters are nbgrader's configurable
``ClearSolutions.begin_solution_delimeter`` etc.; pass the course config to honour its values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nbformat import NotebookNode
from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions
from traitlets.config import Config

MARKER, SECRET, PUBLIC = "marker", "secret", "public"


@dataclass(frozen=True)
class Delimiters:
    """The begin and end delimiter of one kind of region, and its name for messages."""

    begin: str
    end: str
    kind: str


SOLUTION = Delimiters(ClearSolutions.begin_solution_delimeter.default_value,
                      ClearSolutions.end_solution_delimeter.default_value, "solution")
HIDDEN_TESTS = Delimiters(ClearHiddenTests.begin_test_delimeter.default_value,
                          ClearHiddenTests.end_test_delimeter.default_value, "hidden tests")


class MarkerError(ValueError):
    """A cell whose regions nbgrader would refuse: a nested begin, or a region that never ends."""


def solution_delimiters(config: Config | None = None) -> Delimiters:
    """The solution delimiters of ``config`` (nbgrader's defaults where it sets none)."""
    clear = ClearSolutions(config=config or Config())
    return Delimiters(clear.begin_solution_delimeter, clear.end_solution_delimeter, SOLUTION.kind)


def hidden_test_delimiters(config: Config | None = None) -> Delimiters:
    """The hidden-test delimiters of ``config`` (nbgrader's defaults where it sets none)."""
    clear = ClearHiddenTests(config=config or Config())
    return Delimiters(clear.begin_test_delimeter, clear.end_test_delimeter, HIDDEN_TESTS.kind)


def all_delimiters(config: Config | None = None) -> tuple[Delimiters, Delimiters]:
    """(solution, hidden tests) delimiters of ``config``."""
    return solution_delimiters(config), hidden_test_delimiters(config)


def _roles(lines: list[str], delimiters: Delimiters) -> list[str]:
    """MARKER, SECRET or PUBLIC for each line, for one kind of region (nbgrader's rule)."""
    roles, inside = [], False
    for number, line in enumerate(lines, 1):
        if delimiters.begin in line:
            if inside:
                raise MarkerError(f"line {number}: `{delimiters.begin}` inside an open {delimiters.kind} region")
            inside = True
            roles.append(MARKER)
        elif delimiters.end in line:
            inside = False
            roles.append(MARKER)
        else:
            roles.append(SECRET if inside else PUBLIC)
    if inside:
        raise MarkerError(f"a {delimiters.kind} region has no `{delimiters.end}`")
    return roles


def classify(source: str, kinds: Iterable[Delimiters] = (SOLUTION, HIDDEN_TESTS)) -> list[tuple[str, str]]:
    """Each line of ``source`` with its role: MARKER (a delimiter line of any kind), SECRET (inside a
    region of any kind) or PUBLIC. Raises ``MarkerError`` where nbgrader would refuse the cell."""
    lines = source.split("\n")
    per_kind = [_roles(lines, delimiters) for delimiters in kinds]
    result = []
    for index, line in enumerate(lines):
        roles = {roles[index] for roles in per_kind}
        role = MARKER if MARKER in roles else SECRET if SECRET in roles else PUBLIC
        result.append((line, role))
    return result


def marked_lines(source: str, delimiters: Delimiters = SOLUTION) -> list[str]:
    """The lines (as written) inside the ``delimiters`` regions of ``source``, markers excluded."""
    return [line for line, role in classify(source, [delimiters]) if role == SECRET]


def region_lines(source: str, delimiters: Delimiters) -> set[str]:
    """The stripped, non-empty lines of the ``delimiters`` regions, their marker lines included
    (what a traceback quoting the region can show)."""
    return {line.strip() for line, role in classify(source, [delimiters]) if role != PUBLIC and line.strip()}


def without_solution_markers(source: str, delimiters: Delimiters = SOLUTION) -> str:
    """An answer cell as a student who solved it would leave it: the solution, no marker lines."""
    return "\n".join(line for line, role in classify(source, [delimiters]) if role != MARKER)


def split_secret_lines(source: str,
                       kinds: Iterable[Delimiters] = (SOLUTION, HIDDEN_TESTS)) -> tuple[list[str], list[str]]:
    """Split a cell's stripped lines into (secret, public): inside a solution or hidden-test region, or
    not; marker lines are in neither."""
    secret, public = [], []
    for line, role in classify(source, kinds):
        if role == SECRET:
            secret.append(line.strip())
        elif role == PUBLIC:
            public.append(line.strip())
    return secret, public


def secret_lines(nb: NotebookNode, min_length: int = 8, config: Config | None = None) -> set[str]:
    """Solution and hidden-test lines of a source notebook that appear nowhere else in it.

    These are the lines that must never reach a student's release notebook. Raises ``MarkerError``
    for a cell nbgrader would refuse.
    """
    kinds = all_delimiters(config)
    secret, public = set(), set()
    for cell in nb.cells:
        cell_secret, cell_public = split_secret_lines(cell.source, kinds)
        secret.update(cell_secret)
        public.update(cell_public)
    return {line for line in secret - public if len(line) >= min_length and not line.startswith("#")}
