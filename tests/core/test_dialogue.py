"""The dialogue on a shared reflection: reply, answer, read, re-keyed, merged, erased.

Both backends (tests/core/conftest.py's ``store``).
"""

from __future__ import annotations

import pytest

from peerskole import dialogue, envelope, privacy
from peerskole.dialogue import DialogueError
from peerskole.instructors import add_instructor, inbox, remove_instructor, unlock_instructor
from peerskole.privacy import EXCHANGE_SETTING, PrivacyError
from peerskole.progress import merged_record
from peerskole.store.base import LearnerMerge, PrivateText, StoreError
from peerskole.store.sql import SQLStore
from tests.core.dialogue_world import (
    COURSE,
    LEARNER_PASSPHRASE,
    MODULE,
    REPLY_MARKER,
    STEP,
    DialogueWorld,
    make_world,
    protect,
)


@pytest.fixture
def world(store: SQLStore) -> DialogueWorld:
    return make_world(store)


def test_a_reply_reaches_the_trainee_and_their_answer_the_instructor(
    world: DialogueWorld,
) -> None:
    store, learner = world.store, world.protected
    sent = dialogue.reply(store, world.key, learner, COURSE, MODULE, STEP, REPLY_MARKER)
    assert REPLY_MARKER not in sent.learner_copy + sent.instructor_copy
    assert envelope.recipients(sent.learner_copy) == {envelope.LEARNER}
    assert envelope.recipients(sent.instructor_copy) == {world.instructor.id}

    assert [u.count for u in dialogue.unread_replies(store, learner)] == [1]
    seen = dialogue.for_learner(store, world.protected_key, learner, COURSE, MODULE, STEP)
    assert [(m.author, m.instructor_name, m.text) for m in seen] == [
        ("instructor", "Ulla Underviser", REPLY_MARKER)]
    assert dialogue.unread_replies(store, learner) == []  # read now

    dialogue.answer(store, world.protected_key, learner, COURSE, MODULE, STEP, "Tak for svaret!")
    [item] = [i for i in inbox(store, world.key) if i.learner_id == learner]
    assert item.unread and item.messages == 2  # the trainee answered, nobody read it yet
    thread = dialogue.for_instructor(store, world.key, learner, COURSE, MODULE, STEP)
    assert [m.text for m in thread.messages] == [REPLY_MARKER, "Tak for svaret!"]
    assert thread.messages[0].created_at < thread.messages[1].created_at
    [item] = [i for i in inbox(store, world.key) if i.learner_id == learner]
    assert not item.unread


def test_a_reply_read_from_the_store_is_marked_read_only_once_seen(
    world: DialogueWorld,
) -> None:
    store, learner = world.store, world.protected
    dialogue.reply(store, world.key, learner, COURSE, MODULE, STEP, REPLY_MARKER)
    dialogue.answer(store, world.protected_key, learner, COURSE, MODULE, STEP, "Tak!")
    loaded = dialogue.for_learner(store, world.protected_key, learner, COURSE, MODULE, STEP,
                                  mark_read=False)
    assert [u.count for u in dialogue.unread_replies(store, learner)] == [1]  # not yet
    assert dialogue.mark_replies_seen(store, loaded) == 1  # the reply, not the answer
    assert dialogue.unread_replies(store, learner) == []
    [item] = [i for i in inbox(store, world.key) if i.learner_id == learner]
    assert item.unread  # the trainee's answer is still new to the instructors
    again = dialogue.for_learner(store, world.protected_key, learner, COURSE, MODULE, STEP,
                                 mark_read=False)
    assert again[0].read_at is not None and dialogue.mark_replies_seen(store, again) == 0


def test_a_profile_without_passphrase_keeps_its_copy_readable(world: DialogueWorld) -> None:
    store, learner = world.store, world.open_profile
    sent = dialogue.reply(store, world.key, learner, COURSE, MODULE, STEP, REPLY_MARKER)
    assert sent.learner_copy == REPLY_MARKER  # like its other text (docs/security.md)
    assert REPLY_MARKER not in sent.instructor_copy
    [message] = dialogue.for_learner(store, None, learner, COURSE, MODULE, STEP)
    assert message.text == REPLY_MARKER


