"""JupyterLab in a real browser: what a student and an instructor see and click.

Headless Chromium (Debian's `chromium`) driven by Playwright, against JupyterLab servers started on
loopback with a random token, on a scratch copy of the course:
- the student's server is started the way `make lab` starts it (course root as working directory,
  `--notebook-dir=workspace`, the student's JupyterLab configuration from etc/jupyter/ on
  JUPYTER_CONFIG_PATH), on a workspace made by `python -m course workspace`;
- the instructor's server runs at the course root, where the formgrader lives, with the course's
  instructor settings (etc/jupyter/instructor on JUPYTER_CONFIG_PATH, as `make instructor` does);
- a hostile and an honest submission are graded and their formgrader and feedback pages opened.
Screenshots go to artifacts/roundtrip/. Set ROUNDTRIP_UPDATE_DOCS=1 to also refresh the README's
screenshot in docs/images/.
"""

from __future__ import annotations

import copy
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
from nbconvert import HTMLExporter

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
STARTUP_SECONDS = 180  # a busy 2-core machine (other test runs, kernels) can take minutes to start a server
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
    """A JupyterLab server on loopback with a token, stopped (with its kernels) by ``stop``.

    The port is picked free just before the server binds it; if another process takes it in between
    (a busy machine), the server exits and is started again on another port, up to ``STARTS`` times.
    """

    STARTS = 3

    def __init__(self, name: str, cwd: Path, root: Path, env: dict[str, str], log: Path):
        self.name, self.token, self.log = name, secrets.token_hex(16), log
        self.cwd, self.root, self.env = cwd, root, env
        self._log_file = log.open("w", encoding="utf-8")
        self.starts = 0
        self._launch()

    def _launch(self) -> None:
        self.starts += 1
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                "--ServerApp.port_retries=0"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers run as root
            args.append("--allow-root")
        self.process = subprocess.Popen(args, cwd=self.cwd, env=self.env, stdout=self._log_file,
                                        stderr=subprocess.STDOUT)

    def wait_ready(self, seconds: float = STARTUP_SECONDS) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if self.starts < self.STARTS and "already in use" in self.log_tail():
                    self._launch()
                    continue
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


def lab_env(env_for, home: Path, exchange: Path, **extra: str) -> dict[str, str]:
    """An isolated Jupyter environment that never reaches beyond loopback (no news, no update check)."""
    env = env_for(home, NBGRADER_EXCHANGE=str(exchange), **extra)
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
    # The instructor's server loads the course's instructor settings, as `make instructor` does.
    instructor_env = lab_env(env_for, tmp / "instructor-home", exchange,
                             JUPYTER_CONFIG_PATH=str(course / "etc" / "jupyter" / "instructor"))
    instructor = Lab("instructor", course, course, instructor_env, artifacts / "lab-instructor.log")
    try:
        student.wait_ready()
        instructor.wait_ready()
        yield {"course": course, "student": student, "instructor": instructor, "instructor_env": instructor_env}
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
    assert "----> " in output and "Traceback" not in output and "helpers/checks" not in output, output
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
    # The list comes from the formgrader's API, which reads every assignment: slow on a busy machine.
    sync_api.expect(table.get_by_role("link", name=days[0], exact=True)).to_be_visible(timeout=VALIDATE_MS)
    for day in days:
        sync_api.expect(table.get_by_role("link", name=day, exact=True)).to_be_visible()
    page.screenshot(path=str(artifacts / "05-instructor-formgrader.png"))


