"""Replies in plain mode: the notice on the overview, the dialogue printed under the
reflection (and so read), an answer back that reaches the instructor, and an answer that
cannot be sent printed back rather than lost."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from peerskole import dialogue
from peerskole.course.model import Course
from peerskole.i18n import Translator
from peerskole.instructors import InstructorKey, add_instructor, unlock_instructor
from peerskole.store.base import Position, Store
from tests.plain.conftest import run

T = Translator("da")
MODULE, STEP = "first", "own-experience"
REPLY: Final = "Tak, Åse – det du skriver om at blive lyttet til, er vigtigt"
ANSWER: Final = "Tak for svaret"
ANSWER_BACK: Final = "4"
"""The answer's number under a reflection with a dialogue (more, anew, share, answer)."""


def shared_with_a_reply(store: Store, course: Course) -> tuple[str, InstructorKey]:
    aase = store.add_learner("Åse")
    store.save_reflection(aase.id, course.id, MODULE, STEP, "Min ven lyttede til mig", True)
    made = add_instructor(store, "Ulla Underviser", "underviserens lange kode")
    key = unlock_instructor(store, made, "underviserens lange kode")
    dialogue.reply(store, key, aase.id, course.id, MODULE, STEP, REPLY)
    return aase.id, key


def test_a_reply_is_noticed_read_and_answered_in_plain_mode(
    course: Course, store: Store, data_dir: Path
) -> None:
    learner_id, key = shared_with_a_reply(store, course)
    [unread] = dialogue.unread_replies(store, learner_id)
    assert unread.count == 1
    step = course.module(MODULE).step(STEP)
    # The overview says there is a reply and where; the module's first step is the
    # self-assessment, so the reflection is opened where the trainee was.
    first = run(data_dir, ["1"])
    assert T("replies.notice_one", n=1) in first.output
    assert T("plain.replies_where", step=step.title, module=course.module(MODULE).title) \
        in first.output
    assert dialogue.unread_replies(store, learner_id) != []  # noticed is not read

    store.set_position(learner_id, course.id, Position(MODULE, STEP))
    second = run(data_dir, ["1", ANSWER_BACK, ANSWER, "."])
    out = second.output
    assert out.index(T("replies.heading")) < out.index(REPLY) < out.index(T("replies.sent"))
    assert "Ulla Underviser" in out
    assert dialogue.unread_replies(store, learner_id) == []  # printed, so read
    thread = dialogue.for_instructor(store, key, learner_id, course.id, MODULE, STEP)
    assert [m.text for m in thread.messages] == [REPLY, ANSWER]
    # The dialogue is printed again with the answer in it.
    assert out.count(REPLY) == 2 and ANSWER in out[out.index(T("replies.sent")):]


def test_an_answer_to_an_unshared_reflection_is_printed_back_not_lost(
    course: Course, store: Store, data_dir: Path
) -> None:
    learner_id, _ = shared_with_a_reply(store, course)
    store.set_position(learner_id, course.id, Position(MODULE, STEP))
    # Make it private again (3), then try to answer (4): refused, and the shown text stays.
    result = run(data_dir, ["1", "3", ANSWER_BACK])
    assert T("plain.answer_not_shared") in result.output
    store.set_position(learner_id, course.id, Position(MODULE, STEP))
    store.save_reflection(learner_id, course.id, MODULE, STEP, "Min ven lyttede til mig", True)
    from peerskole.instructors import remove_instructor

    [instructor] = store.instructors()
    remove_instructor(store, instructor)
    result = run(data_dir, ["1", ANSWER_BACK, "Et svar der ikke kan sendes", "."])
    out = result.output
    assert T("plain.answer_no_instructors") in out
    assert out.index(T("plain.answer_kept")) < out.index("Et svar der ikke kan sendes",
                                                          out.index(T("plain.answer_kept")))
