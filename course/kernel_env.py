"""The environment a course kernel runs in: compute threads, plots, the matplotlib font list.

Every place that starts notebook code takes its environment from here: ``verify`` and the notebook
benchmark (``kernel_environment`` around nbgrader's Execute in ``course.notebooks``), the answers
runner (``answers_worker_env``) and the grader's sandboxed kernels (``grading_kernel_env``,
``matplotlib_font_cache``).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

# The variables that size a kernel's compute thread pools (torch/OpenMP, MKL, OpenBLAS).
THREAD_ENV = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
# What a graded kernel keeps of the grader's environment: locale, time zone, hash seed, thread policy.
PASS_THROUGH_ENV = ("LANG", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONHASHSEED", *THREAD_ENV)
HEADLESS_PLOTS = {"MPLBACKEND": "Agg"}


def matplotlib_font_cache() -> Path | None:
    """The grader's matplotlib font list, so a kernel does not rebuild it (slow, and it prints to stderr)."""
    try:
        spec = importlib.util.find_spec("matplotlib")
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        return None
    cache = Path(os.environ.get("MPLCONFIGDIR") or Path.home() / ".cache" / "matplotlib")
    found = sorted(cache.glob("fontlist-v*.json")) if cache.is_dir() else []
    if not found:
        # A new machine has no font list yet: build it once here, or every sandboxed kernel would
        # build its own and print "Matplotlib is building the font cache" into a graded cell.
        subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], capture_output=True, check=False)
        found = sorted(cache.glob("fontlist-v*.json")) if cache.is_dir() else []
    return found[-1] if found else None


@contextmanager
def kernel_environment(**overrides: str) -> Iterator[None]:
    """Set environment variables for kernels started inside the block, then restore them.

    Unless the caller chose otherwise, each kernel gets one torch/OpenMP thread: several kernels
    share a 2-core machine when days run in parallel, and oversubscribed threads spin and crawl.
    """
    values = {"OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"), **overrides}
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def answers_worker_env(ipython_dir: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of the answers runner's worker (which forks once per answer): ``base``
    (default: this process's) with one compute thread, headless plots and a private IPython folder."""
    # One compute thread: the worker forks, and a forked child must not inherit a thread pool.
    return {**(os.environ if base is None else base), "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            **HEADLESS_PLOTS, "IPYTHONDIR": str(ipython_dir)}


def grading_kernel_env(home: str, tmp: str, threads: int | None, extra: Mapping[str, str]) -> dict[str, str]:
    """A graded kernel's environment: minimal, nothing of the grader's secrets, marked as nbgrader
    autograding. ``threads`` compute threads per kernel unless the grader's environment sets its own;
    ``extra`` (the sandbox's rules) is added last."""
    env = {key: os.environ[key] for key in PASS_THROUGH_ENV if key in os.environ}
    env.update({
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": home,
        "TMPDIR": tmp,
        "USER": "student",
        "LOGNAME": "student",
        "NBGRADER_EXECUTION": "autograde",
        "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        **extra,
    })
    env.setdefault("LANG", "C.UTF-8")
    if threads and not any(key in os.environ for key in THREAD_ENV):
        # N kernels share the cores: more compute threads than cores makes every kernel slower.
        env.update({key: str(threads) for key in THREAD_ENV})
    return env
