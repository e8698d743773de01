"""Pristine fingerprints, computed in a process of their own: ``python -m course.grading.reference``.

The integrity monitor compares what a kernel reports about ``torch``, ``numpy`` and ``helpers`` with
fingerprints of pristine imports. Importing torch costs a process about 200 MiB (and torch._dynamo,
which some torch calls load, 70 MiB more), so the worker process that executes notebooks does not
import it itself: it asks this helper, one per worker, started on first need and kept while the
worker lives (it exits when its standard input closes). Protocol: one JSON request per line,
``{"name": ..., "modules": [...]}``, answered by one JSON line ``{"details": {...} | null}``.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import threading

from . import probe_code

_IMPORTED: set[str] = set()


def import_like_kernel(modules: list[str]) -> None:
    """Import here the trusted modules the kernel has loaded (some rewrap functions when loaded)."""
    for name in modules:
        if name in _IMPORTED or name.split(".")[0] not in probe_code.TRUSTED_ROOTS:
            continue
        _IMPORTED.add(name)
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a module the kernel built at runtime: nothing to compare
            pass


def pristine_details(name: str, modules: list[str]) -> dict[str, str] | None:
    """Fingerprints of a pristine module or class, with the same trusted modules loaded as in the kernel."""
    import_like_kernel(modules)
    module_name, _, attribute = name.rpartition(".")
    for candidate, attr in ((name, None), (module_name, attribute)):
        if not candidate:
            continue
        try:
            module = importlib.import_module(candidate)
        except Exception:  # noqa: BLE001 - a module that does not import here has no expectation
            continue
        obj = module if attr is None else getattr(module, attr, None)
        if obj is not None and (attr is None or isinstance(obj, type)):
            return probe_code.details(obj)
    return None


def serve() -> None:
    """Answer requests from standard input until it closes."""
    for line in sys.stdin:
        try:
            request = json.loads(line)
            answer = pristine_details(str(request["name"]), [str(m) for m in request.get("modules", [])])
        except Exception:  # noqa: BLE001 - a bad request gets no expectation, never a crash
            answer = None
        sys.stdout.write(json.dumps({"details": answer}) + "\n")
        sys.stdout.flush()


class ReferenceProcess:
    """The worker's side: starts the helper on first use and asks it for fingerprints."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.lock = threading.Lock()

    def _start(self) -> subprocess.Popen:
        # Started outside any course folder, so "helpers" is the installed package a kernel imports.
        return subprocess.Popen([sys.executable, "-m", "course.grading.reference"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd="/", text=True, bufsize=1)

    def details(self, name: str, modules: tuple[str, ...]) -> dict[str, str] | None:
        """Pristine fingerprints of ``name`` (None when it has none, or the helper is gone)."""
        with self.lock:
            for _ in range(2):  # one restart if the helper died
                if self.process is None or self.process.poll() is not None:
                    self.process = self._start()
                try:
                    self.process.stdin.write(json.dumps({"name": name, "modules": list(modules)}) + "\n")
                    self.process.stdin.flush()
                    line = self.process.stdout.readline()
                except (BrokenPipeError, OSError):
                    line = ""
                if line:
                    return json.loads(line)["details"]
                self.process = None
            return None

    def close(self) -> None:
        """Stop the helper (it also stops by itself when this process exits)."""
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait(timeout=10)
            self.process = None


if __name__ == "__main__":
    serve()
