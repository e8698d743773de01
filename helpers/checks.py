"""Checkers that the notebooks' test cells call.

Every checker raises ``AssertionError`` with one message a beginner can act on: the
first thing that is wrong, in the student's own variable names, checked in the order
type -> shape -> dtype -> values. A checker can carry ``hints``: a mapping from the
stage that failed (``"type"``, ``"shape"``, ``"dtype"``, ``"values"``) to a sentence
naming the likely mistake. The hint is appended to the message as ``Hint: ...``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import torch
from torch import nn

__all__ = [
    "check_type",
    "check_callable",
    "check_tensor",
    "check_shape",
    "check_dtype",
    "check_close",
    "check_equal",
    "check_in_range",
    "check_true",
    "check_module",
    "check_linear",
    "check_layer_sizes",
    "check_parameter_count",
    "check_probabilities",
    "check_decreased",
    "check_raises",
    "check_runs",
    "check_close_with_mistakes",
]

Hints = Mapping[str, str] | None


def _fail(message: str, hints: Hints = None, stage: str | None = None) -> None:
    """Raise the one AssertionError a checker reports, with the stage's hint if any."""
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
        text = str(value.detach().cpu().tolist()) if value.numel() <= 24 else f"tensor of shape {_format_shape(value.shape)}"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."



def check_type(value: Any, expected_type: type | tuple[type, ...], *, name: str, hints: Hints = None) -> None:
    """Assert that ``value`` is an instance of ``expected_type``."""
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
    if not callable(value):
        _fail(f"`{name}` should be a function, but it is a {_type_name(value)}.", hints, "type")


def check_shape(value: torch.Tensor, expected_shape: Sequence[int], *, name: str, hints: Hints = None) -> None:
    """Assert that tensor ``value`` has ``expected_shape``."""
    check_type(value, torch.Tensor, name=name, hints=hints)
    if tuple(value.shape) != tuple(expected_shape):
        _fail(
            f"`{name}` has shape {_format_shape(value.shape)}, expected {_format_shape(expected_shape)}.",
            hints,
            "shape",
        )


def check_dtype(value: torch.Tensor, expected_dtype: torch.dtype, *, name: str, hints: Hints = None) -> None:
    """Assert that tensor ``value`` has ``expected_dtype``."""
    check_type(value, torch.Tensor, name=name, hints=hints)
    if value.dtype != expected_dtype:
        _fail(f"`{name}` has dtype {value.dtype}, expected {expected_dtype}.", hints, "dtype")


def check_tensor(
    value: Any,
    expected: torch.Tensor,
    *,
    name: str,
    atol: float = 1e-4,
    rtol: float = 1e-4,
    check_dtype: bool = True,
    hints: Hints = None,
) -> None:
    """Assert that ``value`` matches ``expected``: type, then shape, then dtype, then values.

    Floating-point values are compared with ``atol``/``rtol``; integer values exactly.
    """
    expected = torch.as_tensor(expected)
    check_type(value, torch.Tensor, name=name, hints=hints)
    check_shape(value, expected.shape, name=name, hints=hints)
    if check_dtype and value.dtype != expected.dtype:
        _fail(f"`{name}` has dtype {value.dtype}, expected {expected.dtype}.", hints, "dtype")
    actual = value.detach().cpu()
    if actual.is_floating_point() or expected.is_floating_point():
        ok = torch.allclose(actual.double(), expected.double(), atol=atol, rtol=rtol, equal_nan=False)
    else:
        ok = torch.equal(actual.to(expected.dtype), expected)
    if not ok:
        _fail(f"`{name}` has the right shape but wrong values: got {_short(actual)}, expected {_short(expected)}.",
              hints, "values")


def check_close(
    value: Any, expected: float, *, name: str, atol: float = 1e-4, rtol: float = 1e-4, hints: Hints = None
) -> None:
    """Assert that a number (a Python number or a one-element tensor) is close to ``expected``."""
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            _fail(f"`{name}` should be a single number, but it is a tensor of shape {_format_shape(value.shape)}.",
                  hints, "shape")
        value = value.detach().cpu().item()
    check_type(value, (int, float), name=name, hints=hints)
    if isinstance(value, bool):
        _fail(f"`{name}` is a bool, expected a number.", hints, "type")
    if math.isnan(value) or not math.isclose(value, expected, rel_tol=rtol, abs_tol=atol):
        _fail(f"`{name}` is {value:.6g}, expected about {expected:.6g}.", hints, "values")


