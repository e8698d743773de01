"""The LMS exporters on a fixture course (lmscourse.py): the files Canvas and Moodle import, checked
byte for byte, through ``nbgrader export`` as instructors run it; and the same files from
``python -m course grade --lms``."""

from __future__ import annotations

import csv
import logging
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from democourse import DAY
from lmscourse import DAY1
from nbgrader.api import Gradebook

from course.grading.gradebook import add_assignment
from course.layout import load_config
from course.lms import CanvasExportPlugin, MoodleExportPlugin
from course.lms.mapping import MappingError, read_mapping
from course.lms.plugins import LmsExportError
from course.venv_path import ensure_alembic_on_path, env_with_venv_bin

EXPECTED = Path(__file__).parent / "expected"


def env() -> dict[str, str]:
    return env_with_venv_bin()


def nbgrader_export(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["nbgrader", "export", *args], cwd=root, env=env(), capture_output=True, text=True,
                          timeout=120)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_canvas_file_through_nbgrader_export_is_byte_for_byte_as_expected(lms_course: Path) -> None:
    done = nbgrader_export(lms_course, "--exporter", "course.lms.CanvasExportPlugin",
                           "--CanvasExportPlugin.mapping=lms-ids.csv", "--to", "canvas.csv")
    assert done.returncode == 0, done.stderr
    assert (lms_course / "canvas.csv").read_bytes() == (EXPECTED / "canvas.csv").read_bytes()
    assert (lms_course / "canvas-notes.csv").read_bytes() == (EXPECTED / "canvas-notes.csv").read_bytes()
    # Students only one side knows are named where the instructor reads them, not dropped silently.
    assert "gina is in the gradebook but not in lms-ids.csv: not exported" in done.stderr
    assert "zoe (1099) is in lms-ids.csv but not in the gradebook" in done.stderr


def test_moodle_file_through_nbgrader_export_is_byte_for_byte_as_expected(lms_course: Path) -> None:
    done = nbgrader_export(lms_course, "--exporter", "course.lms.MoodleExportPlugin",
                           "--MoodleExportPlugin.mapping=lms-ids.csv", "--to", "moodle.csv", f"--assignment={DAY1}")
    assert done.returncode == 0, done.stderr
    assert (lms_course / "moodle.csv").read_bytes() == (EXPECTED / "moodle.csv").read_bytes()
    assert (lms_course / "moodle-notes.csv").read_bytes() == (EXPECTED / "moodle-notes.csv").read_bytes()


def test_failed_and_flagged_are_blank_with_a_note_never_zero(lms_course: Path) -> None:
    with Gradebook(f"sqlite:///{lms_course / 'gradebook.db'}", "dlwp") as gb:
        plugin = MoodleExportPlugin(config=load_config(lms_course), to=str(lms_course / "m.csv"),
                                    mapping=str(lms_course / "lms-ids.csv"), assignment=[DAY1])
        plugin.export(gb)
    by_id = {row["lms_id"]: row for row in rows(lms_course / "m.csv")}
    for lms_id, words in (("1003", "failed: timeout"), ("1004", "flagged: tampering")):
        assert by_id[lms_id][DAY1] == ""
        assert "needs manual grading" in by_id[lms_id][f"{DAY1} note"] and words in by_id[lms_id][f"{DAY1} note"]
    assert by_id["1006"][DAY1] == "" and "no submission" in by_id["1006"][f"{DAY1} note"]
    assert by_id["1001"][DAY1] == "5" and by_id["1002"][DAY1] == "1"
    assert plugin.report.unmapped == ["gina"] and plugin.report.not_in_gradebook == ["zoe"]
    assert plugin.report.exported == 6 and plugin.report.blank == 3


