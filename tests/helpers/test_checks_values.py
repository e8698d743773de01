"""helpers.checks.values: the failure messages are what students read, so each path is tested word for word."""

import pytest
import torch
from torch import nn

from helpers.checks import (
    check_callable,
    check_close,
    check_close_with_mistakes,
    check_dtype,
    check_equal,
    check_in_range,
    check_probabilities,
    check_shape,
    check_tensor,
    check_true,
    check_type,
)

EXPECTED = torch.tensor([[32, 34, 35], [31, 33, 36]])


def test_check_tensor_accepts_the_right_answer():
    check_tensor(EXPECTED.clone(), EXPECTED, name="adjusted")


def test_check_tensor_reports_type_first(fails_with):
    msg = fails_with(check_tensor, [[32, 34, 35], [31, 33, 36]], EXPECTED, name="adjusted")
    assert msg == "`adjusted` is a list, expected a Tensor."


def test_check_tensor_reports_none_as_a_missing_return(fails_with):
    msg = fails_with(check_tensor, None, EXPECTED, name="adjusted")
    assert msg == "`adjusted` is None; did you forget to assign it or to `return` it?"


def test_check_tensor_reports_shape_before_dtype_and_values(fails_with):
    msg = fails_with(check_tensor, EXPECTED.T.float(), EXPECTED, name="adjusted",
                     hints={"shape": "addition keeps the shape of its inputs; did you transpose one of them?"})
    assert msg == ("`adjusted` has shape (3, 2), expected (2, 3).\n"
                   "Hint: addition keeps the shape of its inputs; did you transpose one of them?")


def test_check_tensor_reports_dtype_before_values(fails_with):
    msg = fails_with(check_tensor, EXPECTED.float() + 1, EXPECTED, name="adjusted")
    assert msg == "`adjusted` has dtype torch.float32, expected torch.int64."


def test_check_tensor_reports_values_with_both_tensors_and_where_they_differ(fails_with):
    msg = fails_with(check_tensor, EXPECTED + 1, EXPECTED, name="adjusted", hints={"values": "add 2, not 3"})
    assert msg == ("`adjusted` has the right shape but wrong values: got [[33, 35, 36], [32, 34, 37]], "
                   "expected [[32, 34, 35], [31, 33, 36]]; 6 of 6 values differ, the first at index [0, 0]: "
                   "got 33, expected 32.\nHint: add 2, not 3")


def test_check_tensor_names_the_first_differing_index(fails_with):
    got = EXPECTED.clone()
    got[1, 2] = 0
    msg = fails_with(check_tensor, got, EXPECTED, name="adjusted")
    assert msg.endswith("1 of 6 values differ, the first at index [1, 2]: got 0, expected 36.")


def test_check_tensor_reports_a_0d_tensor_as_a_number(fails_with):
    assert fails_with(check_tensor, torch.tensor(2.0), torch.tensor(7 / 3), name="mean") == (
        "`mean` is 2.0, expected 2.3333."
    )


def test_check_tensor_rounds_floats_in_messages(fails_with):
    msg = fails_with(check_tensor, torch.tensor([0.05, 1 / 3]), torch.tensor([0.06, 0.5]), name="w")
    assert msg == ("`w` has the right shape but wrong values: got [0.05, 0.3333], expected [0.06, 0.5]; "
                   "2 of 2 values differ, the first at index [0]: got 0.05, expected 0.06.")


def test_check_tensor_names_a_known_mistake_at_any_stage(fails_with):
    mistakes = {"divide by t.numel(), not len(t).": torch.tensor(6.0),
                "that is the sum, not the mean.": torch.tensor([[2.0, 4.0]]),
                "a mistake that gives the right answer is ignored.": torch.tensor(3.0)}
    msg = fails_with(check_tensor, torch.tensor(6.0), torch.tensor(3.0), name="average(grid)", mistakes=mistakes,
                     hints={"values": "the generic hint"})
    assert msg == "`average(grid)` is 6.0, expected 3.0.\nHint: divide by t.numel(), not len(t)."
    msg = fails_with(check_tensor, torch.tensor([[2.0, 4.0]]), torch.tensor(3.0), name="average(grid)",
                     mistakes=mistakes)
    assert msg == "`average(grid)` has shape (1, 2), expected ().\nHint: that is the sum, not the mean."
    msg = fails_with(check_tensor, torch.tensor(5.0), torch.tensor(3.0), name="average(grid)", mistakes=mistakes,
                     hints={"values": "the generic hint"})
    assert msg.endswith("Hint: the generic hint")


