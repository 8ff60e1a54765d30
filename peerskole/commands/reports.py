"""The coordinator's and instructor's reports: figures, never text a learner wrote.

``peerskole report outcomes`` writes :mod:`peerskole.export.outcomes` as CSV or
JSON: groups only, never one learner. ``peerskole cohort show`` writes
:mod:`peerskole.export.cohort`: each learner of a cohort, where they are and who has
stalled. Like every command that only reads, they never create a database.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from peerskole.commands.coordinator import _store_for_courses
from peerskole.errors import UserError
from peerskole.safe_text import visible

if TYPE_CHECKING:
    from peerskole.course.model import Course
    from peerskole.export.outcomes import GroupOutcome
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

    picture = _outcome_format(args)
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
    if picture:
        return _outcome_chart(groups, course, args)
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


def _outcome_format(args: argparse.Namespace) -> bool:
    """Settle ``--format`` (from -o's suffix when not given); True for a picture.

    Raises:
        UserError: a picture asked for without -o, where it could not go to a terminal.
    """
    from peerskole.export.outcome_chart import FORMATS

    if args.format is None:
        suffix = args.output.suffix.lower().lstrip(".") if args.output else ""
        args.format = suffix if suffix in (*FORMATS, "json") else "csv"
    if args.format in FORMATS:
        if args.output is None:
            raise UserError(f"A {args.format.upper()} chart is a file: name it with -o, "
                            f"e.g. -o udbytte.{args.format}")
        return True
    return False


def _outcome_chart(groups: Sequence[GroupOutcome], course: Course,
                   args: argparse.Namespace) -> int:
    """Draw the first group (the cohort asked for, else the whole course) into -o."""
    from peerskole.export.outcome_chart import chart_of, write_chart
    from peerskole.export.outcomes import MIN_LEARNERS
    from peerskole.export.output import binary_output

    chart = chart_of(groups[0], course)
    if chart.empty:
        raise UserError(
            f"Nothing to draw: the group has fewer than {MIN_LEARNERS} learners, or no "
            "figure rests on enough of them to be shown. Nothing was written.")
    try:
        import matplotlib  # noqa: F401 - said plainly when missing, before any file is made
    except ImportError:
        raise UserError("Charts need the matplotlib package, which is missing. Install it "
                        "with: pip install matplotlib") from None
    with binary_output(args.output) as stream:
        write_chart(chart, stream, args.format)
    print(f"Drew the outcome chart of {visible(course.id, '?')} "
          f"({visible(chart.group or 'whole course', '?')}, {chart.learners} learners) "
          f"to {visible(str(args.output), '?')}.", file=sys.stderr)
    return 0


def cohort_show(args: argparse.Namespace) -> int:
    """``peerskole cohort show CODE``: each learner's module, % done, last activity, stall
    and, for a course with a programme, classroom hours and the attendance forecast."""
    from peerskole.export.cohort import read_cohort_lines, stalled_after, write_json, write_table

    store = _store_for_courses(args, args.course)
    try:
        course = _report_course(args.course, store, "A cohort view")
        limit = stalled_after(store)
        lines = read_cohort_lines(store, [course], args.cohort, stalled_after=limit)
    finally:
        store.close()
    if not lines:
        raise UserError(f'No learners in cohort "{visible(args.cohort, "?")}". '
                        "See the cohorts with: peerskole cohort list")
    if args.needs_attention:
        lines = [line for line in lines if line.needs_attention]
    elif args.stalled:
        lines = [line for line in lines if line.stalled]
    if args.json:
        write_json(lines, sys.stdout, cohort=args.cohort, stalled_after=limit)
    else:
        write_table(lines, sys.stdout, stalled_after=limit)
    return 0


