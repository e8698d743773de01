"""The instructor's JupyterLab (the formgrader's server): what a student hands in cannot act there.

Loaded when this folder is on JUPYTER_CONFIG_PATH, in addition to the instructor's own ~/.jupyter:

    JUPYTER_CONFIG_PATH=$PWD/jupyter-config/instructor jupyter lab    # in the course folder

README ("Grading feedback and the formgrader") says which layer stops what.
"""

from course.kernels import use_ipc_kernels
from course.serving import INSTRUCTOR_CSP

c = get_config()  # noqa: F821 - provided by traitlets when Jupyter loads this file

# Every page: no <base> pointing elsewhere, no plug-ins, forms post only to this server.
c.ServerApp.tornado_settings = {"headers": {"Content-Security-Policy": INSTRUCTOR_CSP}}
# /files/ (feedback pages, files students handed in) is served in a sandbox where no script runs.
c.ContentsManager.files_handler_class = "course.serving.InertFilesHandler"
# Kernels (and nbgrader's validate and autograde in this server) use private Unix sockets, not TCP ports.
use_ipc_kernels()
