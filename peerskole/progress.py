"""Progress and completion: the one place that decides what is done.

The trainee app and every export call these functions, so a trainee's screen
and a coordinator's CSV can never disagree. Everything here works on
:class:`StepRecord` facts that are not private (a reflection's word count, not
its text), so completion stays readable when a profile's text is encrypted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, Protocol, TypeVar, cast

from peerskole.course.branching import is_branching
from peerskole.course.kinds import UnknownStepKind, step_kind
from peerskole.store.base import NO_FACTS as NO_FACTS
from peerskole.store.base import StepRecord as StepRecord

if TYPE_CHECKING:
    # Only for annotations: the app's first screen must not pay for building the
    # pydantic models.
    from peerskole.course.model import (
        Course,
        Module,
        Practice,
        Programme,
        Quiz,
        QuizQuestion,
        Reflection,
        Scenario,
        SelfAssessment,
        Step,
    )
    from peerskole.store.base import (
        ApprovedPraktikEntry,
        AttendanceMark,
        ClassSession,
        PraktikDecision,
        PraktikDecisionKind,
        PraktikEntry,
    )

StepKey = tuple[str, str]
"""(module id, step id)."""

IDLE_AFTER_SECONDS: Final = 120
"""Time without a key press or click after which time on task stops counting."""
MANUAL_COMPLETION_HOUR: Final = 12
"""Hour (UTC) given to a completion a coordinator recorded as a date alone.

Noon UTC falls on the same calendar date from UTC-11 to UTC+11, so the date
reads the same wherever the record is read.
"""


def answered_right(question: QuizQuestion, chosen: Iterable[int]) -> bool:
    """Whether a question is answered fully right: every right option, no wrong one.

    Args:
        question: the quiz question.
        chosen: the option indexes the trainee chose.
    """
    return set(chosen) == {i for i, option in enumerate(question.options) if option.correct}


def quiz_score(quiz: Quiz, answers: Mapping[int, Iterable[int]]) -> float:
    """Percent of questions answered fully right (see :func:`answered_right`).

    Args:
        quiz: the quiz step.
        answers: question index → chosen option indexes.
    """
    right = sum(answered_right(question, answers.get(index, ()))
                for index, question in enumerate(quiz.questions))
    return 100.0 * right / len(quiz.questions)


def quiz_attempt(facts: Mapping[str, Any], score: float) -> dict[str, Any]:
    """A quiz record's facts after one more submitted attempt: the best attempt counts.

    Args:
        facts: the facts recorded so far (``score``, the best; ``attempts``, how many).
        score: this attempt's score.
    """
    best = facts.get("score")
    if isinstance(best, (int, float)) and not isinstance(best, bool):
        score = max(float(best), score)
    return {**facts, "score": score, "attempts": _count(facts, "attempts") + 1}


def word_count(text: str) -> int:
    """Words as a trainee would count them."""
    return len(text.split())


CONTENT_NOTE_STARTED: Final = "content_note_started"
"""Fact recorded when a trainee has seen a step's content note and chosen to start it.

It only says the note need not be shown again: no done test reads it, so a step is
never done because its note was seen.
"""


def content_note_pending(step: Step, record: StepRecord | None) -> bool:
    """Whether a step's content note is to be shown before the step itself.

    A step without a note never waits; one whose note the trainee started from, or
    that is already done (before the note was added, say), is not asked about again.
    """
    if step.content_note is None:
        return False
    if record is not None and record.facts.get(CONTENT_NOTE_STARTED) is True:
        return False
    return not step_done(step, record)


def with_kept_facts(
    facts: Mapping[str, Any], old: Mapping[str, Any] | None
) -> dict[str, Any]:
    """A step's new facts with the ones no step view sends kept from the old facts.

    Step views replace a record's facts whole; the content-note fact is the module
    screen's, and would otherwise be lost with the first answer or word written.

    Args:
        facts: the facts a view sent.
        old: the record's facts so far, if any.
    """
    kept = dict(facts)
    if old is not None and CONTENT_NOTE_STARTED in old and CONTENT_NOTE_STARTED not in kept:
        kept[CONTENT_NOTE_STARTED] = old[CONTENT_NOTE_STARTED]
    return kept


def step_done(step: Step, record: StepRecord | None) -> bool:
    """Whether a step counts as done by the course's rules."""
    return record is not None and done_test(step)(record.facts)


DoneTest = Callable[[Mapping[str, Any]], bool]
"""Whether a step record's facts make its step count as done."""


def done_test(step: Step) -> DoneTest:
    """The course's rule for one step, as a test of a record's facts.

    :func:`step_done` applies it to one record; :class:`CompletionRule` makes it
    once a step and applies it to every learner's record. A step's settings (its
    pass mark, its turns) are read here once: course models are frozen.

    Raises:
        UnknownStepKind: for a kind that is not registered, or has no rule here.
    """
    rule = _DONE_TESTS.get(step_kind(step.kind).name)
    if rule is None:
        raise UnknownStepKind(f"no completion rule for step kind {step.kind!r}")
    return rule(step)


def _quiz_passed(step: Step) -> DoneTest:
    pass_mark = cast("Quiz", step).pass_mark

    def passed(facts: Mapping[str, Any]) -> bool:
        score = facts.get("score")
        return isinstance(score, (int, float)) and score >= pass_mark

    return passed


