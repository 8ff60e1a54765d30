"""The written dialogue on a shared reflection: an instructor's reply, the trainee's answer.

End-to-end sealed. Every message is kept in two copies (:class:`ReflectionMessage`):

* the learner's copy, sealed (peerskole.envelope) to the profile's exchange key, which
  is derived from its passphrase key (:meth:`ProfileKey.exchange_key`); on a profile
  without a passphrase it is stored readable, like the profile's other text;
* the instructors' copy, sealed to the public key of every instructor standing when it
  was written.

So the database, its backups and coordinators hold ciphertext only (of a protected
profile); the trainee reads the dialogue with their passphrase, an instructor with
theirs. The core refuses an instructor any of it while the reflection is not shared
(withdrawn: hidden at once), and never hands out a reflection its trainee kept private.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from peerskole import envelope
from peerskole.instructors import InstructorKey
from peerskole.privacy import (
    EXCHANGE_SETTING,
    PrivacyError,
    ProfileKey,
    key_settings,
    open_message_copy,
    protection,
    publish_exchange_key,
    seal_message_copy,
)

if TYPE_CHECKING:
    from peerskole.store.base import MessageAuthor, ReflectionMessage, Store

__all__ = [
    "DialogueError",
    "DialogueMessage",
    "InstructorThread",
    "UnreadReplies",
    "answer",
    "for_instructor",
    "for_learner",
    "mark_replies_seen",
    "reply",
    "share_with_newer_instructors",
    "unread_replies",
]

MESSAGE_MAX: Final = 10_000
"""Longest message, in characters."""


class DialogueError(Exception):
    """A message could not be written or read; ``problem`` says why.

    The message is a sentence a person can act on; it never holds any text written.
    """

    def __init__(self, problem: str, message: str) -> None:
        super().__init__(message)
        self.problem = problem
        """"not_shared", "empty", "too_long", "no_key" (the learner has not opened their
        protected profile since replies came), "no_instructors" or "unreadable"."""


@dataclass(frozen=True)
class DialogueMessage:
    """One message as its reader sees it."""

    id: str
    author: MessageAuthor
    instructor_name: str | None
    """Who of the instructors wrote it; None for the trainee's."""
    created_at: str
    read_at: str | None
    """When the other party first read it."""
    text: str


@dataclass(frozen=True)
class InstructorThread:
    """A shared reflection and its dialogue, as an instructor reads it."""

    learner_id: str
    learner_name: str
    course_id: str
    module_id: str
    step_id: str
    reflection: str
    messages: tuple[DialogueMessage, ...]


@dataclass(frozen=True)
class UnreadReplies:
    """A reflection with instructors' messages its trainee has not read (the notice)."""

    course_id: str
    module_id: str
    step_id: str
    count: int


def _shared_text(
    store: Store, learner_id: str, course_id: str, module_id: str, step_id: str
) -> str:
    """The shared reflection's text, or DialogueError "not_shared" (private or withdrawn)."""
    found = store.reflection(learner_id, course_id, module_id, step_id)
    if found is None or not found.shared:
        raise DialogueError("not_shared", "This reflection is not shared with the instructors "
                            "(or no longer), so it and its dialogue are the trainee's alone.")
    return found.text


def _checked(text: str) -> str:
    if not text.strip():
        raise DialogueError("empty", "Write something first.")
    if len(text) > MESSAGE_MAX:
        raise DialogueError("too_long", f"A message has at most {MESSAGE_MAX} characters.")
    return text


def _instructor_recipients(store: Store) -> dict[str, str]:
    recipients = {i.id: i.public_key for i in store.instructors()}
    if not recipients:
        raise DialogueError("no_instructors", "There are no instructors to write to yet.")
    return recipients


def _new_message(
    learner_id: str, course_id: str, module_id: str, step_id: str, author: MessageAuthor,
    instructor_id: str | None, learner_copy: Callable[[bytes], str],
    instructor_copy: Callable[[bytes], str],
) -> ReflectionMessage:
    from peerskole.store.base import ReflectionMessage, now_precise

    message_id = uuid.uuid4().hex
    context = envelope.message_context(message_id, course_id, module_id, step_id)
    return ReflectionMessage(message_id, learner_id, course_id, module_id, step_id, author,
                             instructor_id, now_precise(), None, learner_copy(context),
                             instructor_copy(context))


