"""Honest but unusual work on four real days ends graded with full marks, and nbgrader agrees.

One batch (conftest.honest_batch): each submission is a day's solution plus one habit that used to cost
points or get the work flagged (honest_fixtures.py). Each day is graded by ``python -m course grade``
and, in a copy of the course, by plain serial ``nbgrader autograde`` with the course's configuration.
"""

from __future__ import annotations

import json

import pytest
from honest_fixtures import DAYS, HONEST

from course.grading.gradebook import snapshot

pytestmark = pytest.mark.grading


def test_the_batch_covers_every_kind_on_four_days():
    assert len(HONEST) >= 12 and len({h.day for h in HONEST}) >= 4 and set(DAYS) == {h.day for h in HONEST}
    assert {"stderr", "worker processes", "static scan", "unseen work", "large output"} <= {h.kind for h in HONEST}


@pytest.mark.parametrize("fixture", HONEST, ids=lambda h: h.student)
def test_honest_work_is_graded_with_full_marks(honest_batch, fixture):
    row = honest_batch.rows[fixture.student]
    exercises = [c for c in row if c.endswith("_test")]
    assert row["status"] == "graded", f"{fixture.student} ({fixture.story}): {row['reason']}"
    assert row["score"] == row["max_score"] == row["raw_score"], (fixture.story, row)
    assert all(row[e] not in ("", "0") for e in exercises), (fixture.story, row)
    for words in fixture.reason:
        assert words in row["reason"], row["reason"]
    if not fixture.reason:
        assert row["reason"] == "", row["reason"]


@pytest.mark.parametrize("day", DAYS)
def test_the_gradebook_is_what_plain_nbgrader_autograde_writes(honest_batch, day):
    students = [h.student for h in HONEST if h.day == day]
    ours = snapshot(honest_batch.root, day, students)
    serial = snapshot(honest_batch.serial_root, day, students)
    assert set(ours) == set(students)
    assert ours == serial


def test_a_print_flood_is_cut_where_it_streams_and_marked(honest_batch):
    path = honest_batch.root / "autograded" / "d01_flood" / "day01_tensors" / "day01_tensors.ipynb"
    assert path.stat().st_size < 1_000_000
    texts = ["".join(o.get("text", "")) for c in json.loads(path.read_text())["cells"] for o in c.get("outputs", [])]
    assert any("output cut here by the grader" in t for t in texts)
    html = honest_batch.root / "feedback" / "d01_flood" / "day01_tensors" / "day01_tensors.html"
    assert html.stat().st_size < 2_000_000


def test_what_a_test_wrote_to_stderr_stays_readable_in_the_feedback(honest_batch):
    html = (honest_batch.root / "feedback" / "d09_tqdm" / "day09_training_loop"
            / "day09_training_loop.html").read_text()
    assert "batches:" in html and "Exercise 5 passed." in html
