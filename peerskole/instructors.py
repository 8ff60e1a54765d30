"""The instructor role: made by a coordinator, signed in with its own passphrase.

An instructor reads the reflections trainees chose to share and answers them (see
peerskole.dialogue). Nothing here hands an instructor a reflection its trainee kept
private: the inbox is read through :meth:`Store.shared_reflections`, whose SQL
filters on ``shared``, and every function that returns text first asks for an
unlocked :class:`InstructorKey`.

Keys, in one place:

* The passphrase: Argon2id as for profiles (peerskole.privacy: salt, parameters and
  check value in the instructor's row, never the key); wrong tries are counted in the
  store and slowed alike (:data:`peerskole.privacy.FREE_TRIES`, then waits doubling).
* An X25519 key pair, made at random when the instructor is added: the public half is
  in the store for every learner's app to seal to; the private half is sealed under
  the passphrase's key (AES-256-GCM, bound to the instructor's id). Removing an
  instructor deletes that sealed half, so the passphrase opens nothing any more.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from peerskole.privacy import new_role_keys, open_role_keys

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from peerskole.store.base import Instructor, Store

__all__ = [
    "InboxItem",
    "InstructorError",
    "InstructorKey",
    "add_instructor",
    "find_instructor",
    "inbox",
    "remove_instructor",
    "unlock_instructor",
]

NAME_MAX: Final = 80
"""Longest instructor name, in characters."""


class InstructorError(Exception):
    """An instructor could not be made, found or used; the message says what to do.

    ``problem`` ("name", "exists", "not_found", "removed") lets a front end translate it.
    """

    def __init__(self, problem: str, message: str) -> None:
        super().__init__(message)
        self.problem = problem


class InstructorKey:
    """An instructor signed in: their private key, in memory only while they work.

    Args:
        instructor: who.
        private_key: their X25519 private key, opened with their passphrase.
    """

    def __init__(self, instructor: Instructor, private_key: X25519PrivateKey) -> None:
        self.instructor = instructor
        self._private: X25519PrivateKey | None = private_key

    def __repr__(self) -> str:
        return f"InstructorKey(instructor={self.instructor.id!r})"  # never the key itself

    @property
    def id(self) -> str:
        """The instructor's id: the recipient id of the instructors' copies."""
        return self.instructor.id

    def private_key(self) -> X25519PrivateKey:
        """The private key, while signed in.

        Raises:
            RuntimeError: once :meth:`forget` dropped it.
        """
        if self._private is None:
            raise RuntimeError("the key of an instructor who signed out was used")
        return self._private

    def forget(self) -> None:
        """Drop the key (signing out)."""
        self._private = None


@dataclass(frozen=True)
class InboxItem:
    """A reflection a trainee shared, as an instructor's inbox lists it."""

    learner_id: str
    learner_name: str
    cohort: str | None
    course_id: str
    module_id: str
    step_id: str
    text: str
    """The shared reflection (shared text is stored readable; see docs/security.md)."""
    updated_at: str
    messages: int
    """How many messages its dialogue holds."""
    unread: bool
    """New to the instructors: written or changed since an instructor last wrote in its
    dialogue (or never answered), or the trainee answered and no instructor has read it."""


def _key_data(instructor_id: str) -> bytes:
    return f'["peerskole/instructor/1", "{instructor_id}"]'.encode()


def add_instructor(store: Store, name: str, passphrase: str) -> Instructor:
    """Make an instructor with a passphrase of their own.

    Slow on purpose (Argon2id).

    Raises:
        InstructorError: for an empty, too long or already used name.
        PrivacyError: for a passphrase too short or too long.
        StoreError: when the store cannot be written.
    """
    from peerskole.safe_text import forbidden_character
    from peerskole.store.base import Instructor, now

    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise InstructorError("name", f"An instructor's name has 1 to {NAME_MAX} characters.")
    bad = forbidden_character(name)
    if bad:
        raise InstructorError("name", f"An instructor's name cannot hold the character {bad}.")
    if any(i.name.casefold() == name.casefold() for i in store.instructors()):
        raise InstructorError("exists", f'There is an instructor named "{name}" already; choose '
                              "another name (e.g. with a surname).")
    instructor_id = uuid.uuid4().hex[:12]
    keys = new_role_keys(passphrase, _key_data(instructor_id))
    instructor = Instructor(instructor_id, name, keys.kdf, keys.public_key, keys.sealed_private_key,
                            now())
    store.add_instructor(instructor)
    return instructor


def find_instructor(store: Store, who: str) -> Instructor:
    """The instructor (not removed) with this id or name (case does not matter).

    Raises:
        InstructorError: when there is none.
    """
    for instructor in store.instructors():
        if who == instructor.id or who.strip().casefold() == instructor.name.casefold():
            return instructor
    raise InstructorError("not_found", f'There is no instructor "{who}". List them with: '
                          "peerskole instructor list")


def unlock_instructor(
    store: Store, instructor: Instructor, passphrase: str,
    clock: Callable[[], float] | None = None,
) -> InstructorKey:
    """Sign an instructor in, with guessing slowed for everyone as for profiles.

    Raises:
        PrivacyError: "wait" (nothing tried), "wrong_passphrase" (``wait`` says how long
            before the next try), "damaged" (the stored key cannot be opened).
        InstructorError: when the instructor was removed.
        StoreError: when the store cannot be read or written.
    """
    current = store.instructor(instructor.id)
    if current.removed_at is not None or not current.sealed_private_key:
        raise InstructorError("removed", f'The instructor "{current.name}" was removed and can '
                              "no longer sign in.")
    private = open_role_keys(
        current.kdf, current.sealed_private_key, passphrase, _key_data(current.id),
        start_try=lambda at, delay: store.start_instructor_try(current.id, at, delay),
        clear_tries=lambda: store.clear_instructor_tries(current.id),
        at=int((clock or time.time)()), who="this instructor")
    return InstructorKey(current, private)


def remove_instructor(store: Store, instructor: Instructor) -> Instructor:
    """Remove an instructor: they can no longer sign in, and their sealed key is gone.

    Messages they wrote keep their name. New messages are not sealed to them.
    """
    from peerskole.store.base import now

    return store.remove_instructor(instructor.id, now())


def inbox(store: Store, key: InstructorKey, cohort: str | None = None) -> list[InboxItem]:
    """The reflections trainees shared (of a cohort), newest first, unread marked.

    A reflection whose sharing was withdrawn is not in it: the store reads shared ones
    only, in SQL, at the moment of asking.

    Args:
        store: the store.
        key: the signed-in instructor (asked for so no one reads it signed out).
        cohort: only this cohort's trainees; None for all.
    """
    key.private_key()  # refused once signed out
    heads = {(h.learner_id, h.course_id, h.module_id, h.step_id): h
             for h in store.message_heads()}
    items: list[InboxItem] = []
    for learner, shared in store.shared_reflections(cohort):
        head = heads.get((learner.id, shared.course_id, shared.module_id, shared.step_id))
        if head is None:
            unread = True
        else:
            answered = head.last_instructor_at is not None and (
                head.last_instructor_at >= shared.updated_at)
            unread = not answered or head.unread_from_learner > 0
        items.append(InboxItem(learner.id, learner.display_name, learner.cohort,
                               shared.course_id, shared.module_id, shared.step_id,
                               shared.text, shared.updated_at,
                               head.messages if head else 0, unread))
    return items