def reply(
    store: Store, key: InstructorKey, learner_id: str, course_id: str, module_id: str,
    step_id: str, text: str,
) -> ReflectionMessage:
    """An instructor's reply to a shared reflection, sealed to the trainee and the instructors.

    Raises:
        DialogueError: "not_shared", "empty", "too_long", or "no_key" when the trainee's
            protected profile has not published its exchange key yet (they have not opened
            it since replies came to peerskole).
        StoreError: "stale" when the trainee's passphrase changed as it was written
            (write it again), or when the store cannot be written.
    """
    key.private_key()  # refused once signed out
    _shared_text(store, learner_id, course_id, module_id, step_id)
    _checked(text)
    params = protection(store, learner_id)
    if params is None:
        expected: dict[str, str | None] = key_settings(None)

        def learner_copy(context: bytes) -> str:
            return text  # a profile without a passphrase keeps its text readable
    else:
        public = store.setting(learner_id, EXCHANGE_SETTING)
        if public is None:
            raise DialogueError(
                "no_key", "The trainee's profile is protected by a passphrase and they have "
                "not opened it since instructors could reply, so a reply cannot yet be sealed "
                "to them. Try again after they have opened peerskole.")
        expected = {EXCHANGE_SETTING: public}

        def learner_copy(context: bytes) -> str:
            return envelope.seal(text, {envelope.LEARNER: public}, context)

    recipients = _instructor_recipients(store)
    message = _new_message(
        learner_id, course_id, module_id, step_id, "instructor", key.id, learner_copy,
        lambda context: envelope.seal(text, recipients, context))
    store.add_message(message, if_settings=expected)
    return message


def answer(
    store: Store, key: ProfileKey | None, learner_id: str, course_id: str, module_id: str,
    step_id: str, text: str,
) -> ReflectionMessage:
    """The trainee's answer in the dialogue on their shared reflection.

    Args:
        key: the trainee's open profile key; None for a profile without a passphrase.

    Raises:
        DialogueError: "not_shared", "empty", "too_long", "no_instructors".
        PrivacyError: "damaged" when the key is not this learner's, or None for a
            protected profile.
        StoreError: "stale" when the passphrase changed elsewhere meanwhile.
    """
    _check_learner_key(store, key, learner_id)
    _shared_text(store, learner_id, course_id, module_id, step_id)
    _checked(text)
    if key is not None:
        publish_exchange_key(store, key)
    recipients = _instructor_recipients(store)
    message = _new_message(
        learner_id, course_id, module_id, step_id, "learner", None,
        lambda context: seal_message_copy(key, text, context),
        lambda context: envelope.seal(text, recipients, context))
    store.add_message(message, if_settings=key_settings(key))
    return message


def for_instructor(
    store: Store, key: InstructorKey, learner_id: str, course_id: str, module_id: str,
    step_id: str, mark_read: bool = True,
) -> InstructorThread:
    """A shared reflection and its dialogue, opened with the instructor's key.

    A message sealed before this instructor was added is not sealed to them: its text
    is shown empty (see docs/security.md).

    Args:
        mark_read: mark the trainee's messages read by the instructors.

    Raises:
        DialogueError: "not_shared" when the trainee has not shared it (or withdrew it).
    """
    private = key.private_key()
    reflection = _shared_text(store, learner_id, course_id, module_id, step_id)
    names = {i.id: i.name for i in store.instructors(include_removed=True)}
    shown: list[DialogueMessage] = []
    for m in store.messages(learner_id, course_id, module_id, step_id):
        context = envelope.message_context(m.id, m.course_id, m.module_id, m.step_id)
        try:
            text = envelope.open_envelope(m.instructor_copy, key.id, private, context)
        except envelope.EnvelopeError:
            text = ""
        shown.append(DialogueMessage(m.id, m.author, names.get(m.instructor_id or ""),
                                     m.created_at, m.read_at, text))
    if mark_read:
        _mark_read(store, shown, "learner")
    learner = store.learner(learner_id)
    return InstructorThread(learner_id, learner.display_name, course_id, module_id, step_id,
                            reflection, tuple(shown))


