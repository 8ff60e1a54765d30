"""Bulk planning of classroom sessions from a CSV a coordinator keeps (``session import``).

As for completions (:mod:`peerskole.export.records_import`): every row is checked
before anything is written, problems are reported by row number (the header is
row 1) and field, and nothing is written unless every row is valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final

from peerskole.errors import UserError
from peerskole.export.records_import import (
    ImportProblem,
    ImportRejected,
    read_rows,
    unreadable_cells,
)
from peerskole.export.register import (
    WITH_MINUTES,
    RegisterProblem,
    RegisterProblemCode,
    register_problems,
)
from peerskole.i18n import Translator, parse_date
from peerskole.store.base import (
    ATTENDANCE_STATUSES,
    AttendanceMark,
    AttendanceStatus,
    ClassSession,
    Learner,
    StoreError,
    cohort_code,
)

if TYPE_CHECKING:
    from peerskole.course.model import Course
    from peerskole.store.base import Store

SESSION_COLUMNS: Final[tuple[str, ...]] = (
    "cohort", "course_id", "date", "start", "minutes", "title")
"""Columns a session file must have, in any order; ``place`` may be added, more are ignored."""
TITLE_MAX: Final = 200
"""Longest title or place accepted, in characters."""


def read_sessions(
    path: Path, course_by_id: Callable[[str], Course], created_by: str, created_at: str
) -> list[ClassSession]:
    """Read and check every row of a session file.

    Args:
        path: the CSV file (UTF-8, with or without BOM; ``,`` or ``;`` separated).
        course_by_id: returns the course with an id, raising UserError when unknown.
        created_by: who imports (kept with every session).
        created_at: when (ISO 8601).

    Raises:
        ImportRejected: with every problem found, when there is any.
        ExportError: when the file cannot be read at all.
    """
    reader = read_rows(path)
    header = next(reader, None)
    hint = "the first row must name the columns " + ", ".join(SESSION_COLUMNS) + " (and place)"
    if header is None:
        raise ImportRejected(path, [ImportProblem(1, f"the file is empty; {hint}")])
    names = [h.strip().lower() for h in header]
    missing = [c for c in SESSION_COLUMNS if c not in names]
    if missing:
        raise ImportRejected(path, [ImportProblem(
            1, f"missing column(s) {', '.join(missing)}; {hint}")])
    index = {c: names.index(c) for c in (*SESSION_COLUMNS, "place") if c in names}
    problems: list[ImportProblem] = []
    sessions: list[ClassSession] = []
    courses: dict[str, bool] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        values = {c: (cells[i].strip() if i < len(cells) else "") for c, i in index.items()}
        values.setdefault("place", "")
        before = len(problems)

        def problem(message: str, row: int = number) -> None:
            problems.append(ImportProblem(row, message))

        if unreadable_cells(values, problem):
            continue
        cohort = cohort_code(values["cohort"])
        if not cohort:
            problem("cohort is empty")
        course_id = values["course_id"]
        if not course_id:
            problem("course_id is empty")
        elif course_id not in courses:
            try:
                course_by_id(course_id)
                courses[course_id] = True
            except UserError as error:
                courses[course_id] = False
                problem(f"course_id: {error}")
        elif not courses[course_id]:
            problem(f'course_id: there is no course with id "{course_id}"')
        day = parse_date(values["date"]) if values["date"] else None
        if day is None:
            problem(f'date: "{values["date"]}" is not a date; write it as '
                    f"{Translator('en').date_forms()}")
        start = _clock(values["start"])
        if start is None:
            problem(f'start: "{values["start"]}" is not a time of day; write it as HH:MM, '
                    "e.g. 09:00")
        minutes = values["minutes"]
        if not minutes.isdigit() or int(minutes) < 1:
            problem(f'minutes: "{minutes}" is not a number of minutes, e.g. 180')
        title, place = values["title"], values["place"]
        if not title:
            problem("title is empty: say what the session is about")
        for name, text in (("title", title), ("place", place)):
            if len(text) > TITLE_MAX:
                problem(f"{name} is longer than {TITLE_MAX} characters")
        if len(problems) > before or day is None or start is None or not cohort:
            continue
        sessions.append(ClassSession(cohort, course_id, day.isoformat(), start, int(minutes),
                                     title, place, created_by, created_at))
    if problems:
        raise ImportRejected(path, problems)
    return sessions


def _clock(text: str) -> str | None:
    try:
        return dt.datetime.strptime(text, "%H:%M").strftime("%H:%M")
    except ValueError:
        return None


ATTENDANCE_COLUMNS: Final[tuple[str, ...]] = ("session_id", "learner_id", "status")
"""Columns an attendance file must have; ``minutes`` (missed, for late or left early)
may be added, more are ignored."""

STATUS_WORDS: Final[dict[str, AttendanceStatus]] = {
    **{status: status for status in ATTENDANCE_STATUSES},
    "til stede": "present", "forsinket": "late", "gik tidligt": "left_early",
    "fraværende": "absent", "afbud": "excused",
}
"""What a status cell may say: the store's word, or the Danish one a register uses."""


