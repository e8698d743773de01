"""Diagrams for the lessons: the training cycle, backpropagation's order, and transfer learning.

Each function draws with matplotlib on the ``ax`` it is given (or on a new figure), returns what
it drew (labels, positions, roles) so that a test can check it, and works headless.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "TRAINING_STEPS",
    "CycleDrawing",
    "BackpropDrawing",
    "TransferDrawing",
    "draw_training_cycle",
    "draw_backprop",
    "draw_transfer",
]

# The four steps of one training iteration, with the line of code that does each.
TRAINING_STEPS: tuple[tuple[str, str], ...] = (
    ("forward pass", "outputs = model(x_batch)"),
    ("loss", "loss = loss_fn(outputs, y_batch)"),
    ("backward pass", "loss.backward()"),
    ("step", "optimizer.step()"),
)


def _new_axes(ax, figsize: tuple[float, float]):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def _box(ax, x: float, y: float, text: str, colour: str, width: float, height: float, **style) -> None:
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0.02",
                                facecolor=colour, edgecolor="black", linewidth=1.0, **style))
    ax.text(x, y, text, ha="center", va="center", fontsize=9)


def _arrow(ax, start: tuple[float, float], end: tuple[float, float], colour: str = "black", text: str = "",
           text_offset: tuple[float, float] = (0.0, 0.0), curve: float = 0.0) -> None:
    ax.annotate("", xy=end, xytext=start,
                arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.5, "connectionstyle": f"arc3,rad={curve}"})
    if text:
        middle = ((start[0] + end[0]) / 2 + text_offset[0], (start[1] + end[1]) / 2 + text_offset[1])
        ax.text(*middle, text, ha="center", va="center", fontsize=8, color=colour)


@dataclass(frozen=True)
class CycleDrawing:
    """The steps drawn (name, code), the centre of each step's box, the number of arrows, and the Axes."""

    steps: list[tuple[str, str]]
    positions: list[tuple[float, float]]
    n_arrows: int
    ax: object


def draw_training_cycle(ax=None, steps: Sequence[tuple[str, str]] = TRAINING_STEPS) -> CycleDrawing:
    """Draw the training cycle: one box per step, placed clockwise on a loop, an arrow to the next step.

    ``steps`` lists ``(name, code)`` pairs in order, by default forward pass -> loss -> backward pass
    -> step; the arrow from the last step back to the first is labelled "next batch". Raises
    ``ValueError`` for fewer than two steps.
    """
    import math

    steps = [(str(name), str(code)) for name, code in steps]
    if len(steps) < 2:
        raise ValueError(f"a cycle needs at least two steps, got {len(steps)}.")
    n = len(steps)
    ax = _new_axes(ax, (8, 4.5) if n <= 4 else (10, 4.5))
    # clockwise from the top
    width = max(2.7, 0.09 * max(len(line) for step in steps for line in step))
    x_radius = (2.2 if n <= 4 else 3.0) + (width - 2.7) / 2
    positions = [(x_radius * math.sin(2 * math.pi * i / n), 1.2 * math.cos(2 * math.pi * i / n)) for i in range(n)]
    colours = ["#cfe2f3", "#fde9c9", "#f4cccc", "#d9ead3"]
    for i, ((name, code), (x, y)) in enumerate(zip(steps, positions)):
        _box(ax, x, y, f"{i + 1}. {name}\n{code}", colours[i % len(colours)], width=width, height=0.5)
    for i in range(n):
        (x0, y0), (x1, y1) = positions[i], positions[(i + 1) % n]
        # from the edge of one box to the edge of the next, with a little gap
        dx, dy = x1 - x0, y1 - y0
        edge = min((width / 2 + 0.1) / abs(dx) if dx else float("inf"), (0.25 + 0.1) / abs(dy) if dy else float("inf"))
        start = (x0 + edge * dx, y0 + edge * dy)
        end = (x1 - edge * dx, y1 - edge * dy)
        last = i == n - 1
        _arrow(ax, start, end, colour="tab:green" if last else "black", curve=-0.25,
               text="next batch" if last else "", text_offset=(-0.45, 0.25) if last else (0, 0))
    ax.text(0, 0, "once per batch", ha="center", va="center", fontsize=10, style="italic")
    ax.set_xlim(-x_radius - width / 2 - 0.2, x_radius + width / 2 + 0.2)
    ax.set_ylim(-1.7, 1.7)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title("The training cycle")
    return CycleDrawing(steps=steps, positions=positions, n_arrows=n, ax=ax)


@dataclass(frozen=True)
class BackpropDrawing:
    """The layer names drawn, the order (layer indices) in which their gradients are computed, and the Axes."""

    layers: list[str]
    order: list[int]
    ax: object


