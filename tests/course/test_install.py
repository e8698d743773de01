"""The set-up: where torch comes from, what the install says, and how the Makefile finds Python 3.11."""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from course import install

REPO = Path(__file__).resolve().parents[2]
PIN = "torch==2.13.0"


@pytest.fixture
def cpu_index(tmp_path):
    """A local stand-in for PyTorch's CPU index (its torch/ page), on loopback."""
    (tmp_path / "whl" / "cpu" / "torch").mkdir(parents=True)
    (tmp_path / "whl" / "cpu" / "torch" / "index.html").write_text("<a href='torch-2.13.0+cpu.whl'>torch</a>")
    handler = lambda *args: http.server.SimpleHTTPRequestHandler(*args, directory=str(tmp_path))  # noqa: E731
    http.server.SimpleHTTPRequestHandler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/whl/cpu"
    server.shutdown()


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/whl/cpu"


def test_linux_gets_the_cpu_build_from_pytorchs_cpu_index():
    plan = install.torch_plan(PIN, "cpu", "Linux", install.CPU_INDEX, index_ok=True)
    assert plan.requirement == "torch==2.13.0+cpu"
    assert plan.pip_options == ("--extra-index-url", install.CPU_INDEX)
    assert plan.source == install.CPU_INDEX and "CPU build" in plan.notice


def test_an_unreachable_cpu_index_falls_back_to_the_default_index_and_says_so():
    plan = install.torch_plan(PIN, "cpu", "Linux", install.CPU_INDEX, index_ok=False, why_not="timed out")
    assert (plan.requirement, plan.pip_options, plan.source) == (PIN, (), install.DEFAULT_SOURCE)
    assert "cannot be reached (timed out)" in plan.notice and "CUDA build" in plan.notice


def test_the_cuda_switch_and_other_systems_use_the_default_index():
    cuda = install.torch_plan(PIN, "cuda", "Linux", install.CPU_INDEX, index_ok=True)
    mac = install.torch_plan(PIN, "cpu", "Darwin", install.CPU_INDEX, index_ok=False)
    assert (cuda.requirement, cuda.pip_options) == (mac.requirement, mac.pip_options) == (PIN, ())
    assert "TORCH_BUILD=cuda" in cuda.notice and "Darwin build" in mac.notice
    with pytest.raises(ValueError, match="unknown torch build 'rocm'"):
        install.torch_plan(PIN, "rocm", "Linux", install.CPU_INDEX, index_ok=True)


def test_reachability_is_checked_with_a_short_timeout(cpu_index):
    assert install.reachable(cpu_index, 5) == (True, "")
    ok, why = install.reachable(closed_port_url(), 2)
    assert not ok and "refused" in why.lower()
    ok, why = install.reachable(cpu_index.replace("/whl/cpu", "/nowhere"), 5)
    assert (ok, why) == (False, "it answered HTTP 404")


def test_dry_run_names_the_source_and_the_pip_command(cpu_index, capsys, monkeypatch):
    monkeypatch.setattr(install.platform, "system", lambda: "Linux")
    assert install.main(["--dry-run", "--cpu-index", cpu_index, "--", "-e", ".[test]"]) == 0
    out = capsys.readouterr().out
    assert f"torch source: {cpu_index}" in out
    assert f"pip install --quiet --extra-index-url {cpu_index} torch==2.13.0+cpu -e .[test]" in out
    assert install.main(["--dry-run", "--probe-seconds", "2", "--cpu-index", closed_port_url()]) == 0
    out = capsys.readouterr().out
    assert "cannot be reached" in out and "torch source: the default package index (" in out
    assert "pip install --quiet torch==2.13.0" in out and "+cpu" not in out.split("pip command:")[1]


def test_the_build_is_described_as_the_test_suite_checks_it():
    assert install.describe_build({"version": "2.13.0+cpu", "cuda": None}) == "torch 2.13.0+cpu, a CPU build"
    assert install.describe_build({"version": "2.13.0", "cuda": "13.0"}) == "torch 2.13.0, a CUDA 13.0 build"


# The Makefile's set-up, on a copy of just the files it reads, with stand-in Pythons.

def make_course(tmp_path: Path) -> Path:
    course = tmp_path / "course"
    for name in ("Makefile", "pyproject.toml", "etc/make/common.mk"):
        (course / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, course / name)
    return course


def script(path: Path, text: str) -> Path:
    path.write_text("#!/bin/sh\n" + text)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def run_make(course: Path, *args: str, path: str = "/usr/bin:/bin") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON", "MAKEFLAGS", "MAKELEVEL")}
    env["PATH"] = path
    return subprocess.run(["make", "--no-print-directory", *args], cwd=course, env=env, capture_output=True,
                          text=True, timeout=60)


def test_without_python_311_make_says_in_one_sentence_how_to_get_one(tmp_path):
    done = run_make(make_course(tmp_path), "install", "PYTHON_CANDIDATES=no-such-python")
    assert done.returncode != 0
    message = done.stderr.strip().splitlines()[0]
    assert message.startswith("No Python 3.11 found (tried no-such-python): install Python 3.11 (")
    assert message.endswith("or name one with PYTHON=/path/to/python3.11.") and message.count(". ") == 0


def test_a_python_of_another_version_is_refused(tmp_path):
    fake = script(tmp_path / "python3.12", 'case "$1" in --version) echo "Python 3.12.1";; *) exit 1;; esac\n')
    done = run_make(make_course(tmp_path), "install", f"PYTHON={fake}")
    assert done.returncode != 0
    assert f"PYTHON={fake} is Python 3.12.1, but the course needs Python 3.11." in done.stderr


@pytest.mark.parametrize("build", ["cpu", "cuda"])
def test_make_install_creates_the_venv_and_runs_the_install_with_the_pins(tmp_path, build):
    course = make_course(tmp_path)
    log = tmp_path / "calls.log"
    # A stand-in Python 3.11 whose `-m venv DIR` makes a stand-in venv that logs what it is asked to run.
    venv_python = f'#!/bin/sh\necho "$@" >> {log}\n'
    fake = script(tmp_path / "python3.11", f"""case "$1" in
  --version) echo "Python 3.11.9";;
  -c) exit 0;;
  -m) mkdir -p "$3/bin" && printf '%s' '{venv_python}' > "$3/bin/python" && chmod +x "$3/bin/python";;
esac
""")
    args = ["install", f"PYTHON_CANDIDATES={fake}"] + ([f"TORCH_BUILD={build}"] if build != "cpu" else [])
    done = run_make(course, *args)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"First-time set-up: creating .venv/ with {fake} (Python 3.11.9)." in done.stdout
    assert log.read_text().split() == ["-m", "course.install", "--torch", "torch==2.13.0", "--torch-build", build,
                                       "--cpu-index", install.CPU_INDEX, "--", "-e", ".[test]"]
    assert (course / ".venv" / ".installed").is_file()
    assert run_make(course, "install").returncode == 0
    assert len(log.read_text().splitlines()) == 1  # set up once; later runs do nothing
