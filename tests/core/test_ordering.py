"""The order each learner sees options in: a stable, per-learner permutation."""

from __future__ import annotations

import subprocess
import sys

from peerskole.course.loader import load_course
from peerskole.course.model import Course, Quiz, Scenario
from peerskole.ordering import display_order, step_orders
from tests.conftest import REPO_DIR, SAMPLE_COURSE

BUNDLED = load_course(REPO_DIR / "courses" / "peer-grundforloeb")
LEARNERS = [f"learner{n:02d}" for n in range(20)]


def orders_in(course: Course, learner: str) -> dict[tuple[str, str, int], tuple[int, ...]]:
    """(module, step, question or turn) → the option ids as the learner sees them."""
    return {
        (module.id, step.id, index): order
        for module in course.modules
        for step in module.steps
        for index, order in enumerate(step_orders(step, learner, course.id, module.id))
    }


def right_first(course: Course, learner: str) -> tuple[int, int]:
    """How often the first option shown is a right (or the best) one, out of how many."""
    first = total = 0
    for module in course.modules:
        for step in module.steps:
            orders = step_orders(step, learner, course.id, module.id)
            if isinstance(step, Quiz):
                for question, order in zip(step.questions, orders, strict=True):
                    first += question.options[order[0]].correct
                    total += 1
            elif isinstance(step, Scenario):
                for turn, order in zip(step.turns, orders, strict=True):
                    first += turn.responses[order[0]].quality == "best"
                    total += 1
    return first, total


def test_an_order_is_a_permutation_of_the_ids() -> None:
    for count in range(2, 9):
        for learner in LEARNERS:
            order = display_order(range(count), (learner, "c", "m", "s", 0))
            assert sorted(order) == list(range(count))


def test_an_order_is_the_same_on_every_call() -> None:
    seed = ("a1b2c3", "peer-grundforloeb", "aktiv-lytning", "quiz", 2)
    assert display_order(range(5), seed) == display_order(range(5), seed)
    assert orders_in(BUNDLED, "a1b2c3") == orders_in(BUNDLED, "a1b2c3")


def test_an_order_is_the_same_in_another_process() -> None:
    """Nothing rests on Python's hash(), which differs from one process to the next."""
    seed = ("a1b2c3", "peer-grundforloeb", "aktiv-lytning", "quiz", 2)
    code = (
        "from peerskole.ordering import display_order\n"
        f"print(display_order(range(6), {seed!r}))"
    )
    shown = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True,
            cwd=REPO_DIR, env={"PYTHONHASHSEED": str(hash_seed), "PYTHONPATH": str(REPO_DIR)},
        ).stdout.strip()
        for hash_seed in (1, 2, 3)
    }
    assert shown == {str(display_order(range(6), seed))}


def test_learners_see_the_bundled_course_in_different_orders() -> None:
    orders = [orders_in(BUNDLED, learner) for learner in LEARNERS]
    first = orders[0]
    for other in orders[1:]:
        assert other != first
        # Not merely one question apart: about half of the 2-option questions alone differ.
        differing = sum(other[key] != first[key] for key in first)
        assert differing > len(first) // 3


def test_the_right_option_is_not_always_first_for_a_learner() -> None:
    """In the bundled course the right answer comes first in the file almost everywhere."""
    for learner in LEARNERS:
        first, total = right_first(BUNDLED, learner)
        assert total > 50
        assert first < total * 3 // 4


def test_each_question_and_turn_has_its_own_order() -> None:
    orders = list(orders_in(BUNDLED, "a1b2c3").values())
    assert len(set(orders)) > 1


def test_shuffle_false_keeps_the_file_order() -> None:
    course = load_course(SAMPLE_COURSE)
    quiz = course.module("first").step("quiz")
    assert isinstance(quiz, Quiz)
    pinned = quiz.model_copy(update={"questions": [
        q.model_copy(update={"shuffle": False}) for q in quiz.questions
    ]})
    for learner in LEARNERS:
        assert step_orders(pinned, learner, course.id, "first") == ((0, 1), (0, 1, 2))
    # The same quiz, shuffled: some learner sees another order.
    assert any(
        step_orders(quiz, learner, course.id, "first") != ((0, 1), (0, 1, 2))
        for learner in LEARNERS
    )


def test_steps_without_options_have_no_order() -> None:
    course = load_course(SAMPLE_COURSE)
    module = course.module("first")
    reading = next(step for step in module.steps if step.kind == "reading")
    assert step_orders(reading, "a1b2c3", course.id, module.id) == ()
