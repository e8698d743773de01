"""nbgrader in the course service: adding a student in the formgrader also adds them to the hub's group.

The course settings themselves (course id, exchange, timeouts, feedback) come from the course's own
nbgrader_config.py, read from the service's working directory, the course root.
"""

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.Authenticator.plugin_class = "nbgrader.auth.JupyterHubAuthPlugin"
