"""JupyterLab in a real browser: what a student and an instructor see and click.

Headless Chromium (Debian's `chromium`) driven by Playwright, against JupyterLab servers started on
loopback with a random token, on a scratch copy of the course:
- the student's server is started the way `make lab` starts it (course root as working directory,
  `--notebook-dir=workspace`, the student's JupyterLab configuration from etc/jupyter/ on
  JUPYTER_CONFIG_PATH), on a workspace made by `python -m course workspace`;
- the instructor's server runs at the course root, where the formgrader lives.
Screenshots go to artifacts/roundtrip/. Set ROUNDTRIP_UPDATE_DOCS=1 to also refresh the README's
screenshot in docs/images/.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.is_file():
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}: run `make system-deps` (as root)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the `playwright` Python package")

DAY = "day01_tensors"
REPO = Path(__file__).resolve().parents[2]
DOCS_IMAGE = REPO / "docs" / "images" / "day01-hint.png"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
STARTUP_SECONDS = 60
WAIT_MS = 30_000       # one UI step (a click, a cell run)
VALIDATE_MS = 120_000  # Validate re-runs the whole notebook in a fresh kernel
VISIBLE_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
sync_api.expect.set_options(timeout=WAIT_MS)  # Playwright's 5 s default is too short on 2 busy cores
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
# A mistake the Day 01 hint names: torch.ones(...) * 2 gives floats where integers are expected.
WRONG_LINES = "adjustment = torch.ones(2, 3) * 2\nadjusted = temperatures + adjustment"


def http_status(url: str) -> int:
    """The HTTP status of a GET on a local server."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lab:
    """A JupyterLab server on loopback with a token, stopped (with its kernels) by ``stop``."""

    def __init__(self, name: str, cwd: Path, root: Path, env: dict[str, str], log: Path):
        self.name, self.port, self.token, self.log = name, free_port(), secrets.token_hex(16), log
        self.url = f"http://127.0.0.1:{self.port}"
        args = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers run as root
            args.append("--allow-root")
        self._log_file = log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(args, cwd=cwd, env=env, stdout=self._log_file, stderr=subprocess.STDOUT)

    def wait_ready(self, seconds: float = STARTUP_SECONDS) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"{self.name} JupyterLab exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        pytest.fail(f"{self.name} JupyterLab was not ready within {seconds} s:\n{self.log_tail()}")

    def page_url(self, path: str) -> str:
        return f"{self.url}/{path.lstrip('/')}{'&' if '?' in path else '?'}token={self.token}"

    def log_tail(self, lines: int = 40) -> str:
        self._log_file.flush()
        return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # SIGTERM: the server shuts its kernels down, then exits
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log_file.close()


def student_lab_env(env_for, home: Path, exchange: Path, course: Path) -> dict[str, str]:
    """The student's environment as `make lab` sets it: the course's student configuration, nothing else
    (no news or update settings of the test's own: the student configuration has to keep them away)."""
    makefile = subprocess.run(["make", "-n", "lab"], cwd=course, capture_output=True,
                              text=True, timeout=60).stdout
    config_path = f"{course}/etc/jupyter/self-study:{course}/etc/jupyter/student"
    assert f'JUPYTER_CONFIG_PATH="{config_path}' in makefile, f"make lab no longer uses {config_path}:\n{makefile}"
    return env_for(home, NBGRADER_EXCHANGE=str(exchange), JUPYTER_CONFIG_PATH=config_path)


def lab_env(env_for, home: Path, exchange: Path) -> dict[str, str]:
    """An isolated Jupyter environment that never reaches beyond loopback (no news, no update check)."""
    env = env_for(home, NBGRADER_EXCHANGE=str(exchange))
    config = Path(env["JUPYTER_CONFIG_DIR"])
    (config / "jupyter_server_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        "c.LabApp.news_url = None\n"
        'c.LabApp.check_for_updates_class = "jupyterlab.handlers.announcements.NeverCheckForUpdate"\n'
    )
    settings = config / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    return env


