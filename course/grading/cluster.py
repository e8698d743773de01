"""Grading on a Dask cluster: ``python -m course grade ASSIGNMENT --scheduler ADDRESS``.

Only the sandboxed execution of each notebook (``worker.run_job``) leaves this machine; everything
that touches the gradebook stays in the main process, as without a cluster (see runner.py).

- **Connecting** (``connect``): ``local`` starts a ``LocalCluster`` of single-threaded worker
  processes here (whose sandbox is this machine's); any other address must answer within
  ``CONNECT_SECONDS`` or the command stops before it touches a submission, and there the sandbox is
  chosen by the workers, where the kernels run: ``auto`` is bubblewrap only when every worker can
  start it. Each worker checks the run's sandbox again before its first notebook.
- **Jobs carry their data**: a job holds the sanitized notebook and the files of its output folder,
  and its result holds the executed notebook. A worker that sees the course at the same path (the
  same machine, or a shared filesystem) runs the kernel in the course's own output folder, exactly as
  a local worker does; any other worker rebuilds the folder in a private staging area laid out like
  the course (so a path relative to it leads where it would in the course, and is refused as it would
  be), and gives paths back in the course's terms.
- **Lost workers**: the pool keeps at most one task per worker thread at the scheduler, so each
  worker holds only the notebook it is running, and a worker that dies takes only that one with it.
  The scheduler gives such a task up at once (``distributed.scheduler.allowed-failures = 0``: Dask's
  ``KilledWorker``), and the pool runs it once more, on whichever worker is free, as the local pool
  does after a dead worker process. A notebook whose second run kills a worker too fails with the
  reason. (Left to Dask, a dead worker's tasks are handed to the busy workers that remain, where a
  notebook that kills workers would take them down too.)
- **Job slots**: each worker thread holds a slot number unique on its machine (a file lock, freed by
  the operating system when the process dies), which gives its kernels their own user id as root.
"""

from __future__ import annotations

import fcntl
import functools
import json
import logging
import os
import queue
import shutil
import socket
import sys
import tempfile
import threading
from collections import deque
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path, PurePosixPath
from typing import IO, Any, Callable, TextIO

import dask
from distributed import Client, LocalCluster, get_worker
from distributed.comm import get_address_host_port
from distributed.diagnostics.plugin import WorkerPlugin
from distributed.scheduler import KilledWorker
from distributed.utils import get_mp_context

from ..layout import folder_name
from .pools import LocalPool
from .records import BUBBLEWRAP, RLIMITS, ExecutionJob, ExecutionResult, Limits, Outcome, Sandbox
from .sandbox import choose_sandbox
from .worker import init_worker, run_job

LOCAL = "local"
CONNECT_SECONDS = 10
WORKERS_SECONDS = 60
ALLOWED_FAILURES = 0  # the scheduler gives a task up when its worker dies; the pool decides (see above)
TRIES = 2  # runs of a notebook whose workers die: the second death fails it
MAX_JOB_BYTES = 64 * 1024**2
MAX_SLOTS = 64  # records.Sandbox.slot_ids gives each run 64 user ids
PLUGIN = "course-grade-job-slots"


# worker side --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StagedJob:
    """A job as sent to a Dask worker: the execution job and its output folder's files."""

    job: ExecutionJob
    files: dict[str, bytes]


@dataclass
class PlacedResult(ExecutionResult):
    """An execution's result with the Dask worker that produced it (address and host name)."""

    worker: str = ""


