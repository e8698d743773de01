"""nbgrader settings for the Deep Learning with PyTorch course.

Used by `nbgrader ...` run from this folder and by `python -m course ...`.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

HERE = Path(__file__).resolve().parent

# The course id students see in the Assignments tab and in the exchange.
c.CourseDirectory.course_id = os.environ.get("NBGRADER_COURSE_ID", "dlwp")
# All course folders (source/, release/, submitted/, autograded/, feedback/) and the gradebook
# (gradebook.db, ignored by git) live beside this file, wherever the course is checked out.
c.CourseDirectory.root = str(HERE)

# CPU training in a cell may take a while on a 2-core machine; a stuck cell is interrupted after this.
c.Execute.timeout = 120
# A timed-out cell is interrupted (KeyboardInterrupt) rather than killing the kernel at once.
c.Execute.interrupt_on_timeout = True

# Test cells that a student deleted are put back from the gradebook and graded.
c.OverwriteCells.add_missing_cells = True

# Warnings on stderr (torch's UserWarning, DeprecationWarning, ...) do not count as a failing test.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"\w+Warning: "

# Feedback shows which tests failed, never the hidden tests' source.
c.GenerateFeedback.preprocessors = [
    # Student Markdown, outputs and metadata are made inert first: nothing in a feedback page can run.
    "course.grading.inert.InertContent",
    "nbgrader.preprocessors.GetGrades",
    # Tracebacks of failing hidden tests quote their lines; this replaces them before they are cleared.
    "course.grading.feedback.HideHiddenTestLines",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# The formgrader renders submissions with this exporter: student content is made inert there too, even
# in a notebook autograded outside `python -m course grade` (the formgrader's own Autograde button).
c.HTMLExporter.preprocessors = ["course.grading.inert.InertContent"]

# Kernels started where this file is loaded (nbgrader validate and autograde, the JupyterLab servers whose
# nbgrader extensions load it) talk over Unix sockets in a private folder, not over TCP ports that another
# process on the machine could take first (course/kernels.py).
try:
    from course.kernels import use_ipc_kernels
except ImportError:  # nbgrader run outside the course's environment
    pass
else:
    use_ipc_kernels()

# The exchange folder: on JupyterHub set NBGRADER_EXCHANGE to a folder every user can reach.
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