@pytest.fixture(scope="module")
def labs(tmp_path_factory, course_copy, env_for, run, artifacts):
    """A scratch course with a student workspace, and a running student and instructor JupyterLab."""
    tmp = tmp_path_factory.mktemp("browser")
    course = course_copy(tmp / "course", days=None)
    exchange = tmp / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    student_env = student_lab_env(env_for, tmp / "student-home", exchange, course)
    run([sys.executable, "-m", "course", "workspace"], cwd=course, env=student_env, timeout=60)
    student = Lab("student", course, course / "workspace", student_env, artifacts / "lab-student.log")
    instructor = Lab("instructor", course, course, lab_env(env_for, tmp / "instructor-home", exchange),
                     artifacts / "lab-instructor.log")
    try:
        student.wait_ready()
        instructor.wait_ready()
        yield {"course": course, "student": student, "instructor": instructor}
    finally:
        student.stop()
        instructor.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=WAIT_MS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab (own cookies) that may only talk to loopback; other requests fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 1080})
    blocked: list[str] = []

    def loopback_only(route):
        if urlparse(route.request.url).hostname in LOOPBACK:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", loopback_only)
    tab = context.new_page()
    tab.set_default_timeout(WAIT_MS)
    yield tab
    context.close()
    assert not blocked, f"the page tried to reach beyond loopback: {blocked}"


def cell(page, index: int):
    """The ``index``-th cell (0-based, as in the .ipynb file) of the notebook in view."""
    return page.locator(f"{VISIBLE_PANEL} .jp-Notebook .jp-Cell").nth(index)


def set_cell_text(page, index: int, text: str) -> None:
    """Replace a code cell's text the way a student does: click into it, select all, type."""
    cell(page, index).locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(text)


