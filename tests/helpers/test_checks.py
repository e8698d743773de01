"""The checkers' failure messages are what students read: each path is tested word for word."""

import pytest
import torch
from torch import nn

from helpers import checks
from helpers.checks import (
    check_callable,
    check_close,
    check_decreased,
    check_dtype,
    check_equal,
    check_in_range,
    check_layer_sizes,
    check_linear,
    check_module,
    check_parameter_count,
    check_probabilities,
    check_raises,
    check_shape,
    check_tensor,
    check_true,
    check_type,
)

EXPECTED = torch.tensor([[32, 34, 35], [31, 33, 36]])


def fails_with(fn, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as info:
        fn(*args, **kwargs)
    return str(info.value)


def test_check_tensor_accepts_the_right_answer():
    check_tensor(EXPECTED.clone(), EXPECTED, name="adjusted")


def test_check_tensor_reports_type_first():
    msg = fails_with(check_tensor, [[32, 34, 35], [31, 33, 36]], EXPECTED, name="adjusted")
    assert msg == "`adjusted` is a list, expected a Tensor."


def test_check_tensor_reports_none_as_a_missing_return():
    msg = fails_with(check_tensor, None, EXPECTED, name="adjusted")
    assert msg == "`adjusted` is None; did you forget to assign it or to `return` it?"


def test_check_tensor_reports_shape_before_dtype_and_values():
    msg = fails_with(check_tensor, EXPECTED.T.float(), EXPECTED, name="adjusted",
                     hints={"shape": "addition keeps the shape of its inputs; did you transpose one of them?"})
    assert msg == ("`adjusted` has shape (3, 2), expected (2, 3).\n"
                   "Hint: addition keeps the shape of its inputs; did you transpose one of them?")


def test_check_tensor_reports_dtype_before_values():
    msg = fails_with(check_tensor, EXPECTED.float() + 1, EXPECTED, name="adjusted")
    assert msg == "`adjusted` has dtype torch.float32, expected torch.int64."


def test_check_tensor_reports_values_with_both_tensors_and_where_they_differ():
    msg = fails_with(check_tensor, EXPECTED + 1, EXPECTED, name="adjusted", hints={"values": "add 2, not 3"})
    assert msg == ("`adjusted` has the right shape but wrong values: got [[33, 35, 36], [32, 34, 37]], "
                   "expected [[32, 34, 35], [31, 33, 36]]; 6 of 6 values differ, the first at index [0, 0]: "
                   "got 33, expected 32.\nHint: add 2, not 3")


def test_check_tensor_names_the_first_differing_index():
    got = EXPECTED.clone()
    got[1, 2] = 0
    msg = fails_with(check_tensor, got, EXPECTED, name="adjusted")
    assert msg.endswith("1 of 6 values differ, the first at index [1, 2]: got 0, expected 36.")


def test_check_tensor_reports_a_0d_tensor_as_a_number():
    assert fails_with(check_tensor, torch.tensor(2.0), torch.tensor(7 / 3), name="mean") == (
        "`mean` is 2.0, expected 2.3333."
    )


def test_check_tensor_rounds_floats_in_messages():
    msg = fails_with(check_tensor, torch.tensor([0.05, 1 / 3]), torch.tensor([0.06, 0.5]), name="w")
    assert msg == ("`w` has the right shape but wrong values: got [0.05, 0.3333], expected [0.06, 0.5]; "
                   "2 of 2 values differ, the first at index [0]: got 0.05, expected 0.06.")


def test_check_tensor_names_a_known_mistake_at_any_stage():
    mistakes = {"divide by t.numel(), not len(t).": torch.tensor(6.0),
                "that is the sum, not the mean.": torch.tensor([[2.0, 4.0]]),
                "a mistake that gives the right answer is ignored.": torch.tensor(3.0)}
    msg = fails_with(check_tensor, torch.tensor(6.0), torch.tensor(3.0), name="average(grid)", mistakes=mistakes,
                     hints={"values": "the generic hint"})
    assert msg == "`average(grid)` is 6.0, expected 3.0.\nHint: divide by t.numel(), not len(t)."
    msg = fails_with(check_tensor, torch.tensor([[2.0, 4.0]]), torch.tensor(3.0), name="average(grid)", mistakes=mistakes)
    assert msg == "`average(grid)` has shape (1, 2), expected ().\nHint: that is the sum, not the mean."
    msg = fails_with(check_tensor, torch.tensor(5.0), torch.tensor(3.0), name="average(grid)", mistakes=mistakes,
                     hints={"values": "the generic hint"})
    assert msg.endswith("Hint: the generic hint")


def test_check_tensor_uses_tolerances_for_floats():
    check_tensor(torch.tensor([0.1 + 1e-6]), torch.tensor([0.1]), name="x")
    assert "wrong values" in fails_with(check_tensor, torch.tensor([0.11]), torch.tensor([0.1]), name="x")


def test_check_tensor_can_skip_dtype():
    doubles = torch.tensor([1.0, 2.0], dtype=torch.float64)
    check_tensor(doubles, torch.tensor([1.0, 2.0]), name="x", exact_dtype=False)
    assert fails_with(check_tensor, doubles, torch.tensor([1.0, 2.0]), name="x") == (
        "`x` has dtype torch.float64, expected torch.float32."
    )


def test_check_tensor_keeps_the_older_spelling_check_dtype():
    doubles = torch.tensor([1.0, 2.0], dtype=torch.float64)
    check_tensor(doubles, torch.tensor([1.0, 2.0]), name="x", check_dtype=False)
    assert "dtype" in fails_with(check_tensor, doubles, torch.tensor([1.0, 2.0]), name="x", check_dtype=True)
    with pytest.raises(TypeError, match="unexpected keyword argument 'exact_dtypes'"):
        check_tensor(doubles, torch.tensor([1.0, 2.0]), name="x", exact_dtypes=False)


def test_check_tensor_summarises_large_tensors_by_their_first_difference():
    expected = torch.arange(90)
    got = expected.clone()
    got[[17, 40]] = 3
    msg = fails_with(check_tensor, got, expected, name="labels")
    assert msg == ("`labels` has the right shape but wrong values: 2 of 90 values differ, the first at index [17]: "
                   "got 3, expected 17.")
    assert "shape (90,)" not in msg


def test_check_type_names_all_accepted_types():
    assert fails_with(check_type, "3", (int, float), name="n") == "`n` is a str, expected a int or float."


def test_check_callable():
    check_callable(len, name="f")
    assert fails_with(check_callable, 3, name="f") == "`f` should be a function, but it is a int."


def test_check_shape_formats_one_dimension_like_python():
    assert fails_with(check_shape, torch.zeros(3), (2,), name="b") == "`b` has shape (3,), expected (2,)."


def test_check_dtype():
    assert fails_with(check_dtype, torch.zeros(2), torch.int64, name="x") == "`x` has dtype torch.float32, expected torch.int64."


def test_check_close_accepts_one_element_tensors():
    check_close(torch.tensor(0.91682), 0.9168, name="p", atol=1e-3)


def test_check_close_accepts_any_number_type():
    import numpy as np

    for value in (0.375, np.float32(0.375), np.float64(0.375), np.array(0.375), torch.tensor(0.375, dtype=torch.float64),
                  torch.tensor([0.375])):
        check_close(value, 0.375, name="mse")
    check_close(np.int64(6), 6.0, name="count")


def test_check_close_messages():
    assert fails_with(check_close, 0.5, 0.9168, name="p") == "`p` is 0.5, expected about 0.9168."
    assert fails_with(check_close, torch.zeros(2), 1.0, name="p") == (
        "`p` should be a single number, but it is a tensor of shape (2,)."
    )
    assert fails_with(check_close, True, 1.0, name="p") == "`p` is a bool, expected a number."
    assert fails_with(check_close, "0.5", 1.0, name="p") == "`p` is a str, expected a number."
    assert fails_with(check_close, None, 1.0, name="p") == "`p` is None; did you forget to assign it or to `return` it?"
    import numpy as np

    assert fails_with(check_close, np.zeros(3), 1.0, name="p") == (
        "`p` should be a single number, but it is an array of shape (3,)."
    )
    assert "nan" in fails_with(check_close, float("nan"), 1.0, name="p")


def test_check_equal():
    check_equal(46, 46, name="n")
    check_equal(torch.tensor(46), 46, name="n")
    check_equal(torch.Size([2, 3]), (2, 3), name="shape")
    assert fails_with(check_equal, 45, 46, name="n", hints={"values": "count the biases too"}) == (
        "`n` is 45, expected 46.\nHint: count the biases too"
    )
    assert fails_with(check_equal, "46", 46, name="n") == "`n` is a str, expected a number."
    assert fails_with(check_equal, True, 1, name="n") == "`n` is a bool, expected a number."
    assert fails_with(check_equal, 46.5, 46, name="n") == "`n` is 46.5, expected 46."


def test_check_equal_compares_numbers_by_value_whatever_holds_them():
    import numpy as np

    for value in (6, 6.0, np.int64(6), np.float64(6.0), np.ceil(90 / 16), torch.tensor(6), torch.tensor(6.0)):
        check_equal(value, 6, name="count_batches(90, 16)")


def test_check_equal_compares_sequences_by_content_whatever_holds_them():
    import numpy as np
    import pandas as pd

    expected = ["log_wage", "yearly_pay"]
    for value in (expected, tuple(expected), pd.Index(expected), np.array(expected), pd.Series(expected)):
        check_equal(value, expected, name="leaky_columns")
    for value in ([10, 6, 4], (10, 6, 4), torch.tensor([10, 6, 4]), np.array([10, 6, 4]), torch.Size([10, 6, 4])):
        check_equal(value, [10, 6, 4], name="counts")
    check_equal([[1, 2], (3, 4)], ([1, 2], [3, 4]), name="pairs")


def test_check_equal_sequence_messages():
    assert fails_with(check_equal, ["yearly_pay", "log_wage"], ["log_wage", "yearly_pay"], name="cols") == (
        "`cols` holds the right items in the wrong order: got ['yearly_pay', 'log_wage'], "
        "expected ['log_wage', 'yearly_pay']."
    )
    assert fails_with(check_equal, ["log_wage"], ["log_wage", "yearly_pay"], name="cols") == (
        "`cols` is ['log_wage'], expected ['log_wage', 'yearly_pay']."
    )
    assert fails_with(check_equal, "log_wage", ["log_wage"], name="cols") == "`cols` is a str, expected a list."
    assert fails_with(check_equal, {"a": 1}, ("a",), name="cols") == "`cols` is a dict, expected a tuple."


def test_check_equal_in_any_order():
    check_equal(["b", "a", "a"], ["a", "a", "b"], name="names", ordered=False)
    assert fails_with(check_equal, ["b", "a"], ["a", "a"], name="names", ordered=False) == (
        "`names` is ['b', 'a'], expected ['a', 'a']."
    )


def test_check_equal_keeps_types_for_booleans_and_other_values():
    check_equal(False, False, name="flag")
    assert fails_with(check_equal, 0, False, name="flag") == "`flag` is a int, expected a bool."
    assert fails_with(check_equal, "torch.int64", torch.int64, name="dtype") == "`dtype` is a str, expected a dtype."


def test_check_in_range():
    import numpy as np

    check_in_range(0.5, 0, 1, name="p")
    check_in_range(np.float32(0.5), 0, 1, name="p")
    check_in_range(torch.tensor(0.5), 0, 1, name="p")
    assert fails_with(check_in_range, "0.5", 0, 1, name="p") == "`p` is a str, expected a number."
    assert fails_with(check_in_range, float("nan"), 0, 1, name="p") == "`p` is nan, expected a value between 0 and 1."
    assert fails_with(check_in_range, 1.5, 0, 1, name="p") == "`p` is 1.5, expected a value between 0 and 1."


def test_check_true_adds_the_hint():
    check_true(True, "never shown")
    assert fails_with(check_true, False, "The loss went up.", hint="did you call zero_grad()?") == (
        "The loss went up.\nHint: did you call zero_grad()?"
    )


def test_check_true_takes_hints_by_stage_like_every_checker():
    check_true(True, "never shown", hints={"values": "never shown either"})
    assert fails_with(check_true, False, "The loss went up.", hints={"values": "did you call zero_grad()?"}) == (
        "The loss went up.\nHint: did you call zero_grad()?"
    )
    assert fails_with(check_true, False, "The loss went up.", hints={"type": "not this stage"}) == "The loss went up."
    assert fails_with(check_true, False, "The loss went up.") == "The loss went up."

def test_check_module_spots_a_class_that_was_not_called():
    assert fails_with(check_module, nn.Linear, nn.Linear, name="layer") == (
        "`layer` is the class Linear itself; create a layer by calling it, e.g. Linear(...)."
    )
    assert fails_with(check_module, nn.ReLU(), nn.Linear, name="layer") == "`layer` is a ReLU, expected a Linear."


def test_check_linear():
    check_linear(nn.Linear(3, 2), 3, 2, name="layer")
    assert fails_with(check_linear, nn.Linear(2, 3), 3, 2, name="layer") == (
        "`layer` is Linear(2, 3), expected Linear(3, 2). Did you swap in_features and out_features?"
    )
    assert fails_with(check_linear, nn.Linear(3, 2, bias=False), 3, 2, name="layer") == "`layer` should have a bias."


def test_check_layer_sizes():
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


def test_check_parameter_count():
    model = nn.Sequential(nn.Linear(8, 4), nn.Linear(4, 2))
    check_parameter_count(model, 46, name="model")
    assert fails_with(check_parameter_count, model, 40, name="model") == "`model` has 46 parameters, expected 40."


def test_check_probabilities():
    check_probabilities(torch.softmax(torch.randn(5, 3), dim=-1), name="probs")
    assert fails_with(check_probabilities, torch.tensor([[1, 0]]), name="probs") == (
        "`probs` has dtype torch.int64; probabilities must be floating point."
    )
    assert "outside [0, 1]" in fails_with(check_probabilities, torch.tensor([[1.5, -0.5]]), name="probs")
    assert fails_with(check_probabilities, torch.tensor([[0.2, 0.2]]), name="probs",
                      hints={"values": "softmax needs dim=-1"}) == (
        "The values of `probs` do not sum to 1 along dim=-1 (sums: [0.4]).\nHint: softmax needs dim=-1"
    )


def test_check_decreased():
    check_decreased([3.0, 2.0, 1.0], name="losses")
    check_decreased(torch.tensor([3.0, 1.0]), name="losses", factor=0.5)
    assert fails_with(check_decreased, [1.0, 2.0], name="losses", hints={"values": "did you call zero_grad()?"}) == (
        "`losses` went from 1 to 2; expected it to go down.\nHint: did you call zero_grad()?"
    )
    assert fails_with(check_decreased, [1.0], name="losses") == (
        "`losses` has 1 values; record one value per epoch or step."
    )
    assert "below 0.5 x the start" in fails_with(check_decreased, [1.0, 0.9], name="losses", factor=0.5)
    import numpy as np

    check_decreased(np.array([3.0, 1.0]), name="losses")
    check_decreased([torch.tensor(3.0), np.float32(1.0)], name="losses")
    assert fails_with(check_decreased, [3.0, "1.0"], name="losses") == (
        "`losses` should hold numbers, one per epoch or step; it holds a str."
    )
    assert fails_with(check_decreased, 3.0, name="losses") == "`losses` is a float, expected a list or tuple."


def test_check_raises():
    check_raises(lambda: nn.Linear(3, 2)(torch.zeros(1, 4)), RuntimeError, name="forward")
    assert fails_with(check_raises, lambda: None, RuntimeError, name="forward") == (
        "`forward` ran without error, expected RuntimeError."
    )
    assert fails_with(check_raises, lambda: 1 / 0, RuntimeError, name="forward") == (
        "`forward` raised ZeroDivisionError, expected RuntimeError."
    )


def test_every_public_checker_is_exported():
    public = {n for n in dir(checks) if n.startswith("check_") and callable(getattr(checks, n))}
    assert public <= set(checks.__all__)
