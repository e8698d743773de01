"""Which sandbox grades run in, and the exact command that starts one sandboxed kernel.

Two modes:

- ``bubblewrap``: the kernel runs under Debian's ``bwrap`` with a read-only view of only the system,
  the Python installation and the helpers package; a private, size-limited /tmp and /dev/shm; its
  own output folder as the only writable place; no network (its own network namespace, with only
  its own loopback; the grader talks to it over Unix sockets); its own pid, IPC and user
  namespaces; and, when the grader runs as root, a user id of its own per job slot so the process
  limit counts only that kernel. Worker processes a notebook starts (DataLoader workers,
  multiprocessing, joblib) work inside, within the same limits.
- ``rlimits``: no sandboxing tool is usable, so the kernel runs as the grader's user with the
  resource limits alone; the file and network rules are enforced only by the kernel's Python
  audit hook (see kernel_boot.py), which native code can bypass. The command says so.

In both modes: a wall-clock limit per notebook (on top of nbgrader's per-cell timeout), an
address-space (memory) limit, a process limit, a file-size limit and no core dumps.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..kernel_env import grading_kernel_env, matplotlib_font_cache
from .probe_code import HELPERS_PACKAGE
from .records import BUBBLEWRAP, RLIMITS, Limits, Sandbox

HERE = Path(__file__).resolve().parent
LAUNCHER = HERE / "launcher.py"
KERNEL_BOOT = HERE / "kernel_boot.py"
SANDBOX_HOME = "/tmp/home"
SANDBOX_BOOT = "/opt/course-grader/kernel_boot.py"


@dataclass(frozen=True)
class KernelPlan:
    """Everything the launcher needs for one kernel; ``argv`` is the command jupyter_client runs."""

    argv: list[str]
    owner: tuple[int, int] | None


def python_paths() -> list[str]:
    """Folders the kernel must read to run Python: the installation, the environment, site-packages."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        paths.add(sysconfig.get_paths()[key])
    paths.add(str(Path(sys.executable).resolve().parent.parent))
    return sorted(p for p in paths if p and Path(p).exists())


@functools.cache
def package_paths(names: tuple[str, ...] = (HELPERS_PACKAGE,)) -> list[str]:
    """Folders of packages the graded notebooks import that may live outside site-packages.

    Looked up by a fresh interpreter started outside any course folder, so the answer is the
    installed copy that a kernel imports, not a ``helpers/`` folder in the grader's working directory.
    """
    code = (
        "import importlib.util, json, sys\n"
        "specs = [importlib.util.find_spec(n) for n in sys.argv[1:]]\n"
        "print(json.dumps([p for s in specs if s for p in (s.submodule_search_locations or [])]))"
    )
    found = subprocess.run([sys.executable, "-I", "-c", code, *names], cwd="/", capture_output=True,
                           text=True, check=True).stdout
    return [str(Path(location).resolve()) for location in json.loads(found)]


def protected_paths(course_root: Path) -> list[str]:
    """Folders graded code may never touch: the course, the checkout of the helpers, the grader's home."""
    paths = {str(course_root.resolve()), str(Path.home().resolve())}
    paths.update(str(Path(p).parent) for p in package_paths())
    return sorted(paths)


def kernel_env(sandbox: Sandbox, home: str, tmp: str, rules: dict) -> dict[str, str]:
    """The kernel's environment (``course.kernel_env``), with the sandbox's rules for kernel_boot."""
    return grading_kernel_env(home, tmp, sandbox.threads, {"COURSE_GRADER_RULES": json.dumps(rules)})


def _system_binds() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        path = Path(name)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), name]
        elif path.is_dir():
            args += ["--ro-bind", name, name]
    args += ["--ro-bind", "/etc", "/etc"]
    return args


