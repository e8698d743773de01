"""Show a regression model's predictions against the truth, in real units when a target scaler is given."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import torch
from torch import nn

from .modes import evaluating, model_device


@dataclass(frozen=True)
class Results:
    """What ``show_results`` computed.

    ``predictions`` and ``targets`` are CPU tensors of the model output's shape (targets of shape
    ``(n,)`` become ``(n, 1)`` for a model with one output), in the units the model works in
    (scaled, if the target was scaled), one row per sample in the order the dataloader gave them.
    ``real_predictions`` and ``real_targets`` are the same values as NumPy arrays of shape
    ``(n, n_targets)`` in real units (``None`` without a target scaler). ``table`` holds the first
    rows, in real units when a scaler was given; ``ax`` is the scatter plot.
    """

    predictions: torch.Tensor
    targets: torch.Tensor
    real_predictions: np.ndarray | None
    real_targets: np.ndarray | None
    table: pd.DataFrame
    ax: Any


def _generators(dataloader: Iterable) -> list[torch.Generator]:
    """The generators a DataLoader draws its shuffling from (its own and its sampler's)."""
    found: list[torch.Generator] = []
    for owner in (dataloader, getattr(dataloader, "sampler", None)):
        generator = getattr(owner, "generator", None)
        if isinstance(generator, torch.Generator) and all(generator is not g for g in found):
            found.append(generator)
    return found


def _predict(model: nn.Module, dataloader: Iterable) -> tuple[torch.Tensor, torch.Tensor]:
    """Predict every batch in eval mode without gradients; restore modes and random states."""
    generators = [(g, g.get_state()) for g in _generators(dataloader)]
    device = model_device(model)
    predictions: list[torch.Tensor] = []
    targets: list[torch.Tensor] = []
    try:
        # fork_rng: a shuffling DataLoader without a generator draws from the global RNG
        with evaluating(model), torch.random.fork_rng(devices=[]):
            for batch in dataloader:
                if not isinstance(batch, (tuple, list)) or len(batch) != 2:
                    raise ValueError("show_results needs a dataloader that yields (inputs, targets) pairs.")
                inputs, target = batch
                predictions.append(model(inputs.to(device)).detach().cpu())
                targets.append(target.detach().cpu())
    finally:
        for generator, state in generators:
            generator.set_state(state)
    if not predictions:
        raise ValueError("show_results got an empty dataloader; there is nothing to predict.")
    return torch.cat(predictions), torch.cat(targets)


def _as_columns(values: torch.Tensor) -> np.ndarray:
    """A tensor as a float NumPy array of shape (n, k): what sklearn scalers expect."""
    array = values.double().numpy()
    return array.reshape(len(array), -1)


def show_results(
    model: nn.Module,
    dataloader: Iterable,
    target_scaler: Any = None,
    n_rows: int = 5,
    ax: Any = None,
) -> Results:
    """Predict every batch of ``dataloader``, plot predictions against the truth and return both.

    The model runs in eval mode under ``torch.no_grad()`` on its own device; its train/eval mode
    (every submodule's), the dataloader's shuffling generator and the global random state are
    restored afterwards, so nothing passed in changes. With a fitted scikit-learn
    ``target_scaler`` (e.g. a ``StandardScaler`` fitted on the target), the plot and the table
    are in real units (its ``inverse_transform``). The first ``n_rows`` rows are printed as a
    table (``n_rows=0`` prints nothing). Draws on ``ax`` or on a new figure; works headless.
    """
    predictions, targets = _predict(model, dataloader)
    if predictions.numel() != targets.numel():
        raise ValueError(
            f"The model gives {predictions.numel()} numbers but the dataloader has {targets.numel()} targets; "
            "show_results is for regression models with one output per target."
        )
    targets = targets.reshape(predictions.shape)
    real_predictions = real_targets = None
    shown_predictions, shown_targets = _as_columns(predictions), _as_columns(targets)
    if target_scaler is not None:
        real_predictions = target_scaler.inverse_transform(shown_predictions)
        real_targets = target_scaler.inverse_transform(shown_targets)
        shown_predictions, shown_targets = real_predictions, real_targets

    if shown_predictions.shape[1] == 1:
        table = pd.DataFrame({"target": shown_targets[:, 0], "prediction": shown_predictions[:, 0]})
        table["error"] = table["prediction"] - table["target"]
    else:
        columns = {}
        for j in range(shown_predictions.shape[1]):
            columns[f"target_{j}"] = shown_targets[:, j]
            columns[f"prediction_{j}"] = shown_predictions[:, j]
        table = pd.DataFrame(columns)
    table = table.head(max(int(n_rows), 0))
    if n_rows > 0:
        print(table.to_string(float_format=lambda v: f"{v:.2f}"))

    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(4.5, 4.5))
    units = "real units" if target_scaler is not None else "model units"
    ax.scatter(shown_targets.ravel(), shown_predictions.ravel(), s=12, alpha=0.6, label="samples")
    low = float(min(shown_targets.min(), shown_predictions.min()))
    high = float(max(shown_targets.max(), shown_predictions.max()))
    ax.plot([low, high], [low, high], color="black", linestyle="--", linewidth=1, label="perfect prediction")
    ax.set_xlabel(f"true value ({units})")
    ax.set_ylabel(f"prediction ({units})")
    ax.set_title("Predictions against the truth")
    ax.legend(loc="upper left")
    return Results(predictions, targets, real_predictions, real_targets, table, ax)
