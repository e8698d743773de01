"""plot_decision_boundary: grid predictions that match the model, modes restored, inputs untouched."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import torch
from torch import nn

from helpers import plot_decision_boundary
from helpers.decision_boundary import DecisionBoundary


class QuadrantModel(nn.Module):
    """Three classes by hand: 0 left of x=0, 1 right and below y=0, 2 right and above y=0."""

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.tensor(1.0))
        self.seen_grad_enabled = []
        self.seen_training = []

    def forward(self, x):
        self.seen_grad_enabled.append(torch.is_grad_enabled())
        self.seen_training.append(self.training)
        left = (x[:, 0] < 0).float()
        top = (x[:, 1] > 0).float()
        scores = torch.stack([left, (1 - left) * (1 - top), (1 - left) * top], dim=1)
        return scores * self.scale


pytestmark = pytest.mark.usefixtures("close_figures")


def points():
    X = torch.tensor([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0], [0.5, 2.0]])
    y = torch.tensor([0, 0, 1, 2, 2])
    return X, y


def test_grid_predictions_match_the_model():
    X, y = points()
    result = plot_decision_boundary(QuadrantModel(), X, y, resolution=50)
    assert isinstance(result, DecisionBoundary)
    assert result.xx.shape == result.yy.shape == result.predictions.shape == (50, 50)
    assert result.predictions.dtype == torch.int64
    expected = torch.where(result.xx < 0, 0, torch.where(result.yy > 0, 2, 1))
    assert torch.equal(result.predictions, expected)


def test_grid_covers_the_points_with_padding():
    X, y = points()
    result = plot_decision_boundary(QuadrantModel(), X, y, resolution=20, padding=0.5)
    assert result.xx.min() == pytest.approx(-1.0 - 0.5 * 2.0)
    assert result.xx.max() == pytest.approx(1.0 + 0.5 * 2.0)
    assert result.yy.min() == pytest.approx(-1.0 - 0.5 * 3.0)
    assert result.yy.max() == pytest.approx(2.0 + 0.5 * 3.0)


def test_runs_in_eval_mode_without_grad_and_restores_the_mode():
    X, y = points()
    model = QuadrantModel()
    model.train()
    plot_decision_boundary(model, X, y, resolution=10)
    assert model.seen_training == [False]
    assert model.seen_grad_enabled == [False]
    assert model.training is True
    model.eval()
    plot_decision_boundary(model, X, y, resolution=10)
    assert model.training is False


def test_mode_restored_even_when_the_model_fails():
    class Broken(nn.Module):
        def forward(self, x):
            raise RuntimeError("boom")

    model = Broken().train()
    with pytest.raises(RuntimeError, match="boom"):
        plot_decision_boundary(model, torch.zeros(3, 2), resolution=5)
    assert model.training is True


def test_arguments_are_not_mutated():
    X, y = points()
    X_before, y_before = X.clone(), y.clone()
    model = nn.Sequential(nn.Linear(2, 8), nn.Dropout(0.5), nn.Linear(8, 3))
    state_before = {k: v.clone() for k, v in model.state_dict().items()}
    plot_decision_boundary(model, X, y, resolution=15)
    assert torch.equal(X, X_before) and torch.equal(y, y_before)
    assert all(torch.equal(v, state_before[k]) for k, v in model.state_dict().items())
    assert all(p.grad is None for p in model.parameters())


def test_draws_on_the_given_axes_with_names():
    X, y = points()
    fig, ax = plt.subplots()
    result = plot_decision_boundary(QuadrantModel(), X, y, ax=ax, resolution=10,
                                    feature_names=["bill length", "bill depth"], class_names=["A", "B", "C"])
    assert result.ax is ax
    assert ax.get_xlabel() == "bill length" and ax.get_ylabel() == "bill depth"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A", "B", "C"]
    assert len(ax.collections) >= 4  # filled regions plus one scatter per class


def test_accepts_numpy_and_dataframes_and_no_labels():
    X, y = points()
    frame = pd.DataFrame(X.numpy(), columns=["length", "depth"])
    result = plot_decision_boundary(QuadrantModel(), frame, y.numpy(), resolution=10)
    assert result.ax.get_xlabel() == "length"
    result = plot_decision_boundary(QuadrantModel(), X.numpy(), None, resolution=10)
    assert result.ax.get_legend() is None


def test_single_output_uses_threshold():
    model = nn.Linear(2, 1)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[1.0, 0.0]]))
        model.bias.zero_()
    X = torch.tensor([[-2.0, 0.0], [2.0, 1.0]])
    result = plot_decision_boundary(model, X, torch.tensor([0, 1]), resolution=21, threshold=0.0)
    assert torch.equal(result.predictions, (result.xx > 0).long())
    result = plot_decision_boundary(nn.Sequential(model, nn.Sigmoid()), X, None, resolution=21)
    assert torch.equal(result.predictions, (result.xx > 0).long())


def test_float64_model_gets_a_float64_grid():
    model = nn.Linear(2, 3).double()
    result = plot_decision_boundary(model, np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([0, 1]), resolution=5)
    assert result.predictions.shape == (5, 5)


@pytest.mark.parametrize(
    "X, y, message",
    [
        (torch.zeros(4, 3), None, "shape \\(n, 2\\)"),
        (torch.zeros(4, 2), torch.zeros(3), "3 labels for 4 rows"),
        (torch.zeros(0, 2), None, "no rows"),
    ],
)
def test_bad_inputs_are_explained(X, y, message):
    with pytest.raises(ValueError, match=message):
        plot_decision_boundary(nn.Linear(2, 3), X, y)


def test_resolution_must_be_at_least_two():
    with pytest.raises(ValueError, match="resolution"):
        plot_decision_boundary(nn.Linear(2, 3), torch.zeros(2, 2), resolution=1)


def test_a_model_that_always_predicts_one_class_still_draws():
    model = nn.Linear(2, 3)
    with torch.no_grad():
        model.weight.zero_()
        model.bias.copy_(torch.tensor([0.0, 0.0, 1.0]))
    result = plot_decision_boundary(model, torch.randn(6, 2), None, resolution=8)
    assert torch.equal(result.predictions, torch.full((8, 8), 2))
