"""deploy/jupyterhub/: the class list, nbgrader's groups and roles, who may get a server, and the hub's
configuration as JupyterHub loads it. The hub itself runs for real in tests/roundtrip/test_hub_*.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tornado.web import HTTPError
from traitlets.config.loader import PyFileConfigLoader

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "jupyterhub"

ROSTER = """username,role
# instructors and teaching assistants
ann,instructor
tom,grader

alice,student
bob,student
"""


def test_roster_is_read_with_roles_skipping_comments_and_blank_lines(classroom, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER)
    assert classroom.read_roster(path) == {"ann": "instructor", "tom": "grader", "alice": "student",
                                           "bob": "student"}
    assert classroom.read_roster(tmp_path / "missing.csv") == {}


@pytest.mark.parametrize("text, message", [
    ("name,role\nalice,student\n", r"roster\.csv: the first line must be the header `username,role`"),
    ("username,role\nalice,teacher\n", r"line 2: role 'teacher' is not one of student, grader, instructor"),
    ("username,role\nbob,student\nAlice@uni,student\n", r"line 3: 'Alice@uni' is not a valid Unix account name"),
    ("username,role\n" + "a" * 33 + ",student\n", r"line 2: 'a{33}' is not a valid Unix account name"),
    ("username,role\nalice,student\nalice,grader\n", r"line 3: 'alice' is listed twice"),
])
def test_roster_errors_name_the_file_and_line(classroom, tmp_path, text, message):
    path = tmp_path / "roster.csv"
    path.write_text(text)
    with pytest.raises(classroom.RosterError, match=message):
        classroom.read_roster(path)


def test_groups_follow_nbgrader_naming_and_roles(classroom):
    settings = classroom.Settings.from_env({})
    roster = {"ann": "instructor", "tom": "grader", "alice": "student", "bob": "student"}
    assert classroom.groups(settings, roster) == {
        "nbgrader-dlwp": {"users": ["alice", "ann", "bob"]},
        "formgrade-dlwp": {"users": ["ann", "grader-dlwp", "tom"]},
    }
    roles = {role["name"]: role for role in classroom.roles(settings, roster)}
    student_scopes = roles["nbgrader-dlwp"]["scopes"]
    assert roles["nbgrader-dlwp"]["groups"] == ["nbgrader-dlwp"]
    assert not any(scope.startswith(("access:", "admin")) for scope in student_scopes), student_scopes
    assert "access:services!service=dlwp" in roles["formgrade-dlwp"]["scopes"]
    assert roles["instructor-dlwp"]["users"] == ["ann"]
    assert "read:users:groups!user" in roles["server"]["scopes"]
    assert "groups!group=nbgrader-dlwp" in roles["course-service-dlwp"]["scopes"]
    assert roles["course-service-dlwp"]["services"] == ["dlwp"]
    assert set(roles["jupyterhub-idle-culler"]["scopes"]) == {"list:users", "read:users:activity", "read:servers",
                                                              "delete:servers"}


def test_settings_come_from_the_environment_with_server_defaults(classroom):
    default = classroom.Settings.from_env({})
    assert (default.hub_dir, default.exchange, default.grader) == (Path("/srv/dlwp"), Path("/srv/nbgrader/exchange"),
                                                                   "grader-dlwp")
    assert default.course_root == Path("/home/grader-dlwp/dlwp")
    assert default.authenticator == "lti13" and default.bind_url == "http://:8000"
    custom = classroom.Settings.from_env({"NBGRADER_COURSE_ID": "dl2", "DLWP_HOME_BASE": "/srv/homes",
                                          "DLWP_SPAWN_LIMIT": "4"})
    assert (custom.grader, custom.course_root, custom.spawn_limit) == (
        "grader-dl2", Path("/srv/homes/grader-dl2/dl2"), 4)
    assert custom.student_group == "nbgrader-dl2" and custom.formgrade_group == "formgrade-dl2"


@pytest.mark.parametrize("name, reason", [
    ("root", "is a system account"),
    ("daemon", "is a system account"),
    ("grader-dlwp", "is the course's grader account"),
    ("Alice", "is not a valid Unix account name"),
    ("alice@uni.edu", "is not a valid Unix account name"),
])
def test_nobody_gets_a_server_as_a_system_or_grader_account(classroom, name, reason):
    with pytest.raises(ValueError, match=reason):
        classroom.check_person(name, classroom.Settings.from_env({}))


def test_a_new_student_may_get_a_server(classroom):
    classroom.check_person("dlwp-nobody-yet", classroom.Settings.from_env({}))  # no account yet: made at spawn


def test_hub_config_loads_the_class_and_its_servers(hub_config, tmp_path):
    config = hub_config(ROSTER, DLWP_HUB_AUTHENTICATOR="shared-password", DLWP_HUB_PASSWORD="a-long-password")
    hub = tmp_path / "hub"
    assert config.JupyterHub.authenticator_class == "shared-password"
    assert config.SharedPasswordAuthenticator.user_password == "a-long-password"
    assert config.Authenticator.allowed_users == {"ann", "tom", "alice", "bob"}
    assert set(config.JupyterHub.load_groups) == {"nbgrader-dlwp", "formgrade-dlwp"}
    assert config.JupyterHub.concurrent_spawn_limit == 10
    assert config.Spawner.environment["JUPYTER_CONFIG_PATH"] == str(hub / "etc" / "student")
    assert config.Spawner.environment["NBGRADER_EXCHANGE"] == "/srv/nbgrader/exchange"
    assert config.Spawner.disable_user_config is True
    services = {s["name"]: s for s in config.JupyterHub.services}
    course = services["dlwp"]
    assert course["user"] == "grader-dlwp" and course["cwd"] == "/home/grader-dlwp/dlwp"
    assert course["environment"]["JUPYTER_CONFIG_PATH"] == str(hub / "etc" / "course")
    assert "--timeout=3600" in services["jupyterhub-idle-culler"]["command"]
    assert re.fullmatch(config.Authenticator.username_pattern, "alice")
    assert not re.fullmatch(config.Authenticator.username_pattern, "alice@uni.edu")


def test_default_authenticator_is_lti_and_the_grader_cannot_log_in(hub_config):
    config = hub_config()
    assert config.JupyterHub.authenticator_class == "ltiauthenticator.lti13.auth.LTI13Authenticator"
    hook = config.Authenticator.post_auth_hook
    assert hook(None, None, {"name": "alice"}) == {"name": "alice"}
    with pytest.raises(HTTPError) as refused:
        hook(None, None, {"name": "grader-dlwp"})
    assert refused.value.status_code == 403


def test_site_settings_file_is_read_last(hub_config, tmp_path):
    (tmp_path / "hub").mkdir()
    (tmp_path / "hub" / "local_config.py").write_text("c.JupyterHub.concurrent_spawn_limit = 3\n")
    assert hub_config().JupyterHub.concurrent_spawn_limit == 3


def test_student_servers_load_student_tools_only_and_the_course_service_the_formgrader():
    extension = "nbgrader.server_extensions."
    student = PyFileConfigLoader("jupyter_server_config.py", path=str(DEPLOY / "jupyter" / "student")).load_config()
    course = PyFileConfigLoader("jupyter_server_config.py", path=str(DEPLOY / "jupyter" / "course")).load_config()

    def enabled(config):
        return {k[len(extension):] for k, on in config.ServerApp.jpserver_extensions.items() if on}

    assert enabled(student) == {"assignment_list", "validate_assignment"}
    assert enabled(course) == {"formgrader", "validate_assignment"}
    hidden = json.loads((DEPLOY / "jupyter" / "student" / "labconfig" / "page_config.json").read_text())
    assert set(hidden["disabledExtensions"]) == {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                                                 "@jupyter/nbgrader:course-list"}


def test_the_course_service_serves_student_content_as_inertly_as_make_instructor():
    from course.serving import INSTRUCTOR_CSP

    for folder in (DEPLOY / "jupyter" / "course", DEPLOY.parents[1] / "etc" / "jupyter" / "instructor"):
        config = PyFileConfigLoader("jupyter_server_config.py", path=str(folder)).load_config()
        assert config.ServerApp.tornado_settings["headers"]["Content-Security-Policy"] == INSTRUCTOR_CSP, folder
        assert config.ContentsManager.files_handler_class == "course.serving.InertFilesHandler", folder


def test_validate_on_a_students_server_follows_the_grading_rule_for_stderr():
    from course.grading.testrule import STDERR_AS_OUTPUT

    student = PyFileConfigLoader("nbgrader_config.py", path=str(DEPLOY / "jupyter" / "student"))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NBGRADER_COURSE_ID", "dlwp")
        env.setenv("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
        config = student.load_config()
    assert config.Execute.extra_arguments == [f"--InteractiveShellApp.exec_lines={STDERR_AS_OUTPUT}"]
    course = PyFileConfigLoader("nbgrader_config.py", path=str(DEPLOY.parents[1])).load_config()
    assert config.Execute.extra_arguments == course.Execute.extra_arguments
