"""CSV export: one row per learner × module, and one per learner × course, for spreadsheets.

Each learner's rows in a course start with a course-level row (``row_type``
"course": the course's status, start, completion and total minutes, module cells
empty), then one row per module (``row_type`` "module"). Filtering on
``row_type`` gives a spreadsheet either view.

The column ids are the same stable English ids in the plain file and the Excel
file, so a script written against one reads the other; ``docs/exports.md``
explains each in Danish and English. ``excel=True`` writes what Danish Excel
opens right: UTF-8 with a byte-order mark, ``;`` between cells, a decimal comma,
dates as ``YYYY-MM-DD``.

Every text cell that a spreadsheet could read as a formula is neutralised
(OWASP "CSV injection"): a trainee named ``=HYPERLINK(...)`` is shown, not run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, TextIO

from peerskole.export.records import (
    DaysSince,
    LearnerReport,
    ModuleReport,
    cycle_collector_paused,
    local_date,
    minutes,
)

if TYPE_CHECKING:
    from peerskole.course.model import Course

COLUMNS: Final[tuple[str, ...]] = (
    "learner_id",
    "learner_name",
    "cohort",
    "course_id",
    "course_title",
    "course_version",
    "course_status",
    "course_completed",
    "row_type",
    "module_id",
    "module_title",
    "module_status",
    "started",
    "completed",
    "completed_manually",
    "quiz_score",
    "minutes_on_task",
    "completed_version",
    "last_activity",
    "days_since_activity",
    "classroom_hours_attended",
    "classroom_hours_required",
    "praktik_hours_approved",
    "praktik_hours_required",
    "programme_met",
)
"""The columns, in order; documented one by one in ``docs/exports.md``."""
PROGRAMME_CELLS: Final = 5
"""The programme's columns (the last five): filled on the course row of a course with a
``[programme]``, empty elsewhere."""
COURSE_ROW: Final = "course"
"""``row_type`` of a learner's course-level row (module cells empty, course totals)."""
MODULE_ROW: Final = "module"
"""``row_type`` of a learner × module row."""
SHARED_REFLECTIONS_COLUMN: Final = "shared_reflections"
"""Last column, only with ``--include-shared-reflections``: the module's shared reflections."""
FORMULA_TRIGGERS: Final = frozenset("=+-@\t\r\n")
"""First characters that make a spreadsheet read a cell as a formula (OWASP)."""
WRITE_LINES: Final = 512
"""Lines gathered before a write: fewer, larger writes; memory stays a few pages."""
SCORE_CELLS: Final = 1024
"""Distinct quiz scores whose cells an export remembers (a quiz has few possible scores)."""
YES: Final = "yes"
"""How a true flag is written."""
NO: Final = "no"
"""How a false flag is written."""


def neutralise(text: str) -> str:
    """Make a text cell safe to open in a spreadsheet.

    A cell starting with ``=``, ``+``, ``-``, ``@``, tab, CR or LF gets a leading
    apostrophe, which spreadsheets show as text instead of running a formula.
    """
    if text and text[0] in FORMULA_TRIGGERS:
        return "'" + text
    return text


@dataclass(frozen=True, slots=True)
class CsvDialect:
    """How cells are separated and numbers and dates are written."""

    delimiter: str
    encoding: str
    decimal_comma: bool
    dates_only: bool
    """Write ``YYYY-MM-DD`` in this computer's time zone instead of the stored UTC time."""


PLAIN: Final = CsvDialect(",", "utf-8", decimal_comma=False, dates_only=False)
"""Plain CSV for scripts: comma-separated UTF-8, ISO 8601 times in UTC."""
EXCEL: Final = CsvDialect(";", "utf-8-sig", decimal_comma=True, dates_only=True)
"""What Danish Excel opens right: BOM, semicolons, decimal comma, dates."""