def test_a_protected_profile_is_not_read_without_its_key(world: DialogueWorld) -> None:
    store, learner = world.store, world.protected
    dialogue.reply(store, world.key, learner, COURSE, MODULE, STEP, REPLY_MARKER)
    with pytest.raises(PrivacyError):
        dialogue.for_learner(store, None, learner, COURSE, MODULE, STEP)
    with pytest.raises(PrivacyError):
        dialogue.answer(store, None, learner, COURSE, MODULE, STEP, "uden nøgle")
    other = privacy.new_key(world.open_profile, "en helt anden passphrase")
    with pytest.raises(PrivacyError):
        dialogue.for_learner(store, other, learner, COURSE, MODULE, STEP)


def test_withdrawing_the_share_hides_it_from_instructors_at_once(world: DialogueWorld) -> None:
    store, learner = world.store, world.protected
    dialogue.reply(store, world.key, learner, COURSE, MODULE, STEP, REPLY_MARKER)
    assert any(i.learner_id == learner for i in inbox(store, world.key))
    place = privacy.TextPlace(learner, COURSE, MODULE, STEP, "reflection")
    store.save_reflection(learner, COURSE, MODULE, STEP,
                          world.protected_key.seal("trukket tilbage", place), False,
                          if_settings=privacy.key_settings(world.protected_key))
    assert not any(i.learner_id == learner for i in inbox(store, world.key))
    for call in (
        lambda: dialogue.for_instructor(store, world.key, learner, COURSE, MODULE, STEP),
        lambda: dialogue.reply(store, world.key, learner, COURSE, MODULE, STEP, "hej"),
    ):
        with pytest.raises(DialogueError) as caught:
            call()
        assert caught.value.problem == "not_shared"
    # The trainee still has their dialogue: it is theirs.
    [message] = dialogue.for_learner(store, world.protected_key, learner, COURSE, MODULE, STEP)
    assert message.text == REPLY_MARKER


def test_a_passphrase_change_keeps_the_dialogue_readable(world: DialogueWorld) -> None:
    store, learner, old = world.store, world.protected, world.protected_key
    dialogue.reply(store, world.key, learner, COURSE, MODULE, STEP, REPLY_MARKER)
    dialogue.answer(store, old, learner, COURSE, MODULE, STEP, "mit svar")
    before = store.setting(learner, EXCHANGE_SETTING)
    new = privacy.new_key(learner, "en ny og lang passphrase")
    privacy.rekey(store, learner, old, new)
    assert store.setting(learner, EXCHANGE_SETTING) == new.exchange_public() != before
    assert [m.text for m in dialogue.for_learner(store, new, learner, COURSE, MODULE, STEP)
            ] == [REPLY_MARKER, "mit svar"]
    with pytest.raises(PrivacyError):
        dialogue.for_learner(store, old, learner, COURSE, MODULE, STEP)
    thread = dialogue.for_instructor(store, world.key, learner, COURSE, MODULE, STEP)
    assert [m.text for m in thread.messages] == [REPLY_MARKER, "mit svar"]
    # A reply after the change is sealed to the new key.
    dialogue.reply(store, world.key, learner, COURSE, MODULE, STEP, "efter skiftet")
    assert dialogue.for_learner(store, new, learner, COURSE, MODULE, STEP)[-1].text == (
        "efter skiftet")
    # Removing the passphrase makes the learner's copies readable, like its other text.
    privacy.rekey(store, learner, new, None)
    assert store.setting(learner, EXCHANGE_SETTING) is None
    assert [m.learner_copy for m in store.messages(learner, COURSE, MODULE, STEP)] == [
        REPLY_MARKER, "mit svar", "efter skiftet"]


