"""nbgrader on a student's server: the course's exchange, and the hub's groups decide who sees which course."""

import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.Authenticator.plugin_class = "nbgrader.auth.JupyterHubAuthPlugin"
c.CourseDirectory.course_id = os.environ["NBGRADER_COURSE_ID"]
c.Exchange.root = os.environ["NBGRADER_EXCHANGE"]

# The Validate button follows the grading rule: a test's stderr (progress bars, logging, warnings) is
# ordinary output, and only an error decides its points (README, "What decides a test cell's points").
from course.grading.testrule import STDERR_AS_OUTPUT  # noqa: E402 - after get_config, as nbgrader reads it

c.Execute.extra_arguments = [f"--InteractiveShellApp.exec_lines={STDERR_AS_OUTPUT}"]