def wait_executed(page, index: int) -> None:
    """Wait until a code cell shows an execution count (it ran to the end, error or not)."""
    sync_api.expect(cell(page, index).locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"))


def run_answer_and_test(page, answer: int, test: int) -> str:
    """Shift+Enter on the answer cell, Shift+Enter on its test cell; return the test cell's output text."""
    cell(page, answer).locator(".jp-InputPrompt").click()
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    wait_executed(page, test)
    return cell(page, test).locator(".jp-OutputArea").inner_text()


INSTRUCTOR_TOOLS = ("Formgrader", "Create Assignment", "Course List", "Error fetching courses",
                    "exchange directory does not exist", "Jupyter news")


def test_student_lab_shows_student_tools_only(labs, page, artifacts):
    lab = labs["student"]
    page.goto(lab.page_url(f"lab/tree/{DAY}/{DAY}.ipynb?reset"))
    sync_api.expect(cell(page, 0)).to_be_attached()
    page.wait_for_timeout(3000)  # dialogs, side panels and notifications open within a moment of loading
    page.screenshot(path=str(artifacts / "00-student-lab.png"))
    assert page.locator(".jp-Dialog").count() == 0, page.locator(".jp-Dialog").all_inner_texts()
    assert page.locator(".jp-Notification-Toast, .Toastify__toast").count() == 0
    menus = page.locator("#jp-menu-panel").inner_text()
    assert "Nbgrader" not in menus, f"the student's menu bar offers nbgrader's instructor menu: {menus!r}"
    shown = page.locator("body").inner_text()
    assert not [t for t in INSTRUCTOR_TOOLS if t in shown], shown
    page.keyboard.press("Control+Shift+C")  # the command palette lists every command the lab has
    palette = page.locator("#command-palette").inner_text()
    assert not [t for t in INSTRUCTOR_TOOLS if t in palette], palette
    assert page.locator(f"{VISIBLE_PANEL} .validate-button").count() == 1, "the student lost the Validate button"
    for path in ("formgrader", "formgraders", "courses"):
        assert http_status(lab.page_url(path)) == 404, f"the student's server serves /{path}"
    assert not (labs["course"] / "gradebook.db").exists(), "the student's lab created a gradebook"


def test_student_sees_hint_then_passes_and_validates(labs, page, day01, artifacts):
    lab = labs["student"]
    exercise = day01.exercise_defining("adjusted")
    dtype_hint = exercise.hints("adjustment")["dtype"]
    page.goto(lab.page_url(f"lab/tree/{DAY}/{DAY}.ipynb?reset"))
    sync_api.expect(cell(page, exercise.test_index)).to_be_attached()
    cell(page, 0).click()
    page.keyboard.press("Control+b")  # hide the file browser: more room for the notebook
    sync_api.expect(page.locator("#jp-left-stack")).to_be_hidden()
    page.screenshot(path=str(artifacts / "01-student-opens-day01.png"))

    # Run the lesson above the exercise: select the answer cell, Run > Run All Above Selected Cell.
    cell(page, exercise.answer_index).locator(".jp-InputPrompt").click()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Above Selected Cell").click()
    above = day01.release.cells[: exercise.answer_index]
    last_code_above = max(i for i, c in enumerate(above) if c.cell_type == "code")
    wait_executed(page, last_code_above)

    # A classic mistake: the test names it and gives the targeted hint.
    set_cell_text(page, exercise.answer_index, exercise.answered_with(WRONG_LINES))
    output = run_answer_and_test(page, exercise.answer_index, exercise.test_index)
    assert "`adjustment` has dtype torch.float32, expected torch.int64." in output, output
    assert f"Hint: {dtype_hint}" in " ".join(output.split()), output
    # Only the test's own line, the message and the hint: no traceback through the checker's code.
    assert "----> " in output and "Traceback" not in output and "checks.py" not in output, output
    cell(page, exercise.answer_index - 1).evaluate("el => el.scrollIntoView({block: 'start'})")  # the task
    page.wait_for_timeout(300)  # let the scroll settle before the picture
    page.screenshot(path=str(artifacts / "02-student-sees-hint.png"))
    if os.environ.get("ROUNDTRIP_UPDATE_DOCS") == "1":
        DOCS_IMAGE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(artifacts / "02-student-sees-hint.png", DOCS_IMAGE)

    # The right answer passes.
    set_cell_text(page, exercise.answer_index, exercise.solved)
    output = run_answer_and_test(page, exercise.answer_index, exercise.test_index)
    passed = re.search(r"print\([\"'](.+ passed\.)[\"']\)", exercise.test_source)[1]  # "Exercise 1 passed."
    assert passed in output and "Hint:" not in output, output
    page.screenshot(path=str(artifacts / "03-student-passes.png"))

    # Validate: nbgrader saves the notebook, re-runs it and lists the tests that still fail.
    page.locator(f"{VISIBLE_PANEL} .validate-button").click()
    message = page.locator(".jp-Dialog #validation-message")
    message.wait_for(timeout=VALIDATE_MS)
    page.screenshot(path=str(artifacts / "04-student-validates.png"))
    failed_sources = message.locator(".jp-RenderedText pre").all_inner_texts()[0::2]
    page.locator(".jp-Dialog").get_by_role("button", name="Ok").click()
    tests = [c for c in day01.release.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]
    unsolved = [c.source.strip() for c in tests if c.source != exercise.test_source]
    assert sorted(s.strip() for s in failed_sources) == sorted(unsolved), "Validate should list the unsolved exercises"
    saved = nbformat.read(str(labs["course"] / "workspace" / DAY / f"{DAY}.ipynb"), as_version=4)
    assert saved.cells[exercise.answer_index].source == exercise.solved, "Validate did not save the student's answer"


def test_instructor_formgrader_lists_the_assignments(labs, page, artifacts):
    lab = labs["instructor"]
    days = sorted(p.name for p in (labs["course"] / "source").iterdir() if re.fullmatch(r"day\d{2}_\w+", p.name))
    page.goto(lab.page_url("lab?reset"))
    page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
    page.get_by_role("menuitem", name="Formgrader").click()
    table = page.frame_locator("iframe").locator("table")
    for day in days:
        sync_api.expect(table.get_by_role("link", name=day, exact=True)).to_be_visible()
    page.screenshot(path=str(artifacts / "05-instructor-formgrader.png"))
