"""Outcome report: anonymised figures per course and cohort, for funders.

Per group of learners (the whole course, and each cohort): how many began and
completed the course and each module and their time on task, each self-assessment's
ratings before and after (per statement and in total: n, means, change) and
practice-log counts. No learner is named, and nothing a learner wrote is read: the
store gives an export no private text, and the figures come from the step records'
facts (ratings, entry counts), decided by the rules in :mod:`peerskole.progress`.

Small groups are suppressed (:data:`MIN_LEARNERS`, the rule in :func:`shown_in_course`),
also where a figure could be recovered by subtracting one shown figure from another.
``docs/exports.md`` documents every field and the rule.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Final, TextIO

from peerskole.export.csv_export import neutralise
from peerskole.export.records import LearnerReport, minutes
from peerskole.progress import paired_ratings, practice_entries
from peerskole.store.base import cohort_code

if TYPE_CHECKING:
    from peerskole.course.model import Course, Module, Practice, SelfAssessment

MIN_LEARNERS: Final = 5
"""The fewest learners a figure may rest on; fewer is said as :data:`FEWER`, not shown."""
FEWER: Final = f"fewer than {MIN_LEARNERS}"
"""What a suppressed figure says in place of its value."""
FORMAT_NAME: Final = "peerskole-outcomes"
"""Value of the JSON report's ``format`` field."""
FORMAT_VERSION: Final = 1
"""Version of the JSON report's shape; raised when a field changes meaning or goes away."""

Key = tuple[str, ...]
"""One figure's name: what it counts and where, e.g. ("assessment", module, step)."""
Cell = int | float | str | None
"""A figure's value: a number, :data:`FEWER`, or None when there is nothing to say."""

COLUMNS: Final[tuple[str, ...]] = (
    "course_id",
    "course_version",
    "cohort",
    "learners",
    "row_type",
    "module_id",
    "module_title",
    "step_id",
    "step_title",
    "statement",
    "statement_text",
    "n",
    "completed",
    "minutes_on_task_mean",
    "minutes_on_task_total",
    "before_mean",
    "after_mean",
    "change_mean",
    "practice_entries",
    "practice_entries_mean",
)
"""The outcome CSV's columns, in order; documented one by one in ``docs/exports.md``."""


# --- Counting -------------------------------------------------------------------------


@dataclass
class Tally:
    """What one group's learners add up to: per figure, how many learners it rests on
    and the sums its values are made of."""

    learners: int = 0
    counts: dict[Key, int] = field(default_factory=dict)
    """Figure → the learners it rests on (its n)."""
    sums: dict[Key, list[float]] = field(default_factory=dict)
    """Figure → the sums of its values over those learners."""

    def count(self, key: Key, *values: float) -> None:
        """One more learner in figure ``key``, adding ``values`` to its sums."""
        self.counts[key] = self.counts.get(key, 0) + 1
        sums = self.sums.setdefault(key, [0.0] * len(values))
        for index, value in enumerate(values):
            sums[index] += value

    def merge(self, other: Tally) -> None:
        """Add another group's learners to this one's."""
        self.learners += other.learners
        for key, n in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + n
            sums = self.sums.setdefault(key, [0.0] * len(other.sums[key]))
            for index, value in enumerate(other.sums[key]):
                sums[index] += value

    def n(self, key: Key) -> int:
        return self.counts.get(key, 0)


@dataclass(frozen=True)
class CourseSteps:
    """The steps of a course an outcome report counts, in course order."""

    course: Course
    assessments: tuple[tuple[Module, SelfAssessment], ...]
    practice: tuple[tuple[Module, Practice], ...]

    @classmethod
    def of(cls, course: Course) -> CourseSteps:
        assessments = tuple((m, s) for m in course.modules
                            for s in m.steps if s.kind == "self_assessment")
        practice = tuple((m, s) for m in course.modules
                         for s in m.steps if s.kind == "practice")
        return cls(course, assessments, practice)


def tally_learner(tally: Tally, steps: CourseSteps, report: LearnerReport) -> None:
    """Add one learner's standing in the course to a group's tally.

    Began: a step opened in the app (time on task is over those learners); completed:
    by the completion rule, a coordinator's record included. Self-assessment: only a
    learner with both ratings (:func:`peerskole.progress.paired_ratings`) counts, in
    every one of its figures. Practice: learners with at least one entry, and entries.
    """
    (course_report,) = (c for c in report.courses if c.course.id == steps.course.id)
    status = course_report.status
    tally.learners += 1
    if status.started_at:
        tally.count(("course",), status.seconds)
    if status.complete:
        tally.count(("course", "completed"))
    for module_status in status.modules:
        if module_status.started_at:
            tally.count(("module", module_status.module_id), module_status.seconds)
        if module_status.complete:
            tally.count(("module", module_status.module_id, "completed"))
    records = {r[:2]: r for r in course_report.records}
    for module, step in steps.assessments:
        pair = paired_ratings(step, records.get((module.id, step.id)))
        if pair is None:
            continue
        before, after = pair
        tally.count(("assessment", module.id, step.id),
                    sum(before) / len(before), sum(after) / len(after))
        for index, (first, last) in enumerate(zip(before, after, strict=True)):
            tally.count(("statement", module.id, step.id, str(index)), first, last)
    for module, practice in steps.practice:
        entries = practice_entries(records.get((module.id, practice.id)))
        if entries:
            tally.count(("practice", module.id, practice.id), entries)