# A student who wants their page to act in the instructor's browser: each vector changes the title, opens a
# dialog or calls the server's API with the instructor's session if it ever runs.
ATTACK = "document.title='pwned'; fetch('/api/contents/nbgrader_config.py'); alert('pwned')"
HOSTILE_MARKDOWN = [
    f"<script>{ATTACK}</script>",
    f"Nice work <img src=x onerror=\"{ATTACK}\">",
    f"<svg><script>{ATTACK}</script></svg> <svg onload=\"{ATTACK}\"></svg>",
    f"[see my notes](javascript:{ATTACK.replace(' ', '')})",
    f"<a href=\"javascript:{ATTACK}\" id=\"notes\">notes</a> <iframe src=\"/api/contents\"></iframe>",
]
HOSTILE_OUTPUTS = [
    {"text/html": f'<p onmouseover="{ATTACK}">hover</p><img src=x onerror="{ATTACK}">', "text/plain": "html"},
    {"application/javascript": ATTACK},
    {"image/svg+xml": f'<svg xmlns="http://www.w3.org/2000/svg"><script>{ATTACK}</script></svg>'},
    {"application/vnd.jupyter.widget-view+json": {"model_id": "x", "version_major": 2, "version_minor": 0}},
]
HOSTILE_CODE = "\n".join([
    "class Output:",
    "    def __init__(self, data):",
    "        self.data = data",
    "",
    "    def _repr_mimebundle_(self, include=None, exclude=None):",
    "        return self.data",
    "",
    "",
    "class Report:",
    "    def _repr_html_(self):",
    f"        return {'<b>report</b><script>' + ATTACK + '</script>'!r}",
    "",
    "",
    *[f"display(Output({bundle!r}))" for bundle in HOSTILE_OUTPUTS],
    "Report()",
])
# What an honest student shows (no IPython imports: the grader's code scan questions those).
HONEST_CODE = """import io
import matplotlib.pyplot as plt
import pandas as pd


class Figure:
    def __init__(self, svg):
        self.svg = svg

    def _repr_svg_(self):
        return self.svg


fig, ax = plt.subplots(figsize=(3, 2))
ax.plot([1, 2, 3], [0.9, 0.5, 0.4])
svg = io.StringIO()
fig.savefig(svg, format="svg")
plt.show()
display(Figure(svg.getvalue()))
pd.DataFrame({"epoch": [1, 2, 3], "loss": [0.9, 0.5, 0.4]})"""


def hostile_submission(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A solved notebook plus script in Markdown, outputs, attachments and metadata."""
    nb.cells += [nbformat.v4.new_markdown_cell(source) for source in HOSTILE_MARKDOWN]
    attached = nbformat.v4.new_markdown_cell("![diagram](attachment:diagram.svg)")
    attached["attachments"] = {"diagram.svg": {"image/svg+xml": f"<svg onload=\"{ATTACK}\"/>"}}
    attached.metadata["tags"] = [f"\" onmouseover=\"{ATTACK}"]
    # As handed in, with the outputs it showed when the student ran it (grading runs it again).
    shown = [nbformat.v4.new_output("display_data", data=bundle) for bundle in HOSTILE_OUTPUTS]
    nb.cells += [attached, nbformat.v4.new_code_cell(HOSTILE_CODE, outputs=shown),
                 nbformat.v4.new_code_cell(HONEST_CODE)]
    nb.metadata["title"] = f"</title><script>{ATTACK}</script>"
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2,
                                                                           "version_minor": 0}}
    return nb


class Visit:
    """A browser context that logs every request and dialog, for one look at pages as a given user."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1280, "height": 1080})
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        # Only loopback and local files: the templates' CDN scripts (MathJax, require.js) are not fetched.
        self.context.route("**/*", lambda route: route.continue_()
                           if urlparse(route.request.url).hostname in LOOPBACK | {"", None} else route.abort())
        self.page = self.context.new_page()
        self.page.set_default_timeout(WAIT_MS)
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_load_state("load")
        self.page.wait_for_timeout(1500)  # an onerror or a late script would have fired by now

    def api_calls(self) -> list[str]:
        """Requests to the Jupyter server's REST API (contents, kernels, terminals, ...). The formgrader's own
        calls (/formgrader/api/) and the browser's CSP reports are not the student's."""
        return [u for u in self.requests if urlparse(u).path.startswith("/api/") and "/security/csp-report" not in u]

    def close(self) -> None:
        self.context.close()


def submission_id(course: Path, student: str) -> str:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="dlwp") as gradebook:
        return gradebook.find_submission_notebook(DAY, DAY, student).id