def _scenario_answered(step: Step) -> DoneTest:
    # Done when the trainee's path has ended (see peerskole.course.branching, which the
    # app follows and records as "ended"). A record of a linear scenario written before
    # paths could branch says only how many turns were answered: all of them still counts.
    scenario = cast("Scenario", step)
    turns = 0 if is_branching(scenario) else len(scenario.turns)
    return lambda facts: facts.get("ended") is True or (
        turns > 0 and _count(facts, "turns_answered") >= turns)


def _reflection_written(step: Step) -> DoneTest:
    min_words = max(cast("Reflection", step).min_words, 1)
    return lambda facts: _count(facts, "words") >= min_words


def _rated_before_and_after(step: Step) -> DoneTest:
    expected = len(cast("SelfAssessment", step).statements)
    return lambda facts: (
        _rated(facts.get("before"), expected) and _rated(facts.get("after"), expected)
    )


def _practice_logged(step: Step) -> DoneTest:
    min_entries = cast("Practice", step).min_entries
    return lambda facts: _count(facts, "entries") >= min_entries


def _read(facts: Mapping[str, Any]) -> bool:
    # Records written before a reading had to be read to its end (or left for the next
    # step) say only "opened", which then counted as done; they still do, so no module
    # a trainee completed, and no certificate issued for it, turns incomplete.
    return bool(facts.get("read") or facts.get("opened"))


def _count(facts: Mapping[str, Any], key: str) -> int:
    value = facts.get(key, 0)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


_DONE_TESTS: Final[Mapping[str, Callable[[Step], DoneTest]]] = {
    "reading": lambda step: _read,
    "quiz": _quiz_passed,
    "scenario": _scenario_answered,
    "reflection": _reflection_written,
    "self_assessment": _rated_before_and_after,
    "practice": _practice_logged,
}
"""The done test of each registered step kind (:data:`peerskole.course.kinds.KINDS`)."""


def merged_record(keep: StepRecord, other: StepRecord) -> StepRecord:
    """One step's record when two profiles of one person are merged into ``keep``'s.

    The merged record counts for at least what either did, by the same rules as
    everywhere: a step done in either is done, and so are the module and course
    they complete. The earliest start and the earliest completion count (as the
    earliest recorded completion does, :func:`earliest_manual`), the best quiz
    attempt counts and the attempts add up, time on task adds up, practice-log
    entries add up (both logs are kept), and of two self-assessment ratings the
    fuller one is kept.

    Args:
        keep: the kept profile's record.
        other: the merged profile's record of the same step.
    """
    facts: dict[str, Any] = dict(other.facts)
    for key, value in keep.facts.items():
        combine = _FACT_MERGES.get(key)
        facts[key] = combine(value, other.facts[key]) if (
            combine is not None and key in other.facts) else value
    completions = sorted(
        (r.completed_at, index, r) for index, r in enumerate((keep, other)) if r.completed_at
    )
    version = completions[0][2].course_version if completions else keep.course_version
    return StepRecord(
        keep.module_id, keep.step_id, version, facts,
        _earliest(keep.started_at, other.started_at),
        completions[0][0] if completions else None,
        keep.seconds + other.seconds,
    )


def _earliest(a: str | None, b: str | None) -> str | None:
    return min(a, b) if a and b else a or b


def _best_score(a: Any, b: Any) -> Any:
    numbers = [x for x in (a, b) if isinstance(x, (int, float)) and not isinstance(x, bool)]
    return max(numbers) if numbers else a


def _fuller_ratings(a: Any, b: Any) -> Any:
    def valid(ratings: Any) -> int:
        ok = isinstance(ratings, list) and all(
            isinstance(r, int) and 1 <= r <= 5 for r in ratings)
        return len(ratings) if ok else -1

    return a if valid(a) >= valid(b) else b


def _more(a: Any, b: Any) -> int:
    return max(_count({"n": a}, "n"), _count({"n": b}, "n"))


def _added(a: Any, b: Any) -> int:
    return _count({"n": a}, "n") + _count({"n": b}, "n")


_FACT_MERGES: Final[Mapping[str, Callable[[Any, Any], Any]]] = {
    "read": lambda a, b: bool(a or b),
    "opened": lambda a, b: bool(a or b),
    "score": _best_score,
    "attempts": _added,
    "turns_answered": _more,
    "ended": lambda a, b: a is True or b is True,
    "words": _more,
    "entries": _added,
    "before": _fuller_ratings,
    "after": _fuller_ratings,
}
"""How :func:`merged_record` combines a fact both records hold (kept's value, other's);
a fact not here keeps the kept profile's value, and one only the other has comes along."""


def ratings_saved(step: SelfAssessment, record: StepRecord | None) -> tuple[bool, bool]:
    """Whether a self-assessment's "before" and its "after" ratings are saved, each complete.

    The step is done when both are (see :func:`done_test`); "before" alone is work the
    trainee has done, to be said as such, not as a step still to do.
    """
    if record is None:
        return False, False
    expected = len(step.statements)
    facts = record.facts
    return _rated(facts.get("before"), expected), _rated(facts.get("after"), expected)


def others_done(module: Module, step: Step, records: Mapping[StepKey, StepRecord]) -> bool:
    """Whether every required step of the module other than ``step`` is done.

    Args:
        module: the module.
        step: the step left out (a self-assessment, whose "after" rating comes last).
        records: the learner's records in this course, by (module id, step id).
    """
    return all(
        step_done(other, records.get((module.id, other.id)))
        for other in module.steps
        if other is not step and other.id in module.required_step_ids
    )


