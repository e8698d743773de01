"""Short failure reports in notebooks: the notebook's line, the checker's message and its hint.

A failing checker raises ``AssertionError`` from deep inside ``helpers.checks``. IPython would show
every frame down to that ``raise``; a beginner has to dig for the message. ``install()`` registers,
through IPython's documented ``set_custom_exc``, a handler for ``AssertionError`` that shows a
checker's failure as::

    Cell In[7], line 3
    ----> 3 check_tensor(adjusted, expected, name="adjusted")

    AssertionError: `adjusted` has shape (3, 2), expected (2, 3).
    Hint: addition keeps the shape of its inputs; did you transpose one of them?

A failure counts as a checker's when every frame after the notebook's own marks itself with
``__tracebackhide__`` (as every checker does). Any other ``AssertionError`` (a student's own
``assert``) gets IPython's usual traceback. Either way the error is published as an ``error`` output
exactly once, so nbgrader grades the cell as failed; only its display changes.

``helpers.checks`` calls ``install()`` when it is imported. The grader also loads this module as an
IPython extension when a kernel starts (``--IPKernelApp.extra_extensions=helpers.tracebacks``), so a
fresh kernel's fingerprints already include the handler and an honest import changes nothing.
"""

from __future__ import annotations

import linecache
import sys
from types import FrameType, TracebackType
from typing import Any

RED, GREEN, CYAN, RESET = "\x1b[31m", "\x1b[32m", "\x1b[36m", "\x1b[39m"


def _walk(tb: TracebackType | None) -> list[tuple[FrameType, TracebackType]]:
    """(frame, traceback entry) from the outermost call to where the error was raised."""
    entries = []
    while tb is not None:
        entries.append((tb.tb_frame, tb))
        tb = tb.tb_next
    return entries


def _hidden(frame: FrameType) -> bool:
    """True for a frame that asks to be left out of tracebacks (pytest's and IPython's convention)."""
    try:
        return bool(frame.f_code.co_varnames and "__tracebackhide__" in frame.f_code.co_varnames
                    and frame.f_locals.get("__tracebackhide__"))
    except Exception:  # noqa: BLE001 - an odd frame is simply shown
        return False


def _first_line(frame: FrameType, lasti: int, lineno: int) -> int:
    """The first line of the statement running in ``frame`` (a call may span several lines)."""
    try:
        positions = list(frame.f_code.co_positions())
        start = positions[lasti // 2][0]
    except (AttributeError, IndexError, TypeError, ValueError):
        return lineno
    return start if isinstance(start, int) and 0 < start <= lineno else lineno


def _location(shell: Any, filename: str, lineno: int, function: str) -> str:
    """``Cell In[7], line 3`` for a notebook cell, ``File path:3`` otherwise; ``, in f`` inside a function."""
    label = None
    compiler = getattr(shell, "compile", None)
    if compiler is not None and hasattr(compiler, "format_code_name"):
        label = compiler.format_code_name(filename)
    where = "" if function == "<module>" else f", in {function}"
    if label:
        return f"{CYAN}{label[0]} {label[1]}{RESET}, line {lineno}{where}"
    return f"{CYAN}File {filename}:{lineno}{RESET}{where}"


def checker_report(shell: Any, etype: type[BaseException], value: BaseException, tb: TracebackType | None,
                   tb_offset: int | None = None) -> list[str] | None:
    """The short report for a checker's failure, one string per frame and one for the error; None when
    the error did not come from a checker (the caller then shows IPython's usual traceback)."""
    if not isinstance(value, AssertionError):
        return None
    offset = tb_offset if tb_offset is not None else getattr(getattr(shell, "InteractiveTB", None), "tb_offset", 0)
    frames = _walk(tb)[offset or 0:]
    if not frames or not _hidden(frames[-1][0]):
        return None
    shown = [(frame, entry) for frame, entry in frames if not _hidden(frame)]
    if not shown:
        return None
    report = []
    for frame, entry in shown:
        lineno = _first_line(frame, entry.tb_lasti, entry.tb_lineno)
        filename = frame.f_code.co_filename
        code = linecache.getline(filename, lineno, frame.f_globals).rstrip()
        quoted = f"\n{GREEN}----> {lineno}{RESET} {code.strip()}" if code.strip() else ""
        report.append(_location(shell, filename, lineno, frame.f_code.co_name) + quoted + "\n")
    message = str(value)
    report.append(f"{RED}{etype.__name__}{RESET}: {message}" if message else f"{RED}{etype.__name__}{RESET}")
    return report


def show_failure(shell: Any, etype: type[BaseException], value: BaseException, tb: TracebackType | None,
                 tb_offset: int | None = None) -> list[str]:
    """IPython's custom exception handler: publish the error with the short report when it is a
    checker's, with IPython's usual traceback otherwise. Returns the structured traceback shown."""
    try:
        stb = checker_report(shell, etype, value, tb, tb_offset)
    except Exception:  # noqa: BLE001 - never lose the error because the short form failed
        stb = None
    if not stb:
        stb = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
    sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb  # for %debug, as showtraceback does
    shell._showtraceback(etype, value, stb)
    return stb


def installed(shell: Any) -> bool:
    """True when ``shell`` already reports AssertionErrors through ``show_failure``."""
    custom = getattr(shell, "CustomTB", None)
    closure = getattr(getattr(custom, "__func__", None), "__closure__", None) or ()
    handlers = []
    for cell in closure:
        try:
            handlers.append(cell.cell_contents)
        except ValueError:
            continue
    return tuple(getattr(shell, "custom_exceptions", ())) == (AssertionError,) and show_failure in handlers


def install(shell: Any = None) -> bool:
    """Report checker failures briefly in the running IPython kernel; returns False outside IPython.

    Idempotent: a kernel that already has the handler is left exactly as it is.
    """
    if shell is None:
        getipython = sys.modules.get("IPython.core.getipython")
        shell = getipython.get_ipython() if getipython is not None else None
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    if not installed(shell):
        shell.set_custom_exc((AssertionError,), show_failure)
    return True


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext helpers.tracebacks`` or ``--IPKernelApp.extra_extensions=helpers.tracebacks``."""
    install(ipython)


__all__ = ["checker_report", "install", "installed", "load_ipython_extension", "show_failure"]
