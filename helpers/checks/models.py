"""Checkers for layers and models: their kind, the sizes of their Linear layers, their parameter
count, and how well a trained model classifies."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch import nn

from ..modes import evaluating, model_device
from ._report import Hints, _fail, _format_shape, _type_name
from .behaviour import check_runs
from .values import check_type

__all__ = ["check_module", "check_linear", "check_layer_sizes", "check_parameter_count", "check_accuracy"]


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
