"""The cohort view over 10,000 learners ÷ one plain SQL aggregate of the same figures.

Ours: what ``peerskole cohort show`` and the instructor's view do
(``read_cohort_lines``: ``learner_reports`` → ``cohort_lines``, with the classroom
register, empty here as the course states no programme): the store reads the
learners' step records a page at a time, the completion rule in ``peerskole.progress``
decides each module, and each learner becomes a line (module, % done, last activity,
days since, minutes, stalled).

Baseline, measured in the same run on the same database: one grouped SELECT through
the same driver giving, per learner and module, the steps completed, the last activity and the
time on task — the figures a hand-written report would fetch — read into Python.
It knows nothing of the completion rule (quiz scores, manual completions, modules),
so the ratio says what the rule costs on top of reading the rows.

Run on SQLite always, and on PostgreSQL when its server programs are installed (a
throwaway server, as the tests use). Target ≤ 3 on each.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.bench_export import LEARNERS, fill, write_course
from peerskole.course.loader import load_course
from peerskole.course.model import Course
from peerskole.export.cohort import read_cohort_lines
from peerskole.store.base import Store

NAME = "cohort view"
TARGET = 3.0

AGGREGATE = (
    "SELECT l.id, l.display_name, s.module_id, count(s.completed_at), max(s.updated_at), "
    "coalesce(sum(s.seconds), 0) "
    "FROM learners l LEFT JOIN step_records s "
    "ON s.learner_id = l.id AND s.course_id = 'bench' "
    "GROUP BY l.id, l.display_name, s.module_id ORDER BY l.display_name, l.id"
)
"""Per learner and module: steps completed, last activity, seconds — enough to tell the
module a learner is in, how much is done, when they were last active and for how long."""
TODAY = dt.date(2026, 3, 1)


def ours(store: Store, course: Course) -> int:
    return len(read_cohort_lines(store, [course], None, today=TODAY))


def timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def best_pair(view: Callable[[], int], aggregate: Callable[[], int],
              repeats: int) -> tuple[float, float]:
    """(ours, baseline), best of ``repeats`` each, interleaved; both must see every learner."""
    assert view() == LEARNERS
    aggregate()
    our_times, base_times = [], []
    for _ in range(repeats):
        base_times.append(timed(aggregate))
        our_times.append(timed(view))
    return min(our_times), min(base_times)


def on_sqlite(folder: Path, course: Course, repeats: int) -> tuple[float, float]:
    from peerskole.store.sqlite import SQLiteStore

    path = folder / "cohort.sqlite3"
    fill(path, LEARNERS)
    store = SQLiteStore(path)
    db = sqlite3.connect(path)
    try:
        return best_pair(lambda: ours(store, course),
                         lambda: len(db.execute(AGGREGATE).fetchall()), repeats)
    finally:
        db.close()
        store.close()


def on_postgres(folder: Path, course: Course, repeats: int) -> tuple[float, float] | None:
    """The same on a throwaway PostgreSQL server, filled by copying the SQLite rows."""
    try:
        import psycopg
    except ImportError:
        return None
    from peerskole.store.postgres import PostgresStore
    from tests.postgres_server import PostgresServer, postgres_bin

    bin_dir = postgres_bin()
    if bin_dir is None:
        return None
    server = PostgresServer(bin_dir)
    try:
        server.start()
        server.create_database()
        store = PostgresStore(server.url)
        source = sqlite3.connect(folder / "cohort.sqlite3")
        with psycopg.connect(server.url) as conn:
            for table, columns in (
                ("learners", "id, display_name, cohort, created_at"),
                ("step_records", "learner_id, course_id, module_id, step_id, course_version, "
                                 "facts, started_at, updated_at, completed_at, seconds"),
            ):
                with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in source.execute(f"SELECT {columns} FROM {table}"):
                        copy.write_row(row)
            conn.execute("ANALYZE")
        source.close()
        with psycopg.connect(server.url) as conn:

            def aggregate() -> int:
                rows: list[Any] = conn.execute(AGGREGATE).fetchall()
                return len(rows)

            try:
                return best_pair(lambda: ours(store, course), aggregate, repeats)
            finally:
                store.close()
    finally:
        server.remove()


def run(repeats: int = 3) -> tuple[float, float]:
    """(our seconds, baseline seconds) on SQLite; PostgreSQL's pair is printed beside it."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_course(folder / "course")
        course = load_course(folder / "course")
        sqlite_pair = on_sqlite(folder, course, repeats)
        postgres_pair = on_postgres(folder, course, repeats)
        if postgres_pair is None:
            print("  cohort view on PostgreSQL: skipped, no PostgreSQL server programs "
                  "(apt-get install postgresql)")
        else:
            view, base = postgres_pair
            mark = "ok" if view / base <= TARGET else "OVER"
            print(f"  cohort view on PostgreSQL: ours {view:.4f} s, aggregate {base:.4f} s, "
                  f"ratio {view / base:.2f} (≤ {TARGET}) {mark}")
        return sqlite_pair
