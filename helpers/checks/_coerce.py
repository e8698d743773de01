"""What a student's value holds, whatever holds it: the number in it, or the items of a sequence."""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np
import torch


def _as_number(value: Any) -> int | float | None:
    """The real number ``value`` holds, whatever holds it, or None when it holds none.

    Python ints and floats, NumPy scalars and one-element arrays, and one-element tensors all count;
    booleans do not (``True`` is not a count of anything).
    """
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, torch.Tensor) and value.numel() == 1 and value.dtype != torch.bool and not value.is_complex():
        return value.detach().cpu().item()
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        return value.item()
    return None


def _as_list(value: Any) -> list[Any] | None:
    """The items of a sequence, whatever container holds them (list, tuple, NumPy array, pandas Index or
    Series, 1-D or larger tensor), or None for a value that is not a sequence (strings and dicts are not)."""
    if isinstance(value, (str, bytes, Mapping, set, frozenset)):
        return None
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().tolist() if value.ndim >= 1 else None
    tolist = getattr(value, "tolist", None)  # NumPy arrays, pandas Index and Series
    if callable(tolist) and getattr(value, "ndim", 0) >= 1:
        items = tolist()
        return items if isinstance(items, list) else None
    return None
