"""Draw which class a two-feature classifier predicts at every point of the plane."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from .modes import evaluating

__all__ = ["DecisionBoundary", "plot_decision_boundary"]


@dataclass(frozen=True)
class DecisionBoundary:
    """The evaluated grid: coordinates ``xx``, ``yy`` and the predicted class at each point, plus the Axes.

    ``xx``, ``yy`` are float tensors and ``predictions`` an int64 tensor, all of shape
    ``(resolution, resolution)``; ``predictions[i, j]`` is the class at ``(xx[i, j], yy[i, j])``.
    """

    xx: torch.Tensor
    yy: torch.Tensor
    predictions: torch.Tensor
    ax: Any


def _as_numpy(values: Any) -> np.ndarray:
    """A NumPy copy of a tensor, array, list or DataFrame (the caller's object is never touched)."""
    if isinstance(values, torch.Tensor):
        return values.detach().cpu().numpy().copy()
    return np.array(values, copy=True)


def _model_device_dtype(model: nn.Module) -> tuple[torch.device, torch.dtype]:
    """Where the model's parameters live, so that the grid goes there instead of moving the model."""
    for p in model.parameters():
        return p.device, (p.dtype if p.is_floating_point() else torch.float32)
    return torch.device("cpu"), torch.float32


def _classes_from_outputs(outputs: torch.Tensor, threshold: float) -> torch.Tensor:
    """Class indices from model outputs: argmax of several scores, or one score against ``threshold``."""
    if outputs.ndim == 2 and outputs.shape[1] > 1:
        return outputs.argmax(dim=1)
    return (outputs.reshape(-1) > threshold).long()


def plot_decision_boundary(
    model: nn.Module,
    X: Any,
    y: Any = None,
    ax: Any = None,
    resolution: int = 200,
    padding: float = 0.1,
    threshold: float = 0.5,
    feature_names: Sequence[str] | None = None,
    class_names: Sequence[str] | None = None,
    alpha: float = 0.3,
) -> DecisionBoundary:
    """Colour the plane by the class ``model`` predicts there and draw the points ``X`` coloured by ``y``.

    ``X`` holds exactly two features per row (tensor, array or DataFrame of shape ``(n, 2)``), in the
    units the model was trained on; ``y`` holds the class indices (or ``None`` to draw no points).
    The grid spans the range of ``X`` widened by ``padding`` (a fraction of each range) on every side,
    with ``resolution`` points per axis. A model with several outputs predicts their argmax; a model
    with one output predicts class 1 where it is above ``threshold`` (0.5 suits a final ``Sigmoid``;
    pass 0.0 for a raw logit).

    The model runs in eval mode under ``torch.no_grad()`` on its own device and is then put back in
    the mode it was in; ``X`` and ``y`` are not changed. Draws on ``ax`` (or a new figure) and returns
    the grid, its predictions and the Axes. Axis labels come from ``feature_names`` (or the
    columns of a DataFrame ``X``), legend entries from ``class_names``.
    """
    if resolution < 2:
        raise ValueError(f"resolution must be at least 2, got {resolution}.")
    points = _as_numpy(X).astype(float)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2): two features per row; got shape {points.shape}.")
    if len(points) == 0:
        raise ValueError("X has no rows to plot.")
    labels = None if y is None else _as_numpy(y).reshape(-1)
    if labels is not None and len(labels) != len(points):
        raise ValueError(f"y has {len(labels)} labels for {len(points)} rows of X.")

    low, high = points.min(axis=0), points.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    low, high = low - padding * span, high + padding * span
    xx, yy = torch.meshgrid(
        torch.linspace(float(low[0]), float(high[0]), resolution, dtype=torch.float64),
        torch.linspace(float(low[1]), float(high[1]), resolution, dtype=torch.float64),
        indexing="xy",
    )
    grid = torch.stack([xx.reshape(-1), yy.reshape(-1)], dim=1)

    device, dtype = _model_device_dtype(model)
    with evaluating(model):
        outputs = model(grid.to(device=device, dtype=dtype))
    predictions = _classes_from_outputs(outputs.detach().cpu(), threshold).reshape(resolution, resolution)

    n_classes = int(predictions.max()) + 1
    if labels is not None:
        n_classes = max(n_classes, int(labels.max()) + 1)
    if outputs.ndim == 2 and outputs.shape[1] > 1:
        n_classes = max(n_classes, int(outputs.shape[1]))
    if class_names is not None:
        n_classes = max(n_classes, len(class_names))

    import matplotlib.pyplot as plt  # imported only when drawing
    from matplotlib.colors import BoundaryNorm, ListedColormap

    colours = [plt.get_cmap("tab10")(i % 10) for i in range(n_classes)]
    cmap = ListedColormap(colours)
    norm = BoundaryNorm(np.arange(-0.5, n_classes), n_classes)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 5))
    ax.contourf(xx.numpy(), yy.numpy(), predictions.numpy(), levels=np.arange(-0.5, n_classes), cmap=cmap,
                norm=norm, alpha=alpha)
    if labels is not None:
        for k in range(n_classes):
            mask = labels == k
            if mask.any():
                name = class_names[k] if class_names is not None else f"class {k}"
                ax.scatter(points[mask, 0], points[mask, 1], color=colours[k], edgecolor="black", s=25, label=name)
        ax.legend(loc="best", fontsize="small")
    if feature_names is None:
        columns = getattr(X, "columns", None)
        feature_names = [str(c) for c in columns] if columns is not None else ["feature 0", "feature 1"]
    names = list(feature_names)
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    ax.set_xlim(float(low[0]), float(high[0]))
    ax.set_ylim(float(low[1]), float(high[1]))
    ax.set_title("Decision regions")
    return DecisionBoundary(xx=xx, yy=yy, predictions=predictions, ax=ax)
