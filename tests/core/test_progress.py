"""The completion rules every screen and export share."""

from __future__ import annotations

from collections.abc import Mapping

from peerskole.course.loader import load_course
from peerskole.course.model import Course, Quiz, SelfAssessment
from peerskole.progress import (
    ModuleStatus,
    StepRecord,
    answered_right,
    course_status,
    first_step,
    locked_by,
    minutes_left,
    next_module,
    others_done,
    quiz_attempt,
    quiz_score,
    rating_phase,
    ratings_saved,
    step_after,
    step_done,
    unlocked_between,
    waiting_for_after,
    word_count,
)
from tests.conftest import REPO_DIR, SAMPLE_COURSE

COURSE = load_course(SAMPLE_COURSE)
FIRST = COURSE.module("first")


def rec(step_id: str, module_id: str = "first", day: int = 2, **facts: object) -> StepRecord:
    """A step record started on 1 January 2026 and completed on ``day`` of that month."""
    return StepRecord(module_id, step_id, "1.0", facts, "2026-01-01T10:00:00+00:00",
                      f"2026-01-{day:02d}T10:00:00+00:00", 60)


def test_quiz_score_needs_every_right_option_and_no_wrong_one() -> None:
    quiz = FIRST.step("quiz")
    assert isinstance(quiz, Quiz)
    assert quiz_score(quiz, {0: [0], 1: [0, 1]}) == 100.0
    assert quiz_score(quiz, {0: [0], 1: [0]}) == 50.0  # missed one right option
    assert quiz_score(quiz, {0: [0], 1: [0, 1, 2]}) == 50.0  # picked a wrong one
    assert quiz_score(quiz, {}) == 0.0


def test_each_kind_has_its_rule() -> None:
    assert step_done(FIRST.step("intro"), rec("intro", read=True))
    assert not step_done(FIRST.step("intro"), rec("intro"))  # opened, not yet read
    assert not step_done(FIRST.step("intro"), None)
    assert step_done(FIRST.step("quiz"), rec("quiz", score=50.0))  # pass mark 50
    assert not step_done(FIRST.step("quiz"), rec("quiz", score=49.9))
    assert step_done(FIRST.step("maja"), rec("maja", turns_answered=1))
    assert not step_done(FIRST.step("maja"), rec("maja", turns_answered=0))
    assert step_done(FIRST.step("own-experience"), rec("own-experience", words=5))
    assert not step_done(FIRST.step("own-experience"), rec("own-experience", words=4))
    sa = FIRST.step("before-after")
    assert not step_done(sa, rec("before-after", before=[3, 4]))
    assert not step_done(sa, rec("before-after", before=[3, 4], after=[3, 9]))
    assert step_done(sa, rec("before-after", before=[3, 4], after=[4, 5]))
    assert step_done(FIRST.step("practice-talk"), rec("practice-talk", entries=1))
    assert not step_done(FIRST.step("practice-talk"), rec("practice-talk", entries=0))


def test_word_count() -> None:
    assert word_count("  Jeg  følte mig\nhørt. ") == 4
    assert word_count("") == 0


def all_done() -> list[StepRecord]:
    """Every step of module "first" done; the quiz, in the middle, was done last (day 6)."""
    return [
        rec("before-after", day=4, before=[3, 3], after=[4, 4]),
        rec("intro", day=2, read=True),
        rec("quiz", day=6, score=100.0),
        rec("maja", day=5, turns_answered=1),
        rec("own-experience", day=3, words=10),
        rec("practice-talk", day=1, entries=1),
    ]


def test_module_and_course_status() -> None:
    status = course_status(COURSE, all_done()[:-1])
    first = status.module("first")
    assert (first.done_steps, first.total_steps, first.complete) == (5, 6, False)
    assert first.status == "in_progress"
    assert status.module("second").status == "not_started"
    assert [m.id for m in locked_by(COURSE, COURSE.module("second"), status)] == ["first"]

    status = course_status(COURSE, all_done())
    assert status.module("first").complete
    assert status.module("first").seconds == 360
    assert status.module("first").quiz_score == 100.0
    assert locked_by(COURSE, COURSE.module("second"), status) == []
    assert not status.complete
    assert status.percent == round(100 * 6 / 7)
    assert status.started_at == "2026-01-01T10:00:00+00:00"  # the earliest module start
    assert (status.status, status.completed_at, status.seconds) == ("in_progress", None, 360)
    status = course_status(COURSE, [*all_done(), rec("read", "second", opened=True)])
    assert status.complete and status.status == "completed"
    assert status.completed_at is not None
    untouched = course_status(COURSE, [])
    assert (untouched.status, untouched.started_at, untouched.seconds) == ("not_started", None, 0)


