"""Checkers that the notebooks' test cells call.

Every checker raises ``AssertionError`` with one message a beginner can act on: the
first thing that is wrong, in the student's own variable names, checked in the order
type -> shape -> dtype -> values. A checker can carry ``hints``: a mapping from the
stage that failed (``"type"``, ``"shape"``, ``"dtype"``, ``"values"``, or ``"error"`` when the
student's function raised) to a sentence naming the likely mistake. The hint is appended to the
message as ``Hint: ...``.

Checkers compare meaning, not form: a number by its value whatever holds it (Python, NumPy, a
one-element tensor), a sequence by its items whatever container holds them, a tensor by its values
(a wrong one is reported by the first index where it differs). A test checks a type with
``check_type`` only where the task states that type.

Each checker sets ``__tracebackhide__``: in a notebook a failure then shows the notebook's line,
the message and the hint, without the checker's own frames (``helpers.tracebacks``, installed when
this module is imported).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import torch
from torch import nn

from . import tracebacks
from .modes import evaluating, model_device

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
    "check_basin",
    "check_frozen_after_step",
    "ForwardPasses",
    "check_eval_no_grad",
    "check_accuracy",
    "check_parameters_match",
]

Hints = Mapping[str, str] | None

tracebacks.install()


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
        return f"`{name}` has the right shape but wrong values: got {_short(actual)}, expected {_short(expected)}; {detail}"
    return f"`{name}` has the right shape but wrong values: {detail}"


def check_tensor(
    value: Any,
    expected: torch.Tensor,
    *,
    name: str,
    atol: float = 1e-4,
    rtol: float = 1e-4,
    check_dtype: bool = True,
    mistakes: Mapping[str, Any] | None = None,
    hints: Hints = None,
) -> None:
    """Assert that ``value`` matches ``expected``: type, then shape, then dtype, then values.

    Floating-point values are compared with ``atol``/``rtol``; integer values exactly. A wrong value
    is reported by the first index where it differs, with both numbers. ``mistakes`` maps a sentence
    naming a known mistake to the tensor that mistake gives on these inputs; when ``value`` is that
    tensor (shape and values), the sentence is the hint, whatever stage fails. A mistake that gives
    the expected tensor itself cannot be told apart and is ignored.
    """
    __tracebackhide__ = True
    expected = torch.as_tensor(expected)
    for sentence, wrong in (mistakes or {}).items():
        if _matches(value, wrong, atol, rtol) and not _matches(expected, wrong, atol, rtol):
            hints = dict.fromkeys(("type", "shape", "dtype", "values"), sentence)
            break
    check_type(value, torch.Tensor, name=name, hints=hints)
    check_shape(value, expected.shape, name=name, hints=hints)
    if check_dtype and value.dtype != expected.dtype:
        _fail(f"`{name}` has dtype {value.dtype}, expected {expected.dtype}.", hints, "dtype")
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
            _fail(f"`{name}` holds the right items in the wrong order: got {_short(items)}, expected {_short(expected)}.",
                  hints, "values")
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


def check_true(condition: bool, message: str, *, hint: str | None = None) -> None:
    """Assert a property that no other checker covers, with the student-facing ``message``."""
    __tracebackhide__ = True
    if not condition:
        _fail(message, {"values": hint} if hint else None, "values")


def check_module(value: Any, expected_type: type[nn.Module], *, name: str, hints: Hints = None) -> None:
    """Assert that ``value`` is a layer or model of ``expected_type`` (e.g. ``nn.Linear``)."""
    __tracebackhide__ = True
    if isinstance(value, type) and issubclass(value, nn.Module):
        _fail(f"`{name}` is the class {value.__name__} itself; create a layer by calling it, "
              f"e.g. {value.__name__}(...).", hints, "type")
    check_type(value, expected_type, name=name, hints=hints)


def check_linear(
    layer: Any, in_features: int, out_features: int, *, name: str, bias: bool = True, hints: Hints = None
) -> None:
    """Assert that ``layer`` is ``nn.Linear(in_features, out_features)`` (with or without bias)."""
    __tracebackhide__ = True
    check_module(layer, nn.Linear, name=name, hints=hints)
    got = (layer.in_features, layer.out_features)
    if got != (in_features, out_features):
        swapped = " Did you swap in_features and out_features?" if got == (out_features, in_features) else ""
        _fail(f"`{name}` is Linear{got}, expected Linear({in_features}, {out_features}).{swapped}", hints, "shape")
    if (layer.bias is not None) != bias:
        _fail(f"`{name}` should {'have' if bias else 'not have'} a bias.", hints, "values")


def check_layer_sizes(model: Any, expected: Sequence[int], *, name: str, hints: Hints = None) -> None:
    """Assert that the ``nn.Linear`` layers of ``model`` map sizes ``expected[0] -> ... -> expected[-1]``."""
    __tracebackhide__ = True
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
    __tracebackhide__ = True
    check_module(model, nn.Module, name=name, hints=hints)
    got = sum(p.numel() for p in model.parameters())
    if got != expected:
        _fail(f"`{name}` has {got} parameters, expected {expected}.", hints, "values")


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


def check_decreased(values: Sequence[float], *, name: str, factor: float = 1.0, hints: Hints = None) -> None:
    """Assert that a sequence of losses ends lower than it started (by ``factor``: last < factor * first)."""
    __tracebackhide__ = True
    items = _as_list(values)
    if items is None:
        check_type(values, (list, tuple), name=name, hints=hints)
    values = items
    if len(values) < 2:
        _fail(f"`{name}` has {len(values)} values; record one value per epoch or step.", hints, "shape")
    first, last = _as_number(values[0]), _as_number(values[-1])
    if first is None or last is None:
        _fail(f"`{name}` should hold numbers, one per epoch or step; it holds a {_type_name(values[-1])}.",
              hints, "type")
    if math.isnan(last) or not last < factor * first:
        _fail(f"`{name}` went from {first:.4g} to {last:.4g}; expected it to go down"
              + (f" below {factor:g} x the start" if factor != 1.0 else "") + ".", hints, "values")


def check_raises(fn: Callable[[], Any], expected: type[BaseException], *, name: str, hints: Hints = None) -> None:
    """Assert that calling ``fn()`` raises ``expected`` (for exercises on error messages)."""
    __tracebackhide__ = True
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
    __tracebackhide__ = True
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


_BASIN_WORDS = {
    "global": "the global basin (x < 0, near -2.0)",
    "local": "the local basin (x > 0, near 1.25)",
    "peak": "exactly on the hill top at x = 0",
    "diverged": "nowhere: x blew up (huge, infinity or nan)",
}


def check_basin(trajectory: Any, expected: str, *, name: str, hints: Hints = None) -> None:
    """Assert that an ``optimize_and_plot`` run ended in the ``expected`` basin ("global" or "local").

    Unlike the other checkers, ``hints`` are keyed by the basin the run actually reached
    (``"local"``, ``"global"``, ``"diverged"``, ``"peak"``), so a test can say what to change,
    e.g. ``{"local": "try a larger lr", "diverged": "try a smaller lr"}``; ``"type"`` works too.
    """
    __tracebackhide__ = True
    if not (hasattr(trajectory, "basin") and hasattr(trajectory, "xs")):
        _fail(f"`{name}` is a {_type_name(trajectory)}, expected the Trajectory that optimize_and_plot returns.",
              hints, "type")
    reached = trajectory.basin
    if reached == expected:
        return
    steps = len(trajectory.xs) - 1
    if reached == "diverged":
        message = f"`{name}` diverged within {steps} steps: x blew up instead of settling"
    else:
        message = (f"`{name}` ended at x = {trajectory.xs[-1]:.3g} after {steps} steps, "
                   f"in {_BASIN_WORDS.get(reached, reached)}")
    _fail(f"{message}; expected {_BASIN_WORDS.get(expected, expected)}.", hints, reached)


def check_frozen_after_step(
    before: Mapping[str, torch.Tensor], model: Any, frozen: Iterable[str], *, name: str, hints: Hints = None
) -> None:
    """Assert that after an optimizer step the ``frozen`` parameters of ``model`` are unchanged and all others changed.

    ``before`` maps parameter names to copies taken before the step
    (``{n: p.detach().clone() for n, p in model.named_parameters()}``). Hints are keyed by what
    went wrong: ``"frozen"`` (a frozen parameter changed) or ``"trainable"`` (a trainable one did not).
    """
    __tracebackhide__ = True
    check_module(model, nn.Module, name=name, hints=hints)
    frozen = set(frozen)
    params = dict(model.named_parameters())
    unknown = sorted(frozen - set(params))
    if unknown:
        _fail(f"`{name}` has no parameter named {unknown[0]!r}; its names are {sorted(params)}.", hints, "type")
    for param_name, param in params.items():
        old = before[param_name]
        same = torch.equal(param.detach().cpu(), old.detach().cpu())
        if param_name in frozen and not same:
            _fail(f"`{param_name}` of `{name}` changed during the optimizer step, but it should be frozen "
                  f"(requires_grad = False).", hints, "frozen")
        if param_name not in frozen and same:
            _fail(f"`{param_name}` of `{name}` did not change during the optimizer step, but only "
                  f"{sorted(frozen)} should be frozen.", hints, "trainable")


class ForwardPasses:
    """Context manager that records every forward pass of ``model`` made inside its ``with`` block.

    ``records`` holds one tuple ``(training, grad_enabled, batch_size)`` per call of ``model(...)``:
    the model's mode, whether autograd was recording, and the length of the first input (``None``
    when it has none). Lets a test see whether a student's loop used ``model.train()``,
    ``model.eval()`` and ``torch.no_grad()`` where they belong.
    """

    def __init__(self, model: nn.Module) -> None:
        self.model = model
        self.records: list[tuple[bool, bool, int | None]] = []
        self._handle: Any = None

    def _record(self, module: nn.Module, inputs: tuple[Any, ...]) -> None:
        first = inputs[0] if inputs else None
        size = int(first.shape[0]) if isinstance(first, torch.Tensor) and first.ndim > 0 else None
        self.records.append((module.training, torch.is_grad_enabled(), size))

    def __enter__(self) -> ForwardPasses:
        self._handle = self.model.register_forward_pre_hook(self._record)
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._handle.remove()


def check_eval_no_grad(
    fn: Callable[[], Any], model: nn.Module, *, name: str, restores_mode: bool = True, hints: Hints = None
) -> Any:
    """Call ``fn()`` and assert that each forward pass of ``model`` it made ran in eval mode without
    gradients, and (with ``restores_mode``) that afterwards the model is back in the mode it was in.

    The course's one convention for inference, as in ``helpers.modes.evaluating``: switch to
    evaluation mode for the forward passes, then put the model back as it was. Returns what ``fn()``
    returned. Hints are looked up under ``"error"`` (``fn`` raised), ``"values"`` (the model was never
    called), ``"eval"`` (a pass in training mode), ``"no_grad"`` (a pass with gradients on) and
    ``"mode"`` (the model was left in another mode).
    """
    __tracebackhide__ = True
    before = [module.training for module in model.modules()]
    with ForwardPasses(model) as passes:
        result = check_runs(fn, name=name, hints=hints)
    if not passes.records:
        _fail(f"`{name}` never called the model; run each batch through it with `model(inputs)`.", hints, "values")
    if any(training for training, _, _ in passes.records):
        _fail(f"`{name}` ran the model in training mode; call `model.eval()` before evaluating, so that "
              "layers such as Dropout behave as they should at test time.", hints, "eval")
    if any(grad_enabled for _, grad_enabled, _ in passes.records):
        _fail(f"`{name}` ran the model with gradients on; run the evaluation inside "
              "`with torch.no_grad():`.", hints, "no_grad")
    if restores_mode and [module.training for module in model.modules()] != before:
        was, now = ("training" if flag else "evaluation" for flag in (before[0], model.training))
        if was == now:  # only a submodule changed
            _fail(f"After `{name}` some layers of the model are in another mode than before.", hints, "mode")
        _fail(f"After `{name}` the model is in {now} mode, but it was in {was} mode before; put it back: "
              "save `mode = model.training` before `model.eval()`, and call `model.train(mode)` at the end.",
              hints, "mode")
    return result


def check_accuracy(
    model: nn.Module, X: torch.Tensor, y: torch.Tensor, minimum: float, *, name: str,
    what: str = "examples", hints: Hints = None,
) -> float:
    """Assert that ``model`` classifies at least a share ``minimum`` of the rows of ``X`` as ``y`` says.

    The model runs once in eval mode under ``torch.no_grad()`` on its own device and is put back in
    its previous mode; its prediction is the argmax of each output row. Returns the accuracy (0 to 1).
    ``what`` names the rows in the message (e.g. ``"validation images"``).
    """
    __tracebackhide__ = True
    check_module(model, nn.Module, name=name, hints=hints)
    check_type(X, torch.Tensor, name=f"the input of `{name}`", hints=hints)
    with evaluating(model):
        outputs = check_runs(model, X.to(model_device(model)), name=f"{name}(X)", hints=hints)
    if not isinstance(outputs, torch.Tensor) or outputs.ndim != 2 or outputs.shape[0] != len(y):
        got = _format_shape(outputs.shape) if isinstance(outputs, torch.Tensor) else _type_name(outputs)
        _fail(f"`{name}` should give one row of class scores per input, shape ({len(y)}, number of classes); "
              f"got {got}.", hints, "shape")
    accuracy = (outputs.argmax(dim=1).cpu() == torch.as_tensor(y).cpu()).float().mean().item()
    if not accuracy >= minimum:
        _fail(f"`{name}` classifies {accuracy:.1%} of the {len(y)} {what} correctly; at least {minimum:.0%} "
              "is needed.", hints, "values")
    return accuracy


def check_parameters_match(
    model: Any,
    expected: nn.Module,
    *,
    name: str,
    mistakes: Mapping[str, nn.Module] | None = None,
    atol: float = 1e-5,
    rtol: float = 1e-4,
    hints: Hints = None,
) -> None:
    """Assert that every parameter of ``model`` equals the same-named parameter of ``expected``.

    For tests that replay a student's training: ``expected`` is a copy of the same starting model
    trained by a correct reference loop on the same data. ``mistakes`` maps a sentence naming a
    mistake (e.g. "Did you call optimizer.zero_grad()? ...") to a copy trained with that mistake
    (or left untrained); when ``model`` matches one of them, that sentence is the hint.
    """
    __tracebackhide__ = True
    check_module(model, nn.Module, name=name, hints=hints)
    got = {k: v.detach().cpu().double() for k, v in model.named_parameters()}
    want = {k: v.detach().cpu().double() for k, v in expected.named_parameters()}
    if set(got) != set(want) or any(got[k].shape != want[k].shape for k in want):
        _fail(f"`{name}` no longer has the layers it started with; train the model you were given "
              "instead of building a new one.", hints, "shape")

    def same(a: Mapping[str, torch.Tensor], b: Mapping[str, torch.Tensor]) -> bool:
        return all(torch.allclose(a[k], b[k], atol=atol, rtol=rtol) for k in b)

    if same(got, want):
        return
    for sentence, wrong in (mistakes or {}).items():
        wrong_params = {k: v.detach().cpu().double() for k, v in wrong.named_parameters()}
        if set(wrong_params) == set(want) and not same(wrong_params, want) and same(got, wrong_params):
            _fail(f"The parameters of `{name}` are not what a correct run gives from the same start.",
                  {"values": sentence}, "values")
    first = next(k for k in want if not torch.allclose(got[k], want[k], atol=atol, rtol=rtol))
    gap = (got[first] - want[first]).abs().max().item()
    _fail(f"Parameter `{first}` of `{name}` differs from a correct run started from the same weights "
          f"(largest difference {gap:.3g}).", hints, "values")
