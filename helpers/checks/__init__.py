"""Checkers that the notebooks' test cells call: ``from helpers.checks import check_tensor``.

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
this package is imported).

The checkers live in modules by topic, all re-exported here:

- ``values``: types, callables, numbers, sequences, tensors, probabilities, any stated property;
- ``models``: layers and models, their sizes and parameter counts, a trained model's accuracy;
- ``training``: losses going down, optimizer runs and steps, a training loop replayed;
- ``behaviour``: running the student's code and watching it (errors raised, eval mode, no_grad).
"""

from __future__ import annotations

from .. import tracebacks
from ._report import Hints as Hints  # the type of every checker's hints=, for annotations
from .behaviour import ForwardPasses, check_eval_no_grad, check_raises, check_runs
from .models import check_accuracy, check_layer_sizes, check_linear, check_module, check_parameter_count
from .training import check_basin, check_decreased, check_frozen_after_step, check_parameters_match
from .values import (
    check_callable,
    check_close,
    check_close_with_mistakes,
    check_dtype,
    check_equal,
    check_in_range,
    check_probabilities,
    check_shape,
    check_tensor,
    check_true,
    check_type,
)

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

tracebacks.install()
