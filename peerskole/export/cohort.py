"""Following a cohort: where each learner is, how far they have come, and who has stalled.

What an instructor follows a hold with (``peerskole cohort show``, the instructor's
view). Figures only, from the same completion rule as every export: never a
reflection, a practice-log text or anything else a learner wrote.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TextIO

from peerskole.export.records import DaysSince, LearnerReport, local_date, minutes
from peerskole.progress import ClassroomStanding, next_module

if TYPE_CHECKING:
    from peerskole.course.model import Course
    from peerskole.export.records import CourseReport
    from peerskole.store.base import Store

STALLED_AFTER_DAYS: Final = 14
"""Days without activity after which a learner who has not finished counts as stalled,
unless the ``stalled_after_days`` setting says otherwise."""


class CohortLine(NamedTuple):
    """One learner's line in a cohort view: figures, never text the learner wrote."""

    learner_id: str
    name: str
    cohort: str | None
    course_id: str
    status: str
    """The course's status: "completed", "in_progress" or "not_started"."""
    module_id: str | None
    """The module the learner is in (see :func:`current_module`); None when done."""
    module_title: str | None
    percent_done: int
    """Required steps done of all the course's required steps, 0–100 (rounded down, so
    100 means complete)."""
    last_activity: str | None
    """When the learner last did anything in the course (a stored UTC time)."""
    days_since: int
    """Days since the last activity, or since the learner was added when there is none."""
    minutes: int
    """Active time on the course, in whole minutes."""
    stalled: bool
    """Modules not complete and nothing done in the app for longer than the stall limit
    (a learner whose modules are done and who has the programme's hours left to attend
    is not stalled in the app: the classroom standing says what is left)."""
    classroom: ClassroomStanding | None = None
    """Attended, still scheduled and required classroom minutes (the programme's rule in
    :func:`peerskole.progress.classroom_standing`); None when the course states no
    programme or no session is planned for the learner's cohort yet."""

    @property
    def cannot_meet_attendance(self) -> bool:
        """Attending every session still to come would not be enough: the forecast."""
        return self.classroom is not None and not self.classroom.reachable

    @property
    def needs_attention(self) -> bool:
        """Stalled, or cannot meet the attendance requirement: what an instructor should
        follow up (the "needs attention" filter of the view and of ``cohort show``)."""
        return self.stalled or self.cannot_meet_attendance


def stalled_after(store: Store) -> int:
    """The ``stalled_after_days`` setting of the store, or :data:`STALLED_AFTER_DAYS`."""
    from peerskole.settings import STALLED_AFTER

    value = store.setting("", STALLED_AFTER)
    return int(value) if value and value.isdigit() else STALLED_AFTER_DAYS


class ModuleLine(NamedTuple):
    """A learner's standing in one module: figures, never text the learner wrote."""

    module_id: str
    title: str
    status: str
    """"completed", "in_progress" or "not_started"."""
    required_done: int
    required_total: int
    last_activity: str | None
    completed_at: str | None
    version: str | None
    """The course version the module was completed on, when complete."""
    manual: bool
    """Recorded complete by a coordinator rather than by the steps."""
    minutes: int


def module_lines(report: CourseReport) -> list[ModuleLine]:
    """A line per module of the course, in the course's order (a learner's line opened)."""
    return [
        ModuleLine(
            m.module.id, m.module.title, m.status.status, m.status.required_done,
            m.status.required_total, m.last_activity, m.status.completed_at,
            m.status.version if m.status.complete else None, m.status.manual,
            minutes(m.status.seconds),
        )
        for m in report.modules
    ]


def learner_module_lines(store: Store, course: Course, learner_id: str) -> list[ModuleLine]:
    """One learner's :func:`module_lines` in a course, read from the store."""
    from peerskole.export.records import course_report

    records = store.step_records(learner_id, course.id)
    manual = store.manual_completions(learner_id, course.id)
    return module_lines(course_report(course, records, manual, ()))


