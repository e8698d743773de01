"""JupyterLab server options for the instructor's lab (`make instructor`): the one place for them.

`make instructor` puts this folder first on JUPYTER_CONFIG_PATH and starts JupyterLab in the course
root, beside nbgrader_config.py, so the formgrader (Nbgrader > Formgrader) manages this course.
"""

c = get_config()  # noqa: F821 - provided by traitlets when Jupyter loads this file

# A course machine works offline: no news feed, no update check.
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.handlers.announcements.NeverCheckForUpdate"
