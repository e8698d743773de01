"""Checkers for plain values: types, callables, numbers, sequences, tensors (shape, dtype, values).

They compare meaning, not form: a number by its value whatever holds it (Python, NumPy, a
one-element tensor), a sequence by its items whatever container holds them, a tensor by its values
(a wrong one is reported by the first index where it differs). A test checks a type with
``check_type`` only where the task states that type.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import torch

from ._coerce import _as_list, _as_number
from ._report import Hints, _fail, _format_shape, _short, _type_name

__all__ = [
    "check_type",
    "check_callable",
    "check_tensor",
    "check_shape",
    "check_dtype",
    "check_close",
    "check_close_with_mistakes",
    "check_equal",
    "check_in_range",
    "check_true",
    "check_probabilities",
]


def _same(value: Any, expected: Any) -> bool:
    """Whether ``value`` means ``expected``: numbers by value, sequences item by item, anything else by ``==``."""
    if isinstance(expected, (bool, np.bool_)):
        return isinstance(value, (bool, np.bool_)) and bool(value) == bool(expected)
    if isinstance(expected, numbers.Real):
        number = _as_number(value)
        return number is not None and number == expected
    if isinstance(expected, (list, tuple)):
        items = _as_list(value)
        return items is not None and len(items) == len(expected) and all(map(_same, items, expected))
    try:
        return bool(value == expected)
    except Exception:  # noqa: BLE001 - an == that cannot answer (e.g. arrays of another shape) means "not equal"
        return False


def _same_items(items: list[Any], expected: Sequence[Any]) -> bool:
    """Whether two sequences hold the same items, each as often, in any order."""
    left = list(items)
    for want in expected:
        match = next((i for i, item in enumerate(left) if _same(item, want)), None)
        if match is None:
            return False
        left.pop(match)
    return not left


def check_type(value: Any, expected_type: type | tuple[type, ...], *, name: str, hints: Hints = None) -> None:
    """Assert that ``value`` is an instance of ``expected_type``."""
    __tracebackhide__ = True
    if value is None:
        _fail(f"`{name}` is None; did you forget to assign it or to `return` it?", hints, "type")
    if not isinstance(value, expected_type):
        expected = (
            " or ".join(t.__name__ for t in expected_type)
            if isinstance(expected_type, tuple)
            else expected_type.__name__
        )
        _fail(f"`{name}` is a {_type_name(value)}, expected a {expected}.", hints, "type")


def check_callable(value: Any, *, name: str, hints: Hints = None) -> None:
    """Assert that ``value`` is a function (or other callable) the student defined."""
    __tracebackhide__ = True
    if not callable(value):
        _fail(f"`{name}` should be a function, but it is a {_type_name(value)}.", hints, "type")


def check_shape(value: torch.Tensor, expected_shape: Sequence[int], *, name: str, hints: Hints = None) -> None:
    """Assert that tensor ``value`` has ``expected_shape``."""
    __tracebackhide__ = True
    check_type(value, torch.Tensor, name=name, hints=hints)
    if tuple(value.shape) != tuple(expected_shape):
        _fail(
            f"`{name}` has shape {_format_shape(value.shape)}, expected {_format_shape(expected_shape)}.",
            hints,
            "shape",
        )


def check_dtype(value: torch.Tensor, expected_dtype: torch.dtype, *, name: str, hints: Hints = None) -> None:
    """Assert that tensor ``value`` has ``expected_dtype``."""
    __tracebackhide__ = True
    check_type(value, torch.Tensor, name=name, hints=hints)
    if value.dtype != expected_dtype:
        _fail(f"`{name}` has dtype {value.dtype}, expected {expected_dtype}.", hints, "dtype")


def _close_mask(actual: torch.Tensor, expected: torch.Tensor, atol: float, rtol: float) -> torch.Tensor:
    """Element-wise "equal enough": within atol/rtol when either side is floating point, exact otherwise."""
    actual, expected = actual.detach().cpu(), expected.detach().cpu()
    if actual.is_floating_point() or expected.is_floating_point():
        return torch.isclose(actual.double(), expected.double(), atol=atol, rtol=rtol, equal_nan=False)
    return torch.eq(actual, expected)


def _matches(value: Any, other: Any, atol: float, rtol: float) -> bool:
    """Whether ``value`` is a tensor with the shape and (within tolerance) the values of ``other``."""
    other = torch.as_tensor(other)
    return (isinstance(value, torch.Tensor) and tuple(value.shape) == tuple(other.shape)
            and bool(_close_mask(value, other, atol, rtol).all()))


def _where_values_differ(actual: torch.Tensor, expected: torch.Tensor, atol: float, rtol: float, name: str) -> str:
    """The message for a tensor with the right shape and wrong values: where they differ, and by what."""
    wrong = ~_close_mask(actual, expected, atol, rtol)
    if expected.ndim == 0:
        return f"`{name}` is {_short(actual)}, expected {_short(expected)}."
    first = tuple(int(i) for i in wrong.nonzero()[0])
    where = "[" + ", ".join(str(i) for i in first) + "]"
    detail = (f"{int(wrong.sum())} of {wrong.numel()} values differ, the first at index {where}: "
              f"got {_short(actual[first])}, expected {_short(expected[first])}.")
    if expected.numel() <= 24:
        return (f"`{name}` has the right shape but wrong values: got {_short(actual)}, "
                f"expected {_short(expected)}; {detail}")
    return f"`{name}` has the right shape but wrong values: {detail}"


def check_tensor(
    value: Any,
    expected: torch.Tensor,
    *,
    name: str,
    atol: float = 1e-4,
    rtol: float = 1e-4,
    exact_dtype: bool = True,
    mistakes: Mapping[str, Any] | None = None,
    hints: Hints = None,
    **renamed: Any,
) -> None:
    """Assert that ``value`` matches ``expected``: type, then shape, then dtype, then values.

    Floating-point values are compared with ``atol``/``rtol``; integer values exactly. A wrong value
    is reported by the first index where it differs, with both numbers. ``exact_dtype=False`` skips
    the dtype stage (``check_dtype=False`` is its older spelling and still works; any other unknown
    keyword raises ``TypeError``). ``mistakes`` maps a sentence naming a known mistake to the tensor
    that mistake gives on these inputs; when ``value`` is that tensor (shape and values), the
    sentence is the hint, whatever stage fails. A mistake that gives the expected tensor itself
    cannot be told apart and is ignored.
    """
    __tracebackhide__ = True
    unknown = sorted(set(renamed) - {"check_dtype"})
    if unknown:
        raise TypeError(f"check_tensor() got an unexpected keyword argument {unknown[0]!r}")
    exact_dtype = renamed.get("check_dtype", exact_dtype)
    expected = torch.as_tensor(expected)
    for sentence, wrong in (mistakes or {}).items():
        if _matches(value, wrong, atol, rtol) and not _matches(expected, wrong, atol, rtol):
            hints = dict.fromkeys(("type", "shape", "dtype", "values"), sentence)
            break
    check_type(value, torch.Tensor, name=name, hints=hints)
    check_shape(value, expected.shape, name=name, hints=hints)
    if exact_dtype:
        check_dtype(value, expected.dtype, name=name, hints=hints)
    if not bool(_close_mask(value, expected, atol, rtol).all()):
        _fail(_where_values_differ(value.detach().cpu(), expected, atol, rtol, name), hints, "values")


def check_close(
    value: Any, expected: float, *, name: str, atol: float = 1e-4, rtol: float = 1e-4, hints: Hints = None
) -> None:
    """Assert that a number is close to ``expected``, whatever holds it: a Python number, a NumPy
    scalar or a one-element tensor or array. A test that needs one type checks it with ``check_type``."""
    __tracebackhide__ = True
    if isinstance(value, torch.Tensor) and value.numel() != 1:
        _fail(f"`{name}` should be a single number, but it is a tensor of shape {_format_shape(value.shape)}.",
              hints, "shape")
    if isinstance(value, np.ndarray) and value.size != 1:
        _fail(f"`{name}` should be a single number, but it is an array of shape {_format_shape(value.shape)}.",
              hints, "shape")
    number = _as_number(value)
    if number is None:
        if value is None:
            check_type(value, (int, float), name=name, hints=hints)
        _fail(f"`{name}` is a {_type_name(value)}, expected a number.", hints, "type")
    if math.isnan(number) or not math.isclose(number, expected, rel_tol=rtol, abs_tol=atol):
        _fail(f"`{name}` is {number:.6g}, expected about {expected:.6g}.", hints, "values")


def check_equal(value: Any, expected: Any, *, name: str, ordered: bool = True, hints: Hints = None) -> None:
    """Assert that ``value`` means exactly ``expected``.

    Compares meaning, not the container: a number by its value whatever holds it (``6``, ``np.int64(6)``,
    ``6.0`` and ``torch.tensor(6)`` all equal ``6``); a list or tuple item by item, from any sequence
    (list, tuple, ``torch.Size``, NumPy array, pandas Index or Series, tensor); with ``ordered=False``
    in any order. Booleans must be booleans; anything else (strings, dtypes, dicts) must have the
    expected type and compare equal. A test that needs one type checks it with ``check_type``.
    """
    __tracebackhide__ = True
    if isinstance(expected, bool):
        if not isinstance(value, (bool, np.bool_)):
            check_type(value, bool, name=name, hints=hints)
    elif isinstance(expected, numbers.Real):
        if _as_number(value) is None:
            if value is None or isinstance(value, (bool, np.bool_)):
                check_type(value, (int, float), name=name, hints=hints)
            _fail(f"`{name}` is a {_type_name(value)}, expected a number.", hints, "type")
    elif isinstance(expected, (list, tuple)):
        items = _as_list(value)
        if items is None:
            check_type(value, type(expected), name=name, hints=hints)
        if not ordered and _same_items(items, expected):
            return
        if ordered and not _same(items, expected) and len(items) == len(expected) and _same_items(items, expected):
            _fail(f"`{name}` holds the right items in the wrong order: got {_short(items)}, "
                  f"expected {_short(expected)}.", hints, "values")
        value = items
    else:
        check_type(value, type(expected), name=name, hints=hints)
    if not _same(value, expected):
        _fail(f"`{name}` is {_short(value)}, expected {_short(expected)}.", hints, "values")


def check_in_range(value: Any, low: float, high: float, *, name: str, hints: Hints = None) -> None:
    """Assert that a number lies in the closed interval [low, high]."""
    __tracebackhide__ = True
    number = _as_number(value)
    if number is None:
        if value is None:
            check_type(value, (int, float), name=name, hints=hints)
        _fail(f"`{name}` is a {_type_name(value)}, expected a number.", hints, "type")
    value = number
    if math.isnan(value) or not low <= value <= high:
        _fail(f"`{name}` is {value:.6g}, expected a value between {low:g} and {high:g}.", hints, "values")


def check_true(condition: bool, message: str, *, hints: Hints = None, hint: str | None = None) -> None:
    """Assert a property that no other checker covers, with the student-facing ``message``.

    As for the other checkers, ``hints`` maps the stage that failed to a sentence; a false
    ``condition`` fails at stage ``"values"``. ``hint="..."`` is the older spelling of
    ``hints={"values": "..."}`` and still works (it wins when both name a hint).
    """
    __tracebackhide__ = True
    if hint:
        hints = {**(hints or {}), "values": hint}
    if not condition:
        _fail(message, hints, "values")


def check_probabilities(value: Any, *, name: str, dim: int = -1, atol: float = 1e-4, hints: Hints = None) -> None:
    """Assert that a float tensor holds probabilities in [0, 1] that sum to 1 along ``dim``."""
    __tracebackhide__ = True
    check_type(value, torch.Tensor, name=name, hints=hints)
    if not value.is_floating_point():
        _fail(f"`{name}` has dtype {value.dtype}; probabilities must be floating point.", hints, "dtype")
    v = value.detach()
    if bool((v < -atol).any() or (v > 1 + atol).any()):
        _fail(f"`{name}` has values outside [0, 1], so they are not probabilities.", hints, "values")
    sums = v.sum(dim=dim)
    if not torch.allclose(sums, torch.ones_like(sums), atol=atol):
        _fail(f"The values of `{name}` do not sum to 1 along dim={dim} (sums: {_short(sums)}).", hints, "values")


def check_close_with_mistakes(
    value: Any,
    expected: float,
    *,
    name: str,
    mistakes: Mapping[str, float],
    atol: float = 1e-4,
    rtol: float = 1e-4,
    hints: Hints = None,
) -> None:
    """Like ``check_close``, but when ``value`` equals what a known mistake gives, say which mistake.

    ``mistakes`` maps a sentence naming a mistake (e.g. "You applied softmax before CrossEntropyLoss.")
    to the value that mistake produces on these inputs; that sentence becomes the hint. A mistake
    whose value is itself close to ``expected`` cannot be told apart and is ignored.
    """
    __tracebackhide__ = True
    expected = float(expected)
    number = _as_number(value)
    if number is not None and not math.isnan(number):
        if not math.isclose(number, expected, rel_tol=rtol, abs_tol=atol):
            for sentence, wrong in mistakes.items():
                wrong = float(wrong)
                if math.isclose(wrong, expected, rel_tol=rtol, abs_tol=atol):
                    continue
                if math.isclose(number, wrong, rel_tol=rtol, abs_tol=atol):
                    _fail(f"`{name}` is {number:.6g}, expected about {expected:.6g}.", {"values": sentence}, "values")
    check_close(value, expected, name=name, atol=atol, rtol=rtol, hints=hints)
