"""How the instructor's Jupyter server serves files: student HTML and SVG under /files/ never run scripts.

jupyter_server serves ``/files/...`` with ``Content-Security-Policy: ...; sandbox allow-scripts``: an
HTML or SVG file opened there runs its scripts, though in an origin of its own. A feedback page or a
file a student handed in (``submission.html``, ``plot.svg``) is opened exactly that way. ``InertFilesHandler``
serves the same files with ``sandbox`` and nothing allowed: no script, form, plug-in or pop-up runs,
while HTML, images and downloads work as before. The instructor's server uses it through
``ContentsManager.files_handler_class``; ``protect_instructor_server`` sets it and the page policy for
every instructor's server (`make instructor`'s, and the course service on the hub).
"""

from __future__ import annotations

from jupyter_server.base.handlers import AuthenticatedFileHandler
from traitlets.config import Config

# The policy the instructor's server sends with every page (see jupyter_server_config.py): the frame rule and
# report address jupyter_server sends by default, and no <base> elsewhere, no plug-ins, no form posted away.
INSTRUCTOR_CSP = ("frame-ancestors 'self'; base-uri 'self'; object-src 'none'; form-action 'self'; "
                  "report-uri /api/security/csp-report")


class InertFilesHandler(AuthenticatedFileHandler):
    """jupyter_server's handler for /files/, with a sandbox that allows nothing (no scripts)."""

    @property
    def content_security_policy(self) -> str:
        """The server's policy plus ``sandbox`` without ``allow-scripts``."""
        policy = super().content_security_policy
        return policy.replace("; sandbox allow-scripts", "") + "; sandbox"


def protect_instructor_server(c: Config) -> None:
    """Set, in a Jupyter server config, what keeps student content inert in an instructor's server.

    Every page gets ``INSTRUCTOR_CSP`` (other ``tornado_settings`` are kept) and /files/ is served by
    ``InertFilesHandler``.
    """
    settings = dict(c.ServerApp.get("tornado_settings", {}))
    settings["headers"] = {**settings.get("headers", {}), "Content-Security-Policy": INSTRUCTOR_CSP}
    c.ServerApp.tornado_settings = settings
    c.ContentsManager.files_handler_class = "course.serving.InertFilesHandler"
