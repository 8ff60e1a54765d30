"""Instructors: made, found, signed in (guessing slowed), removed; the inbox; and proof that
no public function of the core hands an instructor text a trainee has not shared.

Both backends (tests/core/conftest.py's ``store``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import Any

import pytest

from peerskole import dialogue, instructors, privacy
from peerskole.dialogue import DialogueError
from peerskole.instructors import (
    InstructorError,
    add_instructor,
    find_instructor,
    inbox,
    remove_instructor,
    unlock_instructor,
)
from peerskole.privacy import FREE_TRIES, PrivacyError
from peerskole.store.base import StoreError
from peerskole.store.sql import SQLStore
from tests.core.dialogue_world import (
    COURSE,
    INSTRUCTOR_PASSPHRASE,
    MODULE,
    PRIVATE_MARKER,
    SHARED_TEXT,
    STEP,
    DialogueWorld,
    make_world,
)


@pytest.fixture
def world(store: SQLStore) -> DialogueWorld:
    return make_world(store)


def test_an_instructor_is_kept_without_a_readable_secret(store: SQLStore) -> None:
    made = add_instructor(store, "Ulla Underviser", INSTRUCTOR_PASSPHRASE)
    assert store.instructors() == [made]
    assert find_instructor(store, "ulla underviser") == made == find_instructor(store, made.id)
    assert INSTRUCTOR_PASSPHRASE not in repr(made)
    params = privacy.KdfParams.from_setting(made.kdf)
    assert params.memory_kib >= privacy.ARGON2_MEMORY_KIB  # Argon2id as for profiles
    key = unlock_instructor(store, made, INSTRUCTOR_PASSPHRASE)
    assert key.private_key().public_key().public_bytes_raw() == (
        privacy._unb64(made.public_key))
    assert "private" not in repr(key).lower()


def test_names_are_checked(store: SQLStore) -> None:
    add_instructor(store, "Ulla", INSTRUCTOR_PASSPHRASE)
    for name in ("ULLA", "", "x" * 81, "Ulla\x1b[2J"):
        with pytest.raises(InstructorError):
            add_instructor(store, name, INSTRUCTOR_PASSPHRASE)
    with pytest.raises(PrivacyError) as caught:
        add_instructor(store, "Vagn", "kort")
    assert caught.value.problem == "too_short"
    with pytest.raises(InstructorError):
        find_instructor(store, "Nobody")


def test_wrong_passphrases_are_slowed_for_everyone(backend: Any, store: SQLStore) -> None:
    made = add_instructor(store, "Ulla", INSTRUCTOR_PASSPHRASE)
    clock = [1_000_000.0]
    for n in range(FREE_TRIES):
        with pytest.raises(PrivacyError) as caught:
            unlock_instructor(store, made, f"forkert passphrase {n}", clock=lambda: clock[0])
        assert caught.value.problem == "wrong_passphrase"
    assert caught.value.wait == privacy.FIRST_WAIT_SECONDS
    other = backend.open()  # another process: it waits too, even with the right one
    with pytest.raises(PrivacyError) as caught:
        unlock_instructor(other, made, INSTRUCTOR_PASSPHRASE, clock=lambda: clock[0] + 1)
    assert caught.value.problem == "wait" and caught.value.wait == privacy.FIRST_WAIT_SECONDS - 1
    other.close()
    clock[0] += privacy.FIRST_WAIT_SECONDS
    unlock_instructor(store, made, INSTRUCTOR_PASSPHRASE, clock=lambda: clock[0])
    # The right one reset the count.
    with pytest.raises(PrivacyError) as caught:
        unlock_instructor(store, made, "forkert igen", clock=lambda: clock[0])
    assert caught.value.wait == 0


def test_a_removed_instructor_cannot_sign_in(store: SQLStore) -> None:
    made = add_instructor(store, "Ulla", INSTRUCTOR_PASSPHRASE)
    removed = remove_instructor(store, made)
    assert removed.removed_at and removed.sealed_private_key == ""
    assert store.instructors() == [] and store.instructors(include_removed=True) == [removed]
    with pytest.raises(InstructorError):
        unlock_instructor(store, made, INSTRUCTOR_PASSPHRASE)
    with pytest.raises(StoreError):
        remove_instructor(store, made)


def test_the_inbox_lists_shared_reflections_newest_first(world: DialogueWorld) -> None:
    store = world.store
    late = store.add_learner("Cai", "hold-2").id
    store.save_reflection(late, COURSE, MODULE, STEP, "Cais delte tekst", True)
    with store._write() as db:  # known times, the newest last written
        for who, at in ((world.protected, "2026-11-01T10:00:00+00:00"),
                        (world.open_profile, "2026-11-02T10:00:00+00:00"),
                        (late, "2026-11-03T10:00:00+00:00")):
            db.execute("UPDATE reflections SET updated_at = ? WHERE learner_id = ?", (at, who))
    items = inbox(store, world.key)
    assert [i.learner_id for i in items] == [late, world.open_profile, world.protected]
    assert all(i.unread for i in items)
    assert [i.text for i in items[1:]] == [SHARED_TEXT, SHARED_TEXT]
    assert [i.learner_id for i in inbox(store, world.key, cohort="HOLD-2")] == [late]
    dialogue.reply(store, world.key, late, COURSE, MODULE, STEP, "Tak!")
    assert [i.unread for i in inbox(store, world.key)] == [False, True, True]
    assert PRIVATE_MARKER not in repr(items)


def test_the_inbox_is_refused_after_signing_out(world: DialogueWorld) -> None:
    world.key.forget()
    with pytest.raises(RuntimeError):
        inbox(world.store, world.key)


# --- privacy: what an instructor can reach through the core ---------------------------

Call = Callable[[DialogueWorld, str, str], object]
"""One public function of the core, called as an instructor can call it: with their key
(or, where a learner's key is asked for, none: an instructor has none), on a learner and
a step."""

CALLS: dict[str, Call] = {
    "instructors.add_instructor": lambda w, learner, step: add_instructor(
        w.store, "Ny underviser", INSTRUCTOR_PASSPHRASE),
    "instructors.find_instructor": lambda w, learner, step: find_instructor(
        w.store, w.instructor.id),
    "instructors.unlock_instructor": lambda w, learner, step: unlock_instructor(
        w.store, w.instructor, INSTRUCTOR_PASSPHRASE),
    "instructors.remove_instructor": lambda w, learner, step: remove_instructor(
        w.store, add_instructor(w.store, f"Væk {step}", INSTRUCTOR_PASSPHRASE)),
    "instructors.inbox": lambda w, learner, step: instructors.inbox(w.store, w.key),
    "dialogue.reply": lambda w, learner, step: dialogue.reply(
        w.store, w.key, learner, COURSE, MODULE, step, "svar"),
    "dialogue.answer": lambda w, learner, step: dialogue.answer(
        w.store, None, learner, COURSE, MODULE, step, "svar"),
    "dialogue.for_instructor": lambda w, learner, step: dialogue.for_instructor(
        w.store, w.key, learner, COURSE, MODULE, step),
    "dialogue.for_learner": lambda w, learner, step: dialogue.for_learner(
        w.store, None, learner, COURSE, MODULE, step),
    "dialogue.unread_replies": lambda w, learner, step: dialogue.unread_replies(
        w.store, learner),
    "dialogue.mark_replies_seen": lambda w, learner, step: dialogue.mark_replies_seen(
        w.store, dialogue.for_learner(w.store, None, learner, COURSE, MODULE, step,
                                      mark_read=False)),
    "dialogue.share_with_newer_instructors": lambda w, learner, step: (
        dialogue.share_with_newer_instructors(w.store, w.key)),
}


def _public_functions() -> set[str]:
    return {
        f"{module.__name__.split('.')[-1]}.{name}"
        for module in (instructors, dialogue)
        for name, value in vars(module).items()
        if inspect.isfunction(value) and value.__module__ == module.__name__
        and not name.startswith("_")
    }


def _texts(value: object) -> list[str]:
    """Every string in what a function returned, however deep."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [t for item in value for t in _texts(item)]
    if isinstance(value, dict):
        return [t for pair in value.items() for t in _texts(pair)]
    if is_dataclass(value) and not isinstance(value, type):
        return [t for f in fields(value) for t in _texts(getattr(value, f.name))]
    return [repr(value)]


def test_every_public_function_of_the_core_is_checked() -> None:
    assert _public_functions() == set(CALLS)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_an_instructor_cannot_reach_private_text(world: DialogueWorld, name: str) -> None:
    """Through no public function of instructors or dialogue, on either profile, does an
    instructor get a reflection its trainee keeps private, nor its dialogue once the
    trainee withdrew the share (a protected profile's; one without a passphrase has no
    secret that tells its trainee from anyone at the keyboard, docs/security.md)."""
    store = world.store
    # A dialogue on a share later withdrawn, on the protected profile.
    withdrawn_marker = "Det her trak jeg tilbage fra underviseren"
    store.save_reflection(world.protected, COURSE, MODULE, "withdrawn", "delt et øjeblik", True,
                          if_settings=privacy.key_settings(world.protected_key))
    dialogue.answer(store, world.protected_key, world.protected, COURSE, MODULE, "withdrawn",
                    withdrawn_marker)
    place = privacy.TextPlace(world.protected, COURSE, MODULE, "withdrawn", "reflection")
    store.save_reflection(world.protected, COURSE, MODULE, "withdrawn",
                          world.protected_key.seal("delt et øjeblik", place), False,
                          if_settings=privacy.key_settings(world.protected_key))
    targets = [(world.protected, "private-step"), (world.open_profile, "private-step"),
               (world.protected, "withdrawn"), (world.protected, STEP),
               (world.open_profile, STEP)]
    for learner, step in targets:
        try:
            result = CALLS[name](world, learner, step)
        except (DialogueError, PrivacyError, InstructorError) as error:
            result = str(error)
        for text in _texts(result):
            assert PRIVATE_MARKER not in text, (name, learner, step)
            assert withdrawn_marker not in text, (name, learner, step)


def test_a_role_key_opened_for_someone_else_is_damaged_and_says_what_to_do() -> None:
    """The private key is bound to whom it was made for: opened as another's, it does not
    open (and a right passphrase still counts as one: the tries are cleared)."""
    from peerskole.privacy import PrivacyError, new_role_keys, open_role_keys

    keys = new_role_keys("en lang nok kode", b'["peerskole/instructor/1", "a"]')
    cleared: list[bool] = []

    def opened(key_data: bytes) -> object:
        return open_role_keys(keys.kdf, keys.sealed_private_key, "en lang nok kode", key_data,
                              start_try=lambda at, delay: (0, 0),
                              clear_tries=lambda: cleared.append(True), at=0,
                              who="this instructor")

    assert opened(b'["peerskole/instructor/1", "a"]') is not None
    with pytest.raises(PrivacyError) as refused:
        opened(b'["peerskole/instructor/1", "b"]')
    assert refused.value.problem == "damaged"
    assert "remove this instructor and add them again" in str(refused.value)
    assert cleared == [True, True]
