"""Pristine fingerprints, computed in a process of their own: ``python -m course.grading.reference``.

The integrity monitor compares what a kernel reports about ``torch``, ``numpy`` and ``helpers`` with
fingerprints of pristine imports. Importing torch costs a process about 200 MiB, so the worker
process that executes notebooks does not import it itself: it asks this helper, one per worker,
started on first need and kept while the worker lives (it exits when its standard input closes).
torch's compiler stack is not imported (70 MiB more); its one effect on watched functions is
reproduced instead. Protocol: one JSON request per line,
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
# torch's compiler stack (loaded in a kernel by creating an optimizer) costs 70 MiB more and changes
# one watched function when it loads: torch._dynamo wraps torch.manual_seed in torch._disable_dynamo.
# It is not imported here; its effect on what is watched is reproduced (see dynamo_effect).
COMPILER_STACK = ("torch._dynamo", "torch._inductor", "torch._functorch", "torch._higher_order_ops", "torch.fx",
                  "torch._export", "torch.export", "torch.onnx", "torch.compiler", "torch._subclasses",
                  "torch._prims", "torch._refs", "torch._decomp", "torch._library", "torch._guards",
                  "torch.utils._sympy", "torch.distributed", "torch._numpy")


def dynamo_effect(loaded: bool) -> None:
    """What importing torch._dynamo does to the watched functions, as in a kernel that has (``loaded``)
    or has not loaded it. Set for every answer: one helper serves notebooks with and without it."""
    torch = sys.modules.get("torch")
    if torch is not None:
        original = torch.random.manual_seed
        torch.manual_seed = torch._disable_dynamo(original) if loaded else original


def import_like_kernel(modules: list[str]) -> None:
    """Import here the trusted modules the kernel has loaded (some rewrap functions when loaded)."""
    for name in modules:
        if name in _IMPORTED or not probe_code.trusted_module(name):
            continue
        _IMPORTED.add(name)
        if name.startswith(COMPILER_STACK):
            continue
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a module the kernel built at runtime: nothing to compare
            pass


def pristine_details(name: str, modules: list[str]) -> dict[str, str] | None:
    """Fingerprints of a pristine module or class, with the same trusted modules loaded as in the kernel."""
    import_like_kernel(modules)
    dynamo_effect("torch._dynamo" in modules)
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
        # Started outside any course folder, so HELPERS_PACKAGE is the installed package a kernel imports.
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
