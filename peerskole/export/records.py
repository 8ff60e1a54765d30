"""What every export is made of: a learner's standing in a course, decided by progress.

:func:`learner_reports` walks the store one learner at a time (the store reads a
page of learners at once) and asks :func:`peerskole.progress.course_status` where
each stands, so memory stays flat however many learners there are, and the
answer is the one the trainee sees in the app.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Final, NamedTuple

from peerskole.errors import UserError
from peerskole.progress import MANUAL_COMPLETION_HOUR as MANUAL_COMPLETION_HOUR
from peerskole.progress import (
    NO_PRAKTIK,
    ApprovedPraktik,
    CompletionRule,
    CourseStatus,
    ModuleStatus,
    ProgrammeFacts,
    StepRecord,
    earliest_manual,
    last_activity,
    newest_time,
)
from peerskole.store.base import (
    Learner,
    ManualCompletion,
    SharedReflection,
    Store,
    cohort_code,
)

if TYPE_CHECKING:
    from peerskole.course.model import Course, Module
    from peerskole.store.base import ApprovedPraktikEntry, AttendanceMark, ClassSession


class ExportError(UserError):
    """An export could not be made; the message is a sentence saying what to do."""


# --- Times --------------------------------------------------------------------


def instant(stamp: str) -> dt.datetime:
    """Read a stored time as an aware datetime.

    Stored times are ISO 8601 in UTC; a completion recorded by a coordinator is a
    date alone, read as noon UTC that day (:data:`MANUAL_COMPLETION_HOUR`).
    """
    if len(stamp) == 10:
        day = dt.date.fromisoformat(stamp)
        return dt.datetime.combine(day, dt.time(MANUAL_COMPLETION_HOUR), tzinfo=dt.UTC)
    moment = dt.datetime.fromisoformat(stamp)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def local_date(stamp: str) -> str:
    """The calendar date of a stored time in this computer's time zone, ``YYYY-MM-DD``."""
    if len(stamp) == 10:
        return stamp
    return instant(stamp).astimezone().date().isoformat()


