"""Gradient descent on a one-dimensional valley with two minima, drawn step by step.

The valley is f(x) = x^4 + x^3 - 5x^2. Its slope f'(x) = 4x^3 + 3x^2 - 10x = x(4x^2 + 3x - 10)
is zero at x = 0 (a hill top) and at x = (-3 +- 13) / 8, i.e. at -2.0 (the global minimum,
f = -12) and 1.25 (a local minimum, f = -3.42). Everything left of the hill top rolls down to
the global minimum, everything right of it to the local one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any

import torch

from .plots import legend_below

__all__ = [
    "GLOBAL_MIN",
    "LOCAL_MIN",
    "HILL_TOP",
    "DIVERGENCE_LIMIT",
    "landscape",
    "basin_of",
    "Trajectory",
    "optimize_and_plot",
    "DEFAULT_OPTIMIZERS",
    "compare_optimizers",
]

# Roots of 4x^2 + 3x - 10 = 0 by the quadratic formula (the other root of f' is x = 0).
_DISCRIMINANT = math.sqrt(3.0**2 + 4 * 4.0 * 10.0)
GLOBAL_MIN: float = (-3.0 - _DISCRIMINANT) / (2 * 4.0)  # -2.0
LOCAL_MIN: float = (-3.0 + _DISCRIMINANT) / (2 * 4.0)  # 1.25
HILL_TOP: float = 0.0
# Past this distance from the origin the quartic's slope throws x further out at every step.
DIVERGENCE_LIMIT: float = 1e6

_BASIN_WORDS = {
    "global": f"x < 0, the valley of the global minimum near {GLOBAL_MIN:g}",
    "local": f"x > 0, the valley of the local minimum near {LOCAL_MIN:g}",
    "peak": "exactly on the hill top at x = 0",
    "diverged": "x blew up to a huge value, infinity or nan",
}


def landscape(x: Any) -> Any:
    """Return f(x) = x^4 + x^3 - 5x^2 for a number or a tensor."""
    return x**4 + x**3 - 5 * x**2


def basin_of(x: float) -> str:
    """Name the basin that point ``x`` lies in: "global", "local", "peak" (x == 0) or "diverged"."""
    if not math.isfinite(x) or abs(x) > DIVERGENCE_LIMIT:
        return "diverged"
    if x < HILL_TOP:
        return "global"
    if x > HILL_TOP:
        return "local"
    return "peak"


@dataclass(frozen=True)
class Trajectory:
    """The points one ``optimize_and_plot`` run visited.

    ``xs[0]`` is the start and ``xs[i]`` the position after step ``i``; ``losses[i]`` is
    f(``xs[i]``). Both lists hold ``n_steps + 1`` floats. ``lr`` is the optimizer's (first)
    learning rate, ``momentum`` its momentum (0 for optimizers without one, such as Adam), and
    ``optimizer`` the name of its class. ``ax`` is the Axes it was drawn on.
    """

    xs: list[float]
    losses: list[float]
    lr: float
    momentum: float
    ax: Any = field(default=None, repr=False, compare=False)
    optimizer: str = "SGD"

    @property
    def n_steps(self) -> int:
        """Number of optimizer steps taken."""
        return len(self.xs) - 1

    @property
    def final_x(self) -> float:
        """Where x ended after the last step."""
        return self.xs[-1]

    @property
    def final_loss(self) -> float:
        """f at the final x."""
        return self.losses[-1]

    @property
    def diverged(self) -> bool:
        """True when some step reached nan, infinity or a value beyond ``DIVERGENCE_LIMIT``."""
        return any(basin_of(x) == "diverged" for x in self.xs)

    @property
    def basin(self) -> str:
        """Where the run ended: "global" (x < 0), "local" (x > 0), "diverged", or "peak" (x == 0)."""
        return "diverged" if self.diverged else basin_of(self.final_x)

    @property
    def description(self) -> str:
        """One sentence a student can read, e.g. for a test message."""
        return _BASIN_WORDS[self.basin]


def _check_number(value: Any, name: str, example: str) -> float:
    if isinstance(value, torch.Tensor) and value.numel() == 1 and value.is_floating_point():
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number like {example}, got {type(value).__name__} {value!r}.")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}.")
    return value


def _check_arguments(lr: Any, momentum: Any, n_steps: Any, x0: Any) -> tuple[float, float, int, float]:
    lr = _check_number(lr, "lr", "0.05")
    momentum = _check_number(momentum, "momentum", "0.9")
    x0 = _check_number(x0, "x0", "2.0")
    if lr < 0:
        raise ValueError(f"lr must be zero or positive, got {lr:g}; a negative lr climbs uphill.")
    if momentum < 0:
        raise ValueError(f"momentum must be zero or positive, got {momentum:g}.")
    if isinstance(n_steps, bool) or not isinstance(n_steps, Integral):
        raise TypeError(f"n_steps must be a whole number like 10, got {type(n_steps).__name__} {n_steps!r}.")
    if n_steps < 0:
        raise ValueError(f"n_steps must be zero or positive, got {n_steps}.")
    return lr, momentum, int(n_steps), x0


def _run(
    make_optimizer: Callable[[list[torch.Tensor]], Any], n_steps: int, x0: float
) -> tuple[list[float], list[float], Any]:
    """Take ``n_steps`` steps of the optimizer ``make_optimizer([x])`` on f from ``x0``.

    Returns the xs, the losses and the optimizer.
    """
    x = torch.tensor(x0, requires_grad=True)
    optimizer = make_optimizer([x])
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError("each optimizer must be a function of the parameters that returns a torch.optim "
                        f"optimizer, e.g. lambda params: torch.optim.Adam(params, lr=0.1); got {optimizer!r}.")
    xs, losses = [x0], []
    for _ in range(n_steps):
        optimizer.zero_grad()
        loss = landscape(x)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        xs.append(x.item())
    with torch.no_grad():
        losses.append(landscape(x).item())
    return xs, losses, optimizer


def _visible(x: float, window: float = 4.0) -> bool:
    """True for a finite x inside the interesting part of the valley (far-flung points squash it flat)."""
    return math.isfinite(x) and abs(x) <= window


def _draw(ax: Any, trajectory: Trajectory, x0: float, zoom: bool = False) -> None:
    shown = [x for x in trajectory.xs if _visible(x)]
    if zoom and shown:
        margin = max(0.1 * (max(shown) - min(shown)), 0.05)
        low, high = min(shown) - margin, max(shown) + margin
    else:
        low = min([-2.8, *shown]) - 0.2
        high = max([2.3, *shown]) + 0.2
    grid = torch.linspace(low, high, 400, dtype=torch.float64)
    curve = landscape(grid)
    ax.plot(grid.numpy(), curve.numpy(), color="0.3", lw=1.5, label="f(x)")
    minima = [m for m in (GLOBAL_MIN, LOCAL_MIN) if low <= m <= high]
    if minima:
        ax.plot(minima, [landscape(m) for m in minima], "x", color="0.5", ms=8, label="minima")

    points = [(x, landscape(x)) for x in trajectory.xs]
    for (xa, ya), (xb, yb) in zip(points, points[1:]):
        if _visible(xa) and _visible(xb):
            ax.annotate("", xy=(xb, yb), xytext=(xa, ya),
                        arrowprops={"arrowstyle": "->", "color": "tab:orange", "lw": 1.2})
    inside = [(x, y) for x, y in points if _visible(x)]
    if inside:
        ax.plot([p[0] for p in inside], [p[1] for p in inside], "o", color="tab:orange", ms=4, zorder=3,
                label="steps")
    if _visible(x0):
        ax.plot([x0], [landscape(x0)], "o", color="tab:green", ms=10, zorder=4, label=f"start x = {x0:g}")
    end = trajectory.final_x
    if trajectory.diverged:
        ax.text(0.5, 0.04, "diverged: x flew off to infinity", transform=ax.transAxes, ha="center",
                color="tab:red", fontsize=11)
    elif _visible(end):
        ax.plot([end], [landscape(end)], "*", color="tab:red", ms=15, zorder=5, label=f"end x = {end:.3f}")
    if zoom:
        ys = [float(v) for v in curve]
        pad = 0.08 * (max(ys) - min(ys)) or 0.1
        ax.set_xlim(low, high)
        ax.set_ylim(min(ys) - pad, max(ys) + pad)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x) = x^4 + x^3 - 5x^2")
    ax.set_title(f"{trajectory.optimizer} lr={trajectory.lr:g}, momentum={trajectory.momentum:g}: "
                 f"{trajectory.n_steps} steps -> {trajectory.basin}" + (" (zoomed in)" if zoom else ""))
    legend_below(ax)


def optimize_and_plot(
    lr: float = 0.01, momentum: float = 0.0, n_steps: int = 10, x0: float = 2.0, ax: Any = None, zoom: bool = False
) -> Trajectory:
    """Run SGD on f(x) = x^4 + x^3 - 5x^2 from ``x0``, draw f and each step, return the steps.

    ``lr`` and ``momentum`` go straight to ``torch.optim.SGD``. Draws on ``ax`` if given,
    otherwise on a new figure; ``zoom=True`` shows only the stretch of the valley the steps
    visited, so that small jumps are visible. The legend sits under the Axes. The returned
    ``Trajectory`` has ``xs`` and ``losses`` (``n_steps + 1`` floats each), ``final_x`` and
    ``basin`` ("global", "local" or "diverged").
    """
    lr, momentum, n_steps, x0 = _check_arguments(lr, momentum, n_steps, x0)
    xs, losses, _ = _run(lambda params: torch.optim.SGD(params, lr=lr, momentum=momentum), n_steps, x0)
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7, 4))
    trajectory = Trajectory(xs=xs, losses=losses, lr=lr, momentum=momentum, ax=ax)
    _draw(ax, trajectory, x0, zoom=bool(zoom))
    return trajectory


# The four optimizers the lessons compare on the valley: plain SGD, momentum, Nesterov momentum, Adam.
DEFAULT_OPTIMIZERS: dict[str, Callable[[Iterable[torch.Tensor]], torch.optim.Optimizer]] = {
    "SGD lr=0.01": lambda params: torch.optim.SGD(params, lr=0.01),
    "SGD lr=0.01, momentum=0.9": lambda params: torch.optim.SGD(params, lr=0.01, momentum=0.9),
    "Nesterov lr=0.01, momentum=0.9": lambda params: torch.optim.SGD(params, lr=0.01, momentum=0.9, nesterov=True),
    "Adam lr=0.3": lambda params: torch.optim.Adam(params, lr=0.3),
}


def compare_optimizers(
    optimizers: Mapping[str, Callable[[list[torch.Tensor]], Any]] | None = None,
    n_steps: int = 30,
    x0: float = 2.0,
    ax: Any = None,
) -> dict[str, Trajectory]:
    """Run several optimizers on f(x) = x^4 + x^3 - 5x^2 from the same ``x0`` and draw x after each step.

    ``optimizers`` maps a label to a function that builds the optimizer from a list of parameters,
    e.g. ``{"Adam lr=0.3": lambda params: torch.optim.Adam(params, lr=0.3)}``; the default is
    ``DEFAULT_OPTIMIZERS`` (SGD, SGD with momentum 0.9, Nesterov momentum 0.9 and Adam). Draws one
    line per optimizer (the step number across, x up) with the two minima and the hill top marked,
    on ``ax`` or a new figure, legend under the Axes. Returns one ``Trajectory`` per label, in order.
    Raises ``ValueError`` for an empty mapping and ``TypeError`` when a function does not return an
    optimizer.
    """
    optimizers = DEFAULT_OPTIMIZERS if optimizers is None else optimizers
    if not isinstance(optimizers, Mapping) or not optimizers:
        raise ValueError("optimizers must be a non-empty dict {label: function of the parameters}.")
    _, _, n_steps, x0 = _check_arguments(0.0, 0.0, n_steps, x0)
    results = []
    for label, make_optimizer in optimizers.items():
        if not callable(make_optimizer):
            raise TypeError(f"optimizers[{label!r}] must be a function of the parameters, got {make_optimizer!r}.")
        results.append((str(label), *_run(make_optimizer, n_steps, x0)))
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(8, 4))
    runs: dict[str, Trajectory] = {}
    steps = list(range(n_steps + 1))
    for label, xs, losses, optimizer in results:
        group = optimizer.param_groups[0]
        runs[label] = Trajectory(xs=xs, losses=losses, lr=float(group["lr"]),
                                 momentum=float(group.get("momentum", 0.0)),
                                 ax=ax, optimizer=type(optimizer).__name__)
        ax.plot(steps, [x if _visible(x) else math.nan for x in xs], marker="o", ms=3, lw=1.2, label=label)
    for level, words in ((GLOBAL_MIN, "global minimum"), (HILL_TOP, "hill top"), (LOCAL_MIN, "local minimum")):
        ax.axhline(level, color="0.6", lw=0.8, ls=":")
        ax.text(n_steps, level, f" {words} ({level:g})", va="center", ha="left", fontsize=8, color="0.4")
    ax.set_xlim(0, n_steps)
    ax.set_ylim(min(-3.0, x0 - 0.4), max(2.6, x0 + 0.4))
    ax.set_xlabel("step")
    ax.set_ylabel("x")
    ax.set_title(f"The same valley, the same start x = {x0:g}: where each optimizer takes x")
    legend_below(ax, ncol=2)
    return runs
