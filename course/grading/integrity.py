"""The trusted side of the integrity probe: what to send to the kernel and how to judge its answer.

The first probe runs in a fresh kernel before any student code, so its answers are the baseline for
everything already loaded then (builtins, IPython's hooks). Modules that appear later (``helpers``,
``torch``) are compared with fingerprints of pristine imports, which a helper process computes for
this worker (reference.py).
"""

from __future__ import annotations

import ast
import json
from functools import lru_cache
from pathlib import Path

from . import probe_code
from .reference import ReferenceProcess

PROBE_SOURCE = Path(probe_code.__file__).read_text(encoding="utf-8")

FRIENDLY = {
    "shell.showtraceback": "the kernel's traceback display (showtraceback)",
    "shell._showtraceback": "the kernel's traceback display (_showtraceback)",
    "shell.InteractiveTB": "the kernel's traceback formatter",
    "shell.custom_exceptions": "the kernel's exception handlers (set_custom_exc)",
    "shell.ast_transformers": "the kernel's code transformers (ast_transformers)",
    "shell.input_transformers_cleanup": "the kernel's input transformers",
    "shell.input_transformers_post": "the kernel's input transformers",
    "shell.events": "the kernel's event callbacks",
    "sys.excepthook": "sys.excepthook",
    "sys.gettrace": "a trace function (sys.settrace)",
    "sys.getprofile": "a profile function (sys.setprofile)",
}


def probe_expression(known: dict[str, str]) -> str:
    """A user expression that runs the probe in a private namespace and returns its result."""
    # A JSON string comes back whole; IPython's pretty printer would shorten a long dict with "...".
    source = PROBE_SOURCE + f"\nimport json as _json\n__grader_result__ = _json.dumps(probe({known!r}))\n"
    return f"(lambda g: (exec({source!r}, g), g['__grader_result__'])[1])({{'__name__': '__grader_probe__'}})"


def parse_reply(reply: dict) -> dict | None:
    """The probe's result from an execute_reply carrying user_expressions, or None if it is unusable."""
    content = reply.get("content", {})
    result = content.get("user_expressions", {}).get("probe", {})
    if result.get("status") != "ok":
        return None
    try:
        value = json.loads(ast.literal_eval(result["data"]["text/plain"]))
    except (KeyError, ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    if not isinstance(value, dict) or not {"sigs", "detail", "env", "modules"} <= set(value):
        return None
    return value


_REFERENCE = ReferenceProcess()


@lru_cache(maxsize=256)
def expected_details(name: str, modules: tuple[str, ...] = ()) -> dict[str, str] | None:
    """Fingerprints of a pristine module or class, imported with the same trusted modules loaded as in
    the kernel: by a helper process (reference.py), so the worker never holds torch itself."""
    return _REFERENCE.details(name, modules)


class IntegrityMonitor:
    """Collects the probe answers of one kernel and the problems they reveal, in order."""

    def __init__(self) -> None:
        self.known: dict[str, str] = {}
        self.references: dict[str, dict[str, str]] = {}
        self.baseline_env: dict[str, str] | None = None
        self.modules: tuple[str, ...] = ()
        self.unresponsive = ""
        self.problems: list[str] = []
        self._reported: set[str] = set()

    def expression(self) -> str:
        """The user expression of the next probe (it sends details only for what changed)."""
        return probe_expression(self.known)

    def _problem(self, text: str, key: str | None = None) -> None:
        """Record a problem once (per ``key``: the same patch seen by later probes is not repeated)."""
        key = key or text
        if key not in self._reported:
            self._reported.add(key)
            self.problems.append(text)

    def unanswered(self, when: str) -> None:
        """The kernel did not answer a probe: it hangs, or its execute machinery is broken. Either way
        its results cannot be trusted; the submission fails (it is not graded), later probes are skipped."""
        self.unresponsive = self.unresponsive or f"the kernel stopped answering the grader (integrity check {when})"

    def malformed(self, when: str) -> None:
        """The kernel answered a probe with something that is not a probe result: tampering."""
        self._problem(f"the kernel's answer to the integrity check {when} was tampered with", key="malformed")

    def observe(self, result: dict, when: str) -> None:
        """Judge one probe answer; the first one is the baseline."""
        first = self.baseline_env is None
        if first:
            self.baseline_env = dict(result["env"])
        if result.get("modules") is not None:
            self.modules = tuple(result["modules"])
        for name, detail in sorted(result["detail"].items()):  # a package before its submodules
            if first:
                self.references[name] = dict(detail)
            candidates = [c for c in (self.references.get(name), expected_details(name, self.modules)) if c]
            if not candidates:
                self._problem(f"an unknown module {name} appeared {when}", key=f"unknown {name}")
                continue
            # Patched: differs from the fresh kernel's state (if it was loaded then) and from a pristine
            # import with the same modules loaded (libraries may rewrap functions when they load).
            changed = []
            for key, value in sorted(detail.items()):
                known = [c[key] for c in candidates if key in c]
                if known and value not in known:
                    changed.append(key)
            for key in changed:
                label = f"{name}.{key}" if key != "<type>" else f"the type of {name}"
                # One patched function is reported once, under the first module that holds it (a package
                # re-exports what its submodules define: helpers.checks.check_true is helpers.checks.values').
                value = detail[key]
                same = f"patched {value}" if value.startswith("function:") else f"{name}.{key}"
                self._problem(f"{label} was patched at runtime ({when})", key=same)
        self.known = dict(result["sigs"])
        for key, value in result["env"].items():
            if key in self.baseline_env and self.baseline_env[key] != value:
                self._problem(f"{FRIENDLY.get(key, key)} was patched at runtime ({when})", key=key)
