"""Fixtures shared by the helpers' tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import matplotlib.pyplot as plt
import pytest


@pytest.fixture
def close_figures() -> Iterator[None]:
    """Close every figure a test drew, so figures do not pile up across tests."""
    yield
    plt.close("all")


def _fails_with(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    with pytest.raises(AssertionError) as info:
        fn(*args, **kwargs)
    return str(info.value)


@pytest.fixture
def fails_with() -> Callable[..., str]:
    """``fails_with(checker, *args, **kwargs)``: the message of the AssertionError the call must raise."""
    return _fails_with