def start_of_day(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in this computer's time zone, as an aware datetime."""
    return dt.datetime.combine(day, dt.time()).astimezone()


DAYS_AT_HAND: Final = 400
"""Days back for which :class:`DaysSince` keeps the start of each day at hand."""


class DaysSince:
    """Whole days from a stored time to ``today``: "who is stuck" (``days_since_activity``).

    The calendar days between the time's date and ``today``, both in this computer's
    time zone, as ``local_date`` gives them: 0 for a time today, 1 for one yesterday
    (however late), never below 0 (a clock ahead elsewhere). A date alone (a
    coordinator's record) is that date.

    An export asks once a learner and module: each day's start (local midnight, as a
    stored time's text) is worked out once, for the last :data:`DAYS_AT_HAND` days, and a
    time is placed among them by comparing text, instead of reading each as a time.

    Args:
        today: the export's day, in this computer's time zone.
    """

    __slots__ = ("today", "_starts")

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self._starts = [
            start_of_day(today - dt.timedelta(days=back)).astimezone(dt.UTC)
            .isoformat(timespec="seconds")
            for back in range(DAYS_AT_HAND, -1, -1)
        ]
        """The start of each day, oldest first, ending with today's."""

    def __call__(self, stamp: str) -> int:
        starts = self._starts
        if len(stamp) == 25 and stamp.endswith("+00:00") and stamp >= starts[0]:
            return len(starts) - bisect.bisect_right(starts, stamp)
        return max(0, (self.today - dt.date.fromisoformat(local_date(stamp))).days)


def minutes(seconds: int) -> int:
    """Whole minutes on task, rounded to the nearest minute."""
    return (seconds + 30) // 60


# --- Reports --------------------------------------------------------------------


class ModuleReport(NamedTuple):
    """One learner's standing in one module: what a CSV row and a JSON module hold.

    A named tuple rather than a frozen dataclass: an export makes one per learner
    and module, and a tuple is made three times faster.
    """

    module: Module
    status: ModuleStatus
    """As decided by :func:`peerskole.progress.course_status`."""
    manual: ManualCompletion | None
    """The coordinator's record, when the module's completion comes from one."""
    last_activity: str | None
    """The learner's last activity in the module (:func:`peerskole.progress.last_activity`)."""
    shared_reflections: tuple[SharedReflection, ...]
    """Reflections shared by the learner, only when the export asked for them."""

    def active_since(self, since: dt.datetime | None) -> bool:
        """Whether anything happened in the module at or after ``since`` (always, if None)."""
        if since is None:
            return True
        return self.last_activity is not None and instant(self.last_activity) >= since


@dataclass(frozen=True)
class CourseReport:
    """One learner's standing in one course.

    The :attr:`modules` are made when first asked for: the cohort view, which makes
    a report of every learner, never asks.
    """

    course: Course
    status: CourseStatus
    records: tuple[StepRecord, ...]
    """The learner's step records in the course (non-private facts only)."""
    last_activity: str | None = None
    """The learner's last activity in the course: the newest of its modules'."""
    programme: ProgrammeFacts | None = None
    """The learner's sessions, register entries and approved praktik the status was
    decided from (``status.programme`` is the standing); None for a course without a
    programme."""
    module_activity: Mapping[str, str] = field(default_factory=dict)
    """Module id → the learner's last activity in it (:func:`peerskole.progress.last_activity`)."""
    manual: Mapping[str, ManualCompletion] = field(default_factory=dict)
    """Module id → the coordinator's record that counts (:func:`earliest_manual`)."""
    shared: Sequence[SharedReflection] = ()
    """Reflections shared by the learner, only when the export asked for them."""

    @cached_property
    def modules(self) -> tuple[ModuleReport, ...]:
        """The learner's standing in each module, in the course's order."""
        first_manual, latest, shared = self.manual, self.module_activity, self.shared
        # Every field, in order, through tuple.__new__: the same ModuleReport as calling
        # the class, without its __new__'s Python call (one per learner and module).
        # Calling the class makes a CSV export of 10,000 learners 7 % slower (1.10 →
        # 1.18 s, in-process A/B), and the export benchmark is near its 2× target.
        make = tuple.__new__
        return tuple([
            make(ModuleReport, (
                module,  # module
                module_state,  # status
                first_manual.get(module.id) if module_state.manual else None,  # manual
                latest.get(module.id),  # last_activity
                tuple(s for s in shared if s.module_id == module.id) if shared else (),  # shared
            ))
            for module, module_state in zip(self.course.modules, self.status.modules,
                                            strict=True)
        ])


@dataclass(frozen=True, slots=True)
class LearnerReport:
    """A learner and their standing in each exported course."""

    learner: Learner
    courses: tuple[CourseReport, ...]


# --- The programme: sessions, register and praktik ------------------------------------


def read_approved_praktik(
    store: Store, courses: Sequence[Course], cohort: str | None = None
) -> dict[tuple[str, str], ApprovedPraktik]:
    """(learner id, course id) → the praktik a supervisor approved: the one place the
    completion rule's praktik hours are read from.

    Only entries whose latest decision is an approval count (the store's query of
    :func:`peerskole.progress.approved_praktik_minutes`), read once for all of
    ``cohort``'s learners; a learner with none is left out (:data:`NO_PRAKTIK`).

    Args:
        store: the store to read.
        courses: the courses asked about.
        cohort: only this cohort's learners; None for every learner.
    """
    approved: dict[tuple[str, str], ApprovedPraktik] = {}
    for course in courses:
        by_learner: dict[str, list[ApprovedPraktikEntry]] = defaultdict(list)
        for entry in store.approved_praktik(course.id, cohort):
            by_learner[entry.learner_id].append(entry)
        for learner_id, entries in by_learner.items():
            approved[(learner_id, course.id)] = ApprovedPraktik.of(entries)
    return approved


@dataclass(frozen=True)
class ProgrammeRegister:
    """Classroom sessions, register entries and approved praktik, read once for every
    learner of an export (grouped, so no learner's rule walks everyone's)."""

    today: dt.date
    """Sessions from this day on, without an entry yet, are still to come."""
    sessions: Mapping[tuple[str, str], Sequence[ClassSession]] = field(default_factory=dict)
    """(cohort, course id) → the cohort's sessions in the course, cancelled ones too."""
    marks: Mapping[str, Sequence[AttendanceMark]] = field(default_factory=dict)
    """Learner id → their register entries."""
    praktik: Mapping[tuple[str, str], ApprovedPraktik] = field(default_factory=dict)
    """(learner id, course id) → their approved praktik (:func:`read_approved_praktik`)."""

    def facts(self, course: Course, learner: Learner) -> ProgrammeFacts | None:
        """What the completion rule reads of a learner in a course; None without a programme."""
        if course.manifest.programme is None:
            return None
        code = cohort_code(learner.cohort)
        return ProgrammeFacts(
            learner.id, self.today,
            self.sessions.get((code, course.id), ()) if code else (),
            self.marks.get(learner.id, ()),
            self.praktik.get((learner.id, course.id), NO_PRAKTIK),
        )


def read_programme(
    store: Store, courses: Sequence[Course], cohort: str | None, today: dt.date | None = None
) -> ProgrammeRegister:
    """The sessions, register entries and approved praktik of the courses that state a
    programme (nothing is read for the others), grouped once for many learners."""
    sessions: defaultdict[tuple[str, str], list[ClassSession]] = defaultdict(list)
    marks: defaultdict[str, list[AttendanceMark]] = defaultdict(list)
    with_programme = [c for c in courses if c.manifest.programme is not None]
    for course in with_programme:
        for session in store.class_sessions(cohort, course.id):
            sessions[(session.cohort, session.course_id)].append(session)
        for mark in store.attendance(cohort, course.id):
            marks[mark.learner_id].append(mark)
    praktik = read_approved_praktik(store, with_programme, cohort) if with_programme else {}
    return ProgrammeRegister(today or dt.date.today(), dict(sessions), dict(marks), praktik)


def learner_programme(
    store: Store, course: Course, learner: Learner, today: dt.date | None = None
) -> ProgrammeFacts | None:
    """One learner's :class:`~peerskole.progress.ProgrammeFacts` in a course, read from the
    store (the app's session, one certificate); None for a course without a programme."""
    if course.manifest.programme is None:
        return None
    code = cohort_code(learner.cohort)
    sessions = store.class_sessions(code, course.id) if code else []
    marks = ([m for m in store.attendance(code, course.id) if m.learner_id == learner.id]
             if code else [])
    praktik = read_approved_praktik(store, [course], code).get(
        (learner.id, course.id), NO_PRAKTIK)
    return ProgrammeFacts(learner.id, today or dt.date.today(), sessions, marks, praktik)


def learner_reports(
    store: Store,
    courses: Sequence[Course],
    cohort: str | None = None,
    *,
    include_shared_reflections: bool = False,
    on_learner: Callable[[], None] | None = None,
    today: dt.date | None = None,
) -> Iterator[LearnerReport]:
    """Every learner (of a cohort), in name order, with their standing in each course.

    Args:
        store: the store to read.
        courses: the courses to report on.
        cohort: only this cohort's learners; None for every learner.
        include_shared_reflections: also carry the reflections learners shared.
        on_learner: called after each learner, e.g. to move a progress bar.
        today: from which day sessions are still to come (today by default).
    """
    rows = store.learner_progress(
        [c.id for c in courses], cohort,
        include_shared_reflections=include_shared_reflections,
    )
    rules = [CompletionRule(course) for course in courses]  # worked out once, not per learner
    # The register, read once for the whole export, only for courses with a programme.
    register = (read_programme(store, courses, cohort, today)
                if any(rule.programme is not None for rule in rules) else None)
    for progress in rows:
        reports = []
        for rule in rules:
            course_id = rule.course.id
            records = progress.records.get(course_id, ())
            manual = progress.manual.get(course_id, ())
            shared = progress.shared_reflections.get(course_id, ())
            facts = (register.facts(rule.course, progress.learner)
                     if register is not None and rule.programme is not None else None)
            reports.append(course_report(rule.course, records, manual, shared, rule=rule,
                                         programme=facts))
        yield LearnerReport(progress.learner, tuple(reports))
        if on_learner is not None:
            on_learner()


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while an export walks its learners.

    An export makes and drops a few small objects per record, none in a reference
    cycle: reference counting frees each as soon as it is dropped, so memory stays
    flat without the cycle collector, which would only cost time. The collector is
    left as it was found, also when the export stops part way.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def course_report(
    course: Course,
    records: Sequence[StepRecord],
    manual: Sequence[ManualCompletion] = (),
    shared: Sequence[SharedReflection] = (),
    *,
    rule: CompletionRule | None = None,
    programme: ProgrammeFacts | None = None,
) -> CourseReport:
    """A learner's standing in a course from their records, by the app's completion rule.

    Args:
        course: the course.
        records: the learner's step records in it.
        manual: completions coordinators recorded; the earliest per module counts.
        shared: reflections the learner shared, if the export includes them.
        rule: the course's completion rule, when the caller keeps one for many learners.
        programme: the learner's sessions, register and approved praktik, for a course
            with a programme (:meth:`ProgrammeRegister.facts`, :func:`learner_programme`);
            without them such a course is not complete.
    """
    rule = rule or CompletionRule(course)
    if rule.renames:
        # Progress recorded under a former id (formerly) counts for the step renamed, in
        # the status and in every column alike, and so does a reflection shared there.
        records = rule.renames.records(records)
        manual = rule.renames.manual(manual)
        # A reflection written before the rename is kept where it was written.
        shared = rule.renames.texts(shared)
    first_manual = earliest_manual(manual)  # the record itself is reported too
    dates = {m: c.completed_on for m, c in first_manual.items()} if first_manual else None
    status = rule.course_status(records, dates, programme)
    latest = last_activity(records, dates)
    newest: str | None = None
    if latest:
        stamps = [latest[module.id] for module in course.modules if module.id in latest]
        # Without a coordinator's date, every time is a full stored time: they compare
        # as text.
        newest = (max(stamps) if dates is None else newest_time(stamps)) if stamps else None
    return CourseReport(course, status, tuple(records), newest, programme, latest, first_manual,
                        shared)
