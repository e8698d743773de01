"""Plot helpers for the lessons.

Each function draws on the ``ax`` it is given (or on a new figure), returns what it
computed so that a test can check it, changes nothing it was given, and works headless.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import torch

__all__ = [
    "ActivationCurve",
    "NetworkDrawing",
    "SoftmaxBars",
    "legend_below",
    "plot_activation",
    "plot_loss_curves",
    "plot_softmax",
    "draw_network",
]

# How far below the bottom of the Axes a legend starts, in points: clear of the tick labels and the
# x-axis label, whatever the size of the Axes.
LEGEND_GAP_POINTS = 42.0


def _new_axes(ax, figsize: tuple[float, float] = (6, 4)):
    """Return ``ax`` or the Axes of a new figure (pyplot imported only when drawing)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def legend_below(ax, ncol: int | None = None, fontsize: float = 8):
    """Put the legend of ``ax`` under the Axes, where it cannot cover a curve; return the Legend.

    The legend hangs ``LEGEND_GAP_POINTS`` below the bottom of the Axes (below its tick labels and
    x-axis label) and spreads its entries over ``ncol`` columns (default: all in one row).
    Returns None when nothing on ``ax`` has a label.
    """
    from matplotlib.transforms import offset_copy

    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return None
    anchor = offset_copy(ax.transAxes, fig=ax.figure, y=-LEGEND_GAP_POINTS, units="points")
    return ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=anchor,
                     ncol=ncol or len(handles), fontsize=fontsize, frameon=False)


@dataclass(frozen=True)
class ActivationCurve:
    """An activation function sampled on a grid: inputs, outputs and the gradient at each input."""

    x: torch.Tensor
    y: torch.Tensor
    grad: torch.Tensor
    ax: object


def plot_activation(
    fn: Callable[[torch.Tensor], torch.Tensor],
    x_range: tuple[float, float] = (-6.0, 6.0),
    n_points: int = 200,
    ax=None,
    name: str | None = None,
) -> ActivationCurve:
    """Draw ``fn`` and its gradient (computed with autograd) over ``x_range``.

    ``fn`` is any element-wise function or module, e.g. ``torch.sigmoid`` or ``nn.ReLU()``.
    Returns the sampled ``x``, ``y = fn(x)`` and ``grad = dy/dx``, plus the Axes.
    """
    low, high = x_range
    if not low < high:
        raise ValueError(f"x_range must be (low, high) with low < high, got {x_range}.")
    if n_points < 2:
        raise ValueError(f"n_points must be at least 2, got {n_points}.")
    x = torch.linspace(low, high, n_points, requires_grad=True)
    y = fn(x)
    if not isinstance(y, torch.Tensor) or y.shape != x.shape:
        raise ValueError("fn must return a tensor of the same shape as its input (an element-wise function).")
    (grad,) = torch.autograd.grad(y.sum(), x)
    x, y, grad = x.detach(), y.detach(), grad.detach()

    label = name or getattr(fn, "__name__", type(fn).__name__)
    ax = _new_axes(ax)
    ax.plot(x.numpy(), y.numpy(), label=label)
    ax.plot(x.numpy(), grad.numpy(), linestyle="--", label=f"gradient of {label}")
    ax.axhline(0, color="grey", linewidth=0.5)
    ax.axvline(0, color="grey", linewidth=0.5)
    ax.set_xlabel("input")
    ax.set_title(f"{label} and its gradient")
    ax.legend()
    return ActivationCurve(x=x, y=y, grad=grad, ax=ax)


