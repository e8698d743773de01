"""One course on one JupyterHub: its settings, its class list, and the Unix accounts and folders behind it.

jupyterhub_config.py reads everything it needs from here, so the hub, `make hub` and the tests agree:

- ``Settings.from_env()``: where things live and which ports and authenticator to use, from environment
  variables with defaults for a real server (``DLWP_HUB_DIR=/srv/dlwp``, ``NBGRADER_EXCHANGE``, ...);
- ``read_roster()``: the class list, ``<hub dir>/roster.csv`` with a ``username,role`` header, where a role
  is ``student``, ``grader`` (a teaching assistant who grades) or ``instructor``;
- ``groups()`` and ``roles()``: nbgrader's JupyterHub groups ``nbgrader-<course>`` (students) and
  ``formgrade-<course>`` (who may open the formgrader), and the scopes each of them needs;
- ``ensure_account()``: the Unix account a student's server runs as, made on first login, with a home
  folder only that student can open.

Run as root before the hub starts, ``python classroom.py prepare`` lays out the shared folders: the
exchange every user can reach, the grader account and its copy of the course, and the Jupyter
configuration of the student servers and of the course service.
"""

from __future__ import annotations

import asyncio
import csv
import os
import pwd
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parents[1]
ROLES = ("student", "grader", "instructor")
# Unix account names that useradd accepts everywhere: lower case, 32 characters at most.
USERNAME = re.compile(r"[a-z_][a-z0-9_-]{0,31}")
# Accounts below this uid belong to the system (root, daemons): a hub user never runs as one of them.
FIRST_PERSON_UID = 1000
CULLER = "jupyterhub-idle-culler"  # the name Zero to JupyterHub gives it too