def test_a_reply_sealed_to_a_key_changed_meanwhile_is_refused(world: DialogueWorld) -> None:
    store, learner = world.store, world.protected
    message = dialogue._new_message(
        learner, COURSE, MODULE, STEP, "instructor", world.instructor.id,
        lambda context: "env1:gammel", lambda context: "env1:gammel")
    expected = {EXCHANGE_SETTING: store.setting(learner, EXCHANGE_SETTING)}
    privacy.rekey(store, learner, world.protected_key,
                  privacy.new_key(learner, "skiftet i et andet vindue"))
    with pytest.raises(StoreError) as caught:
        store.add_message(message, if_settings=expected)
    assert caught.value.problem == "stale"
    assert store.messages(learner, COURSE, MODULE, STEP) == []


def test_opening_a_profile_publishes_a_missing_exchange_key(world: DialogueWorld) -> None:
    store, learner = world.store, world.protected
    store.rewrite_private_text(learner, lambda item: item.value, {EXCHANGE_SETTING: None})
    with pytest.raises(DialogueError) as caught:
        dialogue.reply(store, world.key, learner, COURSE, MODULE, STEP, REPLY_MARKER)
    assert caught.value.problem == "no_key"
    params = privacy.protection(store, learner)
    assert params is not None
    key = privacy.unlock_profile(store, params, learner, LEARNER_PASSPHRASE)
    assert store.setting(learner, EXCHANGE_SETTING) == key.exchange_public()
    dialogue.reply(store, world.key, learner, COURSE, MODULE, STEP, REPLY_MARKER)
    assert dialogue.for_learner(store, key, learner, COURSE, MODULE, STEP)[0].text == (
        REPLY_MARKER)


def test_a_second_instructor_reads_what_is_written_after_they_came(
    world: DialogueWorld,
) -> None:
    store, learner = world.store, world.open_profile
    dialogue.reply(store, world.key, learner, COURSE, MODULE, STEP, "før")
    later = add_instructor(store, "Vagn Vikar", "vikarens lange passphrase")
    later_key = unlock_instructor(store, later, "vikarens lange passphrase")
    dialogue.reply(store, later_key, learner, COURSE, MODULE, STEP, "efter")
    thread = dialogue.for_instructor(store, later_key, learner, COURSE, MODULE, STEP)
    assert [(m.instructor_name, m.text) for m in thread.messages] == [
        ("Ulla Underviser", ""), ("Vagn Vikar", "efter")]
    first = dialogue.for_instructor(store, world.key, learner, COURSE, MODULE, STEP)
    assert [m.text for m in first.messages] == ["før", "efter"]
    # Handed on by one who can read it; only dialogues on shared reflections.
    assert dialogue.share_with_newer_instructors(store, later_key) == 0  # cannot open "før"
    assert dialogue.share_with_newer_instructors(store, world.key) == 1
    assert dialogue.share_with_newer_instructors(store, world.key) == 0
    thread = dialogue.for_instructor(store, later_key, learner, COURSE, MODULE, STEP)
    assert [m.text for m in thread.messages] == ["før", "efter"]
    remove_instructor(store, later)
    dialogue.answer(store, None, learner, COURSE, MODULE, STEP, "til de tilbageværende")
    last = store.messages(learner, COURSE, MODULE, STEP)[-1]
    assert envelope.recipients(last.instructor_copy) == {world.instructor.id}


def _rules() -> LearnerMerge:
    def refuse(*args: object) -> object:
        raise AssertionError("not expected")

    def moved(item: PrivateText) -> str:
        return item.value

    return LearnerMerge(step_record=merged_record, reflection=refuse,  # type: ignore[arg-type]
                        moved_text=moved, draft=refuse)  # type: ignore[arg-type]


