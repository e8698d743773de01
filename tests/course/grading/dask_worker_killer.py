"""A Dask worker preload for the tests (``dask worker --preload THIS_FILE``): the worker process is
killed (SIGKILL) a few seconds into a marked student's notebook, as if its machine went away.

``COURSE_TEST_KILLS`` names a folder and which students: ``FOLDER:ONCE:ALWAYS``. The worker dies
on the first try of student ONCE only (its notebook must then run again elsewhere) and on every try
of student ALWAYS (a notebook that kills every worker it lands on). Each kill appends the dying
worker's pid to ``FOLDER/STUDENT``.
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

from course.grading import cluster

FOLDER, ONCE, ALWAYS = os.environ["COURSE_TEST_KILLS"].split(":")
DELAY_SECONDS = 3.0
# Dask imports a preload again in the same process ("Reload module"): keep the real function once.
if not hasattr(cluster, "unpatched_run_on_worker"):
    cluster.unpatched_run_on_worker = cluster.run_on_worker
_run_on_worker = cluster.unpatched_run_on_worker


def run_on_worker(staged: cluster.StagedJob) -> cluster.PlacedResult:
    student = staged.job.student
    marks = Path(FOLDER) / student
    if student == ALWAYS or (student == ONCE and not marks.exists()):
        with marks.open("a") as handle:
            handle.write(f"{os.getpid()}\n")
        threading.Timer(DELAY_SECONDS, os.kill, (os.getpid(), signal.SIGKILL)).start()
    return _run_on_worker(staged)


# Tasks name the function by module and name, so the worker looks it up here.
cluster.run_on_worker = run_on_worker