def rating_phase(
    module: Module, step: SelfAssessment, records: Mapping[StepKey, StepRecord]
) -> str:
    """Which rating a self-assessment asks for now: "after" once its "before" rating is
    saved and the module's other required steps are done; else "before"."""
    before, _ = ratings_saved(step, records.get((module.id, step.id)))
    return "after" if before and others_done(module, step, records) else "before"


def first_step(module: Module, records: Mapping[StepKey, StepRecord]) -> Step:
    """Where a trainee opening a module starts when there is no step to return to.

    The first step not done, passing over a self-assessment rated "before" that waits
    for its "after" rating at the module's end (it stays undone until then, and would
    otherwise catch every return); else the first step.
    """
    for step in module.steps:
        record = records.get((module.id, step.id))
        if step_done(step, record):
            continue
        if step.kind == "self_assessment":
            before, _ = ratings_saved(step, record)
            if before and not others_done(module, step, records):
                continue
        return step
    return module.steps[0]


def step_after(
    module: Module, step: Step, records: Mapping[StepKey, StepRecord]
) -> Step | None:
    """The step to open when the trainee moves on from ``step``; None for the overview.

    The next step in the module; after the last, a self-assessment whose "after" rating
    is now due (rated again at the module's end); else none.
    """
    steps = module.steps
    index = steps.index(step)
    if index + 1 < len(steps):
        return steps[index + 1]
    for other in steps:
        if (other.kind == "self_assessment" and other is not step
                and not step_done(other, records.get((module.id, other.id)))
                and others_done(module, other, records)):
            return other
    return None


def waiting_for_after(module: Module, records: Mapping[StepKey, StepRecord]) -> list[Step]:
    """The module's self-assessments rated "before" whose "after" rating is still to come.

    Args:
        module: the module.
        records: the learner's records in this course, by (module id, step id).
    """
    waiting: list[Step] = []
    for step in module.steps:
        if step.kind == "self_assessment":
            before, after = ratings_saved(step, records.get((module.id, step.id)))
            if before and not after:
                waiting.append(step)
    return waiting


def paired_ratings(
    step: SelfAssessment, record: StepRecord | None
) -> tuple[list[int], list[int]] | None:
    """A learner's "before" and "after" ratings of a self-assessment, as an outcome report
    counts them; None when the learner does not count in the before-and-after comparison.

    The record holds one "before" and one "after" rating set, each replaced when the
    trainee changes it (the app lets "before" be changed until "after" is due, and
    "after" afterwards): the sets stored are the ones that count. A set counts only
    when it is complete by the step's done test: one whole rating from 1 to 5 for each
    statement the step has now (a set of another length, left by a course whose
    statements changed since, does not). A learner counts only with both sets.
    """
    if record is None:
        return None
    expected = len(step.statements)
    before, after = record.facts.get("before"), record.facts.get("after")
    if not (_rated(before, expected) and _rated(after, expected)):
        return None
    return list(cast("list[int]", before)), list(cast("list[int]", after))


def practice_entries(record: StepRecord | None) -> int:
    """How many practice-log entries a learner saved on a practice step, as its record
    counts them (the count the done test reads; the entries' text is never read)."""
    return 0 if record is None else _count(record.facts, "entries")


def comparable_time(stamp: str) -> str:
    """A stored time as text that sorts in time order with every other stored time.

    Stored times are ISO 8601 in UTC to the second, which compare as text; a
    completion a coordinator recorded is a date alone, read as noon UTC that day
    (:data:`MANUAL_COMPLETION_HOUR`).
    """
    return f"{stamp}T{MANUAL_COMPLETION_HOUR:02d}:00:00+00:00" if len(stamp) == 10 else stamp


def last_activity(
    records: Iterable[StepRecord], manual: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Module id → when the learner last did anything in the module: "who is stuck".

    The newest of each step record's ``updated_at`` (the app writes the record on each
    visit's time on task, answer, rating, and each reflection or practice-log entry
    saved), ``started_at`` and ``completed_at``; and the date of the coordinator's
    record that counts (a date alone, compared as noon UTC). Modules without either are
    left out. Every export (its ``last_activity`` columns, ``--since``, xAPI's
    "progressed" time) reads it from here.

    Args:
        records: the learner's step records in a course.
        manual: module id → date of the completion a coordinator recorded that counts
            (:func:`manual_dates`).
    """
    latest: dict[str, str] = {}
    for module_id, _, _, _, started, completed, _, updated in records:  # a StepRecord
        stamp = updated or ""
        if started and started > stamp:
            stamp = started
        if completed and completed > stamp:
            stamp = completed
        if stamp and stamp > latest.get(module_id, ""):
            latest[module_id] = stamp
    if manual:
        for module_id, day in manual.items():
            newest = latest.get(module_id)
            if newest is None or comparable_time(day) > newest:
                latest[module_id] = day
    return latest


def newest_time(stamps: Iterable[str | None]) -> str | None:
    """The latest of stored times (dates alone as :func:`comparable_time`); None for none."""
    newest: str | None = None
    for stamp in stamps:
        if stamp and (newest is None or comparable_time(stamp) > comparable_time(newest)):
            newest = stamp
    return newest


def _rated(ratings: object, expected: int) -> bool:
    return (
        isinstance(ratings, list)
        and len(ratings) == expected
        and all(isinstance(r, int) and 1 <= r <= 5 for r in ratings)
    )


class ModuleStatus(NamedTuple):
    """Where a learner stands in one module.

    A named tuple, like :class:`StepRecord`: an export makes one per learner and module.
    """

    module_id: str
    done_steps: int
    """Steps done, required or not."""
    total_steps: int
    required_done: int
    required_total: int
    complete: bool
    started_at: str | None
    completed_at: str | None
    """When the last required step was done, if the module is complete."""
    seconds: int
    quiz_score: float | None
    """Best score of the module's quizzes, averaged, when any was tried."""
    manual: bool = False
    """True when a coordinator recorded the completion outside the app."""
    version: str | None = None
    """The course version the module was completed on: that of its last required step
    done; None when it is not complete, or a coordinator recorded it."""

    @property
    def status(self) -> str:
        """"completed", "in_progress" or "not_started"."""
        if self.complete:
            return "completed"
        return "in_progress" if self.started_at else "not_started"


