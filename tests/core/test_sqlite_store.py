"""What only the SQLite store does, on a real database file (the rest: test_store.py)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from peerskole.store import StoreError
from peerskole.store.sqlite import MIGRATIONS, SQLiteStore
from tests.conftest import REPO_DIR, unavailable


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
    """A folder the user may not write to: said as such. As root (CI), the store is
    opened by a process that has given root up, since root can write anywhere."""
    if os.geteuid() != 0:
        folder = tmp_path / "ro"
        folder.mkdir(mode=0o500)
        with pytest.raises(StoreError) as caught:
            SQLiteStore(folder / "sub" / "p.sqlite3")
        assert caught.value.problem == "readonly"
        return
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        unavailable("setpriv (util-linux) is missing: it runs this test without root")
    # Outside tmp_path, whose parents only root may enter.
    with tempfile.TemporaryDirectory() as place:
        os.chmod(place, 0o755)
        folder = Path(place) / "ro"
        folder.mkdir(mode=0o555)  # root's, and nobody else may write to it
        probe = (
            "import sys; from peerskole.store.sqlite import SQLiteStore\n"
            "from peerskole.store import StoreError\n"
            "try:\n    SQLiteStore(__import__('pathlib').Path(sys.argv[1]))\n"
            "except StoreError as e:\n    print(e.problem)\nelse:\n    print('opened')\n"
        )
        done = subprocess.run(
            [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
             sys.executable, "-c", probe, str(folder / "sub" / "p.sqlite3")],
            capture_output=True, text=True, timeout=60,
            env={**os.environ, "PYTHONPATH": str(REPO_DIR), "HOME": place},
        )
        assert done.stdout.strip() == "readonly", done.stderr


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


def test_cohorts_stored_before_they_compared_without_case_are_joined(tmp_path: Path) -> None:
    """A database from before migration 5 had "HOLD-2026" and "hold-2026" as two cohorts."""
    from peerskole.store.sql import migration_statements
    from peerskole.store.sqlite import AUTO_ID

    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    for number in range(4):
        for statement in migration_statements(number, AUTO_ID):
            db.execute(statement)
    db.execute("PRAGMA user_version = 4")
    for learner_id, cohort in (("a", "HOLD-2026"), ("b", "hold-2026"), ("c", " ")):
        db.execute("INSERT INTO learners VALUES (?, ?, ?, ?)",
                   (learner_id, learner_id, cohort, "2026-01-01T00:00:00+00:00"))
    db.commit()
    db.close()
    store = SQLiteStore(path)
    assert store.cohorts() == [("hold-2026", 2)]
    assert store.learner("c").cohort is None
    store.close()


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_database_others_can_read_is_made_private_again(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    first = SQLiteStore(folder / "p.sqlite3")
    first.add_learner("Åse")
    first.close()
    # As a copy, a restore from a backup or a careless chmod may leave them.
    wal, shm = folder / "p.sqlite3-wal", folder / "p.sqlite3-shm"
    wal.write_bytes(b"")
    shm.write_bytes(b"")
    for path, mode in ((folder, 0o755), (folder / "p.sqlite3", 0o644), (wal, 0o664),
                       (shm, 0o666)):
        os.chmod(path, mode)
    store = SQLiteStore(folder / "p.sqlite3")
    assert store.notices == ()  # tightened, so nothing to warn about
    assert store.learners()[0].display_name == "Åse"
    store.close()
    assert _mode(folder) == 0o700
    assert _mode(folder / "p.sqlite3") == 0o600
    for path in (wal, shm):
        if path.exists():  # closing may have removed them
            assert _mode(path) == 0o600


def test_a_database_peerskole_cannot_tighten_is_warned_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from peerskole.cli import main

    folder = tmp_path / "data"
    SQLiteStore(folder / "peerskole.sqlite3").close()
    os.chmod(folder / "peerskole.sqlite3", 0o644)
    # Another user's file (this user's id is not its owner's): it is left as it is.
    monkeypatch.setattr(os, "getuid", lambda: os.stat(folder).st_uid + 1)
    assert main(["learner", "list", "--data-dir", str(folder)]) == 0
    err = capsys.readouterr().err
    assert (f"peerskole: warning: The file {folder / 'peerskole.sqlite3'} can be read by "
            "other users of this computer (mode 0644), and peerskole cannot change that: it "
            "belongs to another user. Ask its owner to run chmod 600 "
            f"{folder / 'peerskole.sqlite3'}") in err
    assert _mode(folder / "peerskole.sqlite3") == 0o644


def test_a_shared_folder_is_warned_about_not_changed(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, 0o1777)  # as /tmp
    store = SQLiteStore(folder / "p.sqlite3")
    store.close()
    assert _mode(folder) == 0o1777
    assert _mode(folder / "p.sqlite3") == 0o600
    [notice] = store.notices
    assert notice.startswith(f"The data folder {folder} can be listed by other users of "
                             "this computer (mode 1777)")
