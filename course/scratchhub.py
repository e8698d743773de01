"""A throw-away JupyterHub of this course on loopback, for the hub tests and the load benchmark.

It runs the real deployment, `deploy/jupyterhub/` (``classroom.py prepare``, then ``jupyterhub`` with its
``jupyterhub_config.py``), from the course environment that ``make hub-install`` builds, as root,
with everything in a scratch folder: the hub's state, the exchange, the home folders of its Unix
accounts. Accounts are named ``dlwp-t-<tag>-<name>`` so they never clash with real ones, and ``stop()``
ends the hub, every process of those accounts, deletes the accounts and the folder. Log in with the
shared password in ``ScratchHub.password`` (JupyterHub's shared-password authenticator stands in for
the LMS). Every wait is bounded.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy" / "jupyterhub"
HUB_ENV = Path(os.environ.get("DLWP_HUB_ENV", "/opt/dlwp/env"))
PREFIX = "dlwp-t-"
SCRATCH_PARENT = Path("/tmp")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing_requirements() -> str | None:
    """Why a scratch hub cannot run here (not root, no course environment, no proxy), or None."""
    if not sys.platform.startswith("linux"):
        return "the hub runs students' servers as Unix accounts: Linux only"
    if os.geteuid() != 0:
        return "the hub must run as root to start servers as students' own Unix accounts"
    if not (HUB_ENV / "bin" / "jupyterhub").is_file():
        return f"no course environment with JupyterHub at {HUB_ENV}: run `make hub-install` (as root)"
    if not (DEPLOY / "node_modules" / ".bin" / "configurable-http-proxy").is_file():
        return "configurable-http-proxy is not installed: run `make hub-install`"
    if shutil.which("useradd") is None:
        return "useradd is missing"
    return None


def _accounts_with_prefix(prefix: str) -> list[pwd.struct_passwd]:
    return [entry for entry in pwd.getpwall() if entry.pw_name.startswith(prefix)]


def _end_processes(uids: set[int], grace: float = 10.0) -> None:
    """SIGTERM, then SIGKILL, every process owned by one of ``uids`` (each found by its pid)."""
    victims = [p for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real in uids]
    for process in victims:
        try:
            process.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(victims, timeout=grace)
    for process in alive:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=grace)


def remove_accounts(prefix: str) -> list[str]:
    """End the processes of, then delete, every Unix account whose name starts with ``prefix``."""
    accounts = _accounts_with_prefix(prefix)
    _end_processes({a.pw_uid for a in accounts})
    for account in accounts:
        subprocess.run(["userdel", "--remove", account.pw_name], capture_output=True, timeout=60)
    return [a.pw_name for a in accounts]


def remove_stale() -> list[str]:
    """Accounts and folders of scratch hubs whose run died without cleaning up (their folder is gone,
    or no process of theirs is left and their folder is older than a day)."""
    removed = []
    tags = {a.pw_name[: len(PREFIX) + 4] for a in _accounts_with_prefix(PREFIX)}
    for tag in tags:
        folder = SCRATCH_PARENT / tag
        if not folder.exists() or time.time() - folder.stat().st_mtime > 86400:
            removed += remove_accounts(tag + "-")
            shutil.rmtree(folder, ignore_errors=True)
    return removed


class ScratchHub:
    """A hub for ``roster`` (``{short name: role}``, role student/grader/instructor) on 127.0.0.1.

    ``name(short)`` is a person's login name. Call ``start()`` and always ``stop()``.
    """

    def __init__(self, roster: dict[str, str], *, spawn_limit: int = 10, log_dir: Path | None = None,
                 cull_timeout: int = 3600):
        self.tag = f"{PREFIX}{secrets.token_hex(2)}"
        self.root = SCRATCH_PARENT / self.tag
        self.roster = {self.name(short): role for short, role in roster.items()}
        self.password = secrets.token_urlsafe(12)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.course_id = "dlwp"
        self.grader = self.name("grader")
        self.home_base = self.root / "home"
        self.course_root = self.home_base / self.grader / self.course_id
        self.exchange = self.root / "exchange"
        self.log_path = (log_dir or self.root) / f"hub-{self.tag}.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "NBGRADER", "DLWP_", "PYTHON"))}
        self.env.update(
            DLWP_HUB_DIR=str(self.root / "hub"),
            NBGRADER_EXCHANGE=str(self.exchange),
            NBGRADER_COURSE_ID=self.course_id,
            DLWP_GRADER=self.grader,
            DLWP_HOME_BASE=str(self.home_base),
            DLWP_HUB_URL=self.url,
            DLWP_HUB_API_PORT=str(free_port()),
            DLWP_PROXY_API_PORT=str(free_port()),
            DLWP_COURSE_PORT=str(free_port()),
            DLWP_HUB_AUTHENTICATOR="shared-password",
            DLWP_HUB_PASSWORD=self.password,
            DLWP_SPAWN_LIMIT=str(spawn_limit),
            DLWP_CULL_TIMEOUT=str(cull_timeout),
        )
        self.process: subprocess.Popen | None = None
        self._log = None

    def name(self, short: str) -> str:
        """The login and Unix name of a person of this hub, e.g. ``dlwp-t-1a2b-alice``."""
        return f"{self.tag}-{short}"

    def home(self, short: str) -> Path:
        return self.home_base / self.name(short)

    def start(self, ready_within: float = 120.0) -> None:
        """Prepare the folders, start the hub and wait until its API and the course service answer."""
        remove_stale()
        self.root.mkdir(mode=0o755)
        self.root.chmod(0o755)  # students traverse it to reach their homes and the exchange
        (self.root / "hub").mkdir()
        roster = "\n".join(["username,role", *(f"{n},{r}" for n, r in self.roster.items())]) + "\n"
        (self.root / "hub" / "roster.csv").write_text(roster)
        python = HUB_ENV / "bin" / "python"
        prepared = subprocess.run([str(python), str(DEPLOY / "classroom.py"), "prepare"], env=self.env,
                                  capture_output=True, text=True, timeout=300)
        if prepared.returncode != 0:
            raise RuntimeError(f"classroom.py prepare failed:\n{prepared.stdout}\n{prepared.stderr}")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [str(HUB_ENV / "bin" / "jupyterhub"), "-f", str(DEPLOY / "jupyterhub_config.py")],
            cwd=self.root / "hub", env=self.env, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_for(f"{self.url}/hub/api", ready_within, "the hub's API")
        self._wait_for(f"{self.url}/services/{self.course_id}/api/status", ready_within, "the course service",
                       ok=(200, 302, 401, 403))

    def _wait_for(self, url: str, seconds: float, what: str, ok: tuple[int, ...] = (200,)) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    if answer.status in ok:
                        return
            except urllib.error.HTTPError as err:
                if err.code in ok:
                    return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{what} did not answer within {seconds:g} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        if self._log:
            self._log.flush()
        if not self.log_path.is_file():
            return "(no log)"
        return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the hub (it stops the servers, the services and the proxy), then remove every trace."""
        try:
            if self.process and self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
            pid_file = self.root / "hub" / "hub" / "proxy.pid"
            if pid_file.is_file():
                try:
                    proxy = psutil.Process(int(pid_file.read_text().strip()))
                    if "configurable-http-proxy" in " ".join(proxy.cmdline()):
                        proxy.terminate()
                        proxy.wait(10)
                except (ValueError, psutil.Error):
                    pass
        finally:
            remove_accounts(self.tag + "-")
            if self._log:
                self._log.close()
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> "ScratchHub":
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
