"""What decides a test cell's points: whether it raised, never what it wrote to stderr.

nbgrader 0.9 scores a grade cell 0 when its outputs hold an ``error`` *or any stderr stream*
(``nbgrader.utils.determine_grade``), and its Validator reports such a cell as failing. Progress bars
(tqdm), ``logging`` and libraries' notices go to stderr, so a correct answer that trains with a
progress bar would lose the exercise. The rule is applied in two places, with the same effect:

- nbgrader_config.py starts every kernel nbgrader runs (``nbgrader autograde``, the Validate button,
  ``nbgrader validate``) with ``STDERR_AS_OUTPUT``, which makes the kernel publish its stderr stream
  (Python's ``sys.stderr`` and native writes to fd 2) as stdout: the text stays readable in the
  autograded notebook and the feedback, and only errors count;
- ``python -m course grade`` and ``course verify`` also call ``stderr_is_not_a_failure`` on what they
  executed, so the rule holds whatever the configuration says.
"""

from __future__ import annotations

from typing import Any

from nbformat import NotebookNode
from nbgrader import utils

# Run by the kernel at start-up (IPython's exec_lines), binding no names in the student's namespace.
STDERR_AS_OUTPUT = "setattr(__import__('sys').stderr, 'name', 'stdout')"


def stderr_is_not_a_failure(notebook: NotebookNode, **_: Any) -> NotebookNode:
    """Rename every ``stderr`` stream output of a graded code cell to ``stdout``; return the notebook.

    Errors (``error`` outputs) are left alone: they are what decides the points. Other cells keep
    their stderr as it was.
    """
    for cell in notebook.cells:
        if cell.cell_type != "code" or not utils.is_grade(cell):
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                output["name"] = "stdout"
    return notebook
