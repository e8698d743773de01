"""A student's workspace gains new days and never loses work."""

from course.workspace import update_workspace


def test_new_days_are_copied_and_existing_work_is_kept(tmp_path):
    release, workspace = tmp_path / "release", tmp_path / "workspace"
    (release / "day01_tensors").mkdir(parents=True)
    (release / "day01_tensors" / "day01_tensors.ipynb").write_text("released day 1")
    copied, kept = update_workspace(release, workspace)
    assert [str(p) for p in copied] == ["day01_tensors/day01_tensors.ipynb"] and kept == []

    (workspace / "day01_tensors" / "day01_tensors.ipynb").write_text("my answers")
    (release / "day02_linear_layers").mkdir()
    (release / "day02_linear_layers" / "day02_linear_layers.ipynb").write_text("released day 2")
    copied, kept = update_workspace(release, workspace)
    assert [str(p) for p in copied] == ["day02_linear_layers/day02_linear_layers.ipynb"]
    assert [str(p) for p in kept] == ["day01_tensors/day01_tensors.ipynb"]
    assert (workspace / "day01_tensors" / "day01_tensors.ipynb").read_text() == "my answers"
