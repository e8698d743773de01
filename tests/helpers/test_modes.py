"""evaluating() puts a model in eval mode without gradients and restores every submodule's mode."""

import pytest
import torch
from torch import nn

from helpers.modes import evaluating, model_device


def test_mixed_modes_are_restored_module_by_module():
    model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))
    model.train()
    model[1].eval()
    with evaluating(model) as same:
        assert same is model
        assert not any(m.training for m in model.modules())
        assert not torch.is_grad_enabled()
    assert [m.training for m in model.modules()] == [True, True, False]
    assert torch.is_grad_enabled()


def test_modes_are_restored_when_the_block_raises():
    model = nn.Linear(2, 2).train()
    with pytest.raises(RuntimeError), evaluating(model):
        raise RuntimeError("boom")
    assert model.training


def test_model_device():
    assert model_device(nn.Linear(1, 1)) == torch.device("cpu")
    assert model_device(nn.ReLU()) == torch.device("cpu")
