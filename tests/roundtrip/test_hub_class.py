"""A whole class on the course's JupyterHub: logins, servers, the exchange, grading, and who can see what.

Runs deploy/jupyterhub/ for real (the ``hub`` fixture, course.scratchhub): JupyterHub with
configurable-http-proxy on loopback, one Unix account per person, student servers and the course service
(JupyterLab with the formgrader, as the grader account) from the course environment. Every request goes
through the hub's public address with a token the hub issued to that person after they logged in, the
way JupyterLab's own pages call their server:

- the instructor releases Day 01 in the formgrader (the course service);
- each student fetches it with the Assignment List's endpoint of their own server, Alice solves it and
  Bob leaves it, both submit;
- the instructor collects in the formgrader, grades with ``python -m course grade`` run in the course
  service, releases feedback; each student fetches their own.
Then the walls: a student's token opens neither another student's server nor the formgrader nor the
course service (403), a student's code cannot read the other student's files or the course, and nobody
logs in as the grader account. Last, an instructor adds a student and a grader while the hub runs.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import stat
import time

import nbformat
import pytest
from test_exchange_roundtrip import SCORE_LINE

from course.hubclient import HubError, HubUser

DAY = "day01_tensors"
COURSE = "dlwp"
SERVICE = f"/services/{COURSE}"
STAFF = ("ann", "tom")


def run(coroutine):
    """Run one async step of a test to completion."""
    return asyncio.run(coroutine)


def lab_page_config(page: str) -> dict:
    """JupyterLab's page configuration, as embedded in its /lab page."""
    found = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S)
    assert found, "no jupyter-config-data in the /lab page"
    return json.loads(found[1])


def page_text(page: str) -> str:
    """The visible text of an HTML page (styles, scripts and tags removed, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"(?is)<(style|script)\b.*?</\1>", "", page)))


def assignment_status(listing: dict, day: str = DAY) -> set[str]:
    """The statuses nbgrader's Assignment List reports for ``day`` (released, fetched, submitted)."""
    assert listing.get("success"), listing
    return {a["status"] for a in listing["value"] if a["assignment_id"] == day}


def test_each_person_runs_their_own_server_as_their_own_account(hub, hub_person):
    async def check(short: str):
        async with hub_person(short) as someone:
            cell = await someone.run_cell(
                "import os, pwd, torch, helpers\n"
                "print(pwd.getpwuid(os.getuid()).pw_name, os.getcwd(), torch.__version__.split('+')[0])")
            return cell

    for short in ("alice", "bob"):
        cell = run(check(short))
        assert cell.error is None, cell
        name, cwd, torch_version = cell.text.split()
        assert (name, cwd) == (hub.name(short), str(hub.home(short))), cell.text
        assert torch_version == "2.13.0"
        mode = stat.S_IMODE(hub.home(short).stat().st_mode)
        assert mode == 0o700, f"{short}'s home folder has mode {oct(mode)}: other users could look inside"


def test_students_get_student_tools_and_the_course_service_the_formgrader(hub, hub_person):
    async def check():
        async with hub_person("alice") as alice, hub_person("ann") as ann:
            student_lab = lab_page_config((await alice.server("GET", "lab")).text)
            student_formgrader = await alice.call("GET", f"/user/{alice.name}/formgrader")
            student_assignments = await alice.server("GET", f"assignments?course_id={COURSE}")
            service_lab = lab_page_config((await ann.call("GET", f"{SERVICE}/lab")).text)
            service_formgrader = await ann.call("GET", f"{SERVICE}/formgrader", follow_redirects=True)
            return student_lab, student_formgrader, student_assignments, service_lab, service_formgrader

    student_lab, student_formgrader, student_assignments, service_lab, service_formgrader = run(check())
    hidden = set(student_lab.get("disabledExtensions", []))
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
            "@jupyter/nbgrader:course-list"} <= hidden, hidden
    assert "@jupyter/nbgrader:assignment-list" not in hidden
    assert student_formgrader.status_code == 404, "a student's server serves the formgrader"
    assert student_assignments.json()["success"], student_assignments.text
    assert "@jupyter/nbgrader:formgrader" not in set(service_lab.get("disabledExtensions", []))
    assert "@jupyter/nbgrader:assignment-list" in set(service_lab.get("disabledExtensions", []))
    assert service_formgrader.status_code == 200 and "nbgrader" in service_formgrader.text.lower()