def for_learner(
    store: Store, key: ProfileKey | None, learner_id: str, course_id: str, module_id: str,
    step_id: str, mark_read: bool = True,
) -> list[DialogueMessage]:
    """The dialogue on one of the trainee's reflections, opened with their key.

    Shown whether or not the reflection is shared now: it is the trainee's own.

    Args:
        mark_read: mark the instructors' messages read at once. A screen passes False and
            calls :func:`mark_replies_seen` once they have been on screen.

    Raises:
        PrivacyError: "damaged" when the key is not this learner's, is None for a
            protected profile, or cannot open a message.
    """
    _check_learner_key(store, key, learner_id)
    names = {i.id: i.name for i in store.instructors(include_removed=True)}
    shown = [
        DialogueMessage(
            m.id, m.author, names.get(m.instructor_id or ""), m.created_at, m.read_at,
            open_message_copy(key, m.learner_copy, envelope.message_context(
                m.id, m.course_id, m.module_id, m.step_id)))
        for m in store.messages(learner_id, course_id, module_id, step_id)
    ]
    if mark_read:
        _mark_read(store, shown, "instructor")
    return shown


def mark_replies_seen(store: Store, seen: list[DialogueMessage]) -> int:
    """Mark the instructors' messages among ``seen`` read by the trainee (those not read
    before): called once they have been shown to the trainee, not when merely read from
    the store.

    Returns:
        How many were marked.
    """
    unread = [m for m in seen if m.author == "instructor" and m.read_at is None]
    _mark_read(store, unread, "instructor")
    return len(unread)


def share_with_newer_instructors(store: Store, key: InstructorKey) -> int:
    """Seal the dialogues on shared reflections to instructors added since they were written.

    A message is sealed to the instructors standing when it is written; one added later
    (a substitute) reads the earlier ones once an instructor who can has signed in and
    handed them on with this. Only dialogues on reflections shared now are handed on.

    Returns:
        How many messages were sealed to more instructors.
    """
    from peerskole.instructors import inbox

    private = key.private_key()
    standing = {i.id: i.public_key for i in store.instructors()}
    copies: dict[str, str] = {}
    for item in inbox(store, key):
        for m in store.messages(item.learner_id, item.course_id, item.module_id, item.step_id):
            try:
                missing = {rid: public for rid, public in standing.items()
                           if rid not in envelope.recipients(m.instructor_copy)}
                if not missing or key.id not in envelope.recipients(m.instructor_copy):
                    continue
                context = envelope.message_context(m.id, m.course_id, m.module_id, m.step_id)
                copies[m.id] = envelope.add_recipients(m.instructor_copy, key.id, private,
                                                       context, missing)
            except envelope.EnvelopeError:
                continue  # a damaged copy stays as it is
    if copies:
        store.set_instructor_copies(copies)
    return len(copies)


def unread_replies(store: Store, learner_id: str) -> list[UnreadReplies]:
    """The trainee's reflections with instructors' messages they have not read: counts
    only (for the notice on the overview), no text."""
    return [UnreadReplies(h.course_id, h.module_id, h.step_id, h.unread_from_instructor)
            for h in store.message_heads(learner_id) if h.unread_from_instructor]


def _check_learner_key(store: Store, key: ProfileKey | None, learner_id: str) -> None:
    if key is not None:
        if key.learner_id != learner_id:
            raise PrivacyError("damaged", "That key belongs to another profile.")
        return
    if protection(store, learner_id) is not None:
        raise PrivacyError("damaged", "This profile is protected; open it with its "
                           "passphrase to read or write its dialogue.")


def _mark_read(store: Store, shown: list[DialogueMessage], author: MessageAuthor) -> None:
    from peerskole.store.base import now_precise

    unread = [m.id for m in shown if m.author == author and m.read_at is None]
    if unread:
        store.mark_messages_read(unread, now_precise())
