"""nbgrader finds this environment's ``alembic`` (course.venv_path)."""

import os
import shutil

from course.venv_path import VENV_BIN, ensure_alembic_on_path, env_with_venv_bin, path_with_venv_bin


def test_the_environment_bin_goes_first_once():
    assert path_with_venv_bin("/usr/bin:/bin") == f"{VENV_BIN}{os.pathsep}/usr/bin:/bin"
    assert path_with_venv_bin(path_with_venv_bin("/usr/bin")) == f"{VENV_BIN}{os.pathsep}/usr/bin"
    assert path_with_venv_bin(None) == path_with_venv_bin("") == str(VENV_BIN)


def test_alembic_is_found_by_name_in_this_process_and_in_a_child_environment(monkeypatch):
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    env = env_with_venv_bin({"PATH": "/bin", "HOME": "/h"})
    assert env == {"PATH": f"{VENV_BIN}{os.pathsep}/bin", "HOME": "/h"}
    assert shutil.which("alembic", path=env["PATH"]) == str(VENV_BIN / "alembic")
    ensure_alembic_on_path()
    assert shutil.which("alembic") == str(VENV_BIN / "alembic")
