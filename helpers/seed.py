"""Reproducibility: one call seeds every random number generator a lesson uses."""

from __future__ import annotations

import random

import numpy as np
import torch


class SeededGenerator(torch.Generator):
    """A ``torch.Generator`` that says which seed it started from when a notebook displays it."""

    def __repr__(self) -> str:
        return f"torch.Generator(seed={self.initial_seed()})"


def set_seed(seed: int = 0) -> torch.Generator:
    """Seed Python's ``random``, NumPy and PyTorch with ``seed``.

    Returns a ``torch.Generator`` seeded the same way, handy for a ``DataLoader``'s
    ``generator=`` argument so that shuffling repeats too.
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    generator = SeededGenerator()
    generator.manual_seed(seed)
    return generator