def module_status(
    module: Module,
    records: Mapping[StepKey, StepRecord],
    manual_completed_at: str | None = None,
) -> ModuleStatus:
    """Decide a module's status from the learner's step records.

    Args:
        module: the module.
        records: the learner's records in this course, by (module id, step id).
            Records of steps no longer in the module are ignored, not lost.
        manual_completed_at: when a coordinator recorded the module as complete.
    """
    return _ModuleRule(module).status(records, manual_completed_at)


class _ModuleRule:
    """One module's steps, each with its record key, its done test and whether completion
    requires it."""

    __slots__ = ("module", "module_id", "steps", "required_total", "untouched")

    def __init__(self, module: Module) -> None:
        required = set(module.required_step_ids)
        self.module = module
        self.module_id = module.id
        self.steps = tuple(
            ((module.id, step.id), done_test(step), step.kind == "quiz", step.id in required)
            for step in module.steps
        )
        self.required_total = len(required)
        # The status of a module the learner has no record in: often most of a course.
        self.untouched = self.status({})

    def status(
        self, records: Mapping[StepKey, StepRecord], manual_completed_at: str | None = None
    ) -> ModuleStatus:
        """See :func:`module_status`."""
        done = required_done = seconds = 0
        started: str | None = None  # the earliest start of any step
        last_done: str | None = None  # when the last required step was done
        last_version: str | None = None  # and on which version of the course
        score_sum = 0.0  # of the module's quizzes tried, for their average
        scores = 0
        for key, done_by, is_quiz, required in self.steps:
            record = records.get(key)
            if record is None:
                continue
            # Unpacked in one step rather than read field by field (four lookups).
            _, _, record_version, facts, started_at, record_completed_at, record_seconds, _ = (
                record
            )
            seconds += record_seconds
            if started_at and (started is None or started_at < started):
                started = started_at
            if is_quiz:
                score = facts.get("score")
                if isinstance(score, (int, float)):
                    score_sum += score
                    scores += 1
            if done_by(facts):  # step_done, prepared once a step
                done += 1
                if required:
                    required_done += 1
                    stamp = record_completed_at or started_at or ""
                    if last_done is None or stamp > last_done:
                        last_done, last_version = stamp, record_version or None
        complete = required_done == self.required_total
        completed_at = last_done if complete else None
        version = last_version if complete else None
        if manual_completed_at and not complete:
            complete, completed_at, version = True, manual_completed_at, None
        # Every field, in order, through tuple.__new__: the same ModuleStatus as calling
        # it with keywords, at a sixth of the cost (an export makes one per learner and
        # module).
        return tuple.__new__(ModuleStatus, (
            self.module_id,  # module_id
            done,  # done_steps
            len(self.steps),  # total_steps
            required_done,  # required_done
            self.required_total,  # required_total
            complete,  # complete
            started,  # started_at
            completed_at,  # completed_at
            seconds,  # seconds
            score_sum / scores if scores else None,  # quiz_score
            bool(manual_completed_at) and completed_at == manual_completed_at,  # manual
            version,  # version
        ))


@dataclass(frozen=True)
class CourseStatus:
    """Where a learner stands in a whole course.

    The course-level answers are worked out once, in one pass over the modules,
    when the status is made: an export asks several of them of every learner.
    """

    modules: tuple[ModuleStatus, ...]
    programme: ProgrammeStanding | None = None
    """The standing against the course's programme requirements (classroom attendance
    and approved praktik); None for a course that states none."""
    complete: bool = field(init=False, repr=False, compare=False)
    """Every module is complete, and the programme's requirements (if any) are met: the
    one completion rule."""
    modules_complete: bool = field(init=False, repr=False, compare=False)
    """Every module is complete (the programme aside)."""
    completed_at: str | None = field(init=False, repr=False, compare=False)
    """When the course became complete, if it is: when its last module was completed, or
    when the programme's requirements were met if that came later."""
    completed_version: str | None = field(init=False, repr=False, compare=False)
    """The course version its last module was completed on, if the course is complete
    (None when a coordinator recorded that one)."""
    started_at: str | None = field(init=False, repr=False, compare=False)
    """The earliest start of any module."""
    seconds: int = field(init=False, repr=False, compare=False)
    """Active time on the whole course."""
    status: str = field(init=False, repr=False, compare=False)
    """"completed", "in_progress" or "not_started"."""

    def __post_init__(self) -> None:
        complete = True
        begun = False
        seconds = 0
        started: str | None = None
        last_completed: str | None = None
        last_version: str | None = None
        for module in self.modules:
            seconds += module.seconds
            if module.complete:
                # A module a coordinator recorded as complete counts as begun, though
                # never opened.
                begun = True
                stamp = module.completed_at
                if stamp and (last_completed is None or stamp > last_completed):
                    last_completed, last_version = stamp, module.version
            else:
                complete = False
            if module.started_at:
                begun = True
                if started is None or module.started_at < started:
                    started = module.started_at
        modules_complete = complete
        programme = self.programme
        if programme is not None:
            complete = complete and programme.met
            if complete:
                met_at = programme.met_at
                if met_at and (last_completed is None
                               or comparable_time(met_at) > comparable_time(last_completed)):
                    last_completed = met_at
            if programme.classroom.attended_minutes or programme.praktik.minutes:
                begun = True  # attended a session, or had praktik approved
        # Frozen: the fields not given to __init__ are set the way dataclasses set them.
        set_field = object.__setattr__
        set_field(self, "complete", complete)
        set_field(self, "modules_complete", modules_complete)
        set_field(self, "completed_at", last_completed if complete else None)
        set_field(self, "completed_version", last_version if complete else None)
        set_field(self, "started_at", started)
        set_field(self, "seconds", seconds)
        set_field(self, "status",
                  "completed" if complete else "in_progress" if begun else "not_started")

    @property
    def done_steps(self) -> int:
        return sum(m.done_steps for m in self.modules)

    @property
    def total_steps(self) -> int:
        return sum(m.total_steps for m in self.modules)

    @property
    def percent(self) -> int:
        """Whole percent of steps done."""
        return round(100 * self.done_steps / self.total_steps) if self.total_steps else 0

    def module(self, module_id: str) -> ModuleStatus:
        for status in self.modules:
            if status.module_id == module_id:
                return status
        raise KeyError(module_id)


