"""Shared pytest set-up: plots draw off-screen inside the test process only; kernels use Unix sockets."""

import matplotlib

from course.kernels import use_ipc_kernels

matplotlib.use("Agg")
# Every kernel the tests start, here or in a child process (nbgrader, JupyterLab), talks over private
# Unix sockets: concurrent test runs on one machine never compete for TCP ports.
use_ipc_kernels()
