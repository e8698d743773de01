"""The notebook deadline counts the notebook's time, not the grader's own work."""

from __future__ import annotations

import time

from course.grading.execute import Watchdog


def test_the_deadline_waits_while_the_grader_judges_a_probe():
    killed = []
    watchdog = Watchdog(time.monotonic() + 0.3, None, lambda: killed.append("kill") or None)
    watchdog.start()
    with watchdog.paused():
        time.sleep(0.8)  # e.g. importing pristine modules for the first time
        assert killed == []
    time.sleep(0.1)
    assert killed == []  # the 0.8 s of grader work moved the deadline
    time.sleep(0.6)
    watchdog.stop()
    assert killed  # and the notebook's own time still runs out
