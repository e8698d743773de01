"""Checkers that call the student's code and watch what it does: whether it runs, what it raises,
and how it runs a model (train or eval mode, gradients on or off, the mode it leaves behind)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from ._report import Hints, _fail

__all__ = ["check_runs", "check_raises", "ForwardPasses", "check_eval_no_grad"]


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
