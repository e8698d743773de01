"""Every command block of README.md, as written and in order, in one clean shell on a fresh copy of the course.

The blocks are read from README.md itself (fenced ``bash``/``sh``/``shell`` blocks), so the README
cannot drift from what works. They run the way a reader types them into one terminal: one ``bash``
session, started in a fresh copy of the course (what a clone holds), with its own HOME and Jupyter
folders and without the virtual environment on PATH, so the README's own set-up block must make
``python -m course`` and ``nbgrader`` work.

What the harness adds, and why, all outside the README's text:
- ``.venv`` in the copy is this environment (a link), so the set-up block finds it installed
  instead of downloading it again;
- ``LAB_ARGS=--no-browser`` and a free ``PORT``, the README's own knobs for JupyterLab;
- a JupyterLab server that a command starts is checked (the student's lab has no formgrader, the
  instructor's has) and then stopped through its API, so the command returns and the next one runs;
- the README's ``make test`` runs one test file and one day (``PYTEST_ADDOPTS``, ``DAYS``): all of it
  is what runs this test;
- what the README asks for in prose is done first: the exchange folder ``/srv/nbgrader/exchange``,
  "created once with mode 777", exists (in a private mount namespace made by bubblewrap: the host's
  /srv is never touched).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
VENV = Path(sys.prefix)
COMMAND_LANGUAGES = {"bash", "sh", "shell"}
FENCE = re.compile(r"^```([\w+-]*)[^\n]*\n(.*?)^```", re.M | re.S)
SERVER_URL = re.compile(r"http://(?:127\.0\.0\.1|localhost):(\d+)/\S*?token=(\w+)")
TOTAL_SECONDS = 1200
BWRAP = shutil.which("bwrap")
# What the README asks for in prose before its commands (see the round-trip section).
PROSE_PREREQUISITES = "mkdir -p /srv/nbgrader/exchange && chmod 777 /srv/nbgrader/exchange"
# The environment variables of the person running the tests that must not reach the README's shell.
LEAKY = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "MAKEFLAGS", "MAKELEVEL", "MFLAGS", "PYTEST_ADDOPTS", "DAYS")
LEAKY_PREFIXES = ("JUPYTER", "NBGRADER", "IPYTHON", "MPLBACKEND", "PYTEST_")


def command_blocks(readme: str) -> list[str]:
    """The README's fenced blocks in a shell language, in order."""
    return [body for language, body in FENCE.findall(readme) if language in COMMAND_LANGUAGES]


def fresh_copy(dest: Path) -> Path:
    """What a fresh clone holds (tracked files plus new ones git does not ignore), mtimes kept."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                         capture_output=True, check=True, timeout=60)
    for name in filter(None, out.stdout.decode().split("\0")):
        source = REPO / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_environment(home: Path, port: int) -> dict[str, str]:
    """A new terminal's environment: no virtual environment, a HOME of its own, the README's knobs."""
    venv_bin = str(VENV / "bin")
    env = {k: v for k, v in os.environ.items() if k not in LEAKY and not k.startswith(LEAKY_PREFIXES)}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "/usr/bin:/bin").split(os.pathsep) if p != venv_bin)
    env.update(HOME=str(home), LAB_ARGS="--no-browser", PORT=str(port), DAYS="day01_tensors",
               PYTEST_ADDOPTS="-q -p no:cacheprovider tests/test_environment.py", PYTHONDONTWRITEBYTECODE="1")
    return env


def shell_script(blocks: list[str]) -> str:
    """One bash session: stop at the first failing command, trace each command, mark each block."""
    parts = ["set -eo pipefail", "export PS4='+ '"]
    for index, block in enumerate(blocks, 1):
        parts += [f"echo '@@block {index} begins'", "set -x", block.rstrip("\n"), "{ set +x; } 2>/dev/null",
                  f"echo '@@block {index} ends'"]
    return "\n".join(parts) + "\n"


def request(url: str, method: str = "GET", token: str = "") -> int:
    """The HTTP status of one request to a local server (redirects not followed)."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    req = urllib.request.Request(url, method=method, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.build_opener(NoRedirect).open(req, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code
    except (urllib.error.URLError, OSError):
        return 0