def check_equal(value: Any, expected: Any, *, name: str, hints: Hints = None) -> None:
    """Assert that ``value == expected`` exactly (ints, strings, tuples, lists), type first."""
    if isinstance(expected, bool):
        check_type(value, bool, name=name, hints=hints)
    elif isinstance(expected, int):
        if isinstance(value, torch.Tensor) and value.numel() == 1 and not value.is_floating_point():
            value = int(value.item())
        check_type(value, int, name=name, hints=hints)
    elif isinstance(expected, (tuple, list)) and isinstance(value, torch.Size):
        value = tuple(value)
        expected = tuple(expected)
    else:
        check_type(value, type(expected), name=name, hints=hints)
    if value != expected:
        _fail(f"`{name}` is {_short(value)}, expected {_short(expected)}.", hints, "values")


def check_in_range(value: Any, low: float, high: float, *, name: str, hints: Hints = None) -> None:
    """Assert that a number lies in the closed interval [low, high]."""
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.detach().cpu().item()
    check_type(value, (int, float), name=name, hints=hints)
    if not low <= value <= high:
        _fail(f"`{name}` is {value:.6g}, expected a value between {low:g} and {high:g}.", hints, "values")


def check_true(condition: bool, message: str, *, hint: str | None = None) -> None:
    """Assert a property that no other checker covers, with the student-facing ``message``."""
    if not condition:
        _fail(message, {"values": hint} if hint else None, "values")


def check_module(value: Any, expected_type: type[nn.Module], *, name: str, hints: Hints = None) -> None:
    """Assert that ``value`` is a layer or model of ``expected_type`` (e.g. ``nn.Linear``)."""
    if isinstance(value, type) and issubclass(value, nn.Module):
        _fail(f"`{name}` is the class {value.__name__} itself; create a layer by calling it, "
              f"e.g. {value.__name__}(...).", hints, "type")
    check_type(value, expected_type, name=name, hints=hints)


def check_linear(
    layer: Any, in_features: int, out_features: int, *, name: str, bias: bool = True, hints: Hints = None
) -> None:
    """Assert that ``layer`` is ``nn.Linear(in_features, out_features)`` (with or without bias)."""
    check_module(layer, nn.Linear, name=name, hints=hints)
    got = (layer.in_features, layer.out_features)
    if got != (in_features, out_features):
        swapped = " Did you swap in_features and out_features?" if got == (out_features, in_features) else ""
        _fail(f"`{name}` is Linear{got}, expected Linear({in_features}, {out_features}).{swapped}", hints, "shape")
    if (layer.bias is not None) != bias:
        _fail(f"`{name}` should {'have' if bias else 'not have'} a bias.", hints, "values")


def check_layer_sizes(model: Any, expected: Sequence[int], *, name: str, hints: Hints = None) -> None:
    """Assert that the ``nn.Linear`` layers of ``model`` map sizes ``expected[0] -> ... -> expected[-1]``."""
    check_module(model, nn.Module, name=name, hints=hints)
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    sizes = [linears[0].in_features] + [m.out_features for m in linears] if linears else []
    if len(linears) != len(expected) - 1:
        _fail(f"`{name}` has {len(linears)} Linear layers, expected {len(expected) - 1}.", hints, "shape")
    for i, (a, b) in enumerate(zip(linears, linears[1:])):
        if a.out_features != b.in_features:
            _fail(f"In `{name}`, Linear layer {i} outputs {a.out_features} features but layer {i + 1} expects "
                  f"{b.in_features}; each layer's in_features must equal the previous out_features.", hints, "shape")
    if sizes != list(expected):
        arrow = " -> ".join(str(s) for s in sizes)
        _fail(f"`{name}` maps sizes {arrow}, expected {' -> '.join(str(s) for s in expected)}.", hints, "shape")


