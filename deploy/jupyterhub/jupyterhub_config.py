"""JupyterHub for one class of the Deep Learning with PyTorch course, on one server.

Start it with `make hub` (as root), which installs the course environment and the proxy, runs
`classroom.py prepare` and then `jupyterhub -f deploy/jupyterhub/jupyterhub_config.py`.

- People: each student gets their own JupyterLab, started as their own Unix account (made on first
  login, home folder closed to others), with the student tools only (Assignment List, Validate) and the
  course environment (torch, the helpers) ready.
- Course: the course service `/services/<course>/` runs JupyterLab with the formgrader as the grader
  account, in the grader's copy of the course; graders and instructors open it through the hub.
- nbgrader's JupyterHub integration: groups `nbgrader-<course>` and `formgrade-<course>`, filled from
  the class list (`<hub dir>/roster.csv`), and `JupyterHubAuthPlugin` on every server.
- Load: `concurrent_spawn_limit` servers start at once; jupyterhub-idle-culler stops idle servers.
- Log in: `DLWP_HUB_AUTHENTICATOR` names the authenticator (default `lti13`, launched from the LMS;
  `github`, `generic-oauth`, ... from oauthenticator; the tests use `shared-password`). Secrets and
  authenticator settings go in `<hub dir>/local_config.py`, read last.

Every setting comes from classroom.Settings.from_env(); see README, "A class on JupyterHub".
"""

import os
import sys
from pathlib import Path

from tornado.web import HTTPError

sys.path.insert(0, str(Path(__file__).resolve().parent))
import classroom  # noqa: E402 - beside this file

c = get_config()  # noqa: F821 - provided by traitlets when JupyterHub loads this file

settings = classroom.Settings.from_env()
roster = classroom.read_roster(settings.roster)
env_bin = settings.env_prefix / "bin"

# --- Where the hub listens and keeps its state --------------------------------------------------------
c.JupyterHub.bind_url = settings.bind_url
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{settings.hub_port}"
c.JupyterHub.db_url = f"sqlite:///{settings.state_dir / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(settings.state_dir / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.command = [str(classroom.HERE / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
c.ConfigurableHTTPProxy.pid_file = str(settings.state_dir / "proxy.pid")

# --- Who may log in, and in which groups ----------------------------------------------------------------
# The one setting to swap: LTI 1.3 from the LMS in production, a shared password in the tests.
AUTHENTICATORS = {
    "lti13": "ltiauthenticator.lti13.auth.LTI13Authenticator",
    "lti11": "ltiauthenticator.lti11.auth.LTI11Authenticator",
}
c.JupyterHub.authenticator_class = AUTHENTICATORS.get(settings.authenticator, settings.authenticator)
c.Authenticator.allowed_users = set(roster)
c.Authenticator.allow_existing_users = True  # people added on the admin page may log in too
c.Authenticator.blocked_users = {"root"}
c.Authenticator.username_pattern = rf"^{classroom.USERNAME.pattern}$"  # a login name must be a Unix account name
if settings.authenticator == "shared-password":
    c.SharedPasswordAuthenticator.user_password = os.environ.get("DLWP_HUB_PASSWORD")


def refuse_grader(authenticator, handler, authentication):
    """The grader account is a hub user (the formgrader asks the hub for its groups) but nobody logs in
    as it: it runs the course service only."""
    if authentication and authentication.get("name") == settings.grader:
        raise HTTPError(403, f"{settings.grader} is the course's grader account; log in as yourself")
    return authentication


c.Authenticator.post_auth_hook = refuse_grader
c.JupyterHub.load_groups = classroom.groups(settings, roster)
c.JupyterHub.load_roles = classroom.roles(settings, roster)

# --- Students' servers ----------------------------------------------------------------------------------
c.JupyterHub.spawner_class = "localprocess"
c.JupyterHub.concurrent_spawn_limit = settings.spawn_limit
c.Spawner.cmd = [str(env_bin / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.disable_user_config = True  # ~/.jupyter cannot turn instructor tools back on
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 120
c.Spawner.environment = {
    "PATH": f"{env_bin}:/usr/local/bin:/usr/bin:/bin",  # nbgrader calls `alembic` by name
    "JUPYTER_CONFIG_PATH": str(settings.config_dir("student")),
    "NBGRADER_COURSE_ID": settings.course_id,
    "NBGRADER_EXCHANGE": str(settings.exchange),
    "OMP_NUM_THREADS": "1",  # many students share the cores: one compute thread per kernel
}


async def make_account(spawner):
    """Each student's server runs as their own Unix account, made on their first login."""
    account = await classroom.ensure_account(spawner.user.name, settings)
    spawner.environment = {**spawner.environment,
                           "JUPYTER_RUNTIME_DIR": str(settings.runtime_dir(account.pw_name))}


c.Spawner.pre_spawn_hook = make_account

# --- The course service: the grader's JupyterLab with the formgrader, in the course folder ------------
c.JupyterHub.services = [
    {
        "name": settings.course_id,
        "url": f"http://127.0.0.1:{settings.course_port}",
        "command": [str(env_bin / "jupyterhub-singleuser"), f"--ServerApp.root_dir={settings.course_root}"],
        "user": settings.grader,
        "cwd": str(settings.course_root),
        "oauth_no_confirm": True,
        "environment": {
            "PATH": f"{env_bin}:/usr/local/bin:/usr/bin:/bin",
            "JUPYTER_CONFIG_PATH": str(settings.config_dir("course")),
            "JUPYTERHUB_DEFAULT_URL": "/lab",
            "JUPYTER_RUNTIME_DIR": str(settings.runtime_dir(settings.grader)),
            "NBGRADER_COURSE_ID": settings.course_id,
            "NBGRADER_EXCHANGE": str(settings.exchange),
        },
    },
    {
        "name": classroom.CULLER,
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={settings.cull_timeout}",
                    f"--cull-every={max(settings.cull_timeout // 6, 30)}", "--concurrency=5"],
    },
]

# --- Site settings: LTI keys, OAuth secrets, anything local (never committed) -------------------------
if settings.local_config.is_file():
    load_subconfig(str(settings.local_config))  # noqa: F821 - provided by traitlets
