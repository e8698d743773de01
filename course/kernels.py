"""How the course starts Jupyter kernels: over Unix sockets in a private folder, and again when a start fails.

jupyter_client's default TCP transport picks free ports, releases them and lets the kernel bind them
later; on a busy machine another process can take one in between (``ZMQError: Address already in
use``, then "Kernel died before replying to kernel_info"), and every TCP kernel warns that it runs
without encryption. With ``transport="ipc"`` the kernel's channels are Unix sockets; here they live in
a fresh folder only this user can open (``mkdtemp``, mode 0700), so no two kernels can collide and no
other user can connect. The folder sits directly in the temporary directory: a Unix socket path must
stay under about 100 bytes, which a kernel id inside a deep runtime folder can exceed.

- ``IPCKernelManager``: the kernel manager for the notebook clients the course builds itself
  (``course verify``, the notebook benchmark);
- ``IPCProvisioner``: the same for kernels started by code that picks its own kernel manager
  (nbgrader's validate and autograde, Jupyter servers). jupyter_client uses it when
  ``JUPYTER_DEFAULT_PROVISIONER_NAME`` is ``course-ipc``; ``use_ipc_kernels`` sets that for the current
  process and its children (the course's nbgrader_config.py calls it, so every nbgrader command and
  JupyterLab server that loads it does; so do the tests and the benchmarks);
- ``KernelStartRetries``: a NotebookClient mixin that starts a kernel again when it dies or does not
  answer at start-up, up to ``kernel_start_attempts`` times, then raises ``KernelStartError``.

The grader's sandboxed kernels use IPC on their own (course/grading/kernel.py).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from jupyter_core.utils import ensure_async, run_sync
from traitlets import HasTraits, Integer, Unicode, default

PROVISIONER = "course-ipc"
PROVISIONER_ENV = {"JUPYTER_DEFAULT_PROVISIONER_NAME": PROVISIONER}
PREFIX = "jupyter-kernel-"


def use_ipc_kernels() -> bool:
    """Make kernels this process (and its children) starts use ``IPCProvisioner``; False if not installed."""
    if not entry_points(group="jupyter_client.kernel_provisioners", name=PROVISIONER):
        return False
    for name, value in PROVISIONER_ENV.items():
        os.environ.setdefault(name, value)
    return True


class KernelStartError(RuntimeError):
    """A kernel did not start (or did not answer) in any of the attempts."""


def socket_address() -> tuple[str, str]:
    """A new private folder (mode 0700) and the IPC address of a kernel's sockets inside it."""
    folder = tempfile.mkdtemp(prefix=PREFIX)
    return folder, str(Path(folder) / "kernel")


class IPCKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` (what nbclient uses) whose kernel talks over private Unix sockets."""

    socket_dir = Unicode("", help="The private folder of this kernel's sockets (made on first use).")

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    @default("ip")
    def _default_ip(self) -> str:
        if self.transport != "ipc":
            return super()._ip_default()
        self.socket_dir, address = socket_address()
        return address

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart and self.socket_dir:
            shutil.rmtree(self.socket_dir, ignore_errors=True)

    cleanup_resources = _async_cleanup_resources


class IPCProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, but a kernel its manager meant for TCP gets private Unix sockets.

    Registered as the ``course-ipc`` kernel provisioner (pyproject.toml). A manager already set up for
    IPC (the grader's sandboxed kernels) is left as it is.
    """

    socket_dir = Unicode("")

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        km = self.parent
        if km is not None and km.transport == "tcp" and not self.socket_dir:
            self.socket_dir, address = socket_address()
            km.transport = "ipc"
            km.ip = address
            km.cache_ports = False
        return await super().pre_launch(**kwargs)

    async def cleanup(self, restart: bool = False) -> None:
        await super().cleanup(restart=restart)
        if not restart and self.socket_dir:
            shutil.rmtree(self.socket_dir, ignore_errors=True)
            self.socket_dir = ""


class KernelStartRetries(HasTraits):
    """NotebookClient mixin: start the kernel and its client again when the start fails.

    A kernel that dies before it answers ``kernel_info`` (or never answers within ``startup_timeout``)
    is shut down, its files removed, and a fresh kernel manager starts a new one. After the last
    attempt ``KernelStartError`` says what went wrong each time.
    """

    kernel_start_attempts = Integer(3, help="How many times to start a kernel before giving up.").tag(config=True)

    async def async_start_new_kernel(self, **kwargs: Any) -> None:
        errors = []
        for attempt in range(1, self.kernel_start_attempts + 1):
            try:
                await super().async_start_new_kernel(**kwargs)
                await super().async_start_new_kernel_client()
                return
            except Exception as err:  # noqa: BLE001 - any failure to start is retried, then reported
                errors.append(f"{type(err).__name__}: {err}".strip())
                self.log.warning("The kernel did not start (attempt %d of %d): %s",
                                 attempt, self.kernel_start_attempts, errors[-1])
                await self._discard_kernel()
        raise KernelStartError(f"the kernel did not start in {len(errors)} attempts: " + " | ".join(errors))

    # nbclient's synchronous setup_kernel calls these names (bound to its own coroutines otherwise).
    start_new_kernel = run_sync(async_start_new_kernel)

    async def _discard_kernel(self) -> None:
        """Stop whatever is left of a failed start and make a fresh kernel manager."""
        if self.kc is not None:
            try:
                await ensure_async(self.kc.stop_channels())
            except Exception:  # noqa: BLE001
                pass
            self.kc = None
        if self.km is not None:
            try:
                if await ensure_async(self.km.is_alive()):
                    await ensure_async(self.km.shutdown_kernel(now=True))
            except Exception:  # noqa: BLE001
                pass
            try:
                await ensure_async(self.km.cleanup_resources())
            except Exception:  # noqa: BLE001
                pass
        self.km = self.create_kernel_manager()
