"""The register rule (peerskole.export.register), on SQLite and on a real PostgreSQL server:
what the app's register may record, checked against the store as it is at that moment."""

from __future__ import annotations

import pytest

from peerskole.export.register import (
    RegisterRefused,
    mark_attendance,
    planned_sessions,
    register_problems,
    session_register,
)
from peerskole.store import StoreError
from peerskole.store.base import AttendanceStatus, ClassSession
from peerskole.store.sql import SQLStore
from tests.core.conftest import Backend


def _session(store: SQLStore, cohort: str = "hold-1", minutes: int = 180) -> ClassSession:
    [added] = store.add_class_sessions([ClassSession(
        cohort, "k", "2026-09-01", "09:00", minutes, "Aktiv lytning", "", "koordinator",
        "2026-08-01T10:00:00Z")])
    return added


def _refused(store: SQLStore, session: ClassSession, learner_id: str,
             status: AttendanceStatus, minutes: int) -> str:
    with pytest.raises(RegisterRefused) as refused:
        mark_attendance(store, session.id, learner_id, status, minutes, "Ulla")
    return refused.value.problem.code


def test_an_entry_is_added_with_who_and_the_latest_counts(
    backend: Backend, store: SQLStore
) -> None:
    ida, bo = store.add_learner("Ida", "Hold-1"), store.add_learner("Bo", "hold-1")
    store.add_learner("Eva", "hold-2")
    lesson = _session(store)
    first = mark_attendance(store, lesson.id, ida.id, "present", 0, "Ulla")
    mark_attendance(store, lesson.id, ida.id, "late", 15, "Ulla", "2026-09-01T09:20:00Z")
    mark_attendance(store, lesson.id, bo.id, "excused", 0, "Ulla")
    assert first.recorded_by == "Ulla" and first.recorded_at
    again = backend.open()
    session, lines = session_register(again, lesson.id)
    assert session == lesson
    shown = {line.learner.display_name: (line.mark and (line.mark.status,
             line.mark.minutes_missed), line.changes) for line in lines}
    assert shown == {"Bo": (("excused", 0), 1), "Ida": (("late", 15), 2)}  # not Eva
    assert [(m.status, m.recorded_by) for m in again.attendance_history(lesson.id)] == [
        ("present", "Ulla"), ("late", "Ulla"), ("excused", "Ulla")]
    [planned] = planned_sessions(again, "hold-1", "k")
    assert (planned.marked, planned.learners) == (2, 2)
    # Moved to another cohort: no longer one of those the register counts as marked.
    again.move_learner(bo.id, "hold-2", "koordinator", "2026-09-02T08:00:00Z")
    [planned] = planned_sessions(again, "hold-1", "k")
    assert (planned.marked, planned.learners) == (1, 1)
    assert [p.marked for p in planned_sessions(again, None, "k")] == [1]
    assert planned_sessions(again, "hold-1", "other") == []


def test_what_the_rule_refuses_is_not_recorded(store: SQLStore) -> None:
    ida = store.add_learner("Ida", "hold-1")
    eva = store.add_learner("Eva", "hold-2")
    lesson = _session(store)
    assert _refused(store, lesson, eva.id, "present", 0) == "other_cohort"
    assert _refused(store, lesson, ida.id, "late", 0) == "minutes_needed"
    assert _refused(store, lesson, ida.id, "left_early", 180) == "minutes_too_many"
    assert _refused(store, lesson, ida.id, "absent", 5) == "minutes_not_allowed"
    mark_attendance(store, lesson.id, ida.id, "left_early", 179, "Ulla")  # the most there is
    # Cancelled after the register was opened: the store's word counts, not the screen's.
    store.cancel_class_session(lesson.id, "koordinator", "syg", "2026-08-31T08:00:00Z")
    assert _refused(store, lesson, ida.id, "present", 0) == "cancelled"
    # Moved to another cohort since: refused too.
    other = _session(store)
    store.move_learner(ida.id, "hold-2", "koordinator", "2026-08-31T09:00:00Z")
    assert _refused(store, other, ida.id, "present", 0) == "other_cohort"
    assert [m.minutes_missed for m in store.attendance_history(lesson.id)] == [179]
    assert store.attendance_history(other.id) == []
    with pytest.raises(StoreError) as error:
        mark_attendance(store, 9999, ida.id, "present", 0, "Ulla")
    assert error.value.problem == "not_found"


def test_every_problem_of_an_entry_is_named() -> None:
    lesson = ClassSession("hold-1", "k", "2026-09-01", "09:00", 60, "x", "", "k", "t",
                          id=1, cancelled_at="2026-08-31T08:00:00Z")
    codes = [p.code for p in register_problems(lesson, None, "late", 60)]
    assert codes == ["cancelled", "minutes_too_many"]
    assert register_problems(None, None, None, 5) == []  # unknown parts: the caller's to say


def test_a_session_still_to_come_can_only_be_excused_in_advance(store: SQLStore) -> None:
    import datetime as dt

    ida = store.add_learner("Ida", "hold-1")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    [coming] = store.add_class_sessions([ClassSession(
        "hold-1", "k", tomorrow, "09:00", 180, "Grupper", "", "koordinator",
        "2026-08-01T10:00:00Z")])
    statuses: list[tuple[AttendanceStatus, int]] = [
        ("present", 0), ("late", 10), ("left_early", 10), ("absent", 0)]
    for status, minutes in statuses:
        assert _refused(store, coming, ida.id, status, minutes) == "not_held"
    assert store.attendance_history(coming.id) == []
    mark_attendance(store, coming.id, ida.id, "excused", 0, "Ulla")  # told in advance
    assert [m.status for m in store.attendance_history(coming.id)] == ["excused"]
    # Held on the day itself: it can be taken then.
    day = dt.date.fromisoformat(tomorrow)
    assert register_problems(coming, ida, "present", 0, today=day) == []
