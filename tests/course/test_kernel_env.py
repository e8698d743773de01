"""The kernel environment every runner uses (course.kernel_env)."""

import os
from pathlib import Path

from course.kernel_env import THREAD_ENV, answers_worker_env, grading_kernel_env, kernel_environment


def test_verify_kernels_get_one_thread_unless_told_otherwise_and_the_environment_is_restored(monkeypatch):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    with kernel_environment(NBGRADER_EXECUTION="validate"):
        assert os.environ["OMP_NUM_THREADS"] == "1" and os.environ["NBGRADER_EXECUTION"] == "validate"
    assert "OMP_NUM_THREADS" not in os.environ and "NBGRADER_EXECUTION" not in os.environ
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    with kernel_environment():
        assert os.environ["OMP_NUM_THREADS"] == "3"


def test_the_answers_worker_runs_single_threaded_and_headless(tmp_path: Path):
    env = answers_worker_env(tmp_path / "ipython", {"HOME": "/home/x", "OMP_NUM_THREADS": "8"})
    assert env == {"HOME": "/home/x", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MPLBACKEND": "Agg",
                   "IPYTHONDIR": str(tmp_path / "ipython")}


def test_a_graded_kernel_keeps_only_the_locale_and_thread_policy(monkeypatch):
    for key in THREAD_ENV:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("SECRET_TOKEN", "x")
    monkeypatch.setenv("TZ", "UTC")
    env = grading_kernel_env("/tmp/home", "/tmp", 2, {"COURSE_GRADER_RULES": "{}"})
    assert "SECRET_TOKEN" not in env and env["TZ"] == "UTC" and env["COURSE_GRADER_RULES"] == "{}"
    assert env["NBGRADER_EXECUTION"] == "autograde" and env["HOME"] == "/tmp/home"
    assert {key: env[key] for key in THREAD_ENV} == dict.fromkeys(THREAD_ENV, "2")
    monkeypatch.setenv("MKL_NUM_THREADS", "4")  # the grader's own thread policy wins
    env = grading_kernel_env("/tmp/home", "/tmp", 2, {})
    assert env["MKL_NUM_THREADS"] == "4" and "OMP_NUM_THREADS" not in env
