"""JSON export: the CSV's records, nested learner → course → module.

The shape (``format`` "peerskole-records", ``format_version`` 1) is documented
field by field in ``docs/exports.md``; field names are the CSV's column ids.
Each learner is written as the store yields it, one learner a line, so memory
stays flat and a reader can follow a large file with a streaming parser.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final, TextIO

from peerskole.export.records import (
    CourseReport,
    DaysSince,
    LearnerReport,
    ModuleReport,
    local_date,
    minutes,
)

if TYPE_CHECKING:
    from peerskole.course.model import Course

FORMAT_NAME: Final = "peerskole-records"
"""Value of the top-level ``format`` field."""
FORMAT_VERSION: Final = 1
"""Version of the shape; raised when a field changes meaning or goes away."""


def write_json(
    reports: Iterable[LearnerReport],
    stream: TextIO,
    *,
    courses: Sequence[Course],
    cohort: str | None = None,
    since: dt.datetime | None = None,
    include_shared_reflections: bool = False,
    exported_at: str | None = None,
) -> int:
    """Write the records as one JSON document, a learner at a time; return learners written.

    Args:
        reports: learners and their standing.
        stream: where to write (UTF-8 text).
        courses: the courses exported, listed in the header.
        cohort: the cohort filter, recorded in the header.
        since: only modules with activity at or after this time; learners left
            with no module are left out.
        include_shared_reflections: add each module's ``shared_reflections``.
        exported_at: the export time to record (now, by default); ``days_since_activity``
            counts to its day in this computer's time zone.
    """
    exported_at = exported_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    days_since = DaysSince(dt.date.fromisoformat(local_date(exported_at)))
    header = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "exported_at": exported_at,
        "filters": {
            "course": [c.id for c in courses],
            "cohort": cohort,
            "since": since.isoformat() if since else None,
            "include_shared_reflections": include_shared_reflections,
        },
        "courses": [
            {
                "course_id": c.id,
                "course_title": c.title,
                "course_version": c.version,
                "modules": [{"module_id": m.id, "module_title": m.title} for m in c.modules],
            }
            for c in courses
        ],
    }
    opening = json.dumps(header, ensure_ascii=False, indent=1)
    stream.write(opening[:-2] + ',\n "learners": [')
    count = 0
    for report in reports:
        learner = learner_json(report, since, include_shared_reflections, days_since)
        if learner is None:
            continue
        stream.write(",\n  " if count else "\n  ")
        stream.write(json.dumps(learner, ensure_ascii=False))
        count += 1
    stream.write("\n ]\n}\n" if count else "]\n}\n")
    return count


def learner_json(
    report: LearnerReport,
    since: dt.datetime | None = None,
    include_shared_reflections: bool = False,
    days_since: DaysSince | None = None,
) -> dict[str, Any] | None:
    """One learner as JSON-ready data; None when ``since`` leaves nothing of them.

    Args:
        days_since: counts ``days_since_activity`` to the export's day (today by default).
    """
    days = days_since or DaysSince(dt.date.today())
    courses = []
    for course_report in report.courses:
        modules = [
            _module_json(m, include_shared_reflections, days)
            for m in course_report.modules
            if m.active_since(since)
        ]
        if modules or since is None:
            courses.append(_course_json(course_report, modules, days))
    if not courses:
        return None
    learner = report.learner
    return {
        "learner_id": learner.id,
        "learner_name": learner.display_name,
        "cohort": learner.cohort,
        "courses": courses,
    }


def _course_json(
    report: CourseReport, modules: list[dict[str, Any]], days: DaysSince
) -> dict[str, Any]:
    status = report.status
    started = [m.started_at for m in status.modules if m.started_at]
    last = report.last_activity
    programme = status.programme
    return {
        "course_id": report.course.id,
        "course_version": report.course.version,
        "course_status": status.status,
        "course_started": min(started) if started else None,
        "course_completed": status.completed_at,
        "completed_version": status.completed_version,
        "minutes_on_task": minutes(status.seconds),
        "last_activity": last,
        "days_since_activity": days(last) if last else None,
        # The programme's figures (as the CSV's course row); null without a programme.
        "classroom_hours_attended":
            None if programme is None else _hours(programme.classroom.attended_minutes),
        "classroom_hours_required":
            None if programme is None else _hours(programme.classroom.required_minutes),
        "praktik_hours_approved":
            None if programme is None else _hours(programme.praktik.minutes),
        "praktik_hours_required":
            None if programme is None else _hours(programme.praktik_required_minutes),
        "programme_met": None if programme is None else programme.met,
        "modules": modules,
    }


def _hours(count: int) -> float:
    """Minutes as hours, to two decimals."""
    return round(count / 60, 2)


def _module_json(
    report: ModuleReport, include_shared_reflections: bool, days: DaysSince
) -> dict[str, Any]:
    status = report.status
    manual = report.manual
    last = report.last_activity
    module: dict[str, Any] = {
        "module_id": report.module.id,
        "module_title": report.module.title,
        "module_status": status.status,
        "started": status.started_at,
        "completed": status.completed_at,
        "completed_version": status.version,
        "completed_manually": status.manual,
        "manual_completion": None if manual is None else {
            "completed_on": manual.completed_on,
            "note": manual.note,
            "recorded_by": manual.recorded_by,
            "recorded_at": manual.recorded_at,
        },
        "steps_done": status.done_steps,
        "steps_total": status.total_steps,
        "quiz_score": status.quiz_score,
        "minutes_on_task": minutes(status.seconds),
        "last_activity": last,
        "days_since_activity": days(last) if last else None,
    }
    if include_shared_reflections:
        module["shared_reflections"] = [
            {"step_id": s.step_id, "text": s.text, "updated_at": s.updated_at}
            for s in report.shared_reflections
        ]
    return module