@dataclass
class Session:
    """The README's shell session: its output, and the JupyterLab servers it started."""

    lines: list[str] = field(default_factory=list)
    servers: list[dict] = field(default_factory=list)
    command: str = ""

    def watch_server(self, port: int, token: str) -> None:
        """Check a JupyterLab that a README command started, then stop it so the command returns."""
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while request(f"{base}/api/status", token=token) != 200:
            if time.monotonic() > deadline:
                break
            time.sleep(0.3)
        self.servers.append({"command": self.command, "port": port,
                             "status": request(f"{base}/api/status", token=token),
                             "formgrader": request(f"{base}/formgrader", token=token),
                             "validate": request(f"{base}/assignments/validate", token=token)})
        request(f"{base}/api/shutdown", method="POST", token=token)

    def read(self, stream) -> None:
        seen: set[tuple[str, str]] = set()
        for raw in iter(stream.readline, ""):
            line = raw.rstrip("\n")
            self.lines.append(line)
            if line.startswith("+ ") and not line.startswith("+ echo"):
                self.command = line[2:]
            match = SERVER_URL.search(line)
            if match and match.groups() not in seen:
                seen.add(match.groups())
                threading.Thread(target=self.watch_server, args=(int(match[1]), match[2]), daemon=True).start()


@pytest.fixture(scope="module")
def readme_run(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Session, list[str]]:
    if BWRAP is None:
        pytest.skip("the README's round trip uses /srv/nbgrader/exchange: this test gives it a private /srv with "
                    "bubblewrap (`make system-deps`)")
    stamp, pyproject = VENV / ".installed", REPO / "pyproject.toml"
    if not stamp.is_file() or stamp.stat().st_mtime < pyproject.stat().st_mtime:
        pytest.skip("this environment is not the one `make install` made from this pyproject.toml: run `make install`")
    tmp = tmp_path_factory.mktemp("readme")
    course = fresh_copy(tmp / "course")
    (course / ".venv").symlink_to(VENV, target_is_directory=True)
    blocks = command_blocks((course / "README.md").read_text(encoding="utf-8"))
    script = tmp / "readme.sh"
    script.write_text(shell_script(blocks), encoding="utf-8")
    home = tmp / "home"
    home.mkdir()
    argv = [BWRAP, "--dev-bind", "/", "/", "--tmpfs", "/srv", "--die-with-parent", "--chdir", str(course), "--",
            "bash", "--noprofile", "--norc", "-c", f"{PROSE_PREREQUISITES} && exec bash --noprofile --norc {script}"]
    session = Session()
    process = subprocess.Popen(argv, env=clean_environment(home, free_port()), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    reader = threading.Thread(target=session.read, args=(process.stdout,), daemon=True)
    reader.start()
    try:
        process.wait(timeout=TOTAL_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    reader.join(timeout=10)
    (REPO / "artifacts").mkdir(exist_ok=True)
    (REPO / "artifacts" / "readme-commands.log").write_text("\n".join(session.lines) + "\n", encoding="utf-8")
    return subprocess.CompletedProcess(argv, process.returncode), session, blocks


def test_the_readme_has_command_blocks_for_set_up_students_instructors_and_checks():
    blocks = command_blocks((REPO / "README.md").read_text(encoding="utf-8"))
    text = "\n".join(blocks)
    assert blocks and "make install" in blocks[0] and "source .venv/bin/activate" in blocks[0]
    for command in ("make lab", "make instructor", "make student-bundle", "make test"):
        assert command in text


def test_every_readme_command_block_works_as_written(readme_run):
    done, session, blocks = readme_run
    tail = "\n".join(session.lines[-60:])
    begun = [line for line in session.lines if line.startswith("@@block") and line.endswith("begins")]
    ended = [line for line in session.lines if line.startswith("@@block") and line.endswith("ends")]
    where = begun[-1] if begun else "before the first block"
    assert done.returncode == 0, f"the README's commands stopped in {where} (exit {done.returncode}):\n{tail}"
    assert len(ended) == len(blocks), f"only {len(ended)} of {len(blocks)} blocks ran:\n{tail}"


def test_the_student_and_instructor_labs_the_readme_starts_are_the_two_doors(readme_run):
    _, session, _ = readme_run
    by_command = {s["command"].split()[1]: s for s in session.servers if s["command"].startswith("make ")}
    assert set(by_command) >= {"lab", "instructor"}, json.dumps(session.servers)
    student, instructor = by_command["lab"], by_command["instructor"]
    assert student["status"] == instructor["status"] == 200
    assert student["formgrader"] == 404, "the student's lab serves the formgrader"
    assert instructor["formgrader"] in (200, 302), "the instructor's lab has no formgrader"
    assert student["validate"] != 404, "the student's lab lost nbgrader's Validate"