def test_release_fetch_submit_collect_grade_and_feedback_through_the_hub(hub, hub_person, hub_released, day01,
                                                                        artifacts):
    released = day01.release
    notebook = f"{DAY}/{DAY}.ipynb"
    log = artifacts / "hub-roundtrip.log"

    async def round_trip():
        async with hub_person("ann") as ann, hub_person("alice") as alice, hub_person("bob") as bob:
            # The instructor released Day 01 from the formgrader (the hub_released fixture).
            # Students: fetch from their own server's Assignment List; Alice solves, Bob leaves it.
            for student in (alice, bob):
                listing = (await student.server("POST", "assignments/fetch",
                                                data={"course_id": COURSE, "assignment_id": DAY})).json()
                assert "fetched" in assignment_status(listing), listing
                fetched = (await student.server("GET", f"api/contents/{notebook}")).json()["content"]
                assert [c["source"] for c in fetched["cells"]] == [c.source for c in released.cells]
            solved = day01.solve(nbformat.from_dict(
                (await alice.server("GET", f"api/contents/{notebook}")).json()["content"]))
            await alice.server("PUT", f"api/contents/{notebook}",
                               json={"type": "notebook", "format": "json", "content": solved})
            for student in (alice, bob):
                listing = (await student.server("POST", "assignments/submit",
                                                data={"course_id": COURSE, "assignment_id": DAY})).json()
                assert listing.get("success") is not False, listing

            # Instructor: collect in the formgrader, grade in the course service, release feedback.
            answer = await ann.call("POST", f"{SERVICE}/formgrader/api/assignment/{DAY}/collect")
            assert answer.status_code == 200 and answer.json()["success"], answer.text
            grading = await ann.run_cell(
                "import subprocess, sys\n"
                f"done = subprocess.run([sys.executable, '-m', 'course', 'grade', {DAY!r}, '--jobs', '2'],\n"
                "                      capture_output=True, text=True, timeout=480)\n"
                "print(done.stdout, done.stderr, 'EXIT', done.returncode)",
                prefix=SERVICE, timeout=540)
            log.write_text(grading.text)
            assert grading.error is None and grading.text.rstrip().endswith("EXIT 0"), grading.text[-3000:]
            submissions = (await ann.call("GET", f"{SERVICE}/formgrader/api/submissions/{DAY}")).json()
            answer = await ann.call("POST", f"{SERVICE}/formgrader/api/assignment/{DAY}/release_feedback")
            assert answer.status_code == 200 and answer.json()["success"], answer.text

            # Students: fetch feedback; each gets one page, their own.
            pages = {}
            for short, student in (("alice", alice), ("bob", bob)):
                await student.server("POST", "assignments/fetch_feedback",
                                     data={"course_id": COURSE, "assignment_id": DAY})
                folders = (await student.server("GET", f"api/contents/{DAY}/feedback")).json()["content"]
                assert len(folders) == 1, f"{short} has {len(folders)} feedback folders"
                page = await student.server(
                    "GET", f"api/contents/{folders[0]['path']}/{DAY}.html?format=text&type=file")
                pages[short] = page.json()["content"]
            return submissions, pages

    submissions, pages = run(round_trip())
    scores = {s["student"]: s["score"] for s in submissions}
    assert scores == {hub.name("alice"): day01.max_score, hub.name("bob"): 0.0}, submissions
    hidden = day01.hidden_lines()
    adjusted = day01.exercise_defining("adjusted").solved.splitlines()[-1].strip()
    texts = {short: page_text(page) for short, page in pages.items()}
    for short, expected in (("alice", day01.max_score), ("bob", 0.0)):
        text = texts[short]
        score = SCORE_LINE.search(text)
        assert score and float(score[1]) == expected, f"{short}'s feedback shows {score and score[0]}"
        leaked = sorted(line for line in hidden if line in text)
        assert not leaked, f"{short}'s feedback shows hidden-test lines: {leaked}"
    assert adjusted in texts["alice"] and adjusted not in texts["bob"], "feedback went to the wrong student"


def test_a_students_token_opens_nothing_but_their_own_server(hub, hub_person):
    async def statuses(short: str, paths: list[str]) -> dict[str, int]:
        async with hub_person(short) as someone:
            return {path: (await someone.call("GET", path)).status_code for path in paths}

    alice, bob = hub.name("alice"), hub.name("bob")
    forbidden = [f"/user/{bob}/api/contents", f"/user/{bob}/lab", f"{SERVICE}/api/contents",
                 f"{SERVICE}/formgrader", f"{SERVICE}/formgrader/api/submissions/{DAY}", "/hub/api/users"]
    seen = run(statuses("alice", [f"/user/{alice}/api/contents", *forbidden]))
    assert seen.pop(f"/user/{alice}/api/contents") == 200, "Alice cannot open her own server"
    assert seen == dict.fromkeys(forbidden, 403), seen
    # The walls are not simply closed for everyone: staff open the course service, the TA included.
    for short in STAFF:
        staff = run(statuses(short, [f"{SERVICE}/api/contents", f"{SERVICE}/formgrader/api/submissions/{DAY}"]))
        assert set(staff.values()) == {200}, (short, staff)
    assert run(statuses("ann", [f"/user/{bob}/api/contents"])) == {f"/user/{bob}/api/contents": 403}, \
        "the instructor's role should not open a student's server either"


