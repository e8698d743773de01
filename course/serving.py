"""How the instructor's Jupyter server serves files: student HTML and SVG under /files/ never run scripts.

jupyter_server serves ``/files/...`` with ``Content-Security-Policy: ...; sandbox allow-scripts``: an
HTML or SVG file opened there runs its scripts, though in an origin of its own. A feedback page or a
file a student handed in (``submission.html``, ``plot.svg``) is opened exactly that way. ``InertFilesHandler``
serves the same files with ``sandbox`` and nothing allowed: no script, form, plug-in or pop-up runs,
while HTML, images and downloads work as before. The instructor's server uses it through
``ContentsManager.files_handler_class`` (etc/jupyter/instructor/jupyter_server_config.py).
"""

from __future__ import annotations

from jupyter_server.base.handlers import AuthenticatedFileHandler

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
