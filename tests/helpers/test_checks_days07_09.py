"""check_parameters_match: compares a student's trained model with a reference run, naming known mistakes."""

from __future__ import annotations

import copy

import pytest
import torch
from torch import nn, optim

from helpers.checks import check_parameters_match


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


def test_passes_when_the_parameters_match(start):
    check_parameters_match(trained(start), trained(start), name="model")


def test_tolerates_tiny_float_differences(start):
    student = trained(start)
    with torch.no_grad():
        student[0].weight.add_(1e-7)
    check_parameters_match(student, trained(start), name="model")


def test_names_the_first_parameter_that_differs(start):
    student = trained(start)
    with torch.no_grad():
        student[1].bias.add_(0.5)
    with pytest.raises(AssertionError) as err:
        check_parameters_match(student, trained(start), name="net", hints={"values": "Call zero_grad()."})
    assert str(err.value) == (
        "Parameter `1.bias` of `net` differs from a correct run started from the same weights "
        "(largest difference 0.5).\nHint: Call zero_grad()."
    )


def test_a_known_mistake_gets_its_own_hint(start):
    forgot = trained(start, clear=False)
    with pytest.raises(AssertionError) as err:
        check_parameters_match(trained(start, clear=False), trained(start), name="net",
                               mistakes={"Did you call zero_grad()?": forgot, "Did you call step()?": start},
                               hints={"values": "generic hint"})
    assert str(err.value) == (
        "The parameters of `net` are not what a correct run gives from the same start.\n"
        "Hint: Did you call zero_grad()?"
    )


def test_an_untrained_model_matches_the_untrained_mistake(start):
    with pytest.raises(AssertionError, match=r"Hint: Did you call step\(\)\?"):
        check_parameters_match(copy.deepcopy(start), trained(start), name="net",
                               mistakes={"Did you call zero_grad()?": trained(start, clear=False),
                                         "Did you call step()?": start})


def test_a_mistake_that_equals_the_right_answer_is_ignored(start):
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


def test_a_different_architecture_is_reported(start):
    other = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 1))
    with pytest.raises(AssertionError) as err:
        check_parameters_match(other, trained(start), name="net")
    assert str(err.value) == (
        "`net` no longer has the layers it started with; train the model you were given instead of building a new one."
    )


def test_not_a_model(start):
    with pytest.raises(AssertionError, match=r"^`net` is a list, expected a Module\.$"):
        check_parameters_match([1, 2], trained(start), name="net")
    with pytest.raises(AssertionError, match=r"`net` is None"):
        check_parameters_match(None, trained(start), name="net")


def test_nan_parameters_never_match(start):
    student = trained(start)
    with torch.no_grad():
        student[0].weight.fill_(float("nan"))
    with pytest.raises(AssertionError, match="`0.weight`"):
        check_parameters_match(student, trained(start), name="net")


def test_the_models_are_not_changed(start):
    student, reference = trained(start), trained(start)
    before = [p.detach().clone() for p in student.parameters()]
    check_parameters_match(student, reference, name="net")
    assert all(torch.equal(a, b) for a, b in zip(before, student.parameters()))
