"""No readable private text is left in the SQLite files after un-sharing or erasing.

The raw bytes of the database, its ``-wal`` and ``-shm`` are read while another
connection is open, or after the writing process was killed (SIGKILL: nothing it
would do on closing helps).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from peerskole.store.base import DATABASE_NAME, Position, StoreError
from peerskole.store.sqlite import SQLiteStore
from tests.conftest import REPO_DIR

MARKER = "Zebrafinken hviskede lavendelblåt om indlæggelsen i marts"


def files_holding(folder: Path, text: str) -> list[str]:
    """The files of the database (db, -wal, -shm) that hold text, in UTF-8 or UTF-16."""
    patterns = [text.encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be")]
    return [
        path.name for path in sorted(folder.iterdir())
        if path.name.startswith(DATABASE_NAME) and any(p in path.read_bytes() for p in patterns)
    ]


@pytest.fixture
def data(isolated_paths: Path) -> Path:
    isolated_paths.mkdir(parents=True)
    return isolated_paths


@pytest.fixture
def worker(data: Path) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.core.store_worker", "unshare", MARKER],
        cwd=REPO_DIR, env={**os.environ, "PEERSKOLE_DATA_DIR": str(data)}, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    yield process
    if process.poll() is None:
        process.kill()
    process.communicate(timeout=10)


def step(process: subprocess.Popen[str], expected: str) -> None:
    """Let the worker do its next step and wait until it says it has."""
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("go\n")
    process.stdin.flush()
    line = process.stdout.readline()
    assert line == f"{expected}\n", process.communicate(timeout=10)[1]


def test_unsharing_leaves_no_readable_text_after_a_sigkill(
    data: Path, worker: subprocess.Popen[str]
) -> None:
    assert worker.stdout is not None and worker.stdout.readline() == "ready\n"
    other = SQLiteStore(data / DATABASE_NAME)  # another window on the same database
    other.learners()
    step(worker, "shared")
    # Shared: stored readable, as it must be (and so the check below can fail).
    assert files_holding(data, MARKER) != []
    step(worker, "unshared")
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    assert files_holding(data, MARKER) == []
    other.close()


def test_erasing_a_learner_with_another_connection_open_leaves_no_copy(data: Path) -> None:
    store = SQLiteStore(data / DATABASE_NAME)
    other = SQLiteStore(data / DATABASE_NAME)
    learner = store.add_learner("Åse").id
    store.save_reflection(learner, "mini", "first", "own-experience", MARKER, False)
    store.add_practice_entry(learner, "mini", "first", "practice-talk", {"what": MARKER})
    assert other.reflection(learner, "mini", "first", "own-experience") is not None
    assert files_holding(data, MARKER) != []
    other.erase_learner(learner)
    assert files_holding(data, MARKER) == []
    store.close()
    other.close()


def test_a_checkpoint_a_reader_holds_up_is_done_after_the_next_write(data: Path) -> None:
    store = SQLiteStore(data / DATABASE_NAME)
    learner = store.add_learner("Åse").id
    keep = store.add_learner("Bo").id
    store.save_reflection(learner, "mini", "first", "own-experience", MARKER, False)
    # Another program in the middle of a long read: it keeps the WAL as it was.
    reader = sqlite3.connect(data / DATABASE_NAME, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM reflections").fetchone()
    store.erase_learner(learner)
    assert store.scrub_owed
    reader.execute("COMMIT")
    reader.close()
    store.set_position(keep, "mini", Position("first", "own-experience"))  # any write
    assert not store.scrub_owed
    assert files_holding(data, MARKER) == []
    store.close()


def test_a_praktik_text_is_left_nowhere_readable_once_sealed_or_erased(data: Path) -> None:
    from peerskole import privacy
    from peerskole.praktik import log_praktik
    from peerskole.store.base import Supervisor

    store = SQLiteStore(data / DATABASE_NAME)
    other = SQLiteStore(data / DATABASE_NAME)  # another window on the same database
    store.add_supervisor(Supervisor("sv", "Sif", "{}", "pk", "", "2026-01-01T00:00:00+00:00"))
    learner = store.add_learner("Åse").id
    log_praktik(store, learner, None, "mini", done_on="2026-02-20", minutes=60, place="Lyngly",
                what=MARKER, supervisor_id="sv", show_text=False)
    assert other.praktik_entries() != []
    # No passphrase yet: readable, as practice text is then (so the check below can fail).
    assert files_holding(data, MARKER) != []
    privacy.rekey(store, learner, None, privacy.new_key(learner, "et langt kodeord"))
    assert files_holding(data, MARKER) == []
    # A window still without the passphrase cannot add readable text to the profile.
    with pytest.raises(StoreError) as stale:
        log_praktik(other, learner, None, "mini", done_on="2026-02-21", minutes=60,
                    place="Lyngly", what=MARKER, supervisor_id="sv", show_text=False)
    assert stale.value.problem == "stale"
    assert files_holding(data, MARKER) == []
    bo = store.add_learner("Bo").id
    log_praktik(store, bo, None, "mini", done_on="2026-02-20", minutes=60, place="Lyngly",
                what=MARKER, supervisor_id="sv", show_text=False)
    assert files_holding(data, MARKER) != []
    other.erase_learner(bo)
    assert files_holding(data, MARKER) == []
    store.close()
    other.close()
