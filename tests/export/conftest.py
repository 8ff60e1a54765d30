"""A real SQLite database with learners in every state, and the mini course as the only extra.

``world`` fills the store through its public methods (as the app does), then
pins the timestamps with SQL so dates in the exports are known.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from peerskole.cli import main
from peerskole.course.loader import load_course
from peerskole.course.model import Course
from peerskole.store.base import DATABASE_NAME, ManualCompletion, StepUpdate, Store
from peerskole.store.opening import open_store
from peerskole.store.sqlite import SQLiteStore
from tests.conftest import SAMPLE_COURSE

PRIVATE_MARKER = "Min hemmelige tanke om min mor og hospitalet i 2019"
"""Written into a private reflection and a practice log: must reach no export."""
SHARED_MARKER = "Jeg lærte at lytte uden at rådgive, og det delte jeg gerne"
"""Written into a shared reflection: exported only with --include-shared-reflections."""
HOSTILE_NAMES = ('=HYPERLINK("http://x","y")', "+1", "-2", "@x", "\tTab", "Ærø Åse")
"""Display names a spreadsheet could mistake for formulas, and one with Danish letters."""

FIRST_FACTS: dict[str, dict[str, object]] = {
    "before-after": {"before": [2, 3], "after": [4, 5]},
    "intro": {"opened": True},
    "quiz": {"score": 100.0, "attempts": 1},
    "maja": {"turns_answered": 1},
    "own-experience": {"words": 12},
    "practice-talk": {"entries": 1},
}
"""Facts that make every step of the mini course's first module done."""


@dataclass
class World:
    """Who is in the store, by role."""

    data_dir: Path
    course: Course
    done: str
    """Ærø Åse: completed the whole course in the app (second module on 2026-03-02)."""
    partial: str
    """Bo Ibsen: read the intro, failed the quiz (33.33 %; pass mark 50), shared a reflection."""
    manual: str
    """Cai: first module recorded by a coordinator on 2026-02-01; nothing else."""
    idle: str
    """Dorte: added, never started."""
    hostile: dict[str, str]
    """Display name → id, for HOSTILE_NAMES (cohort "hold-2")."""

    def db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.data_dir / DATABASE_NAME)


def run_cli(*args: str) -> int:
    """Run the command line in this process; return its exit status."""
    try:
        return main(list(args))
    except SystemExit as exited:
        return int(exited.code or 0)


@pytest.fixture(autouse=True)
def only_the_mini_course(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The mini sample course is the only known course, in this process.

    The bundled courses are hidden (they change as instructors write them); a
    subprocess still sees them, so tests that start one pass ``--course mini``.
    """
    import peerskole.locations

    empty = tmp_path / "no-bundled-courses"
    empty.mkdir()
    monkeypatch.setattr(peerskole.locations, "bundled_courses_dir", lambda: empty)
    monkeypatch.setenv("PEERSKOLE_COURSES", str(SAMPLE_COURSE))


@pytest.fixture
def course() -> Course:
    return load_course(SAMPLE_COURSE)


@pytest.fixture
def store(isolated_paths: Path) -> Iterator[SQLiteStore]:
    s = open_store()
    assert isinstance(s, SQLiteStore)
    yield s
    s.close()


def _step(store: SQLiteStore, learner: str, module: str, step: str, facts: dict[str, object],
          done: bool, seconds: int = 60) -> None:
    store.update_step(learner, "mini", "1.0", module, step,
                      StepUpdate(facts=facts, add_seconds=seconds, done=done))


def _pin(db: sqlite3.Connection, learner: str, module: str, step: str, started: str,
         completed: str | None) -> None:
    # The app's last write to a record is when it was done, or begun if not done.
    db.execute(
        "UPDATE step_records SET started_at = ?, completed_at = ?, updated_at = ? "
        "WHERE learner_id = ? AND module_id = ? AND step_id = ?",
        (started, completed, completed or started, learner, module, step),
    )


@pytest.fixture
def world(store: SQLiteStore, course: Course, isolated_paths: Path) -> World:
    done = store.add_learner("Ærø Åse", "hold-1").id
    partial = store.add_learner("Bo Ibsen", "hold-1").id
    manual = store.add_learner("Cai", "hold-1").id
    idle = store.add_learner("Dorte", "hold-1").id
    hostile = {name: store.add_learner(name, "hold-2").id for name in HOSTILE_NAMES}

    for step, facts in FIRST_FACTS.items():
        _step(store, done, "first", step, facts, done=True, seconds=120)
    _step(store, done, "second", "read", {"opened": True}, done=True, seconds=30)
    store.save_reflection(done, "mini", "first", "own-experience", PRIVATE_MARKER, shared=False)
    store.add_practice_entry(done, "mini", "first", "practice-talk",
                             {"date": "2026-02-20", "minutes": "10", "what": PRIVATE_MARKER})

    _step(store, partial, "first", "intro", {"opened": True}, done=True, seconds=90)
    _step(store, partial, "first", "quiz", {"score": 100 / 3, "attempts": 2}, done=False,
          seconds=45)
    store.save_reflection(partial, "mini", "first", "own-experience", SHARED_MARKER, shared=True)

    store.add_manual_completions([ManualCompletion(
        manual, "mini", "first", "2026-02-01", "Gennemført på papir på holdet", "koordinator",
        "2026-02-02T09:00:00+00:00",
    )])

    with sqlite3.connect(isolated_paths / DATABASE_NAME) as db:
        for step in FIRST_FACTS:
            _pin(db, done, "first", step, "2026-03-01T09:00:00+00:00",
                 "2026-03-01T10:00:00+00:00")
        _pin(db, done, "second", "read", "2026-03-02T08:00:00+00:00",
             "2026-03-02T08:30:00+00:00")
        _pin(db, partial, "first", "intro", "2026-01-10T09:00:00+00:00",
             "2026-01-10T09:05:00+00:00")
        _pin(db, partial, "first", "quiz", "2026-01-10T09:10:00+00:00", None)
    return World(isolated_paths, course, done, partial, manual, idle, hostile)


WORLD_TABLES = ("learners", "step_records", "reflections", "practice_entries",
                "manual_completions")
"""The tables the world fills: copied row for row to PostgreSQL, its private text too, so
the view is shown not to reach it there either."""


@pytest.fixture(params=["sqlite", "postgres"])
def shared_store(request: pytest.FixtureRequest, world: World,
                 store: SQLiteStore) -> Iterator[Store]:
    """The world on SQLite, or the same rows in a PostgreSQL database of its own (a
    shared database several machines would use)."""
    if request.param == "sqlite":
        yield store
        return
    import psycopg

    from peerskole.store.postgres import PostgresStore

    url: str = request.getfixturevalue("postgres_schema_url")
    pg = PostgresStore(url)  # creates the schema
    source = sqlite3.connect(world.data_dir / DATABASE_NAME)
    try:
        with psycopg.connect(url) as conn:
            for table in WORLD_TABLES:
                cursor = source.execute(f"SELECT * FROM {table}")
                columns = ", ".join(d[0] for d in cursor.description)
                rows = cursor.fetchall()
                assert rows, f"the world has no {table} to copy"
                with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        yield pg
    finally:
        source.close()
        pg.close()