def check_parameter_count(model: Any, expected: int, *, name: str, hints: Hints = None) -> None:
    """Assert that ``model`` has ``expected`` parameters in total (weights and biases)."""
    check_module(model, nn.Module, name=name, hints=hints)
    got = sum(p.numel() for p in model.parameters())
    if got != expected:
        _fail(f"`{name}` has {got} parameters, expected {expected}.", hints, "values")


def check_probabilities(value: Any, *, name: str, dim: int = -1, atol: float = 1e-4, hints: Hints = None) -> None:
    """Assert that a float tensor holds probabilities in [0, 1] that sum to 1 along ``dim``."""
    check_type(value, torch.Tensor, name=name, hints=hints)
    if not value.is_floating_point():
        _fail(f"`{name}` has dtype {value.dtype}; probabilities must be floating point.", hints, "dtype")
    v = value.detach()
    if bool((v < -atol).any() or (v > 1 + atol).any()):
        _fail(f"`{name}` has values outside [0, 1], so they are not probabilities.", hints, "values")
    sums = v.sum(dim=dim)
    if not torch.allclose(sums, torch.ones_like(sums), atol=atol):
        _fail(f"The values of `{name}` do not sum to 1 along dim={dim} (sums: {_short(sums)}).", hints, "values")


def check_decreased(values: Sequence[float], *, name: str, factor: float = 1.0, hints: Hints = None) -> None:
    """Assert that a sequence of losses ends lower than it started (by ``factor``: last < factor * first)."""
    if isinstance(values, torch.Tensor):
        values = values.detach().cpu().tolist()
    check_type(values, (list, tuple), name=name, hints=hints)
    if len(values) < 2:
        _fail(f"`{name}` has {len(values)} values; record one value per epoch or step.", hints, "shape")
    first, last = float(values[0]), float(values[-1])
    if math.isnan(last) or not last < factor * first:
        _fail(f"`{name}` went from {first:.4g} to {last:.4g}; expected it to go down"
              + (f" below {factor:g} x the start" if factor != 1.0 else "") + ".", hints, "values")


def check_raises(fn: Callable[[], Any], expected: type[BaseException], *, name: str, hints: Hints = None) -> None:
    """Assert that calling ``fn()`` raises ``expected`` (for exercises on error messages)."""
    try:
        fn()
    except expected:
        return
    except Exception as err:  # noqa: BLE001 - reported to the student
        _fail(f"`{name}` raised {type(err).__name__}, expected {expected.__name__}.", hints, "type")
    _fail(f"`{name}` ran without error, expected {expected.__name__}.", hints, "values")


def check_runs(fn: Callable[..., Any], *args: Any, name: str, hints: Hints = None, **kwargs: Any) -> Any:
    """Call ``fn(*args, **kwargs)`` and return its result; if it raises, fail with one message naming the error.

    ``name`` is the call as the student would write it, e.g. ``"mse_torch([3, 5], [3, 4])"``. The
    hint for an error is looked up under the stage ``"error"``. The bare ``raise NotImplementedError()``
    of an unanswered exercise is reported as the placeholder it is, without the hint.
    """
    try:
        return fn(*args, **kwargs)
    except Exception as err:  # noqa: BLE001 - reported to the student
        error = err
    detail = str(error).strip()
    if isinstance(error, NotImplementedError) and not detail:
        _fail(f"`{name}` raised NotImplementedError: the placeholder `raise NotImplementedError()` is still there; "
              "replace it with your code.")
    first_line = detail.splitlines()[0] if detail else "(no message)"
    _fail(f"`{name}` raised {type(error).__name__}: {first_line}", hints, "error")


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
    expected = float(expected)
    number = value
    if isinstance(number, torch.Tensor) and number.numel() == 1:
        number = number.detach().cpu().item()
    if isinstance(number, (int, float)) and not isinstance(number, bool) and not math.isnan(number):
        if not math.isclose(number, expected, rel_tol=rtol, abs_tol=atol):
            for sentence, wrong in mistakes.items():
                wrong = float(wrong)
                if math.isclose(wrong, expected, rel_tol=rtol, abs_tol=atol):
                    continue
                if math.isclose(number, wrong, rel_tol=rtol, abs_tol=atol):
                    _fail(f"`{name}` is {number:.6g}, expected about {expected:.6g}.", {"values": sentence}, "values")
    check_close(value, expected, name=name, atol=atol, rtol=rtol, hints=hints)
