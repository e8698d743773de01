"""A jupyter_client kernel manager whose kernel starts through the sandbox launcher, over Unix sockets."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from subprocess import Popen
from typing import Any, Callable

from jupyter_client.manager import AsyncKernelManager

from .probe_code import HELPERS_PACKAGE
from .sandbox import KERNEL_BOOT, KernelPlan

# Loaded before any student code: the short checker reports of helpers.tracebacks, which the checkers
# installs on import in every other kernel. Loaded here, they are part of the fresh kernel that the
# integrity probe takes as its baseline, so an honest import changes nothing the probe watches.
KERNEL_EXTENSIONS = (f"--IPKernelApp.extra_extensions={HELPERS_PACKAGE}.tracebacks",)


class SandboxedKernelManager(AsyncKernelManager):
    """Starts ``kernel_boot.py`` through ``plan`` (launcher, limits, bubblewrap) and talks to it over IPC.

    A kernel in its own network namespace cannot reach TCP loopback, so the transport is ``ipc``:
    the sockets live in ``run_dir``, the one folder the grader shares with the sandbox. Interrupts
    (nbgrader's ``interrupt_on_timeout``) go as ``interrupt_request`` messages.
    """

    def __init__(self, plan: Callable[[list[str]], KernelPlan], run_dir: Path, log_path: Path,
                 owner: tuple[int, int] | None = None, **kwargs: Any) -> None:
        super().__init__(transport="ipc", ip=str(run_dir / "kernel"), connection_file=str(run_dir / "kernel.json"),
                         **kwargs)
        self._plan = plan
        self.log_path = log_path
        self.owner = owner
        self.process: Popen | None = None

    def write_connection_file(self, **kwargs: Any) -> None:
        """Write the connection file (mode 0600) and give it to the kernel's own user, if it has one."""
        super().write_connection_file(**kwargs)
        if self.owner is not None:
            os.chown(self.connection_file, *self.owner)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        """The launcher command that ends, inside the sandbox, in ``python kernel_boot.py -f CONN``."""
        argv = [sys.executable, str(KERNEL_BOOT), "-f", self.connection_file, *KERNEL_EXTENSIONS,
                *(extra_arguments or [])]
        return self._plan(argv).argv

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        # The kernel's own stdout/stderr (not the notebook's) go to a log file, never to the console.
        with open(self.log_path, "ab") as log:
            kw["stdout"] = kw["stderr"] = log
            await super()._async_launch_kernel(kernel_cmd, **kw)
        # Kept to read the exit status once the kernel is gone (the provisioner forgets it).
        self.process = getattr(self.provisioner, "process", None)

    async def _async_interrupt_kernel(self) -> None:
        """Interrupt by message, not by signal: a SIGINT to the launcher's process group would also
        reach bubblewrap, which dies of it and takes the kernel along (--die-with-parent)."""
        if not self.has_kernel:
            raise RuntimeError("Cannot interrupt kernel. No kernel is running!")
        msg = self.session.msg("interrupt_request", content={})
        self._connect_control_socket()
        self.session.send(self._control_socket, msg)

    interrupt_kernel = _async_interrupt_kernel

    def log_tail(self, lines: int = 3) -> str:
        """The last lines the kernel process wrote to its stdout/stderr (to explain a failed start)."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:] if line.strip())[:300]

    def process_group(self) -> int | None:
        """The kernel's process group (the launcher starts a new session), while it runs."""
        return getattr(self.provisioner, "pgid", None) if self.provisioner else None