def test_a_merge_hands_the_dialogue_to_the_kept_profile(world: DialogueWorld) -> None:
    store = world.store
    keep = store.add_learner("Bo").id
    other = world.open_profile
    dialogue.reply(store, world.key, other, COURSE, MODULE, STEP, REPLY_MARKER)
    dialogue.answer(store, None, other, COURSE, MODULE, STEP, "mit svar")
    moved = store.merge_learners(keep, other, _rules(), "koordinator", "2026-12-01T10:00:00Z")
    assert moved["reflection_messages"] == 2
    assert [m.text for m in dialogue.for_learner(store, None, keep, COURSE, MODULE, STEP)] == [
        REPLY_MARKER, "mit svar"]
    thread = dialogue.for_instructor(store, world.key, keep, COURSE, MODULE, STEP)
    assert [m.text for m in thread.messages] == [REPLY_MARKER, "mit svar"]


def test_a_merge_asks_about_each_learner_copy(world: DialogueWorld) -> None:
    store = world.store
    keep = store.add_learner("Bo").id
    dialogue.reply(store, world.key, world.open_profile, COURSE, MODULE, STEP, REPLY_MARKER)
    asked: list[PrivateText] = []

    def moved(item: PrivateText) -> str:
        asked.append(item)
        if item.kind == "message":
            raise ValueError("refused")
        return item.value

    rules = LearnerMerge(step_record=merged_record, reflection=_rules().reflection,
                         moved_text=moved, draft=_rules().draft)
    with pytest.raises(ValueError, match="refused"):
        store.merge_learners(keep, world.open_profile, rules, "k", "2026-12-01T10:00:00Z")
    assert [i.value for i in asked if i.kind == "message"] == [REPLY_MARKER]
    assert len(store.messages(world.open_profile, COURSE, MODULE, STEP)) == 1  # nothing moved


def test_erasing_a_learner_erases_their_dialogue(world: DialogueWorld) -> None:
    store, learner = world.store, world.protected
    dialogue.reply(store, world.key, learner, COURSE, MODULE, STEP, REPLY_MARKER)
    store.erase_learner(learner)
    assert store.messages(learner, COURSE, MODULE, STEP) == []
    assert all(h.learner_id != learner for h in store.message_heads())


def test_an_empty_or_long_message_is_refused(world: DialogueWorld) -> None:
    for text, problem in (("  ", "empty"), ("x" * (dialogue.MESSAGE_MAX + 1), "too_long")):
        with pytest.raises(DialogueError) as caught:
            dialogue.reply(world.store, world.key, world.open_profile, COURSE, MODULE, STEP,
                           text)
        assert caught.value.problem == problem


def test_a_protected_profile_set_later_reseals_a_readable_dialogue(store: SQLStore) -> None:
    world = make_world(store)
    learner = world.open_profile
    dialogue.reply(store, world.key, learner, COURSE, MODULE, STEP, REPLY_MARKER)
    key = protect(store, learner, "nu med en passphrase")
    [stored] = store.messages(learner, COURSE, MODULE, STEP)
    assert REPLY_MARKER not in stored.learner_copy
    assert dialogue.for_learner(store, key, learner, COURSE, MODULE, STEP)[0].text == (
        REPLY_MARKER)


def test_the_store_counts_dialogues_without_text_and_marks_read_once(
    world: DialogueWorld,
) -> None:
    store, learner = world.store, world.open_profile
    first = dialogue.reply(store, world.key, learner, COURSE, MODULE, STEP, "et")
    second = dialogue.reply(store, world.key, learner, COURSE, MODULE, STEP, "to")
    assert first.created_at < second.created_at  # microseconds keep one second's order
    [head] = store.message_heads(learner)
    assert (head.messages, head.unread_from_instructor, head.unread_from_learner) == (2, 2, 0)
    assert head.last_at == second.created_at == head.last_instructor_at
    assert store.mark_messages_read([first.id, second.id], "2026-12-01T10:00:00+00:00") == 2
    assert store.mark_messages_read([first.id], "2026-12-02T10:00:00+00:00") == 0
    assert [m.read_at for m in store.messages(learner, COURSE, MODULE, STEP)] == [
        "2026-12-01T10:00:00+00:00"] * 2
    assert store.message_heads(learner)[0].unread_from_instructor == 0