class ManualMark(Protocol):
    """What the completion rule reads of a completion a coordinator recorded."""

    @property
    def module_id(self) -> str: ...
    @property
    def completed_on(self) -> str: ...


M = TypeVar("M", bound=ManualMark)


class StepText(Protocol):
    """What renaming reads of a text kept under a step's ids."""

    @property
    def module_id(self) -> str: ...
    @property
    def step_id(self) -> str: ...


T = TypeVar("T", bound=StepText)


def earliest_manual(completions: Iterable[M]) -> dict[str, M]:
    """Module id → the completion that counts: the earliest coordinators recorded.

    On the same date the one recorded first (first in ``completions``) counts. The
    app's session and every export call this; neither decides it again.

    Args:
        completions: completions recorded by coordinators, in the order recorded.
    """
    earliest: dict[str, M] = {}
    for completion in completions:
        known = earliest.get(completion.module_id)
        if known is None or completion.completed_on < known.completed_on:
            earliest[completion.module_id] = completion
    return earliest


def manual_dates(completions: Iterable[ManualMark]) -> dict[str, str]:
    """Module id → the date of the completion that counts (see :func:`earliest_manual`)."""
    return {m: c.completed_on for m, c in earliest_manual(completions).items()}


class Renames:
    """A course's former ids (``formerly``): progress recorded under one counts for the
    module or step that now has it.

    The session renames the records it reads, and so does :class:`CompletionRule`,
    which every export and coordinator command uses: the screen and the exports count
    a renamed step's progress alike. A record under a former id and one under the
    current id of the same step are combined as two profiles' records are
    (:func:`merged_record`, the current one kept). Renaming is idempotent: a former id
    is never a current one (the loader refuses it).

    Args:
        course: the course.
    """

    __slots__ = ("modules", "steps")

    def __init__(self, course: Course) -> None:
        self.modules: dict[str, str] = {
            old: module.id for module in course.modules for old in module.formerly
        }
        """Former module id → current module id."""
        self.steps: dict[StepKey, str] = {
            (module.id, old): step.id
            for module in course.modules for step in module.steps for old in step.formerly
        }
        """(current module id, former step id) → current step id."""

    def __bool__(self) -> bool:
        """Whether the course has any former id (else renaming changes nothing)."""
        return bool(self.modules or self.steps)

    def module_id(self, module_id: str) -> str:
        """The current id of a module recorded under ``module_id``."""
        return self.modules.get(module_id, module_id)

    def key(self, module_id: str, step_id: str) -> StepKey:
        """The current (module id, step id) of a step recorded under these ids."""
        module_id = self.modules.get(module_id, module_id)
        return module_id, self.steps.get((module_id, step_id), step_id)

    def former_keys(self, module_id: str, step_id: str) -> list[StepKey]:
        """The (module id, step id) pairs a step may have been recorded under before, its
        current pair left out: where to look for what was saved before a rename."""
        modules = [module_id, *(old for old, new in self.modules.items() if new == module_id)]
        steps = [step_id, *(old for (m, old), new in self.steps.items()
                            if m == module_id and new == step_id)]
        return [(m, s) for m in modules for s in steps if (m, s) != (module_id, step_id)]

    def records(self, records: Iterable[StepRecord]) -> list[StepRecord]:
        """The records under current ids, those of one step combined into one."""
        if not self:
            return list(records)
        found: dict[StepKey, StepRecord] = {}
        current: set[StepKey] = set()
        for record in records:
            key = self.key(record.module_id, record.step_id)
            renamed = key != (record.module_id, record.step_id)
            if renamed:
                record = record._replace(module_id=key[0], step_id=key[1])
            known = found.get(key)
            if known is None:
                found[key] = record
            elif renamed and key in current:
                found[key] = merged_record(known, record)
            else:
                found[key] = merged_record(record, known)
            if not renamed:
                current.add(key)
        return list(found.values())

    def texts(self, texts: Iterable[T]) -> list[T]:
        """Texts kept under a step's ids (shared reflections), each under the step's
        current ids: a text written before a rename stays stored where it was written."""
        if not self:
            return list(texts)
        renamed = []
        for text in texts:
            key = self.key(text.module_id, text.step_id)
            if key != (text.module_id, text.step_id):
                text = dataclasses.replace(text, module_id=key[0], step_id=key[1])  # type: ignore[type-var]
            renamed.append(text)
        return renamed

    def manual(self, completions: Iterable[M]) -> list[M]:
        """Completions coordinators recorded, each under its module's current id."""
        if not self.modules:
            return list(completions)
        return [
            dataclasses.replace(c, module_id=self.module_id(c.module_id))  # type: ignore[type-var]
            if c.module_id in self.modules else c
            for c in completions
        ]

    def manual_dates(self, dates: Mapping[str, str]) -> dict[str, str]:
        """Module id → date of a coordinator's completion, under current module ids; of a
        module recorded under two ids, the earlier date counts (:func:`earliest_manual`)."""
        renamed: dict[str, str] = {}
        for module_id, day in dates.items():
            module_id = self.module_id(module_id)
            if module_id not in renamed or day < renamed[module_id]:
                renamed[module_id] = day
        return renamed


