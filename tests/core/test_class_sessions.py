"""Classroom sessions and their register, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import pytest

from peerskole.store import StoreError
from peerskole.store.base import AttendanceMark, ClassSession
from peerskole.store.sql import SQLStore
from tests.core.conftest import Backend


def _session(day: str, cohort: str = "Hold-1", course: str = "k") -> ClassSession:
    return ClassSession(cohort, course, day, "09:00", 180, "Aktiv lytning", "Lokale 2",
                        "koordinator", "2026-08-01T10:00:00Z")


def test_planned_sessions_come_back_by_date_with_their_ids(store: SQLStore) -> None:
    later, earlier = store.add_class_sessions(
        [_session("2026-09-08"), _session("2026-09-01")])
    store.add_class_sessions([_session("2026-09-02", cohort="hold-2")])
    assert later.id and earlier.id and later.id != earlier.id
    assert later.cohort == "hold-1"  # cohort codes compare without case
    listed = store.class_sessions("HOLD-1")
    assert [s.held_on for s in listed] == ["2026-09-01", "2026-09-08"]
    assert listed[0] == _session("2026-09-01", cohort="hold-1")
    assert [s.id for s in listed] == [earlier.id, later.id]
    assert len(store.class_sessions()) == 3
    assert store.class_sessions(course_id="other") == []


def test_a_cancelled_session_keeps_who_when_and_why(backend: Backend, store: SQLStore) -> None:
    [lesson] = store.add_class_sessions([_session("2026-09-01")])
    store.cancel_class_session(lesson.id, "koordinator", "Underviser syg",
                               "2026-08-31T08:00:00Z")
    # Cancelling again does not overwrite the first cancellation.
    store.cancel_class_session(lesson.id, "en-anden", "igen", "2026-08-31T09:00:00Z")
    seen = backend.open().class_session(lesson.id)
    assert (seen.cancelled_at, seen.cancelled_by, seen.cancel_reason) == (
        "2026-08-31T08:00:00Z", "koordinator", "Underviser syg")


def test_an_unknown_session_is_not_found(store: SQLStore) -> None:
    with pytest.raises(StoreError) as error:
        store.cancel_class_session(999, "koordinator", "x", "2026-08-31T08:00:00Z")
    assert error.value.problem == "not_found"
    with pytest.raises(StoreError):
        store.class_session(999)


def test_the_latest_register_entry_counts_and_every_entry_is_kept(
    backend: Backend, store: SQLStore
) -> None:
    ida, bo = store.add_learner("Ida", "hold-1"), store.add_learner("Bo", "hold-1")
    [first, second] = store.add_class_sessions(
        [_session("2026-09-01"), _session("2026-09-03")])
    [elsewhere] = store.add_class_sessions([_session("2026-09-01", cohort="hold-2")])
    store.record_attendance([
        AttendanceMark(first.id, ida.id, "absent", 0, "koordinator", "2026-09-01T12:00:00Z"),
        AttendanceMark(first.id, bo.id, "present", 0, "koordinator", "2026-09-01T12:00:00Z"),
        AttendanceMark(elsewhere.id, bo.id, "present", 0, "k", "2026-09-01T12:00:00Z"),
    ])
    store.record_attendance([
        AttendanceMark(first.id, ida.id, "late", 20, "underviser", "2026-09-02T08:00:00Z"),
        AttendanceMark(second.id, ida.id, "excused", 0, "underviser", "2026-09-03T08:00:00Z"),
    ])
    again = backend.open()
    counted = {(m.session_id, m.learner_id): (m.status, m.minutes_missed, m.recorded_by)
               for m in again.attendance("hold-1")}
    assert counted == {
        (first.id, ida.id): ("late", 20, "underviser"),
        (first.id, bo.id): ("present", 0, "koordinator"),
        (second.id, ida.id): ("excused", 0, "underviser"),
    }
    history = again.attendance_history(first.id)
    assert [(m.learner_id, m.status) for m in history if m.learner_id == ida.id] == [
        (ida.id, "absent"), (ida.id, "late")]
    assert len(again.attendance(course_id="k")) == 4


def test_a_register_entry_with_an_unknown_status_writes_nothing(store: SQLStore) -> None:
    ida = store.add_learner("Ida", "hold-1")
    [lesson] = store.add_class_sessions([_session("2026-09-01")])
    good = AttendanceMark(lesson.id, ida.id, "present", 0, "k", "2026-09-01T12:00:00Z")
    bad = AttendanceMark(lesson.id, ida.id, "maybe", 0, "k",  # type: ignore[arg-type]
                         "2026-09-01T12:00:00Z")
    with pytest.raises(StoreError):
        store.record_attendance([good, bad])
    assert store.attendance_history(lesson.id) == []
