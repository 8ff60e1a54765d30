"""Bulk import of completions done outside the app, from a CSV a coordinator keeps.

Every row is checked before anything is written; the problems are reported by
row number (the header is row 1, as a spreadsheet counts) and nothing is
written unless every row is valid. Then all rows are written in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from peerskole.errors import UserError
from peerskole.export.records import ExportError
from peerskole.i18n import Translator, parse_date
from peerskole.safe_text import forbidden_character
from peerskole.store.base import ManualCompletion, StoreError

if TYPE_CHECKING:
    from peerskole.course.model import Course
    from peerskole.store.base import Store

COLUMNS: Final[tuple[str, ...]] = ("learner_id", "course_id", "module_id", "completed_on", "note")
"""Columns an import file must have, in any order (more are ignored)."""
NOTE_MAX: Final = 1000
"""Longest note accepted, in characters."""


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """Something wrong with one row of an import file."""

    row: int
    """Row number as a spreadsheet shows it: the header is row 1."""
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


class ImportRejected(ExportError):
    """The file has problems; nothing was written."""

    def __init__(self, path: Path, problems: list[ImportProblem]) -> None:
        self.problems = problems
        lines = "\n".join(f"{path}: {p}" for p in problems)
        super().__init__(
            f"{lines}\n{len(problems)} problem(s) in {path}; nothing was imported. "
            "Fix the rows and import the file again."
        )


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """The completions a valid file holds."""

    new: list[ManualCompletion]
    """To be written."""
    already_recorded: int
    """Rows already in the store (same learner, course, module and date): not written again."""


def read_completions(
    path: Path,
    store: Store,
    course_by_id: Callable[[str], Course],
    recorded_by: str,
    recorded_at: str,
    today: dt.date | None = None,
) -> ImportPlan:
    """Read and check every row of an import file.

    Args:
        path: the CSV file (UTF-8, with or without BOM; ``,`` or ``;`` separated).
        store: to check learners and find completions already recorded.
        course_by_id: returns the course with an id, raising UserError when unknown.
        recorded_by: who imports (kept with every completion).
        recorded_at: when (ISO 8601).
        today: the latest date a completion may have (today by default).

    Raises:
        ImportRejected: with every problem found, when there is any.
        ExportError: when the file cannot be read at all.
        StoreError: when the store fails (not for an unknown learner: that is a problem).
    """
    today = today or dt.date.today()
    reader = read_rows(path)
    header = next(reader, None)
    if header is None:
        raise ImportRejected(path, [ImportProblem(1, _header_hint("the file is empty"))])
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise ImportRejected(path, [ImportProblem(
            1, _header_hint(f"missing column(s) {', '.join(missing)}")
        )])
    index = {c: names.index(c) for c in COLUMNS}

    problems: list[ImportProblem] = []
    plan: list[ManualCompletion] = []
    seen: dict[tuple[str, str, str], int] = {}
    known: dict[tuple[str, str, str], ManualCompletion] = {}  # standing, by module
    looked_up: set[tuple[str, str]] = set()
    already = 0
    checked_learners: dict[str, bool] = {}
    checked_courses: dict[str, Course | None] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        values = {c: (cells[i].strip() if i < len(cells) else "") for c, i in index.items()}
        before = len(problems)

        def problem(message: str, row: int = number) -> None:
            problems.append(ImportProblem(row, message))

        if unreadable_cells(values, problem):
            continue  # what the row holds is not what a person typed in it

        learner_id, course_id, module_id = (
            values["learner_id"], values["course_id"], values["module_id"]
        )
        if not learner_id:
            problem("learner_id is empty")
        elif learner_id not in checked_learners:
            checked_learners[learner_id] = _learner_exists(store, learner_id)
        if learner_id and not checked_learners[learner_id]:
            problem(f'there is no learner with id "{learner_id}" '
                    "(list them with: peerskole learner list)")
        course = None
        if not course_id:
            problem("course_id is empty")
        else:
            if course_id not in checked_courses:
                try:
                    checked_courses[course_id] = course_by_id(course_id)
                except UserError as error:
                    checked_courses[course_id] = None
                    problem(str(error))
            course = checked_courses[course_id]
            if course is None and len(problems) == before:
                problem(f'there is no course with id "{course_id}"')
        if not module_id:
            problem("module_id is empty")
        elif course is not None and all(m.id != module_id for m in course.modules):
            ids = ", ".join(m.id for m in course.modules)
            problem(f'course "{course_id}" has no module "{module_id}" (its modules: {ids})')
        completed_on = _date(values["completed_on"], today, problem)
        note = values["note"]
        if not note:
            problem("note is empty: say why the completion is recorded by hand")
        elif len(note) > NOTE_MAX:
            problem(f"note is longer than {NOTE_MAX} characters")
        key = (learner_id, course_id, module_id)
        if key in seen and len(problems) == before:
            problem(f"repeats row {seen[key]} (the same learner, course and module)")
        seen.setdefault(key, number)
        if len(problems) > before or completed_on is None:
            continue
        if (learner_id, course_id) not in looked_up:
            looked_up.add((learner_id, course_id))
            for c in store.manual_completions(learner_id, course_id):
                known.setdefault((c.learner_id, c.course_id, c.module_id), c)
        standing = known.get(key)
        if standing is not None and standing.completed_on == completed_on:
            already += 1
            continue
        if standing is not None:
            problem(f"the module is already recorded as completed on {standing.completed_on} "
                    f"(id {standing.id}); to correct it, revoke that record first: "
                    f'peerskole records revoke {standing.id} --note "why"')
            continue
        plan.append(ManualCompletion(learner_id, course_id, module_id, completed_on, note,
                                     recorded_by, recorded_at))
    if problems:
        raise ImportRejected(path, problems)
    return ImportPlan(plan, already)


def read_rows(path: Path) -> Iterator[list[str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ExportError(f"{path} does not exist.") from None
    except OSError as error:
        raise ExportError(f"Cannot read {path}: {error.strerror}.") from None
    except UnicodeDecodeError:
        raise ExportError(
            f"{path} is not UTF-8 text. In Excel, save it as \"CSV UTF-8\" "
            "(CSV UTF-8 (kommasepareret))."
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    # strict: a quote in the middle of a cell ("a"b) is an error, not read on past it.
    return _rows(path, csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                                  strict=True))


def _rows(path: Path, reader: Any) -> Iterator[list[str]]:
    """The reader's rows; a row the csv module cannot parse rejects the file by its number."""
    while True:
        first_line = reader.line_num + 1
        try:
            row: list[str] = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # a stray quote, or a field over csv.field_size_limit()
            last_line = reader.line_num
            if last_line > first_line:
                message = (f'cannot be read as CSV: a quote (") opened here is not closed '
                           f"where the cell ends, so rows {first_line}-{last_line} ran "
                           f"together ({error})")
            else:
                message = f"cannot be read as CSV ({error})"
            raise ImportRejected(path, [ImportProblem(first_line, message)]) from None
        yield row


