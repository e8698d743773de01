"""nbgrader's Execute step, run in a sandboxed kernel with a notebook deadline and integrity probes.

``GradingExecute`` is nbgrader's own ``Execute`` preprocessor (so cells run, time out, are interrupted
and record errors exactly as in ``nbgrader autograde``) with these additions:

- the kernel is started by ``SandboxedKernelManager`` (launcher, resource limits, bubblewrap);
- a watchdog kills the kernel when the whole notebook runs past its wall-clock limit;
- an integrity probe runs before the first cell, before and after every graded cell and at the end;
- each cell's outputs are capped while they stream in (``outputcap``), so printing cannot fill memory;
- a test cell's stderr is ordinary output once the notebook has run (``testrule``): only errors count;
- it never raises: what went wrong is kept in ``self.outcome`` with the partly executed notebook.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from queue import Empty
from typing import Any, Callable

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbconvert.preprocessors.execute import NotebookClient
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import Execute, LimitOutput

from .integrity import IntegrityMonitor, parse_reply
from .kernel import SandboxedKernelManager
from .outputcap import CapLimits, OutputCap, message_with
from .records import Outcome
from .sandbox import KernelPlan
from .testrule import stderr_is_not_a_failure

PROBE_SECONDS = 10.0


class Watchdog(threading.Thread):
    """Kills the kernel's process group at the deadline and drains the sandbox report channel."""

    def __init__(self, deadline: float, report_fd: int | None, group: Callable[[], int | None]) -> None:
        super().__init__(daemon=True)
        self.deadline, self.report_fd, self.group = deadline, report_fd, group
        self.lock = threading.Lock()
        self.pauses = 0
        self.stopped = threading.Event()
        self.fired = False
        self.buffer = b""

    def drain(self) -> None:
        """Read what the kernel's audit hook reported so far (never blocks; keeps at most 1 MB)."""
        if self.report_fd is None:
            return
        while True:
            try:
                chunk = os.read(self.report_fd, 65536)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            if not chunk:
                return
            self.buffer += chunk[: max(0, 1_000_000 - len(self.buffer))]

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Stop the clock while the grader does its own work (it is not the notebook's time)."""
        with self.lock:
            self.pauses += 1
            began = time.monotonic()
        try:
            yield
        finally:
            with self.lock:
                self.pauses -= 1
                self.deadline += time.monotonic() - began

    def run(self) -> None:
        while not self.stopped.wait(0.2):
            self.drain()
            with self.lock:
                due = not self.pauses and time.monotonic() > self.deadline
            if due and not self.fired:
                group = self.group()
                if group:
                    self.fired = True
                    try:
                        os.killpg(group, signal.SIGKILL)
                    except OSError:
                        pass

    def stop(self) -> None:
        """Stop watching and read the last reports."""
        self.stopped.set()
        self.join(timeout=5)
        self.drain()


class GradingExecute(Execute):
    """nbgrader's Execute in a sandboxed kernel; see the module docstring."""

    def __init__(self, plan: Callable[[list[str]], KernelPlan], run_dir: Path, notebook_seconds: float,
                 report_fd: int | None = None, kernel_log: Path | None = None,
                 owner: tuple[int, int] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._plan, self._run_dir = plan, run_dir
        self._kernel_log = kernel_log or run_dir.parent / "kernel.log"
        self._owner = owner
        self._notebook_seconds, self._report_fd = notebook_seconds, report_fd
        self.monitor = IntegrityMonitor()
        self.outcome = Outcome()
        self.sandbox_km: SandboxedKernelManager | None = None
        max_lines = LimitOutput(config=self.config).max_lines
        self.cap = OutputCap(CapLimits(max_lines=max_lines))
        self._cap_cell: int | None = None
        self._watchdog: Watchdog | None = None

    def create_kernel_manager(self) -> SandboxedKernelManager:
        """The kernel manager nbclient uses: the notebook's kernel, started in the sandbox."""
        name = self.kernel_name or self.nb.metadata.get("kernelspec", {}).get("name") or "python3"
        self.km = self.sandbox_km = SandboxedKernelManager(self._plan, self._run_dir, self._kernel_log, self._owner,
                                                           kernel_name=name, config=self.config)
        return self.km

    def _group(self) -> int | None:
        return self.sandbox_km.process_group() if self.sandbox_km else None

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None) -> tuple[NotebookNode, Any]:
        """Execute every cell (as ExecutePreprocessor.preprocess does), probing around graded cells."""
        start = time.monotonic()
        watchdog = self._watchdog = Watchdog(start + self._notebook_seconds, self._report_fd, self._group)
        watchdog.start()
        self.shutdown_kernel = "immediate"
        try:
            self._run_cells(nb, resources, km)
        except DeadKernelError:
            self.outcome.died = "the kernel died"
        except CellTimeoutError as err:
            self.outcome.cell_timeout = str(err).splitlines()[0]
        except Exception as err:  # noqa: BLE001 - any failure is reported, never raised
            if not self.outcome.last_cell:
                tail = self.sandbox_km.log_tail() if self.sandbox_km else ""
                self.outcome.start_error = (f"{type(err).__name__}: {err}"
                                            + (f"; the kernel said: {tail}" if tail else ""))
            else:
                self.outcome.crashed = f"{type(err).__name__}: {err}"
        finally:
            watchdog.stop()
            stderr_is_not_a_failure(nb)
            self.outcome.timed_out = watchdog.fired
            self.outcome.seconds = time.monotonic() - start
            self.outcome.reports = watchdog.buffer.decode("utf-8", "replace").splitlines()
            process = self.sandbox_km.process if self.sandbox_km else None
            if process is not None:
                try:
                    self.outcome.exit_status = process.wait(timeout=10)
                except Exception:  # noqa: BLE001
                    self.outcome.exit_status = process.poll()
        return nb, resources

    def _run_cells(self, nb: NotebookNode, resources: Any, km: Any) -> None:
        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        with self.setup_kernel():
            assert self.kc
            info_msg = self.wait_for_reply(self.kc.kernel_info())
            assert info_msg
            self.nb.metadata["language_info"] = info_msg["content"]["language_info"]
            self.probe("before the first cell")
            for index, cell in enumerate(self.nb.cells):
                grade_id = str(cell.metadata.get("nbgrader", {}).get("grade_id", ""))
                graded = bool(grade_id) and utils.is_grade(cell) and cell.cell_type == "code"
                self.outcome.last_cell = grade_id or f"cell {index + 1}"
                if graded:
                    self.probe(f"before {grade_id}")
                self.preprocess_cell(cell, resources, index)
                if graded:
                    self.probe(f"after {grade_id}")
            self.outcome.last_cell = "the end of the notebook"
            self.probe("after the last cell")
        self.set_widgets_metadata()

    def output(self, outs: list, msg: dict, display_id: str | None, cell_index: int) -> NotebookNode | None:
        """nbclient's handling of one output message, within the cell's output budget."""
        if cell_index != self._cap_cell or getattr(self, "clear_before_next_output", False) or not outs:
            self._cap_cell = cell_index
            self.cap.reset()  # a new cell, or one whose outputs are (about to be) cleared
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            text = content.get("text", "")
            kept = self.cap.stream(text)
            out = super().output(outs, message_with(msg, {**content, "text": kept}), display_id, cell_index) \
                if kept else None
            self.cap.mark(outs)
            return out
        if kind in ("display_data", "execute_result"):
            trimmed = self.cap.display_data(content, result=kind == "execute_result")
            if trimmed is None:
                self.cap.drop_display()
                self.cap.mark(outs)
                return None
            if trimmed is not content:
                msg = message_with(msg, trimmed)
        elif kind == "error":
            msg = message_with(msg, self.cap.error(content))
        return super().output(outs, msg, display_id, cell_index)

    def probe(self, when: str) -> None:
        """Ask the kernel for its integrity fingerprints and let the monitor judge them."""
        run_sync(self._async_probe)(when)

    async def _async_probe(self, when: str) -> None:
        assert self.kc is not None
        if self.monitor.unresponsive:
            return
        msg_id = self.kc.execute("", silent=True, store_history=False, allow_stdin=False,
                                 user_expressions={"probe": self.monitor.expression()})
        deadline = time.monotonic() + PROBE_SECONDS
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.monitor.unanswered(when)
                return
            try:
                msg = await self.kc.shell_channel.get_msg(timeout=min(1.0, remaining))
            except Empty:
                if not await self.kc.is_alive():
                    return  # the next cell reports the dead kernel
                continue
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                break
        result = parse_reply(msg)
        if result is None:
            self.monitor.malformed(when)
            return
        # Judging the answer may import pristine copies of modules (seconds, the first time): the
        # grader's own work, so it does not count against the notebook's time.
        with self._watchdog.paused() if self._watchdog else contextlib.nullcontext():
            self.monitor.observe(result, when)