def test_a_module_status_holds_every_field_in_its_place() -> None:
    """The rule builds a ModuleStatus positionally, for speed: each value in its own field."""
    assert course_status(COURSE, all_done()[:-1]).module("first") == ModuleStatus(
        module_id="first", done_steps=5, total_steps=6, required_done=5, required_total=6,
        complete=False, started_at="2026-01-01T10:00:00+00:00", completed_at=None,
        seconds=300, quiz_score=100.0, manual=False,
    )
    # A module is completed when its last required step was: the latest, not the last.
    assert course_status(COURSE, all_done()).module("first").completed_at == (
        "2026-01-06T10:00:00+00:00"
    )
    assert course_status(COURSE, [], manual={"second": "2026-02-01"}).module(
        "second"
    ) == ModuleStatus(
        module_id="second", done_steps=0, total_steps=1, required_done=0, required_total=1,
        complete=True, started_at=None, completed_at="2026-02-01", seconds=0,
        quiz_score=None, manual=True,
    )


def test_records_of_removed_steps_are_ignored_not_counted() -> None:
    status = course_status(COURSE, [*all_done(), rec("gone-step", opened=True)])
    assert status.module("first").done_steps == 6


def test_manual_completion_by_a_coordinator() -> None:
    status = course_status(COURSE, [], manual={"second": "2026-02-01T00:00:00+00:00"})
    second = status.module("second")
    assert second.complete and second.manual
    assert second.completed_at == "2026-02-01T00:00:00+00:00"


def test_minutes_left_scales_with_steps_done() -> None:
    assert minutes_left(COURSE, course_status(COURSE, [])) == 30
    assert minutes_left(COURSE, course_status(COURSE, all_done())) == 10


def test_the_earliest_recorded_completion_of_a_module_counts() -> None:
    from peerskole.progress import earliest_manual, manual_dates
    from peerskole.store.base import ManualCompletion

    def mark(module_id: str, on: str, note: str) -> ManualCompletion:
        return ManualCompletion("l1", "c", module_id, on, note, "k", "2026-06-01T10:00:00+00:00")

    late, second, early, same_day = (
        mark("m1", "2026-05-02", "late"), mark("m2", "2026-01-01", "m2"),
        mark("m1", "2026-03-01", "early"), mark("m1", "2026-03-01", "same day, later"),
    )
    chosen = earliest_manual([late, second, early, same_day])
    # The earliest date counts, whatever order they were recorded in; on the same
    # date the one recorded first.
    assert chosen == {"m1": early, "m2": second}
    assert manual_dates([late, second, early, same_day]) == {
        "m1": "2026-03-01", "m2": "2026-01-01",
    }


def test_a_reading_recorded_as_opened_before_the_end_rule_stays_done() -> None:
    # Stored by earlier versions, for which opening a reading completed it.
    assert step_done(FIRST.step("intro"), rec("intro", opened=True))


def test_a_saved_before_rating_is_told_apart_from_nothing_done() -> None:
    sa = FIRST.step("before-after")
    assert isinstance(sa, SelfAssessment)
    assert ratings_saved(sa, None) == (False, False)
    assert ratings_saved(sa, rec("before-after", before=[3, 4])) == (True, False)
    assert ratings_saved(sa, rec("before-after", before=[3])) == (False, False)  # one of two
    assert ratings_saved(sa, rec("before-after", before=[3, 4], after=[4, 5])) == (True, True)
    waiting = {("first", "before-after"): rec("before-after", before=[3, 4])}
    assert [s.id for s in waiting_for_after(FIRST, waiting)] == ["before-after"]
    both = {("first", "before-after"): rec("before-after", before=[3, 4], after=[4, 5])}
    assert waiting_for_after(FIRST, both) == []
    assert waiting_for_after(FIRST, {}) == []


BUNDLED = load_course(REPO_DIR / "courses" / "peer-grundforloeb")


def done_module(course: Course, module_id: str) -> list[StepRecord]:
    """Records that complete every step of a module (by each kind's rule)."""
    facts: dict[str, dict[str, object]] = {
        "reading": {"read": True}, "quiz": {"score": 100.0},
        "scenario": {"turns_answered": 99, "ended": True}, "reflection": {"words": 999},
        "practice": {"entries": 99},
        "self_assessment": {"before": [3] * 9, "after": [4] * 9},
    }
    module = course.module(module_id)
    records = []
    for step in module.steps:
        step_facts = dict(facts[step.kind])
        if isinstance(step, SelfAssessment):
            n = len(step.statements)
            step_facts = {"before": [3] * n, "after": [4] * n}
        # No step's facts are named day; mypy cannot know that of a dict[str, object].
        records.append(rec(step.id, module_id, **step_facts))  # type: ignore[arg-type]
    return records


def test_the_next_module_is_the_one_in_progress_else_the_first_open_one() -> None:
    modules = [m.id for m in BUNDLED.modules]
    first, second, third = modules[:3]
    assert BUNDLED.module(second).requires == BUNDLED.module(third).requires == [first]
    nothing = course_status(BUNDLED, [])
    assert next_module(BUNDLED, nothing) is BUNDLED.modules[0]
    first_done = done_module(BUNDLED, first)
    status = course_status(BUNDLED, first_done)
    assert next_module(BUNDLED, status) is BUNDLED.module(second)  # the first open one
    # Begun on the third, the trainee is shown where she is, not the second.
    begun_third = [*first_done, rec("selvvurdering", third, before=[3, 3])]
    assert next_module(BUNDLED, course_status(BUNDLED, begun_third)) is BUNDLED.module(third)
    everything = [r for m in modules for r in done_module(BUNDLED, m)]
    assert next_module(BUNDLED, course_status(BUNDLED, everything)) is None


