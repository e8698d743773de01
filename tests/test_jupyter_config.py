"""The JupyterLab configurations in etc/jupyter/: what each door turns on and off, as Jupyter resolves them.

`make lab` uses etc/jupyter/self-study on top of etc/jupyter/student; a JupyterHub's student servers use
etc/jupyter/student alone; `make instructor` uses etc/jupyter/instructor. The browser test
(tests/roundtrip/test_browser.py) looks at the student's lab itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "etc" / "jupyter"
RESOLVE = """
import json, os
from jupyter_core.paths import jupyter_config_path, jupyter_path
from jupyter_server.extension.config import ExtensionConfigManager
from jupyterlab.commands import get_app_dir
from jupyterlab_server.config import get_page_config

server = ExtensionConfigManager(read_config_path=jupyter_config_path()).get_jpserver_extensions()
page = get_page_config(jupyter_path("labextensions"), os.path.join(get_app_dir(), "settings"))
print(json.dumps({"server": server, "disabled": sorted(page.get("disabledExtensions", {}))}))
"""
INSTRUCTOR_PLUGINS = {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list",
                      "@jupyter/nbgrader:create-assignment"}
NEWS = "@jupyterlab/apputils-extension:announcements"


def resolved(*folders: str, home: Path) -> dict:
    """The server extensions and disabled JupyterLab plugins with ``folders`` on JUPYTER_CONFIG_PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update(HOME=str(home), JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
               JUPYTER_CONFIG_PATH=os.pathsep.join(str(CONFIG / f) for f in folders))
    done = subprocess.run([sys.executable, "-c", RESOLVE], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("home")


def test_the_student_configuration_keeps_the_students_tools_only(home):
    found = resolved("student", home=home)
    server = found["server"]
    assert server["nbgrader.server_extensions.formgrader"] is False
    assert server["nbgrader.server_extensions.course_list"] is False
    assert server["nbgrader.server_extensions.assignment_list"] is True  # fetch and submit on a JupyterHub
    assert server["nbgrader.server_extensions.validate_assignment"] is True
    assert INSTRUCTOR_PLUGINS | {NEWS} <= set(found["disabled"])
    assert not {"@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:validate-assignment"} & set(found["disabled"])


def test_make_labs_self_study_layer_also_drops_the_assignments_tab(home):
    found = resolved("self-study", "student", home=home)
    assert found["server"]["nbgrader.server_extensions.assignment_list"] is False
    assert found["server"]["nbgrader.server_extensions.formgrader"] is False
    assert found["server"]["nbgrader.server_extensions.validate_assignment"] is True
    assert (INSTRUCTOR_PLUGINS | {NEWS, "@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:menu"}
            <= set(found["disabled"]))
    assert "@jupyter/nbgrader:validate-assignment" not in found["disabled"]


def test_the_instructor_keeps_every_nbgrader_tool(home):
    found = resolved("instructor", home=home)
    assert all(found["server"][f"nbgrader.server_extensions.{name}"] for name in
               ("formgrader", "course_list", "assignment_list", "validate_assignment"))
    assert not [p for p in found["disabled"] if p.startswith("@jupyter/nbgrader")]
