"""The deployment's own code, loaded from deploy/jupyterhub/ (a folder of files, not an installed package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy" / "jupyterhub"
KUBERNETES = REPO / "deploy" / "kubernetes"


@pytest.fixture(scope="session")
def classroom():
    """deploy/jupyterhub/classroom.py as a module."""
    spec = importlib.util.spec_from_file_location("classroom", DEPLOY / "classroom.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("classroom", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def hub_config(monkeypatch, tmp_path):
    """``hub_config(roster=None, **env)``: deploy/jupyterhub/jupyterhub_config.py loaded as JupyterHub
    loads it, with a hub folder in tmp_path holding ``roster`` (CSV text) and ``env`` set."""
    def load(roster: str | None = None, **env: str) -> Config:
        hub_dir = tmp_path / "hub"
        hub_dir.mkdir(exist_ok=True)
        if roster is not None:
            (hub_dir / "roster.csv").write_text(roster)
        for name in ("NBGRADER_COURSE_ID", "NBGRADER_EXCHANGE", "DLWP_GRADER", "DLWP_HOME_BASE",
                     "DLWP_COURSE_ROOT", "DLWP_HUB_AUTHENTICATOR", "DLWP_SPAWN_LIMIT", "DLWP_CULL_TIMEOUT"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("DLWP_HUB_DIR", str(hub_dir))
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()
    return load
