"""The classroom rule in peerskole.progress: attended, still scheduled, and the forecast."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from peerskole.course.model import Programme
from peerskole.progress import classroom_standing
from peerskole.store.base import ATTENDANCE_STATUSES, AttendanceMark, ClassSession

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
    assert standing.required_minutes == 180 and standing.met and standing.missing_minutes == 0
    bo = classroom_standing(programme, sessions, marks, "bo", TODAY)
    assert (bo.attended_minutes, bo.met, bo.reachable) == (180, True, True)


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


@given(_sessions, _marks, st.integers(1, 40), st.integers(1, 100))
def test_the_rule_equals_a_direct_count_over_random_registers(
    planned: list[tuple[dt.date, int, bool]], entries: list[tuple[int, str, str, int]],
    hours: int, percent: int,
) -> None:
    sessions = [_session(n, day, minutes, cancelled)
                for n, (day, minutes, cancelled) in enumerate(planned)]
    marks = [AttendanceMark(session, who, status, missed, "k", "x", id=n + 1)  # type: ignore[arg-type]
             for n, (session, who, status, missed) in enumerate(entries)]
    programme = Programme(classroom_hours=hours, min_attendance_percent=percent)
    standing = classroom_standing(programme, sessions, marks, "ida", TODAY)

    attended = scheduled = 0
    for n, (day, minutes, cancelled) in enumerate(planned):
        if cancelled:
            continue
        mine = [e for e in entries if e[0] == n and e[1] == "ida"]
        if not mine:
            scheduled += minutes if day >= TODAY else 0
            continue
        _, _, status, missed = mine[-1]  # entries are in the order recorded
        attended += {"present": minutes, "late": max(0, minutes - missed),
                     "left_early": max(0, minutes - missed)}.get(status, 0)
    required = -(-hours * 60 * percent // 100)
    assert (standing.attended_minutes, standing.scheduled_minutes,
            standing.required_minutes) == (attended, scheduled, required)
    assert standing.met == (attended >= required)
    assert standing.reachable == (attended + scheduled >= required)
    assert required >= hours * 60 * percent / 100 > required - 1
