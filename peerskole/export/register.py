"""A session's register: which entries may be made, and what the register shows.

One rule for every way an entry is made (the instructor's register in the app and
``peerskole attendance import``): a cancelled session cannot be marked, only a learner of
the session's cohort can, a session still to come can only be excused in advance (who
was present, late, left early or absent is known once it is held), late and left early
say how many minutes were missed (fewer than the session lasts: else write absent), the
other statuses miss none.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from peerskole.store.base import (
    AttendanceMark,
    AttendanceStatus,
    ClassSession,
    Learner,
    cohort_code,
    now,
)

if TYPE_CHECKING:
    from peerskole.store.base import Store

WITH_MINUTES: Final[tuple[AttendanceStatus, ...]] = ("late", "left_early")
"""The statuses that say how many minutes of the session were missed."""

RegisterProblemCode = Literal[
    "cancelled", "not_held", "other_cohort", "minutes_needed", "minutes_too_many",
    "minutes_not_allowed"]
"""Why an entry cannot be made: each has its sentence where it is shown."""


@dataclass(frozen=True)
class RegisterProblem:
    """Why a register entry cannot be made."""

    field: Literal["session_id", "learner_id", "minutes"]
    """The part of the entry that is wrong (an import file's column)."""
    code: RegisterProblemCode
    """What is wrong."""


class RegisterRefused(Exception):
    """An entry the register rule does not allow; nothing was recorded."""

    def __init__(self, problem: RegisterProblem) -> None:
        super().__init__(f"{problem.field}: {problem.code}")
        self.problem = problem


def register_problems(
    session: ClassSession | None, learner: Learner | None, status: AttendanceStatus | None,
    minutes_missed: int | None, today: dt.date | None = None,
) -> list[RegisterProblem]:
    """Everything wrong with an entry; nothing when it may be recorded.

    Args:
        session: the session marked (None: unknown, checked by the caller).
        learner: the learner marked (None: unknown, checked by the caller).
        status: the status (None: unknown, checked by the caller).
        minutes_missed: minutes missed as given; None or 0 when none were given.
        today: the date now (None: this computer's today); a session after it is not
            held yet.
    """
    problems: list[RegisterProblem] = []
    if session is not None and session.cancelled_at:
        problems.append(RegisterProblem("session_id", "cancelled"))
    elif (session is not None and status is not None and status != "excused"
          and session.held_on > (today or dt.date.today()).isoformat()):
        problems.append(RegisterProblem("session_id", "not_held"))
    if (session is not None and learner is not None
            and cohort_code(learner.cohort) != cohort_code(session.cohort)):
        problems.append(RegisterProblem("learner_id", "other_cohort"))
    if status in WITH_MINUTES:
        if not minutes_missed or minutes_missed < 1:
            problems.append(RegisterProblem("minutes", "minutes_needed"))
        elif session is not None and minutes_missed >= session.minutes:
            problems.append(RegisterProblem("minutes", "minutes_too_many"))
    elif status is not None and minutes_missed:
        problems.append(RegisterProblem("minutes", "minutes_not_allowed"))
    return problems


def mark_attendance(
    store: Store, session_id: int, learner_id: str, status: AttendanceStatus,
    minutes_missed: int, recorded_by: str, recorded_at: str | None = None,
) -> AttendanceMark:
    """Check an entry against the session and learner as the store has them now, and add it.

    The session and the learner are read again, so a session cancelled or a learner moved
    to another cohort since the register was opened is refused, not marked.

    Returns:
        The entry as recorded (earlier entries stay as its history).

    Raises:
        RegisterRefused: when the rule does not allow it; nothing is recorded.
        StoreError: when the store cannot be read or written ("not_found" for an unknown
            session or learner).
    """
    session = store.class_session(session_id)
    learner = store.learner(learner_id)
    problems = register_problems(session, learner, status, minutes_missed)
    if problems:
        raise RegisterRefused(problems[0])
    mark = AttendanceMark(session.id, learner.id, status,
                          minutes_missed if status in WITH_MINUTES else 0, recorded_by,
                          recorded_at or now())
    store.record_attendance([mark])
    return mark


@dataclass(frozen=True)
class PlannedSession:
    """A session in the list an instructor chooses a register from."""

    session: ClassSession
    marked: int
    """How many of the cohort's learners have an entry (the latest counts)."""
    learners: int
    """How many learners the cohort has now."""


def planned_sessions(store: Store, cohort: str | None, course_id: str) -> list[PlannedSession]:
    """A cohort's sessions of a course (None: every cohort's), by date, with how many are
    marked; cancelled ones too, so the list says they were cancelled."""
    sessions = store.class_sessions(cohort, course_id)
    sizes = dict(store.cohorts())
    marked = store.marked_counts(cohort, course_id)
    return [PlannedSession(s, marked.get(s.id, 0), sizes.get(s.cohort, 0)) for s in sessions]


@dataclass(frozen=True)
class RegisterLine:
    """A learner of the session's cohort and their entry that counts."""

    learner: Learner
    mark: AttendanceMark | None
    """The latest entry, or None before any."""
    changes: int
    """How many entries the learner has for the session (the earlier ones are history)."""


def session_register(store: Store, session_id: int) -> tuple[ClassSession, list[RegisterLine]]:
    """A session and its register: every learner of its cohort, by name, with the latest
    entry of each.

    Raises:
        StoreError: "not_found" when there is no such session.
    """
    session = store.class_session(session_id)
    latest: dict[str, AttendanceMark] = {}
    changes: Counter[str] = Counter()
    for mark in store.attendance_history(session.id):  # oldest first: the last one counts
        latest[mark.learner_id] = mark
        changes[mark.learner_id] += 1
    learners = sorted(store.learners(session.cohort),
                      key=lambda learner: (learner.display_name.casefold(), learner.id))
    return session, [RegisterLine(learner, latest.get(learner.id), changes[learner.id])
                     for learner in learners]

