"""A student's JupyterLab on the hub: the student tools of nbgrader only, kernels over Unix sockets.

The hub points JUPYTER_CONFIG_PATH at this folder; labconfig/page_config.json hides the instructor parts
of nbgrader's JupyterLab extension, and lab-settings/overrides.json turns off news and update checks.
"""

from pathlib import Path

c = get_config()  # noqa: F821 - provided by traitlets when Jupyter loads this file
HERE = Path(__file__).resolve().parent

c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.assignment_list": True,
    "nbgrader.server_extensions.validate_assignment": True,
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.course_list": False,
}
# Kernels listen on Unix sockets in the student's runtime folder, not on TCP ports any user could reach
# (and that many kernels starting at once could race for).
c.KernelManager.transport = "ipc"
# A kernel left idle for half an hour gives its memory back; the notebook stays open.
c.MappingKernelManager.cull_idle_timeout = 1800
c.MappingKernelManager.cull_interval = 300
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.handlers.announcements.NeverCheckForUpdate"
c.LabApp.app_settings_dir = str(HERE / "lab-settings")
