"""Checkers for training: losses that go down, where an optimizer run ended, which parameters an
optimizer step changed, and whether a student's training loop gives what a correct one gives."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import torch
from torch import nn

from ._coerce import _as_list, _as_number
from ._report import Hints, _fail, _type_name
from .models import check_module
from .values import check_type

__all__ = ["check_decreased", "check_basin", "check_frozen_after_step", "check_parameters_match"]


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
