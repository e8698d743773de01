"""The integrity probe and its judge, run in this process (the batch test runs them in real kernels)."""

from __future__ import annotations

import json

import pytest

import helpers.checks
from course.grading import probe_code
from course.grading.integrity import IntegrityMonitor, expected_details, parse_reply, probe_expression


@pytest.fixture(autouse=True)
def pristine_expectations():
    """Expectations come from a helper process (pristine imports there); no test reuses another's."""
    expected_details.cache_clear()
    yield
    expected_details.cache_clear()


def test_pristine_fingerprints_come_from_another_process(monkeypatch):
    monkeypatch.setattr(helpers.checks, "check_equal", print)  # patched here, not in the helper process
    pristine = expected_details("helpers.checks", tuple(probe_code.loaded_modules()))
    assert pristine["check_equal"].startswith("function:helpers.checks.values:check_equal:")
    assert pristine["check_equal"] != probe_code.details(helpers.checks)["check_equal"]
    assert expected_details("no.such.module", ()) is None


def watch(monitor: IntegrityMonitor, when: str) -> None:
    monitor.observe(probe_code.probe(monitor.known), when)


def test_an_untouched_process_raises_nothing():
    monitor = IntegrityMonitor()
    watch(monitor, "at the start")
    watch(monitor, "later")
    assert monitor.problems == []


def test_a_replaced_checker_is_named(monkeypatch):
    monitor = IntegrityMonitor()
    watch(monitor, "at the start")
    monkeypatch.setattr(helpers.checks, "check_equal", lambda *args, **kwargs: None)
    watch(monitor, "before ex1_test")
    assert monitor.problems == ["helpers.checks.check_equal was patched at runtime (before ex1_test)"]
    watch(monitor, "after ex1_test")
    assert len(monitor.problems) == 1  # the same patch is reported once


def test_patched_code_and_defaults_are_caught_even_in_the_same_function_object(monkeypatch):
    monitor = IntegrityMonitor()
    watch(monitor, "at the start")
    loose = tuple(None for _ in helpers.checks.check_close.__defaults__ or ())
    monkeypatch.setattr(helpers.checks.check_close, "__defaults__", loose)
    monkeypatch.setattr(helpers.checks.check_true, "__code__", (lambda condition, message, hint=None: None).__code__)
    watch(monitor, "later")
    patched = [p.split(" was")[0] for p in monitor.problems]
    # Caught under the name test cells import, once, though helpers.checks.values holds the same objects.
    assert sorted(patched) == ["helpers.checks.check_close", "helpers.checks.check_true"]


def test_a_module_first_seen_patched_is_compared_with_a_pristine_import(monkeypatch):
    monitor = IntegrityMonitor()
    monitor.observe({"sigs": {}, "detail": {}, "env": {}, "modules": []}, "at the start")
    monkeypatch.setattr(helpers.checks, "check_equal", print)
    watch(monitor, "before ex1_test")
    assert any(p.startswith("helpers.checks.check_equal") for p in monitor.problems)


def test_hooks_that_decide_how_errors_are_reported_are_watched(monkeypatch):
    monitor = IntegrityMonitor()
    watch(monitor, "at the start")
    monkeypatch.setattr("sys.excepthook", lambda *args: None)
    watch(monitor, "later")
    assert monitor.problems == ["sys.excepthook was patched at runtime (later)"]


def test_recursive_closures_and_odd_objects_are_fingerprinted():
    def outer():
        def inner(n):
            return inner(n - 1) if n else 0
        return inner
    assert probe_code.describe(outer()).startswith("function:")
    assert probe_code.describe(print) == "builtin:builtins:print"
    assert probe_code.describe(property(lambda self: 1)).startswith("property>function:")


def test_probe_reply_round_trip_and_garbage():
    result = {"sigs": {"a": "1"}, "detail": {}, "env": {}, "modules": None}
    reply = {"content": {"user_expressions": {"probe": {"status": "ok",
                                                        "data": {"text/plain": repr(json.dumps(result))}}}}}
    assert parse_reply(reply) == result
    for text in ("'{}'", "not python", repr("[1, 2]")):
        reply["content"]["user_expressions"]["probe"]["data"]["text/plain"] = text
        assert parse_reply(reply) is None
    assert "probe(" in probe_expression({"x": "y"})


@pytest.mark.parametrize("when", ["before ex1_test"])
def test_an_unanswered_probe_is_a_failure_not_a_flag(when):
    monitor = IntegrityMonitor()
    monitor.unanswered(when)
    assert monitor.problems == [] and "stopped answering" in monitor.unresponsive


def test_the_compiler_stacks_effect_is_reproduced_without_importing_it():
    import torch
    import torch._dynamo  # noqa: F401 - what creating an optimizer loads in a kernel

    modules = tuple(probe_code.loaded_modules())
    assert "torch._dynamo" in modules
    pristine = expected_details("torch", modules)
    assert pristine["manual_seed"] == probe_code.details(torch)["manual_seed"]
    assert pristine["manual_seed"] != expected_details("torch", ("torch",))["manual_seed"]