def draw_backprop(layers: Sequence[str] = ("Linear 0", "Linear 1", "Linear 2"), ax=None) -> BackpropDrawing:
    """Draw a forward pass from the first layer to the loss, and backpropagation from the loss back.

    ``layers`` names the layers from first to last. The forward arrows run left to right above the
    boxes; the gradient arrows run right to left below them, numbered in the order PyTorch computes
    them: the last layer's gradient first. Returns that order (``[n - 1, ..., 0]``).
    Raises ``ValueError`` when no layer is given.
    """
    layers = [str(name) for name in layers]
    if not layers:
        raise ValueError("layers needs at least one layer name.")
    ax = _new_axes(ax, (2.2 * (len(layers) + 2), 3.2))
    names = ["input x", *layers, "loss"]
    xs = [2.2 * i for i in range(len(names))]
    for i, (x, name) in enumerate(zip(xs, names)):
        colour = "#eeeeee" if i in (0, len(names) - 1) else "#cfe2f3"
        _box(ax, x, 0.0, name, colour, width=1.5, height=0.6)
    for a, b in zip(xs, xs[1:]):
        _arrow(ax, (a + 0.8, 0.55), (b - 0.8, 0.55), colour="tab:blue")
    ax.text((xs[0] + xs[-1]) / 2, 1.05, "forward pass: first layer to last", ha="center", color="tab:blue", fontsize=10)
    order = list(range(len(layers) - 1, -1, -1))
    for rank, index in enumerate(order, start=1):
        right, left = xs[index + 2], xs[index + 1]
        _arrow(ax, (right - 0.8, -0.55), (left + 0.8, -0.55), colour="tab:red")
        ax.text((right + left) / 2, -0.85, f"{rank}. gradient of {layers[index]}", ha="center", va="top",
                color="tab:red", fontsize=8)
    ax.text((xs[0] + xs[-1]) / 2, -1.45, "backward pass (loss.backward()): last layer to first",
            ha="center", color="tab:red", fontsize=10)
    ax.set_xlim(xs[0] - 1.0, xs[-1] + 1.0)
    ax.set_ylim(-1.7, 1.4)
    ax.set_axis_off()
    return BackpropDrawing(layers=layers, order=order, ax=ax)


@dataclass(frozen=True)
class TransferDrawing:
    """One ``(label, role)`` per box drawn, left to right, and the Axes.

    Roles: ``"input"``, ``"frozen"`` (pretrained and not trained), ``"body"`` (pretrained and
    fine-tuned), ``"old head"`` (thrown away) and ``"new head"`` (fresh, trained).
    """

    boxes: list[tuple[str, str]]
    ax: object


def draw_transfer(layer_sizes: Sequence[int], new_outputs: int, n_frozen: int = 0, ax=None) -> TransferDrawing:
    """Draw transfer learning: a pretrained body kept (early layers frozen), its head swapped for a new one.

    ``layer_sizes`` are the pretrained network's sizes, inputs first, e.g. ``[64, 64, 32, 10]``
    (three ``nn.Linear`` layers); the last layer is the old head, replaced by
    ``nn.Linear(layer_sizes[-2], new_outputs)``. The first ``n_frozen`` layers are drawn frozen.
    Raises ``ValueError`` for fewer than three sizes, sizes below 1, or ``n_frozen`` outside
    ``0 .. number of body layers``.
    """
    sizes = [int(s) for s in layer_sizes]
    if len(sizes) < 3 or min(sizes) < 1 or int(new_outputs) < 1:
        raise ValueError("layer_sizes needs at least three positive sizes (a body layer and a head), "
                         f"and new_outputs must be positive; got {list(layer_sizes)} and {new_outputs}.")
    n_body = len(sizes) - 2
    if not 0 <= n_frozen <= n_body:
        raise ValueError(f"n_frozen must be between 0 and {n_body} (the body layers), got {n_frozen}.")
    ax = _new_axes(ax, (2.1 * (n_body + 3), 3.4))
    boxes = [(f"{sizes[0]} inputs", "input")]
    boxes += [(f"Linear({a}, {b})", "frozen" if i < n_frozen else "body")
              for i, (a, b) in enumerate(zip(sizes[:-2], sizes[1:-1]))]
    old_head = (f"Linear({sizes[-2]}, {sizes[-1]})", "old head")
    new_head = (f"Linear({sizes[-2]}, {int(new_outputs)})", "new head")
    colours = {"input": "#eeeeee", "frozen": "#9fb6d6", "body": "#cfe2f3", "old head": "#f3f3f3", "new head": "#b6d7a8"}
    for i, (label, role) in enumerate(boxes):
        _box(ax, 2.1 * i, 0.0, label + ("\nfrozen" if role == "frozen" else ""), colours[role], 1.7, 0.7)
        if i:
            _arrow(ax, (2.1 * (i - 1) + 0.9, 0.0), (2.1 * i - 0.9, 0.0))
    x_head = 2.1 * len(boxes)
    _box(ax, x_head, 0.75, old_head[0] + "\nold head: thrown away", colours["old head"], 1.9, 0.7, linestyle="--")
    _box(ax, x_head, -0.75, new_head[0] + "\nnew head: trained", colours["new head"], 1.9, 0.7)
    _arrow(ax, (x_head - 2.1 + 0.9, 0.0), (x_head - 0.95, -0.6), colour="tab:green")
    body_end = 2.1 * (len(boxes) - 1)
    ax.annotate("", xy=(2.1 - 0.85, -1.35), xytext=(body_end + 0.85, -1.35),
                arrowprops={"arrowstyle": "|-|", "color": "0.3", "lw": 1.0})
    ax.text((2.1 + body_end) / 2, -1.6, "pretrained body: weights loaded with load_state_dict", ha="center",
            va="top", fontsize=9, color="0.3")
    ax.set_xlim(-1.0, x_head + 1.1)
    ax.set_ylim(-2.0, 1.4)
    ax.set_axis_off()
    ax.set_title("Transfer learning: keep the body, replace the head")
    return TransferDrawing(boxes=[*boxes, old_head, new_head], ax=ax)
