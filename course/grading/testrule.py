"""What decides a test cell's points: whether it raised, never what it wrote to stderr.

nbgrader 0.9 scores a grade cell 0 when its outputs hold an ``error`` *or any stderr stream*
(``nbgrader.utils.determine_grade``), and its Validator reports such a cell as failing. Progress bars
(tqdm), ``logging`` and libraries' notices go to stderr, so a correct answer that trains with a
progress bar would lose the exercise. ``stderr_is_not_a_failure`` turns the stderr streams of
graded code cells into ordinary output once a notebook has run, so the text stays readable in the
autograded notebook and the feedback while only a raised error counts.

It is an nbclient hook, so one line in nbgrader_config.py applies it wherever nbgrader executes a
notebook: ``python -m course grade``, plain ``nbgrader autograde`` and the Validate button::

    from course.grading.testrule import stderr_is_not_a_failure
    c.Execute.on_notebook_complete = stderr_is_not_a_failure

``course grade`` applies it whatever the configuration says.
"""

from __future__ import annotations

from typing import Any

from nbformat import NotebookNode
from nbgrader import utils


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
