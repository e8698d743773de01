"""Checkers added for days 12-13: ForwardPasses, check_eval_no_grad, check_accuracy (and their messages)."""

import pytest
import torch
from torch import nn

from helpers.checks import ForwardPasses, check_accuracy, check_eval_no_grad


def net():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 3))


def good_eval(model, x):
    mode = model.training
    model.eval()
    with torch.no_grad():
        result = model(x).sum().item()
    model.train(mode)
    return result


def test_forward_passes_records_mode_grad_and_batch_size():
    model = net()
    with ForwardPasses(model) as passes:
        model(torch.zeros(5, 4))
        model.eval()
        with torch.no_grad():
            model(torch.zeros(2, 4))
    assert passes.records == [(True, True, 5), (False, False, 2)]
    model(torch.zeros(1, 4))  # after the block: the hook is gone
    assert len(passes.records) == 2
    assert not model._forward_pre_hooks


def test_forward_passes_removes_its_hook_on_error():
    model = net()
    with pytest.raises(RuntimeError):
        with ForwardPasses(model):
            model(torch.zeros(3, 5))
    assert not model._forward_pre_hooks


def test_check_eval_no_grad_passes_and_returns_the_result():
    model, x = net(), torch.randn(3, 4)
    assert check_eval_no_grad(lambda: good_eval(model, x), model, name="evaluate") == pytest.approx(good_eval(model, x))


def test_check_eval_no_grad_reports_a_mode_left_changed():
    model, x = net(), torch.randn(3, 4)

    def stays_in_eval():
        model.eval()
        with torch.no_grad():
            return model(x)

    with pytest.raises(AssertionError) as err:
        check_eval_no_grad(stays_in_eval, model, name="evaluate", hints={"mode": "restore it."})
    assert str(err.value) == (
        "After `evaluate` the model is in evaluation mode, but it was in training mode before; put it back: save "
        "`mode = model.training` before `model.eval()`, and call `model.train(mode)` at the end.\nHint: restore it."
    )
    model.eval()

    def always_train():
        stays_in_eval()
        model.train()

    with pytest.raises(AssertionError, match="the model is in training mode, but it was in evaluation mode before"):
        check_eval_no_grad(always_train, model, name="evaluate")
    model.eval()

    def only_dropout_back():
        stays_in_eval()
        model[2].train()

    with pytest.raises(AssertionError, match="some layers of the model are in another mode than before"):
        check_eval_no_grad(only_dropout_back, model, name="evaluate")
    model.train()
    check_eval_no_grad(stays_in_eval, model, name="evaluate", restores_mode=False)


def test_check_eval_no_grad_reports_training_mode_with_hint():
    model, x = net(), torch.randn(3, 4)

    def forgot_eval():
        with torch.no_grad():
            return model(x)

    with pytest.raises(AssertionError, match=r"`evaluate` ran the model in training mode; call `model.eval\(\)`") as err:
        check_eval_no_grad(forgot_eval, model, name="evaluate", hints={"eval": "Dropout is on."})
    assert str(err.value).endswith("Hint: Dropout is on.")


def test_check_eval_no_grad_reports_gradients_on():
    model, x = net(), torch.randn(3, 4)

    def forgot_no_grad():
        model.eval()
        return model(x)

    with pytest.raises(AssertionError, match=r"with gradients on; run the evaluation inside `with torch.no_grad\(\):`"):
        check_eval_no_grad(forgot_no_grad, model, name="evaluate")


def test_check_eval_no_grad_reports_model_never_called_and_placeholder():
    model = net()
    with pytest.raises(AssertionError, match="`evaluate` never called the model"):
        check_eval_no_grad(lambda: 0.5, model, name="evaluate")

    def stub():
        raise NotImplementedError()

    with pytest.raises(AssertionError, match="placeholder"):
        check_eval_no_grad(stub, model, name="evaluate")
    assert not model._forward_pre_hooks


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
    with pytest.raises(AssertionError, match=r"one row of class scores per input, shape \(12, number of classes\); got \(12,\)"):
        check_accuracy(nn.Sequential(nn.Linear(3, 1), nn.Flatten(0)), torch.eye(3).repeat(4, 1),
                       torch.zeros(12, dtype=torch.long), 0.5, name="model")
    with pytest.raises(AssertionError, match=r"`model\(X\)` raised RuntimeError"):
        check_accuracy(perfect_model(), torch.zeros(2, 5), torch.zeros(2, dtype=torch.long), 0.5, name="model")
    with pytest.raises(AssertionError, match="`model` is a str"):
        check_accuracy("model", torch.zeros(2, 3), torch.zeros(2, dtype=torch.long), 0.5, name="model")
