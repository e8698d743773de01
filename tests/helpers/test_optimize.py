"""Tests for helpers.optimize: SGD on f(x) = x^4 + x^3 - 5x^2 and the basin it ends in."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pytest
import torch

from helpers import optimize_and_plot
from helpers.optimize import (
    DEFAULT_OPTIMIZERS,
    GLOBAL_MIN,
    LOCAL_MIN,
    Trajectory,
    basin_of,
    compare_optimizers,
    landscape,
)

pytestmark = pytest.mark.usefixtures("close_figures")


def _slope(x: float) -> float:
    return 4 * x**3 + 3 * x**2 - 10 * x


def test_minima_are_where_the_slope_is_zero():
    assert GLOBAL_MIN == pytest.approx(-2.0)
    assert LOCAL_MIN == pytest.approx(1.25)
    assert _slope(GLOBAL_MIN) == pytest.approx(0.0, abs=1e-9)
    assert _slope(LOCAL_MIN) == pytest.approx(0.0, abs=1e-9)
    assert landscape(GLOBAL_MIN) < landscape(LOCAL_MIN) < landscape(0.0)


def test_default_run_ends_in_the_local_basin():
    traj = optimize_and_plot()
    assert isinstance(traj, Trajectory)
    assert traj.basin == "local"
    assert abs(traj.final_x - LOCAL_MIN) < 0.1
    assert traj.lr == 0.01 and traj.momentum == 0.0


def test_first_step_is_lr_times_gradient():
    traj = optimize_and_plot(lr=0.01, n_steps=1)
    assert traj.xs[1] == pytest.approx(2.0 - 0.01 * _slope(2.0), abs=1e-5)  # 2 - 0.24 = 1.76


def test_momentum_matches_the_velocity_formula():
    lr, m = 0.01, 0.9
    traj = optimize_and_plot(lr=lr, momentum=m, n_steps=3)
    x, v = 2.0, 0.0
    for i in range(3):
        v = m * v + _slope(x)
        x = x - lr * v
        assert traj.xs[i + 1] == pytest.approx(x, abs=1e-4)


def test_returned_lengths_and_losses():
    traj = optimize_and_plot(lr=0.05, n_steps=7)
    assert len(traj.xs) == len(traj.losses) == 8
    assert traj.n_steps == 7
    assert traj.xs[0] == 2.0
    for x, loss in zip(traj.xs, traj.losses):
        assert loss == pytest.approx(landscape(x), rel=1e-4, abs=1e-4)
    assert traj.final_loss == traj.losses[-1]
    assert all(isinstance(v, float) for v in traj.xs + traj.losses)


def test_zero_steps_returns_only_the_start():
    traj = optimize_and_plot(n_steps=0, x0=-1.0)
    assert traj.xs == [-1.0]
    assert traj.losses == [pytest.approx(landscape(-1.0))]
    assert traj.basin == "global"


def test_a_larger_lr_reaches_the_global_basin_in_ten_steps():
    traj = optimize_and_plot(lr=0.1)
    assert traj.basin == "global"
    assert traj.final_x < 0


@pytest.mark.parametrize("lr", [0.03, 0.05, 0.08])
def test_moderate_lrs_settle_in_the_local_minimum(lr):
    assert optimize_and_plot(lr=lr).basin == "local"


def test_momentum_escapes_the_local_minimum_with_lr_001_in_20_steps():
    without = optimize_and_plot(lr=0.01, n_steps=20)
    assert without.basin == "local"
    assert optimize_and_plot(lr=0.01, momentum=0.5, n_steps=20).basin == "local"
    escaped = optimize_and_plot(lr=0.01, momentum=0.95, n_steps=20)
    assert escaped.basin == "global"


def test_keyword_call_with_momentum_only():
    traj = optimize_and_plot(momentum=0.9)
    assert len(traj.xs) == 11
    assert traj.basin in {"local", "global"}


def test_divergence_is_detected_and_drawn_without_error():
    traj = optimize_and_plot(lr=0.5)
    assert traj.diverged
    assert traj.basin == "diverged"
    assert len(traj.xs) == 11
    assert any(not math.isfinite(x) or abs(x) > 1e6 for x in traj.xs)
    assert "diverged" in traj.ax.get_title()


def test_basin_of_names_each_region():
    assert basin_of(-2.0) == "global"
    assert basin_of(1.3) == "local"
    assert basin_of(0.0) == "peak"
    assert basin_of(float("nan")) == "diverged"
    assert basin_of(float("-inf")) == "diverged"
    assert basin_of(1e9) == "diverged"


def test_draws_on_the_given_ax_and_reuses_it():
    fig, axes = plt.subplots(1, 2)
    first = optimize_and_plot(lr=0.01, ax=axes[0])
    second = optimize_and_plot(lr=0.1, ax=axes[1])
    assert first.ax is axes[0] and second.ax is axes[1]
    assert len(fig.axes) == 2
    assert "lr=0.01" in axes[0].get_title() and "lr=0.1" in axes[1].get_title()
    assert "momentum=0" in axes[0].get_title()
    assert len(axes[0].lines) >= 3  # curve, steps, start/end markers
    assert len(axes[0].texts) >= 10  # one arrow per step
    lines_before = len(axes[0].lines)
    optimize_and_plot(lr=0.02, ax=axes[0])
    assert len(axes[0].lines) > lines_before
    assert len(plt.get_fignums()) == 1


def test_new_figure_when_no_ax_given():
    before = set(plt.get_fignums())
    traj = optimize_and_plot(n_steps=2)
    assert traj.ax is not None
    assert set(plt.get_fignums()) - before


def test_start_and_end_are_marked_in_the_legend():
    traj = optimize_and_plot(lr=0.1)
    labels = [t.get_text() for t in traj.ax.get_legend().get_texts()]
    assert any(label.startswith("start") for label in labels)
    assert any(label.startswith("end") for label in labels)


def test_no_side_effects_on_global_state():
    torch.manual_seed(123)
    expected = torch.rand(1)
    torch.manual_seed(123)
    grad_mode = torch.is_grad_enabled()
    optimize_and_plot(lr=0.05)
    assert torch.is_grad_enabled() == grad_mode
    assert torch.equal(torch.rand(1), expected)  # no random numbers drawn


def test_accepts_numpy_and_tensor_numbers():
    import numpy as np

    traj = optimize_and_plot(lr=np.float64(0.1), n_steps=np.int64(10), x0=torch.tensor(2.0))
    assert traj.basin == "global"


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"lr": "0.1"}, TypeError, "lr must be a number"),
        ({"lr": -0.1}, ValueError, "lr must be zero or positive"),
        ({"momentum": -0.5}, ValueError, "momentum"),
        ({"n_steps": 10.0}, TypeError, "n_steps must be a whole number"),
        ({"n_steps": -1}, ValueError, "n_steps"),
        ({"x0": float("nan")}, ValueError, "x0 must be a finite number"),
        ({"lr": True}, TypeError, "lr must be a number"),
    ],
)
def test_bad_arguments_get_clear_errors(kwargs, error, text):
    with pytest.raises(error, match=text):
        optimize_and_plot(**kwargs)


def _legend_clear_of_axes(ax):
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    return not ax.get_legend().get_window_extent(renderer).overlaps(ax.get_window_extent(renderer))


def test_legends_do_not_cover_the_valley_in_a_three_panel_figure():
    fig, axes = plt.subplots(1, 3, figsize=(16, 4))
    for ax, lr in zip(axes, [0.001, 0.05, 0.2]):
        optimize_and_plot(lr=lr, ax=ax)
    fig.tight_layout()
    assert all(_legend_clear_of_axes(ax) for ax in axes)


def test_zoom_shows_only_the_stretch_the_steps_visited():
    traj = optimize_and_plot(lr=0.13, n_steps=10, x0=1.3, zoom=True)
    low, high = traj.ax.get_xlim()
    assert low <= min(traj.xs) and max(traj.xs) <= high
    assert high - low < 0.5  # the whole valley would be about 5 wide
    bottom, top = traj.ax.get_ylim()
    assert bottom <= min(traj.losses) and max(traj.losses) <= top
    assert top - bottom < 1.0
    assert "zoomed" in traj.ax.get_title()
    wide = optimize_and_plot(lr=0.13, n_steps=10, x0=1.3)
    assert wide.ax.get_xlim()[1] - wide.ax.get_xlim()[0] > 4.0


def test_compare_optimizers_runs_each_from_the_same_start():
    runs = compare_optimizers(n_steps=30)
    assert list(runs) == list(DEFAULT_OPTIMIZERS)
    assert all(run.xs[0] == 2.0 and run.n_steps == 30 for run in runs.values())
    sgd, momentum, nesterov, adam = runs.values()
    assert sgd.xs == optimize_and_plot(lr=0.01, n_steps=30).xs
    assert momentum.xs == optimize_and_plot(lr=0.01, momentum=0.9, n_steps=30).xs
    assert nesterov.xs != momentum.xs and nesterov.momentum == 0.9
    assert (adam.optimizer, adam.lr, adam.momentum) == ("Adam", 0.3, 0.0)
    assert adam.xs[1] == pytest.approx(2.0 - 0.3, abs=1e-5)  # Adam's first step is lr long, whatever the slope
    ax = sgd.ax
    assert all(run.ax is ax for run in runs.values())
    assert [line.get_label() for line in ax.lines[:4]] == list(DEFAULT_OPTIMIZERS)
    assert _legend_clear_of_axes(ax)


def test_compare_optimizers_on_the_given_axes_with_own_optimizers():
    fig, ax = plt.subplots()
    runs = compare_optimizers({"RMSprop": lambda p: torch.optim.RMSprop(p, lr=0.1)}, n_steps=5, x0=-1.0, ax=ax)
    assert list(runs) == ["RMSprop"] and runs["RMSprop"].ax is ax
    assert runs["RMSprop"].basin == "global"
    assert len(plt.get_fignums()) == 1


@pytest.mark.parametrize("optimizers, error, text", [
    ({}, ValueError, "non-empty"),
    ({"bad": 0.1}, TypeError, "must be a function"),
    ({"bad": lambda p: p}, TypeError, "torch.optim optimizer"),
])
def test_compare_optimizers_rejects_bad_optimizers(optimizers, error, text):
    with pytest.raises(error, match=text):
        compare_optimizers(optimizers)
