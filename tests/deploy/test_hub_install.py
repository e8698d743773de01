"""`make hub-install` builds what the hub needs, in agreement with pyproject.toml and the Makefile's torch pin."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MAKEFILE = (REPO / "Makefile").read_text()


def test_hub_extra_brings_jupyterhub_5_or_newer_the_culler_and_the_authenticators():
    extra = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]["hub"]
    names = {re.split(r"[<>=!\[ ]", d, maxsplit=1)[0].lower(): d for d in extra}
    assert re.search(r">=\s*5", names["jupyterhub"]), names["jupyterhub"]
    assert {"jupyterhub-idle-culler", "jupyterhub-ltiauthenticator", "oauthenticator"} <= set(names)


def test_course_environment_is_made_from_the_system_python_with_the_pinned_cpu_torch():
    assert re.search(r"^HUB_PYTHON \?= /usr/bin/python3\.11$", MAKEFILE, re.M), \
        "students cannot run a Python under /root"
    assert re.search(r'\$\(HUB_ENV\)/bin/python -m course\.install --torch "\$\(TORCH\)".* -- "\.\[hub\]"', MAKEFILE), \
        "the hub's environment installs the same pinned torch build as `make install`"
    assert re.search(r"^test: hub-install$", MAKEFILE, re.M), "`make test` must build what the hub tests need"


def test_proxy_is_configurable_http_proxy_5_from_a_lock_file():
    package = json.loads((REPO / "deploy" / "jupyterhub" / "package.json").read_text())
    lock = json.loads((REPO / "deploy" / "jupyterhub" / "package-lock.json").read_text())
    assert package["dependencies"]["configurable-http-proxy"].startswith("^5")
    assert lock["packages"]["node_modules/configurable-http-proxy"]["version"].startswith("5.")
    assert "npm ci" in MAKEFILE
    assert "deploy/jupyterhub/node_modules/" in (REPO / ".gitignore").read_text()


def hub_stamp(folder) -> str:
    done = subprocess.run(["make", "-pn", "hub-install"], cwd=folder, capture_output=True, text=True, timeout=60)
    return re.search(r"^HUB_STAMP := (.+)$", done.stdout, re.M).group(1)


def test_clones_with_the_same_files_share_one_hub_build_made_under_a_lock(tmp_path):
    copy = tmp_path / "clone"
    for name in ("Makefile", "pyproject.toml", "etc", "helpers", "course"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            copy.mkdir(exist_ok=True)
            shutil.copy(source, copy / name)  # new files, new times: the same content
    assert hub_stamp(copy) == hub_stamp(REPO)
    (copy / "course" / "grade.py").write_text((REPO / "course" / "grade.py").read_text() + "\n# changed\n")
    assert hub_stamp(copy) != hub_stamp(REPO)
    assert "flock $(HUB_PREFIX)/.install.lock sh -c 'test -e $(HUB_STAMP) ||" in MAKEFILE