def test_a_students_code_cannot_read_the_other_students_files_or_the_course(hub, hub_person):
    probe = (
        "import os, json\n"
        "def can_read(path):\n"
        "    try:\n"
        "        if os.path.isdir(path):\n"
        "            os.listdir(path)\n"
        "        else:\n"
        "            open(path, 'rb').read(1)\n"
        "        return True\n"
        "    except PermissionError:\n"
        "        return False\n"
        "    except FileNotFoundError:\n"
        "        return None\n"
        "print(json.dumps({p: can_read(p) for p in json.loads(%r)}))\n"
    )

    async def readable(short: str, paths: list[str]) -> dict[str, bool | None]:
        async with hub_person(short) as someone:
            cell = await someone.run_cell(probe % json.dumps(paths))
            assert cell.error is None, cell
            return json.loads(cell.text)

    for me, other in (("alice", "bob"), ("bob", "alice")):
        own, theirs = hub.home(me), hub.home(other)
        # Missing paths (None) are fine: these tests may run in any order. The rest must be refused.
        closed = [str(theirs), str(theirs / DAY / f"{DAY}.ipynb"), str(theirs / ".jupyter"), str(hub.course_root),
                  str(hub.course_root / "gradebook.db"), str(hub.course_root / "source" / DAY / f"{DAY}.ipynb"),
                  str(hub.exchange / COURSE / "inbound")]
        seen = run(readable(me, [str(own), *closed]))
        assert seen.pop(str(own)) is True, f"{me} cannot read their own home folder"
        assert seen[str(theirs)] is False and seen[str(hub.course_root)] is False, seen
        assert not [p for p, ok in seen.items() if ok], f"{me} can read: {[p for p, ok in seen.items() if ok]}"


def test_class_files_are_private_and_the_idle_culler_reads_the_hub(hub):
    roster = hub.root / "hub" / "roster.csv"
    assert stat.S_IMODE(roster.stat().st_mode) == 0o600, "the class list is readable by students"
    state = hub.root / "hub" / "hub"
    assert stat.S_IMODE(state.stat().st_mode) == 0o700, "the hub's database and cookie secret are readable"
    # jupyterhub-idle-culler started and its role lets it list the servers it would stop (its first
    # round comes a moment after the hub is up).
    deadline = time.monotonic() + 60
    while True:
        culler_calls = [line for line in hub.log_tail(100_000).splitlines()
                        if "GET /hub/api/users?" in line and "(jupyterhub-idle-culler@" in line]
        if culler_calls or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert culler_calls, "jupyterhub-idle-culler never listed the users within 60 s"
    assert all(" 200 GET " in line for line in culler_calls), culler_calls


def test_nobody_logs_in_as_the_grader_account(hub):
    async def log_in_as_grader():
        async with HubUser(hub.url, hub.grader) as grader:
            await grader.log_in(hub.password)

    with pytest.raises(HubError, match="could not log in"):
        run(log_in_as_grader())


def test_instructor_adds_a_student_and_a_grader_while_the_hub_runs(hub, hub_person, hub_released):
    """The README's way to add people mid-term: the hub's admin API (what its admin page calls) makes the
    account, nbgrader's `db student add` in the course service puts a student in the course's group,
    and the hub's group API makes a grader."""
    dave, gail = hub.name("dave"), hub.name("gail")

    async def add_people():
        async with hub_person("ann") as ann:
            for name in (dave, gail):
                await ann.hub_json("POST", f"/users/{name}")
            added = await ann.run_cell(
                "import subprocess\n"
                f"done = subprocess.run(['nbgrader', 'db', 'student', 'add', {dave!r}, '--last-name=Doe'],\n"
                "                      capture_output=True, text=True, timeout=120)\n"
                "print(done.stdout, done.stderr, 'EXIT', done.returncode)", prefix=SERVICE, timeout=180)
            await ann.hub_json("POST", f"/groups/formgrade-{COURSE}/users", json={"users": [gail]})
            students = (await ann.hub_json("GET", f"/groups/nbgrader-{COURSE}"))["users"]
        tokens = {}
        for name in (dave, gail):
            async with HubUser(hub.url, name) as newcomer:
                await newcomer.log_in(hub.password)
                tokens[name] = await newcomer.request_token(note="hub tests")
        async with HubUser(hub.url, gail, token=tokens[gail]) as grader, \
                HubUser(hub.url, dave, token=tokens[dave]) as student:
            grader_sees = (await grader.call("GET", f"{SERVICE}/formgrader/api/submissions/{DAY}")).status_code
            student_sees = (await student.call("GET", f"{SERVICE}/formgrader/api/submissions/{DAY}")).status_code
            await student.start_server(deadline=240)
            listing = (await student.server("GET", f"assignments?course_id={COURSE}")).json()
        return added, students, grader_sees, student_sees, listing

    added, students, grader_sees, student_sees, listing = run(add_people())
    assert added.text.rstrip().endswith("EXIT 0"), added.text
    assert dave in students and gail not in students, students
    assert (grader_sees, student_sees) == (200, 403)
    assert "released" in assignment_status(listing), "the new student does not see Day 01"