def test_check_tensor_uses_tolerances_for_floats(fails_with):
    check_tensor(torch.tensor([0.1 + 1e-6]), torch.tensor([0.1]), name="x")
    assert "wrong values" in fails_with(check_tensor, torch.tensor([0.11]), torch.tensor([0.1]), name="x")


def test_check_tensor_can_skip_dtype(fails_with):
    doubles = torch.tensor([1.0, 2.0], dtype=torch.float64)
    check_tensor(doubles, torch.tensor([1.0, 2.0]), name="x", exact_dtype=False)
    assert fails_with(check_tensor, doubles, torch.tensor([1.0, 2.0]), name="x") == (
        "`x` has dtype torch.float64, expected torch.float32."
    )


def test_check_tensor_keeps_the_older_spelling_check_dtype(fails_with):
    doubles = torch.tensor([1.0, 2.0], dtype=torch.float64)
    check_tensor(doubles, torch.tensor([1.0, 2.0]), name="x", check_dtype=False)
    assert "dtype" in fails_with(check_tensor, doubles, torch.tensor([1.0, 2.0]), name="x", check_dtype=True)
    with pytest.raises(TypeError, match="unexpected keyword argument 'exact_dtypes'"):
        check_tensor(doubles, torch.tensor([1.0, 2.0]), name="x", exact_dtypes=False)


def test_check_tensor_summarises_large_tensors_by_their_first_difference(fails_with):
    expected = torch.arange(90)
    got = expected.clone()
    got[[17, 40]] = 3
    msg = fails_with(check_tensor, got, expected, name="labels")
    assert msg == ("`labels` has the right shape but wrong values: 2 of 90 values differ, the first at index [17]: "
                   "got 3, expected 17.")
    assert "shape (90,)" not in msg


def test_check_type_names_all_accepted_types(fails_with):
    assert fails_with(check_type, "3", (int, float), name="n") == "`n` is a str, expected a int or float."


def test_check_callable(fails_with):
    check_callable(len, name="f")
    assert fails_with(check_callable, 3, name="f") == "`f` should be a function, but it is a int."


def test_check_shape_formats_one_dimension_like_python(fails_with):
    assert fails_with(check_shape, torch.zeros(3), (2,), name="b") == "`b` has shape (3,), expected (2,)."


def test_check_dtype(fails_with):
    assert fails_with(check_dtype, torch.zeros(2), torch.int64, name="x") == \
        "`x` has dtype torch.float32, expected torch.int64."


def test_check_close_accepts_one_element_tensors():
    check_close(torch.tensor(0.91682), 0.9168, name="p", atol=1e-3)


def test_check_close_accepts_any_number_type():
    import numpy as np

    for value in (0.375, np.float32(0.375), np.float64(0.375), np.array(0.375),
                  torch.tensor(0.375, dtype=torch.float64), torch.tensor([0.375])):
        check_close(value, 0.375, name="mse")
    check_close(np.int64(6), 6.0, name="count")


def test_check_close_messages(fails_with):
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


SOFTMAX_FIRST = "You applied softmax before CrossEntropyLoss; pass the raw scores."


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


def test_close_with_mistakes_names_the_mistake(fails_with):
    right, wrong = _ce_inputs()
    message = fails_with(check_close_with_mistakes, wrong, right, name="loss", mistakes={SOFTMAX_FIRST: wrong},
                         hints={"values": "generic hint"})
    assert message == f"`loss` is 1.7263, expected about 8.06193.\nHint: {SOFTMAX_FIRST}"


def test_close_with_mistakes_falls_back_to_the_generic_hint(fails_with):
    right, wrong = _ce_inputs()
    message = fails_with(check_close_with_mistakes, 3.0, right, name="loss", mistakes={SOFTMAX_FIRST: wrong},
                         hints={"values": "generic hint"})
    assert message == "`loss` is 3, expected about 8.06193.\nHint: generic hint"


