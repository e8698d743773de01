"""Similarity of answers on fixture classes (classes.py): 20 independent correct solutions of two real
days in different styles produce no report line; copies disguised each way are found."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from classes import COPIES, DAYS, REPO, load, run_with_hidden_tests, write_submissions

from course.similarity.answers import Exercise, collect
from course.similarity.compare import Settings, assignment_pairs, compare_exercise, rarity
from course.similarity.tokens import tokenize

SETTINGS = Settings()


def compare_class(root: Path, day: str, students: dict[str, dict[str, str]]):
    write_submissions(root, day, students)
    collected = collect(root / "submitted", day, REPO / "release" / day, REPO / "source" / day)
    results = [compare_exercise(e, {s: a[e.key] for s, a in collected.answers.items() if e.key in a}, SETTINGS)
               for e in collected.exercises]
    return collected, results, assignment_pairs(results, SETTINGS)


# The fixtures are what they claim to be -------------------------------------------------------------

@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("group", ["independent", "copies"])
def test_every_fixture_student_passes_the_visible_and_hidden_tests(day: str, group: str) -> None:
    students = load(day, group)
    assert len(students) == (20 if group == "independent" else len(COPIES[day]))
    failing = {s: f for s, a in students.items() if (f := run_with_hidden_tests(day, a))}
    assert not failing


@pytest.mark.parametrize("day", DAYS)
def test_the_fixture_runner_fails_on_the_released_stubs(day: str) -> None:
    release = nbformat.read(str(REPO / "release" / day / f"{day}.ipynb"), as_version=4)
    stubs = {c.metadata["nbgrader"]["grade_id"]: c.source for c in release.cells
             if c.metadata.get("nbgrader", {}).get("solution")}
    assert len(run_with_hidden_tests(day, stubs)) >= len(stubs)


@pytest.mark.parametrize("day", DAYS)
def test_fixture_students_are_all_different_and_copies_differ_from_their_originals(day: str) -> None:
    independent, copies = load(day, "independent"), load(day, "copies")
    texts = ["\n".join(a.values()) for a in independent.values()]
    assert len(set(texts)) == len(texts)
    for copier, (original, _) in COPIES[day].items():
        differing = [g for g in copies[copier] if copies[copier][g] != independent[original][g]]
        assert len(differing) >= 3, f"{copier} is hardly disguised"


# What the report says ----------------------------------------------------------------------------------

@pytest.mark.parametrize("day", DAYS)
def test_twenty_independent_solutions_produce_no_report_line(day: str, tmp_path: Path) -> None:
    collected, results, pairs = compare_class(tmp_path, day, load(day, "independent"))
    assert len(collected.answers) == 20 and not collected.problems
    assert [p for r in results for p in r.pairs if p.reported(SETTINGS)] == []
    assert pairs == []
    assert sum(len(r.pairs) for r in results) > 100  # they do share code: the weighting is what keeps them apart


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("copier", ["uma", "victor", "wen", "xavier"])
def test_a_copy_disguised_each_way_is_found_among_twenty(day: str, copier: str, tmp_path: Path) -> None:
    original, disguise = COPIES[day][copier]
    students = {**load(day, "independent"), copier: load(day, "copies")[copier]}
    _, results, pairs = compare_class(tmp_path, day, students)
    assert [(p.a, p.b) for p in pairs] == [tuple(sorted((original, copier)))], disguise
    assert pairs[0].share >= 0.95 and len(pairs[0].exercises) >= 3, disguise
    reported = {(p.a, p.b) for r in results for p in r.pairs if p.reported(SETTINGS)}
    assert reported <= {tuple(sorted((original, copier)))}


@pytest.mark.parametrize("day", DAYS)
def test_all_copies_at_once_are_found_and_nothing_else(day: str, tmp_path: Path) -> None:
    students = {**load(day, "independent"), **load(day, "copies")}
    _, _, pairs = compare_class(tmp_path, day, students)
    expected = {tuple(sorted((original, copier))) for copier, (original, _) in COPIES[day].items()}
    assert {(p.a, p.b) for p in pairs} == expected


# The parts -------------------------------------------------------------------------------------------

def test_renaming_comments_and_whitespace_change_no_token() -> None:
    original = ("def f(values, k=2):\n    total = 0\n    for v in values:\n        total += v * k\n"
                "    return torch.tensor(total)\n")
    disguised = ("def f(xs, k=2):  # same thing\n    acc=0\n\n    for item in xs :\n        acc += item*k   # scale\n"
                 "    return torch.tensor( acc )\n")
    assert tokenize(original).text == tokenize(disguised).text


def test_what_cannot_be_renamed_is_kept() -> None:
    assert tokenize("y = torch.from_numpy(a)").text != tokenize("y = torch.asarray(a)").text
    assert tokenize("y = f(a, dtype=b)").text != tokenize("y = f(a, device=b)").text
    assert tokenize("y = len(a)").text != tokenize("y = abs(a)").text


def test_independent_statements_are_put_in_one_order_and_dependent_ones_are_not() -> None:
    first = "a = torch.ones(3)\nb = torch.zeros(2)\nc = a.sum() + b.sum()\nprint(c)\n"
    swapped = "b = torch.zeros(2)\na = torch.ones(3)\nc = a.sum() + b.sum()\nprint(c)\n"
    assert tokenize(first).text == tokenize(swapped).text
    used_before_set = "b = a + 1\na = 2\n"
    set_before_used = "a = 2\nb = a + 1\n"
    assert tokenize(used_before_set).text != tokenize(set_before_used).text
    body = "def g(x):\n    m = x.mean()\n    s = x.std()\n    return (x - m) / s\n"
    body_swapped = "def g(x):\n    s = x.std()\n    m = x.mean()\n    return (x - m) / s\n"
    assert tokenize(body).text == tokenize(body_swapped).text


def test_code_that_does_not_parse_is_still_compared() -> None:
    broken = "x = torch.ones(3\n%timeit x.sum()\n"
    assert len(tokenize(broken).text) > 5


def test_rarity_weighs_code_by_how_few_answers_have_it() -> None:
    assert rarity(2, 20) == 1.0 and rarity(20, 20) == 0.0
    assert 0 < rarity(10, 20) < rarity(5, 20) < rarity(3, 20) < 1


def test_given_code_and_the_instructors_solution_count_for_nothing(tmp_path: Path) -> None:
    exercise = Exercise("ex1", "nb", "ex1", "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()",
                        ("def f(x):\n    return torch.sqrt(x.abs()).sum()",))
    stub = exercise.released
    reference = "def f(x):\n    return torch.sqrt(x.abs()).sum()"
    own = ("def f(x):\n    total = 0\n    for v in x.flatten().tolist():\n        total += math.sqrt(abs(v)) ** 1\n"
           "    return total")
    answers = {"a": stub, "b": stub, "c": reference, "d": reference, "e": own, "f": own}
    result = compare_exercise(exercise, answers, SETTINGS)
    assert set(result.documents) == {"e", "f"} and result.answered == 4
    assert [(p.a, p.b) for p in result.pairs if p.reported(Settings(min_length=5))] == [("e", "f")]


# The command and its report -----------------------------------------------------------------------------

ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "h4", "p", "table", "tr", "th",
                "td", "div", "pre", "mark", "ul", "li"}


class TagAudit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.found.append((tag, attrs))


def course_root(tmp_path: Path, day: str) -> Path:
    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    for folder in ("source", "release"):
        shutil.copytree(REPO / folder / day, root / folder / day)
    return root


def run_course(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course", "similarity", *args], cwd=root, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})


def test_the_command_reports_copies_and_keeps_student_code_inert(tmp_path: Path) -> None:
    day = "day09_training_loop"
    root = course_root(tmp_path, day)
    hostile = '<img src=x onerror=alert("id")>'  # a folder name cannot hold "/"
    students = {**load(day, "independent"), **load(day, "copies")}
    # A student id and code written to break out of the page, copied by a second student.
    payload = dict(students["bilal"])
    payload["ex7_answer"] = (
        "def leaky_columns(table, target, threshold=0.9):\n"
        '    # </pre><script>alert(1)</script><img src=x onerror="alert(2)">\n'
        "    numbers = table.select_dtypes(include=[np.number, bool]).astype(float)\n"
        "    centred = (numbers - numbers.mean()) / numbers.std(ddof=0)\n"
        "    strength = (centred.mul(centred[target], axis=0)).mean().drop(target)\n"
        "    note = '<a href=\"javascript:alert(3)\">x</a>'\n"
        "    return [name for name in strength.index if strength.abs()[name] > threshold]")
    students[hostile] = payload
    students["mallory"] = payload
    write_submissions(root, day, students)
    (root / "submitted" / "broken" / day).mkdir(parents=True)
    (root / "submitted" / "broken" / day / f"{day}.ipynb").write_text("{ not json", encoding="utf-8")

    done = run_course(root, day)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "not read: broken" in done.stdout
    for copier, (original, _) in COPIES[day].items():
        assert f"{min(original, copier)} and {max(original, copier)}:" in done.stdout
    report = root / "autograded" / f"{day}-similarity.html"
    html = report.read_text(encoding="utf-8")
    audit = TagAudit()
    audit.feed(html)
    assert {tag for tag, _ in audit.found} <= ALLOWED_TAGS
    attributes = {name for _, attrs in audit.found for name, _ in attrs}
    assert attributes <= {"lang", "charset", "http-equiv", "content", "name", "class"}
    assert "default-src 'none'" in html
    assert "&lt;img src=x onerror=alert(&quot;id&quot;)&gt; and mallory" in html  # the student id, escaped
    assert "&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html
    assert '<mark class="rare">' in html and "Pairs across the assignment" in html


def test_the_command_refuses_an_assignment_without_submissions(tmp_path: Path) -> None:
    root = course_root(tmp_path, "day01_tensors")
    done = run_course(root, "day01_tensors")
    assert done.returncode != 0 and "No submissions of day01_tensors" in done.stderr
    done = run_course(root, "day01_tensors", "--min-share", "3")
    assert done.returncode != 0 and "--min-share must be in (0, 1]" in done.stderr


def test_the_command_builds_the_release_when_release_is_missing(tmp_path: Path) -> None:
    day = "day01_tensors"
    root = course_root(tmp_path, day)
    write_submissions(root, day, {**load(day, "independent"), **load(day, "copies")})
    shutil.rmtree(root / "release")
    done = run_course(root, day, "--out", "report.html")
    assert done.returncode == 0, done.stderr
    assert "4 pair(s) of students reported" in done.stdout and (root / "report.html").is_file()
    assert not (root / "release").exists()