def _ancestors(paths: list[str]) -> list[str]:
    """Every folder above ``paths`` (outside the system folders), shallowest first."""
    found: set[str] = set()
    for path in paths:
        for parent in Path(path).parents:
            if str(parent) not in ("/", "/usr", "/tmp"):
                found.add(str(parent))
    return sorted(found - set(paths), key=lambda p: (p.count("/"), p))


def bwrap_args(sandbox: Sandbox, outdir: Path, run_dir: Path) -> list[str]:
    """The bubblewrap command line (without the command it runs) for one kernel.

    As root, bubblewrap runs privileged with every capability dropped except changing user, which
    kernel_boot.py uses once to become the slot's own user before anything else runs. Otherwise it
    runs unprivileged in a user namespace of its own (the kernel keeps the grader's user id).
    """
    args = [sandbox.bwrap or "bwrap"]
    if sandbox.switch_uid:
        args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        args += ["--unshare-user", "--disable-userns"]
    args += ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
             "--hostname", "grader", "--die-with-parent"]
    args += _system_binds()
    args += ["--proc", "/proc", "--dev", "/dev"]
    # POSIX semaphores and shared memory (multiprocessing, DataLoader workers) live in /dev/shm, which
    # --dev leaves root-owned: a private, size-limited one that the kernel's own user can write.
    args += ["--size", str(sandbox.limits.tmp_bytes), "--perms", "1777", "--tmpfs", "/dev/shm"]
    args += ["--ro-bind-try", "/sys/devices/system/cpu", "/sys/devices/system/cpu"]
    args += ["--size", str(sandbox.limits.tmp_bytes), "--perms", "1777", "--tmpfs", "/tmp"]
    for folder in (SANDBOX_HOME, f"{SANDBOX_HOME}/.cache", f"{SANDBOX_HOME}/.cache/matplotlib"):
        args += ["--perms", "0777", "--dir", folder]
    readable = python_paths() + package_paths()
    writable = [str(run_dir), str(outdir)]
    for folder in _ancestors(readable + writable):
        args += ["--perms", "0755", "--dir", folder]
    for path in readable:
        args += ["--ro-bind", path, path]
    font_cache = matplotlib_font_cache()
    if font_cache is not None:
        args += ["--ro-bind", str(font_cache), f"{SANDBOX_HOME}/.cache/matplotlib/{font_cache.name}"]
    args += ["--ro-bind", str(KERNEL_BOOT), SANDBOX_BOOT]
    for path in writable:
        args += ["--bind", path, path]
    args += ["--chdir", str(outdir)]
    return args


def plan_kernel(sandbox: Sandbox, slot: int, course_root: Path, outdir: Path, run_dir: Path,
                report_fifo: Path, kernel_argv: list[str]) -> KernelPlan:
    """The command that starts one kernel in ``sandbox`` for a notebook whose output folder is ``outdir``."""
    outdir, run_dir = outdir.resolve(), run_dir.resolve()
    owner = sandbox.slot_ids(slot)
    allowed = [str(outdir), str(run_dir), str(KERNEL_BOOT), SANDBOX_BOOT] + python_paths() + package_paths()
    if sandbox.mode == BUBBLEWRAP:
        home, tmp = SANDBOX_HOME, "/tmp"
        writable = [str(outdir), "/tmp", "/dev"]
        inner = [SANDBOX_BOOT if arg == str(KERNEL_BOOT) else arg for arg in kernel_argv]
        wrapped = bwrap_args(sandbox, outdir, run_dir) + ["--"] + inner
    else:
        home, tmp = str(run_dir / "home"), str(run_dir / "tmp")
        prepare_private_home(Path(home), Path(tmp))
        writable = [str(outdir), str(run_dir), "/dev"]
        allowed.append(str(run_dir))
        wrapped = kernel_argv
    rules = {"protected": protected_paths(course_root), "allowed": allowed, "writable": writable,
             "private_network": sandbox.mode == BUBBLEWRAP}
    limits = {"memory": sandbox.limits.memory_bytes, "file_size": sandbox.limits.file_bytes, "core": 0}
    if owner is not None:
        rules["uid"], rules["gid"] = owner
    if owner is not None or os.geteuid() != 0:
        limits["processes"] = sandbox.limits.processes + (0 if owner else count_own_tasks())
    spec = {"env": kernel_env(sandbox, home, tmp, rules), "limits": limits, "argv": wrapped,
            "report_fifo": str(report_fifo)}
    return KernelPlan([sys.executable, "-I", "-S", str(LAUNCHER), json.dumps(spec)], owner)


