"""Plot helpers return what they computed, draw on the Axes they are given, and reject bad input clearly."""

import matplotlib.pyplot as plt
import pytest
import torch
from torch import nn

from helpers.plots import draw_network, legend_below, plot_activation, plot_loss_curves, plot_softmax


def test_plot_activation_returns_sigmoid_and_its_gradient():
    curve = plot_activation(torch.sigmoid, x_range=(-6, 6), n_points=121)
    assert curve.x.shape == curve.y.shape == curve.grad.shape == (121,)
    assert torch.allclose(curve.grad, curve.y * (1 - curve.y), atol=1e-6)
    assert curve.grad.max().item() == pytest.approx(0.25, abs=1e-3)
    assert curve.grad[0].item() < 0.003  # saturated: the vanishing gradient the lessons show
    assert not curve.x.requires_grad


def test_plot_activation_draws_on_the_given_axes_with_a_module():
    fig, ax = plt.subplots()
    curve = plot_activation(nn.LeakyReLU(0.05), ax=ax, name="LeakyReLU")
    assert curve.ax is ax
    assert len(ax.lines) >= 2
    assert ax.get_title() == "LeakyReLU and its gradient"
    assert sorted(curve.grad.unique().tolist()) == pytest.approx([0.05, 1.0])
    plt.close(fig)


@pytest.mark.parametrize("kwargs, message", [
    ({"x_range": (1, -1)}, "low < high"),
    ({"n_points": 1}, "at least 2"),
])
def test_plot_activation_rejects_bad_ranges(kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_activation(torch.tanh, **kwargs)


def test_plot_activation_rejects_functions_that_change_shape():
    with pytest.raises(ValueError, match="element-wise"):
        plot_activation(lambda x: x.sum())


def test_plot_loss_curves_plots_each_series_without_changing_it():
    history = {"train": [3.0, 2.0, 1.5], "val": [3.2, 2.5, 2.4]}
    snapshot = {k: list(v) for k, v in history.items()}
    ax = plot_loss_curves(history)
    assert [line.get_label() for line in ax.lines] == ["train", "val"]
    assert list(ax.lines[0].get_xdata()) == [1, 2, 3]
    assert history == snapshot
    plt.close(ax.figure)


def test_plot_loss_curves_accepts_a_plain_list():
    ax = plot_loss_curves([1.0, 0.5])
    assert [line.get_label() for line in ax.lines] == ["loss"]
    plt.close(ax.figure)


def test_plot_loss_curves_rejects_empty_history():
    with pytest.raises(ValueError, match="no values"):
        plot_loss_curves({"train": []})


def test_draw_network_counts_weights_and_places_neurons():
    drawing = draw_network([8, 4, 2])
    assert drawing.n_connections == 8 * 4 + 4 * 2
    assert [len(column) for column in drawing.positions] == [8, 4, 2]
    plt.close(drawing.ax.figure)


def test_draw_network_caps_wide_layers():
    drawing = draw_network([100, 3], max_neurons=10)
    assert [len(column) for column in drawing.positions] == [10, 3]
    assert drawing.n_connections == 300
    plt.close(drawing.ax.figure)


@pytest.mark.parametrize("sizes", [[3], [3, 0]])
def test_draw_network_rejects_bad_sizes(sizes):
    with pytest.raises(ValueError, match="at least two positive sizes"):
        draw_network(sizes)


def _legend_clear_of_axes(ax):
    """The legend of ``ax`` and the Axes area (where the curves are) share no pixel once drawn."""
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    legend_box = ax.get_legend().get_window_extent(renderer)
    return not legend_box.overlaps(ax.get_window_extent(renderer))


def test_loss_curve_legends_sit_below_the_curves_in_a_three_panel_figure():
    fig, axes = plt.subplots(1, 3, figsize=(15, 4), sharey=True)
    for ax in axes:
        plot_loss_curves({"train": [3.0, 1.0, 0.2], "val": [3.0, 2.0, 2.9]}, ax=ax)
    fig.tight_layout()
    assert all(_legend_clear_of_axes(ax) for ax in axes)
    plt.close(fig)


def test_legend_below_needs_labels():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    assert legend_below(ax) is None
    ax.plot([0, 1], [1, 0], label="down")
    legend = legend_below(ax)
    assert [t.get_text() for t in legend.get_texts()] == ["down"]
    plt.close(fig)


def test_plot_softmax_returns_the_probabilities_it_drew():
    logits = torch.tensor([1.2, 3.5, 0.8])
    bars = plot_softmax(logits, class_names=["cat", "dog", "bird"])
    assert torch.allclose(bars.probabilities, torch.tensor([0.0859, 0.8566, 0.0576]), atol=1e-4)
    assert bars.probabilities.sum().item() == pytest.approx(1.0)
    left, right = bars.axes
    assert [p.get_height() for p in left.patches] == pytest.approx([1.2, 3.5, 0.8])
    assert [p.get_height() for p in right.patches] == pytest.approx(bars.probabilities.tolist())
    assert [t.get_text() for t in right.get_xticklabels()] == ["cat", "dog", "bird"]
    assert "0.857" in [t.get_text() for t in right.texts]
    assert torch.equal(logits, torch.tensor([1.2, 3.5, 0.8]))
    plt.close(left.figure)


def test_plot_softmax_draws_on_given_axes_from_a_list_and_leaves_the_input_alone():
    fig, axes = plt.subplots(1, 2)
    logits = torch.tensor([0.0, 0.0], requires_grad=True)
    bars = plot_softmax(logits, axes=axes)
    assert bars.axes == tuple(axes)
    assert bars.probabilities.tolist() == [0.5, 0.5]
    assert not bars.logits.requires_grad and logits.requires_grad
    assert [t.get_text() for t in axes[0].get_xticklabels()] == ["class 0", "class 1"]
    assert plot_softmax([2, 0]).logits.dtype == torch.float32
    plt.close("all")


@pytest.mark.parametrize("logits, names, message", [
    ([[1.0, 2.0]], None, "1-D tensor"),
    ([1.0, 2.0], ["a"], "1 names for 2 scores"),
])
def test_plot_softmax_rejects_bad_input(logits, names, message):
    with pytest.raises(ValueError, match=message):
        plot_softmax(logits, class_names=names)
