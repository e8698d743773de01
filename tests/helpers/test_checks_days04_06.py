"""Tests for the checkers added for days 04-06: check_runs and check_close_with_mistakes."""

import pytest
import torch
from torch import nn

from helpers.checks import check_close_with_mistakes, check_runs

SOFTMAX_FIRST = "You applied softmax before CrossEntropyLoss; pass the raw scores."


def _fails(fn, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as info:
        fn(*args, **kwargs)
    return str(info.value)


# check_runs ---------------------------------------------------------------------------------


def test_check_runs_returns_the_result():
    assert check_runs(lambda a, b: a + b, 2, b=3, name="add(2, 3)") == 5


def test_check_runs_names_the_error_and_adds_the_hint():
    def mse(pred, target):
        return nn.MSELoss()(torch.tensor(pred), torch.tensor(target))

    message = _fails(check_runs, mse, [3, 5], [3, 4], name="mse([3, 5], [3, 4])",
                     hints={"error": "MSELoss needs float tensors."})
    assert message.startswith("`mse([3, 5], [3, 4])` raised NotImplementedError:")
    assert "not implemented for 'Long'" in message
    assert message.endswith("Hint: MSELoss needs float tensors.")


def test_check_runs_reports_the_placeholder_without_the_hint():
    def stub(x):
        raise NotImplementedError()

    message = _fails(check_runs, stub, 1, name="stub(1)", hints={"error": "misleading hint"})
    assert "placeholder" in message
    assert "Hint" not in message


def test_check_runs_keeps_only_the_first_line_and_no_chained_context():
    def broken():
        raise ValueError("first line\nsecond line")

    with pytest.raises(AssertionError) as info:
        check_runs(broken, name="broken()")
    assert str(info.value) == "`broken()` raised ValueError: first line"
    assert info.value.__context__ is None


# check_close_with_mistakes ------------------------------------------------------------------


def _ce_inputs():
    scores = torch.tensor([[0.1, 6.0, -2.0, 3.2]])
    target = torch.tensor([2])
    right = nn.CrossEntropyLoss()(scores, target)
    wrong = nn.CrossEntropyLoss()(torch.softmax(scores, dim=-1), target)
    return right, wrong


def test_close_with_mistakes_passes_on_the_right_value():
    right, wrong = _ce_inputs()
    check_close_with_mistakes(right, 8.0619, name="loss", mistakes={SOFTMAX_FIRST: wrong})
    check_close_with_mistakes(8.0619, right, name="loss", mistakes={SOFTMAX_FIRST: wrong})


def test_close_with_mistakes_names_the_mistake():
    right, wrong = _ce_inputs()
    message = _fails(check_close_with_mistakes, wrong, right, name="loss", mistakes={SOFTMAX_FIRST: wrong},
                     hints={"values": "generic hint"})
    assert message == f"`loss` is 1.7263, expected about 8.06193.\nHint: {SOFTMAX_FIRST}"


def test_close_with_mistakes_falls_back_to_the_generic_hint():
    right, wrong = _ce_inputs()
    message = _fails(check_close_with_mistakes, 3.0, right, name="loss", mistakes={SOFTMAX_FIRST: wrong},
                     hints={"values": "generic hint"})
    assert message == "`loss` is 3, expected about 8.06193.\nHint: generic hint"


def test_close_with_mistakes_ignores_a_mistake_that_gives_the_right_value():
    message = _fails(check_close_with_mistakes, 2.0, 1.0, name="x", mistakes={"same": 1.0, "other": 2.0})
    assert message.endswith("Hint: other")
    check_close_with_mistakes(1.0, 1.0, name="x", mistakes={"same": 1.0})


def test_close_with_mistakes_keeps_type_and_shape_failures():
    right, wrong = _ce_inputs()
    assert "single number" in _fails(check_close_with_mistakes, torch.ones(2), right, name="loss",
                                     mistakes={SOFTMAX_FIRST: wrong})
    assert "is None" in _fails(check_close_with_mistakes, None, right, name="loss", mistakes={SOFTMAX_FIRST: wrong})
