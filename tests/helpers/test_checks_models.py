"""helpers.checks.models: layers and models, their sizes and parameter counts, a trained model's accuracy."""

import pytest
import torch
from torch import nn

from helpers.checks import check_accuracy, check_layer_sizes, check_linear, check_module, check_parameter_count


def test_check_module_spots_a_class_that_was_not_called(fails_with):
    assert fails_with(check_module, nn.Linear, nn.Linear, name="layer") == (
        "`layer` is the class Linear itself; create a layer by calling it, e.g. Linear(...)."
    )
    assert fails_with(check_module, nn.ReLU(), nn.Linear, name="layer") == "`layer` is a ReLU, expected a Linear."


def test_check_linear(fails_with):
    check_linear(nn.Linear(3, 2), 3, 2, name="layer")
    assert fails_with(check_linear, nn.Linear(2, 3), 3, 2, name="layer") == (
        "`layer` is Linear(2, 3), expected Linear(3, 2). Did you swap in_features and out_features?"
    )
    assert fails_with(check_linear, nn.Linear(3, 2, bias=False), 3, 2, name="layer") == "`layer` should have a bias."


def test_check_layer_sizes(fails_with):
    check_layer_sizes(nn.Sequential(nn.Linear(10, 18), nn.ReLU(), nn.Linear(18, 5)), [10, 18, 5], name="model")
    broken = nn.Sequential(nn.Linear(92, 4), nn.Linear(4, 69), nn.Linear(269, 1))
    assert fails_with(check_layer_sizes, broken, [92, 4, 69, 1], name="model") == (
        "In `model`, Linear layer 1 outputs 69 features but layer 2 expects 269; "
        "each layer's in_features must equal the previous out_features."
    )
    assert fails_with(check_layer_sizes, nn.Sequential(nn.Linear(10, 5)), [10, 18, 5], name="model") == (
        "`model` has 1 Linear layers, expected 2."
    )
    wrong = nn.Sequential(nn.Linear(10, 20), nn.Linear(20, 5))
    assert fails_with(check_layer_sizes, wrong, [10, 18, 5], name="model") == (
        "`model` maps sizes 10 -> 20 -> 5, expected 10 -> 18 -> 5."
    )


def test_check_parameter_count(fails_with):
    model = nn.Sequential(nn.Linear(8, 4), nn.Linear(4, 2))
    check_parameter_count(model, 46, name="model")
    assert fails_with(check_parameter_count, model, 40, name="model") == "`model` has 46 parameters, expected 40."


def perfect_model():
    """Predicts class = index of the largest of the first three inputs."""
    model = nn.Linear(3, 3, bias=False)
    with torch.no_grad():
        model.weight.copy_(torch.eye(3))
    return model


def test_check_accuracy_returns_accuracy_and_restores_mode():
    model = perfect_model().train()
    X = torch.eye(3).repeat(4, 1)
    y = torch.tensor([0, 1, 2] * 4)
    assert check_accuracy(model, X, y, 0.9, name="model") == pytest.approx(1.0)
    assert model.training is True
    model.eval()
    y_wrong = y.clone()
    y_wrong[:3] = torch.tensor([1, 2, 0])
    assert check_accuracy(model, X, y_wrong, 0.7, name="model") == pytest.approx(0.75)
    assert model.training is False


def test_check_accuracy_below_the_bar_message():
    X = torch.eye(3).repeat(4, 1)
    y = torch.tensor([0, 1, 2] * 4)
    y[:6] = (y[:6] + 1) % 3
    with pytest.raises(AssertionError, match=r"^`model` classifies 50.0% of the 12 validation images correctly; "
                       r"at least 90% is needed.\nHint: train longer.$"):
        check_accuracy(perfect_model(), X, y, 0.9, name="model", what="validation images",
                       hints={"values": "train longer."})


def test_check_accuracy_wrong_output_shape_and_errors():
    with pytest.raises(AssertionError,
                       match=r"one row of class scores per input, shape \(12, number of classes\); got \(12,\)"):
        check_accuracy(nn.Sequential(nn.Linear(3, 1), nn.Flatten(0)), torch.eye(3).repeat(4, 1),
                       torch.zeros(12, dtype=torch.long), 0.5, name="model")
    with pytest.raises(AssertionError, match=r"`model\(X\)` raised RuntimeError"):
        check_accuracy(perfect_model(), torch.zeros(2, 5), torch.zeros(2, dtype=torch.long), 0.5, name="model")
    with pytest.raises(AssertionError, match="`model` is a str"):
        check_accuracy("model", torch.zeros(2, 3), torch.zeros(2, dtype=torch.long), 0.5, name="model")