def course_status(
    course: Course,
    records: Iterable[StepRecord],
    manual: Mapping[str, str] | None = None,
    programme: ProgrammeFacts | None = None,
) -> CourseStatus:
    """Decide the status of every module and so of the course: the one completion rule.

    A course is complete when every module is complete by its rules and, for a course
    whose ``course.toml`` states a ``[programme]``, its requirements are met
    (:func:`programme_standing`): the classroom attendance and the approved praktik.

    Args:
        course: the course.
        records: the learner's step records in this course.
        manual: module id → completion time recorded by a coordinator.
        programme: the learner's register entries, their cohort's sessions and approved
            praktik, for a course with a programme; None counts as none of them (so such
            a course is not complete). A course without a programme ignores it.
    """
    return CompletionRule(course).course_status(records, manual, programme)


class CompletionRule:
    """A course's completion rule, prepared once to be applied to many learners' records.

    :func:`course_status` makes one for each call (the app asks about one
    learner); an export makes one per course and applies it to every learner,
    sparing the work of sorting out each module's steps again for each of them.
    The rule is the same: :func:`step_done` for each step, :class:`ModuleStatus`
    for each module.

    Args:
        course: the course.
    """

    __slots__ = ("course", "renames", "programme", "_modules")

    def __init__(self, course: Course) -> None:
        self.course = course
        self.renames = Renames(course)
        """The course's former ids: progress recorded under one counts for its step."""
        self.programme = course.manifest.programme
        """The course's programme requirements; None when it states none."""
        self._modules = tuple(_ModuleRule(module) for module in course.modules)

    def course_status(
        self, records: Iterable[StepRecord], manual: Mapping[str, str] | None = None,
        programme: ProgrammeFacts | None = None,
    ) -> CourseStatus:
        """Decide the status of every module and so of the course (see :func:`course_status`)."""
        standing = (None if self.programme is None
                    else programme_standing(self.programme, programme))
        if self.renames:
            records = self.renames.records(records)
            manual = self.renames.manual_dates(manual) if manual else manual
        by_key = {r[:2]: r for r in records}  # (module id, step id), the fields it starts with
        touched = {module_id for module_id, _ in by_key}
        manual = manual or {}
        return CourseStatus(tuple([
            rule.status(by_key, manual.get(rule.module_id))
            if rule.module_id in touched or rule.module_id in manual else rule.untouched
            for rule in self._modules
        ]), standing)


def locked_by(course: Course, module: Module, status: CourseStatus) -> list[Module]:
    """The required modules not yet complete; an empty list means the module is open."""
    return [
        course.module(required)
        for required in module.requires
        if not status.module(required).complete
    ]


def next_module(course: Course, status: CourseStatus) -> Module | None:
    """Where the trainee goes on: the module to continue, else the one to start.

    The first open module in progress that is not complete; else the first open module
    not started. None when every open module is complete (the course is, or what is left
    is locked).
    """
    fresh: Module | None = None
    for module, module_state in zip(course.modules, status.modules, strict=True):
        if module_state.complete or locked_by(course, module, status):
            continue
        if module_state.status == "in_progress":
            return module
        if fresh is None:
            fresh = module
    return fresh


def unlocked_between(course: Course, before: CourseStatus, after: CourseStatus) -> list[Module]:
    """The modules locked at ``before`` that are open at ``after``, in course order.

    What a module just completed has opened, to tell the trainee so.
    """
    return [
        module for module in course.modules
        if module.requires and locked_by(course, module, before)
        and not locked_by(course, module, after)
    ]


def minutes_left(course: Course, status: CourseStatus) -> int:
    """Estimated minutes left: each incomplete module's estimate, scaled by steps left."""
    left = 0.0
    for module, module_state in zip(course.modules, status.modules, strict=True):
        if module_state.complete:
            continue
        share = 1 - module_state.done_steps / module_state.total_steps
        left += module.minutes * share
    return round(left)


# --- The programme: classroom attendance -----------------------------------------------