# --- Suppression ----------------------------------------------------------------------


def allowed(n: int) -> bool:
    """Whether a figure resting on ``n`` learners may be shown: none, or at least 5."""
    return n == 0 or n >= MIN_LEARNERS


def shown_in_cohort(tally: Tally, key: Key) -> bool:
    """Whether a cohort's figure is shown: the cohort has at least :data:`MIN_LEARNERS`
    learners and the figure rests on none or at least that many."""
    return tally.learners >= MIN_LEARNERS and allowed(tally.n(key))


def shown_in_course(whole: Tally, cohorts: Mapping[str | None, Tally], key: Key) -> bool:
    """Whether a figure of the whole course is shown: the suppression rule's last part.

    The rule, as docs/exports.md states it:

    1. A group (a cohort, or the whole course) with fewer than 5 learners shows
       nothing but "fewer than 5" (:func:`shown_in_cohort`).
    2. Every figure rests on its own n (the learners it counts: those who began, who
       completed, who rated both before and after, who logged practice); a figure
       with an n of 1 to 4 says "fewer than 5" instead of its value (:func:`allowed`).
    3. The whole course's figure is shown only if, after taking away every cohort's
       figure that is shown (each ``--cohort`` report shows the same), the learners
       left (in cohorts whose figure is suppressed, or in no cohort) are none or at
       least 5: otherwise subtracting would give a small group's figure.

    Args:
        whole: every learner's tally.
        cohorts: the tally of each cohort, learners without a cohort under None.
        key: the figure.
    """
    if not shown_in_cohort(whole, key):
        return False
    # What the whole course's figure less every cohort figure shown would reveal.
    rest = sum(tally.n(key) for code, tally in cohorts.items()
               if code is None or not shown_in_cohort(tally, key))
    return allowed(rest)


# --- The report -----------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRow:
    """One row of figures: a course, a module, a self-assessment, a statement, a practice
    step."""

    row_type: str
    """"course", "module", "self_assessment", "statement" or "practice"."""
    module: Module | None
    step_id: str | None
    step_title: str | None
    statement: int | None
    """The statement's number in its step, from 1."""
    statement_text: str | None
    figures: dict[str, Cell]
    """Column → value (:data:`FEWER` when suppressed)."""


@dataclass(frozen=True)
class GroupOutcome:
    """One group's figures: the whole course (cohort None) or a cohort."""

    cohort: str | None
    learners: int | str
    """How many learners, or :data:`FEWER` (and then no rows)."""
    rows: tuple[OutcomeRow, ...]


def outcome_groups(
    reports: Iterable[LearnerReport], course: Course, cohort: str | None = None
) -> list[GroupOutcome]:
    """The report's groups: the whole course then each cohort, or only ``cohort``.

    Args:
        reports: every learner (of ``cohort``) and their standing in ``course``.
        course: the course reported on.
        cohort: only this cohort; None for the whole course and each of its cohorts.
    """
    steps = CourseSteps.of(course)
    cohorts: dict[str | None, Tally] = {}
    for report in reports:
        code = cohort_code(report.learner.cohort)
        tally_learner(cohorts.setdefault(code, Tally()), steps, report)
    if cohort is not None:
        code = cohort_code(cohort)
        tally = cohorts.get(code, Tally())
        return [_group(code, tally, steps, partial(shown_in_cohort, tally))]
    whole = Tally()
    for tally in cohorts.values():
        whole.merge(tally)
    groups = [_group(None, whole, steps, partial(shown_in_course, whole, cohorts))]
    for code in sorted(c for c in cohorts if c is not None):
        tally = cohorts[code]
        groups.append(_group(code, tally, steps, partial(shown_in_cohort, tally)))
    return groups


