"""helpers.checks.training: losses going down, where an optimizer run ended, which parameters a step
changed, and a student's training loop compared with a correct run."""

from __future__ import annotations

import copy

import pytest
import torch
from torch import nn, optim

from helpers import optimize_and_plot
from helpers.checks import check_basin, check_decreased, check_frozen_after_step, check_parameters_match

pytestmark = pytest.mark.usefixtures("close_figures")  # optimize_and_plot draws


def test_check_decreased(fails_with):
    check_decreased([3.0, 2.0, 1.0], name="losses")
    check_decreased(torch.tensor([3.0, 1.0]), name="losses", factor=0.5)
    assert fails_with(check_decreased, [1.0, 2.0], name="losses", hints={"values": "did you call zero_grad()?"}) == (
        "`losses` went from 1 to 2; expected it to go down.\nHint: did you call zero_grad()?"
    )
    assert fails_with(check_decreased, [1.0], name="losses") == (
        "`losses` has 1 values; record one value per epoch or step."
    )
    assert "below 0.5 x the start" in fails_with(check_decreased, [1.0, 0.9], name="losses", factor=0.5)
    import numpy as np

    check_decreased(np.array([3.0, 1.0]), name="losses")
    check_decreased([torch.tensor(3.0), np.float32(1.0)], name="losses")
    assert fails_with(check_decreased, [3.0, "1.0"], name="losses") == (
        "`losses` should hold numbers, one per epoch or step; it holds a str."
    )
    assert fails_with(check_decreased, 3.0, name="losses") == "`losses` is a float, expected a list or tuple."


# check_basin --------------------------------------------------------------------------------------


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


# check_frozen_after_step --------------------------------------------------------------------------


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


# check_parameters_match ---------------------------------------------------------------------------


def trained(model: nn.Module, *, clear: bool = True, steps: int = 3) -> nn.Module:
    """A copy of `model` after a few full-batch SGD steps (without zero_grad when clear=False)."""
    model = copy.deepcopy(model)
    generator = torch.Generator().manual_seed(0)
    x, y = torch.randn(8, 3, generator=generator), torch.randn(8, 1, generator=generator)
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    for _ in range(steps):
        if clear:
            optimizer.zero_grad()
        nn.MSELoss()(model(x), y).backward()
        optimizer.step()
    return model


@pytest.fixture
def start() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 2), nn.Linear(2, 1))


def test_check_parameters_match_passes_when_the_parameters_match(start):
    check_parameters_match(trained(start), trained(start), name="model")


def test_check_parameters_match_tolerates_tiny_float_differences(start):
    student = trained(start)
    with torch.no_grad():
        student[0].weight.add_(1e-7)
    check_parameters_match(student, trained(start), name="model")


def test_check_parameters_match_names_the_first_parameter_that_differs(start):
    student = trained(start)
    with torch.no_grad():
        student[1].bias.add_(0.5)
    with pytest.raises(AssertionError) as err:
        check_parameters_match(student, trained(start), name="net", hints={"values": "Call zero_grad()."})
    assert str(err.value) == (
        "Parameter `1.bias` of `net` differs from a correct run started from the same weights "
        "(largest difference 0.5).\nHint: Call zero_grad()."
    )


def test_check_parameters_match_a_known_mistake_gets_its_own_hint(start):
    forgot = trained(start, clear=False)
    with pytest.raises(AssertionError) as err:
        check_parameters_match(trained(start, clear=False), trained(start), name="net",
                               mistakes={"Did you call zero_grad()?": forgot, "Did you call step()?": start},
                               hints={"values": "generic hint"})
    assert str(err.value) == (
        "The parameters of `net` are not what a correct run gives from the same start.\n"
        "Hint: Did you call zero_grad()?"
    )


def test_check_parameters_match_an_untrained_model_matches_the_untrained_mistake(start):
    with pytest.raises(AssertionError, match=r"Hint: Did you call step\(\)\?"):
        check_parameters_match(copy.deepcopy(start), trained(start), name="net",
                               mistakes={"Did you call zero_grad()?": trained(start, clear=False),
                                         "Did you call step()?": start})


def test_check_parameters_match_a_mistake_that_equals_the_right_answer_is_ignored(start):
    # with one step, forgetting zero_grad changes nothing, so that sentence must not be used
    right = trained(start, steps=1)
    student = copy.deepcopy(right)
    with torch.no_grad():
        student[0].bias.add_(1.0)
    with pytest.raises(AssertionError) as err:
        check_parameters_match(student, right, name="net",
                               mistakes={"Did you call zero_grad()?": trained(start, clear=False, steps=1)})
    assert "zero_grad" not in str(err.value)
    assert str(err.value).startswith("Parameter `0.bias` of `net` differs")


def test_check_parameters_match_a_different_architecture_is_reported(start):
    other = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 1))
    with pytest.raises(AssertionError) as err:
        check_parameters_match(other, trained(start), name="net")
    assert str(err.value) == (
        "`net` no longer has the layers it started with; train the model you were given instead of building a new one."
    )


def test_check_parameters_match_not_a_model(start):
    with pytest.raises(AssertionError, match=r"^`net` is a list, expected a Module\.$"):
        check_parameters_match([1, 2], trained(start), name="net")
    with pytest.raises(AssertionError, match=r"`net` is None"):
        check_parameters_match(None, trained(start), name="net")


def test_check_parameters_match_nan_parameters_never_match(start):
    student = trained(start)
    with torch.no_grad():
        student[0].weight.fill_(float("nan"))
    with pytest.raises(AssertionError, match="`0.weight`"):
        check_parameters_match(student, trained(start), name="net")


def test_check_parameters_match_the_models_are_not_changed(start):
    student, reference = trained(start), trained(start)
    before = [p.detach().clone() for p in student.parameters()]
    check_parameters_match(student, reference, name="net")
    assert all(torch.equal(a, b) for a, b in zip(before, student.parameters()))
