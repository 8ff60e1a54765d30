"""The store's behaviour, the same on every backend.

Each test runs twice (tests/core/conftest.py): on a SQLite file and on a real
PostgreSQL server.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from peerskole.store import StoreError
from peerskole.store.base import (
    AttendanceMark,
    ClassSession,
    IssuedCertificate,
    ManualCompletion,
    Position,
    PraktikDecision,
    PraktikEntry,
    ReflectionMessage,
    StepUpdate,
    Supervisor,
)
from peerskole.store.sql import LATEST_VERSION, LEARNER_TABLES, SQLStore
from peerskole.store.sqlite import SQLiteStore
from tests.core.conftest import Backend


def test_learners(store: SQLStore) -> None:
    a = store.add_learner("Åse", "hold-1")
    b = store.add_learner("Bo")
    assert {x.display_name for x in store.learners()} == {"Bo", "Åse"}
    assert store.learners("hold-1") == [a]
    assert store.learner(b.id) == b
    with pytest.raises(StoreError) as caught:
        store.learner("nope")
    assert caught.value.problem == "not_found"


def test_step_updates_keep_first_start_and_completion(store: SQLStore) -> None:
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
    assert again.course_version == "1.0"  # done on 1.0: the work is 1.0's, whatever came after
    begun = store.update_step(learner.id, "kursus", "1.0", "m", "t", StepUpdate(add_seconds=5))
    assert begun.course_version == "1.0"
    later = store.update_step(learner.id, "kursus", "1.1", "m", "t",
                              StepUpdate(add_seconds=5, done=True))
    assert later.course_version == "1.1"  # not done before: done on the version it was
    assert store.step_state(learner.id, "kursus", "m", "s") == {"a": 1}
    assert store.step_records(learner.id, "kursus") == [again, later]
    assert store.step_records(learner.id, "other") == []


def test_position_reflection_practice_settings(store: SQLStore) -> None:
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


def test_manual_completions_and_cohorts(store: SQLStore) -> None:
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


def test_a_recorded_completion_is_revoked_with_who_when_and_why(store: SQLStore) -> None:
    from peerskole.store.base import ManualCompletion

    a = store.add_learner("Åse", "hold-1")
    done = ManualCompletion(a.id, "k", "m", "2026-03-01", "På papir", "koordinator",
                            "2026-03-02T10:00:00+00:00")
    store.add_manual_completions([done])
    [stored] = store.recorded_completions(a.id)
    assert stored.id > 0 and stored.revoked_at is None
    revoked = store.revoke_manual_completion(stored.id, "kirsten", "2026-03-05T09:00:00+00:00",
                                             "Forkert modul")
    assert (revoked.revoked_by, revoked.revoke_note) == ("kirsten", "Forkert modul")
    assert store.manual_completions(a.id, "k") == []  # it counts for nothing
    [progress] = store.learner_progress(["k"])
    assert progress.manual.get("k", []) == []  # nor in an export
    assert store.recorded_completions(a.id, "k") == [revoked]  # but is kept, with its trail
    with pytest.raises(StoreError) as caught:  # once revoked, it stays as it was revoked
        store.revoke_manual_completion(stored.id, "bo", "2026-03-06T09:00:00+00:00", "igen")
    assert caught.value.problem == "not_found"
    assert store.recorded_completions()[0].revoked_by == "kirsten"


def test_count_learners(store: SQLStore) -> None:
    store.add_learner("Åse", "hold-1")
    store.add_learner("Bo", "hold-1")
    store.add_learner("Cai")
    assert store.count_learners() == 3
    assert store.count_learners("hold-1") == 2
    assert store.count_learners("nobody") == 0


def test_learner_progress_pages_through_every_learner_in_name_order(store: SQLStore) -> None:
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
    # One a page: the two named Bo meet at a page boundary, and neither is lost.
    assert [p.learner for p in store.learner_progress(["kursus"], page_size=1)] == (
        store.learners()
    )
    first = next(p for p in everyone if p.learner.id == ids[0])
    assert [r.module_id for r in first.records["kursus"]] == ["m"]
    assert "andet" not in first.records  # only the courses asked for
    both = next(p for p in store.learner_progress(["kursus", "andet"]) if p.learner.id == ids[0])
    assert {course: [r.step_id for r in records] for course, records in both.records.items()} == {
        "kursus": ["s"], "andet": ["s"]}
    second = next(p for p in everyone if p.learner.id == ids[1])
    assert second.manual["kursus"][0].note == "papir"
    assert [p.learner.id for p in store.learner_progress(["kursus"], "hold-1", page_size=1)] == [
        x.id for x in store.learners("hold-1")]
    assert list(store.learner_progress(["kursus"], "nobody")) == []
    assert all(p.records == {} for p in store.learner_progress([], page_size=3))


def test_learner_progress_reads_shared_reflections_only(store: SQLStore) -> None:
    learner = store.add_learner("Åse").id
    store.save_reflection(learner, "kursus", "m", "privat", "hemmeligt", shared=False)
    store.save_reflection(learner, "kursus", "m", "delt", "delt tekst", shared=True)
    [without] = store.learner_progress(["kursus"])
    assert without.shared_reflections == {}
    [with_shared] = store.learner_progress(["kursus"], include_shared_reflections=True)
    [shared] = with_shared.shared_reflections["kursus"]
    assert (shared.step_id, shared.text) == ("delt", "delt tekst")


def test_learner_data_counts(store: SQLStore) -> None:
    learner = store.add_learner("Åse").id
    other = store.add_learner("Bo").id
    store.update_step(learner, "kursus", "1.0", "m", "s", StepUpdate(facts={"opened": True}))
    store.save_reflection(learner, "kursus", "m", "r", "tekst", shared=False)
    store.add_practice_entry(learner, "kursus", "m", "p", {"what": "x"})
    store.add_practice_entry(other, "kursus", "m", "p", {"what": "y"})
    store.save_practice_draft(learner, "kursus", "m", "p", {"what": "halvt"})
    store.set_position(learner, "kursus", Position("m", "s"))
    store.set_setting(learner, "language", "en")
    assert store.learner_data_counts(learner) == {
        "step_records": 1, "positions": 1, "reflections": 1, "practice_entries": 1,
        "practice_drafts": 1, "manual_completions": 0, "passphrase_tries": 0,
        "certificates": 0, "learner_changes": 0, "reflection_messages": 0, "settings": 1,
        "attendance": 0, "praktik_entries": 0,
    }
    with pytest.raises(StoreError):
        store.learner_data_counts("nope")



def test_erase_learner_removes_everything(backend: Backend, store: SQLStore) -> None:
    learner = store.add_learner("Åse")
    other = store.add_learner("Bo")
    for who in (learner, other):
        store.update_step(who.id, "k", "1", "m", "s", StepUpdate(facts={"opened": True}))
        store.save_reflection(who.id, "k", "m", "r", "tekst", shared=False)
        store.add_practice_entry(who.id, "k", "m", "p", {"x": "y"})
        store.save_practice_draft(who.id, "k", "m", "p", {"x": "halvt"})
        store.set_position(who.id, "k", Position("m", "s"))
        store.set_setting(who.id, "theme", "dark")
        store.add_manual_completions([ManualCompletion(
            who.id, "k", "m", "2026-03-01", "På papir", "koordinator", "2026-03-02T10:00:00Z")])
        store.start_passphrase_try(who.id, 1000, lambda tries: 0)
        store.record_certificate(_issued(who.id, f"{who.id}-bevis"))
        store.rename_learner(who.id, who.display_name + " H", "koordinator",
                             "2026-03-02T10:00:00Z")
        store.add_message(ReflectionMessage(
            f"{who.id}-besked", who.id, "k", "m", "r", "learner", None,
            "2026-03-02T10:00:00.000001+00:00", None, "svar", "env1:forseglet"))
    [lesson] = store.add_class_sessions([ClassSession(
        "hold-1", "k", "2026-03-02", "09:00", 180, "Aktiv lytning", "", "koordinator",
        "2026-03-01T10:00:00Z")])
    store.record_attendance([AttendanceMark(lesson.id, who.id, "present", 0, "koordinator",
                                            "2026-03-02T12:00:00Z") for who in (learner, other)])
    store.add_supervisor(Supervisor("sv", "Sif", "{}", "pk", "", "2026-03-01T10:00:00Z"))
    for who in (learner, other):
        store.add_praktik_entry(PraktikEntry(
            f"{who.id}-praktik", who.id, "k", "2026-03-02", 60, "Lyngly", "tekst", "sv", None,
            "2026-03-02T12:00:00Z", "2026-03-02T12:00:00Z"))
        store.add_praktik_decision(PraktikDecision(
            f"{who.id}-praktik", "approved", "", "sv", "2026-03-03T12:00:00Z"), if_latest=None)
    before = store.learner_data_counts(learner.id)
    assert all(before.values()), before  # a row in every table, so each is seen to go
    store.erase_learner(learner.id)
    second = backend.open()  # another connection: what the database really holds
    for table in ("learners", *LEARNER_TABLES):
        column = "id" if table == "learners" else "learner_id"
        # The defaults bind this round's table (B023); mypy cannot type such a lambda.
        count = second._read(lambda db, t=table, c=column: db.execute(  # type: ignore[misc]
            f"SELECT count(*) FROM {t} WHERE {c} = ?", (learner.id,)).fetchone()[0])
        assert count == 0, table
    assert second.setting(learner.id, "theme") is None
    assert second.step_records(other.id, "k")  # the other learner is untouched
    assert second.practice_draft(other.id, "k", "m", "p") == {"x": "halvt"}
    assert all(second.learner_data_counts(other.id).values())
    second.close()


def test_reopening_keeps_data_and_does_not_migrate_twice(backend: Backend) -> None:
    first = backend.open()
    learner = first.add_learner("Åse")
    assert first.schema_version() == LATEST_VERSION
    first.close()
    second = backend.open()
    assert second.learner(learner.id) == learner
    assert second.schema_version() == LATEST_VERSION
    second.close()


def test_newer_database_is_refused(backend: Backend, store: SQLStore) -> None:
    with store._write() as db:
        if backend.name == "sqlite":
            db.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
        else:
            db.execute("UPDATE schema_version SET version = ?", (LATEST_VERSION + 1,))
    with pytest.raises(StoreError, match="newer peerskole") as caught:
        backend.open()
    assert "Upgrade peerskole" in str(caught.value)


def test_a_failed_write_changes_nothing(store: SQLStore) -> None:
    learner = store.add_learner("Åse")
    store.save_reflection(learner.id, "k", "m", "r", "gammel", shared=False)

    def refuse(_: object) -> str:
        raise ValueError("no")

    with pytest.raises(ValueError):
        store.rewrite_private_text(learner.id, refuse, {"key": "x"})
    text = store.reflection(learner.id, "k", "m", "r")
    assert text is not None and text.text == "gammel"
    assert store.setting(learner.id, "key") is None


def test_private_text_is_rewritten_in_one_go(store: SQLStore) -> None:
    learner = store.add_learner("Åse")
    store.save_reflection(learner.id, "k", "m", "r", "tekst", shared=True)
    store.add_practice_entry(learner.id, "k", "m", "p", {"a": "1", "b": "2"})
    count = store.rewrite_private_text(learner.id, lambda item: item.value.upper() + "!",
                                       {"salt": "s", "gone": None})
    assert count == 3
    text = store.reflection(learner.id, "k", "m", "r")
    assert text is not None and (text.text, text.shared) == ("TEKST!", True)
    [entry] = store.practice_entries(learner.id, "k", "m", "p")
    assert entry.values == {"a": "1!", "b": "2!"}
    assert store.setting(learner.id, "salt") == "s"


def test_practice_entry_ids_grow(store: SQLStore) -> None:
    learner = store.add_learner("Åse")
    first = store.add_practice_entry(learner.id, "k", "m", "p", {"n": "1"})
    second = store.add_practice_entry(learner.id, "k", "m", "p", {"n": "2"})
    assert second.id > first.id
    assert [e.values["n"] for e in store.practice_entries(learner.id, "k", "m", "p")] == ["1", "2"]


def test_text_survives_exactly(store: SQLStore) -> None:
    """Quotes, placeholders, percent signs and any script come back as they went in."""
    learner = store.add_learner("Åse \"?\" 100% '; DROP TABLE learners; --", "hold %s ?")
    odd = "Æ ø å ? %s %(x)s \\ ' \" 🙂 \n næste linje"
    store.save_reflection(learner.id, "k?", "m%", "r", odd, shared=False)
    text = store.reflection(learner.id, "k?", "m%", "r")
    assert text is not None and text.text == odd
    assert store.learner(learner.id).display_name == "Åse \"?\" 100% '; DROP TABLE learners; --"
    assert store.learners("hold %s ?") == [store.learner(learner.id)]


def test_a_nul_character_does_not_block_saving(backend: Backend, store: SQLStore) -> None:
    """PostgreSQL text cannot hold U+0000; it is stored as U+FFFD there, never refused
    (a refused draft would be retried for ever)."""
    learner = store.add_learner("Åse")
    store.save_reflection(learner.id, "k", "m", "r", "før\x00efter", shared=False)
    text = store.reflection(learner.id, "k", "m", "r")
    expected = "før\x00efter" if backend.name == "sqlite" else "før\ufffdefter"
    assert text is not None and text.text == expected


def test_where_names_the_file_or_the_server_without_a_password(store: SQLStore) -> None:
    where = store.where
    if isinstance(store, SQLiteStore):
        assert where == str(store.path)
    else:
        assert where.startswith('PostgreSQL database "') and " on 127.0.0.1:" in where
        assert "@" not in where and "password" not in where


def test_cohort_codes_compare_without_case(store: SQLStore) -> None:
    a = store.add_learner("Åse", "HOLD-2026")
    b = store.add_learner("Bo", " hold-2026 ")
    assert store.cohorts() == [("hold-2026", 2)]
    assert {x.id for x in store.learners("Hold-2026")} == {a.id, b.id}
    assert store.count_learners("HOLD-2026") == 2
    assert {p.learner.id for p in store.learner_progress(["k"], "hold-2026 ")} == {a.id, b.id}
    assert store.add_learner("Cai", "  ").cohort is None


def _issued(learner_id: str, certificate_id: str, name: str = "Åse") -> IssuedCertificate:
    return IssuedCertificate(
        certificate_id, learner_id, name, "k", "Kurset", "1.0", "certificate",
        "2026-11-06T10:00:00+00:00", "Skolen", "2026-11-06T12:00:00+00:00", "koordinator",
    )


def test_certificates_are_kept_once_and_revoked_with_who_when_why(
    backend: Backend, store: SQLStore
) -> None:
    learner = store.add_learner("Åse")
    first = store.record_certificate(_issued(learner.id, "c-1"))
    assert first == _issued(learner.id, "c-1")
    assert store.issued_certificate("c-2") is None
    # Issued again (the same completion, so the same id): the first issue's time and
    # issuer stand; the name printed now is taken.
    again = dataclasses.replace(_issued(learner.id, "c-1", "Åse Holm"),
                                issued_at="2026-12-01T09:00:00+00:00", issued_by="anden")
    kept = store.record_certificate(again)
    assert (kept.issued_at, kept.issued_by, kept.learner_name) == (
        first.issued_at, "koordinator", "Åse Holm")

    revoked = store.revoke_certificate("c-1", "leder", "2026-12-02T10:00:00+00:00", "Fejl")
    assert (revoked.revoked_at, revoked.revoked_by, revoked.revoke_note) == (
        "2026-12-02T10:00:00+00:00", "leder", "Fejl")
    with pytest.raises(StoreError) as caught:
        store.revoke_certificate("c-1", "leder", "2026-12-03T10:00:00+00:00", "Igen")
    assert caught.value.problem == "not_found"
    with pytest.raises(StoreError):
        store.revoke_certificate("nope", "leder", "2026-12-03T10:00:00+00:00", "Ingen")
    # A revoked certificate stays revoked when issued again, as it was.
    assert store.record_certificate(_issued(learner.id, "c-1", "Ny")) == revoked

    second = backend.open()  # another connection: what the database really holds
    assert second.issued_certificate("c-1") == revoked
    with pytest.raises(StoreError):  # the learner must exist
        second.record_certificate(_issued("nobody", "c-3"))
    second.close()


def test_the_badge_issuer_key_is_kept_once(backend: Backend, store: SQLStore) -> None:
    from peerskole.export.badge_signature import issuer_key

    assert store.badge_issuer_key() is None
    key, made = issuer_key(store)
    assert made
    pem = store.badge_issuer_key()
    assert pem is not None and pem.startswith("-----BEGIN PRIVATE KEY-----")
    # Another machine (its own connection) that made a key at the same moment keeps
    # the first one, and signs with it.
    other = backend.open()
    try:
        assert other.keep_badge_issuer_key("a key made too late") == pem
        again, made_again = issuer_key(other)
    finally:
        other.close()
    assert not made_again and again.did == key.did


def test_postgres_keeps_the_badge_key_in_the_database(
    postgres_schema_url: str, tmp_path: Path
) -> None:
    """Every machine of the organisation signs with one key: it is in the shared database."""
    from peerskole.export.badge_signature import issuer_key
    from peerskole.store.postgres import PostgresStore

    first = PostgresStore(postgres_schema_url)
    try:
        key, _ = issuer_key(first)
        rows = first._read(lambda db: db.execute(
            "SELECT private_key, created_at FROM badge_issuer_key").fetchall())
    finally:
        first.close()
    assert len(rows) == 1 and rows[0][0].startswith("-----BEGIN PRIVATE KEY-----")
    assert not list((tmp_path / "data").glob("*.pem"))  # no key file on this machine
    second = PostgresStore(postgres_schema_url)
    try:
        assert issuer_key(second)[0].did == key.did
    finally:
        second.close()