def percent_done(report: CourseReport) -> int:
    """Required steps done, as a whole percentage of the course's required steps.

    A module a coordinator recorded complete counts all its required steps. Rounded down:
    only a complete course shows 100.
    """
    done = total = 0
    for module in report.status.modules:
        total += module.required_total
        done += module.required_total if module.complete else module.required_done
    return 100 * done // total if total else 0


def current_module(report: CourseReport) -> str | None:
    """The module a learner is in: the unfinished one they last worked in, else where
    they go on next (:func:`peerskole.progress.next_module`); None when the course is done.
    """
    if report.status.complete:
        return None
    newest: tuple[str, str] | None = None
    activity = report.module_activity
    for state in report.status.modules:
        stamp = activity.get(state.module_id)
        if stamp and not state.complete and (newest is None or stamp > newest[0]):
            newest = (stamp, state.module_id)
    if newest is not None:
        return newest[1]
    module = next_module(report.course, report.status)
    return module.id if module is not None else None


def read_cohort_lines(
    store: Store, courses: Sequence[Course], cohort: str | None, *,
    today: dt.date | None = None, stalled_after: int = STALLED_AFTER_DAYS,
) -> list[CohortLine]:
    """The :func:`cohort_lines` of a cohort (None: every learner), read from the store
    with its classroom register: what ``cohort show`` and the instructor's view show."""
    from peerskole.export.records import cycle_collector_paused, learner_reports

    # Paused as an export pauses it: over 10,000 learners the collector's passes took
    # a tenth of the view's time (cohort benchmark, 0.49 -> 0.44 s on SQLite).
    with cycle_collector_paused():
        return list(cohort_lines(learner_reports(store, courses, cohort, today=today),
                                 today=today, stalled_after=stalled_after))


def is_stalled(complete: bool, days_since: int, stalled_after: int) -> bool:
    """Whether a learner counts as stalled: not finished and idle beyond the limit."""
    return not complete and days_since > stalled_after


def cohort_lines(
    reports: Iterable[LearnerReport],
    *,
    today: dt.date | None = None,
    stalled_after: int = STALLED_AFTER_DAYS,
) -> Iterator[CohortLine]:
    """A line per learner and course, in the order the reports come (name order).

    Args:
        reports: from :func:`peerskole.export.records.learner_reports`.
        today: the day "days since" counts to (today, in this computer's time zone), and
            from which sessions are still to come.
        stalled_after: days of no activity after which an unfinished learner is stalled.

    The classroom standing is the one the completion rule decided the report's status
    with (``status.programme``), read from the register with the reports.
    """
    today = today or dt.date.today()
    days = DaysSince(today)
    for report in reports:
        learner = report.learner
        for course_report in report.courses:
            last = course_report.last_activity
            idle = days(last or learner.created_at)
            module_id = current_module(course_report)
            title = course_report.course.module(module_id).title if module_id else None
            status = course_report.status
            yield CohortLine(
                learner.id, learner.display_name, learner.cohort, course_report.course.id,
                status.status, module_id, title, percent_done(course_report), last, idle,
                minutes(status.seconds), is_stalled(status.modules_complete, idle, stalled_after),
                _standing(course_report),
            )


def _standing(report: CourseReport) -> ClassroomStanding | None:
    programme = report.status.programme
    if programme is None or report.programme is None or not report.programme.sessions:
        # Nothing planned yet is not a forecast: every learner would seem unable to make it.
        return None
    return programme.classroom


def hours(count: int, hour: str = "h", minute: str = "min", space: str = " ") -> str:
    """Minutes as a person reads a length of time: "9 h", "62 h 24 min", "20 min".

    Exact, never rounded: a learner one minute short is not shown "0 h" short.

    Args:
        count: minutes.
        hour: the unit for hours.
        minute: the unit for minutes.
        space: between number and unit (a no-break space on a screen).
    """
    whole, rest = divmod(count, 60)
    parts = [f"{whole}{space}{hour}"] if whole or not rest else []
    if rest:
        parts.append(f"{rest}{space}{minute}")
    return " ".join(parts)


