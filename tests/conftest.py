"""Shared fixtures: every test gets its own data directory and no extra courses."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, NoReturn

import pytest

if TYPE_CHECKING:
    from tests.postgres_server import PostgresServer

TESTS_DIR = Path(__file__).resolve().parent
REPO_DIR = TESTS_DIR.parent
SAMPLE_COURSE = TESTS_DIR / "sample-courses" / "mini"
BROKEN_COURSES = TESTS_DIR / "broken-courses"


def unavailable(message: str) -> NoReturn:
    """A tool or package a test needs is missing: fail in CI, skip elsewhere.

    CI installs everything (scripts/check.sh), so a skip there would hide a missing step.
    """
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message, allow_module_level=True)


def import_or_unavailable(module: str, message: str) -> ModuleType:
    """Import a test extra's module, or fail in CI / skip elsewhere (see unavailable)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        unavailable(message)


@pytest.fixture(autouse=True)
def isolated_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every data path at tmp_path so no test touches a real profile."""
    data = tmp_path / "data"
    monkeypatch.setenv("PEERSKOLE_DATA_DIR", str(data))
    monkeypatch.delenv("PEERSKOLE_COURSES", raising=False)
    monkeypatch.delenv("PEERSKOLE_DATABASE_URL", raising=False)
    return data


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database on a real PostgreSQL server, for the whole run.

    PEERSKOLE_TEST_DATABASE_URL's when set; otherwise a throwaway server started
    here (tests/postgres_server.py) and removed at the end. Without PostgreSQL
    installed, the tests that need it are skipped, and fail when CI is set.
    """
    existing = os.environ.get("PEERSKOLE_TEST_DATABASE_URL")
    if existing:
        yield existing
        return
    with _throwaway_postgres() as server:
        yield server.url


@pytest.fixture(scope="session")
def restartable_postgres() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server of its own, which a test may stop and start again.

    A test that stops it starts it again before it ends.
    """
    with _throwaway_postgres() as server:
        yield server


@contextmanager
def _throwaway_postgres() -> Iterator[PostgresServer]:
    from tests.postgres_server import PostgresServer, postgres_bin

    bin_dir = postgres_bin()
    if bin_dir is None:
        message = ("PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin): "
                   "apt-get install postgresql, or set PEERSKOLE_TEST_DATABASE_URL")
        unavailable(message)
    server = PostgresServer(bin_dir)
    try:
        server.start()
        server.create_database()
        yield server
    finally:
        server.remove()


@pytest.fixture
def postgres_schema_url(postgres_url: str) -> Iterator[str]:
    """postgres_url with an empty schema of its own first on the search path."""
    from tests.postgres_server import drop_schema, new_schema, with_schema

    schema = new_schema(postgres_url)
    yield with_schema(postgres_url, schema)
    drop_schema(postgres_url, schema)
