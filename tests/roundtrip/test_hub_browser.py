"""A student on the course's JupyterHub in a real browser: log in, fetch Day 01, run a test, read its hint.

Headless Chromium (Debian's `chromium`, driven by Playwright) against the hub of the ``hub`` fixture on
loopback, after the instructor released Day 01 from the formgrader (``hub_released``). Carol logs in on
the hub's login page, her server starts, she opens nbgrader's Assignment List from the Nbgrader menu
(which offers no formgrader to a student), fetches Day 01, opens it, makes the classic mistake of the
first exercise and sees the test's hint. Screenshots go to artifacts/roundtrip/hub-*.png.
"""

from __future__ import annotations

from test_browser import (  # the same browser, tab and notebook helpers as the JupyterLab browser test
    VISIBLE_PANEL,
    WRONG_LINES,
    browser,  # noqa: F401 - a fixture
    cell,
    page,  # noqa: F401 - a fixture
    run_answer_and_test,
    set_cell_text,
    sync_api,
    wait_executed,
)

DAY = "day01_tensors"
SPAWN_MS = 240_000  # the student's first server start: a new Unix account, then JupyterLab


def test_student_logs_in_fetches_day01_and_sees_a_hint(hub, hub_released, page, day01, artifacts):  # noqa: F811
    carol = hub.name("carol")
    page.goto(f"{hub.url}/hub/login")
    page.locator("#username_input").fill(carol)
    page.locator("#password_input").fill(hub.password)
    page.locator("#login_submit").click()
    page.wait_for_url(f"**/user/{carol}/lab**", timeout=SPAWN_MS)
    sync_api.expect(page.get_by_role("menuitem", name="Nbgrader", exact=True)).to_be_visible(timeout=SPAWN_MS)
    page.screenshot(path=str(artifacts / "hub-01-student-logged-in.png"))

    # The Nbgrader menu: the Assignment List, and no formgrader for a student.
    page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
    assert page.get_by_role("menuitem", name="Formgrader").count() == 0, "a student is offered the formgrader"
    page.get_by_role("menuitem", name="Assignment List").click()
    released = page.locator("#released_assignments_list")
    sync_api.expect(released).to_contain_text(DAY)
    released.get_by_role("button", name="Fetch").click()
    fetched = page.locator("#fetched_assignments_list")
    sync_api.expect(fetched).to_contain_text(DAY)
    page.screenshot(path=str(artifacts / "hub-02-student-fetched.png"))
    assert (hub.home("carol") / DAY / f"{DAY}.ipynb").is_file(), "the fetched notebook is not in Carol's home"

    # Day 01 in her JupyterLab: run the lesson, make the classic mistake, read the hint.
    exercise = day01.exercise_defining("adjusted")
    dtype_hint = exercise.hints("adjustment")["dtype"]
    page.goto(f"{hub.url}/user/{carol}/lab/tree/{DAY}/{DAY}.ipynb?reset")
    sync_api.expect(cell(page, exercise.test_index)).to_be_attached()
    cell(page, exercise.answer_index).locator(".jp-InputPrompt").click()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Above Selected Cell").click()
    last_code_above = max(i for i, c in enumerate(day01.release.cells[: exercise.answer_index])
                          if c.cell_type == "code")
    wait_executed(page, last_code_above)
    set_cell_text(page, exercise.answer_index, exercise.answered_with(WRONG_LINES))
    output = run_answer_and_test(page, exercise.answer_index, exercise.test_index)
    cell(page, exercise.answer_index - 1).evaluate("el => el.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(artifacts / "hub-03-student-sees-hint.png"))
    assert "`adjustment` has dtype torch.float32, expected torch.int64." in output, output
    assert f"Hint: {dtype_hint}" in " ".join(output.split()), output
    assert page.locator(f"{VISIBLE_PANEL} .validate-button").count() == 1, "no Validate button for the student"

