"""The course service's JupyterLab: the formgrader and Create Assignment, in the course folder.

The hub points JUPYTER_CONFIG_PATH at this folder; labconfig/page_config.json hides the students' parts
of nbgrader's JupyterLab extension, and lab-settings/overrides.json turns off news and update checks.
"""

from pathlib import Path

c = get_config()  # noqa: F821 - provided by traitlets when Jupyter loads this file
HERE = Path(__file__).resolve().parent

c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.formgrader": True,
    "nbgrader.server_extensions.validate_assignment": True,
    "nbgrader.server_extensions.assignment_list": False,
    "nbgrader.server_extensions.course_list": False,
}
c.KernelManager.transport = "ipc"
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.handlers.announcements.NeverCheckForUpdate"
c.LabApp.app_settings_dir = str(HERE / "lab-settings")