def test_close_with_mistakes_ignores_a_mistake_that_gives_the_right_value(fails_with):
    message = fails_with(check_close_with_mistakes, 2.0, 1.0, name="x", mistakes={"same": 1.0, "other": 2.0})
    assert message.endswith("Hint: other")
    check_close_with_mistakes(1.0, 1.0, name="x", mistakes={"same": 1.0})


def test_close_with_mistakes_keeps_type_and_shape_failures(fails_with):
    right, wrong = _ce_inputs()
    assert "single number" in fails_with(check_close_with_mistakes, torch.ones(2), right, name="loss",
                                         mistakes={SOFTMAX_FIRST: wrong})
    assert "is None" in fails_with(check_close_with_mistakes, None, right, name="loss", mistakes={SOFTMAX_FIRST: wrong})


def test_check_equal(fails_with):
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


def test_check_equal_sequence_messages(fails_with):
    assert fails_with(check_equal, ["yearly_pay", "log_wage"], ["log_wage", "yearly_pay"], name="cols") == (
        "`cols` holds the right items in the wrong order: got ['yearly_pay', 'log_wage'], "
        "expected ['log_wage', 'yearly_pay']."
    )
    assert fails_with(check_equal, ["log_wage"], ["log_wage", "yearly_pay"], name="cols") == (
        "`cols` is ['log_wage'], expected ['log_wage', 'yearly_pay']."
    )
    assert fails_with(check_equal, "log_wage", ["log_wage"], name="cols") == "`cols` is a str, expected a list."
    assert fails_with(check_equal, {"a": 1}, ("a",), name="cols") == "`cols` is a dict, expected a tuple."


def test_check_equal_in_any_order(fails_with):
    check_equal(["b", "a", "a"], ["a", "a", "b"], name="names", ordered=False)
    assert fails_with(check_equal, ["b", "a"], ["a", "a"], name="names", ordered=False) == (
        "`names` is ['b', 'a'], expected ['a', 'a']."
    )


def test_check_equal_keeps_types_for_booleans_and_other_values(fails_with):
    check_equal(False, False, name="flag")
    assert fails_with(check_equal, 0, False, name="flag") == "`flag` is a int, expected a bool."
    assert fails_with(check_equal, "torch.int64", torch.int64, name="dtype") == "`dtype` is a str, expected a dtype."


def test_check_in_range(fails_with):
    import numpy as np

    check_in_range(0.5, 0, 1, name="p")
    check_in_range(np.float32(0.5), 0, 1, name="p")
    check_in_range(torch.tensor(0.5), 0, 1, name="p")
    assert fails_with(check_in_range, "0.5", 0, 1, name="p") == "`p` is a str, expected a number."
    assert fails_with(check_in_range, float("nan"), 0, 1, name="p") == "`p` is nan, expected a value between 0 and 1."
    assert fails_with(check_in_range, 1.5, 0, 1, name="p") == "`p` is 1.5, expected a value between 0 and 1."


def test_check_true_adds_the_hint(fails_with):
    check_true(True, "never shown")
    assert fails_with(check_true, False, "The loss went up.", hint="did you call zero_grad()?") == (
        "The loss went up.\nHint: did you call zero_grad()?"
    )


def test_check_true_takes_hints_by_stage_like_every_checker(fails_with):
    check_true(True, "never shown", hints={"values": "never shown either"})
    assert fails_with(check_true, False, "The loss went up.", hints={"values": "did you call zero_grad()?"}) == (
        "The loss went up.\nHint: did you call zero_grad()?"
    )
    assert fails_with(check_true, False, "The loss went up.", hints={"type": "not this stage"}) == "The loss went up."
    assert fails_with(check_true, False, "The loss went up.") == "The loss went up."


def test_check_probabilities(fails_with):
    check_probabilities(torch.softmax(torch.randn(5, 3), dim=-1), name="probs")
    assert fails_with(check_probabilities, torch.tensor([[1, 0]]), name="probs") == (
        "`probs` has dtype torch.int64; probabilities must be floating point."
    )
    assert "outside [0, 1]" in fails_with(check_probabilities, torch.tensor([[1.5, -0.5]]), name="probs")
    assert fails_with(check_probabilities, torch.tensor([[0.2, 0.2]]), name="probs",
                      hints={"values": "softmax needs dim=-1"}) == (
        "The values of `probs` do not sum to 1 along dim=-1 (sums: [0.4]).\nHint: softmax needs dim=-1"
    )
