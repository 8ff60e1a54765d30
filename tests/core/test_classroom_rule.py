"""The classroom rule in peerskole.progress: attended, still scheduled, and the forecast."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from peerskole.course.loader import load_course
from peerskole.course.model import Course, Programme
from peerskole.export.records import instant
from peerskole.progress import (
    ApprovedPraktik,
    ProgrammeFacts,
    StepRecord,
    classroom_standing,
    course_status,
)
from peerskole.store.base import ATTENDANCE_STATUSES, AttendanceMark, ClassSession, StepUpdate
from peerskole.store.sql import SQLStore
from tests.conftest import SAMPLE_COURSE

TODAY = dt.date(2026, 10, 1)


def _session(number: int, day: dt.date, minutes: int, cancelled: bool) -> ClassSession:
    return ClassSession("hold-1", "k", day.isoformat(), "09:00", minutes, "T", "", "k", "x",
                        id=number, cancelled_at="2026-01-01T00:00:00Z" if cancelled else None)


def test_late_and_left_early_count_the_minutes_not_missed() -> None:
    programme = Programme(classroom_hours=6, min_attendance_percent=50)
    sessions = [_session(1, dt.date(2026, 9, 1), 180, False),
                _session(2, dt.date(2026, 9, 3), 180, False),
                _session(3, dt.date(2026, 10, 5), 180, False),
                _session(4, dt.date(2026, 10, 8), 180, True)]
    marks = [AttendanceMark(1, "ida", "absent", 0, "k", "x", id=1),
             AttendanceMark(1, "ida", "late", 30, "k", "x", id=5),  # the correction counts
             AttendanceMark(2, "ida", "left_early", 60, "k", "x", id=2),
             AttendanceMark(2, "bo", "present", 0, "k", "x", id=3)]
    standing = classroom_standing(programme, sessions, marks, "ida", TODAY)
    assert (standing.attended_minutes, standing.scheduled_minutes) == (270, 180)
    # Half of the 9 hours planned and not cancelled (more than the programme's 6 hours).
    assert (standing.planned_minutes, standing.required_minutes) == (540, 270)
    assert standing.met and standing.missing_minutes == 0
    assert standing.met_on == "2026-09-03"  # the second session brought her to 270
    bo = classroom_standing(programme, sessions, marks, "bo", TODAY)
    assert (bo.attended_minutes, bo.met, bo.reachable, bo.met_on) == (180, False, True, None)


def test_a_learner_who_can_no_longer_make_it_is_forecast_so() -> None:
    programme = Programme(classroom_hours=9, min_attendance_percent=100)
    sessions = [_session(n, dt.date(2026, 9, n), 180, False) for n in (1, 2)]
    sessions.append(_session(3, dt.date(2026, 10, 2), 180, False))
    marks = [AttendanceMark(1, "ida", "present", 0, "k", "x", id=1),
             AttendanceMark(2, "ida", "excused", 0, "k", "x", id=2)]
    standing = classroom_standing(programme, sessions, marks, "ida", TODAY)
    assert (standing.met, standing.reachable, standing.missing_minutes) == (False, False, 360)


_days = st.dates(dt.date(2026, 9, 1), dt.date(2026, 10, 31))
_sessions = st.lists(st.tuples(_days, st.integers(1, 300), st.booleans()), max_size=12)
_marks = st.lists(st.tuples(st.integers(0, 11), st.sampled_from(["ida", "bo"]),
                            st.sampled_from(ATTENDANCE_STATUSES), st.integers(0, 400)),
                  max_size=40)


def _course(programme: Programme | None) -> Course:
    """The mini sample course, as if its course.toml stated ``programme``."""
    course = _MINI
    manifest = course.manifest.model_copy(update={"programme": programme})
    return course.model_copy(update={"manifest": manifest})


_MINI = load_course(SAMPLE_COURSE)
DONE_FACTS: dict[tuple[str, str], dict[str, object]] = {
    ("first", "before-after"): {"before": [2, 3], "after": [4, 5]},
    ("first", "intro"): {"opened": True},
    ("first", "quiz"): {"score": 100.0, "attempts": 1},
    ("first", "maja"): {"turns_answered": 1},
    ("first", "own-experience"): {"words": 12},
    ("first", "practice-talk"): {"entries": 1},
    ("second", "read"): {"opened": True},
}
"""Facts that make every step of the mini course done."""


def _done_records() -> list[StepRecord]:
    return [StepRecord(module, step, "1.0", facts, "2026-09-01T09:00:00+00:00",
                       "2026-09-01T10:00:00+00:00", 60)
            for (module, step), facts in DONE_FACTS.items()]


@given(_sessions, _marks, st.integers(1, 40), st.integers(1, 100),
       st.one_of(st.none(), st.integers(1, 20)), st.integers(0, 1500), st.booleans())
def test_the_rule_equals_a_direct_count_over_random_registers(
    planned: list[tuple[dt.date, int, bool]], entries: list[tuple[int, str, str, int]],
    hours: int, percent: int, praktik_hours: int | None, approved: int, modules_done: bool,
) -> None:
    sessions = [_session(n, day, minutes, cancelled)
                for n, (day, minutes, cancelled) in enumerate(planned)]
    marks = [AttendanceMark(session, who, status, missed, "k", "x", id=n + 1)  # type: ignore[arg-type]
             for n, (session, who, status, missed) in enumerate(entries)]
    programme = Programme(classroom_hours=hours, min_attendance_percent=percent,
                          praktik_hours=praktik_hours)
    standing = classroom_standing(programme, sessions, marks, "ida", TODAY)

    attended = scheduled = not_cancelled = 0
    by_day: list[tuple[dt.date, int]] = []
    for n, (day, minutes, cancelled) in enumerate(planned):
        if cancelled:
            continue
        not_cancelled += minutes
        mine = [e for e in entries if e[0] == n and e[1] == "ida"]
        if not mine:
            scheduled += minutes if day >= TODAY else 0
            continue
        _, _, status, missed = mine[-1]  # entries are in the order recorded
        got = {"present": minutes, "late": max(0, minutes - missed),
               "left_early": max(0, minutes - missed)}.get(status, 0)
        attended += got
        by_day.append((day, got))
    # The percent is of the hours of the sessions not cancelled, never of fewer than the
    # programme's classroom hours.
    basis = max(hours * 60, not_cancelled)
    required = -(-basis * percent // 100)
    assert (standing.attended_minutes, standing.scheduled_minutes, standing.planned_minutes,
            standing.required_minutes) == (attended, scheduled, not_cancelled, required)
    assert required >= basis * percent / 100 > required - 1
    assert standing.met == (attended >= required)
    unplanned = max(0, hours * 60 - not_cancelled)
    assert standing.reachable == (attended + scheduled + unplanned >= required)
    running, met_on = 0, None
    for day, got in sorted(by_day, key=lambda pair: pair[0]):
        running += got
        if running >= required and got:
            met_on = day.isoformat()
            break
    assert standing.met_on == met_on

    # The whole rule: the modules by their rules and the programme's requirements.
    praktik = ApprovedPraktik(approved, "2026-09-30T10:00:00+00:00" if approved else None)
    course = course_status(_course(programme), _done_records() if modules_done else [],
                           None, ProgrammeFacts("ida", TODAY, sessions, marks, praktik))
    praktik_met = approved >= (praktik_hours or 0) * 60
    assert course.modules_complete == modules_done
    assert course.complete == (modules_done and attended >= required and praktik_met)
    assert course.programme is not None and course.programme.met == (
        attended >= required and praktik_met)
    if course.complete:
        assert course.status == "completed" and course.completed_at is not None
        # Never before the modules were done nor before the attendance was met.
        stamps = [instant(course.completed_at)]
        assert stamps[0] >= instant("2026-09-01T10:00:00+00:00")
        assert met_on is not None and stamps[0] >= instant(met_on)
    else:
        assert course.completed_at is None and course.status != "completed"
    # The same records without a programme: the modules alone decide, as before.
    plain = course_status(_course(None), _done_records() if modules_done else [],
                          None, ProgrammeFacts("ida", TODAY, sessions, marks, praktik))
    assert plain.complete == modules_done and plain.programme is None


def test_a_course_with_a_programme_is_not_complete_without_its_facts() -> None:
    programme = Programme(classroom_hours=1)
    status = course_status(_course(programme), _done_records())
    assert status.modules_complete and not status.complete
    assert status.programme is not None and status.programme.classroom.missing_minutes == 60


def test_praktik_hours_required_and_none_approved_is_not_complete() -> None:
    programme = Programme(classroom_hours=3, praktik_hours=2)
    sessions = [_session(1, dt.date(2026, 9, 1), 180, False)]
    marks = [AttendanceMark(1, "ida", "present", 0, "k", "x", id=1)]
    facts = ProgrammeFacts("ida", TODAY, sessions, marks)
    status = course_status(_course(programme), _done_records(), None, facts)
    assert status.programme is not None
    assert status.programme.classroom.met and not status.programme.praktik_met
    assert status.programme.missing_praktik_minutes == 120 and not status.complete
    approved = facts._replace(praktik=ApprovedPraktik(120, "2026-09-20T08:00:00+00:00"))
    done = course_status(_course(programme), _done_records(), None, approved)
    # Complete when the last requirement was met: the praktik approval, after the modules.
    assert done.complete and done.completed_at == "2026-09-20T08:00:00+00:00"


def test_the_percent_is_of_the_hours_held_never_of_fewer_than_the_programme() -> None:
    programme = Programme(classroom_hours=6, min_attendance_percent=50)
    held = [_session(n, dt.date(2026, 9, n), 180, cancelled)
            for n, cancelled in ((1, False), (2, True), (3, False), (4, False))]
    # 9 hours not cancelled: half of them is 4 h 30 min.
    assert classroom_standing(programme, held, [], "ida", TODAY).required_minutes == 270
    # Two of the four cancelled, not replaced: half of the programme's 6 hours still.
    fewer = held[:2] + [_session(3, dt.date(2026, 9, 3), 180, True), held[3]]
    standing = classroom_standing(programme, fewer, [], "ida", TODAY)
    assert (standing.planned_minutes, standing.required_minutes) == (360, 180)
    # Nothing planned yet: the programme's unplanned hours can still be attended.
    empty = classroom_standing(programme, [], [], "ida", TODAY)
    assert empty.reachable and not empty.met and empty.unplanned_minutes == 360


def test_the_export_and_the_app_ask_the_store_the_same_question(store: SQLStore) -> None:
    """On SQLite and PostgreSQL: the register read once for an export, and one learner's
    read as the app reads it, give the same answer."""
    from peerskole.export.records import learner_programme, learner_reports

    course = _course(Programme(classroom_hours=6, min_attendance_percent=50))
    ida, bo, cai = (store.add_learner(name, "hold-1") for name in ("Ida", "Bo", "Cai"))
    for learner in (ida, bo):
        for (module, step), facts in DONE_FACTS.items():
            store.update_step(learner.id, "mini", "1.0", module, step,
                              StepUpdate(facts=facts, add_seconds=60, done=True,
                                         at="2026-08-20T10:00:00+00:00"))
    first, second, _ = store.add_class_sessions([
        ClassSession("hold-1", "mini", day, "09:00", 180, "T", "", "k", "2026-08-01T10:00:00Z")
        for day in ("2026-09-01", "2026-09-08", "2026-09-15")])
    store.record_attendance([
        AttendanceMark(first.id, ida.id, "present", 0, "k", "2026-09-01T12:00:00Z"),
        AttendanceMark(second.id, ida.id, "late", 60, "k", "2026-09-08T12:00:00Z"),
        AttendanceMark(first.id, bo.id, "present", 0, "k", "2026-09-01T12:00:00Z"),
        AttendanceMark(second.id, bo.id, "absent", 0, "k", "2026-09-08T12:00:00Z"),
        AttendanceMark(first.id, cai.id, "present", 0, "k", "2026-09-01T12:00:00Z"),
        AttendanceMark(second.id, cai.id, "present", 0, "k", "2026-09-08T12:00:00Z"),
    ])
    reports = {r.learner.id: r.courses[0]
               for r in learner_reports(store, [course], "hold-1", today=TODAY)}
    # Half of 9 hours is 4 h 30 min: Ida has 5 h (and every module), Bo 3 h, Cai no module.
    assert {who: (r.status.complete, r.status.programme.classroom.attended_minutes)  # type: ignore[union-attr]
            for who, r in reports.items()} == {
        ida.id: (True, 300), bo.id: (False, 180), cai.id: (False, 360)}
    assert reports[ida.id].status.completed_at == "2026-09-08"  # when attendance was met
    for learner in (ida, bo, cai):
        read = learner_programme(store, course, learner, TODAY)
        alone = course_status(course, store.step_records(learner.id, "mini"), None, read)
        assert alone == reports[learner.id].status
        assert alone.complete == reports[learner.id].status.complete


def test_the_last_module_done_with_the_programme_open_is_not_said_to_complete_the_course(
) -> None:
    from peerskole.i18n import Translator
    from peerskole.notices import completion_notice

    t = Translator("da")
    course = _course(Programme(classroom_hours=3))
    records = _done_records()
    before = course_status(course, [r for r in records if r.module_id == "first"])
    after = course_status(course, records)
    notice = completion_notice(t, course, course.module("second"), before, after)
    assert notice == f"{t('module.complete')} {t('overview.modules_done_programme_open')}"
    facts = ProgrammeFacts("ida", TODAY, [_session(1, dt.date(2026, 9, 1), 180, False)],
                           [AttendanceMark(1, "ida", "present", 0, "k", "x", id=1)])
    done = course_status(course, records, None, facts)
    assert completion_notice(t, course, course.module("second"), before, done) == (
        f"{t('module.complete')} {t('overview.complete')}")
