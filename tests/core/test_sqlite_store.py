"""The SQLite store, on a real database file."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from peerskole.store import StoreError
from peerskole.store.base import Position, StepUpdate
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


def test_learners(store: SQLiteStore) -> None:
    a = store.add_learner("Åse", "hold-1")
    b = store.add_learner("Bo")
    assert {x.display_name for x in store.learners()} == {"Bo", "Åse"}
    assert store.learners("hold-1") == [a]
    assert store.learner(b.id) == b
    with pytest.raises(StoreError) as caught:
        store.learner("nope")
    assert caught.value.problem == "not_found"


def test_step_updates_keep_first_start_and_completion(store: SQLiteStore) -> None:
    learner = store.add_learner("Åse")
    args = (learner.id, "kursus", "1.0", "m", "s")
    first = store.update_step(*args, StepUpdate(facts={"score": 50.0}, state={"a": 1},
                                                add_seconds=30))
    assert first.completed_at is None and first.seconds == 30
    done = store.update_step(*args, StepUpdate(facts={"score": 100.0}, add_seconds=10, done=True))
    again = store.update_step(
        learner.id, "kursus", "1.1", "m", "s", StepUpdate(add_seconds=5, done=True)
    )
    assert done.completed_at is not None
    assert again.completed_at == done.completed_at
    assert again.started_at == first.started_at
    assert again.seconds == 45
    assert again.facts == {"score": 100.0}  # facts kept when not given
    assert again.course_version == "1.1"
    assert store.step_state(learner.id, "kursus", "m", "s") == {"a": 1}
    assert store.step_records(learner.id, "kursus") == [again]
    assert store.step_records(learner.id, "other") == []


def test_position_reflection_practice_settings(store: SQLiteStore) -> None:
    learner = store.add_learner("Åse")
    assert store.position(learner.id, "k") is None
    store.set_position(learner.id, "k", Position("m", "s"))
    store.set_position(learner.id, "k", Position("m", "t", "after"))
    assert store.position(learner.id, "k") == Position("m", "t", "after")

    store.save_reflection(learner.id, "k", "m", "r", "første udkast", shared=False)
    store.save_reflection(learner.id, "k", "m", "r", "andet udkast", shared=True)
    text = store.reflection(learner.id, "k", "m", "r")
    assert text is not None and (text.text, text.shared) == ("andet udkast", True)

    entry = store.add_practice_entry(learner.id, "k", "m", "p", {"date": "2026-01-01"})
    assert store.practice_entries(learner.id, "k", "m", "p") == [entry]

    store.set_setting("", "language", "en")
    store.set_setting("", "language", "da")
    assert store.setting("", "language") == "da"
    assert store.setting("", "theme") is None


def test_erase_learner_removes_everything(store: SQLiteStore) -> None:
    learner = store.add_learner("Åse")
    other = store.add_learner("Bo")
    for who in (learner, other):
        store.update_step(who.id, "k", "1", "m", "s", StepUpdate(facts={"opened": True}))
        store.save_reflection(who.id, "k", "m", "r", "tekst", shared=False)
        store.add_practice_entry(who.id, "k", "m", "p", {"x": "y"})
        store.set_position(who.id, "k", Position("m", "s"))
        store.set_setting(who.id, "theme", "dark")
    store.erase_learner(learner.id)
    db = sqlite3.connect(store.path)
    for table in ("learners", "step_records", "positions", "reflections", "practice_entries"):
        column = "id" if table == "learners" else "learner_id"
        count = db.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?",
                           (learner.id,)).fetchone()[0]
        assert count == 0, table
    assert store.setting(learner.id, "theme") is None
    assert store.step_records(other.id, "k")  # the other learner is untouched


def test_reopening_keeps_data_and_does_not_migrate_twice(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    first = SQLiteStore(path)
    learner = first.add_learner("Åse")
    first.close()
    second = SQLiteStore(path)
    assert second.learner(learner.id) == learner
    second.close()


def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    SQLiteStore(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer peerskole"):
        SQLiteStore(path)


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


def test_manual_completions_and_cohorts(store: SQLiteStore) -> None:
    from peerskole.store.base import ManualCompletion

    a = store.add_learner("Åse", "hold-1")
    store.add_learner("Bo", "hold-1")
    store.add_learner("Cai", "hold-2")
    store.add_learner("Dea")
    assert store.cohorts() == [("hold-1", 2), ("hold-2", 1)]
    done = ManualCompletion(a.id, "k", "m", "2026-03-01", "På papir", "koordinator",
                            "2026-03-02T10:00:00+00:00")
    store.add_manual_completions([done])
    assert store.manual_completions(a.id, "k") == [done]
    with pytest.raises(StoreError):  # an unknown learner: nothing is written
        store.add_manual_completions([done, dataclasses.replace(done, learner_id="nope")])
    assert store.manual_completions(a.id, "k") == [done]
    store.erase_learner(a.id)
    assert store.manual_completions(a.id, "k") == []


# --- for exports -------------------------------------------------------------------


def test_count_learners(store: SQLiteStore) -> None:
    store.add_learner("Åse", "hold-1")
    store.add_learner("Bo", "hold-1")
    store.add_learner("Cai")
    assert store.count_learners() == 3
    assert store.count_learners("hold-1") == 2
    assert store.count_learners("nobody") == 0


def test_learner_progress_pages_through_every_learner_in_name_order(store: SQLiteStore) -> None:
    from peerskole.store.base import ManualCompletion

    names = ["Åse", "Bo", "Bo", "Cai", "Dorte", "Eik", "Finn"]
    ids = [store.add_learner(name, "hold-1" if i % 2 else "hold-2").id
           for i, name in enumerate(names)]
    store.update_step(ids[0], "kursus", "1.0", "m", "s", StepUpdate(facts={"opened": True}))
    store.update_step(ids[0], "andet", "1.0", "m", "s", StepUpdate(facts={"opened": True}))
    store.add_manual_completions([
        ManualCompletion(ids[1], "kursus", "m", "2026-03-01", "papir", "k", "2026-03-02"),
    ])
    everyone = list(store.learner_progress(["kursus"], page_size=2))
    assert [p.learner for p in everyone] == store.learners()
    assert len({p.learner.id for p in everyone}) == len(names)
    first = next(p for p in everyone if p.learner.id == ids[0])
    assert [r.module_id for r in first.records["kursus"]] == ["m"]
    assert "andet" not in first.records  # only the courses asked for
    second = next(p for p in everyone if p.learner.id == ids[1])
    assert second.manual["kursus"][0].note == "papir"
    assert [p.learner.id for p in store.learner_progress(["kursus"], "hold-1", page_size=1)] == [
        x.id for x in store.learners("hold-1")]
    assert list(store.learner_progress(["kursus"], "nobody")) == []
    assert all(p.records == {} for p in store.learner_progress([], page_size=3))


def test_learner_progress_reads_shared_reflections_only(store: SQLiteStore) -> None:
    learner = store.add_learner("Åse").id
    store.save_reflection(learner, "kursus", "m", "privat", "hemmeligt", shared=False)
    store.save_reflection(learner, "kursus", "m", "delt", "delt tekst", shared=True)
    [without] = store.learner_progress(["kursus"])
    assert without.shared_reflections == {}
    [with_shared] = store.learner_progress(["kursus"], include_shared_reflections=True)
    [shared] = with_shared.shared_reflections["kursus"]
    assert (shared.step_id, shared.text) == ("delt", "delt tekst")


def test_learner_data_counts(store: SQLiteStore) -> None:
    learner = store.add_learner("Åse").id
    other = store.add_learner("Bo").id
    store.update_step(learner, "kursus", "1.0", "m", "s", StepUpdate(facts={"opened": True}))
    store.save_reflection(learner, "kursus", "m", "r", "tekst", shared=False)
    store.add_practice_entry(learner, "kursus", "m", "p", {"what": "x"})
    store.add_practice_entry(other, "kursus", "m", "p", {"what": "y"})
    store.set_position(learner, "kursus", Position("m", "s"))
    store.set_setting(learner, "language", "en")
    assert store.learner_data_counts(learner) == {
        "step_records": 1, "positions": 1, "reflections": 1, "practice_entries": 1,
        "manual_completions": 0, "settings": 1,
    }
    with pytest.raises(StoreError):
        store.learner_data_counts("nope")
