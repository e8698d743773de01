import shutil
from pathlib import Path

import pytest
from lmscourse import make_lms_course


@pytest.fixture(scope="session")
def lms_course_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The LMS fixture course, built once (creating an nbgrader gradebook takes seconds)."""
    return make_lms_course(tmp_path_factory.mktemp("lms-course-template"))


@pytest.fixture
def lms_course(lms_course_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the LMS fixture course (see lmscourse.py) for one test."""
    root = tmp_path / "course"
    shutil.copytree(lms_course_template, root)
    return root