def test_completing_a_module_unlocks_the_modules_that_required_it() -> None:
    before = course_status(COURSE, all_done()[:-1])
    after = course_status(COURSE, all_done())
    assert [m.id for m in unlocked_between(COURSE, before, after)] == ["second"]
    assert unlocked_between(COURSE, after, after) == []
    assert unlocked_between(COURSE, before, before) == []
    # The first module requires nothing: it was never locked, so it is not news.
    assert "first" not in [m.id for m in unlocked_between(COURSE, course_status(COURSE, []),
                                                          after)]


# --- the rules the app's session follows (they lived in the UI) -----------------------------

DONE: dict[str, dict[str, object]] = {
    "intro": {"read": True}, "quiz": {"score": 100.0}, "maja": {"turns_answered": 1},
    "own-experience": {"words": 9}, "practice-talk": {"entries": 1},
}
"""Facts that make each of the first module's steps but its self-assessment done."""


def records(*done: str, **extra: Mapping[str, object]) -> dict[tuple[str, str], StepRecord]:
    """Records of the first module: the named steps done, and others with given facts."""
    facts = {step_id: DONE[step_id] for step_id in done} | extra
    return {("first", step_id): rec(step_id, **f) for step_id, f in facts.items()}


def test_a_question_is_right_with_every_right_option_and_no_wrong_one() -> None:
    quiz = FIRST.step("quiz")
    assert isinstance(quiz, Quiz)
    single, multiple = quiz.questions
    assert answered_right(single, [0]) and not answered_right(single, [1])
    assert answered_right(multiple, [1, 0])
    assert not answered_right(multiple, [0]) and not answered_right(multiple, [0, 1, 2])


def test_the_best_quiz_attempt_counts_and_every_attempt_is_counted() -> None:
    first = quiz_attempt({}, 50.0)
    assert first == {"score": 50.0, "attempts": 1}
    worse = quiz_attempt(first, 0.0)
    assert worse == {"score": 50.0, "attempts": 2}  # a worse try never undoes a pass
    better = quiz_attempt(worse, 100.0)
    assert better == {"score": 100.0, "attempts": 3}
    assert quiz_attempt({"score": True, "attempts": "x"}, 20.0) == {"score": 20.0, "attempts": 1}


def test_others_done_leaves_out_the_step_itself_and_optional_steps() -> None:
    sa = FIRST.step("before-after")
    everything = records("intro", "quiz", "maja", "own-experience", "practice-talk")
    assert others_done(FIRST, sa, everything)
    assert not others_done(FIRST, sa, records("intro", "quiz", "maja", "own-experience"))
    assert not others_done(FIRST, FIRST.step("intro"), everything)  # the rating is missing


def test_a_self_assessment_asks_after_once_rated_before_and_the_rest_is_done() -> None:
    sa = FIRST.step("before-after")
    assert isinstance(sa, SelfAssessment)
    rated = {"before-after": {"before": [3, 4]}}
    rest = ("intro", "quiz", "maja", "own-experience", "practice-talk")
    assert rating_phase(FIRST, sa, records()) == "before"
    assert rating_phase(FIRST, sa, records(*rest)) == "before"  # never rated before
    assert rating_phase(FIRST, sa, records("intro", **rated)) == "before"  # not yet
    assert rating_phase(FIRST, sa, records(*rest, **rated)) == "after"


def test_a_module_opens_at_the_first_step_to_do_passing_a_rating_that_waits() -> None:
    rated = {"before-after": {"before": [3, 4]}}
    assert first_step(FIRST, records()).id == "before-after"
    assert first_step(FIRST, records(**rated)).id == "intro"  # "after" comes at the end
    assert first_step(FIRST, records("intro", "quiz", **rated)).id == "maja"
    rest = ("intro", "quiz", "maja", "own-experience", "practice-talk")
    assert first_step(FIRST, records(*rest, **rated)).id == "before-after"  # now due
    both = {"before-after": {"before": [3, 4], "after": [4, 5]}}
    assert first_step(FIRST, records(*rest, **both)).id == "before-after"  # all done


def test_moving_on_from_the_last_step_goes_to_a_rating_still_to_do_else_the_overview(
) -> None:
    steps = {step.id: step for step in FIRST.steps}
    following = step_after(FIRST, steps["intro"], records())
    assert following is not None and following.id == "quiz"
    last = steps["practice-talk"]
    rest = ("intro", "quiz", "maja", "own-experience", "practice-talk")
    assert step_after(FIRST, last, records("intro")) is None  # the rest is not done yet
    for rated in ({}, {"before-after": {"before": [3, 4]}}):
        due = step_after(FIRST, last, records(*rest, **rated))
        assert due is not None and due.id == "before-after"
    both = {"before-after": {"before": [3, 4], "after": [4, 5]}}
    assert step_after(FIRST, last, records(*rest, **both)) is None
