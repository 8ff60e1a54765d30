"""The coordinator's and instructor's reports: figures, never text a learner wrote.

``peerskole report outcomes`` writes :mod:`peerskole.export.outcomes` as CSV or
JSON: groups only, never one learner. ``peerskole cohort show`` writes
:mod:`peerskole.export.cohort`: each learner of a cohort, where they are and who has
stalled. Like every command that only reads, they never create a database.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from peerskole.commands.coordinator import _store_for_courses
from peerskole.errors import UserError
from peerskole.safe_text import visible

if TYPE_CHECKING:
    from peerskole.course.model import Course
    from peerskole.store.base import Store


def _report_course(
    course_id: str | None, store: Store, what: str = "An outcome report"
) -> Course:
    """The course asked for, or the only known course (installed in ``store`` or in a
    folder); else a sentence naming the ids."""
    from peerskole.course.library import load_courses

    courses = load_courses(course_id, store)
    if len(courses) == 1:
        return courses[0]
    if not courses:
        raise UserError("No courses found. Add a folder of courses with PEERSKOLE_COURSES.")
    ids = ", ".join(c.id for c in courses)
    raise UserError(f"{what} is about one course: choose it with --course ID "
                    f"(known courses: {ids}).")


def report_outcomes(args: argparse.Namespace) -> int:
    """``peerskole report outcomes``: the anonymised outcome report of one course."""
    from peerskole.export.csv_export import EXCEL, PLAIN
    from peerskole.export.outcomes import (
        FEWER,
        outcome_groups,
        write_outcomes_csv,
        write_outcomes_json,
    )
    from peerskole.export.output import text_output
    from peerskole.export.records import learner_reports

    if args.excel and args.format != "csv":
        print("peerskole report outcomes: error: --excel is for --format csv.",
              file=sys.stderr)
        return 2
    store = _store_for_courses(args, args.course)
    try:
        course = _report_course(args.course, store)
        groups = outcome_groups(learner_reports(store, [course], args.cohort), course,
                                args.cohort)
    finally:
        store.close()
    if args.format == "csv":
        dialect = EXCEL if args.excel else PLAIN
        with text_output(args.output, dialect.encoding) as stream:
            write_outcomes_csv(groups, course, stream, excel=args.excel)
    else:
        with text_output(args.output) as stream:
            write_outcomes_json(groups, course, stream, cohort=args.cohort)
    small = sum(1 for group in groups if group.learners == FEWER)
    where = f" to {args.output}" if args.output else ""
    note = (f"; {small} group(s) with {FEWER} learners are shown as such" if small else "")
    print(f"Wrote the outcome report of {visible(course.id, '?')} for {len(groups)} "
          f"group(s){where}{note}.", file=sys.stderr)
    return 0


def cohort_show(args: argparse.Namespace) -> int:
    """``peerskole cohort show CODE``: each learner's module, % done, last activity, stall."""
    from peerskole.export.cohort import cohort_lines, write_json, write_table
    from peerskole.export.records import learner_reports

    store = _store_for_courses(args, args.course)
    try:
        course = _report_course(args.course, store, "A cohort view")
        stalled_after = _stalled_after(store)
        lines = list(cohort_lines(learner_reports(store, [course], args.cohort),
                                  stalled_after=stalled_after))
    finally:
        store.close()
    if not lines:
        raise UserError(f'No learners in cohort "{visible(args.cohort, "?")}". '
                        "See the cohorts with: peerskole cohort list")
    if args.stalled:
        lines = [line for line in lines if line.stalled]
    if args.json:
        write_json(lines, sys.stdout, cohort=args.cohort, stalled_after=stalled_after)
    else:
        write_table(lines, sys.stdout, stalled_after=stalled_after)
    return 0


def _stalled_after(store: Store) -> int:
    """The ``stalled_after_days`` setting, or the default."""
    from peerskole.export.cohort import STALLED_AFTER_DAYS
    from peerskole.settings import STALLED_AFTER

    value = store.setting("", STALLED_AFTER)
    return int(value) if value and value.isdigit() else STALLED_AFTER_DAYS