def read_attendance(
    path: Path, store: Store, recorded_by: str, recorded_at: str
) -> list[AttendanceMark]:
    """Read and check every row of an attendance file.

    Raises:
        ImportRejected: with every problem found, when there is any.
        ExportError: when the file cannot be read at all.
    """
    reader = read_rows(path)
    header = next(reader, None)
    hint = ("the first row must name the columns " + ", ".join(ATTENDANCE_COLUMNS)
            + " (and minutes)")
    if header is None:
        raise ImportRejected(path, [ImportProblem(1, f"the file is empty; {hint}")])
    names = [h.strip().lower() for h in header]
    missing = [c for c in ATTENDANCE_COLUMNS if c not in names]
    if missing:
        raise ImportRejected(path, [ImportProblem(
            1, f"missing column(s) {', '.join(missing)}; {hint}")])
    index = {c: names.index(c) for c in (*ATTENDANCE_COLUMNS, "minutes") if c in names}
    problems: list[ImportProblem] = []
    marks: list[AttendanceMark] = []
    sessions: dict[str, ClassSession | None] = {}
    learners: dict[str, Learner | None] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        values = {c: (cells[i].strip() if i < len(cells) else "") for c, i in index.items()}
        values.setdefault("minutes", "")
        before = len(problems)

        def problem(message: str, row: int = number) -> None:
            problems.append(ImportProblem(row, message))

        if unreadable_cells(values, problem):
            continue
        session_key = values["session_id"]
        if session_key not in sessions:
            sessions[session_key] = _session(store, session_key)
        session = sessions[session_key]
        if session is None:
            problem(f'session_id: there is no session "{session_key}" '
                    "(list them with: peerskole session list)")
        learner_id = values["learner_id"]
        if learner_id not in learners:
            learners[learner_id] = _learner(store, learner_id)
        learner = learners[learner_id]
        if learner is None:
            problem(f'learner_id: there is no learner with id "{learner_id}" '
                    "(list them with: peerskole learner list)")
        status = STATUS_WORDS.get(values["status"].lower())
        if status is None:
            problem(f'status: "{values["status"]}" is not one of '
                    + ", ".join(ATTENDANCE_STATUSES))
        minutes_text = values["minutes"]
        # Text that is not a number is given but unusable: too few for late, too many
        # for present.
        missed = int(minutes_text) if minutes_text.isdigit() else (-1 if minutes_text else 0)
        for found in register_problems(session, learner, status, missed):
            problem(_import_sentence(found, session, learner_id, status, missed))
        if len(problems) > before or session is None or status is None:
            continue
        marks.append(AttendanceMark(session.id, learner_id, status,
                                    missed if status in WITH_MINUTES else 0, recorded_by,
                                    recorded_at))
    if problems:
        raise ImportRejected(path, problems)
    return marks


def _import_sentence(found: RegisterProblem, session: ClassSession | None, learner_id: str,
                     status: AttendanceStatus | None, missed: int) -> str:
    """The register rule's problem as the import reports it, by column."""
    number = session.id if session is not None else "?"
    sentences: dict[RegisterProblemCode, str] = {
        "cancelled": f"session {number} is cancelled",
        "not_held": (f"session {number} is on {session.held_on if session else '?'}, not "
                     f"held yet: only excused can be recorded in advance, not {status}"),
        "other_cohort": (f"{learner_id} is not in cohort "
                         f"{session.cohort if session else '?'} of session {number}"),
        "minutes_needed": f"say how many minutes of the session were missed ({status})",
        "minutes_too_many": (f"{missed} is not less than the session's "
                             f"{session.minutes if session else '?'} minutes "
                             "(then write absent)"),
        "minutes_not_allowed": f"only for late or left_early, not for {status}",
    }
    return f"{found.field}: {sentences[found.code]}"


def _session(store: Store, text: str) -> ClassSession | None:
    if not text.isdigit():
        return None
    try:
        return store.class_session(int(text))
    except StoreError as error:
        if error.problem == "not_found":
            return None
        raise


def _learner(store: Store, learner_id: str) -> Learner | None:
    if not learner_id:
        return None
    try:
        return store.learner(learner_id)
    except StoreError as error:
        if error.problem == "not_found":
            return None
        raise
