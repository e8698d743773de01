"""JupyterLab server options for the instructor's lab (`make instructor`): the one place for them.

`make instructor` puts this folder first on JUPYTER_CONFIG_PATH and starts JupyterLab in the course
root, beside nbgrader_config.py, so the formgrader (Nbgrader > Formgrader) manages this course.
What a student hands in cannot act here: README ("Grading feedback and the formgrader") says which
layer stops what.
"""

from course.kernels import use_ipc_kernels
from course.serving import INSTRUCTOR_CSP

c = get_config()  # noqa: F821 - provided by traitlets when Jupyter loads this file

# A course machine works offline: no news feed, no update check.
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.handlers.announcements.NeverCheckForUpdate"

# Every page: no <base> pointing elsewhere, no plug-ins, forms post only to this server.
c.ServerApp.tornado_settings = {"headers": {"Content-Security-Policy": INSTRUCTOR_CSP}}
# /files/ (feedback pages, files students handed in) is served in a sandbox where no script runs.
c.ContentsManager.files_handler_class = "course.serving.InertFilesHandler"
# Kernels (and nbgrader's validate and autograde in this server) use private Unix sockets, not TCP ports.
use_ipc_kernels()