def unreadable_cells(values: dict[str, str], problem: Callable[[str], None]) -> bool:
    """Report cells holding a line break or a control character; True when any does.

    A line break in a cell is almost always a quote left open: the rows after it
    were read into that cell. The cell itself is never printed (it may hold a
    terminal escape), only its column and what is wrong.
    """
    found_any = False
    for column, value in values.items():
        found = forbidden_character(value)
        if found is None:
            continue
        found_any = True
        if "\n" in value or "\r" in value:
            problem(f'{column} holds a line break: is a quote (") left open in this row? '
                    "The rows after it were read into this cell")
        else:
            problem(f"{column} holds a control character ({found}); type it again with "
                    "ordinary characters")
    return found_any


def _header_hint(what: str) -> str:
    return f"{what}; the first row must name the columns {', '.join(COLUMNS)}"


def _date(text: str, today: dt.date, problem: Callable[[str], None]) -> str | None:
    forms = Translator("en").date_forms()  # the forms every date the app reads may take
    if not text:
        problem(f"completed_on is empty: write the date as {forms}")
        return None
    day = parse_date(text)
    if day is None:
        problem(f'completed_on "{text}" is not a date: write it as {forms}')
        return None
    if day > today:
        problem(f"completed_on {text} is in the future")
        return None
    return day.isoformat()


def _learner_exists(store: Store, learner_id: str) -> bool:
    try:
        store.learner(learner_id)
    except StoreError as error:
        if error.problem == "not_found":
            return False
        raise
    return True
