"""`python -m course grade`'s options: bad limits stop the command before anything is graded."""

from __future__ import annotations

import argparse

import pytest

from course.grade import add_arguments


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="course grade")
    add_arguments(parser)
    return parser.parse_args(["day01_tensors", *argv])


@pytest.mark.parametrize("option", ["--jobs", "--timeout", "--memory", "--processes", "--file-size"])
@pytest.mark.parametrize("value", ["0", "-5", "x"])
def test_a_limit_that_is_not_a_positive_number_is_a_usage_error(option, value, capsys):
    with pytest.raises(SystemExit) as stop:
        parse(option, value)
    assert stop.value.code == 2
    message = capsys.readouterr().err.strip().splitlines()[-1]
    assert message.startswith(f"course grade: error: argument {option}: ")
    assert message.endswith("must be a positive number" if value != "x" else "'x' is not a number")


def test_positive_limits_keep_their_types():
    args = parse("--jobs", "3", "--timeout", "90.5", "--memory", "2", "--processes", "64", "--file-size", "16")
    assert (args.jobs, args.timeout, args.memory, args.processes, args.file_size) == (3, 90.5, 2.0, 64, 16.0)
    assert isinstance(args.jobs, int) and isinstance(args.processes, int)


def test_no_course_here_is_a_one_line_error(monkeypatch, capsys):
    from course import __main__, layout

    def nowhere(start=None):
        raise layout.CourseNotFound("No nbgrader_config.py with a source/ folder found at or above /tmp.")

    monkeypatch.setattr("course.grade.find_root", nowhere)
    with pytest.raises(SystemExit) as stop:
        __main__.main(["grade", "day01_tensors"])
    assert stop.value.code == 2
    assert capsys.readouterr().err == ("python -m course grade: No nbgrader_config.py with a source/ folder found at "
                                       "or above /tmp. Run it in the course folder.\n")