def attended_minutes(session: ClassSession, mark: AttendanceMark | None) -> int:
    """Minutes of a session a register entry counts: all of them for present, less the
    minutes missed for late or left early, none for absent, excused, no entry or a
    cancelled session."""
    if session.cancelled_at is not None or mark is None:
        return 0
    if mark.status == "present":
        return session.minutes
    if mark.status in ("late", "left_early"):
        return max(0, session.minutes - mark.minutes_missed)
    return 0


def latest_marks(marks: Iterable[AttendanceMark], learner_id: str) -> dict[int, AttendanceMark]:
    """The register entry that counts for each session (by id): the learner's latest."""
    latest: dict[int, AttendanceMark] = {}
    for mark in marks:
        if mark.learner_id != learner_id:
            continue
        held = latest.get(mark.session_id)
        if held is None or mark.id > held.id:
            latest[mark.session_id] = mark
    return latest


@dataclass(frozen=True)
class ClassroomStanding:
    """Where a learner stands against the programme's classroom requirement.

    The minimum attendance is a share of the hours the cohort's sessions actually add up
    to (every session not cancelled, held or still to come), never of less than the
    programme's classroom hours: a cancelled session not replaced still leaves the
    programme's stated hours to attend a share of, and sessions planned beyond them
    count too (see :func:`required_attendance`).
    """

    attended_minutes: int
    """Minutes attended, by the register."""
    scheduled_minutes: int
    """Minutes of sessions still to come (today or later, not cancelled, no entry yet)."""
    required_minutes: int
    """Minutes the learner must attend: the minimum attendance share of
    :attr:`basis_minutes`, rounded up to a whole minute."""
    planned_minutes: int = 0
    """Minutes of the cohort's sessions not cancelled, held or still to come."""
    programme_minutes: int = 0
    """The programme's classroom hours, in minutes."""
    met_on: str | None = None
    """The date of the session whose attendance met the requirement (the register's
    sessions counted in date order); None while it is not met."""

    @property
    def basis_minutes(self) -> int:
        """The minutes the attendance share is of: those planned and not cancelled, or the
        programme's classroom hours when the sessions add up to fewer."""
        return max(self.programme_minutes, self.planned_minutes)

    @property
    def unplanned_minutes(self) -> int:
        """Minutes of the programme's classroom hours no session is planned for yet."""
        return max(0, self.programme_minutes - self.planned_minutes)

    @property
    def met(self) -> bool:
        """Whether the learner has attended enough."""
        return self.attended_minutes >= self.required_minutes

    @property
    def reachable(self) -> bool:
        """Whether attending every session still to come, and those of the programme's
        hours not planned yet, would be enough: the forecast."""
        return (self.attended_minutes + self.scheduled_minutes + self.unplanned_minutes
                >= self.required_minutes)

    @property
    def missing_minutes(self) -> int:
        """Minutes still to attend (0 when met)."""
        return max(0, self.required_minutes - self.attended_minutes)


