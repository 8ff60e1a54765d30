"""Praktik hours with sign-off: the trainee logs praktik, a named supervisor approves it.

The supervisor is a role like the instructor's (peerskole.instructors): made by a
coordinator, signed in with a passphrase of their own (Argon2id; wrong tries counted in
the store and slowed as for profiles), with an X25519 key pair whose private half is
sealed under that passphrase.

What each may read, in one place (docs/security.md says the same):

* Date, hours, place and the trainee's name are records, readable by the supervisor
  asked and by coordinators (no export shows the text).
* "What I did" is private as all practice text is: the trainee's own copy is sealed
  under the profile's passphrase when it has one (peerskole.privacy, the place is the
  entry). The supervisor reads it only if the trainee ticked "show it to my supervisor"
  when asking: then a second copy is sealed to that supervisor's public key alone
  (peerskole.envelope). Coordinators, exports and other supervisors never get it.
* Decisions are only ever added (asked, approved, returned with a comment, revoked with
  a reason; who and when); the latest counts. An approval is never edited: the entry
  cannot be changed while approved, and a second decision on it can only be a
  revocation with a reason (:func:`decide`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from peerskole import envelope
from peerskole.privacy import (
    ProfileKey,
    TextPlace,
    conceal,
    key_settings,
    new_role_keys,
    open_role_keys,
    reveal,
)
from peerskole.progress import PraktikState, latest_decisions, praktik_state

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from peerskole.store.base import PraktikDecision, PraktikEntry, Store, Supervisor

__all__ = [
    "LearnerPraktik",
    "PraktikError",
    "SupervisorError",
    "SupervisorItem",
    "SupervisorKey",
    "add_supervisor",
    "allowed_decisions",
    "change_praktik",
    "changeable",
    "decide",
    "find_supervisor",
    "learner_praktik",
    "log_praktik",
    "parse_hours",
    "supervisor_queue",
    "unlock_supervisor",
]

NAME_MAX: Final = 80
"""Longest supervisor name, in characters."""
PLACE_MAX: Final = 200
"""Longest praktik place, in characters."""
WHAT_MAX: Final = 10_000
"""Longest "what I did", in characters."""
NOTE_MAX: Final = 2_000
"""Longest comment or reason of a supervisor, in characters."""
MAX_MINUTES: Final = 24 * 60
"""Most minutes one entry (one day) can hold."""
WHAT_FIELD: Final = "what"
"""The field name of the "what I did" text where it is sealed (privacy.TextPlace)."""

Decision = Literal["approved", "returned", "revoked"]
"""What a supervisor decides on an entry (the trainee's asking again is "asked")."""


class SupervisorError(Exception):
    """A supervisor could not be made, found or used; the message says what to do.

    ``problem`` ("name", "exists", "not_found", "removed") lets a front end translate it.
    """

    def __init__(self, problem: str, message: str) -> None:
        super().__init__(message)
        self.problem = problem


PraktikProblem = Literal[
    "date", "minutes", "day_full", "place", "what", "supervisor", "note", "approved",
    "not_waiting",
    "not_approved", "not_yours", "stale", "not_found",
]


class PraktikError(Exception):
    """A praktik entry or decision was refused; the message is a sentence to act on.

    It never holds the "what I did" text. ``problem`` lets a front end translate it.
    """

    def __init__(self, problem: PraktikProblem, message: str) -> None:
        super().__init__(message)
        self.problem: PraktikProblem = problem


class SupervisorKey:
    """A supervisor signed in: their private key, in memory only while they work."""

    def __init__(self, supervisor: Supervisor, private_key: X25519PrivateKey) -> None:
        self.supervisor = supervisor
        self._private: X25519PrivateKey | None = private_key

    def __repr__(self) -> str:
        return f"SupervisorKey(supervisor={self.supervisor.id!r})"  # never the key itself

    @property
    def id(self) -> str:
        """The supervisor's id."""
        return self.supervisor.id

    def private_key(self) -> X25519PrivateKey:
        """The private key, while signed in.

        Raises:
            RuntimeError: once :meth:`forget` dropped it.
        """
        if self._private is None:
            raise RuntimeError("the key of a supervisor who signed out was used")
        return self._private

    def forget(self) -> None:
        """Drop the key (signing out)."""
        self._private = None


# --- supervisors ------------------------------------------------------------------------


def _key_data(supervisor_id: str) -> bytes:
    return f'["peerskole/supervisor/1", "{supervisor_id}"]'.encode()


def add_supervisor(store: Store, name: str, passphrase: str) -> Supervisor:
    """Make a supervisor with a passphrase of their own (slow on purpose: Argon2id).

    Raises:
        SupervisorError: for an empty, too long or already used name.
        PrivacyError: for a passphrase too short or too long.
        StoreError: when the store cannot be written.
    """
    from peerskole.safe_text import forbidden_character
    from peerskole.store.base import Supervisor, now

    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise SupervisorError("name", f"A supervisor's name has 1 to {NAME_MAX} characters.")
    bad = forbidden_character(name)
    if bad:
        raise SupervisorError("name", f"A supervisor's name cannot hold the character {bad}.")
    if any(s.name.casefold() == name.casefold() for s in store.supervisors()):
        raise SupervisorError("exists", f'There is a supervisor named "{name}" already; choose '
                              "another name (e.g. with the workplace).")
    supervisor_id = uuid.uuid4().hex[:12]
    keys = new_role_keys(passphrase, _key_data(supervisor_id))
    supervisor = Supervisor(supervisor_id, name, keys.kdf, keys.public_key, keys.sealed_private_key,
                            now())
    store.add_supervisor(supervisor)
    return supervisor


def find_supervisor(store: Store, who: str) -> Supervisor:
    """The supervisor (not removed) with this id or name (case does not matter).

    Raises:
        SupervisorError: when there is none.
    """
    for supervisor in store.supervisors():
        if who == supervisor.id or who.strip().casefold() == supervisor.name.casefold():
            return supervisor
    raise SupervisorError("not_found", f'There is no supervisor "{who}". List them with: '
                          "peerskole supervisor list")


def unlock_supervisor(
    store: Store, supervisor: Supervisor, passphrase: str,
    clock: Callable[[], float] | None = None,
) -> SupervisorKey:
    """Sign a supervisor in, with guessing slowed for everyone as for profiles.

    Raises:
        PrivacyError: "wait", "wrong_passphrase" (``wait`` says how long before the next
            try) or "damaged".
        SupervisorError: when the supervisor was removed.
        StoreError: when the store cannot be read or written.
    """
    current = store.supervisor(supervisor.id)
    if current.removed_at is not None or not current.sealed_private_key:
        raise SupervisorError("removed", f'The supervisor "{current.name}" was removed and can '
                              "no longer sign in.")
    private = open_role_keys(
        current.kdf, current.sealed_private_key, passphrase, _key_data(current.id),
        start_try=lambda at, delay: store.start_supervisor_try(current.id, at, delay),
        clear_tries=lambda: store.clear_supervisor_tries(current.id),
        at=int((clock or time.time)()), who="this supervisor")
    return SupervisorKey(current, private)


# --- the trainee's praktik log ------------------------------------------------------------


def parse_hours(text: str) -> int:
    """Minutes of hours as a trainee types them: "3", "3,5", "3.25" or "2:30".

    Raises:
        PraktikError: "minutes" when it is not a number of hours from a minute to 24 hours.
    """
    typed = text.strip()
    problem = PraktikError("minutes", "Give the hours as a number, e.g. 3 or 3,5 or 2:30 "
                           "(at most 24).")
    clock = re.fullmatch(r"(\d{1,2}):([0-5]\d)", typed)
    if clock:
        minutes = int(clock[1]) * 60 + int(clock[2])
    elif re.fullmatch(r"\d{1,2}([.,]\d{1,2})?", typed):
        minutes = round(float(typed.replace(",", ".")) * 60)
    else:
        raise problem
    if not 0 < minutes <= MAX_MINUTES:
        raise problem
    return minutes


def _place(learner_id: str, course_id: str, entry_id: str) -> TextPlace:
    return TextPlace(learner_id, course_id, "", entry_id, "praktik", WHAT_FIELD)


def _context(entry_id: str, course_id: str) -> bytes:
    """What the supervisor's copy is bound to: the entry (not the profile, which a merge
    changes)."""
    return json.dumps(["peerskole/praktik/1", entry_id, course_id],
                      ensure_ascii=True).encode("ascii")


def _checked(done_on: str, minutes: int, place: str, what: str, today: dt.date) -> str:
    from peerskole.safe_text import forbidden_character

    try:
        day = dt.date.fromisoformat(done_on)
    except ValueError:
        raise PraktikError("date", "Give the date as YYYY-MM-DD, e.g. 2026-10-05.") from None
    if day > today:
        raise PraktikError("date", "Praktik is logged once it has happened: the date is in "
                           "the future.")
    if not 0 < minutes <= MAX_MINUTES:
        raise PraktikError("minutes", "Give the hours as a number, e.g. 3 or 3,5 or 2:30 "
                           "(at most 24).")
    place = place.strip()
    if not place or len(place) > PLACE_MAX or forbidden_character(place):
        raise PraktikError("place", f"Say where in 1 to {PLACE_MAX} characters (no control "
                           "characters).")
    if not what.strip() or len(what) > WHAT_MAX:
        raise PraktikError("what", f"Say what you did, in 1 to {WHAT_MAX} characters.")
    return place


def _check_day(store: Store, learner_id: str, course_id: str, done_on: str, minutes: int,
               leaving_out: str | None = None) -> None:
    """Refuse praktik that would make one day's logged hours more than a day has.

    Counts the learner's entries on that day in the course that are waiting or approved
    (a returned or revoked one is corrected or stands for nothing), but the one changed.
    """
    decisions = latest_decisions(store.praktik_decisions(learner_id=learner_id))
    logged = sum(
        e.minutes for e in store.praktik_entries(learner_id=learner_id, course_id=course_id)
        if e.done_on == done_on and e.id != leaving_out
        and praktik_state(decisions.get(e.id)) in ("waiting", "approved"))
    if logged + minutes > MAX_MINUTES:
        hours = f"{logged / 60:g}".replace(".", ",")
        raise PraktikError("day_full", f"{done_on} already has {hours} h of praktik logged; "
                           "a day has at most 24 h. Check the date and the hours.")


def _supervisor_copy(
    store: Store, supervisor_id: str, entry_id: str, course_id: str, what: str, show: bool
) -> str | None:
    from peerskole.store.base import StoreError

    try:
        supervisor = store.supervisor(supervisor_id)
    except StoreError as error:
        if error.problem == "not_found":
            raise PraktikError("supervisor", "Choose a supervisor from the list.") from None
        raise
    if supervisor.removed_at is not None:
        raise PraktikError("supervisor", f'The supervisor "{supervisor.name}" was removed; '
                           "choose another.")
    if not show:
        return None
    return envelope.seal(what, {supervisor.id: supervisor.public_key},
                         _context(entry_id, course_id))


def log_praktik(
    store: Store, learner_id: str, key: ProfileKey | None, course_id: str, *,
    done_on: str, minutes: int, place: str, what: str, supervisor_id: str,
    show_text: bool, today: dt.date | None = None,
) -> PraktikEntry:
    """Log praktik and ask a supervisor to approve it.

    Args:
        key: the profile's key (None: it has no passphrase, and the text is stored as
            practice text is then).
        show_text: the trainee chose to show "what I did" to the supervisor.
        today: the date now (the date logged cannot be later).

    Raises:
        PraktikError: for a bad date, hours, place, text or supervisor.
        StoreError: when the store cannot be written ("stale": the passphrase changed).
    """
    from peerskole.store.base import PraktikEntry, now

    place = _checked(done_on, minutes, place, what, today or dt.date.today())
    _check_day(store, learner_id, course_id, done_on, minutes)
    entry_id = uuid.uuid4().hex
    copy = _supervisor_copy(store, supervisor_id, entry_id, course_id, what, show_text)
    stamp = now()
    entry = PraktikEntry(entry_id, learner_id, course_id, done_on, minutes, place,
                         conceal(key, what, _place(learner_id, course_id, entry_id)),
                         supervisor_id, copy, stamp, stamp)
    store.add_praktik_entry(entry, if_settings=key_settings(key))
    return entry


def _latest_id(store: Store, entry_id: str) -> int | None:
    latest = latest_decisions(store.praktik_decisions(entry_id=entry_id)).get(entry_id)
    return latest.id if latest else None


def changeable(state: PraktikState) -> bool:
    """Whether the trainee may change an entry in this state: any but an approved one (an
    approval is never edited; it can be revoked, then the entry corrected)."""
    return state != "approved"


def allowed_decisions(state: PraktikState) -> tuple[Decision, ...]:
    """What a supervisor may decide on an entry in this state: approve or return a waiting
    one, revoke an approved one; nothing on one that went back to the trainee."""
    if state == "waiting":
        return ("approved", "returned")
    if state == "approved":
        return ("revoked",)
    return ()


def _entry(store: Store, entry_id: str, **owner: str) -> tuple[PraktikEntry,
                                                               PraktikDecision | None]:
    found = [e for e in store.praktik_entries(**owner) if e.id == entry_id]
    if not found:
        raise PraktikError("not_found", "There is no such praktik entry (any more).")
    latest = latest_decisions(store.praktik_decisions(entry_id=entry_id)).get(entry_id)
    return found[0], latest


def change_praktik(
    store: Store, learner_id: str, key: ProfileKey | None, entry_id: str, *,
    done_on: str, minutes: int, place: str, what: str, supervisor_id: str,
    show_text: bool, today: dt.date | None = None,
) -> PraktikDecision:
    """Change a waiting, returned or revoked entry and ask for approval again.

    Raises:
        PraktikError: "approved" for an approved entry (an approval is never edited: the
            supervisor can revoke it with a reason, then it can be changed); "stale" when
            it was decided on meanwhile; as :func:`log_praktik` for bad values.
    """
    from peerskole.store.base import PraktikDecision, PraktikEntry, StoreError, now

    entry, latest = _entry(store, entry_id, learner_id=learner_id)
    if not changeable(praktik_state(latest)):
        raise PraktikError("approved", "This praktik is approved, and an approval cannot be "
                           "changed. If something in it is wrong, ask your supervisor to "
                           "revoke the approval with a reason; then you can correct it.")
    place = _checked(done_on, minutes, place, what, today or dt.date.today())
    _check_day(store, learner_id, entry.course_id, done_on, minutes, leaving_out=entry_id)
    copy = _supervisor_copy(store, supervisor_id, entry_id, entry.course_id, what, show_text)
    stamp = now()
    changed = PraktikEntry(entry.id, learner_id, entry.course_id, done_on, minutes, place,
                           conceal(key, what, _place(learner_id, entry.course_id, entry_id)),
                           supervisor_id, copy, entry.created_at, stamp)
    try:
        return store.change_praktik_entry(
            changed, PraktikDecision(entry_id, "asked", "", "learner", stamp),
            if_latest=latest.id if latest else None, if_settings=key_settings(key))
    except StoreError as error:
        # "stale" is either a decision made meanwhile or the passphrase changed elsewhere
        # (which the caller handles as for any private text): told apart by looking again.
        if error.problem == "stale" and _latest_id(store, entry_id) != (
                latest.id if latest else None):
            raise PraktikError("stale", "Your supervisor decided on this entry meanwhile; "
                               "nothing was changed. Look at it again.") from error
        raise


@dataclass(frozen=True)
class LearnerPraktik:
    """A praktik entry as its trainee sees it."""

    id: str
    course_id: str
    done_on: str
    minutes: int
    place: str
    what: str
    """The "what I did" text, opened with the profile's key."""
    supervisor_id: str
    supervisor_name: str
    shown: bool
    """Whether the trainee showed the text to the supervisor."""
    state: PraktikState
    note: str
    """The supervisor's comment (returned) or reason (revoked); "" otherwise."""
    decided_at: str | None
    """When the latest decision was made (None: never decided)."""


def learner_praktik(
    store: Store, learner_id: str, key: ProfileKey | None, course_id: str
) -> list[LearnerPraktik]:
    """The trainee's praktik entries in a course, by date, each with where it stands.

    Raises:
        PrivacyError: "damaged" when a text cannot be opened with this key.
    """
    names = {s.id: s.name for s in store.supervisors(include_removed=True)}
    latest = latest_decisions(store.praktik_decisions(learner_id=learner_id))
    found = []
    for e in store.praktik_entries(learner_id=learner_id, course_id=course_id):
        last = latest.get(e.id)
        state = praktik_state(last)
        found.append(LearnerPraktik(
            e.id, e.course_id, e.done_on, e.minutes, e.place,
            reveal(key, e.what, _place(learner_id, e.course_id, e.id)),
            e.supervisor_id, names.get(e.supervisor_id, "?"), e.supervisor_copy is not None,
            state, last.note if last is not None and state in ("returned", "revoked") else "",
            last.decided_at if last is not None and last.decision != "asked" else None))
    return found


# --- the supervisor's side ---------------------------------------------------------------


@dataclass(frozen=True)
class SupervisorItem:
    """A praktik entry as the supervisor asked sees it."""

    entry_id: str
    learner_id: str
    learner_name: str
    course_id: str
    done_on: str
    minutes: int
    place: str
    what: str | None
    """The "what I did" text, when its trainee chose to show it; None when they did not."""
    state: PraktikState
    note: str
    latest_id: int | None
    """The latest decision's id (None: none yet)."""


def supervisor_queue(
    store: Store, key: SupervisorKey, *, waiting_only: bool = False
) -> list[SupervisorItem]:
    """The entries that asked this supervisor: the waiting ones first, then the rest, each
    by date.

    Raises:
        RuntimeError: once the supervisor signed out.
    """
    private = key.private_key()
    names = {learner.id: learner.display_name for learner in store.learners()}
    latest = latest_decisions(store.praktik_decisions(supervisor_id=key.id))
    items = []
    for e in store.praktik_entries(supervisor_id=key.id):
        last = latest.get(e.id)
        state = praktik_state(last)
        if waiting_only and state != "waiting":
            continue
        text = None
        if e.supervisor_copy is not None:
            try:
                text = envelope.open_envelope(e.supervisor_copy, key.id, private,
                                              _context(e.id, e.course_id))
            except envelope.EnvelopeError:
                text = None  # damaged: shown as not shown, never as someone else's text
        items.append(SupervisorItem(
            e.id, e.learner_id, names.get(e.learner_id, "?"), e.course_id, e.done_on,
            e.minutes, e.place, text, state,
            last.note if last is not None and state in ("returned", "revoked") else "",
            last.id if last is not None else None))
    items.sort(key=lambda i: (i.state != "waiting", i.done_on, i.entry_id))
    return items


def decide(
    store: Store, key: SupervisorKey, entry_id: str,
    decision: Decision, note: str = "",
) -> PraktikDecision:
    """Approve a waiting entry, return it with a comment, or revoke an approval with a
    reason. The decision is added to the entry's history (who, when); nothing is edited.

    Raises:
        PraktikError: "not_yours" (another supervisor was asked), "approved" (approved
            already: only a revocation may follow), "not_waiting" (returned or revoked:
            the trainee changes it and asks again first), "not_approved" (a revocation of
            what is not approved), "note" (a return or revocation without a comment, or
            too long), "stale" (decided in another window meanwhile).
    """
    from peerskole.store.base import PraktikDecision, StoreError, now

    key.private_key()  # refused once signed out
    found = [e for e in store.praktik_entries(supervisor_id=key.id) if e.id == entry_id]
    if not found:
        raise PraktikError("not_yours", "This praktik entry did not ask you to approve it.")
    latest = latest_decisions(store.praktik_decisions(entry_id=entry_id)).get(entry_id)
    state = praktik_state(latest)
    if decision not in allowed_decisions(state):
        if decision == "revoked":
            raise PraktikError("not_approved", "Only an approval can be revoked, and this "
                               "entry is not approved.")
        if state == "approved":
            raise PraktikError("approved", "This praktik is approved already, and an "
                               "approval cannot be changed; revoke it with a reason if it "
                               "was wrong.")
        raise PraktikError("not_waiting", "This entry went back to the trainee; it waits "
                           "for them to change it and ask again.")
    note = note.strip()
    if decision in ("returned", "revoked") and not note:
        raise PraktikError("note", "Say why, so the trainee knows what to do.")
    if len(note) > NOTE_MAX:
        raise PraktikError("note", f"A comment has at most {NOTE_MAX} characters.")
    try:
        return store.add_praktik_decision(
            PraktikDecision(entry_id, decision, note if decision != "approved" else "",
                            key.id, now()),
            if_latest=latest.id if latest else None)
    except StoreError as error:
        if error.problem == "stale":
            raise PraktikError("stale", "This entry was decided on meanwhile (in another "
                               "window); look at it again.") from error
        raise