def _group(code: str | None, tally: Tally, steps: CourseSteps,
           shown: Callable[[Key], bool]) -> GroupOutcome:
    if tally.learners < MIN_LEARNERS:
        return GroupOutcome(code, FEWER, ())

    def n(key: Key) -> Cell:
        return tally.n(key) if shown(key) else FEWER

    def mean(key: Key, index: int, places: int, scale: float = 1.0) -> Cell:
        if not shown(key):
            return FEWER
        count = tally.n(key)
        return round(tally.sums[key][index] / count / scale, places) if count else None

    def time_on_task(key: Key) -> dict[str, Cell]:
        total = round(tally.sums[key][0]) if tally.n(key) else 0
        return {"n": n(key), "completed": n((*key, "completed")),
                "minutes_on_task_mean": mean(key, 0, 1, 60.0),
                "minutes_on_task_total": minutes(total) if shown(key) else FEWER}

    def ratings(key: Key) -> dict[str, Cell]:
        # The same learners before and after: the mean change is the change of the means.
        change: Cell = FEWER if not shown(key) else None
        count = tally.n(key)
        if count and shown(key):
            change = round((tally.sums[key][1] - tally.sums[key][0]) / count, 2)
        return {"n": n(key), "before_mean": mean(key, 0, 2), "after_mean": mean(key, 1, 2),
                "change_mean": change}

    rows = [OutcomeRow("course", None, None, None, None, None, time_on_task(("course",)))]
    for module in steps.course.modules:
        rows.append(OutcomeRow("module", module, None, None, None, None,
                               time_on_task(("module", module.id))))
        for step in module.steps:
            key = (module.id, step.id)
            if step.kind == "self_assessment":
                rows.append(OutcomeRow("self_assessment", module, step.id, step.title, None,
                                       None, ratings(("assessment", *key))))
                for index, statement in enumerate(step.statements):
                    rows.append(OutcomeRow(
                        "statement", module, step.id, step.title, index + 1, statement,
                        ratings(("statement", *key, str(index))),
                    ))
            elif step.kind == "practice":
                practice = ("practice", *key)
                rows.append(OutcomeRow("practice", module, step.id, step.title, None, None, {
                    "n": n(practice),
                    "practice_entries": (round(tally.sums[practice][0]) if tally.n(practice)
                                         else 0) if shown(practice) else FEWER,
                    "practice_entries_mean": mean(practice, 0, 2),
                }))
    return GroupOutcome(code, tally.learners, tuple(rows))


# --- Writing --------------------------------------------------------------------------


def write_outcomes_csv(
    groups: Sequence[GroupOutcome], course: Course, stream: TextIO, *, excel: bool = False
) -> int:
    """Write the report as CSV, a row per figure row of each group; return rows written.

    ``excel`` as the records' CSV: BOM (from the stream's encoding), ``;`` and a decimal
    comma. Text cells (titles, statements, cohort codes) are neutralised as there.
    """
    writer = csv.writer(stream, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in _csv_rows(groups, course):
        writer.writerow([_cell(value, excel) for value in row])
        count += 1
    return count


def _csv_rows(groups: Sequence[GroupOutcome], course: Course) -> Iterator[list[Cell]]:
    for group in groups:
        lead: list[Cell] = [course.id, course.version, group.cohort or "", group.learners]
        if not group.rows:
            yield lead + ["course"] + [None] * (len(COLUMNS) - 5)
            continue
        for row in group.rows:
            module = row.module
            cells = [*lead, row.row_type, module.id if module else None,
                     module.title if module else None, row.step_id, row.step_title,
                     row.statement, row.statement_text]
            yield cells + [row.figures.get(column) for column in COLUMNS[len(cells):]]


def _cell(value: Cell, excel: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    text = str(value)
    return text.replace(".", ",") if excel else text


def write_outcomes_json(
    groups: Sequence[GroupOutcome], course: Course, stream: TextIO, *,
    cohort: str | None = None, exported_at: str | None = None,
) -> int:
    """Write the report as one JSON document; return the groups written."""
    document = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "exported_at": exported_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "course": {"course_id": course.id, "course_title": course.title,
                   "course_version": course.version},
        "filters": {"cohort": cohort_code(cohort)},
        "min_learners": MIN_LEARNERS,
        "groups": [_group_json(group) for group in groups],
    }
    stream.write(json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    return len(groups)


def _group_json(group: GroupOutcome) -> dict[str, Any]:
    data: dict[str, Any] = {"cohort": group.cohort, "learners": group.learners}
    if not group.rows:
        return data
    modules: list[dict[str, Any]] = []
    for row in group.rows:
        if row.row_type == "course":
            data["course"] = dict(row.figures)
        elif row.row_type == "module":
            assert row.module is not None
            modules.append({"module_id": row.module.id, "module_title": row.module.title,
                            **row.figures, "self_assessments": [], "practice": []})
        elif row.row_type == "self_assessment":
            modules[-1]["self_assessments"].append({
                "step_id": row.step_id, "step_title": row.step_title, **row.figures,
                "statements": []})
        elif row.row_type == "statement":
            modules[-1]["self_assessments"][-1]["statements"].append({
                "statement": row.statement, "statement_text": row.statement_text,
                **row.figures})
        else:
            modules[-1]["practice"].append({
                "step_id": row.step_id, "step_title": row.step_title, **row.figures})
    data["modules"] = modules
    return data