def required_attendance(programme: Programme, planned_minutes: int) -> int:
    """Minutes a learner must attend: ``min_attendance_percent`` of the minutes of the
    sessions not cancelled, or of the programme's classroom hours when those sessions add
    up to fewer; rounded up to a whole minute.

    Args:
        programme: the course's programme requirements.
        planned_minutes: minutes of the cohort's sessions not cancelled (held or to come).
    """
    basis = max(programme.classroom_hours * 60, planned_minutes)
    return -(-basis * programme.min_attendance_percent // 100)


def classroom_standing(
    programme: Programme,
    sessions: Iterable[ClassSession],
    marks: Iterable[AttendanceMark],
    learner_id: str,
    today: dt.date,
) -> ClassroomStanding:
    """A learner's attended and still scheduled classroom minutes against the programme.

    Args:
        programme: the course's programme requirements.
        sessions: the sessions of the learner's cohort in this course.
        marks: register entries (history too: the latest for each session counts).
        learner_id: whose standing.
        today: sessions from this day on, without an entry yet, are still to come.
    """
    latest = latest_marks(marks, learner_id)
    attended = scheduled = planned = 0
    counted: list[tuple[str, str, int]] = []  # (date, start, minutes attended)
    first_day = today.isoformat()
    for session in sessions:
        if session.cancelled_at is not None:
            continue
        planned += session.minutes
        mark = latest.get(session.id)
        if mark is not None:
            minutes = attended_minutes(session, mark)
            if minutes:
                attended += minutes
                counted.append((session.held_on, session.starts_at, minutes))
        elif session.held_on >= first_day:
            scheduled += session.minutes
    required = required_attendance(programme, planned)
    met_on: str | None = None
    if attended >= required:
        total = 0
        for day, _, minutes in sorted(counted):
            total += minutes
            if total >= required:
                met_on = day
                break
    return ClassroomStanding(attended, scheduled, required, planned,
                             programme.classroom_hours * 60, met_on)


def attended_sessions(
    sessions: Iterable[ClassSession], marks: Iterable[AttendanceMark], learner_id: str
) -> list[tuple[ClassSession, AttendanceMark, int]]:
    """The sessions a learner attended, each with the entry that counts and the minutes
    it counts (:func:`attended_minutes`, more than none), in date order: what an
    attendance record states."""
    latest = latest_marks(marks, learner_id)
    attended = []
    for session in sorted(sessions, key=lambda s: (s.held_on, s.starts_at, s.id)):
        mark = latest.get(session.id)
        minutes = attended_minutes(session, mark)
        if mark is not None and minutes:
            attended.append((session, mark, minutes))
    return attended


# --- The programme: praktik and the whole programme ----------------------------------


class ApprovedPraktik(NamedTuple):
    """A learner's praktik hours approved by a supervisor, as the rule reads them."""

    minutes: int = 0
    """Approved minutes; only approved entries count."""
    last_approved_at: str | None = None
    """When the latest approval counted was recorded (ISO 8601); None for none."""
    entries: tuple[ApprovedPraktikEntry, ...] = ()
    """The approved entries the minutes add up (for a record of each, as xAPI gives)."""

    @classmethod
    def of(cls, entries: Sequence[ApprovedPraktikEntry]) -> ApprovedPraktik:
        """The approved praktik these approved entries add up to."""
        if not entries:
            return NO_PRAKTIK
        return cls(sum(e.minutes for e in entries), max(e.approved_at for e in entries),
                   tuple(entries))


NO_PRAKTIK: Final = ApprovedPraktik()
"""No approved praktik."""


class ProgrammeFacts(NamedTuple):
    """What the programme part of the completion rule reads of one learner in a course.

    Given by the caller (the app's session, the export's register read once for all
    learners); the rule decides from these alone.
    """

    learner_id: str
    today: dt.date
    """Sessions from this day on, without a register entry yet, are still to come."""
    sessions: Sequence[ClassSession] = ()
    """The sessions of the learner's cohort in the course, cancelled ones too."""
    marks: Sequence[AttendanceMark] = ()
    """Register entries (others' are passed over; the latest a session counts)."""
    praktik: ApprovedPraktik = NO_PRAKTIK
    """The learner's approved praktik in the course."""


@dataclass(frozen=True)
class ProgrammeStanding:
    """Where a learner stands against the whole programme: classroom and praktik."""

    classroom: ClassroomStanding
    praktik: ApprovedPraktik
    """The approved praktik given to the rule."""
    praktik_required_minutes: int
    """Minutes of praktik the programme requires (0 when it requires none)."""

    @property
    def praktik_met(self) -> bool:
        """Whether enough praktik is approved (always, when none is required)."""
        return self.praktik.minutes >= self.praktik_required_minutes

    @property
    def missing_praktik_minutes(self) -> int:
        """Approved praktik minutes still missing (0 when met)."""
        return max(0, self.praktik_required_minutes - self.praktik.minutes)

    @property
    def met(self) -> bool:
        """Whether the programme's requirements are met: attendance and praktik."""
        return self.classroom.met and self.praktik_met

    @property
    def met_at(self) -> str | None:
        """When the requirements were met: the latest of the day attendance was met and the
        latest praktik approval (when praktik is required); None while not met."""
        if not self.met:
            return None
        stamps = [self.classroom.met_on]
        if self.praktik_required_minutes:
            stamps.append(self.praktik.last_approved_at)
        return newest_time(stamps)


def programme_standing(programme: Programme, facts: ProgrammeFacts | None) -> ProgrammeStanding:
    """A learner's standing against the course's programme requirements.

    Args:
        programme: the course's programme requirements.
        facts: the learner's sessions, register entries and approved praktik; None counts
            as none of them (nothing attended, nothing approved).
    """
    if facts is None:
        classroom = classroom_standing(programme, (), (), "", _NO_DAY)
        praktik = NO_PRAKTIK
    else:
        classroom = classroom_standing(programme, facts.sessions, facts.marks,
                                       facts.learner_id, facts.today)
        praktik = facts.praktik
    return ProgrammeStanding(classroom, praktik, (programme.praktik_hours or 0) * 60)


_NO_DAY: Final = dt.date.min


# --- The programme: praktik hours with sign-off ------------------------------------------

PraktikState = Literal["waiting", "approved", "returned", "revoked"]
"""Where a praktik entry stands: waiting for its supervisor (no decision yet, or asked
again), approved, returned with a comment, or its approval revoked with a reason."""

_STATE_OF: Final[dict[PraktikDecisionKind, PraktikState]] = {
    "asked": "waiting", "approved": "approved", "returned": "returned", "revoked": "revoked"}


def latest_decisions(decisions: Iterable[PraktikDecision]) -> dict[str, PraktikDecision]:
    """The decision that counts for each entry (by entry id): its latest (highest id)."""
    latest: dict[str, PraktikDecision] = {}
    for decision in decisions:
        held = latest.get(decision.entry_id)
        if held is None or decision.id > held.id:
            latest[decision.entry_id] = decision
    return latest


def praktik_state(latest: PraktikDecision | None) -> PraktikState:
    """Where an entry stands, by its latest decision (None: none yet, so waiting)."""
    return "waiting" if latest is None else _STATE_OF[latest.decision]


def approved_praktik_minutes(
    entries: Iterable[PraktikEntry], decisions: Iterable[PraktikDecision], learner_id: str,
    course_id: str | None = None,
) -> int:
    """A learner's approved praktik minutes: the entries whose latest decision is an
    approval. Waiting, returned and revoked entries count for nothing.

    The store's :meth:`~peerskole.store.base.Store.approved_praktik_minutes` gives the
    same for every learner of a course in one query (for exports); a property test holds
    the two together.

    Args:
        entries: praktik entries (others' are left out).
        decisions: decisions on them, history too (the latest of each counts).
        learner_id: whose minutes.
        course_id: only this course's entries; None for every course.
    """
    latest = latest_decisions(decisions)
    return sum(
        entry.minutes for entry in entries
        if entry.learner_id == learner_id
        and (course_id is None or entry.course_id == course_id)
        and praktik_state(latest.get(entry.id)) == "approved"
    )