def write_csv(
    reports: Iterable[LearnerReport],
    stream: TextIO,
    *,
    excel: bool = False,
    since: dt.datetime | None = None,
    include_shared_reflections: bool = False,
    today: dt.date | None = None,
) -> int:
    """Write a learner's course row and module rows as the reports arrive; return rows written.

    Args:
        reports: learners and their standing, e.g. from
            :func:`peerskole.export.records.learner_reports`.
        stream: a text stream opened with ``newline=""`` in the dialect's encoding.
        excel: write for Danish Excel (see :data:`EXCEL`).
        since: only modules with activity at or after this time.
        include_shared_reflections: add the :data:`SHARED_REFLECTIONS_COLUMN`.
        today: the export's day, which ``days_since_activity`` counts to (today, in this
            computer's time zone, by default).
    """
    lines = CsvLines(EXCEL if excel else PLAIN, include_shared_reflections, today)
    stream.write(lines.header())
    count = 0
    pending: list[str] = []  # a few learners' lines, written at once
    # Without the pause, an export of 10,000 learners takes 6 % longer (1.10 → 1.17 s,
    # in-process A/B), and the export benchmark is at its 2× target (2.0-2.2×).
    with cycle_collector_paused():
        for report in reports:
            rows = lines.learner(report, since)
            pending += rows
            count += len(rows)
            if len(pending) >= WRITE_LINES:
                stream.write("".join(pending))
                pending.clear()
    stream.write("".join(pending))
    return count


