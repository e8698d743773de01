"""The alternative-answer runner: what it accepts, what it reports, and that it can fail."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from democourse import DAY

from course.__main__ import main
from course.answers import Answer, AnswerFileError, AnswerSuite, answer_files, load_answer_file, run_day


def write_answers(folder: Path, body: str, day: str = DAY) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{day}.py"
    path.write_text(textwrap.dedent(body))
    return path


def answer(kind: str, code: str, hint: str = "", label: str = "a", grade_id: str = "ex1_answer") -> Answer:
    return Answer(DAY, grade_id, kind, label, code, hint, "inline")


def problems_of(demo_course: Path, *answers: Answer, timeout: float = 60) -> list[list[str]]:
    run = run_day(demo_course, DAY, list(answers), timeout=timeout)
    assert not run.errors
    by_id = {o.answer.id: o.problems for o in run.outcomes}
    return [by_id[a.id] for a in answers]


def test_correct_and_wrong_answers_that_behave_as_stated_have_no_problems(demo_course):
    results = problems_of(
        demo_course,
        answer("correct", "doubled = [n + n for n in numbers]", label="sum"),
        answer("correct", "doubled = list(map(lambda n: 2 * n, numbers))", label="map"),
        answer("wrong", "doubled = [3 * n for n in numbers]", "`doubled` is [3, 6, 9], expected [2, 4, 6].",
               label="triple"),
    )
    assert results == [[], [], []]


def test_each_problem_is_reported(demo_course):
    results = problems_of(
        demo_course,
        answer("correct", "doubled = [3 * n for n in numbers]", label="wrong but called correct"),
        answer("correct", "doubled = (2, 4, 6)", label="passes only the visible test"),
        answer("correct", "doubled = [2 * n for n in numbers]\n1 / 0", label="cell raises"),
        answer("wrong", "doubled = [2 * n for n in numbers]", "anything", label="passes"),
        answer("wrong", "doubled = [3 * n for n in numbers]", "another hint", label="other message"),
        answer("correct", "doubled = [2 * n for n in numbers]", label="unknown cell", grade_id="ex9_answer"),
        answer("wrong", "doubled = [2 * n for n in numbers", "is not defined", label="does not compile"),
    )
    assert results[0] == ["the visible test fails: AssertionError: `doubled` is [3, 6, 9], expected [2, 4, 6].",
                          "the full test fails: AssertionError: `doubled` is [3, 6, 9], expected [2, 4, 6]."]
    assert results[1] == ["the full test fails: AssertionError"]
    assert results[2] == ["the answer cell raised ZeroDivisionError: division by zero"]
    assert results[3] == ["the visible test passes, so this mistake gets no hint before grading"]
    assert results[4] == ["the visible test fails without the expected text 'another hint'; it says: "
                          "AssertionError: `doubled` is [3, 6, 9], expected [2, 4, 6]."]
    assert results[5] == [f"{DAY} has no answer cell 'ex9_answer'"]
    assert len(results[6]) == 1 and results[6][0].startswith("the answer's code does not compile: SyntaxError")


def test_a_test_cell_writing_to_stderr_does_not_fail_a_correct_answer_as_in_grading(demo_course):
    results = problems_of(
        demo_course,
        answer("correct", "import sys\nclass Loud(list):\n    def __eq__(self, other):\n"
                          "        print('debug', file=sys.stderr)\n        return list(self) == other\n"
                          "doubled = Loud([2, 4, 6])", label="prints"),
        answer("correct", "import warnings\nclass Warns(list):\n    def __eq__(self, other):\n"
                          "        warnings.warn('old API', DeprecationWarning, stacklevel=2)\n"
                          "        return list(self) == other\ndoubled = Warns([2, 4, 6])", label="warns"),
    )
    assert results == [[], []]


def test_an_answer_that_never_ends_times_out_and_the_day_goes_on(demo_course):
    results = problems_of(demo_course, answer("correct", "while True:\n    pass", label="loop"),
                          answer("correct", "doubled = [2 * n for n in numbers]", label="fine"), timeout=3)
    assert results == [["timed out after 3 s"], []]


def test_the_reference_solution_and_other_answers_are_untouched_by_an_answer(demo_course):
    results = problems_of(demo_course, answer("correct", "numbers.append(4)\ndoubled = [2, 4, 6, 8]", label="mutates"),
                          answer("correct", "doubled = [2 * n for n in numbers]", label="after"))
    assert results[1] == []


def test_a_broken_reference_notebook_is_a_day_error(demo_course):
    nb_path = demo_course / "source" / DAY / f"{DAY}.ipynb"
    nb_path.write_text(nb_path.read_text().replace("doubled = [2 * n for n in numbers]", "doubled = None"))
    run = run_day(demo_course, DAY, [answer("correct", "doubled = [2 * n for n in numbers]")])
    assert run.errors == ["ex1_test fails on the reference solution: AssertionError: `doubled` is None; did you "
                          "forget to assign it or to `return` it?"]


def test_answer_files_are_read_and_checked(tmp_path):
    path = write_answers(tmp_path, '''
        ANSWERS = {"ex1_answer": {"correct": {"sum": "doubled = [n + n for n in numbers]"},
                                  "wrong": {"triple": ("doubled = [3 * n for n in numbers]", "expected [2, 4, 6]")}}}
    ''')
    loaded = load_answer_file(path, [DAY])
    assert [(a.kind, a.label, a.hint) for a in loaded] == [("correct", "sum", ""),
                                                           ("wrong", "triple", "expected [2, 4, 6]")]
    assert loaded[0].id == f"{DAY}/ex1_answer/correct/sum"
    assert answer_files([tmp_path]) == [path]


@pytest.mark.parametrize("body, message", [
    ("X = 1", "defines no ANSWERS dict"),
    ("ANSWERS = {'ex1_answer': {'right': {}}}", "unknown keys ['right']"),
    ("ANSWERS = {'ex1_answer': {'wrong': {'a': 'doubled = 1'}}}", "must be a pair (code, expected message text)"),
    ("ANSWERS = {'ex1_answer': {'wrong': {'a': ('doubled = 1', '')}}}", "must be a pair"),
    ("ANSWERS = {'ex1_answer': {'correct': {'a': 3}}}", "must be a string of code"),
    ("ANSWERS = {", "could not be loaded: SyntaxError"),
])
def test_malformed_answer_files_get_a_clear_error(tmp_path, body, message):
    path = write_answers(tmp_path, body)
    with pytest.raises(AnswerFileError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")
                       .replace("]", r"\]")):
        load_answer_file(path, [DAY])


def test_an_answer_file_for_an_unknown_day_is_refused(tmp_path):
    with pytest.raises(AnswerFileError, match="there is no day day02_missing"):
        load_answer_file(write_answers(tmp_path, "ANSWERS = {}", day="day02_missing"), [DAY])


def test_the_suite_runs_days_in_the_background_and_finds_each_outcome(demo_course):
    good = answer("correct", "doubled = [n * 2 for n in numbers]")
    suite = AnswerSuite(demo_course, [good])
    try:
        assert suite.outcome(good).problems == []
    finally:
        suite.close()


def test_cells_run_as_in_a_kernel_with_magics_and_display(demo_course):
    results = problems_of(demo_course, answer("correct", "%time doubled = [2 * n for n in numbers]\ndisplay(doubled)"))
    assert results == [[]]


def test_command_line_checks_a_folder_kept_outside_the_course(demo_course, tmp_path, monkeypatch, capsys):
    outside = tmp_path / "elsewhere"
    write_answers(outside, '''
        ANSWERS = {"ex1_answer": {"correct": {"sum": "doubled = [n + n for n in numbers]"},
                                  "wrong": {"passes": ("doubled = [2, 4, 6]", "never shown")}}}
    ''')
    monkeypatch.chdir(demo_course)
    assert main(["answers", "--answers", str(outside)]) == 1
    out = capsys.readouterr().out
    assert f"{DAY}: 1 correct and 1 wrong answers, 1 with problems" in out
    assert f"FAIL {DAY}/ex1_answer/wrong/passes" in out
    assert "the visible test passes, so this mistake gets no hint before grading" in out
    assert "2 answers, 1 problem(s)." in out
