"""Use a JupyterHub as one of its people does: log in, start a server, call it, run code in a kernel.

``HubUser`` logs in through the hub's login form (like a browser), asks the hub for an API token, and
then does everything else with that token: start the server and wait until it is ready, call the
server's REST API (contents, nbgrader's assignment list), call a service (the course's formgrader),
and run a cell in a kernel over the server's websocket. Everything is bounded by timeouts. Used by the
hub tests and by ``benchmarks/hub_load.py`` (many users at once: it is asyncio throughout).
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import quote

import httpx
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect


class HubError(RuntimeError):
    """The hub or a server answered something other than what the step needs; the message says what."""


@dataclass
class CellResult:
    """What a cell printed and returned: ``text`` (stdout, stderr and text/plain results, in order)
    and, when it raised, ``error`` as ``"Name: value"``."""

    text: str = ""
    error: str | None = None
    traceback: list[str] = field(default_factory=list)


@dataclass
class SpawnResult:
    """How a server start went: seconds from the first request to ready, and how often the hub said
    "too many starting, retry" (its ``concurrent_spawn_limit``)."""

    seconds: float
    retries: int


class HubUser:
    """One person on the hub at ``base_url`` (e.g. ``http://127.0.0.1:8000``). Use ``async with``."""

    def __init__(self, base_url: str, name: str, *, token: str | None = None, timeout: float = 60.0):
        self.base_url, self.name, self.timeout = base_url.rstrip("/"), name, timeout
        self.token = token
        self.http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout, follow_redirects=False)

    async def __aenter__(self) -> "HubUser":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.http.aclose()

    # --- the hub ------------------------------------------------------------------------------------------
    async def log_in(self, password: str) -> None:
        """Fill in the hub's login form. Raises HubError when the hub does not accept the login."""
        page = await self.http.get("/hub/login")
        xsrf = self._xsrf()
        if page.status_code != 200 or not xsrf:
            raise HubError(f"login page: {page.status_code}, xsrf cookie {'set' if xsrf else 'missing'}")
        answer = await self.http.post("/hub/login", data={"username": self.name, "password": password, "_xsrf": xsrf})
        if answer.status_code != 302 or "/hub/login" in answer.headers.get("location", "/hub/login"):
            raise HubError(f"{self.name} could not log in: {answer.status_code} {answer.text[:300]}")

    async def request_token(self, note: str = "hubclient", expires_in: int = 3600) -> str:
        """A token for this person, asked for with the login cookie as the hub's own pages do."""
        answer = await self.http.post(f"/hub/api/users/{self.name}/tokens", headers={"X-XSRFToken": self._xsrf() or ""},
                                      json={"note": note, "expires_in": expires_in})
        if answer.status_code != 201:
            raise HubError(f"{self.name}'s token request: {answer.status_code} {answer.text[:300]}")
        self.token = answer.json()["token"]
        return self.token

    def _xsrf(self) -> str | None:
        """The hub's XSRF cookie (the one for /hub/, not a server's)."""
        return next((cookie.value for cookie in self.http.cookies.jar
                     if cookie.name == "_xsrf" and cookie.path.startswith("/hub")), None)

    def _auth(self, token: str | None = None) -> dict[str, str]:
        token = token or self.token
        if not token:
            raise HubError(f"{self.name} has no token yet: call request_token() after log_in()")
        return {"Authorization": f"token {token}"}

    async def start_server(self, deadline: float = 300.0, poll: float = 0.5) -> SpawnResult:
        """Start this person's server and wait until the hub reports it ready.

        A "too many servers starting" answer (429) is retried after the hub's Retry-After, as a browser
        does. Raises HubError when the start fails or the server is not ready within ``deadline`` seconds.
        """
        start = time.monotonic()
        end = start + deadline
        retries = 0
        while True:
            answer = await self.http.post(f"/hub/api/users/{self.name}/server", headers=self._auth())
            if answer.status_code in (201, 202):
                break
            if answer.status_code == 400 and "already running" in answer.text:
                break
            if answer.status_code == 429 and time.monotonic() < end:
                retries += 1
                await asyncio.sleep(min(float(answer.headers.get("Retry-After", "2")), max(end - time.monotonic(), 0)))
                continue
            raise HubError(f"{self.name}'s server did not start: {answer.status_code} {answer.text[:300]}")
        while time.monotonic() < end:
            model = await self.hub_json("GET", f"/users/{self.name}")
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                return SpawnResult(time.monotonic() - start, retries)
            if not server and not model.get("pending"):
                raise HubError(f"{self.name}'s server stopped while starting: {model}")
            await asyncio.sleep(poll)
        raise HubError(f"{self.name}'s server was not ready within {deadline:g} s")

    async def hub_json(self, method: str, path: str, **kwargs) -> dict:
        """Call the hub's REST API (``/hub/api`` + ``path``) with the token; the JSON answer."""
        answer = await self.http.request(method, f"/hub/api{path}", headers=self._auth(), **kwargs)
        if answer.status_code >= 400:
            raise HubError(f"{method} /hub/api{path}: {answer.status_code} {answer.text[:300]}")
        return answer.json() if answer.content else {}

    # --- servers and services ------------------------------------------------------------------------
    async def call(self, method: str, path: str, *, token: str | None = None, **kwargs) -> httpx.Response:
        """Any request to the hub's public address (``/user/...``, ``/services/...``) with the token."""
        return await self.http.request(method, path, headers=self._auth(token), **kwargs)

    async def server(self, method: str, path: str, **kwargs) -> httpx.Response:
        """A request to this person's own server, ``/user/<name>/`` + ``path``; raises HubError on >= 400."""
        answer = await self.call(method, f"/user/{self.name}/{path.lstrip('/')}", **kwargs)
        if answer.status_code >= 400:
            raise HubError(f"{method} /user/{self.name}/{path.lstrip('/')}: {answer.status_code} {answer.text[:500]}")
        return answer

    async def run_cell(self, code: str, *, prefix: str | None = None, timeout: float = 120.0,
                       kernel_name: str = "python3", cwd: str = "", shutdown: bool = True) -> CellResult:
        """Run ``code`` in a new kernel of a server (this person's, or ``prefix`` such as
        ``/services/dlwp``), collect what it shows, then shut the kernel down (unless ``shutdown`` is
        False: then it lives on, as a student's kernel does, until the server stops).

        ``cwd`` is the kernel's working folder, relative to the server's root.
        Raises HubError when no answer comes within ``timeout`` seconds.
        """
        prefix = (prefix or f"/user/{self.name}").rstrip("/")
        made = await self.call("POST", f"{prefix}/api/sessions", json={
            "path": f"{cwd.strip('/') + '/' if cwd.strip('/') else ''}hubclient-{uuid.uuid4().hex[:8]}.ipynb",
            "type": "notebook", "name": "", "kernel": {"name": kernel_name}})
        if made.status_code != 201:
            raise HubError(f"kernel for {self.name} at {prefix}: {made.status_code} {made.text[:300]}")
        session = made.json()
        try:
            return await asyncio.wait_for(self._execute(prefix, session["kernel"]["id"], code), timeout)
        except asyncio.TimeoutError:
            raise HubError(f"the cell did not finish within {timeout:g} s at {prefix}") from None
        finally:
            if shutdown:
                await self.call("DELETE", f"{prefix}/api/sessions/{session['id']}")

    async def _execute(self, prefix: str, kernel_id: str, code: str) -> CellResult:
        ws_url = self.base_url.replace("http", "ws", 1) + f"{prefix}/api/kernels/{kernel_id}/channels"
        session_id = uuid.uuid4().hex
        request = HTTPRequest(f"{ws_url}?session_id={quote(session_id)}", headers=self._auth())
        connection = await websocket_connect(request)
        msg_id = uuid.uuid4().hex
        connection.write_message(json.dumps({
            "header": {"msg_id": msg_id, "username": self.name, "session": session_id,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        result, replied, idle = CellResult(), False, False
        try:
            while not (replied and idle):
                raw = await connection.read_message()
                if raw is None:
                    raise HubError(f"the kernel's websocket at {prefix} closed before the cell finished")
                message = json.loads(raw)
                if message.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = message["msg_type"], message["content"]
                if kind == "stream":
                    result.text += content["text"]
                elif kind in ("execute_result", "display_data"):
                    result.text += content.get("data", {}).get("text/plain", "") + "\n"
                elif kind == "error":
                    result.error = f"{content['ename']}: {content['evalue']}"
                    result.traceback = content.get("traceback", [])
                elif kind == "status" and content.get("execution_state") == "idle":
                    idle = True
                elif kind == "execute_reply":
                    replied = True
        finally:
            connection.close()
        return result