@dataclass(frozen=True)
class Settings:
    """Where one course's hub keeps its state, and how it is reached. Paths are absolute."""

    course_id: str        # nbgrader's course id; also the name of the course service (/services/<course_id>/)
    hub_dir: Path         # roster.csv, local_config.py, hub/ (database, cookie secret), etc/ (server configs)
    exchange: Path        # nbgrader's exchange: every user reaches it
    grader: str           # the Unix account that runs the course service and owns the course
    home_base: Path       # where new accounts get their home folder
    course_root: Path     # the grader's copy of the course (source/, release/, gradebook)
    env_prefix: Path      # the course environment every server runs in (sys.prefix of the hub)
    bind_url: str         # where the hub listens for people, e.g. http://:8000
    hub_port: int         # the hub's own API, on 127.0.0.1
    proxy_api_port: int   # configurable-http-proxy's REST API, on 127.0.0.1
    course_port: int      # the course service, on 127.0.0.1
    authenticator: str    # a JupyterHub authenticator name or class (lti13, github, shared-password, ...)
    spawn_limit: int      # servers starting at once; later logins are told to retry
    cull_timeout: int     # seconds without activity before the idle culler stops a server

    @classmethod
    def from_env(cls, env: os._Environ | dict[str, str] = os.environ) -> "Settings":
        """Settings from environment variables (see README, "A class on JupyterHub"), with defaults."""
        course_id = env.get("NBGRADER_COURSE_ID", "dlwp")
        hub_dir = Path(env.get("DLWP_HUB_DIR", "/srv/dlwp"))
        grader = env.get("DLWP_GRADER", f"grader-{course_id}")
        home_base = Path(env.get("DLWP_HOME_BASE", "/home"))
        return cls(
            course_id=course_id,
            hub_dir=hub_dir,
            exchange=Path(env.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")),
            grader=grader,
            home_base=home_base,
            course_root=Path(env.get("DLWP_COURSE_ROOT", str(home_base / grader / course_id))),
            env_prefix=Path(sys.prefix),
            bind_url=env.get("DLWP_HUB_URL", "http://:8000"),
            hub_port=int(env.get("DLWP_HUB_API_PORT", "8081")),
            proxy_api_port=int(env.get("DLWP_PROXY_API_PORT", "8001")),
            course_port=int(env.get("DLWP_COURSE_PORT", "9999")),
            authenticator=env.get("DLWP_HUB_AUTHENTICATOR", "lti13"),
            spawn_limit=int(env.get("DLWP_SPAWN_LIMIT", "10")),
            cull_timeout=int(env.get("DLWP_CULL_TIMEOUT", "3600")),
        )

    @property
    def roster(self) -> Path:
        return self.hub_dir / "roster.csv"

    @property
    def local_config(self) -> Path:
        """Site settings (authenticator keys and secrets), read last by jupyterhub_config.py."""
        return self.hub_dir / "local_config.py"

    @property
    def state_dir(self) -> Path:
        """The hub's own files (database, cookie secret, proxy pid): root only."""
        return self.hub_dir / "hub"

    def runtime_dir(self, name: str) -> Path:
        """Where ``name``'s servers keep kernel connection files and sockets: short enough for a Unix
        socket's path (kernels talk over IPC), inside a folder only root can add to."""
        return self.hub_dir / "run" / name

    def config_dir(self, kind: str) -> Path:
        """The Jupyter configuration folder of ``kind`` servers (``student`` or ``course``)."""
        return self.hub_dir / "etc" / kind

    @property
    def formgrade_group(self) -> str:
        return f"formgrade-{self.course_id}"

    @property
    def student_group(self) -> str:
        return f"nbgrader-{self.course_id}"


class RosterError(ValueError):
    """The class list cannot be read; the message names the file and line."""


def read_roster(path: Path) -> dict[str, str]:
    """The class list as ``{username: role}``; an absent file is an empty class.

    Raises RosterError for a missing header, an unknown role, a name that is not a valid Unix account
    name, or a name listed twice.
    """
    if not path.is_file():
        return {}
    people: dict[str, str] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(row for row in handle if row.strip() and not row.lstrip().startswith("#"))
        if reader.fieldnames is None or not {"username", "role"} <= {f.strip() for f in reader.fieldnames}:
            raise RosterError(f"{path}: the first line must be the header `username,role`")
        for row in reader:
            row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
            where = f"{path}, line {reader.line_num}"
            name, role = row["username"], row["role"]
            if not USERNAME.fullmatch(name):
                raise RosterError(f"{where}: {name!r} is not a valid Unix account name "
                                  "(lower-case letters, digits, - and _, at most 32 characters)")
            if role not in ROLES:
                raise RosterError(f"{where}: role {role!r} is not one of {', '.join(ROLES)}")
            if name in people:
                raise RosterError(f"{where}: {name!r} is listed twice")
            people[name] = role
    return people


def groups(settings: Settings, roster: dict[str, str]) -> dict[str, dict[str, list[str]]]:
    """nbgrader's groups for ``JupyterHub.load_groups``: students (and instructors) see the course's
    assignments; graders and instructors may open the formgrader.

    The grader account is in the formgrade group too, as in nbgrader's JupyterHub demo: the formgrader
    asks the hub which courses the account it runs as belongs to. Nobody logs in as it
    (jupyterhub_config.py refuses).
    """
    def having(*roles: str) -> list[str]:
        return sorted(name for name, role in roster.items() if role in roles)

    return {
        settings.student_group: {"users": having("student", "instructor")},
        settings.formgrade_group: {"users": sorted({*having("grader", "instructor"), settings.grader})},
    }


def roles(settings: Settings, roster: dict[str, str]) -> list[dict]:
    """``JupyterHub.load_roles``: what each group, the servers' tokens and the services may do."""
    course = settings.course_id
    return [
        # Students: see the course service in the hub's list (nbgrader's course list), nothing more.
        {"name": settings.student_group, "groups": [settings.student_group],
         "scopes": ["list:services", f"read:services!service={course}"]},
        # Graders and instructors: open the course service (formgrader, course files) through the hub.
        {"name": settings.formgrade_group, "groups": [settings.formgrade_group],
         "scopes": [f"access:services!service={course}", "list:services", f"read:services!service={course}"]},
        # Instructors: the hub's admin page, to add people and start or stop servers.
        {"name": f"instructor-{course}", "users": sorted(n for n, r in roster.items() if r == "instructor"),
         "scopes": ["admin-ui", "list:users", "admin:users", "admin:servers", "admin:groups"]},
        # A server's own token: JupyterHub's defaults, plus reading its owner's groups, which is how
        # nbgrader's JupyterHubAuthPlugin learns which courses a student takes.
        {"name": "server",
         "scopes": ["users:activity!user", "access:servers!server", "read:users:groups!user"]},
        # The course service: look up students' groups, and add or remove students from the
        # course's group when the formgrader's "Manage Students" page changes the class.
        {"name": f"course-service-{course}", "services": [course],
         "scopes": ["list:users", "read:users:groups", "list:groups", "read:groups",
                    f"groups!group={settings.student_group}"]},
        # jupyterhub-idle-culler's documented scopes.
        {"name": CULLER, "services": [CULLER],
         "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]},
    ]


_account_lock = asyncio.Lock()


def check_person(name: str, settings: Settings) -> None:
    """Refuse hub users that must never get a server: invalid Unix names, the grader account, and
    existing system accounts (root, daemons). Raises ValueError."""
    if not USERNAME.fullmatch(name):
        raise ValueError(f"{name!r} is not a valid Unix account name; ask an instructor to fix the login name")
    if name == settings.grader:
        raise ValueError(f"{name!r} is the course's grader account; it runs the course service, not a server")
    try:
        uid = pwd.getpwnam(name).pw_uid
    except KeyError:
        return
    if uid < FIRST_PERSON_UID:
        raise ValueError(f"{name!r} is a system account (uid {uid}); it cannot have a server")


def ensure_account_sync(name: str, home_base: Path, home_mode: int = 0o700) -> pwd.struct_passwd:
    """The Unix account ``name``, made if missing (own group, bash, a home folder only it can open).

    Raises subprocess.CalledProcessError when useradd fails (e.g. not root).
    """
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    home = home_base / name
    subprocess.run(["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash",
                    "--user-group", name], check=True, capture_output=True, text=True, timeout=60)
    os.chmod(home, home_mode)
    return pwd.getpwnam(name)


def ensure_runtime_dir(settings: Settings, account: pwd.struct_passwd) -> Path:
    """``settings.runtime_dir`` of ``account``, owned by it and closed to others."""
    parent = settings.runtime_dir(account.pw_name).parent
    parent.mkdir(parents=True, exist_ok=True)
    parent.chmod(0o755)
    folder = settings.runtime_dir(account.pw_name)
    folder.mkdir(mode=0o700, exist_ok=True)
    os.chown(folder, account.pw_uid, account.pw_gid)
    folder.chmod(0o700)
    return folder


async def ensure_account(name: str, settings: Settings) -> pwd.struct_passwd:
    """``ensure_account_sync`` and ``ensure_runtime_dir`` for the hub's event loop: one useradd at a
    time (it locks /etc/passwd)."""
    check_person(name, settings)
    async with _account_lock:
        account = await asyncio.to_thread(ensure_account_sync, name, settings.home_base)
        ensure_runtime_dir(settings, account)
        return account


def course_files(repo: Path) -> list[str]:
    """The files a clone of ``repo`` holds, plus new ones git does not ignore."""
    out = subprocess.run(["git", "-c", "safe.directory=*", "ls-files", "-z", "--cached", "--others",
                          "--exclude-standard"], cwd=repo, capture_output=True, check=True, timeout=60)
    return [name for name in out.stdout.decode().split("\0") if name]


def _chown_tree(root: Path, user: pwd.struct_passwd) -> None:
    for folder, dirs, files in os.walk(root):
        for name in [folder, *(os.path.join(folder, d) for d in dirs), *(os.path.join(folder, f) for f in files)]:
            os.lchown(name, user.pw_uid, user.pw_gid)


def _install_tree(source: Path, dest: Path) -> None:
    """Copy ``source`` over ``dest``: owned by root, readable by everyone, writable by root only."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest)
    for folder, _dirs, files in os.walk(dest):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)


def prepare(settings: Settings, checkout: Path = CHECKOUT) -> list[str]:
    """Lay out what the hub needs before it starts (as root; safe to repeat). Returns what it did.

    - the hub's folder (readable by all, for the server configs) with its private state folder; the
      class list and the site settings readable by root only;
    - the exchange, writable by every user, with the sticky bit so nobody removes another's files;
    - the grader account and, if it has none yet, its copy of the course from ``checkout`` (owned by
      the grader, closed to everyone else: solutions and the gradebook live there);
    - the Jupyter configuration of student servers and of the course service.
    """
    if os.geteuid() != 0:
        raise PermissionError("the hub starts each student's server as their own Unix account: run it as root")
    done = []
    read_roster(settings.roster)  # a broken class list stops here, with its line number
    settings.hub_dir.mkdir(parents=True, exist_ok=True)
    settings.hub_dir.chmod(0o755)
    for private in (settings.roster, settings.local_config):
        if private.is_file():  # the class list names people; the site settings hold LTI and OAuth secrets
            private.chmod(0o600)
    settings.state_dir.mkdir(exist_ok=True)
    settings.state_dir.chmod(0o700)
    settings.exchange.mkdir(parents=True, exist_ok=True)
    settings.exchange.chmod(0o1777)
    done.append(f"exchange {settings.exchange} (every user may write; sticky)")
    for kind in ("student", "course"):
        _install_tree(HERE / "jupyter" / kind, settings.config_dir(kind))
    done.append(f"server configurations in {settings.hub_dir / 'etc'}")
    settings.home_base.mkdir(parents=True, exist_ok=True)
    grader = ensure_account_sync(settings.grader, settings.home_base)
    ensure_runtime_dir(settings, grader)
    if not settings.course_root.exists():
        settings.course_root.mkdir(parents=True)
        for name in course_files(checkout):
            source, target = checkout / name, settings.course_root / name
            if source.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
        _chown_tree(settings.course_root, grader)
        settings.course_root.chmod(0o700)
        done.append(f"course copied to {settings.course_root} for {settings.grader}")
    else:
        done.append(f"course kept at {settings.course_root}")
    return done


def main(argv: list[str]) -> int:
    if argv != ["prepare"]:
        print("usage: python classroom.py prepare   (as root, before starting the hub)", file=sys.stderr)
        return 2
    try:
        for line in prepare(Settings.from_env()):
            print(line)
    except (PermissionError, RosterError, subprocess.CalledProcessError) as err:
        detail = getattr(err, "stderr", "") or ""
        print(f"error: {err} {detail}".strip(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
