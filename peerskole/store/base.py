"""The store interface every backend implements, and the records it holds."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final, Literal, NamedTuple, NoReturn, Protocol

from peerskole.safe_text import forbidden_character, visible

NO_FACTS: Final[Mapping[str, Any]] = MappingProxyType({})
"""The facts of a step record made without any (read-only, so safely shared)."""


class StepRecord(NamedTuple):
    """What is known of one learner's work on one step.

    A named tuple rather than a frozen dataclass (immutable all the same): an
    export reads one per learner and step, and a tuple is made ten times faster.
    Change one with ``record._replace(completed_at=...)``.

    ``facts`` holds what completion needs, per kind:
    reading ``{"read": True}`` (its end reached, or the trainee moved on from it);
    quiz ``{"score": 75.0, "attempts": 2}`` (percent of
    questions fully right in the best attempt); scenario ``{"turns_answered": 3, "ended": True}``
    (``ended``: the trainee's path through the turns reached its end, which makes the
    step done; records written before scenarios could branch have only
    ``turns_answered``, which still counts for a linear scenario);
    reflection ``{"words": 120}``; self_assessment ``{"before": [..], "after": [..]}``;
    practice ``{"entries": 2}``. A step with a content note may also hold
    ``{"content_note_started": True}`` (:data:`peerskole.progress.CONTENT_NOTE_STARTED`),
    which no done test reads.
    """

    module_id: str
    step_id: str
    course_version: str = ""
    facts: Mapping[str, Any] = NO_FACTS
    started_at: str | None = None
    """ISO 8601 time of the first visit."""
    completed_at: str | None = None
    """ISO 8601 time the step first counted as done."""
    seconds: int = 0
    """Active time on the step, idle time left out."""
    updated_at: str | None = None
    """ISO 8601 time the app last wrote to the record (time on task, an answer, a rating,
    a reflection or practice-log entry saved): the learner's last activity on the step
    (see :func:`peerskole.progress.last_activity`). None in a record made in memory."""



StoreProblem = Literal[
    "locked", "full", "readonly", "corrupt", "unavailable", "not_found", "stale"
]
"""What went wrong; "stale" is a write refused because a setting it depends on changed
meanwhile (a profile's passphrase changed in another window)."""

DATABASE_NAME: Final = "peerskole.sqlite3"
"""File name of the embedded database in the data directory."""


class StoreError(Exception):
    """The store could not do what was asked; ``problem`` says what kind of trouble.

    The message is a sentence a person can act on; the UI may translate it by
    ``problem``.
    """

    def __init__(self, problem: StoreProblem, message: str) -> None:
        super().__init__(message)
        self.problem: StoreProblem = problem


NAME_MAX: Final = 80
"""Longest learner name, in characters (the app's name field holds no more)."""
COHORT_MAX: Final = 40
"""Longest cohort code, in characters."""


def cohort_code(code: str | None) -> str | None:
    """A cohort code as stored and compared: without case and surrounding space.

    ``HOLD-2026`` and ``hold-2026 `` are one cohort (they were two). None or empty: none.
    """
    code = (code or "").strip().lower()
    return code or None


def same_name(one: str, other: str) -> bool:
    """Whether two learner names are one name, as the store's users compare them.

    Case, surrounding space and the way a letter such as "å" is composed do not count:
    "Åse Hansen" and "åse hansen " are one name. ``peerskole learner add`` asks before
    adding a second learner of one name to a cohort; ``peerskole serve`` signs in by it.
    """
    def key(name: str) -> str:
        return unicodedata.normalize("NFC", name.strip()).casefold()

    return key(one) == key(other)


def control_character(text: str) -> str | None:
    """The first character a name or cohort may not hold, as "U+001B"; None if clean.

    See :mod:`peerskole.safe_text`: controls (an ESC can drive a terminal), line
    breaks, and bidirectional overrides (they can disguise a name).
    """
    return forbidden_character(text)


def visible_name(text: str) -> str:
    """A name as it may be drawn on a terminal: each forbidden character becomes "\ufffd".

    For names that reached the store before they were checked (or another way).
    """
    return visible(text)


def now() -> str:
    """The current time as ISO 8601 in UTC, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def now_precise() -> str:
    """The current time as ISO 8601 in UTC, to the microsecond (orders a dialogue's messages)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Learner:
    """A trainee's profile."""

    id: str
    display_name: str
    cohort: str | None
    created_at: str


@dataclass(frozen=True)
class ReflectionText:
    """A reflection's private text and whether the learner shared it."""

    text: str
    shared: bool
    updated_at: str


@dataclass(frozen=True)
class PracticeEntry:
    """One entry in a practice log."""

    id: int
    values: Mapping[str, str]
    created_at: str


@dataclass(frozen=True)
class PrivateText:
    """One private text of a learner as the store holds it (readable or sealed).

    Handed to :meth:`Store.rewrite_private_text` when a passphrase is set,
    changed or removed (see peerskole.privacy).
    """

    course_id: str
    module_id: str
    step_id: str
    kind: Literal["reflection", "practice", "message", "praktik"]
    """A reflection, a practice-log value, the learner's copy of a message of a
    reflection's dialogue (:class:`ReflectionMessage`), or the "what I did" text of a
    praktik entry (:class:`PraktikEntry`: module_id empty, step_id the entry's id)."""
    field: str
    """The practice-log field id; the message id for a message; "what" for praktik;
    empty for a reflection."""
    shared: bool
    """Whether it is a reflection its learner shared (always False for practice)."""
    value: str


@dataclass(frozen=True)
class ManualCompletion:
    """A module completion a coordinator recorded for work done outside the app."""

    learner_id: str
    course_id: str
    module_id: str
    completed_on: str
    """ISO date the module was completed, e.g. "2026-03-01"."""
    note: str
    """Why it was recorded by hand, e.g. "Gennemført på papir på holdet"."""
    recorded_by: str
    """Who recorded it (the coordinator's user name)."""
    recorded_at: str
    """ISO 8601 time it was recorded."""
    id: int = field(default=0, compare=False)
    """The store's number for it, which ``records revoke`` takes (0 before it is stored;
    not compared: two records of the same completion are equal)."""
    revoked_at: str | None = None
    """ISO 8601 time it was revoked; a revoked completion counts for nothing."""
    revoked_by: str | None = None
    """Who revoked it."""
    revoke_note: str | None = None
    """Why it was revoked, e.g. "Forkert modul"."""


@dataclass(frozen=True)
class InstalledCourse:
    """One version of a course as installed in the store (``peerskole course install``)."""

    course_id: str
    version: str
    """The ``version`` in its course.toml; one version is installed once."""
    title: str
    """The course title in that version."""
    content_hash: str
    """SHA-256 of its files (paths and text), so an unchanged reinstall is told apart."""
    installed_at: str
    """ISO 8601 time it was installed."""
    installed_by: str
    """Who installed it (the user name)."""


CertificateKind = Literal["certificate", "participation"]
"""A course certificate (the course completed), or a statement of participation (part of it)."""


@dataclass(frozen=True)
class IssuedCertificate:
    """A certificate or statement of participation as issued, kept so its id can be verified.

    States what the paper states (the name and the course title as printed), so a
    verification answers for the document even after a rename; erased with its learner.
    """

    id: str
    """The certificate id printed on it (a UUID)."""
    learner_id: str
    learner_name: str
    """The name as printed on it (its latest issue)."""
    course_id: str
    course_title: str
    course_version: str
    kind: CertificateKind
    completed_at: str
    """When the course was completed (a statement: the last module it lists), as stored."""
    organisation: str
    """The issuing organisation printed on it."""
    issued_at: str
    """ISO 8601 time it was first issued; issuing it again keeps this."""
    issued_by: str
    """Who issued it (the coordinator's user name)."""
    revoked_at: str | None = None
    """ISO 8601 time it was revoked; a revoked certificate no longer verifies."""
    revoked_by: str | None = None
    """Who revoked it."""
    revoke_note: str | None = None
    """Why it was revoked."""


@dataclass(frozen=True)
class LearnerChange:
    """A change a coordinator made to a profile: renamed, moved, or another merged into it."""

    learner_id: str
    change: Literal["rename", "move", "merge"]
    from_value: str
    """What it was: the old name; the old cohort ("" for none); the merged profile's id."""
    to_value: str
    """What it became: the new name; the new cohort ("" for none); the kept profile's id."""
    detail: str
    """For a merge, what the merged profile was (its name and cohort) and what it held."""
    changed_by: str
    """Who made the change (the coordinator's user name)."""
    changed_at: str
    """ISO 8601 time of the change."""
    id: int = field(default=0, compare=False)
    """The store's number for it (0 before it is stored)."""


@dataclass(frozen=True)
class StoredReflection:
    """A reflection as a merge of two profiles meets it: where it is, and its text."""

    course_id: str
    module_id: str
    step_id: str
    reflection: ReflectionText


@dataclass(frozen=True)
class LearnerMerge:
    """How :meth:`Store.merge_learners` combines what two profiles both hold.

    The rules are the caller's (the completion rule lives in peerskole.progress, above
    the store); an exception from any of them changes nothing.
    """

    step_record: Callable[[StepRecord, StepRecord], StepRecord]
    """The kept profile's record of a step and the other's → the record to keep."""
    reflection: Callable[[StoredReflection, StoredReflection], ReflectionText]
    """Both profiles wrote a reflection on one step (the kept one's first) → the one to
    keep; raise to refuse the merge."""
    moved_text: Callable[[PrivateText], str]
    """Each private text of the other profile (as stored) → what to store under the
    kept profile; raise to refuse the merge (a sealed text is bound to its profile)."""
    draft: Callable[[str, str, str], NoReturn]
    """Both profiles have an unsaved practice-log entry on one step (course, module,
    step): raises, refusing the merge (nothing decides between two drafts)."""
    unmoved_settings: frozenset[str] = frozenset()
    """Learner settings never carried over to the kept profile (a passphrase's salt
    and check value belong to the profile they were made for)."""
    if_settings: Mapping[str, Mapping[str, str | None]] = field(default_factory=dict)
    """Learner id → settings that must hold those values as the merge happens (as
    ``if_settings`` of :meth:`Store.save_reflection`), else StoreError "stale"."""


@dataclass(frozen=True)
class SharedReflection:
    """A reflection its learner chose to share ("Del denne refleksion med min underviser")."""

    course_id: str
    module_id: str
    step_id: str
    text: str
    updated_at: str


@dataclass(frozen=True)
class Instructor:
    """An instructor: a role that reads what trainees shared and answers it.

    Kept in the store, so every machine on a shared database knows the same ones. Holds
    no readable secret: the private key is sealed under the instructor's passphrase
    (see peerskole.instructors).
    """

    id: str
    name: str
    kdf: str
    """The passphrase's salt, Argon2id parameters and check value (privacy.KdfParams JSON)."""
    public_key: str
    """The X25519 public key messages are sealed to (base64)."""
    sealed_private_key: str
    """The X25519 private key, sealed under the passphrase's key; empty once removed."""
    created_at: str
    removed_at: str | None = None
    """ISO 8601 time the instructor was removed; a removed one can no longer sign in."""


MessageAuthor = Literal["learner", "instructor"]
"""Who wrote a message of a reflection's dialogue."""


@dataclass(frozen=True)
class ReflectionMessage:
    """One message of the written dialogue on a shared reflection, as the store holds it.

    The text is in two sealed copies (see peerskole.dialogue): one only the learner can
    open, one only the instructors can; the store sees neither's text.
    """

    id: str
    learner_id: str
    course_id: str
    module_id: str
    step_id: str
    author: MessageAuthor
    instructor_id: str | None
    """The instructor who wrote it; None for the learner's."""
    created_at: str
    """ISO 8601 to the microsecond, so two messages of one second keep their order."""
    read_at: str | None
    """When the other party first read it; None while unread."""
    learner_copy: str
    """The text for the learner: sealed to the profile's exchange key, or readable on a
    profile without a passphrase (like its other text)."""
    instructor_copy: str
    """The text sealed to the instructors' keys."""


@dataclass(frozen=True)
class MessageHead:
    """What a reflection's dialogue holds, without its text: for an inbox and a notice."""

    learner_id: str
    course_id: str
    module_id: str
    step_id: str
    messages: int
    last_at: str
    """When the latest message was written."""
    last_instructor_at: str | None
    """When an instructor last wrote in it; None if none has."""
    unread_from_learner: int
    """The learner's messages no instructor has read yet."""
    unread_from_instructor: int
    """Instructors' messages the learner has not read yet."""


@dataclass(frozen=True)
class LearnerProgress:
    """One learner and what an export needs of them, per course id.

    Holds no private text: ``shared_reflections`` is empty unless the export asked
    for shared reflections, and never holds a reflection its learner kept private.
    """

    learner: Learner
    records: Mapping[str, list[StepRecord]]
    """Course id → the learner's step records in that course."""
    manual: Mapping[str, list[ManualCompletion]]
    """Course id → completions coordinators recorded, oldest first."""
    shared_reflections: Mapping[str, list[SharedReflection]]
    """Course id → reflections the learner shared."""


@dataclass(frozen=True)
class Position:
    """Where a learner was last in a course."""

    module_id: str
    step_id: str
    phase: str = ""
    """Free-form detail the UI needs to resume exactly (e.g. "after")."""


@dataclass
class StepUpdate:
    """A change to one step record; fields left as None are kept."""

    facts: Mapping[str, Any] | None = None
    """Replaces the non-private facts completion is decided from."""
    state: Mapping[str, Any] | None = None
    """Replaces the UI state needed to resume (chosen answers and the like)."""
    add_seconds: int = 0
    """Active seconds to add to the time on task."""
    done: bool = False
    """True when the step now counts as done; the first time sets completed_at."""
    at: str | None = None
    """When it happened (ISO 8601 UTC), as the app showed it: a first visit's
    started_at, a first completion's completed_at. None: the store's own clock."""


AttendanceStatus = Literal["present", "late", "left_early", "absent", "excused"]
"""How a learner attended a classroom session."""

ATTENDANCE_STATUSES: Final[tuple[AttendanceStatus, ...]] = (
    "present", "late", "left_early", "absent", "excused")
"""Every attendance status, in the order the register offers them."""


@dataclass(frozen=True)
class ClassSession:
    """A classroom session planned for a cohort (``peerskole session add``)."""

    cohort: str
    """The cohort's code, as :func:`cohort_code` writes it."""
    course_id: str
    """The course the session belongs to."""
    held_on: str
    """ISO date of the session, e.g. "2026-09-01"."""
    starts_at: str
    """Local start time as HH:MM, e.g. "09:00"."""
    minutes: int
    """How long the session is planned to last."""
    title: str
    """What the session is about, e.g. "Aktiv lytning"."""
    place: str
    """Where it is held ("" when not stated)."""
    created_by: str
    """Who planned it."""
    created_at: str
    """ISO 8601 time it was planned."""
    id: int = field(default=0, compare=False)
    """The store's number for it (0 before it is stored)."""
    cancelled_at: str | None = None
    """ISO 8601 time it was cancelled; a cancelled session counts for nothing."""
    cancelled_by: str | None = None
    """Who cancelled it."""
    cancel_reason: str | None = None
    """Why it was cancelled."""


@dataclass(frozen=True)
class AttendanceMark:
    """One entry in a session's register. Entries are only added: a learner's latest
    entry for a session counts, and the earlier ones stay as its history."""

    session_id: int
    learner_id: str
    status: AttendanceStatus
    minutes_missed: int
    """For late or left early: the minutes missed of the session (0 otherwise)."""
    recorded_by: str
    """Who recorded it."""
    recorded_at: str
    """ISO 8601 time it was recorded."""
    id: int = field(default=0, compare=False)
    """The store's number for it (0 before it is stored); later entries have higher ones."""


@dataclass(frozen=True)
class Supervisor:
    """A praktik supervisor: a role that approves or returns the trainees' praktik hours.

    Made as an instructor is (peerskole.praktik): its own passphrase, an X25519 key pair
    whose private half is sealed under it. Kept in the store, so every machine on a
    shared database knows the same ones.
    """

    id: str
    name: str
    kdf: str
    """The passphrase's salt, Argon2id parameters and check value (privacy.KdfParams JSON)."""
    public_key: str
    """The X25519 public key a trainee seals the text they chose to show to (base64)."""
    sealed_private_key: str
    """The X25519 private key, sealed under the passphrase's key; empty once removed."""
    created_at: str
    removed_at: str | None = None
    """ISO 8601 time the supervisor was removed; a removed one can no longer sign in."""


PraktikDecisionKind = Literal["asked", "approved", "returned", "revoked"]
"""What happened to a praktik entry: the trainee asked (again) for approval, the
supervisor approved it, returned it with a comment, or revoked an approval."""

PRAKTIK_DECISIONS: Final[tuple[PraktikDecisionKind, ...]] = (
    "asked", "approved", "returned", "revoked")
"""Every kind of praktik decision."""


@dataclass(frozen=True)
class PraktikEntry:
    """Praktik a trainee logged: where, when, how long, and (private) what they did."""

    id: str
    learner_id: str
    course_id: str
    done_on: str
    """ISO date of the praktik, e.g. "2026-10-05"."""
    minutes: int
    """How long, in minutes (the trainee gives hours)."""
    place: str
    """Where (the workplace), as the trainee wrote it."""
    what: str
    """What they did: the learner's copy, as stored (sealed under the profile's
    passphrase when it has one, as practice text is)."""
    supervisor_id: str
    """The supervisor asked to approve it."""
    supervisor_copy: str | None
    """The "what I did" text sealed to the supervisor's key (peerskole.envelope), when
    the trainee chose to show it to them; None when they did not."""
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class PraktikDecision:
    """One entry in a praktik entry's history. Only ever added: the latest counts."""

    entry_id: str
    decision: PraktikDecisionKind
    note: str
    """The supervisor's comment (returned) or reason (revoked); "" otherwise."""
    decided_by: str
    """The supervisor's id; "learner" for the trainee asking."""
    decided_at: str
    """ISO 8601 time."""
    id: int = field(default=0, compare=False)
    """The store's number for it (0 before it is stored); later entries have higher ones."""


class ApprovedPraktikEntry(NamedTuple):
    """A praktik entry whose latest decision is an approval: what a record may state of
    it (never its place or text)."""

    learner_id: str
    entry_id: str
    done_on: str
    """ISO date of the praktik."""
    minutes: int
    approved_at: str
    """When the approval that counts was recorded (ISO 8601)."""


class Store(Protocol):
    """What the app and the exports need from a backend."""

    @property
    def where(self) -> str:
        """Where the data lives, for messages: a file, or a server and database."""
        ...

    def close(self) -> None: ...

    @property
    def notices(self) -> Sequence[str]:
        """What the person running peerskole should know about where the data lives,
        as sentences (a database file other users can read); usually none."""
        ...

    def schema_version(self) -> int:
        """How many of the store's migrations the database has had."""
        ...

    # Learners
    def add_learner(self, display_name: str, cohort: str | None = None) -> Learner: ...
    def learners(self, cohort: str | None = None) -> list[Learner]: ...
    def learner(self, learner_id: str) -> Learner: ...
    def cohorts(self) -> list[tuple[str, int]]: ...
    def erase_learner(self, learner_id: str) -> None: ...
    def count_learners(self, cohort: str | None = None) -> int: ...
    def learner_data_counts(self, learner_id: str) -> dict[str, int]: ...
    def rename_learner(
        self, learner_id: str, display_name: str, changed_by: str, changed_at: str
    ) -> Learner:
        """Give a learner another name, keeping the change (see :meth:`learner_changes`).

        Raises:
            StoreError: "not_found" when there is no such learner.
        """
        ...
    def move_learner(
        self, learner_id: str, cohort: str | None, changed_by: str, changed_at: str
    ) -> Learner:
        """Put a learner in another cohort (None: in none), keeping the change.

        Raises:
            StoreError: "not_found" when there is no such learner.
        """
        ...
    def merge_learners(
        self, keep_id: str, other_id: str, rules: LearnerMerge, changed_by: str,
        changed_at: str,
    ) -> dict[str, int]:
        """In one transaction: hand everything of ``other_id`` to ``keep_id``, combining
        what both hold by ``rules``, keep the change, and delete ``other_id``.

        Returns:
            How many of the other's rows were moved or combined, by table
            ("step_records_combined" and "reflections_combined" too).

        Raises:
            StoreError: "not_found" when either learner is missing, "stale" when
                ``rules.if_settings`` no longer hold.
        """
        ...
    def learner_changes(self, learner_id: str) -> list[LearnerChange]:
        """The changes made to a learner's profile, oldest first."""
        ...

    # Exports: every learner, a page at a time, so memory stays flat
    def learner_progress(
        self,
        course_ids: Sequence[str],
        cohort: str | None = None,
        *,
        include_shared_reflections: bool = False,
        page_size: int = 500,
    ) -> Iterator[LearnerProgress]: ...

    # Progress
    def step_records(self, learner_id: str, course_id: str) -> list[StepRecord]: ...
    def step_state(
        self, learner_id: str, course_id: str, module_id: str, step_id: str
    ) -> dict[str, Any]: ...
    def update_step(
        self,
        learner_id: str,
        course_id: str,
        course_version: str,
        module_id: str,
        step_id: str,
        update: StepUpdate,
    ) -> StepRecord: ...
    def set_position(self, learner_id: str, course_id: str, position: Position) -> None: ...
    def position(self, learner_id: str, course_id: str) -> Position | None: ...

    # Private text
    def save_reflection(
        self, learner_id: str, course_id: str, module_id: str, step_id: str,
        text: str, shared: bool, *, if_settings: Mapping[str, str | None] | None = None,
    ) -> None:
        """Keep a reflection's text (readable or sealed) and whether it is shared.

        With ``if_settings``, only if each of those learner settings holds that value
        (None: is absent) as the write happens, in the same transaction; otherwise
        StoreError "stale" and nothing is written. Un-sharing removes what the backend
        can of the readable text it had (as :meth:`rewrite_private_text` does).
        """
        ...
    def reflection(
        self, learner_id: str, course_id: str, module_id: str, step_id: str
    ) -> ReflectionText | None: ...
    def add_practice_entry(
        self, learner_id: str, course_id: str, module_id: str, step_id: str,
        values: Mapping[str, str], *, from_draft: bool = False,
        if_settings: Mapping[str, str | None] | None = None,
    ) -> PracticeEntry:
        """Add an entry to a practice log; ``from_draft`` also deletes the step's draft,
        in the same transaction (the entry is what the draft became); ``if_settings``
        as for :meth:`save_reflection`."""
        ...
    def practice_entries(
        self, learner_id: str, course_id: str, module_id: str, step_id: str
    ) -> list[PracticeEntry]: ...
    def save_practice_draft(
        self, learner_id: str, course_id: str, module_id: str, step_id: str,
        values: Mapping[str, str], *, if_settings: Mapping[str, str | None] | None = None,
    ) -> None:
        """Keep the entry a learner is writing on a practice step (field id → value as
        stored, sealed or readable), replacing the one kept before; no values delete it.
        ``if_settings`` as for :meth:`save_reflection`."""
        ...
    def practice_draft(
        self, learner_id: str, course_id: str, module_id: str, step_id: str
    ) -> dict[str, str] | None:
        """The entry being written on a practice step, as stored; None when there is none."""
        ...

    def rewrite_private_text(
        self,
        learner_id: str,
        rewrite: Callable[[PrivateText], str],
        settings: Mapping[str, str | None],
        *,
        if_settings: Mapping[str, str | None] | None = None,
    ) -> int:
        """In one transaction: store rewrite(text) in place of each of the learner's
        reflections, practice-log values, practice-log drafts' values and learner's copies
        of dialogue messages (kind "message"), and set the
        learner's settings (None deletes one). An exception from rewrite changes
        nothing; ``if_settings`` as for :meth:`save_reflection`.

        The backend should leave no copy of the old text behind that it can help
        (SQLite: secure_delete and a truncating WAL checkpoint). Returns how many
        texts were rewritten.
        """
        ...

    # Wrong passphrase tries, shared by every window (see SQLStore.start_passphrase_try)
    def start_passphrase_try(
        self, learner_id: str, at: int, delay: Callable[[int], int]
    ) -> tuple[int, int]: ...
    def clear_passphrase_tries(self, learner_id: str) -> None: ...

    # Completions recorded by a coordinator (all in one transaction)
    def add_manual_completions(self, completions: Sequence[ManualCompletion]) -> None: ...
    def manual_completions(self, learner_id: str, course_id: str) -> list[ManualCompletion]:
        """The completions coordinators recorded that stand (not revoked), in recorded order."""
        ...
    def recorded_completions(
        self, learner_id: str | None = None, course_id: str | None = None
    ) -> list[ManualCompletion]:
        """Every recorded completion, revoked ones too, for listing (filters optional)."""
        ...
    def revoke_manual_completion(
        self, completion_id: int, revoked_by: str, revoked_at: str, note: str
    ) -> ManualCompletion:
        """Revoke a recorded completion, keeping who, when and why; returns it revoked.

        Raises:
            StoreError: "not_found" when there is no such completion standing.
        """
        ...

    # Certificates issued, so their ids can be verified and revoked
    def record_certificate(self, certificate: IssuedCertificate) -> IssuedCertificate:
        """Keep a certificate as issued, and return it as kept.

        The same completion gives the same id: issued again, it keeps ``issued_at`` and
        ``issued_by`` of its first issue and takes the name, course title and organisation
        printed now; a revoked one is returned unchanged.
        """
        ...
    def issued_certificate(self, certificate_id: str) -> IssuedCertificate | None:
        """The certificate issued under this id, revoked or not; None when there is none."""
        ...
    def revoke_certificate(
        self, certificate_id: str, revoked_by: str, revoked_at: str, note: str
    ) -> IssuedCertificate:
        """Revoke an issued certificate, keeping who, when and why; returns it revoked.

        Raises:
            StoreError: "not_found" when there is no such certificate standing.
        """
        ...

    # The course library (every file of every installed version of a course)
    def install_course(
        self, course: InstalledCourse, files: Mapping[str, str]
    ) -> tuple[InstalledCourse, bool]:
        """Keep a version of a course and its files (path in the folder → text).

        Returns:
            The version as stored, and whether it was added now: a version installed
            before is kept as it was (compare ``content_hash`` to tell a change).
        """
        ...
    def installed_courses(self, course_id: str | None = None) -> list[InstalledCourse]:
        """Every installed version (of one course), per course oldest first."""
        ...
    def course_files(self, course_id: str, version: str) -> dict[str, str]:
        """The files of an installed version (path → text); empty when not installed."""
        ...
    def remove_course(self, course_id: str) -> int:
        """Remove every installed version of a course; returns how many there were."""
        ...
    def learners_with_records(self, course_id: str) -> int:
        """How many learners have step records or recorded completions in a course."""
        ...

    # Instructors and the dialogue on shared reflections (peerskole.instructors, .dialogue)
    def add_instructor(self, instructor: Instructor) -> None:
        """Keep a new instructor."""
        ...
    def instructors(self, include_removed: bool = False) -> list[Instructor]:
        """The instructors in name order; removed ones only if asked for."""
        ...
    def instructor(self, instructor_id: str) -> Instructor:
        """One instructor, removed or not.

        Raises:
            StoreError: "not_found" when there is no such instructor.
        """
        ...
    def remove_instructor(self, instructor_id: str, removed_at: str) -> Instructor:
        """Mark an instructor removed and drop their sealed private key; returns it removed.

        Raises:
            StoreError: "not_found" when there is no such instructor standing.
        """
        ...
    def start_instructor_try(
        self, instructor_id: str, at: int, delay: Callable[[int], int]
    ) -> tuple[int, int]:
        """As :meth:`start_passphrase_try`, for an instructor's passphrase."""
        ...
    def clear_instructor_tries(self, instructor_id: str) -> None: ...
    def shared_reflections(
        self, cohort: str | None = None
    ) -> list[tuple[Learner, SharedReflection]]:
        """Every reflection its learner shared (of a cohort), newest first.

        The filter on ``shared`` is in SQL: a private text never leaves the store.
        """
        ...
    def add_message(
        self, message: ReflectionMessage, *, if_settings: Mapping[str, str | None] | None = None
    ) -> None:
        """Keep a message of a reflection's dialogue; ``if_settings`` (the learner's) as for
        :meth:`save_reflection`, so a copy sealed to a key the learner no longer has is
        refused ("stale")."""
        ...
    def messages(
        self, learner_id: str, course_id: str, module_id: str, step_id: str
    ) -> list[ReflectionMessage]:
        """The dialogue on one reflection, oldest first."""
        ...
    def message_heads(self, learner_id: str | None = None) -> list[MessageHead]:
        """Each dialogue (of one learner, or all), counted: no text."""
        ...
    def set_instructor_copies(self, copies: Mapping[str, str]) -> None:
        """Replace the instructors' copy of messages (message id → copy), in one
        transaction: the same text sealed to more instructors."""
        ...
    def mark_messages_read(self, message_ids: Sequence[str], read_at: str) -> int:
        """Mark messages read (those not read before); returns how many were marked."""
        ...

    # Classroom sessions and their register
    def add_class_sessions(self, sessions: Sequence[ClassSession]) -> list[ClassSession]:
        """Plan sessions, all in one transaction; returns them with their ids."""
        ...
    def class_sessions(
        self, cohort: str | None = None, course_id: str | None = None
    ) -> list[ClassSession]:
        """Sessions (of a cohort, of a course), cancelled ones too, by date and time."""
        ...
    def class_session(self, session_id: int) -> ClassSession:
        """One session. Raises StoreError "not_found" when there is none."""
        ...
    def cancel_class_session(
        self, session_id: int, cancelled_by: str, reason: str, cancelled_at: str
    ) -> ClassSession:
        """Cancel a session (once). Raises StoreError "not_found"."""
        ...
    def record_attendance(self, marks: Sequence[AttendanceMark]) -> None:
        """Add register entries, all in one transaction."""
        ...
    def attendance(
        self, cohort: str | None = None, course_id: str | None = None
    ) -> list[AttendanceMark]:
        """The entry that counts (the latest) for each learner and session."""
        ...
    def attendance_history(self, session_id: int) -> list[AttendanceMark]:
        """Every entry of a session's register, oldest first."""
        ...
    def marked_counts(
        self, cohort: str | None = None, course_id: str | None = None
    ) -> dict[int, int]:
        """For each session (of a cohort, of a course) with entries: how many learners
        now in the session's cohort have an entry in its register."""
        ...

    # Praktik supervisors and praktik hours (peerskole.praktik)
    def add_supervisor(self, supervisor: Supervisor) -> None:
        """Keep a new supervisor."""
        ...
    def supervisors(self, include_removed: bool = False) -> list[Supervisor]:
        """The supervisors in name order; removed ones only if asked for."""
        ...
    def supervisor(self, supervisor_id: str) -> Supervisor:
        """One supervisor, removed or not. Raises StoreError "not_found"."""
        ...
    def start_supervisor_try(
        self, supervisor_id: str, at: int, delay: Callable[[int], int]
    ) -> tuple[int, int]:
        """As :meth:`start_passphrase_try`, for a supervisor's passphrase."""
        ...
    def clear_supervisor_tries(self, supervisor_id: str) -> None: ...
    def add_praktik_entry(
        self, entry: PraktikEntry, *, if_settings: Mapping[str, str | None] | None = None
    ) -> None:
        """Keep a new praktik entry (``if_settings`` as for :meth:`save_reflection`)."""
        ...
    def change_praktik_entry(
        self, entry: PraktikEntry, asked: PraktikDecision, *, if_latest: int | None,
        if_settings: Mapping[str, str | None] | None = None,
    ) -> PraktikDecision:
        """Write an entry's new date, minutes, place and texts and add ``asked`` to its
        history, in one transaction, if its latest decision still has the id
        ``if_latest`` (None: it has none). Raises StoreError "stale" otherwise."""
        ...
    def praktik_entries(
        self, *, learner_id: str | None = None, course_id: str | None = None,
        supervisor_id: str | None = None,
    ) -> list[PraktikEntry]:
        """The praktik entries (of a learner, course, supervisor), by date then id."""
        ...
    def praktik_decisions(
        self, *, learner_id: str | None = None, supervisor_id: str | None = None,
        entry_id: str | None = None,
    ) -> list[PraktikDecision]:
        """The decisions on those entries, oldest first (the latest of each counts)."""
        ...
    def add_praktik_decision(
        self, decision: PraktikDecision, *, if_latest: int | None
    ) -> PraktikDecision:
        """Add a decision if the entry's latest still has the id ``if_latest`` (None: the
        entry has none); returns it numbered. Raises StoreError "stale" otherwise (someone
        decided meanwhile) and "not_found" when there is no such entry."""
        ...
    def approved_praktik_minutes(
        self, course_id: str, cohort: str | None = None
    ) -> dict[str, int]:
        """Learner id → approved praktik minutes in the course (the entries whose latest
        decision is an approval), in one query; learners with none are left out."""
        ...

    def approved_praktik(
        self, course_id: str, cohort: str | None = None
    ) -> list[ApprovedPraktikEntry]:
        """The praktik entries in the course whose latest decision is an approval, with
        that approval's time, in one query (by learner, date): what the completion rule
        and the records read (:class:`peerskole.progress.ApprovedPraktik`)."""
        ...

    # Settings (scope "" is the whole installation; a learner id is that learner's)
    def setting(self, scope: str, key: str) -> str | None: ...
    def set_setting(
        self, scope: str, key: str, value: str, *,
        if_settings: Mapping[str, str | None] | None = None,
    ) -> None:
        """Set a setting; ``if_settings`` (of the same scope) as for :meth:`save_reflection`."""
        ...

    # The organisation's Open Badges signing key (peerskole.export.badge_signature)
    def badge_issuer_key(self) -> str | None:
        """The issuer's private signing key (PKCS#8 PEM), or None before the first is made.

        Never printed or logged. SQLite keeps it in a file readable by its owner only
        beside the database; PostgreSQL in the organisation's database, so every
        machine signs with the same key.

        Raises:
            StoreError: when it cannot be read, or (a file) others may read it.
        """
        ...
    def keep_badge_issuer_key(self, private_key: str) -> str:
        """Keep ``private_key`` as the issuer's key unless one is kept already.

        Returns:
            The key kept: this one, or the one another process kept first.
        """
        ...


DATABASE_URL_VARIABLE: Final = "PEERSKOLE_DATABASE_URL"
"""The environment variable naming a shared PostgreSQL database (``--database-url`` sets it)."""
