"""Many processes on one store at once, on both backends: nothing lost, nobody refused."""

from __future__ import annotations

import os
import subprocess
import sys

from peerskole.store.sql import LATEST_VERSION, SQLStore
from tests.conftest import REPO_DIR
from tests.core.conftest import Backend

PROCESSES = 20
RECORDS_EACH = 500


def start_workers(backend: Backend, argvs: list[list[str]]) -> list[subprocess.Popen[str]]:
    """Start one worker a command line, wait until all are ready, then let them go at once."""
    env = {**os.environ, **backend.env}
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.core.store_worker", *argv],
            cwd=REPO_DIR, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        for argv in argvs
    ]
    for worker in workers:
        assert worker.stdout is not None
        line = worker.stdout.readline()
        assert line == "ready\n", worker.communicate()[1]
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    return workers


def finish(workers: list[subprocess.Popen[str]]) -> list[str]:
    """Each worker's last line, after asserting none saw an error."""
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0 and not err, err
        results.append(out.strip())
    return results


def test_twenty_processes_record_at_once_and_every_record_is_kept(
    backend: Backend, store: SQLStore
) -> None:
    learners = [store.add_learner(f"Deltager {n}").id for n in range(PROCESSES)]
    workers = start_workers(backend, [["record", lid, str(RECORDS_EACH)] for lid in learners])
    assert finish(workers) == [f"recorded {RECORDS_EACH}"] * PROCESSES
    check = backend.open()  # a fresh connection reads what the database holds
    for learner in learners:
        records = check.step_records(learner, "kursus")
        assert len(records) == RECORDS_EACH
        assert {r.step_id for r in records} == {f"trin-{n}" for n in range(RECORDS_EACH)}
        assert all(r.completed_at is not None and r.seconds == 1 for r in records)
    total = check._read(lambda db: db.execute("SELECT count(*) FROM step_records").fetchone()[0])
    assert total == PROCESSES * RECORDS_EACH
    check.close()


def test_two_processes_migrating_a_fresh_database_at_once_both_succeed(backend: Backend) -> None:
    # backend's database is empty until something opens it: the workers race to create it.
    for _ in range(3):
        workers = start_workers(backend, [["open"], ["open"]])
        assert finish(workers) == [f"version {LATEST_VERSION}"] * 2
        check = backend.open()
        assert check.schema_version() == LATEST_VERSION
        assert check.learners() == []  # usable, and migrated once (tables made once)
        check.close()
        _empty(backend)


def _empty(backend: Backend) -> None:
    """Make the database fresh again for the next round."""
    store = backend.open()
    # Every table the migrations made, as the database lists them (a new migration's
    # table is dropped too), learners last: the others refer to it.
    if backend.name == "sqlite":
        listing = ("SELECT name FROM sqlite_master WHERE type = 'table' "
                   "AND name NOT LIKE 'sqlite_%'")
    else:
        listing = ("SELECT table_name FROM information_schema.tables "
                   "WHERE table_schema = current_schema()")
    with store._write() as db:
        names = {str(row[0]) for row in db.execute(listing).fetchall()}
        # Tables that refer to one another (a dialogue's messages to their instructor)
        # go whatever the order: CASCADE drops only the references, on PostgreSQL.
        cascade = " CASCADE" if backend.name == "postgres" else ""
        for table in sorted(names - {"learners"}) + ["learners"]:
            db.execute(f"DROP TABLE {table}{cascade}")
        if backend.name == "sqlite":
            db.execute("PRAGMA user_version = 0")
    store.close()
