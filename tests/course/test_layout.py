"""The course's folders are nbgrader's CourseDirectory settings, found through course.layout."""

from pathlib import Path

import pytest
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from course.grading.runner import submitted_students
from course.layout import FOLDER_SETTINGS, course_folder, find_root, folder_name, list_days, load_config, notebook_path

RENAMED = """\
c = get_config()
c.CourseDirectory.submitted_directory = "handed_in"
c.CourseDirectory.autograded_directory = "marked"
"""


@pytest.fixture
def renamed_course(tmp_path: Path) -> Path:
    """A course whose nbgrader_config.py renames the submitted and autograded folders."""
    (tmp_path / "nbgrader_config.py").write_text(RENAMED)
    (tmp_path / "source" / "day01_demo").mkdir(parents=True)
    (tmp_path / "handed_in" / "alice" / "day01_demo").mkdir(parents=True)
    (tmp_path / "handed_in" / "bob" / "day02_other").mkdir(parents=True)
    (tmp_path / "submitted" / "mallory" / "day01_demo").mkdir(parents=True)  # the default name: not used
    return tmp_path


def test_renamed_folders_are_found_where_nbgrader_puts_them(renamed_course: Path):
    config = load_config(renamed_course)
    assert course_folder(renamed_course, "submitted") == renamed_course / "handed_in"
    assert course_folder(renamed_course, "autograded", config) == renamed_course / "marked"
    assert course_folder(renamed_course, "release") == renamed_course / "release"  # not renamed: nbgrader's default
    coursedir = CourseDirectory(config=config)
    for step in ("submitted", "autograded", "feedback", "source", "release"):
        where = coursedir.format_path(getattr(coursedir, FOLDER_SETTINGS[step]), "student", "assignment")
        assert course_folder(renamed_course, step) == Path(where).parent.parent
    assert submitted_students(renamed_course, config, "day01_demo") == ["alice"]
    assert find_root(renamed_course / "handed_in") == renamed_course
    assert list_days(renamed_course) == ["day01_demo"]


def test_defaults_and_a_renamed_source_folder(tmp_path: Path):
    assert folder_name("feedback") == "feedback" and folder_name("submitted", Config()) == "submitted"
    config = 'c = get_config()\nc.CourseDirectory.source_directory = "instructor"\n'
    (tmp_path / "nbgrader_config.py").write_text(config)
    (tmp_path / "instructor" / "day03_x").mkdir(parents=True)
    assert find_root(tmp_path) == tmp_path
    assert notebook_path(tmp_path, "source", "day03_x") == tmp_path / "instructor" / "day03_x" / "day03_x.ipynb"
    with pytest.raises(KeyError):
        folder_name("gradebook")
