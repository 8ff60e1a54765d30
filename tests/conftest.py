"""Shared fixtures: every test gets its own data directory and no extra courses."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
REPO_DIR = TESTS_DIR.parent
SAMPLE_COURSE = TESTS_DIR / "sample-courses" / "mini"
BROKEN_COURSES = TESTS_DIR / "broken-courses"


@pytest.fixture(autouse=True)
def isolated_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every data path at tmp_path so no test touches a real profile."""
    data = tmp_path / "data"
    monkeypatch.setenv("PEERSKOLE_DATA_DIR", str(data))
    monkeypatch.delenv("PEERSKOLE_COURSES", raising=False)
    monkeypatch.delenv("PEERSKOLE_DATABASE_URL", raising=False)
    return data
