"""nbgrader_config.py carries the settings a real course depends on."""

from pathlib import Path

from course.grading.testrule import STDERR_AS_OUTPUT
from course.layout import load_config

REPO = Path(__file__).resolve().parents[1]


def config():
    return load_config(REPO)


def test_course_id_and_root_follow_the_file():
    c = config()
    assert c.CourseDirectory.course_id == "dlwp"
    assert Path(c.CourseDirectory.root) == REPO


def test_cell_timeout_fits_cpu_training():
    c = config()
    assert 60 <= c.Execute.timeout <= 600
    assert c.Execute.interrupt_on_timeout is True


def test_deleted_test_cells_are_restored():
    assert config().OverwriteCells.add_missing_cells is True


def test_kernels_nbgrader_starts_send_stderr_as_output():
    # What the line does is tested through nbgrader's Validator in tests/course/grading/test_testrule.py.
    assert config().Execute.extra_arguments == [f"--InteractiveShellApp.exec_lines={STDERR_AS_OUTPUT}"]


def test_feedback_hides_hidden_tests():
    assert "nbgrader.preprocessors.ClearHiddenTests" in config().GenerateFeedback.preprocessors


def test_exchange_root_is_configurable(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXCHANGE", "/srv/hub/exchange")
    assert config().Exchange.root == "/srv/hub/exchange"
    monkeypatch.delenv("NBGRADER_EXCHANGE")
    assert config().Exchange.root == "/srv/nbgrader/exchange"
