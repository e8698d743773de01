"""How a checker fails: the one ``AssertionError`` it raises, and the value formats its message uses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import torch

Hints = Mapping[str, str] | None


def _fail(message: str, hints: Hints = None, stage: str | None = None) -> None:
    """Raise the one AssertionError a checker reports, with the stage's hint if any."""
    __tracebackhide__ = True
    hint = (hints or {}).get(stage) if stage else None
    if hint:
        message = f"{message}\nHint: {hint}"
    raise AssertionError(message)


def _type_name(value: Any) -> str:
    return type(value).__name__


def _format_shape(shape: Iterable[int]) -> str:
    dims = tuple(int(d) for d in shape)
    return "(" + ", ".join(str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"


def _short(value: Any, limit: int = 120) -> str:
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu()
        if value.is_floating_point():
            value = value.double().round(decimals=4)  # float32 0.05 would print as 0.05000000074505806
        text = str(value.tolist()) if value.numel() <= 24 else f"tensor of shape {_format_shape(value.shape)}"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
