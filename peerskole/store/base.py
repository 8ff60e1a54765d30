"""The store interface every backend implements, and the records it holds."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol

if TYPE_CHECKING:
    from peerskole.progress import StepRecord

StoreProblem = Literal["locked", "full", "readonly", "corrupt", "unavailable", "not_found"]

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


_NAME_CONTROL: Final = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
"""Characters a learner's name or cohort may not hold: C0/C1 controls (an ESC can
drive a terminal), line breaks, and bidirectional overrides (they can disguise a name)."""


def control_character(text: str) -> str | None:
    """The first character of text a name may not contain, as "U+001B"; None if clean."""
    found = _NAME_CONTROL.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def visible_name(text: str) -> str:
    """A name as it may be drawn on a terminal: each forbidden character becomes "\ufffd".

    For names that reached the store before they were checked (or another way).
    """
    return _NAME_CONTROL.sub("\ufffd", text)


def now() -> str:
    """The current time as ISO 8601 in UTC, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


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
    kind: Literal["reflection", "practice"]
    field: str
    """The practice-log field id; empty for a reflection."""
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


@dataclass(frozen=True)
class SharedReflection:
    """A reflection its learner chose to share ("Del denne refleksion med min underviser")."""

    course_id: str
    module_id: str
    step_id: str
    text: str
    updated_at: str


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


class Store(Protocol):
    """What the app and the exports need from a backend."""

    @property
    def where(self) -> str:
        """Where the data lives, for messages: a file, or a server and database."""
        ...

    def close(self) -> None: ...

    # Learners
    def add_learner(self, display_name: str, cohort: str | None = None) -> Learner: ...
    def learners(self, cohort: str | None = None) -> list[Learner]: ...
    def learner(self, learner_id: str) -> Learner: ...
    def cohorts(self) -> list[tuple[str, int]]: ...
    def erase_learner(self, learner_id: str) -> None: ...
    def count_learners(self, cohort: str | None = None) -> int: ...
    def learner_data_counts(self, learner_id: str) -> dict[str, int]: ...

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
        text: str, shared: bool,
    ) -> None: ...
    def reflection(
        self, learner_id: str, course_id: str, module_id: str, step_id: str
    ) -> ReflectionText | None: ...
    def add_practice_entry(
        self, learner_id: str, course_id: str, module_id: str, step_id: str,
        values: Mapping[str, str], *, from_draft: bool = False,
    ) -> PracticeEntry:
        """Add an entry to a practice log; ``from_draft`` also deletes the step's draft,
        in the same transaction (the entry is what the draft became)."""
        ...
    def practice_entries(
        self, learner_id: str, course_id: str, module_id: str, step_id: str
    ) -> list[PracticeEntry]: ...
    def save_practice_draft(
        self, learner_id: str, course_id: str, module_id: str, step_id: str,
        values: Mapping[str, str],
    ) -> None:
        """Keep the entry a learner is writing on a practice step (field id → value as
        stored, sealed or readable), replacing the one kept before; no values delete it."""
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
    ) -> int:
        """In one transaction: store rewrite(text) in place of each of the learner's
        reflections, practice-log values and practice-log drafts' values, and set the
        learner's settings (None deletes one). An exception from rewrite changes nothing.

        The backend should leave no copy of the old text behind that it can help
        (SQLite: secure_delete and a truncating WAL checkpoint). Returns how many
        texts were rewritten.
        """
        ...

    # Completions recorded by a coordinator (all in one transaction)
    def add_manual_completions(self, completions: Sequence[ManualCompletion]) -> None: ...
    def manual_completions(self, learner_id: str, course_id: str) -> list[ManualCompletion]: ...

    # Settings (scope "" is the whole installation; a learner id is that learner's)
    def setting(self, scope: str, key: str) -> str | None: ...
    def set_setting(self, scope: str, key: str, value: str) -> None: ...


DATABASE_URL_VARIABLE: Final = "PEERSKOLE_DATABASE_URL"
"""The environment variable naming a shared PostgreSQL database (``--database-url`` sets it)."""


def open_store(data_dir: Path | None = None, database_url: str | None = None) -> Store:
    """Open the configured store, creating and migrating it if needed.

    A ``postgresql://`` URL (``database_url``, else ``$PEERSKOLE_DATABASE_URL``) opens
    that PostgreSQL database; otherwise the embedded SQLite file in the data folder.

    Raises:
        StoreError: when the store cannot be opened; the message says why.
    """
    import os

    url = database_url or os.environ.get(DATABASE_URL_VARIABLE) or None
    if url is not None:
        from peerskole.store.postgres import PostgresStore, is_postgres_url

        if not is_postgres_url(url):
            raise StoreError(
                "unavailable",
                f"{DATABASE_URL_VARIABLE} (or --database-url) must start with postgresql://, "
                "e.g. postgresql://peerskole@db.example.org/peerskole. Leave it unset to "
                "keep progress in the data folder.",
            )
        return PostgresStore(url)
    from peerskole.locations import data_dir as default_data_dir
    from peerskole.store.sqlite import SQLiteStore

    folder = data_dir or default_data_dir()
    return SQLiteStore(folder / DATABASE_NAME)
