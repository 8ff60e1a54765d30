"""The order a trainee sees a question's options and a scenario turn's responses in.

Authors tend to write the right answer first, so file order would give it away.
Each learner gets their own order per question and turn, drawn from a stable
hash of who they are and where the options are: the same on every visit, after
a restart and on another machine, and different from the next learner's.
Options keep their ids (their index in the file) everywhere else: answers,
saved state, feedback and exports never see a position on screen.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from peerskole.course.model import Quiz, Scenario, Step


def display_order(option_ids: Sequence[int], seed: Sequence[str | int]) -> list[int]:
    """The option ids in the order they are shown, shuffled by ``seed``.

    Each id is ranked by a SHA-256 of the seed and the id, so the order depends
    on nothing but its arguments (never on Python's per-process ``hash()``), and
    options added to a question later leave the others in their order.

    Args:
        option_ids: the ids to order, in file order.
        seed: what the order belongs to, e.g. learner, course, module, step and
            question.

    Returns:
        The same ids, reordered.
    """
    prefix = json.dumps(list(seed), ensure_ascii=False)

    def rank(option_id: int) -> bytes:
        return hashlib.sha256(f"{prefix}\x1f{option_id}".encode()).digest()

    return sorted(option_ids, key=rank)


def step_orders(
    step: Step, learner_id: str, course_id: str, module_id: str
) -> tuple[tuple[int, ...], ...]:
    """The display order of the options of each question, or responses of each turn.

    A question or turn with ``shuffle = false`` keeps its file order. Steps
    without options get an empty tuple.

    Args:
        step: the step shown.
        learner_id: whose order it is.
        course_id: the course the step is in.
        module_id: the module the step is in.

    Returns:
        One tuple of option ids per question (quiz) or turn (scenario), in the
        order of the questions or turns.
    """
    if isinstance(step, Quiz):
        counts = [(len(q.options), q.shuffle) for q in step.questions]
    elif isinstance(step, Scenario):
        counts = [(len(turn.responses), turn.shuffle) for turn in step.turns]
    else:
        return ()
    return tuple(
        tuple(
            display_order(range(count), (learner_id, course_id, module_id, step.id, index))
            if shuffle else range(count)
        )
        for index, (count, shuffle) in enumerate(counts)
    )