def plot_loss_curves(
    history: Mapping[str, Sequence[float]] | Sequence[float], ax=None, title: str = "Loss per epoch"
):
    """Draw one loss curve per entry of ``history`` against the epoch number; return the Axes.

    ``history`` is a list of losses, or a dict such as ``{"train": [...], "val": [...]}``.
    """
    curves = dict(history) if isinstance(history, Mapping) else {"loss": history}
    if not curves or any(len(v) == 0 for v in curves.values()):
        raise ValueError("history has no values to plot; append one loss per epoch first.")
    ax = _new_axes(ax)
    for label, values in curves.items():
        values = [float(v) for v in values]
        ax.plot(range(1, len(values) + 1), values, marker="o", markersize=3, label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title(title)
    legend_below(ax)
    return ax


@dataclass(frozen=True)
class SoftmaxBars:
    """What ``plot_softmax`` drew: the scores, their softmax probabilities and the two Axes."""

    logits: torch.Tensor
    probabilities: torch.Tensor
    axes: tuple


def plot_softmax(logits, class_names: Sequence[str] | None = None, axes=None) -> SoftmaxBars:
    """Draw one sample's raw scores next to the probabilities softmax turns them into.

    ``logits`` is a 1-D tensor or list of scores (one per class), e.g. ``[1.2, 3.5, 0.8]``.
    The left bar chart shows the scores, the right one ``torch.softmax(logits, dim=-1)`` with each
    probability written on its bar. ``axes`` is a pair of Axes (default: a new figure).
    Returns the scores as a float tensor, the probabilities (shape ``(classes,)``, summing to 1)
    and the two Axes. Raises ``ValueError`` for a tensor that is not 1-D or for names that do not
    match the number of scores.
    """
    scores = torch.as_tensor(logits).detach().to(dtype=torch.float32, device="cpu").clone()
    if scores.ndim != 1 or len(scores) < 1:
        raise ValueError(f"logits must be one sample's scores, a 1-D tensor; got shape {tuple(scores.shape)}.")
    names = list(class_names) if class_names is not None else [f"class {i}" for i in range(len(scores))]
    if len(names) != len(scores):
        raise ValueError(f"class_names has {len(names)} names for {len(scores)} scores.")
    probabilities = torch.softmax(scores, dim=-1)
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 2, figsize=(9, 3.2))
    left, right = axes
    positions = range(len(scores))
    left.bar(positions, scores.numpy(), color="C0")
    left.axhline(0, color="grey", linewidth=0.5)
    left.set_title("scores (logits): any real numbers")
    right.bar(positions, probabilities.numpy(), color="C1")
    for i, p in enumerate(probabilities.tolist()):
        right.text(i, p + 0.02, f"{p:.3f}", ha="center", va="bottom", fontsize=9)
    right.set_ylim(0, 1.12)
    right.set_title("softmax: probabilities that sum to 1")
    for ax in (left, right):
        ax.set_xticks(list(positions), names)
    return SoftmaxBars(logits=scores, probabilities=probabilities, axes=(left, right))


@dataclass(frozen=True)
class NetworkDrawing:
    """Where each neuron was drawn (one list of (x, y) per layer), the connection count and the Axes."""

    positions: list[list[tuple[float, float]]]
    n_connections: int
    ax: object


def draw_network(
    layer_sizes: Sequence[int], ax=None, labels: Sequence[str] | None = None, max_neurons: int = 12
) -> NetworkDrawing:
    """Draw a fully connected network: one column of neurons per layer, a line per weight.

    ``layer_sizes`` lists the neurons per layer, inputs first, e.g. ``[3, 4, 2]``. Layers wider
    than ``max_neurons`` are drawn with ``max_neurons`` circles and their real size written below.
    ``n_connections`` counts the weights of the real network (biases not included).
    """
    sizes = [int(s) for s in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"layer_sizes needs at least two positive sizes, got {list(layer_sizes)}.")
    if labels is not None and len(labels) != len(sizes):
        raise ValueError(f"labels has {len(labels)} names for {len(sizes)} layers.")
    if labels is None:
        labels = ["inputs"] + ["hidden"] * (len(sizes) - 2) + ["outputs"]

    ax = _new_axes(ax, figsize=(1.8 * len(sizes) + 1, 4))
    positions = []
    for i, size in enumerate(sizes):
        shown = min(size, max_neurons)
        top = (shown - 1) / 2
        positions.append([(float(i), top - j) for j in range(shown)])
    for left, right in zip(positions, positions[1:]):
        for x0, y0 in left:
            for x1, y1 in right:
                ax.plot([x0, x1], [y0, y1], color="lightgrey", linewidth=0.8, zorder=1)
    lowest = min(y for column in positions for _, y in column)
    highest = max(y for column in positions for _, y in column)
    for i, column in enumerate(positions):
        xs, ys = zip(*column)
        colour = "C0" if i == 0 else ("C2" if i == len(sizes) - 1 else "C1")
        ax.scatter(xs, ys, s=300, color=colour, edgecolor="black", zorder=2)
        ax.text(i, lowest - 0.9, f"{labels[i]}\n({sizes[i]})", ha="center", va="top")
    ax.set_axis_off()
    ax.set_ylim(lowest - 2.2, highest + 0.8)
    n_connections = sum(a * b for a, b in zip(sizes, sizes[1:]))
    return NetworkDrawing(positions=positions, n_connections=n_connections, ax=ax)
