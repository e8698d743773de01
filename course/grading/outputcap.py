"""A cap on what one cell's outputs may hold, applied while the outputs stream in.

nbgrader's ``LimitOutput`` trims stream text to ``max_lines`` lines, but only after the whole notebook
has run, so a cell that prints a full tensor or a chatty loop first fills the executing process's
memory, the notebook sent to the grader and, for a single long line, the feedback page. ``OutputCap``
keeps the same budget as the outputs arrive: stream text up to ``max_lines`` lines (LimitOutput's own
setting) and ``stream_chars`` characters per cell, displays (plots, HTML) up to ``display_bytes`` per
cell, ``max_outputs`` outputs per cell, and at most ``text_chars`` characters of any one result or
error. Whatever is cut is counted, and one marker output at the cut says how much was left out.

Errors are never dropped (they decide a test cell's points), only their text is shortened; a cell's
result (``execute_result``, which nbgrader reads for partial credit) is never dropped either.
``clear_output`` empties the cell, so the budget starts again (a live plot redrawn every epoch is
never cut).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass

from nbformat import NotebookNode
from nbformat.v4 import new_output


@dataclass(frozen=True)
class CapLimits:
    """Per-cell budget. ``max_lines`` < 0 means no line limit (nbgrader's convention)."""

    max_lines: int = 1000
    stream_chars: int = 200_000
    display_bytes: int = 8 * 1024 * 1024
    text_chars: int = 100_000
    max_outputs: int = 1000


def _shorten(text: str, limit: int) -> tuple[str, int]:
    """``text`` cut to ``limit`` characters (with a note), and how many characters were cut."""
    if len(text) <= limit:
        return text, 0
    return text[:limit] + f"\n[... {len(text) - limit:,} more characters cut by the grader ...]\n", len(text) - limit


def _size(data: dict) -> int:
    return sum(len(value) if isinstance(value, str) else len(json.dumps(value)) for value in data.values())


class OutputCap:
    """The running budget of one cell's outputs (see the module docstring)."""

    def __init__(self, limits: CapLimits) -> None:
        self.limits = limits
        # Room for the marker itself within LimitOutput's line count, so nbgrader never trims again.
        self.line_budget = max(0, limits.max_lines - 4) if limits.max_lines >= 0 else None
        self.reset()

    def reset(self) -> None:
        """A new cell, or a cleared one: nothing kept, nothing cut."""
        self.lines = self.chars = self.display = self.outputs = 0
        self.cut_chars = self.cut_lines = self.cut_displays = 0
        self.marker: NotebookNode | None = None

    @property
    def cut(self) -> bool:
        """Whether anything of this cell has been left out so far."""
        return bool(self.cut_chars or self.cut_displays)

    def stream(self, text: str) -> str:
        """The part of a stream message's ``text`` to keep (may be empty); counts the rest."""
        keep = text
        if self.cut or self.outputs >= self.limits.max_outputs:
            keep = ""
        else:
            room = self.limits.stream_chars - self.chars
            if len(keep) > room:
                keep = keep[: max(0, room)]
            if self.line_budget is not None:
                # LimitOutput counts text.split("\n") pieces per stream output.
                room_lines = self.line_budget - self.lines
                if keep.count("\n") + 1 > room_lines:
                    cut_at = -1
                    for _ in range(max(0, room_lines - 1)):
                        cut_at = keep.find("\n", cut_at + 1)
                    keep = keep[: cut_at + 1] if room_lines > 1 else ""
        dropped = text[len(keep):]
        if dropped:
            self.cut_chars += len(dropped)
            self.cut_lines += dropped.count("\n") + (0 if dropped.endswith("\n") else 1)
        if keep:
            self.chars += len(keep)
            self.lines += keep.count("\n") + 1
            self.outputs += 1
        return keep

    def display_data(self, content: dict, result: bool = False) -> dict | None:
        """The content of a display (or, with ``result``, of the cell's result) to keep.

        An oversized value is shortened (text) or left out (anything else). ``None`` drops a display
        over the cell's budget; a result is always kept, since nbgrader reads partial credit from it.
        """
        if not result and self.outputs >= self.limits.max_outputs:
            return None
        data = content.get("data") or {}
        size = _size(data)
        if size > self.limits.text_chars:
            trimmed = {}
            for mime, value in data.items():
                if isinstance(value, str) and mime.startswith("text/"):
                    value = _shorten(value, self.limits.text_chars)[0]
                elif _size({mime: value}) > self.limits.text_chars:
                    continue
                trimmed[mime] = value
            content, size = {**content, "data": trimmed}, _size(trimmed)
        if not result and (not content["data"] or self.display + size > self.limits.display_bytes):
            return None
        self.display += size
        self.outputs += 1
        return content

    def drop_display(self) -> None:
        """Count one display left out."""
        self.cut_displays += 1

    def error(self, content: dict) -> dict:
        """An error's content with its message and each traceback entry shortened (never dropped)."""
        evalue, _ = _shorten(str(content.get("evalue", "")), self.limits.text_chars)
        traceback = [_shorten(str(entry), self.limits.text_chars)[0] for entry in content.get("traceback", [])]
        return {**content, "evalue": evalue, "traceback": traceback}

    def marker_text(self) -> str:
        """What the marker says about everything cut so far."""
        parts = []
        if self.cut_chars:
            parts.append(f"{self.cut_chars:,} characters ({self.cut_lines:,} lines) of printed output")
        if self.cut_displays:
            parts.append(f"{self.cut_displays:,} display(s)")
        return f"\n[... output cut here by the grader: {' and '.join(parts)} not kept ...]\n"

    def mark(self, outputs: list) -> None:
        """Put the marker at the cut (once), or bring its counts up to date."""
        if not self.cut:
            return
        if self.marker is None:  # reset() forgets it whenever the outputs are cleared
            self.marker = new_output("stream", name="stdout", text="")
            outputs.append(self.marker)
        self.marker["text"] = self.marker_text()


def message_with(msg: dict, content: dict) -> dict:
    """A shallow copy of a kernel message with other content."""
    changed = copy.copy(msg)
    changed["content"] = content
    return changed
