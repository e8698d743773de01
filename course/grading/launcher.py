"""Trusted exec wrapper that starts a sandboxed kernel: ``python -I launcher.py SPEC_JSON``.

Runs outside the sandbox, as the grader's own user, just before the kernel exists. It sets the
resource limits (inherited by everything the kernel starts), opens the channel that carries the
kernel's sandbox reports back to the grader, and then replaces itself with the sandbox command
(``bwrap ... python kernel_boot.py ...``) or the bare kernel command. Standard library only: it is
run by path, with ``-I``, so nothing from the course or the working directory is imported.
"""

from __future__ import annotations

import json
import os
import resource
import sys

RLIMITS = {
    "memory": resource.RLIMIT_AS,
    "processes": resource.RLIMIT_NPROC,
    "file_size": resource.RLIMIT_FSIZE,
    "core": resource.RLIMIT_CORE,
    "open_files": resource.RLIMIT_NOFILE,
}


def apply_limits(limits: dict[str, int]) -> None:
    """Lower each named resource limit (never raise one above the current hard limit)."""
    for name, value in limits.items():
        which = RLIMITS[name]
        _, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, value))


def open_report_channel(path: str) -> int:
    """Open the write end of the grader's report FIFO; the kernel inherits it."""
    fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    os.set_inheritable(fd, True)
    return fd


def main(argv: list[str]) -> None:
    spec = json.loads(argv[1])
    env = dict(spec["env"])
    if spec.get("report_fifo"):
        env["COURSE_GRADER_REPORT_FD"] = str(open_report_channel(spec["report_fifo"]))
    apply_limits(spec.get("limits", {}))
    os.execve(spec["argv"][0], spec["argv"], env)


if __name__ == "__main__":
    main(sys.argv)
