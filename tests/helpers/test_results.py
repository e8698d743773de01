"""show_results: predicts every batch, restores what it touched, and undoes target scaling."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.preprocessing import StandardScaler
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from helpers import show_results
from helpers.results import Results

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def make_data(n: int = 23, n_features: int = 3) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(1)
    x = torch.randn(n, n_features, generator=generator)
    y = x.sum(dim=1, keepdim=True) + 0.1 * torch.randn(n, 1, generator=generator)
    return x, y


def make_model(n_features: int = 3) -> nn.Sequential:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(n_features, 4), nn.Dropout(0.5), nn.Linear(4, 1))


pytestmark = pytest.mark.usefixtures("close_figures")


def test_returns_predictions_and_targets_for_every_sample():
    x, y = make_data()
    model = make_model()
    results = show_results(model, DataLoader(TensorDataset(x, y), batch_size=5), n_rows=0)
    assert isinstance(results, Results)
    assert results.predictions.shape == (23, 1)
    assert results.targets.shape == (23, 1)
    assert torch.equal(results.targets, y)
    with torch.no_grad():
        model.eval()
        assert torch.allclose(results.predictions, model(x), atol=1e-6)
    assert not results.predictions.requires_grad
    assert results.real_predictions is None and results.real_targets is None


def test_predicts_in_eval_mode_and_restores_train_mode():
    x, y = make_data()
    model = make_model()
    model.train()
    results = show_results(model, DataLoader(TensorDataset(x, y), batch_size=4), n_rows=0)
    assert model.training and all(m.training for m in model.modules())
    # dropout is off during prediction: two calls agree
    again = show_results(model, DataLoader(TensorDataset(x, y), batch_size=4), n_rows=0)
    assert torch.equal(results.predictions, again.predictions)


def test_restores_eval_mode_and_mixed_submodule_modes():
    x, y = make_data()
    model = make_model()
    model.eval()
    show_results(model, DataLoader(TensorDataset(x, y), batch_size=8), n_rows=0)
    assert not any(m.training for m in model.modules())
    model.train()
    model[1].eval()
    show_results(model, DataLoader(TensorDataset(x, y), batch_size=8), n_rows=0)
    assert [m.training for m in model] == [True, False, True]


def test_mode_restored_even_when_the_model_fails():
    x, y = make_data(n_features=3)
    model = make_model(n_features=5)
    model.train()
    with pytest.raises(RuntimeError):
        show_results(model, DataLoader(TensorDataset(x, y), batch_size=8), n_rows=0)
    assert model.training


def test_does_not_change_parameters_gradients_or_data():
    x, y = make_data()
    model = make_model()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    x_copy, y_copy = x.clone(), y.clone()
    show_results(model, DataLoader(TensorDataset(x, y), batch_size=6), n_rows=0)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert all(p.grad is None for p in model.parameters())
    assert torch.equal(x, x_copy) and torch.equal(y, y_copy)


def test_one_dimensional_targets_are_paired_with_predictions():
    x, y = make_data()
    results = show_results(make_model(), DataLoader(TensorDataset(x, y[:, 0]), batch_size=7), n_rows=0)
    assert results.targets.shape == results.predictions.shape == (23, 1)


def test_shuffling_keeps_pairs_and_leaves_random_states_alone():
    x, y = make_data()
    generator = torch.Generator().manual_seed(3)
    loader = DataLoader(TensorDataset(x, y), batch_size=5, shuffle=True, generator=generator)
    generator_state = generator.get_state()
    torch.manual_seed(11)
    global_state = torch.get_rng_state()
    model = make_model()
    torch.set_rng_state(global_state)
    results = show_results(model, loader, n_rows=0)
    assert torch.equal(generator.get_state(), generator_state)
    assert torch.equal(torch.get_rng_state(), global_state)
    # targets come back shuffled, but each one still sits next to its own prediction
    order = [int(torch.nonzero((y == t).all(dim=1))[0]) for t in results.targets]
    assert sorted(order) == list(range(23)) and order != list(range(23))
    with torch.no_grad():
        model.eval()
        assert torch.allclose(results.predictions, model(x[order]), atol=1e-6)


def test_shuffling_without_a_generator_leaves_the_global_rng_alone():
    x, y = make_data()
    loader = DataLoader(TensorDataset(x, y), batch_size=5, shuffle=True)
    model = make_model()
    state = torch.get_rng_state()
    show_results(model, loader, n_rows=0)
    assert torch.equal(torch.get_rng_state(), state)


def test_inverse_scaling_gives_real_units():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(30, 2))
    wage = 6 + 3 * features[:, :1] + rng.normal(scale=0.5, size=(30, 1))
    scaler = StandardScaler().fit(wage)
    x = torch.tensor(features, dtype=torch.float32)
    y = torch.tensor(scaler.transform(wage), dtype=torch.float32)
    model = make_model(n_features=2)
    results = show_results(model, DataLoader(TensorDataset(x, y), batch_size=8), target_scaler=scaler, n_rows=4)
    expected = results.predictions.double().numpy() * scaler.scale_ + scaler.mean_
    np.testing.assert_allclose(results.real_predictions, expected, rtol=1e-6)
    np.testing.assert_allclose(results.real_targets, wage, rtol=1e-5)
    assert list(results.table.columns) == ["target", "prediction", "error"]
    assert len(results.table) == 4
    np.testing.assert_allclose(results.table["target"], wage[:4, 0], rtol=1e-5)
    np.testing.assert_allclose(results.table["error"], results.table["prediction"] - results.table["target"])
    assert "real units" in results.ax.get_xlabel()
    # the scaler itself is untouched
    assert np.allclose(scaler.mean_, wage.mean(axis=0))


def test_prints_the_table_unless_n_rows_is_zero(capsys):
    x, y = make_data()
    loader = DataLoader(TensorDataset(x, y), batch_size=10)
    show_results(make_model(), loader, n_rows=3)
    printed = capsys.readouterr().out
    assert "prediction" in printed and len(printed.strip().splitlines()) == 4
    results = show_results(make_model(), loader, n_rows=0)
    assert capsys.readouterr().out == ""
    assert isinstance(results.table, pd.DataFrame) and len(results.table) == 0


def test_draws_on_the_given_axes_with_an_identity_line():
    x, y = make_data()
    _, ax = plt.subplots()
    results = show_results(make_model(), DataLoader(TensorDataset(x, y), batch_size=10), ax=ax, n_rows=0)
    assert results.ax is ax
    assert len(ax.collections) == 1 and len(ax.collections[0].get_offsets()) == 23
    (line,) = ax.get_lines()
    xs, ys = line.get_data()
    assert np.allclose(xs, ys)


def test_uses_the_model_device():
    x, y = make_data()
    model = make_model()
    results = show_results(model, DataLoader(TensorDataset(x, y), batch_size=10), n_rows=0)
    assert results.predictions.device.type == "cpu"
    assert next(model.parameters()).device.type == "cpu"


def test_rejects_a_loader_without_targets_and_an_empty_loader():
    x, _ = make_data()
    with pytest.raises(ValueError, match="pairs"):
        show_results(make_model(), DataLoader(TensorDataset(x, x, x), batch_size=10), n_rows=0)
    with pytest.raises(ValueError, match="empty"):
        show_results(make_model(), [], n_rows=0)


def test_rejects_a_classifier_output():
    x, _ = make_data()
    labels = torch.zeros(23, dtype=torch.long)
    classifier = nn.Linear(3, 4)
    with pytest.raises(ValueError, match="regression"):
        show_results(classifier, DataLoader(TensorDataset(x, labels), batch_size=10), n_rows=0)
