"""helpers.checks as test cells import it: every checker of every topic module, from one place."""

import pytest

from helpers import checks
from helpers.checks import behaviour, models, training, values


def test_every_public_checker_is_exported():
    public = {n for n in dir(checks) if n.startswith("check_") and callable(getattr(checks, n))}
    assert public <= set(checks.__all__)
    assert set(checks.__all__) == {name for topic in (values, models, training, behaviour) for name in topic.__all__}


@pytest.mark.parametrize("topic", [values, models, training, behaviour], ids=lambda m: m.__name__)
def test_every_checker_of_a_topic_module_is_exported_as_itself(topic):
    assert set(topic.__all__) <= set(checks.__all__)
    assert all(getattr(checks, name) is getattr(topic, name) for name in topic.__all__)