class CsvLines:
    """Makes the CSV lines of each learner, as ``csv.writer`` (QUOTE_MINIMAL) would.

    Written out rather than through ``csv.writer`` because most of a row repeats:
    the course and module cells are encoded once per export, the learner's once
    per learner, and only the times of each row are looked at row by row. Through
    ``csv.writer`` an export of 10,000 learners takes 25 % longer (1.10 → 1.38 s,
    in-process A/B), about 2.6× the ``sqlite3 -csv`` baseline against a target of 2×.
    ``tests/export/test_csv_writer.py`` holds it to what ``csv.writer`` writes. Every
    text cell is neutralised (:func:`neutralise`) before it is quoted.

    Args:
        dialect: how cells are separated, and numbers and dates written.
        include_shared_reflections: add the :data:`SHARED_REFLECTIONS_COLUMN`.
        today: the export's day (see :func:`write_csv`).
    """

    def __init__(
        self, dialect: CsvDialect, include_shared_reflections: bool = False,
        today: dt.date | None = None,
    ) -> None:
        self.dialect = dialect
        self.days_since = DaysSince(today or dt.date.today())
        self.include_shared_reflections = include_shared_reflections
        self._sep = dialect.delimiter
        self._courses: dict[tuple[str, str, str], tuple[str, tuple[str, ...]]] = {}
        self._scores: dict[float, str] = {}

    def header(self) -> str:
        columns = list(COLUMNS)
        if self.include_shared_reflections:
            columns.append(SHARED_REFLECTIONS_COLUMN)
        return self._sep.join(columns) + "\r\n"

    def text(self, value: str | None) -> str:
        """One text cell: neutralised, then quoted if it holds a separator, quote or newline."""
        if not value:
            return ""
        value = neutralise(value)
        if '"' in value or self._sep in value or "\n" in value or "\r" in value:
            return '"' + value.replace('"', '""') + '"'
        return value

    def learner(self, report: LearnerReport, since: dt.datetime | None = None) -> list[str]:
        """The lines of one learner: per course, a course row then one per module.

        With ``since``, only modules active since then, and a course row only when
        one of its modules is left.
        """
        sep, text = self._sep, self.text
        # A stored time as a cell: the time itself (quoted if need be), or its local date.
        time = self._date if self.dialect.dates_only else text
        scores, score_cell = self._scores, self._score
        learner = report.learner
        person = sep.join((text(learner.id), text(learner.display_name),
                           text(learner.cohort or "")))
        shared_cell = self.include_shared_reflections
        days_since = self.days_since
        no_programme = sep * PROGRAMME_CELLS
        lines = []
        for course_report in report.courses:
            status = course_report.status
            course_cells, module_cells = self._course(course_report.course)
            completed = time(status.completed_at)
            course = sep.join((person, course_cells, status.status, completed))
            module_row = course + sep + MODULE_ROW + sep
            module_lines = []
            for module, cells in zip(course_report.modules, module_cells, strict=True):
                if since is not None and not module.active_since(since):
                    continue
                state = module.status
                started = state.started_at
                completed_at = state.completed_at
                score = state.quiz_score
                last = module.last_activity
                completed_cell = time(completed_at) if completed_at else ""
                line = sep.join((
                    module_row + cells,
                    state.status,
                    time(started) if started else "",
                    completed_cell,
                    YES if state.manual else NO,
                    "" if score is None else scores.get(score) or score_cell(score),
                    str(minutes(state.seconds)),
                    text(state.version),
                    # A module's last activity is most often its completion: one cell.
                    "" if not last else completed_cell if last == completed_at else time(last),
                    str(days_since(last)) if last else "",
                )) + no_programme  # the programme's cells: on the course row
                if shared_cell:
                    line += sep + text(_shared_text(module))
                module_lines.append(line + "\r\n")
            if not module_lines:
                continue  # ``since`` left nothing of this course
            cells_of_course = [
                course,
                COURSE_ROW,
                "",  # module_id
                "",  # module_title
                "",  # module_status: the course's is in course_status
                time(status.started_at) if status.started_at else "",
                completed,
                "",  # completed_manually: per module
                "",  # quiz_score: per module
                str(minutes(status.seconds)),
                text(status.completed_version),
            ]
            last = course_report.last_activity
            cells_of_course += (time(last), str(days_since(last))) if last else ("", "")
            programme = status.programme
            if programme is None:
                cells_of_course.append(no_programme[1:])
            else:
                hours = self._hours
                cells_of_course += (
                    hours(programme.classroom.attended_minutes),
                    hours(programme.classroom.required_minutes),
                    hours(programme.praktik.minutes),
                    hours(programme.praktik_required_minutes),
                    YES if programme.met else NO,
                )
            if shared_cell:
                cells_of_course.append("")
            lines.append(sep.join(cells_of_course) + "\r\n")
            lines.extend(module_lines)
        return lines

    def _course(self, course: Course) -> tuple[str, tuple[str, ...]]:
        """The course's cells, and each module's (id and title), encoded once an export."""
        key = (course.id, course.version, course.title)
        cells = self._courses.get(key)
        if cells is None:
            sep, text = self._sep, self.text
            cells = self._courses[key] = (
                sep.join((text(course.id), text(course.title), text(course.version))),
                tuple(sep.join((text(m.id), text(m.title))) for m in course.modules),
            )
        return cells

    def _date(self, stamp: str | None) -> str:
        """A stored time's calendar date in this computer's time zone, as a cell."""
        return self.text(local_date(stamp)) if stamp else ""

    def _hours(self, count: int) -> str:
        """Minutes as hours, to two decimals: 62.4 for 62 h 24 min."""
        shown = round(count / 60, 2)
        text = str(int(shown)) if shown == int(shown) else str(shown)
        return text.replace(".", ",") if self.dialect.decimal_comma else text

    def _score(self, score: float) -> str:
        """A quiz score's cell, remembered: the few scores a quiz can give recur all along."""
        cell = _number(score, self.dialect)
        if len(self._scores) < SCORE_CELLS:
            self._scores[score] = cell
        return cell


def _number(value: float | None, dialect: CsvDialect) -> str:
    if value is None:
        return ""
    shown = round(value, 1)
    text = str(int(shown)) if shown == int(shown) else str(shown)
    return text.replace(".", ",") if dialect.decimal_comma else text


def _shared_text(report: ModuleReport) -> str:
    parts = []
    for shared in report.shared_reflections:
        try:
            title = report.module.step(shared.step_id).title
        except KeyError:
            title = shared.step_id
        parts.append(f"{title}: {shared.text}")
    return "\n\n".join(parts)
