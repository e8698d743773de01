"""Fixtures for the course tooling tests."""

from pathlib import Path

import pytest
from democourse import make_demo_course


@pytest.fixture
def demo_course(tmp_path: Path) -> Path:
    """A course root with the real nbgrader_config.py and one honest demo day (release not built)."""
    return make_demo_course(tmp_path)
