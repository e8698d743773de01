"""set_seed, get_device and the lazy public names of the helpers package."""

import subprocess
import sys

import numpy as np
import pytest
import torch

import helpers
from helpers import get_device, set_seed


def test_set_seed_repeats_every_generator():
    g1 = set_seed(7)
    first = (torch.rand(3), np.random.rand(3), torch.randperm(10, generator=g1))
    g2 = set_seed(7)
    second = (torch.rand(3), np.random.rand(3), torch.randperm(10, generator=g2))
    assert torch.equal(first[0], second[0])
    assert np.array_equal(first[1], second[1])
    assert torch.equal(first[2], second[2])


def test_get_device_prefers_cuda_then_mps(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert get_device() == torch.device("cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert get_device() == torch.device("mps")
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert get_device() == torch.device("cpu")


@pytest.mark.parametrize("name", helpers.__all__)
def test_every_public_name_resolves(name):
    value = getattr(helpers, name)
    assert callable(value)
    assert value.__doc__, f"{name} needs a docstring"


def test_unknown_names_raise_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        helpers.nope  # noqa: B018


def test_import_has_no_side_effects():
    code = "import sys, helpers; print('matplotlib.pyplot' in sys.modules, 'torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_set_seed_generator_shows_its_seed():
    assert repr(set_seed(3)) == "torch.Generator(seed=3)"
    assert isinstance(set_seed(3), torch.Generator)
