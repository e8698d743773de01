"""Kernels the course starts use private Unix sockets and are started again when a start fails."""

import asyncio
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from democourse import DAY, demo_notebook, write_day
from traitlets.config import Config

from course.build import build_day
from course.kernels import PROVISIONER_ENV, IPCKernelManager, KernelStartError
from course.notebooks import CourseExecute
from course.verify import format_report, verify

DIES_AT_ONCE = [sys.executable, "-c", "raise SystemExit(3)"]


class FlakyKernelManager(IPCKernelManager):
    """Its first ``failures`` kernels exit before they answer, as a kernel whose port was taken does."""

    failures = 1
    launches: list[list[str]] = []

    def format_kernel_cmd(self, extra_arguments=None):
        command = super().format_kernel_cmd(extra_arguments)
        FlakyKernelManager.launches.append(command)
        return DIES_AT_ONCE if len(FlakyKernelManager.launches) <= self.failures else command


def small_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("print(6 * 7)")]
    return nb


def execute(manager: type, failures: int) -> nbformat.NotebookNode:
    FlakyKernelManager.launches = []
    manager.failures = failures
    client = CourseExecute(config=Config(), kernel_manager_class=manager, startup_timeout=60)
    nb, _ = client.preprocess(small_notebook(), {"metadata": {"path": str(Path.cwd())}})
    return nb


def test_a_kernel_that_dies_at_start_is_started_again():
    nb = execute(FlakyKernelManager, failures=1)
    assert len(FlakyKernelManager.launches) == 2
    assert nb.cells[0].outputs[0]["text"] == "42\n"


def test_a_kernel_that_never_starts_ends_in_one_clear_error():
    with pytest.raises(KernelStartError, match="did not start in 3 attempts: .*died before replying"):
        execute(FlakyKernelManager, failures=99)
    assert len(FlakyKernelManager.launches) == 3


def test_the_course_kernel_manager_uses_a_private_socket_folder():
    async def start_and_stop() -> tuple[dict, Path, int]:
        km = IPCKernelManager()
        await km.start_kernel()
        try:
            folder = Path(km.socket_dir)
            return km.get_connection_info(), folder, stat.S_IMODE(folder.stat().st_mode)
        finally:
            await km.shutdown_kernel(now=True)

    info, folder, mode = asyncio.run(start_and_stop())
    assert info["transport"] == "ipc" and info["ip"] == str(folder / "kernel")
    assert mode == 0o700
    assert len(f"{info['ip']}-{info['control_port']}") < 100  # a Unix socket path's limit is 107 bytes
    assert not folder.exists(), "the socket folder outlived the kernel"


def test_kernels_that_other_code_starts_use_ipc_through_the_provisioner(tmp_path):
    """jupyter_client's own KernelManager, as nbgrader and Jupyter servers create it, with the course's
    provisioner selected: IPC, and the kernel says nothing about TCP."""
    code = (
        "import json\n"
        "from jupyter_client.manager import KernelManager\n"
        "km = KernelManager(kernel_name='python3')\n"
        "km.start_kernel(stderr=open('kernel.log', 'wb'))\n"
        "kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=60)\n"
        "reply = kc.execute_interactive('x = 1', timeout=30)\n"
        "print(json.dumps({'transport': km.transport, 'ip': km.ip, 'status': reply['content']['status'],\n"
        "                  'provisioner': type(km.provisioner).__name__}))\n"
        "kc.stop_channels(); km.shutdown_kernel(now=True)\n"
    )
    env = {**os.environ, **PROVISIONER_ENV}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {**seen, "transport": "ipc", "status": "ok", "provisioner": "IPCProvisioner"}
    assert not Path(seen["ip"]).parent.exists(), "the socket folder outlived the kernel"
    assert "TCP" not in (tmp_path / "kernel.log").read_text() + done.stderr


def test_a_day_whose_kernel_cannot_start_is_that_days_failure(demo_course):
    nb = demo_notebook()
    nb.metadata["kernelspec"]["name"] = "no-such-kernel"
    write_day(demo_course, nb)
    build_day(demo_course, DAY)
    report = format_report(verify(demo_course, [DAY], jobs=1))
    assert f"{DAY}: FAIL" in report
    assert "could not check: KernelStartError: the kernel did not start in 3 attempts" in report, report
    assert "0 of 1 day(s) pass all four points." in report