def test_student_content_is_inert_in_the_formgrader_and_feedback(labs, browser, day01, run, artifacts):
    course, lab = labs["course"], labs["instructor"]
    release = nbformat.read(str(course / "release" / DAY / f"{DAY}.ipynb"), as_version=4)
    submissions = {"mallory": hostile_submission(day01.solve(copy.deepcopy(release))),
                   "alice": day01.solve(copy.deepcopy(release))}
    submissions["alice"].cells.append(nbformat.v4.new_code_cell(HONEST_CODE))
    for student, nb in submissions.items():
        folder = course / "submitted" / student / DAY
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / f"{DAY}.ipynb"))

    # Control: nbconvert's page of the submission as handed in runs the student's script.
    control = artifacts / "hostile-unsanitized.html"
    control.write_text(HTMLExporter(template_name="classic").from_notebook_node(submissions["mallory"])[0])
    visit = Visit(browser)
    try:
        visit.open(control.as_uri())
        assert visit.page.title() == "pwned" and visit.dialogs, \
            "the hostile payload should be live without the sanitizer"
    finally:
        visit.close()

    grade = run([sys.executable, "-m", "course", "grade", DAY], cwd=course, env=labs["instructor_env"], timeout=300,
                log=artifacts / "inert-grade.log")
    assert "TCP" not in grade.stdout + grade.stderr
    graded = nbformat.read(str(course / "autograded" / "mallory" / DAY / f"{DAY}.ipynb"), as_version=4)
    hostile = next(c for c in graded.cells if c.source == HOSTILE_CODE)
    kinds = [sorted(o.get("data", {})) for o in hostile.outputs]
    assert kinds == [["text/html", "text/plain"], ["text/plain"], ["text/plain"], ["text/plain"],
                     ["text/html", "text/plain"]], \
        f"the hostile cell should have run and its outputs been cleaned: {hostile.outputs}"
    # The instructor's settings: /files/ runs no script at all, every page refuses <base>, plug-ins, forms away.
    with urllib.request.urlopen(lab.page_url(f"files/feedback/mallory/{DAY}/{DAY}.html"), timeout=30) as response:
        policy = response.headers["Content-Security-Policy"]
    assert policy.endswith("; sandbox") and "allow-scripts" not in policy and "object-src 'none'" in policy, policy
    pages = {
        "formgrader": lambda student: lab.page_url(f"formgrader/submissions/{submission_id(course, student)}/"),
        "feedback": lambda student: lab.page_url(f"files/feedback/{student}/{DAY}/{DAY}.html"),
        "feedback file": lambda student: (course / "feedback" / student / DAY / f"{DAY}.html").as_uri(),
    }
    for name, url in pages.items():
        visit = Visit(browser)
        try:
            visit.open(url("mallory"))
            visit.page.screenshot(path=str(artifacts / f"06-hostile-{name.replace(' ', '-')}.png"), full_page=True)
            title = visit.page.title()
            assert title != "pwned" and "script" not in title, f"a student's script ran on the {name} page"
            assert not visit.dialogs, f"a student's script opened a dialog on the {name} page"
            assert not visit.api_calls(), f"the {name} page called the server's API: {visit.api_calls()}"
            assert visit.page.locator("a[href^='javascript:' i]").count() == 0
            assert "see my notes" in visit.page.content(), "the student's text should still be shown, as text"

            visit.open(url("alice"))
            for selector in ("img[src^='data:image/png']", "img[src^='data:image/svg+xml']"):
                plot = visit.page.locator(selector).last
                sync_api.expect(plot).to_be_visible()
                assert plot.evaluate("img => img.naturalWidth") > 0, f"{selector} does not display on the {name} page"
            sync_api.expect(visit.page.locator("table", has_text="loss").last).to_be_visible()
            visit.page.screenshot(path=str(artifacts / f"07-honest-{name.replace(' ', '-')}.png"), full_page=True)
        finally:
            visit.close()
