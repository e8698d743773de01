"""Tests for the checkers that Days 10-11 append: check_basin and check_frozen_after_step."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
import torch
from torch import nn

from helpers import optimize_and_plot
from helpers.checks import check_basin, check_frozen_after_step


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


HINTS = {"local": "try a larger lr", "diverged": "try a smaller lr", "type": "call optimize_and_plot"}


def test_check_basin_passes_when_the_basin_matches():
    check_basin(optimize_and_plot(lr=0.1), "global", name="run")
    check_basin(optimize_and_plot(lr=0.01), "local", name="run")
    check_basin(optimize_and_plot(lr=0.5), "diverged", name="run")


def test_check_basin_reports_the_local_basin_with_its_hint():
    with pytest.raises(AssertionError) as err:
        check_basin(optimize_and_plot(lr=0.05), "global", name="optimize_and_plot(lr=0.05)", hints=HINTS)
    message = str(err.value)
    assert message.startswith("`optimize_and_plot(lr=0.05)` ended at x = 1.25 after 10 steps, in the local basin")
    assert "expected the global basin (x < 0, near -2.0)" in message
    assert message.endswith("Hint: try a larger lr")


def test_check_basin_reports_divergence_with_its_hint():
    with pytest.raises(AssertionError) as err:
        check_basin(optimize_and_plot(lr=0.3), "global", name="run", hints=HINTS)
    message = str(err.value)
    assert message.startswith("`run` diverged within 10 steps")
    assert message.endswith("Hint: try a smaller lr")


def test_check_basin_without_a_matching_hint_has_no_hint_line():
    with pytest.raises(AssertionError) as err:
        check_basin(optimize_and_plot(lr=0.1), "local", name="run", hints=HINTS)
    assert "in the global basin" in str(err.value)
    assert "Hint" not in str(err.value)


def test_check_basin_rejects_something_that_is_not_a_trajectory():
    with pytest.raises(AssertionError, match=r"`run` is a float, expected the Trajectory") as err:
        check_basin(1.25, "local", name="run", hints=HINTS)
    assert str(err.value).endswith("Hint: call optimize_and_plot")


def _model_and_snapshot():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    return model, before


def _step(model):
    optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.1)
    loss = model(torch.randn(8, 3)).pow(2).mean()
    loss.backward()
    optimizer.step()


FROZEN_HINTS = {"frozen": "set requires_grad on each parameter", "trainable": "freeze only the first layer"}


def test_check_frozen_after_step_passes_for_a_correct_freeze():
    model, before = _model_and_snapshot()
    for name, param in model.named_parameters():
        if name.startswith("0."):
            param.requires_grad = False
    _step(model)
    check_frozen_after_step(before, model, ["0.weight", "0.bias"], name="model")


def test_check_frozen_after_step_catches_a_frozen_parameter_that_changed():
    model, before = _model_and_snapshot()
    model[0].requires_grad = False  # the classic mistake: sets a plain attribute, freezes nothing
    _step(model)
    with pytest.raises(AssertionError) as err:
        check_frozen_after_step(before, model, ["0.weight", "0.bias"], name="model", hints=FROZEN_HINTS)
    message = str(err.value)
    assert message.startswith("`0.weight` of `model` changed during the optimizer step, but it should be frozen")
    assert message.endswith("Hint: set requires_grad on each parameter")


def test_check_frozen_after_step_catches_a_trainable_parameter_that_did_not_change():
    model, before = _model_and_snapshot()
    for param in model.parameters():
        param.requires_grad = False
    model[2].bias.requires_grad = True
    _step(model)
    with pytest.raises(AssertionError) as err:
        check_frozen_after_step(before, model, ["0.weight", "0.bias"], name="model", hints=FROZEN_HINTS)
    message = str(err.value)
    assert message.startswith("`2.weight` of `model` did not change during the optimizer step")
    assert message.endswith("Hint: freeze only the first layer")


def test_check_frozen_after_step_names_an_unknown_parameter():
    model, before = _model_and_snapshot()
    _step(model)
    with pytest.raises(AssertionError, match=r"has no parameter named 'layer0.weight'"):
        check_frozen_after_step(before, model, ["layer0.weight"], name="model")