def prepare_private_home(home: Path, tmp: Path) -> None:
    """Without bubblewrap: a throw-away home and temp folder, with the grader's matplotlib font list."""
    cache = home / ".cache" / "matplotlib"
    cache.mkdir(parents=True, exist_ok=True)
    tmp.mkdir(parents=True, exist_ok=True)
    font_cache = matplotlib_font_cache()
    if font_cache is not None:
        shutil.copy(font_cache, cache / font_cache.name)


def count_own_tasks() -> int:
    """Threads and processes the grader's user already runs (RLIMIT_NPROC counts them all)."""
    uid, total = os.getuid(), 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("Uid", "").split()[:1] == [str(uid)]:
            total += int(fields.get("Threads", "1").strip() or 1)
    return total


def _bwrap_works(bwrap: str, sandbox: Sandbox) -> str:
    """Run a trivial command through the launcher and bubblewrap; return '' or why it failed."""
    with tempfile.TemporaryDirectory(prefix="course-grade-check-") as scratch:
        out, run = Path(scratch) / "out", Path(scratch) / "run"
        out.mkdir()
        run.mkdir()
        owner = sandbox.slot_ids(0)
        code = "print('ok')"
        if owner is not None:
            code = f"import os; os.setgroups([]); os.setgid({owner[1]}); os.setuid({owner[0]}); " + code
        spec = {"env": {"PATH": "/usr/bin:/bin"}, "limits": {"core": 0},
                "argv": bwrap_args(sandbox, out, run) + ["--", sys.executable, "-I", "-c", code]}
        try:
            done = subprocess.run([sys.executable, "-I", "-S", str(LAUNCHER), json.dumps(spec)],
                                  capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as err:
            return str(err)
        if done.returncode == 0 and done.stdout.strip() == "ok":
            return ""
        return (done.stderr.strip() or f"exit status {done.returncode}").splitlines()[-1]


def choose_sandbox(requested: str, limits: Limits) -> Sandbox:
    """Pick the sandbox: bubblewrap when it is installed and works here, else rlimits only (and say why)."""
    run_id = os.getpid()
    root_note = "; processes are not limited for root" if os.geteuid() == 0 else ""
    if requested == RLIMITS:
        return Sandbox(RLIMITS, limits, note="requested with --sandbox rlimits" + root_note, run_id=run_id)
    bwrap = shutil.which("bwrap")
    if bwrap is None or not sys.platform.startswith("linux"):
        why = "bubblewrap is not installed; `make system-deps` installs it" if sys.platform.startswith("linux") \
            else f"no sandboxing tool on {sys.platform}"
        if requested == BUBBLEWRAP:
            raise SystemExit(f"--sandbox bubblewrap: {why}")
        return Sandbox(RLIMITS, limits, note=why + root_note, run_id=run_id)
    candidate = Sandbox(BUBBLEWRAP, limits, bwrap=bwrap, switch_uid=os.geteuid() == 0, run_id=run_id)
    problem = _bwrap_works(bwrap, candidate)
    if problem:
        if requested == BUBBLEWRAP:
            raise SystemExit(f"--sandbox bubblewrap: bubblewrap cannot start a sandbox here: {problem}")
        return Sandbox(RLIMITS, limits, note=f"bubblewrap cannot start a sandbox here: {problem}{root_note}",
                       run_id=run_id)
    return candidate
