"""Diagram helpers return what they drew, draw on the Axes they are given, and reject bad input clearly."""

import matplotlib.pyplot as plt
import pytest

from helpers.diagrams import TRAINING_STEPS, draw_backprop, draw_training_cycle, draw_transfer

pytestmark = pytest.mark.usefixtures("close_figures")


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_training_cycle_draws_the_four_steps_in_order_with_their_code():
    drawing = draw_training_cycle()
    assert [name for name, _ in drawing.steps] == ["forward pass", "loss", "backward pass", "step"]
    assert drawing.n_arrows == 4
    labels = _texts(drawing.ax)
    for i, (name, code) in enumerate(TRAINING_STEPS, start=1):
        assert f"{i}. {name}\n{code}" in labels
    assert "next batch" in labels
    # clockwise from the top: forward pass above, backward pass below
    (_, y_forward), _, (_, y_backward), _ = drawing.positions
    assert y_forward > 0 > y_backward


def test_training_cycle_draws_on_the_given_axes_and_takes_other_steps():
    fig, ax = plt.subplots()
    drawing = draw_training_cycle(ax=ax, steps=[("a", "f()"), ("b", "g()"), ("c", "h()")])
    assert drawing.ax is ax
    assert drawing.n_arrows == len(drawing.positions) == 3
    assert len(fig.axes) == 1


def test_training_cycle_needs_two_steps():
    with pytest.raises(ValueError, match="at least two steps"):
        draw_training_cycle(steps=[("only", "x")])


def test_backprop_computes_the_last_layer_first():
    drawing = draw_backprop(["Linear 0", "Linear 1", "Linear 2"])
    assert drawing.order == [2, 1, 0]
    labels = _texts(drawing.ax)
    assert "1. gradient of Linear 2" in labels and "3. gradient of Linear 0" in labels
    assert {"input x", "loss"} <= set(labels)


def test_backprop_on_the_given_axes_with_one_layer():
    fig, ax = plt.subplots()
    drawing = draw_backprop(["only layer"], ax=ax)
    assert drawing.ax is ax and drawing.order == [0]


def test_backprop_needs_a_layer():
    with pytest.raises(ValueError, match="at least one layer"):
        draw_backprop([])


def test_transfer_keeps_the_body_and_swaps_the_head():
    drawing = draw_transfer([64, 64, 32, 10], new_outputs=2, n_frozen=1)
    assert drawing.boxes == [("64 inputs", "input"), ("Linear(64, 64)", "frozen"), ("Linear(64, 32)", "body"),
                             ("Linear(32, 10)", "old head"), ("Linear(32, 2)", "new head")]
    labels = _texts(drawing.ax)
    assert any(text.startswith("Linear(32, 2)") for text in labels)
    assert any("load_state_dict" in text for text in labels)


def test_transfer_without_frozen_layers_on_the_given_axes():
    fig, ax = plt.subplots()
    drawing = draw_transfer([8, 4, 3], new_outputs=1, ax=ax)
    assert drawing.ax is ax
    assert [role for _, role in drawing.boxes] == ["input", "body", "old head", "new head"]


@pytest.mark.parametrize("kwargs, message", [
    ({"layer_sizes": [8, 3], "new_outputs": 2}, "at least three positive sizes"),
    ({"layer_sizes": [8, 0, 3], "new_outputs": 2}, "at least three positive sizes"),
    ({"layer_sizes": [8, 4, 3], "new_outputs": 0}, "new_outputs must be positive"),
    ({"layer_sizes": [8, 4, 3], "new_outputs": 2, "n_frozen": 2}, "n_frozen must be between 0 and 1"),
])
def test_transfer_rejects_bad_sizes(kwargs, message):
    with pytest.raises(ValueError, match=message):
        draw_transfer(**kwargs)