class JobSlotLocks:
    """This process's job slots: numbers below ``MAX_SLOTS`` that no other grading worker on this
    machine holds, kept as file locks (the operating system frees them when a process dies)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.files: dict[int, IO] = {}
        self.free: list[int] = []

    @staticmethod
    def folder() -> Path:
        path = Path(tempfile.gettempdir()) / f"course-grade-slots-{os.getuid()}"
        path.mkdir(mode=0o700, exist_ok=True)
        return path

    def reserve(self, count: int) -> None:
        """Hold at least ``count`` slots; raises RuntimeError when the machine has none left."""
        with self.lock:
            for slot in range(MAX_SLOTS):
                if len(self.files) >= count:
                    return
                if slot in self.files:
                    continue
                handle = open(self.folder() / f"{slot}.lock", "a")  # noqa: SIM115 - held while the process lives
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    handle.close()
                    continue
                self.files[slot] = handle
                self.free.append(slot)
            if len(self.files) < count:
                raise RuntimeError(f"no free job slot on this machine ({MAX_SLOTS} kernels at once at most)")

    def take(self) -> int:
        """A slot for one execution (reserving one more when all are busy)."""
        with self.lock:
            if not self.free:
                self.reserve(len(self.files) + 1)
            return self.free.pop(0)

    def give_back(self, slot: int) -> None:
        with self.lock:
            self.free.append(slot)

    def release(self) -> None:
        """Let go of every slot (the worker is closing)."""
        with self.lock:
            for handle in self.files.values():
                handle.close()
            self.files.clear()
            self.free.clear()

    def held_on_this_machine(self) -> int:
        """How many job slots grading workers on this machine hold (this process's included)."""
        count = 0
        for path in self.folder().glob("*.lock"):
            try:
                handle = open(path, "a")  # noqa: SIM115
            except OSError:
                continue
            with handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    count += 1
                else:
                    fcntl.flock(handle, fcntl.LOCK_UN)
        return count


SLOTS = JobSlotLocks()


class JobSlots(WorkerPlugin):
    """Registered on every worker (and on workers that join later): one job slot per worker thread,
    taken when the worker starts so that each kernel's compute threads are counted right."""

    idempotent = True

    def setup(self, worker: Any) -> None:
        SLOTS.reserve(max(1, int(getattr(worker, "nthreads", 1) or 1)))
        first = queue.SimpleQueue()
        first.put(SLOTS.free[0])
        init_worker(first)  # the worker's own logging stays quiet, as in a local worker process

    def teardown(self, worker: Any) -> None:
        SLOTS.release()


class SandboxUnavailable(RuntimeError):
    """This worker cannot start the sandbox the run uses."""


@functools.lru_cache(maxsize=8)
def checked_sandbox(mode: str, limits: Limits) -> Sandbox:
    """``choose_sandbox`` on this worker, once per mode (bubblewrap must work where kernels run)."""
    try:
        return choose_sandbox(mode, limits)
    except SystemExit as err:
        raise SandboxUnavailable(str(err)) from None


def worker_sandbox(requested: Sandbox) -> Sandbox:
    """The run's sandbox mode and limits as this worker runs them: its own bubblewrap, user ids and
    run id, and the run's compute threads per kernel, else ``cores / kernels on this machine``."""
    sandbox = checked_sandbox(requested.mode, requested.limits)
    threads = requested.threads or max(1, (os.cpu_count() or 1) // max(1, SLOTS.held_on_this_machine()))
    return replace(sandbox, threads=threads)


def probe_worker(requested: str, limits: Limits) -> dict[str, str]:
    """Run on every worker when connecting: the sandbox ``requested`` comes to here, or why none does."""
    report = {"host": socket.gethostname(), "mode": "", "note": "", "error": ""}
    try:
        sandbox = checked_sandbox(requested, limits)
    except SandboxUnavailable as err:
        report["error"] = str(err)
    else:
        report["mode"], report["note"] = sandbox.mode, sandbox.note
    return report


def here() -> str:
    """This worker's address and host name, for the CSV's sandbox column."""
    try:
        address = get_worker().address
    except ValueError:
        address = f"process {os.getpid()}"
    return f"{address} ({socket.gethostname()})"


def same_folder(job: ExecutionJob) -> bool:
    """Whether this worker sees the course's output folder itself (same machine or shared filesystem)."""
    try:
        return (Path(job.outdir) / f"{job.notebook}.ipynb").read_text(encoding="utf-8") == job.notebook_json
    except (OSError, UnicodeDecodeError):
        return False


def _inside(folder: Path, name: str) -> Path:
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValueError(f"refusing to stage a file outside the output folder: {name!r}")
    return folder.joinpath(*relative.parts)


def _relocated(result: ExecutionResult, stage: str, root: str) -> ExecutionResult:
    """``result`` with every mention of the staging area turned back into the course's path."""
    def fix(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace(stage, root)
        if isinstance(value, list):
            return [fix(item) for item in value]
        if is_dataclass(value):
            return replace(value, **{f.name: fix(getattr(value, f.name)) for f in fields(value)})
        return value

    notebook_json = result.notebook_json
    result = replace(fix(result), notebook_json=None)
    if notebook_json is not None:  # JSON text: the paths as JSON strings spell them
        notebook_json = notebook_json.replace(json.dumps(stage)[1:-1], json.dumps(root)[1:-1])
    return replace(result, notebook_json=notebook_json)


def run_staged(job: ExecutionJob, files: dict[str, bytes], slot: int) -> ExecutionResult:
    """Run ``job`` in a private copy of its output folder, laid out as in the course."""
    stage = Path(tempfile.mkdtemp(prefix="course-grade-stage-"))
    try:
        try:
            relative = Path(job.outdir).relative_to(job.course_root)
        except ValueError:
            relative = Path(folder_name("autograded"), job.student, Path(job.outdir).name)
        outdir = stage / relative
        outdir.mkdir(parents=True)
        for name, data in files.items():
            target = _inside(outdir, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        result = run_job(replace(job, course_root=str(stage), outdir=str(outdir)), slot)
        return _relocated(result, str(stage), str(job.course_root))
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def run_on_worker(staged: StagedJob) -> PlacedResult:
    """The Dask task: execute one notebook here, in this worker's sandbox and job slot; never raises
    for anything the notebook does (like ``worker.run_job``)."""
    job, place = staged.job, here()
    try:
        job = replace(job, sandbox=worker_sandbox(job.sandbox))
        slot = SLOTS.take()
    except Exception as err:  # noqa: BLE001 - no sandbox or no slot here: the notebook fails with the reason
        failed = ExecutionResult(job.student, job.notebook, None, Outcome(), grader_error=f"on {place}: {err}")
        return PlacedResult(**{f.name: getattr(failed, f.name) for f in fields(failed)}, worker=place)
    try:
        result = run_job(job, slot) if same_folder(job) else run_staged(job, staged.files, slot)
    finally:
        SLOTS.give_back(slot)
    return PlacedResult(**{f.name: getattr(result, f.name) for f in fields(result)}, worker=place)


def output_files(outdir: Path, limit: int = MAX_JOB_BYTES) -> dict[str, bytes]:
    """The regular files of a submission's output folder, by path relative to it; raises ValueError
    when they are more than ``limit`` bytes together."""
    files, total = {}, 0
    for folder, _, names in os.walk(outdir):
        for name in names:
            path = Path(folder) / name
            if not path.is_file() or path.is_symlink():
                continue
            total += path.stat().st_size
            if total > limit:
                raise ValueError(f"the submission's files are more than the {limit // 1024**2} MiB "
                                 "a job may carry to a worker")
            files[path.relative_to(outdir).as_posix()] = path.read_bytes()
    return files


# main process -------------------------------------------------------------------------------------
class DaskPool:
    """The runner's pool (see pools.py) on a Dask cluster: executions go to the workers through
    ``Client.get_executor``; trusted local work (feedback) runs in local worker processes.

    ``start`` gives the connected client (and the cluster, when it is ours to stop); it runs in the
    dispatching thread, so a local cluster starts while the main process prepares the first
    submissions. Jobs wait here until a worker thread is free (see the module docstring).
    """

    def __init__(self, start: Callable[[], tuple[Client, LocalCluster | None]], sandbox: Sandbox, jobs: int,
                 local_jobs: int) -> None:
        self.sandbox, self.jobs, self.local_jobs = sandbox, jobs, local_jobs
        self.client: Client | None = None
        self.cluster: LocalCluster | None = None
        self.executor: Any = None
        self.address = "(starting)"
        self.local: LocalPool | None = None
        self.backlog: deque[tuple[Future, StagedJob]] = deque()
        self.running = 0
        self.capacity = jobs  # worker threads, refreshed from the scheduler while jobs wait
        self.closed = False
        self.broken: BaseException | None = None
        self.changed = threading.Condition()
        self.closer: threading.Thread | None = None
        self.dispatcher = threading.Thread(target=self._run, args=(start,), name="course-grade-dask", daemon=True)
        self.dispatcher.start()

    def live_threads(self) -> int:
        """Worker threads connected to the scheduler now."""
        return sum(self.client.nthreads().values())

    # the pool interface
    def execute(self, job: ExecutionJob) -> Future:
        """Queue one notebook for the cluster (it leaves for the scheduler when a worker thread is free)."""
        proxy: Future = Future()
        try:
            staged = StagedJob(job, output_files(Path(job.outdir)))
        except (OSError, ValueError) as err:
            proxy.set_exception(err)
            return proxy
        with self.changed:
            if self.broken is None:
                self.backlog.append((proxy, staged))
                self.changed.notify_all()
                return proxy
        proxy.set_exception(self.broken)
        return proxy

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future:
        """Trusted work that needs the gradebook and the course's files (feedback): on the workers of
        a local cluster (this machine's processes), else in local worker processes."""
        if self.cluster is not None and self.executor is not None:
            return self.executor.submit(fn, *args)
        if self.local is None:
            self.local = LocalPool(self.local_jobs)
        return self.local.submit(fn, *args)

    def retry(self, error: BaseException, tries: int) -> bool:
        """Once more when its worker died (``KilledWorker``); never for anything else."""
        return isinstance(error, KilledWorker) and tries < TRIES

    def explain(self, error: BaseException) -> str:
        """The reason recorded for an execution that failed on the cluster."""
        if isinstance(error, KilledWorker):
            deaths = TRIES * (error.allowed_failures + 1)
            return (f"{deaths} Dask workers died in a row while running it (the last was "
                    f"{error.last_worker.address}; its log says more)")
        if isinstance(error, CancelledError):
            return f"the Dask scheduler at {self.address} dropped it (connection lost?)"
        return f"{type(error).__name__}: {error}"

    def where(self, result: ExecutionResult) -> str | None:
        """``MODE on ADDRESS (HOST)`` for a notebook a worker executed."""
        worker = getattr(result, "worker", "")
        return f"{self.sandbox.mode} on {worker}" if worker else None

    def shutdown(self, wait: bool = True, cancel_futures: bool = True) -> None:
        """Stop dispatching and drop what waits; disconnect (and stop a cluster of ours) in the
        background, while the report is written. ``close`` waits for that."""
        with self.changed:
            if self.closer is not None:
                return
            self.closed = True
            left = list(self.backlog)
            self.backlog.clear()
            self.changed.notify_all()
            self.closer = threading.Thread(target=self._close, name="course-grade-dask-close")
        for proxy, _ in left:
            proxy.cancel()
        self.closer.start()

    def close(self) -> None:
        """Shut down (if not yet) and wait until the client and any cluster of ours are stopped."""
        self.shutdown()
        self.closer.join()

    def _close(self) -> None:
        self.dispatcher.join()
        if self.executor is not None:
            self.executor.shutdown(wait=False)
        if self.local is not None:
            self.local.shutdown()
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    # dispatching: at most one task per worker thread at the scheduler
    def _run(self, start: Callable[[], tuple[Client, LocalCluster | None]]) -> None:
        try:
            self.client, self.cluster = start()
            self.address = self.client.scheduler.address
            self.executor = self.client.get_executor(pure=False)
            self.client.register_plugin(JobSlots(), name=PLUGIN)
        except Exception as err:  # noqa: BLE001 - every submission then fails with this reason
            with self.changed:
                self.broken = RuntimeError(f"the Dask cluster did not start: {type(err).__name__}: {err}")
            self._fail_backlog(self.broken)
            return
        self._dispatch()

    def _dispatch(self) -> None:
        while True:
            with self.changed:
                self.changed.wait_for(lambda: self.closed or (self.backlog and self.running < self.capacity),
                                      timeout=0.5)
                if self.closed:
                    return
                if not self.backlog:
                    continue
            try:
                self.capacity = self.live_threads()
            except Exception as err:  # noqa: BLE001 - the scheduler is gone: what waits fails, with the reason
                self._fail_backlog(err)
                continue
            while True:
                with self.changed:
                    if self.closed or not self.backlog or self.running >= self.capacity:
                        break
                    proxy, staged = self.backlog.popleft()
                    self.running += 1
                self._start(proxy, staged)

    def _start(self, proxy: Future, staged: StagedJob) -> None:
        if not proxy.set_running_or_notify_cancel():
            return self._one_done()
        try:
            inner = self.executor.submit(run_on_worker, staged)
        except Exception as err:  # noqa: BLE001
            proxy.set_exception(err)
            return self._one_done()
        inner.add_done_callback(functools.partial(self._finished, proxy))

    def _finished(self, proxy: Future, inner: Future) -> None:
        self._one_done()
        if inner.cancelled():
            proxy.set_exception(CancelledError())
        elif inner.exception() is not None:
            proxy.set_exception(inner.exception())
        else:
            proxy.set_result(inner.result())

    def _one_done(self) -> None:
        with self.changed:
            self.running -= 1
            self.changed.notify_all()

    def _fail_backlog(self, error: BaseException) -> None:
        with self.changed:
            left = list(self.backlog)
            self.backlog.clear()
        for proxy, _ in left:
            if proxy.set_running_or_notify_cancel():
                proxy.set_exception(error)


LOCAL_CLUSTER_CONFIG = {
    "distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
    # Workers (and a dead worker's replacement) fork from one process that imported the grader once.
    "distributed.worker.multiprocessing-method": "forkserver",
    # A few long tasks that mostly wait for a kernel: Dask's fine-grained monitoring (a stack sample
    # every 10 ms, an event-loop check every 20 ms) would only take CPU from the kernels.
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "2s",
}


def start_local_cluster(workers: int) -> tuple[Client, LocalCluster]:
    """``workers`` single-threaded worker processes on this machine, with the grader's retry rule.
    No memory limit: each kernel has its own (the worker process itself stays small)."""
    with dask.config.set(LOCAL_CLUSTER_CONFIG):
        get_mp_context().set_forkserver_preload(["distributed", __name__])
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               memory_limit=0, dashboard_address=None, silence_logs=logging.ERROR,
                               scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
    return Client(cluster, set_as_default=False), cluster


def check_reachable(address: str) -> None:
    """Stop with a clear message unless a Dask scheduler answers at ``address``.

    Something must listen there, and over plain TCP it must speak first, as a Dask listener does (it
    sends its handshake as soon as a connection is accepted; distributed.comm.core.Listener): an HTTP
    server such as Dask's dashboard, one port further, waits for a request, and the client would wait
    for it without end.
    """
    try:
        host, port = get_address_host_port(address)
    except ValueError:
        if "://" not in address:
            raise SystemExit(f"{address!r} is not a Dask scheduler address (tcp://HOST:8786) or `local`; "
                             "nothing was graded.") from None
        return  # an address without host and port (inproc://...): the client's own timeout applies
    try:
        connection = socket.create_connection((host, port), timeout=CONNECT_SECONDS)
    except OSError as err:
        raise SystemExit(f"cannot reach the Dask scheduler at {address} ({err}); nothing was graded. "
                         "Is `dask scheduler` running there, and is the address right (tcp://HOST:8786)?") from None
    with connection:
        if address.startswith("tcp://") or "://" not in address:
            try:
                greeting = connection.recv(1)
            except OSError:
                greeting = b""
            if not greeting:
                raise SystemExit(f"something listens at {address} but does not answer as a Dask scheduler does "
                                 f"(within {CONNECT_SECONDS} s); nothing was graded. Is it the scheduler's port "
                                 "(8786 by default), not the dashboard's (8787)?")


def agree_on_sandbox(reports: dict[str, dict[str, str]], requested: str, limits: Limits) -> Sandbox:
    """The run's sandbox from every worker's probe: bubblewrap only where all of them can start it."""
    broken = {address: r for address, r in reports.items() if r["error"]}
    if broken:
        address, report = next(iter(sorted(broken.items())))
        raise SystemExit(f"{requested}: the Dask worker {address} ({report['host']}) "
                         f"cannot start it: {report['error']}")
    count = f"checked on {len(reports)} Dask worker(s)"
    weaker = {address: r for address, r in reports.items() if r["mode"] != BUBBLEWRAP}
    if not weaker:
        return Sandbox(BUBBLEWRAP, limits, note=count)
    address, report = next(iter(sorted(weaker.items())))
    why = (f"on the Dask worker {address} ({report['host']}): {report['note']}" if requested != RLIMITS
           else report["note"])
    return Sandbox(RLIMITS, limits, note=f"{why}; {count}")


def _allowed_failures(dask_scheduler: Any = None) -> int:
    return dask_scheduler.allowed_failures


def connect_remote(address: str, requested: str, limits: Limits, out: TextIO) -> tuple[Client, Sandbox]:
    """Connect to a running scheduler and agree on the sandbox with its workers (SystemExit if not)."""
    check_reachable(address)
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except Exception as err:  # noqa: BLE001 - whatever answered there, nothing is graded and the reason is said
        raise SystemExit(f"cannot connect to the Dask scheduler at {address} ({type(err).__name__}: {err}); "
                         "nothing was graded.") from None
    try:
        try:
            client.wait_for_workers(1, timeout=WORKERS_SECONDS)
        except TimeoutError:
            raise SystemExit(f"the Dask scheduler at {address} has had no worker for {WORKERS_SECONDS} s; nothing "
                             f"was graded. Start workers with `dask worker {address} --nthreads 1`.") from None
        sandbox = agree_on_sandbox(client.run(probe_worker, requested, limits), requested, limits)
        try:
            allowed = client.run_on_scheduler(_allowed_failures)
        except Exception:  # noqa: BLE001 - a scheduler that refuses to say keeps its own rule
            allowed = None
    except BaseException:
        client.close()
        raise
    print(f"Dask: scheduler {client.scheduler.address}, {len(client.nthreads())} worker(s).", file=out)
    if allowed is not None and allowed != ALLOWED_FAILURES:
        print(f"note: this scheduler hands a dead worker's notebook to another worker itself, up to {allowed} "
              f"time(s) (distributed.scheduler.allowed-failures = {allowed}), before the grader's own second try; "
              f"a notebook that kills workers takes {TRIES * (allowed + 1)} with it. Start `dask scheduler` with "
              f"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES={ALLOWED_FAILURES} for the grader's rule.", file=out)
    return client, sandbox


def connect(address: str, jobs: int, requested: str, limits: Limits, sandbox_here: Callable[[], Sandbox],
            out: TextIO = sys.stdout) -> DaskPool:
    """The pool for ``--scheduler ADDRESS``: a running cluster, or for ``local`` one of ``jobs``
    single-threaded workers started here, whose sandbox is this machine's (``sandbox_here()``; each
    worker checks it again before its first notebook). Raises SystemExit with the reason when the
    scheduler cannot be reached, has no workers or a worker cannot start the requested sandbox,
    before anything is graded."""
    if address == LOCAL:
        sandbox = sandbox_here()
        print(f"Dask: a local cluster of {jobs} single-threaded worker process(es).", file=out)
        return DaskPool(functools.partial(start_local_cluster, jobs), sandbox, jobs, jobs)
    client, sandbox = connect_remote(address, requested, limits, out)
    threads = sum(client.nthreads().values())
    return DaskPool(lambda: (client, None), sandbox, max(1, threads), jobs)
