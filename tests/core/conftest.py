"""The store's tests run against both backends: SQLite and a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from peerskole.store.base import DATABASE_NAME
from peerskole.store.sql import SQLStore


@dataclass
class Backend:
    """One database of one backend, which tests may open as often as they like."""

    name: str
    open: Callable[[], SQLStore]
    """A new store (its own connection) on the same database."""
    env: dict[str, str] = field(default_factory=dict)
    """What another process needs in its environment for open_store() to find it."""


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """An empty database: a SQLite file, or a fresh schema on a real PostgreSQL server."""
    if request.param == "sqlite":
        from peerskole.store.sqlite import SQLiteStore

        data = tmp_path / "data"
        return Backend("sqlite", lambda: SQLiteStore(data / DATABASE_NAME),
                       {"PEERSKOLE_DATA_DIR": str(data)})
    from peerskole.store.postgres import PostgresStore

    url: str = request.getfixturevalue("postgres_schema_url")
    return Backend("postgres", lambda: PostgresStore(url), {"PEERSKOLE_DATABASE_URL": url})


@pytest.fixture
def store(backend: Backend) -> Iterator[SQLStore]:
    s = backend.open()
    yield s
    s.close()
