"""The statuses, the CSV and the plot stand on plain records, never on the kernel stack."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

KERNEL_STACK = ["execute", "worker", "kernel", "sandbox", "launcher"]


def loaded_by(module: str) -> list[str]:
    """The modules of course.grading a fresh interpreter holds after importing ``module``."""
    code = (f"import json, sys, {module}\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('course.grading.'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("module", ["records", "status", "report", "plot"])
def test_records_statuses_and_reports_import_no_kernel_stack(module):
    loaded = loaded_by(f"course.grading.{module}")
    assert f"course.grading.{module}" in loaded
    assert [m for m in loaded if m.rsplit(".", 1)[1] in KERNEL_STACK] == []


def test_the_check_sees_the_kernel_stack_where_it_is():
    assert "course.grading.execute" in loaded_by("course.grading.worker")