STATUS_WORDS: Final = {"completed": "done", "in_progress": "in progress",
                       "not_started": "not started"}


def write_table(lines: Sequence[CohortLine], stream: TextIO, *, stalled_after: int) -> None:
    """The cohort as a plain-text table for a terminal; names and titles made visible."""
    from peerskole.safe_text import visible

    classroom = any(line.classroom is not None for line in lines)
    headers = ("Name", "Module", "Done", "Last activity", "Days", "Minutes",
               *(("Classroom",) if classroom else ()), "")
    rows = [
        (
            visible(line.name, "?"),
            _shortened(visible(line.module_title or STATUS_WORDS[line.status], "?")),
            f"{line.percent_done} %",
            local_date(line.last_activity) if line.last_activity else "never",
            str(line.days_since),
            str(line.minutes),
            *((_classroom_cell(line.classroom),) if classroom else ()),
            " ".join(flag for flag in (
                "STALLED" if line.stalled else "",
                f"CANNOT MEET ATTENDANCE ({_missing(line.classroom)})"
                if line.classroom is not None and line.cannot_meet_attendance else "",
            ) if flag),
        )
        for line in lines
    ]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    numeric = {2, 4, 5}

    def cells(row: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(width) if index in numeric else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()

    stream.write(cells(headers) + "\n")
    stream.write("  ".join("-" * width for width in widths).rstrip() + "\n")
    for row in rows:
        stream.write(cells(row) + "\n")
    stalled = sum(1 for line in lines if line.stalled)
    stream.write(f"\n{len(lines)} learner(s); {stalled} stalled (no activity for more than "
                 f"{stalled_after} days and not finished).\n")
    if classroom:
        short = sum(1 for line in lines if line.cannot_meet_attendance)
        stream.write(f"{short} cannot meet the attendance requirement (attended and still "
                     "scheduled hours fall short of the required).\n")


def _classroom_cell(standing: ClassroomStanding | None) -> str:
    """Attended of required hours, e.g. "12 h of 62 h 24 min"; "–" when nothing is planned."""
    if standing is None:
        return "–"
    return f"{hours(standing.attended_minutes)} of {hours(standing.required_minutes)}"


def _missing(standing: ClassroomStanding) -> str:
    return (f"{hours(standing.missing_minutes)} missing, "
            f"{hours(standing.scheduled_minutes)} still scheduled")


TITLE_WIDTH: Final = 30
"""Characters of a module title the table shows; the rest is cut with an ellipsis."""


def _shortened(title: str) -> str:
    return title if len(title) <= TITLE_WIDTH else title[: TITLE_WIDTH - 1].rstrip() + "…"


def write_json(lines: Sequence[CohortLine], stream: TextIO, *, cohort: str | None,
               stalled_after: int) -> None:
    """The cohort as JSON for tools: every figure of every line."""
    document = {
        "cohort": cohort,
        "stalled_after_days": stalled_after,
        "learners": [_json_line(line) for line in lines],
    }
    json.dump(document, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def _json_line(line: CohortLine) -> dict[str, Any]:
    document = line._asdict()
    standing = document.pop("classroom")
    document["classroom"] = None if standing is None else {
        "attended_minutes": standing.attended_minutes,
        "scheduled_minutes": standing.scheduled_minutes,
        "required_minutes": standing.required_minutes,
        "missing_minutes": standing.missing_minutes,
        "attended_hours": round(standing.attended_minutes / 60, 2),
        "required_hours": round(standing.required_minutes / 60, 2),
        "met": standing.met,
        "reachable": standing.reachable,
    }
    document["cannot_meet_attendance"] = line.cannot_meet_attendance
    return document
