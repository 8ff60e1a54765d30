"""What only the SQLite store does, on a real database file (the rest: test_store.py)."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from peerskole.store import StoreError
from peerskole.store.sqlite import MIGRATIONS, SQLiteStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore(tmp_path / "data" / "p.sqlite3")
    yield s
    s.close()


def test_file_is_private_and_in_wal_mode(store: SQLiteStore) -> None:
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(store.path.parent).st_mode) == 0o700
    db = sqlite3.connect(store.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError) as caught:
        SQLiteStore(path)
    assert caught.value.problem == "corrupt"
    assert "move it aside" in str(caught.value)


def test_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere; the message is tested via a file in the way")
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    with pytest.raises(StoreError) as caught:
        SQLiteStore(folder / "sub" / "p.sqlite3")
    assert caught.value.problem == "readonly"


def test_a_file_where_the_folder_should_be_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("x")
    with pytest.raises(StoreError) as caught:
        SQLiteStore(tmp_path / "blocker" / "p.sqlite3")
    assert caught.value.problem == "readonly"
    assert "--data-dir" in str(caught.value)


def test_locked_database_gives_a_calm_message(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    store = SQLiteStore(path)
    learner = store.add_learner("Åse")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    store._db.execute("PRAGMA busy_timeout = 100")
    with pytest.raises(StoreError) as caught:
        store.set_setting(learner.id, "theme", "dark")
    assert caught.value.problem == "locked"
    assert "Your work is kept" in str(caught.value)
    other.execute("ROLLBACK")
    store.set_setting(learner.id, "theme", "dark")  # and it works once free
    assert store.setting(learner.id, "theme") == "dark"
