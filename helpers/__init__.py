"""Helpers for the Deep Learning with PyTorch course.

Import what a lesson needs from here, for example ``from helpers import set_seed``.
Names are imported lazily, so ``import helpers`` stays fast and has no side effects.
"""

from __future__ import annotations

import importlib
from typing import Any

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "set_seed": "helpers.seed",
    "get_device": "helpers.device",
    "plot_activation": "helpers.plots",
    "plot_loss_curves": "helpers.plots",
    "draw_network": "helpers.plots",
    "plot_softmax": "helpers.plots",
    "draw_training_cycle": "helpers.diagrams",
    "draw_backprop": "helpers.diagrams",
    "draw_transfer": "helpers.diagrams",
    "show_results": "helpers.results",
    "optimize_and_plot": "helpers.optimize",
    "compare_optimizers": "helpers.optimize",
    "plot_decision_boundary": "helpers.decision_boundary",
    "load_animals": "helpers.datasets.animals",
    "load_wages": "helpers.datasets.wages",
    "load_penguins": "helpers.datasets.penguins",
    "load_digits": "helpers.datasets.digits",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
