"""helpers.checks.behaviour: running the student's code and watching what it does (errors, eval mode,
gradients, the mode it leaves the model in)."""

import pytest
import torch
from torch import nn

from helpers.checks import ForwardPasses, check_eval_no_grad, check_raises, check_runs

# check_runs ---------------------------------------------------------------------------------------


def test_check_runs_returns_the_result():
    assert check_runs(lambda a, b: a + b, 2, b=3, name="add(2, 3)") == 5


def test_check_runs_names_the_error_and_adds_the_hint(fails_with):
    def mse(pred, target):
        return nn.MSELoss()(torch.tensor(pred), torch.tensor(target))

    message = fails_with(check_runs, mse, [3, 5], [3, 4], name="mse([3, 5], [3, 4])",
                         hints={"error": "MSELoss needs float tensors."})
    assert message.startswith("`mse([3, 5], [3, 4])` raised NotImplementedError:")
    assert "not implemented for 'Long'" in message
    assert message.endswith("Hint: MSELoss needs float tensors.")


def test_check_runs_reports_the_placeholder_without_the_hint(fails_with):
    def stub(x):
        raise NotImplementedError()

    message = fails_with(check_runs, stub, 1, name="stub(1)", hints={"error": "misleading hint"})
    assert "placeholder" in message
    assert "Hint" not in message


def test_check_runs_keeps_only_the_first_line_and_no_chained_context():
    def broken():
        raise ValueError("first line\nsecond line")

    with pytest.raises(AssertionError) as info:
        check_runs(broken, name="broken()")
    assert str(info.value) == "`broken()` raised ValueError: first line"
    assert info.value.__context__ is None


# check_raises -------------------------------------------------------------------------------------


def test_check_raises(fails_with):
    check_raises(lambda: nn.Linear(3, 2)(torch.zeros(1, 4)), RuntimeError, name="forward")
    assert fails_with(check_raises, lambda: None, RuntimeError, name="forward") == (
        "`forward` ran without error, expected RuntimeError."
    )
    assert fails_with(check_raises, lambda: 1 / 0, RuntimeError, name="forward") == (
        "`forward` raised ZeroDivisionError, expected RuntimeError."
    )


# ForwardPasses and check_eval_no_grad -------------------------------------------------------------


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

    with pytest.raises(AssertionError,
                       match=r"`evaluate` ran the model in training mode; call `model.eval\(\)`") as err:
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