def test_canvas_options_choose_the_id_column_and_the_assignment_title(lms_course: Path) -> None:
    with Gradebook(f"sqlite:///{lms_course / 'gradebook.db'}", "dlwp") as gb:
        plugin = CanvasExportPlugin(config=load_config(lms_course), to=str(lms_course / "c.csv"),
                                    mapping=str(lms_course / "lms-ids.csv"), assignment=[DAY1],
                                    id_column="SIS Login ID", column_titles={DAY1: "Day 1 (4711)"})
        plugin.export(gb)
    table = rows(lms_course / "c.csv")
    assert list(table[0]) == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Day 1 (4711)"]
    assert table[0]["Student"] == "Points Possible" and table[0]["Day 1 (4711)"] == "5"
    alice = table[1]
    assert (alice["ID"], alice["SIS Login ID"], alice["Day 1 (4711)"]) == ("", "1001", "5")


@pytest.mark.parametrize("text, message", [
    ("nbgrader_id,canvas\nalice,1\n", "must name the columns nbgrader_id and lms_id (missing: lms_id"),
    ("nbgrader_id,lms_id\nalice,1\nalice,2\n", "line 3: nbgrader id 'alice' is mapped twice"),
    ("nbgrader_id,lms_id\nalice,1\nbob,1\n", "line 3: LMS id '1' is given to both 'alice' and 'bob'"),
    ("nbgrader_id,lms_id\nalice,\n", "line 2: both nbgrader_id and lms_id are needed"),
])
def test_a_bad_mapping_file_is_refused_with_its_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "ids.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as err:
        read_mapping(path)
    assert message in str(err.value)


def test_a_folder_given_as_the_mapping_file_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(MappingError) as err:
        read_mapping(tmp_path)
    assert str(err.value) == f"{tmp_path}: cannot be read (Is a directory)"


