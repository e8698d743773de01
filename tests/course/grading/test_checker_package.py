"""A checker in a submodule of the helpers package (``helpers.checks.values``) is watched, fingerprinted
and protected like one in ``helpers.checks``: the grader names the package once (probe_code.HELPERS_PACKAGE)
and matches its modules by prefix."""

from __future__ import annotations

import sys
import types

import pytest

from course.grading import probe_code
from course.grading.codescan import imported_names, scan_code
from course.grading.integrity import IntegrityMonitor
from course.grading.sandbox import package_paths

SUBMODULE = f"{probe_code.HELPERS_PACKAGE}.checks.values"
CHECKERS = '''
def check_close(actual, expected, atol=1e-6):
    """Fails unless actual is within atol of expected."""
    if abs(actual - expected) > atol:
        raise AssertionError(f"{actual} is not close to {expected}")


def check_true(condition, message):
    if not condition:
        raise AssertionError(message)
'''


@pytest.fixture
def values(monkeypatch) -> types.ModuleType:
    """A checker module ``helpers.checks.values`` loaded in this process, as a kernel would have it."""
    module = types.ModuleType(SUBMODULE)
    exec(compile(CHECKERS, f"<{SUBMODULE}>", "exec"), module.__dict__)
    monkeypatch.setitem(sys.modules, SUBMODULE, module)
    return module


def test_modules_under_the_package_belong_to_it_and_look_alikes_do_not():
    assert probe_code.in_package(SUBMODULE, probe_code.HELPERS_PACKAGE)
    assert probe_code.in_package("helpers", "helpers") and probe_code.trusted_module("helpers.checks._core")
    assert not probe_code.in_package("helpers_extra.checks", "helpers")
    assert not probe_code.trusted_module("helpersx")


def test_a_submodule_checker_is_watched_and_fingerprinted(values):
    assert probe_code.watched_objects()[SUBMODULE] is values
    assert SUBMODULE in probe_code.loaded_modules()
    fingerprint = probe_code.details(values)["check_close"]
    assert fingerprint.startswith(f"function:{SUBMODULE}:check_close:")


def test_a_patched_submodule_checker_is_named(values, monkeypatch):
    monitor = IntegrityMonitor()
    monitor.observe(probe_code.probe(monitor.known), "at the start")
    monkeypatch.setattr(values, "check_close", lambda *args, **kwargs: None)
    monitor.observe(probe_code.probe(monitor.known), "before ex1_test")
    assert monitor.problems == [f"{SUBMODULE}.check_close was patched at runtime (before ex1_test)"]


@pytest.mark.parametrize("code, finding", [
    (f"from unittest import mock\nmock.patch('{SUBMODULE}.check_close').start()", f"patches {SUBMODULE}.check_close"),
    (f"import {SUBMODULE}\n{SUBMODULE}.check_true = print", f"assigns {SUBMODULE}.check_true"),
    ("check_close = lambda *args, **kwargs: None", "check_close"),
])
def test_the_static_scan_protects_submodule_checkers(code, finding):
    visible_test = f"from {SUBMODULE} import check_close\n\ncheck_close(total, 6.0)"
    findings = scan_code(code, imported_names([code, visible_test]), {"check_close": f"{SUBMODULE}.check_close"})
    assert any(finding in f for f in findings), findings


def test_the_sandbox_binds_the_installed_package():
    assert package_paths() and all(path.endswith(probe_code.HELPERS_PACKAGE) for path in package_paths())