def test_a_mapping_saved_by_a_spreadsheet_with_a_bom_and_blank_lines_reads(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_bytes("\ufeffnbgrader_id , lms_id,name\r\nalice,1001,\"A, B\"\r\n,,\r\n".encode("utf-8"))
    users = read_mapping(path)
    assert list(users) == ["alice"] and users["alice"].lms_id == "1001" and users["alice"].name == "A, B"


def test_nbgrader_export_with_a_bad_mapping_or_assignment_fails_clearly_and_writes_nothing(lms_course: Path) -> None:
    (lms_course / "twice.csv").write_text("nbgrader_id,lms_id\nalice,1\nbob,1\n", encoding="utf-8")
    done = nbgrader_export(lms_course, "--exporter", "course.lms.CanvasExportPlugin",
                           "--CanvasExportPlugin.mapping=twice.csv", "--to", "out.csv")
    assert done.returncode == 1 and "LMS id '1' is given to both 'alice' and 'bob'" in done.stderr
    done = nbgrader_export(lms_course, "--exporter", "course.lms.CanvasExportPlugin",
                           "--CanvasExportPlugin.mapping=lms-ids.csv", "--to", "out.csv", "--assignment=day99")
    assert done.returncode == 1 and "no assignment 'day99' in the gradebook" in done.stderr
    done = nbgrader_export(lms_course, "--exporter", "course.lms.CanvasExportPlugin", "--to", "out.csv")
    assert done.returncode == 1 and "CanvasExportPlugin.mapping is not set" in done.stderr
    assert not (lms_course / "out.csv").exists() and not (lms_course / "out-notes.csv").exists()


def test_the_plugin_outside_nbgrader_raises_a_clear_error(lms_course: Path) -> None:
    with Gradebook(f"sqlite:///{lms_course / 'gradebook.db'}", "dlwp") as gb:
        plugin = CanvasExportPlugin(config=load_config(lms_course), mapping=str(lms_course / "nope.csv"))
        with pytest.raises(LmsExportError, match="no such mapping file"):
            plugin.export(gb)


def test_course_grade_refuses_a_missing_or_bad_mapping_before_grading(demo_course: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "course", "grade", DAY, "--lms", "canvas"], cwd=demo_course,
                          env=env(), capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "--lms needs --lms-map FILE" in done.stderr
    (demo_course / "ids.csv").write_text("nbgrader_id,lms_id\nann,1\nann,2\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "course", "grade", DAY, "--lms", "moodle", "--lms-map", "ids.csv"],
                          cwd=demo_course, env=env(), capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "line 3: nbgrader id 'ann' is mapped twice" in done.stderr
    assert not (demo_course / "autograded").exists()


def test_course_grade_writes_both_lms_files_after_grading(demo_course: Path) -> None:
    ensure_alembic_on_path()
    add_assignment(load_config(demo_course), DAY, demo_course / "release", logging.getLogger("tests.lms"))
    release = nbformat.read(str(demo_course / "release" / DAY / f"{DAY}.ipynb"), as_version=4)
    answers = {"ann": "doubled = [2 * n for n in numbers]", "ben": "doubled = []", "cyd": "import os\nos._exit(3)"}
    for student, code in answers.items():
        nb = nbformat.from_dict(release)
        nb.cells[3].source = code
        folder = demo_course / "submitted" / student / DAY
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / f"{DAY}.ipynb"))
    (demo_course / "ids.csv").write_text("nbgrader_id,lms_id\nann,501\nben,502\ncyd,503\nned,599\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "course", "grade", DAY, "--jobs", "2", "--no-feedback",
                           "--lms", "canvas", "--lms", "moodle", "--lms-map", "ids.csv"],
                          cwd=demo_course, env=env(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    autograded = demo_course / "autograded"
    canvas = {row["ID"]: row[DAY] for row in rows(autograded / f"{DAY}-canvas.csv")}
    assert canvas == {"": "1", "501": "1", "502": "0", "503": ""}  # "" is the Points Possible row
    moodle = {row["lms_id"]: (row[DAY], row[f"{DAY} note"]) for row in rows(autograded / f"{DAY}-moodle.csv")}
    assert moodle["503"][0] == "" and "the grader: failed: kernel died" in moodle["503"][1]
    assert moodle["502"] == ("0", "")
    notes = rows(autograded / f"{DAY}-canvas-notes.csv")
    assert [(n["nbgrader_id"], n["state"]) for n in notes] == [("cyd", "needs manual grading"), ("ned", "not exported")]
    assert "canvas: 3 student(s) exported (1 blank grade(s) with a note)" in done.stdout
    assert "moodle: In the mapping file but not in the gradebook: ned" in done.stdout


def test_only_the_students_asked_for_are_exported_and_an_unknown_one_is_refused(lms_course: Path) -> None:
    config = load_config(lms_course)
    with Gradebook(f"sqlite:///{lms_course / 'gradebook.db'}", "dlwp") as gb:
        plugin = MoodleExportPlugin(config=config, to=str(lms_course / "m.csv"),
                                    mapping=str(lms_course / "lms-ids.csv"),
                                    assignment=[DAY1], student=["alice", "carol"])
        plugin.export(gb)
        assert [row["lms_id"] for row in rows(lms_course / "m.csv")] == ["1001", "1003"]
        assert plugin.report.unmapped == [] and plugin.report.not_in_gradebook == []
        plugin = MoodleExportPlugin(config=config, to=str(lms_course / "n.csv"),
                                    mapping=str(lms_course / "lms-ids.csv"),
                                    student=["alice", "nobody"])
        with pytest.raises(LmsExportError, match="neither in the gradebook nor in .*: nobody"):
            plugin.export(gb)
    assert not (lms_course / "n.csv").exists()


def test_a_student_id_that_looks_like_a_formula_stays_text_for_spreadsheets(lms_course: Path) -> None:
    with Gradebook(f"sqlite:///{lms_course / 'gradebook.db'}", "dlwp") as gb:
        gb.add_student('=HYPERLINK("http://x","y")')
        plugin = CanvasExportPlugin(config=load_config(lms_course), to=str(lms_course / "c.csv"),
                                    mapping=str(lms_course / "lms-ids.csv"), assignment=[DAY1])
        plugin.export(gb)
    notes = rows(lms_course / "c-notes.csv")
    assert notes[-3]["nbgrader_id"] == "'=HYPERLINK(\"http://x\",\"y\")" and notes[-3]["state"] == "not exported"
