"""What the SQLite and PostgreSQL stores share: the schema, its migrations and every query.

The queries are written once, in the SQL both databases read the same way, with
``?`` placeholders; a backend supplies the connection, its transactions and its
error messages (see :class:`SQLStore`). So the two backends cannot drift apart in
behaviour: there is only one copy of each query.
"""

from __future__ import annotations

import json
import uuid
from abc import abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from types import MappingProxyType
from typing import Any, Final, Literal, Protocol, TypeVar

from peerskole.store.base import (
    ApprovedPraktikEntry,
    AttendanceMark,
    ClassSession,
    InstalledCourse,
    Instructor,
    IssuedCertificate,
    Learner,
    LearnerChange,
    LearnerMerge,
    LearnerProgress,
    ManualCompletion,
    MessageHead,
    Position,
    PracticeEntry,
    PraktikDecision,
    PraktikEntry,
    PrivateText,
    ReflectionMessage,
    ReflectionText,
    SharedReflection,
    StepRecord,
    StepUpdate,
    Store,
    StoredReflection,
    StoreError,
    Supervisor,
    cohort_code,
    now,
)

MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
    # 1: learners, step records, resume positions, private text, settings.
    (
        """
        CREATE TABLE learners (
            id TEXT PRIMARY KEY,
            display_name TEXT NOT NULL,
            cohort TEXT,
            created_at TEXT NOT NULL
        )
        """,
        """
        CREATE INDEX learners_cohort ON learners (cohort)
        """,
        """
        CREATE TABLE step_records (
            learner_id TEXT NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
            course_id TEXT NOT NULL,
            module_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            course_version TEXT NOT NULL,
            facts TEXT NOT NULL DEFAULT '{}',
            state TEXT NOT NULL DEFAULT '{}',
            seconds INTEGER NOT NULL DEFAULT 0,
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            completed_at TEXT,
            PRIMARY KEY (learner_id, course_id, module_id, step_id)
        )
        """,
        """
        CREATE TABLE positions (
            learner_id TEXT NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
            course_id TEXT NOT NULL,
            module_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            phase TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (learner_id, course_id)
        )
        """,
        """
        CREATE TABLE reflections (
            learner_id TEXT NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
            course_id TEXT NOT NULL,
            module_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            text TEXT NOT NULL,
            shared INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (learner_id, course_id, module_id, step_id)
        )
        """,
        """
        CREATE TABLE practice_entries (
            id <AUTO_ID>,
            learner_id TEXT NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
            course_id TEXT NOT NULL,
            module_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            fields TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """,
        """
        CREATE INDEX practice_entries_step
        ON practice_entries (learner_id, course_id, module_id, step_id)
        """,
        """
        CREATE TABLE settings (
            scope TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (scope, key)
        )
        """,
    ),
    # 2: completions a coordinator records for work done outside the app.
    (
        """
        CREATE TABLE manual_completions (
            id <AUTO_ID>,
            learner_id TEXT NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
            course_id TEXT NOT NULL,
            module_id TEXT NOT NULL,
            completed_on TEXT NOT NULL,
            note TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL
        )
        """,
        """
        CREATE INDEX manual_completions_learner ON manual_completions (learner_id, course_id)
        """,
    ),
    # 3: learners in name order without sorting them all: an export reads them a page at
    # a time in that order (each page was a scan and sort of every learner).
    (
        """
        CREATE INDEX learners_name ON learners (display_name, id)
        """,
    ),
    # 4: a recorded completion can be revoked; who, when and why are kept with it.
    (
        """
        ALTER TABLE manual_completions ADD COLUMN revoked_at TEXT
        """,
        """
        ALTER TABLE manual_completions ADD COLUMN revoked_by TEXT
        """,
        """
        ALTER TABLE manual_completions ADD COLUMN revoke_note TEXT
        """,
    ),
    # 5: cohort codes compare without case: "HOLD-2026" and "hold-2026" are one cohort.
    # (SQLite's lower() folds ASCII letters only; codes made since are folded in full.)
    (
        """
        UPDATE learners SET cohort = lower(trim(cohort)) WHERE cohort IS NOT NULL
        """,
        """
        UPDATE learners SET cohort = NULL WHERE cohort = ''
        """,
    ),
    # 6: wrong passphrase tries a learner has made since the last right one, so every
    # window and process slows guessing alike (see peerskole.privacy.try_delay).
    (
        """
        CREATE TABLE passphrase_tries (
            learner_id TEXT PRIMARY KEY REFERENCES learners (id) ON DELETE CASCADE,
            failures INTEGER NOT NULL,
            last_try BIGINT NOT NULL
        )
        """,
    ),
    # 7: a practice-log entry the trainee has begun and not yet saved to the log (its
    # fields as typed, sealed like the log's own values), one per step, so a half-filled
    # entry survives leaving the step, quitting and a crash.
    (
        """
        CREATE TABLE practice_drafts (
            learner_id TEXT NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
            course_id TEXT NOT NULL,
            module_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            fields TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (learner_id, course_id, module_id, step_id)
        )
        """,
    ),
    # 8: certificates and statements of participation as issued, so an id printed on one
    # can be verified and revoked (who, when and why); erased with their learner.
    (
        """
        CREATE TABLE certificates (
            id TEXT PRIMARY KEY,
            learner_id TEXT NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
            learner_name TEXT NOT NULL,
            course_id TEXT NOT NULL,
            course_title TEXT NOT NULL,
            course_version TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('certificate', 'participation')),
            completed_at TEXT NOT NULL,
            organisation TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            issued_by TEXT NOT NULL,
            revoked_at TEXT,
            revoked_by TEXT,
            revoke_note TEXT
        )
        """,
        """
        CREATE INDEX certificates_learner ON certificates (learner_id, course_id)
        """,
    ),
    # 9: what coordinators changed about a profile (renamed, moved to another cohort,
    # another profile merged into it): who, when, from what to what. Erased with the
    # profile (the names in it are the learner's).
    (
        """
        CREATE TABLE learner_changes (
            id <AUTO_ID>,
            learner_id TEXT NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
            change TEXT NOT NULL,
            from_value TEXT NOT NULL,
            to_value TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            changed_by TEXT NOT NULL,
            changed_at TEXT NOT NULL
        )
        """,
        """
        CREATE INDEX learner_changes_learner ON learner_changes (learner_id, id)
        """,
    ),
    # 10: the organisation's Open Badges signing key (Ed25519, PKCS#8 PEM), made on first
    # use; one row at most, so every machine on a shared database signs with one key.
    # The SQLite store keeps its key in a 0600 file beside the database instead (see
    # SQLiteStore.badge_issuer_key), and leaves this table empty.
    (
        """
        CREATE TABLE badge_issuer_key (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            private_key TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """,
    ),
    # 11: the course library: every installed version of a course (who installed it,
    # when, and a hash of its files, so an unchanged reinstall is told from a changed
    # one), and every file of each version as text, so every machine on a shared
    # database loads the same course and an export the version a trainee worked on.
    (
        """
        CREATE TABLE course_versions (
            id <AUTO_ID>,
            course_id TEXT NOT NULL,
            version TEXT NOT NULL,
            title TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            installed_at TEXT NOT NULL,
            installed_by TEXT NOT NULL,
            UNIQUE (course_id, version)
        )
        """,
        """
        CREATE TABLE course_files (
            course_id TEXT NOT NULL,
            version TEXT NOT NULL,
            path TEXT NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (course_id, version, path),
            FOREIGN KEY (course_id, version) REFERENCES course_versions (course_id, version)
                ON DELETE CASCADE
        )
        """,
    ),
    # 12: instructors: a role with its own passphrase (salt, Argon2id parameters and check
    # value in kdf) and an X25519 key pair whose private key is sealed under it; wrong
    # passphrase tries are counted in the row (failures, last_try) as passphrase_tries
    # counts a learner's. Kept in the store, so every machine on a shared database knows
    # the same instructors. A removed one keeps its row (its messages name it) without
    # its private key.
    (
        """
        CREATE TABLE instructors (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kdf TEXT NOT NULL,
            public_key TEXT NOT NULL,
            sealed_private_key TEXT NOT NULL,
            created_at TEXT NOT NULL,
            removed_at TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            last_try BIGINT NOT NULL DEFAULT 0
        )
        """,
    ),
    # 13: the written dialogue on a shared reflection: the instructors' replies and the
    # learner's answers, each in two sealed copies (one the learner can open, one the
    # instructors can; peerskole.dialogue); created_at to the microsecond orders them.
    # Erased with their learner.
    (
        """
        CREATE TABLE reflection_messages (
            id TEXT PRIMARY KEY,
            learner_id TEXT NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
            course_id TEXT NOT NULL,
            module_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            author TEXT NOT NULL CHECK (author IN ('learner', 'instructor')),
            instructor_id TEXT REFERENCES instructors (id),
            created_at TEXT NOT NULL,
            read_at TEXT,
            learner_copy TEXT NOT NULL,
            instructor_copy TEXT NOT NULL
        )
        """,
        """
        CREATE INDEX reflection_messages_thread
        ON reflection_messages (learner_id, course_id, module_id, step_id, created_at)
        """,
    ),
    # 14: classroom sessions planned for a cohort, and their register. Register rows
    # are only ever added: a learner's latest row for a session counts, the earlier
    # ones are its history (who changed what, when). Erased with their learner.
    (
        """
        CREATE TABLE class_sessions (
            id <AUTO_ID>,
            cohort TEXT NOT NULL,
            course_id TEXT NOT NULL,
            held_on TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            minutes INTEGER NOT NULL CHECK (minutes > 0),
            title TEXT NOT NULL,
            place TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            cancelled_at TEXT,
            cancelled_by TEXT,
            cancel_reason TEXT
        )
        """,
        """
        CREATE INDEX class_sessions_cohort ON class_sessions (cohort, held_on, starts_at)
        """,
        """
        CREATE TABLE attendance (
            id <AUTO_ID>,
            session_id BIGINT NOT NULL REFERENCES class_sessions (id),
            learner_id TEXT NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
            status TEXT NOT NULL
                CHECK (status IN ('present', 'late', 'left_early', 'absent', 'excused')),
            minutes_missed INTEGER NOT NULL CHECK (minutes_missed >= 0),
            recorded_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL
        )
        """,
        """
        CREATE INDEX attendance_session ON attendance (session_id, learner_id, id)
        """,
        """
        CREATE INDEX attendance_learner ON attendance (learner_id)
        """,
    ),
    # 15: praktik supervisors (a role like the instructors': own passphrase, a key pair
    # whose private half is sealed under it, tries counted in the row), the praktik a
    # trainee logs (the "what I did" text sealed under the profile's passphrase as
    # practice text is, and a copy sealed to the supervisor only when the trainee chose to
    # show it), and each entry's decisions: only ever added, the latest counts (asked,
    # approved, returned with a comment, revoked with a reason; who and when). Entries
    # are erased with their learner, decisions with their entry.
    (
        """
        CREATE TABLE supervisors (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kdf TEXT NOT NULL,
            public_key TEXT NOT NULL,
            sealed_private_key TEXT NOT NULL,
            created_at TEXT NOT NULL,
            removed_at TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            last_try BIGINT NOT NULL DEFAULT 0
        )
        """,
        """
        CREATE TABLE praktik_entries (
            id TEXT PRIMARY KEY,
            learner_id TEXT NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
            course_id TEXT NOT NULL,
            done_on TEXT NOT NULL,
            minutes INTEGER NOT NULL CHECK (minutes > 0),
            place TEXT NOT NULL,
            what TEXT NOT NULL,
            supervisor_id TEXT NOT NULL REFERENCES supervisors (id),
            supervisor_copy TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        """
        CREATE INDEX praktik_entries_learner ON praktik_entries (learner_id, course_id)
        """,
        """
        CREATE INDEX praktik_entries_course ON praktik_entries (course_id)
        """,
        """
        CREATE INDEX praktik_entries_supervisor ON praktik_entries (supervisor_id)
        """,
        """
        CREATE TABLE praktik_decisions (
            id <AUTO_ID>,
            entry_id TEXT NOT NULL REFERENCES praktik_entries (id) ON DELETE CASCADE,
            decision TEXT NOT NULL
                CHECK (decision IN ('asked', 'approved', 'returned', 'revoked')),
            note TEXT NOT NULL,
            decided_by TEXT NOT NULL,
            decided_at TEXT NOT NULL
        )
        """,
        """
        CREATE INDEX praktik_decisions_entry ON praktik_decisions (entry_id, id)
        """,
    ),
)
"""Schema changes in order, shared by every backend; a backend counts those applied.

``<AUTO_ID>`` stands for the backend's own spelling of an integer key the
database numbers itself (see :func:`migration_statements`).
"""

MANUAL_COLUMNS: Final = (
    "learner_id, course_id, module_id, completed_on, note, recorded_by, recorded_at, id, "
    "revoked_at, revoked_by, revoke_note"
)
"""The columns of manual_completions, in ManualCompletion's field order."""

COURSE_VERSION_COLUMNS: Final = (
    "course_id, version, title, content_hash, installed_at, installed_by"
)
"""The columns of course_versions, in InstalledCourse's field order."""

INSTRUCTOR_COLUMNS: Final = (
    "id, name, kdf, public_key, sealed_private_key, created_at, removed_at"
)
"""The columns of instructors, in Instructor's field order."""

MESSAGE_COLUMNS: Final = (
    "id, learner_id, course_id, module_id, step_id, author, instructor_id, created_at, "
    "read_at, learner_copy, instructor_copy"
)
"""The columns of reflection_messages, in ReflectionMessage's field order."""

CERTIFICATE_COLUMNS: Final = (
    "id, learner_id, learner_name, course_id, course_title, course_version, kind, "
    "completed_at, organisation, issued_at, issued_by, revoked_at, revoked_by, revoke_note"
)
"""The columns of certificates, in IssuedCertificate's field order."""

SESSION_COLUMNS: Final = (
    "cohort, course_id, held_on, starts_at, minutes, title, place, created_by, created_at, "
    "id, cancelled_at, cancelled_by, cancel_reason"
)
"""The columns of class_sessions, in ClassSession's field order."""

ATTENDANCE_COLUMNS: Final = (
    "session_id, learner_id, status, minutes_missed, recorded_by, recorded_at, id"
)
"""The columns of attendance, in AttendanceMark's field order."""

SUPERVISOR_COLUMNS: Final = (
    "id, name, kdf, public_key, sealed_private_key, created_at, removed_at"
)
"""The columns of supervisors, in Supervisor's field order."""

PRAKTIK_COLUMNS: Final = (
    "id, learner_id, course_id, done_on, minutes, place, what, supervisor_id, "
    "supervisor_copy, created_at, updated_at"
)
"""The columns of praktik_entries, in PraktikEntry's field order."""

DECISION_COLUMNS: Final = "entry_id, decision, note, decided_by, decided_at, id"
"""The columns of praktik_decisions, in PraktikDecision's field order."""

LATEST_VERSION: Final = len(MIGRATIONS)
"""The schema version this peerskole writes."""

NOTHING: Final[Mapping[str, Any]] = MappingProxyType({})
"""What a learner without records (or completions, or shared reflections) has: one
read-only empty mapping shared by all, not a new dict for each."""

LEARNER_TABLES: Final = ("step_records", "positions", "reflections", "practice_entries",
                         "practice_drafts", "manual_completions", "passphrase_tries",
                         "certificates", "learner_changes", "reflection_messages",
                         "attendance", "praktik_entries")
"""The tables holding rows about one learner (by ``learner_id``), besides their settings:
what an erasure removes (each refers to the learner ON DELETE CASCADE) and counts."""

MERGE_MOVED: Final = ("manual_completions", "certificates", "learner_changes", "attendance")
"""The tables whose rows a merge of two profiles hands to the kept one as they are (each
row stands alone and holds no private text: recorded completions, issued certificates,
past changes). A table of a learner's rows that two profiles can both hold for one thing
(a step's record, a course's position) is combined in :meth:`SQLStore.merge_learners`
instead; a new table of rows about a learner goes in one or the other: a merge refuses to
delete a profile with rows left in a table it does not know how to hand over."""

MERGE_DROPPED: Final = ("passphrase_tries",)
"""The tables of a learner's rows a merge leaves to go with the merged profile: wrong
passphrase tries count against that profile's passphrase, which goes too."""

T = TypeVar("T")


def migration_statements(number: int, auto_id: str) -> list[str]:
    """The statements of one migration, in a backend's spelling.

    Args:
        number: the migration's index in :data:`MIGRATIONS` (0 for the first).
        auto_id: the column definition of a self-numbering integer primary key.
    """
    return [statement.replace("<AUTO_ID>", auto_id).strip() for statement in MIGRATIONS[number]]


def newer_schema(place: str) -> StoreError:
    """The error for a database a newer peerskole has migrated past what this one knows."""
    return StoreError(
        "unavailable", f"{place} was written by a newer peerskole. Upgrade peerskole to open it."
    )


class Cursor(Protocol):
    """The part of a DB-API cursor the queries use."""

    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class Database(Protocol):
    """A connection that runs one statement with ``?`` placeholders."""

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> Cursor: ...


class SQLStore(Store):
    """Every query of the store, on top of a backend's connection.

    It declares the :class:`~peerskole.store.base.Store` interface, so the type checker
    holds it (and each backend) to it.

    An abstract class: a backend implements :meth:`_write` (one transaction, all or
    nothing, turning its driver's errors into :class:`StoreError`), :meth:`_read`,
    :meth:`schema_version`, :attr:`where` and :meth:`close`, and may add to
    :meth:`_after_private_rewrite` and :meth:`_hold_learner`.
    """

    @property
    @abstractmethod
    def where(self) -> str:
        """Where the data lives, for messages: a file, or a server and database."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""

    @property
    def notices(self) -> Sequence[str]:
        """See :attr:`Store.notices`; none unless a backend has some."""
        return ()

    @abstractmethod
    def _write(self) -> AbstractContextManager[Database]:
        """One write transaction: committed when the block ends, rolled back on error."""

    @abstractmethod
    def _read(self, query: Callable[[Database], T]) -> T:
        """Run a read, turning the driver's errors into :class:`StoreError`."""

    def _after_private_rewrite(self) -> None:
        """Remove what the backend can of old private text after a rewrite or erasure."""

    def _hold_learner(self, db: Database, learner_id: str) -> None:
        """Keep other transactions from writing the learner's private text, key settings
        or passphrase tries until this transaction ends.

        A write of private text checks the learner's key settings and then writes:
        without this, a re-keying committing in between would leave that text sealed
        with a key nobody has any more. SQLite needs nothing here (every write
        transaction holds the whole database); PostgreSQL locks the learner's row.
        """

    def _check_settings(
        self, db: Database, learner_id: str, expected: Mapping[str, str | None] | None
    ) -> None:
        """Refuse the write when a learner setting no longer holds what the writer read.

        Raises:
            StoreError: "stale" when one of them differs (None: is absent).
        """
        if expected is None:
            return
        self._hold_learner(db, learner_id)
        for key, value in expected.items():
            row = db.execute(
                "SELECT value FROM settings WHERE scope = ? AND key = ?", (learner_id, key)
            ).fetchone()
            if (str(row[0]) if row else None) != value:
                raise StoreError(
                    "stale",
                    "The passphrase of this profile was changed in another window. Nothing "
                    "was written; open the profile with its new passphrase to save.",
                )

    @abstractmethod
    def schema_version(self) -> int:
        """How many of :data:`MIGRATIONS` the database has had."""


    # --- learners -----------------------------------------------------------

    def add_learner(self, display_name: str, cohort: str | None = None) -> Learner:
        learner = Learner(uuid.uuid4().hex[:12], display_name, cohort_code(cohort), now())
        with self._write() as db:
            db.execute(
                "INSERT INTO learners (id, display_name, cohort, created_at) VALUES (?, ?, ?, ?)",
                (learner.id, learner.display_name, learner.cohort, learner.created_at),
            )
        return learner

    def learners(self, cohort: str | None = None) -> list[Learner]:
        sql = "SELECT id, display_name, cohort, created_at FROM learners"
        params: tuple[str, ...] = ()
        if cohort is not None:
            sql += " WHERE cohort = ?"
            params = (cohort_code(cohort) or "",)
        sql += " ORDER BY display_name, id"
        rows = self._read(lambda db: db.execute(sql, params).fetchall())
        return [Learner(*row) for row in rows]

    def learner(self, learner_id: str) -> Learner:
        row = self._read(
            lambda db: db.execute(
                "SELECT id, display_name, cohort, created_at FROM learners WHERE id = ?",
                (learner_id,),
            ).fetchone()
        )
        if row is None:
            raise StoreError("not_found", f'There is no learner with id "{learner_id}".')
        return Learner(*row)

    def cohorts(self) -> list[tuple[str, int]]:
        rows = self._read(
            lambda db: db.execute(
                "SELECT cohort, count(*) FROM learners WHERE cohort IS NOT NULL "
                "GROUP BY cohort ORDER BY cohort"
            ).fetchall()
        )
        return [(str(c), int(n)) for c, n in rows]

    def erase_learner(self, learner_id: str) -> None:
        self.learner(learner_id)
        with self._write() as db:
            # Every table of LEARNER_TABLES refers to the learner ON DELETE CASCADE, so
            # their rows go with this one; settings are kept by scope, not by reference.
            db.execute("DELETE FROM settings WHERE scope = ?", (learner_id,))
            db.execute("DELETE FROM learners WHERE id = ?", (learner_id,))
        # The deleted rows' pages are still in the write-ahead log.
        self._after_private_rewrite()

    def count_learners(self, cohort: str | None = None) -> int:
        sql = "SELECT count(*) FROM learners"
        params: tuple[str, ...] = ()
        if cohort is not None:
            sql += " WHERE cohort = ?"
            params = (cohort_code(cohort) or "",)
        return int(self._read(lambda db: db.execute(sql, params).fetchone()[0]))

    def learner_data_counts(self, learner_id: str) -> dict[str, int]:
        """Rows held about a learner, by kind, e.g. to say what an erasure removed.

        Raises:
            StoreError: "not_found" when there is no such learner.
        """
        self.learner(learner_id)
        return self._read(lambda db: self._counts_in(db, learner_id))

    def rename_learner(
        self, learner_id: str, display_name: str, changed_by: str, changed_at: str
    ) -> Learner:
        with self._write() as db:
            learner = self._learner_in(db, learner_id)
            db.execute("UPDATE learners SET display_name = ? WHERE id = ?",
                       (display_name, learner_id))
            self._add_change(db, LearnerChange(learner_id, "rename", learner.display_name,
                                               display_name, "", changed_by, changed_at))
        return Learner(learner.id, display_name, learner.cohort, learner.created_at)

    def move_learner(
        self, learner_id: str, cohort: str | None, changed_by: str, changed_at: str
    ) -> Learner:
        code = cohort_code(cohort)
        with self._write() as db:
            learner = self._learner_in(db, learner_id)
            db.execute("UPDATE learners SET cohort = ? WHERE id = ?", (code, learner_id))
            self._add_change(db, LearnerChange(learner_id, "move", learner.cohort or "",
                                               code or "", "", changed_by, changed_at))
        return Learner(learner.id, learner.display_name, code, learner.created_at)

    def merge_learners(
        self, keep_id: str, other_id: str, rules: LearnerMerge, changed_by: str,
        changed_at: str,
    ) -> dict[str, int]:
        if keep_id == other_id:
            raise StoreError("not_found", "A profile cannot be merged into itself.")
        moved: dict[str, int] = {}
        with self._write() as db:
            # Both held (in one order, so two merges cannot wait on each other), so no
            # private text or passphrase of either changes while they are combined.
            for learner_id in sorted((keep_id, other_id)):
                self._hold_learner(db, learner_id)
            self._learner_in(db, keep_id)
            other = self._learner_in(db, other_id)
            for learner_id, expected in rules.if_settings.items():
                self._check_settings(db, learner_id, expected)
            counts = self._counts_in(db, other_id)
            moved["step_records_combined"] = self._merge_step_records(db, keep_id, other_id,
                                                                      rules)
            moved["reflections_combined"] = self._merge_reflections(db, keep_id, other_id,
                                                                    rules)
            self._merge_practice(db, keep_id, other_id, rules)
            self._merge_messages(db, keep_id, other_id, rules)
            self._merge_praktik(db, keep_id, other_id, rules)
            self._merge_positions(db, keep_id, other_id)
            for table in MERGE_MOVED:
                db.execute(f"UPDATE {table} SET learner_id = ? WHERE learner_id = ?",
                           (keep_id, other_id))
            # Settings the kept profile lacks come with it; its own stay as they are.
            for key, value in db.execute(
                "SELECT key, value FROM settings WHERE scope = ?", (other_id,)
            ).fetchall():
                if key not in rules.unmoved_settings:
                    db.execute(
                        "INSERT INTO settings (scope, key, value) VALUES (?, ?, ?) "
                        "ON CONFLICT (scope, key) DO NOTHING", (keep_id, key, value))
            db.execute("DELETE FROM settings WHERE scope = ?", (other_id,))
            left = [table for table, n in self._counts_in(db, other_id).items()
                    if n and table not in (*MERGE_DROPPED, "settings")]
            if left:
                # A table added to LEARNER_TABLES without a merge rule: its rows would
                # go with the profile (ON DELETE CASCADE). Refused, so nothing is lost.
                raise StoreError(
                    "unavailable",
                    f"This peerskole cannot yet hand over the {', '.join(left)} of a merged "
                    "profile, so nothing was merged. Upgrade peerskole, or keep both "
                    "profiles for now.",
                )
            db.execute("DELETE FROM learners WHERE id = ?", (other_id,))
            held = ", ".join(f"{n} {table}" for table, n in counts.items() if n)
            self._add_change(db, LearnerChange(
                keep_id, "merge", other_id, keep_id,
                f"name: {other.display_name}; cohort: {other.cohort or ''}; "
                f"held: {held or 'nothing'}",
                changed_by, changed_at))
            moved.update(counts)
        # The merged profile's rows are gone, but their pages are still in the WAL.
        self._after_private_rewrite()
        return moved

    def _merge_step_records(
        self, db: Database, keep_id: str, other_id: str, rules: LearnerMerge
    ) -> int:
        """Combine the step records both profiles hold by the rule; move the rest."""
        columns = ("course_id, module_id, step_id, course_version, facts, state, seconds, "
                   "started_at, updated_at, completed_at")
        keep_rows = {
            tuple(row[:3]): row for row in db.execute(
                f"SELECT {columns} FROM step_records WHERE learner_id = ?", (keep_id,)
            ).fetchall()
        }
        combined = 0
        for row in db.execute(
            f"SELECT {columns} FROM step_records WHERE learner_id = ?", (other_id,)
        ).fetchall():
            course, module, step = row[:3]
            mine = keep_rows.get((course, module, step))
            if mine is None:
                continue  # moved below, as it is
            record = rules.step_record(self._step_record(mine), self._step_record(row))
            # The UI state to resume with (chosen answers) is the one saved last, as
            # the resume position is.
            state = mine[5] if mine[8] >= row[8] else row[5]
            db.execute(
                "UPDATE step_records SET course_version = ?, facts = ?, state = ?, "
                "seconds = ?, started_at = ?, updated_at = ?, completed_at = ? "
                "WHERE learner_id = ? AND course_id = ? AND module_id = ? AND step_id = ?",
                (record.course_version, json.dumps(dict(record.facts), ensure_ascii=False),
                 state, record.seconds, record.started_at or mine[7], max(mine[8], row[8]),
                 record.completed_at, keep_id, course, module, step),
            )
            db.execute(
                "DELETE FROM step_records WHERE learner_id = ? AND course_id = ? "
                "AND module_id = ? AND step_id = ?", (other_id, course, module, step))
            combined += 1
        db.execute("UPDATE step_records SET learner_id = ? WHERE learner_id = ?",
                   (keep_id, other_id))
        return combined

    @staticmethod
    def _step_record(row: Sequence[Any]) -> StepRecord:
        _, module, step, version, facts, _, seconds, started, _, completed = row
        return StepRecord(module, step, version, json.loads(facts), started, completed,
                          int(seconds))

    def _merge_reflections(
        self, db: Database, keep_id: str, other_id: str, rules: LearnerMerge
    ) -> int:
        columns = "course_id, module_id, step_id, text, shared, updated_at"
        keep_rows = {
            tuple(row[:3]): row for row in db.execute(
                f"SELECT {columns} FROM reflections WHERE learner_id = ?", (keep_id,)
            ).fetchall()
        }
        combined = 0
        for course, module, step, text, shared, updated in db.execute(
            f"SELECT {columns} FROM reflections WHERE learner_id = ? "
            "ORDER BY course_id, module_id, step_id", (other_id,)
        ).fetchall():
            value = rules.moved_text(PrivateText(course, module, step, "reflection", "",
                                                 bool(shared), text))
            where = (course, module, step)
            mine = keep_rows.get(where)
            if mine is None:
                db.execute(
                    "UPDATE reflections SET learner_id = ?, text = ? WHERE learner_id = ? "
                    "AND course_id = ? AND module_id = ? AND step_id = ?",
                    (keep_id, value, other_id, *where))
                continue
            kept = rules.reflection(
                StoredReflection(course, module, step,
                                 ReflectionText(mine[3], bool(mine[4]), mine[5])),
                StoredReflection(course, module, step,
                                 ReflectionText(value, bool(shared), updated)),
            )
            db.execute(
                "UPDATE reflections SET text = ?, shared = ?, updated_at = ? "
                "WHERE learner_id = ? AND course_id = ? AND module_id = ? AND step_id = ?",
                (kept.text, int(kept.shared), kept.updated_at, keep_id, *where),
            )
            db.execute(
                "DELETE FROM reflections WHERE learner_id = ? AND course_id = ? "
                "AND module_id = ? AND step_id = ?", (other_id, *where))
            combined += 1
        return combined

    @staticmethod
    def _moved_fields(
        rules: LearnerMerge, course: str, module: str, step: str, fields: str
    ) -> str:
        values = {
            name: rules.moved_text(PrivateText(course, module, step, "practice", name, False,
                                               str(value)))
            for name, value in json.loads(fields).items()
        }
        return json.dumps(values, ensure_ascii=False)

    def _merge_practice(
        self, db: Database, keep_id: str, other_id: str, rules: LearnerMerge
    ) -> None:
        """Move the other's practice-log entries and drafts (a log keeps every entry)."""
        for entry_id, course, module, step, fields in db.execute(
            "SELECT id, course_id, module_id, step_id, fields FROM practice_entries "
            "WHERE learner_id = ? ORDER BY id", (other_id,)
        ).fetchall():
            db.execute("UPDATE practice_entries SET learner_id = ?, fields = ? WHERE id = ?",
                       (keep_id, self._moved_fields(rules, course, module, step, fields),
                        entry_id))
        kept = {tuple(row) for row in db.execute(
            "SELECT course_id, module_id, step_id FROM practice_drafts WHERE learner_id = ?",
            (keep_id,)).fetchall()}
        for course, module, step, fields in db.execute(
            "SELECT course_id, module_id, step_id, fields FROM practice_drafts "
            "WHERE learner_id = ? ORDER BY course_id, module_id, step_id", (other_id,)
        ).fetchall():
            if (course, module, step) in kept:
                rules.draft(course, module, step)
                continue
            db.execute(
                "UPDATE practice_drafts SET learner_id = ?, fields = ? WHERE learner_id = ? "
                "AND course_id = ? AND module_id = ? AND step_id = ?",
                (keep_id, self._moved_fields(rules, course, module, step, fields), other_id,
                 course, module, step))

    @staticmethod
    def _merge_messages(db: Database, keep_id: str, other_id: str, rules: LearnerMerge) -> None:
        """Move the other's dialogue messages; each learner's copy goes by rules.moved_text.

        A dialogue is a thread of its own (the reflection it answers is combined or
        joined above), so every message is kept; the instructors' copy is bound to the
        message, not the profile, and moves as it is.
        """
        for message_id, course, module, step, copy in db.execute(
            "SELECT id, course_id, module_id, step_id, learner_copy FROM reflection_messages "
            "WHERE learner_id = ? ORDER BY created_at, id", (other_id,)
        ).fetchall():
            value = rules.moved_text(PrivateText(course, module, step, "message", message_id,
                                                 False, copy))
            db.execute(
                "UPDATE reflection_messages SET learner_id = ?, learner_copy = ? WHERE id = ?",
                (keep_id, value, message_id))

    @staticmethod
    def _merge_praktik(db: Database, keep_id: str, other_id: str, rules: LearnerMerge) -> None:
        """Move the other's praktik entries, their "what I did" text by rules.moved_text.

        Each entry stands alone (a praktik log keeps every entry), and its decisions go
        with it (they refer to the entry, not the profile); the supervisor's copy is
        bound to the entry, not the profile, and moves as it is.
        """
        for entry_id, course, what in db.execute(
            "SELECT id, course_id, what FROM praktik_entries WHERE learner_id = ? ORDER BY id",
            (other_id,),
        ).fetchall():
            value = rules.moved_text(PrivateText(course, "", entry_id, "praktik", "what",
                                                 False, what))
            db.execute("UPDATE praktik_entries SET learner_id = ?, what = ? WHERE id = ?",
                       (keep_id, value, entry_id))

    @staticmethod
    def _merge_positions(db: Database, keep_id: str, other_id: str) -> None:
        """Each course's resume position: the one set last, of either profile."""
        db.execute(
            "DELETE FROM positions WHERE learner_id = ? AND course_id IN (SELECT o.course_id "
            "FROM positions o WHERE o.learner_id = ? AND o.updated_at > positions.updated_at)",
            (keep_id, other_id),
        )
        db.execute(
            "DELETE FROM positions WHERE learner_id = ? AND course_id IN (SELECT k.course_id "
            "FROM positions k WHERE k.learner_id = ?)", (other_id, keep_id))
        db.execute("UPDATE positions SET learner_id = ? WHERE learner_id = ?",
                   (keep_id, other_id))

    def learner_changes(self, learner_id: str) -> list[LearnerChange]:
        rows = self._read(
            lambda db: db.execute(
                "SELECT learner_id, change, from_value, to_value, detail, changed_by, "
                "changed_at, id FROM learner_changes WHERE learner_id = ? ORDER BY id",
                (learner_id,),
            ).fetchall()
        )
        return [LearnerChange(*row) for row in rows]

    @staticmethod
    def _add_change(db: Database, change: LearnerChange) -> None:
        db.execute(
            "INSERT INTO learner_changes (learner_id, change, from_value, to_value, detail, "
            "changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (change.learner_id, change.change, change.from_value, change.to_value,
             change.detail, change.changed_by, change.changed_at),
        )

    @staticmethod
    def _learner_in(db: Database, learner_id: str) -> Learner:
        row = db.execute(
            "SELECT id, display_name, cohort, created_at FROM learners WHERE id = ?",
            (learner_id,),
        ).fetchone()
        if row is None:
            raise StoreError("not_found", f'There is no learner with id "{learner_id}".')
        return Learner(*row)

    @staticmethod
    def _counts_in(db: Database, learner_id: str) -> dict[str, int]:
        tables = LEARNER_TABLES
        # One scalar subquery a table: plain SQL that PostgreSQL reads the same way.
        sql = "SELECT " + ", ".join(
            f"(SELECT count(*) FROM {table} WHERE learner_id = ?)" for table in tables
        ) + ", (SELECT count(*) FROM settings WHERE scope = ?)"
        row = db.execute(sql, (learner_id,) * (len(tables) + 1)).fetchone()
        return {name: int(n) for name, n in zip((*tables, "settings"), row, strict=True)}

    # --- exports ------------------------------------------------------------

    def learner_progress(
        self,
        course_ids: Sequence[str],
        cohort: str | None = None,
        *,
        include_shared_reflections: bool = False,
        page_size: int = 500,
    ) -> Iterator[LearnerProgress]:
        """Every learner (of a cohort) in name order, with their records in these courses.

        Reads a page of learners at a time (keyset pagination, so a learner added
        or erased meanwhile neither repeats nor shifts a page), so memory stays flat
        however many learners there are.

        Args:
            course_ids: the courses whose records to include.
            cohort: only learners of this cohort; None for every learner.
            include_shared_reflections: also read reflections the learner shared.
                Private reflections are never read.
            page_size: learners read at once.
        """
        courses = list(dict.fromkeys(course_ids))
        after: tuple[str, str] | None = None
        while True:
            page = self._learner_page(cohort, after, page_size)
            if not page:
                return
            ids = self._page_ids(cohort, page)
            records = self._records_of(ids, courses)
            manual = self._manual_of(ids, courses)
            shared = self._shared_of(ids, courses) if include_shared_reflections else {}
            for learner in page:
                yield LearnerProgress(
                    learner,
                    records.get(learner.id, NOTHING),
                    manual.get(learner.id, NOTHING),
                    shared.get(learner.id, NOTHING),
                )
            if len(page) < page_size:
                return
            after = (page[-1].display_name, page[-1].id)

    def _learner_page(
        self, cohort: str | None, after: tuple[str, str] | None, size: int
    ) -> list[Learner]:
        where: list[str] = []
        params: list[Any] = []
        if cohort is not None:
            where.append("cohort = ?")
            params.append(cohort_code(cohort))
        if after is not None:
            # Spelt out rather than a row-value comparison, which not every SQL has; the
            # leading ">=" lets the database start at the page in the name index
            # (learners_name) instead of reading every name before it.
            where.append("display_name >= ? AND (display_name > ? OR id > ?)")
            params.extend((after[0], after[0], after[1]))
        sql = "SELECT id, display_name, cohort, created_at FROM learners"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY display_name, id LIMIT ?"
        params.append(size)
        rows = self._read(lambda db: db.execute(sql, params).fetchall())
        return [Learner(*row) for row in rows]

    @staticmethod
    def _page_ids(cohort: str | None, page: Sequence[Learner]) -> tuple[str, list[Any]]:
        """A subquery giving the ids of a page of learners (read by :meth:`_learner_page`),
        and its parameters: the page's first and last learner in name order bound it.

        Seven parameters rather than the page's ids (an IN list of 500): on PostgreSQL,
        reading the 10,000 learners of the cohort benchmark took 0.86 s with that list
        and 0.40 s with these bounds (SQLite: the same either way). A learner added
        within the bounds meanwhile is read too, and left out, as the page does not
        hold them.
        """
        first, last = page[0], page[-1]
        sql = (
            "SELECT id FROM learners WHERE display_name >= ? AND display_name <= ? "
            "AND (display_name > ? OR id >= ?) AND (display_name < ? OR id <= ?)"
        )
        params: list[Any] = [first.display_name, last.display_name, first.display_name,
                             first.id, last.display_name, last.id]
        if cohort is not None:
            sql += " AND cohort = ?"
            params.append(cohort_code(cohort))
        return sql, params

    @staticmethod
    def _in(values: Sequence[str]) -> str:
        return ", ".join("?" for _ in values)

    def _records_of(
        self, learners: tuple[str, list[Any]], course_ids: Sequence[str]
    ) -> dict[str, dict[str, list[StepRecord]]]:
        if not course_ids:
            return {}
        # With one course, its id is known: NULL (Python's one None) spares the database
        # driver making that string again for every record.
        several = len(course_ids) > 1
        sql = (
            f"SELECT learner_id, {'course_id' if several else 'NULL'}, module_id, step_id, "
            "course_version, facts, started_at, completed_at, seconds, updated_at "
            "FROM step_records "
            f"WHERE learner_id IN ({learners[0]}) "
            f"AND course_id IN ({self._in(course_ids)}) "
            # The primary key's order, which the database reads them in anyway: a
            # learner's records in a course arrive together, so they are filed once.
            "ORDER BY learner_id, course_id"
        )
        rows = self._read(lambda db: db.execute(sql, (*learners[1], *course_ids)).fetchall())
        found: dict[str, dict[str, list[StepRecord]]] = {}
        # Most facts are alike ({"opened": true}); parse each distinct text once a page.
        # The records of a page share those (read-only) mappings.
        parsed: dict[str, Any] = {}
        loads = json.loads
        # tuple.__new__ with the fields in order makes the same StepRecord as calling the
        # class, without its __new__'s Python call.
        make = tuple.__new__
        records: list[StepRecord] = []
        last_learner: str | None = None
        last_course: str | None = None
        only_course = course_ids[0]
        for learner, course, m, s, v, f, started, completed, seconds, updated in rows:
            facts = parsed.get(f)
            if facts is None:
                facts = parsed[f] = loads(f)
            if learner != last_learner or course != last_course:
                last_learner, last_course = learner, course
                records = found.setdefault(learner, {}).setdefault(
                    course if several else only_course, []
                )
            records.append(
                make(StepRecord, (m, s, v, facts, started, completed, seconds, updated))
            )
        return found

    def _manual_of(
        self, learners: tuple[str, list[Any]], course_ids: Sequence[str]
    ) -> dict[str, dict[str, list[ManualCompletion]]]:
        if not course_ids:
            return {}
        sql = (
            f"SELECT {MANUAL_COLUMNS} FROM manual_completions "
            f"WHERE learner_id IN ({learners[0]}) "
            f"AND course_id IN ({self._in(course_ids)}) AND revoked_at IS NULL ORDER BY id"
        )
        rows = self._read(lambda db: db.execute(sql, (*learners[1], *course_ids)).fetchall())
        found: dict[str, dict[str, list[ManualCompletion]]] = {}
        for row in rows:
            found.setdefault(row[0], {}).setdefault(row[1], []).append(ManualCompletion(*row))
        return found

    def _shared_of(
        self, learners: tuple[str, list[Any]], course_ids: Sequence[str]
    ) -> dict[str, dict[str, list[SharedReflection]]]:
        if not course_ids:
            return {}
        # The filter on `shared` is here, in SQL, so a private text never leaves the store.
        sql = (
            "SELECT learner_id, course_id, module_id, step_id, text, updated_at "
            "FROM reflections WHERE shared = 1 "
            f"AND learner_id IN ({learners[0]}) "
            f"AND course_id IN ({self._in(course_ids)}) "
            "ORDER BY learner_id, course_id, module_id, step_id"
        )
        rows = self._read(lambda db: db.execute(sql, (*learners[1], *course_ids)).fetchall())
        found: dict[str, dict[str, list[SharedReflection]]] = {}
        for learner, course, module, step, text, updated in rows:
            found.setdefault(learner, {}).setdefault(course, []).append(
                SharedReflection(course, module, step, text, updated)
            )
        return found

    # --- progress -----------------------------------------------------------

    def step_records(self, learner_id: str, course_id: str) -> list[StepRecord]:
        rows = self._read(
            lambda db: db.execute(
                "SELECT module_id, step_id, course_version, facts, started_at, completed_at, "
                "seconds, updated_at FROM step_records WHERE learner_id = ? AND course_id = ?",
                (learner_id, course_id),
            ).fetchall()
        )
        return [
            StepRecord(m, s, v, json.loads(f), started, completed, seconds, updated)
            for m, s, v, f, started, completed, seconds, updated in rows
        ]

    def step_state(
        self, learner_id: str, course_id: str, module_id: str, step_id: str
    ) -> dict[str, Any]:
        row = self._read(
            lambda db: db.execute(
                "SELECT state FROM step_records WHERE learner_id = ? AND course_id = ? "
                "AND module_id = ? AND step_id = ?",
                (learner_id, course_id, module_id, step_id),
            ).fetchone()
        )
        state: dict[str, Any] = json.loads(row[0]) if row else {}
        return state

    def update_step(
        self,
        learner_id: str,
        course_id: str,
        course_version: str,
        module_id: str,
        step_id: str,
        update: StepUpdate,
    ) -> StepRecord:
        stamp = update.at or now()
        facts = None if update.facts is None else json.dumps(dict(update.facts),
                                                             ensure_ascii=False)
        state = None if update.state is None else json.dumps(dict(update.state),
                                                             ensure_ascii=False)
        # One statement (insert, or update what is there), so a step result costs one
        # round trip to a database server. Facts and state not given are kept.
        # A step done keeps the version it was done on; until then it takes the latest.
        sets = ["course_version = CASE WHEN step_records.completed_at IS NULL THEN "
                "excluded.course_version ELSE step_records.course_version END",
                "updated_at = excluded.updated_at",
                "seconds = step_records.seconds + excluded.seconds"]
        if facts is not None:
            sets.append("facts = excluded.facts")
        if state is not None:
            sets.append("state = excluded.state")
        if update.done:
            sets.append("completed_at = COALESCE(step_records.completed_at, "
                        "excluded.completed_at)")
        with self._write() as db:
            row = db.execute(
                "INSERT INTO step_records (learner_id, course_id, module_id, step_id, "
                "course_version, facts, state, seconds, started_at, updated_at, completed_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (learner_id, course_id, module_id, step_id) "
                f"DO UPDATE SET {', '.join(sets)} "
                "RETURNING course_version, facts, started_at, completed_at, seconds, updated_at",
                (learner_id, course_id, module_id, step_id, course_version,
                 facts or "{}", state or "{}", max(0, update.add_seconds), stamp, stamp,
                 stamp if update.done else None),
            ).fetchone()
        version, stored_facts, started, completed, seconds, updated = row
        return StepRecord(module_id, step_id, version, json.loads(stored_facts), started, completed,
                          seconds, updated)

    def set_position(self, learner_id: str, course_id: str, position: Position) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO positions (learner_id, course_id, module_id, step_id, phase, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (learner_id, course_id) "
                "DO UPDATE SET module_id = excluded.module_id, step_id = excluded.step_id, "
                "phase = excluded.phase, updated_at = excluded.updated_at",
                (learner_id, course_id, position.module_id, position.step_id, position.phase,
                 now()),
            )

    def position(self, learner_id: str, course_id: str) -> Position | None:
        row = self._read(
            lambda db: db.execute(
                "SELECT module_id, step_id, phase FROM positions WHERE learner_id = ? "
                "AND course_id = ?",
                (learner_id, course_id),
            ).fetchone()
        )
        return Position(*row) if row else None

    # --- private text -------------------------------------------------------

    def save_reflection(
        self, learner_id: str, course_id: str, module_id: str, step_id: str,
        text: str, shared: bool, *, if_settings: Mapping[str, str | None] | None = None,
    ) -> None:
        with self._write() as db:
            self._check_settings(db, learner_id, if_settings)
            was = db.execute(
                "SELECT shared FROM reflections WHERE learner_id = ? AND course_id = ? "
                "AND module_id = ? AND step_id = ?",
                (learner_id, course_id, module_id, step_id),
            ).fetchone()
            db.execute(
                "INSERT INTO reflections (learner_id, course_id, module_id, step_id, text, "
                "shared, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (learner_id, "
                "course_id, module_id, step_id) DO UPDATE SET text = excluded.text, "
                "shared = excluded.shared, updated_at = excluded.updated_at",
                (learner_id, course_id, module_id, step_id, text, int(shared), now()),
            )
        if was is not None and was[0] and not shared:
            # Un-shared: the readable text it had is still in the write-ahead log.
            self._after_private_rewrite()

    def reflection(
        self, learner_id: str, course_id: str, module_id: str, step_id: str
    ) -> ReflectionText | None:
        row = self._read(
            lambda db: db.execute(
                "SELECT text, shared, updated_at FROM reflections WHERE learner_id = ? "
                "AND course_id = ? AND module_id = ? AND step_id = ?",
                (learner_id, course_id, module_id, step_id),
            ).fetchone()
        )
        return ReflectionText(row[0], bool(row[1]), row[2]) if row else None

    def add_practice_entry(
        self, learner_id: str, course_id: str, module_id: str, step_id: str,
        values: Mapping[str, str], *, from_draft: bool = False,
        if_settings: Mapping[str, str | None] | None = None,
    ) -> PracticeEntry:
        stamp = now()
        with self._write() as db:
            self._check_settings(db, learner_id, if_settings)
            # RETURNING rather than a cursor's lastrowid, which not every driver has.
            (entry_id,) = db.execute(
                "INSERT INTO practice_entries (learner_id, course_id, module_id, step_id, "
                "fields, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (learner_id, course_id, module_id, step_id,
                 json.dumps(dict(values), ensure_ascii=False), stamp),
            ).fetchone()
            if from_draft:
                # In the same transaction: the draft is never gone without its entry,
                # nor left behind to be saved a second time.
                self._delete_practice_draft(db, learner_id, course_id, module_id, step_id)
        return PracticeEntry(int(entry_id), dict(values), stamp)

    def save_practice_draft(
        self, learner_id: str, course_id: str, module_id: str, step_id: str,
        values: Mapping[str, str], *, if_settings: Mapping[str, str | None] | None = None,
    ) -> None:
        with self._write() as db:
            self._check_settings(db, learner_id, if_settings)
            if not values:
                self._delete_practice_draft(db, learner_id, course_id, module_id, step_id)
                return
            db.execute(
                "INSERT INTO practice_drafts (learner_id, course_id, module_id, step_id, "
                "fields, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (learner_id, "
                "course_id, module_id, step_id) DO UPDATE SET fields = excluded.fields, "
                "updated_at = excluded.updated_at",
                (learner_id, course_id, module_id, step_id,
                 json.dumps(dict(values), ensure_ascii=False), now()),
            )

    def practice_draft(
        self, learner_id: str, course_id: str, module_id: str, step_id: str
    ) -> dict[str, str] | None:
        row = self._read(
            lambda db: db.execute(
                "SELECT fields FROM practice_drafts WHERE learner_id = ? AND course_id = ? "
                "AND module_id = ? AND step_id = ?",
                (learner_id, course_id, module_id, step_id),
            ).fetchone()
        )
        if row is None:
            return None
        return {str(name): str(value) for name, value in json.loads(row[0]).items()}

    @staticmethod
    def _delete_practice_draft(
        db: Database, learner_id: str, course_id: str, module_id: str, step_id: str
    ) -> None:
        db.execute(
            "DELETE FROM practice_drafts WHERE learner_id = ? AND course_id = ? "
            "AND module_id = ? AND step_id = ?",
            (learner_id, course_id, module_id, step_id),
        )

    def practice_entries(
        self, learner_id: str, course_id: str, module_id: str, step_id: str
    ) -> list[PracticeEntry]:
        rows = self._read(
            lambda db: db.execute(
                "SELECT id, fields, created_at FROM practice_entries WHERE learner_id = ? "
                "AND course_id = ? AND module_id = ? AND step_id = ? ORDER BY id",
                (learner_id, course_id, module_id, step_id),
            ).fetchall()
        )
        return [PracticeEntry(i, json.loads(f), c) for i, f, c in rows]

    def rewrite_private_text(
        self,
        learner_id: str,
        rewrite: Callable[[PrivateText], str],
        settings: Mapping[str, str | None],
        *,
        if_settings: Mapping[str, str | None] | None = None,
    ) -> int:
        count = 0
        with self._write() as db:
            # Held from the start, so no write of this learner's text lands between
            # reading the texts and changing the key.
            self._hold_learner(db, learner_id)
            self._check_settings(db, learner_id, if_settings)
            rows = db.execute(
                "SELECT course_id, module_id, step_id, text, shared FROM reflections "
                "WHERE learner_id = ?",
                (learner_id,),
            ).fetchall()
            for course, module, step, text, shared in rows:
                item = PrivateText(course, module, step, "reflection", "", bool(shared), text)
                db.execute(
                    "UPDATE reflections SET text = ? WHERE learner_id = ? AND course_id = ? "
                    "AND module_id = ? AND step_id = ?",
                    (rewrite(item), learner_id, course, module, step),
                )
                count += 1
            rows = db.execute(
                "SELECT id, course_id, module_id, step_id, fields FROM practice_entries "
                "WHERE learner_id = ?",
                (learner_id,),
            ).fetchall()
            for entry_id, course, module, step, fields in rows:
                values = {
                    name: rewrite(PrivateText(course, module, step, "practice", name, False,
                                              str(value)))
                    for name, value in json.loads(fields).items()
                }
                db.execute(
                    "UPDATE practice_entries SET fields = ? WHERE id = ?",
                    (json.dumps(values, ensure_ascii=False), entry_id),
                )
                count += len(values)
            rows = db.execute(
                "SELECT course_id, module_id, step_id, fields FROM practice_drafts "
                "WHERE learner_id = ?",
                (learner_id,),
            ).fetchall()
            for course, module, step, fields in rows:
                # A draft's fields are sealed in the same places as the log's values.
                values = {
                    name: rewrite(PrivateText(course, module, step, "practice", name, False,
                                              str(value)))
                    for name, value in json.loads(fields).items()
                }
                db.execute(
                    "UPDATE practice_drafts SET fields = ? WHERE learner_id = ? "
                    "AND course_id = ? AND module_id = ? AND step_id = ?",
                    (json.dumps(values, ensure_ascii=False), learner_id, course, module, step),
                )
                count += len(values)
            rows = db.execute(
                "SELECT id, course_id, module_id, step_id, learner_copy FROM "
                "reflection_messages WHERE learner_id = ?",
                (learner_id,),
            ).fetchall()
            for message_id, course, module, step, copy in rows:
                # The learner's copy is sealed to a key derived from the passphrase's, so
                # it is sealed again with the new one (the instructors' copy stays).
                rewritten = rewrite(PrivateText(course, module, step, "message", message_id,
                                                False, copy))
                db.execute("UPDATE reflection_messages SET learner_copy = ? WHERE id = ?",
                           (rewritten, message_id))
                count += 1
            rows = db.execute(
                "SELECT id, course_id, what FROM praktik_entries WHERE learner_id = ?",
                (learner_id,),
            ).fetchall()
            for entry_id, course, what in rows:
                # The trainee's own copy; the supervisor's (if shown) is sealed to them.
                rewritten = rewrite(PrivateText(course, "", entry_id, "praktik", "what",
                                                False, what))
                db.execute("UPDATE praktik_entries SET what = ? WHERE id = ?",
                           (rewritten, entry_id))
                count += 1
            for key, value in settings.items():
                if value is None:
                    db.execute("DELETE FROM settings WHERE scope = ? AND key = ?",
                               (learner_id, key))
                else:
                    db.execute(
                        "INSERT INTO settings (scope, key, value) VALUES (?, ?, ?) "
                        "ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value",
                        (learner_id, key, value),
                    )
        self._after_private_rewrite()
        return count

    # --- completions recorded by a coordinator -----------------------------------

    # --- classroom sessions and their register ---------------------------------

    def add_class_sessions(self, sessions: Sequence[ClassSession]) -> list[ClassSession]:
        added = []
        with self._write() as db:
            for c in sessions:
                row = db.execute(
                    "INSERT INTO class_sessions (cohort, course_id, held_on, starts_at, "
                    "minutes, title, place, created_by, created_at) "
                    f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {SESSION_COLUMNS}",
                    (cohort_code(c.cohort), c.course_id, c.held_on, c.starts_at, c.minutes,
                     c.title, c.place, c.created_by, c.created_at),
                ).fetchone()
                added.append(ClassSession(*row))
        return added

    def class_sessions(
        self, cohort: str | None = None, course_id: str | None = None
    ) -> list[ClassSession]:
        where, params = [], []
        if cohort is not None:
            where.append("cohort = ?")
            params.append(cohort_code(cohort) or "")
        if course_id is not None:
            where.append("course_id = ?")
            params.append(course_id)
        sql = f"SELECT {SESSION_COLUMNS} FROM class_sessions"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY held_on, starts_at, id"
        rows = self._read(lambda db: db.execute(sql, params).fetchall())
        return [ClassSession(*row) for row in rows]

    def class_session(self, session_id: int) -> ClassSession:
        row = self._read(lambda db: db.execute(
            f"SELECT {SESSION_COLUMNS} FROM class_sessions WHERE id = ?", (session_id,)
        ).fetchone())
        if row is None:
            raise StoreError("not_found", f"No session number {session_id}.")
        return ClassSession(*row)

    def cancel_class_session(
        self, session_id: int, cancelled_by: str, reason: str, cancelled_at: str
    ) -> ClassSession:
        with self._write() as db:
            row = db.execute(
                "SELECT cancelled_at FROM class_sessions WHERE id = ?", (session_id,)
            ).fetchone()
            if row is None:
                raise StoreError("not_found", f"No session number {session_id}.")
            if row[0] is None:
                db.execute(
                    "UPDATE class_sessions SET cancelled_at = ?, cancelled_by = ?, "
                    "cancel_reason = ? WHERE id = ?",
                    (cancelled_at, cancelled_by, reason, session_id),
                )
        return self.class_session(session_id)

    def record_attendance(self, marks: Sequence[AttendanceMark]) -> None:
        with self._write() as db:
            for m in marks:
                db.execute(
                    "INSERT INTO attendance (session_id, learner_id, status, minutes_missed, "
                    "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (m.session_id, m.learner_id, m.status, m.minutes_missed, m.recorded_by,
                     m.recorded_at),
                )

    def attendance(
        self, cohort: str | None = None, course_id: str | None = None
    ) -> list[AttendanceMark]:
        where, params = [
            "a.id = (SELECT max(b.id) FROM attendance b "
            "WHERE b.session_id = a.session_id AND b.learner_id = a.learner_id)"
        ], []
        if cohort is not None:
            where.append("s.cohort = ?")
            params.append(cohort_code(cohort) or "")
        if course_id is not None:
            where.append("s.course_id = ?")
            params.append(course_id)
        columns = ", ".join(f"a.{c.strip()}" for c in ATTENDANCE_COLUMNS.split(","))
        sql = (f"SELECT {columns} FROM attendance a JOIN class_sessions s "
               "ON s.id = a.session_id WHERE " + " AND ".join(where) +
               " ORDER BY a.session_id, a.learner_id")
        rows = self._read(lambda db: db.execute(sql, params).fetchall())
        return [AttendanceMark(*row) for row in rows]

    def marked_counts(
        self, cohort: str | None = None, course_id: str | None = None
    ) -> dict[int, int]:
        where, params = [], []
        if cohort is not None:
            where.append("s.cohort = ?")
            params.append(cohort_code(cohort) or "")
        if course_id is not None:
            where.append("s.course_id = ?")
            params.append(course_id)
        sql = ("SELECT a.session_id, count(DISTINCT a.learner_id) FROM attendance a "
               "JOIN class_sessions s ON s.id = a.session_id "
               "JOIN learners l ON l.id = a.learner_id AND l.cohort = s.cohort")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " GROUP BY a.session_id"
        rows = self._read(lambda db: db.execute(sql, params).fetchall())
        return {int(session_id): int(count) for session_id, count in rows}

    def attendance_history(self, session_id: int) -> list[AttendanceMark]:
        rows = self._read(lambda db: db.execute(
            f"SELECT {ATTENDANCE_COLUMNS} FROM attendance WHERE session_id = ? ORDER BY id",
            (session_id,),
        ).fetchall())
        return [AttendanceMark(*row) for row in rows]

    def add_manual_completions(self, completions: Sequence[ManualCompletion]) -> None:
        with self._write() as db:
            for c in completions:
                db.execute(
                    "INSERT INTO manual_completions (learner_id, course_id, module_id, "
                    "completed_on, note, recorded_by, recorded_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (c.learner_id, c.course_id, c.module_id, c.completed_on, c.note,
                     c.recorded_by, c.recorded_at),
                )

    def manual_completions(self, learner_id: str, course_id: str) -> list[ManualCompletion]:
        rows = self._read(
            lambda db: db.execute(
                f"SELECT {MANUAL_COLUMNS} FROM manual_completions "
                "WHERE learner_id = ? AND course_id = ? AND revoked_at IS NULL ORDER BY id",
                (learner_id, course_id),
            ).fetchall()
        )
        return [ManualCompletion(*row) for row in rows]

    def recorded_completions(
        self, learner_id: str | None = None, course_id: str | None = None
    ) -> list[ManualCompletion]:
        where, params = [], []
        if learner_id is not None:
            where.append("learner_id = ?")
            params.append(learner_id)
        if course_id is not None:
            where.append("course_id = ?")
            params.append(course_id)
        sql = f"SELECT {MANUAL_COLUMNS} FROM manual_completions"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._read(lambda db: db.execute(sql + " ORDER BY id", params).fetchall())
        return [ManualCompletion(*row) for row in rows]

    def revoke_manual_completion(
        self, completion_id: int, revoked_by: str, revoked_at: str, note: str
    ) -> ManualCompletion:
        with self._write() as db:
            row = db.execute(
                "UPDATE manual_completions SET revoked_at = ?, revoked_by = ?, revoke_note = ? "
                f"WHERE id = ? AND revoked_at IS NULL RETURNING {MANUAL_COLUMNS}",
                (revoked_at, revoked_by, note, completion_id),
            ).fetchone()
        if row is None:
            raise StoreError(
                "not_found",
                f"There is no recorded completion with id {completion_id} that stands "
                "(revoked ones stay revoked). List them with: peerskole records list",
            )
        return ManualCompletion(*row)

    # --- certificates issued --------------------------------------------------------

    def record_certificate(self, certificate: IssuedCertificate) -> IssuedCertificate:
        c = certificate
        with self._write() as db:
            # The id is derived from the completion: issuing it again keeps when and by
            # whom it was first issued, and takes what is printed now (a corrected name).
            db.execute(
                f"INSERT INTO certificates ({CERTIFICATE_COLUMNS}) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "learner_name = excluded.learner_name, course_title = excluded.course_title, "
                "organisation = excluded.organisation WHERE certificates.revoked_at IS NULL",
                (c.id, c.learner_id, c.learner_name, c.course_id, c.course_title,
                 c.course_version, c.kind, c.completed_at, c.organisation, c.issued_at,
                 c.issued_by, c.revoked_at, c.revoked_by, c.revoke_note),
            )
            row = db.execute(
                f"SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE id = ?", (c.id,)
            ).fetchone()
        return IssuedCertificate(*row)

    def issued_certificate(self, certificate_id: str) -> IssuedCertificate | None:
        row = self._read(
            lambda db: db.execute(
                f"SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE id = ?",
                (certificate_id,),
            ).fetchone()
        )
        return IssuedCertificate(*row) if row else None

    def revoke_certificate(
        self, certificate_id: str, revoked_by: str, revoked_at: str, note: str
    ) -> IssuedCertificate:
        with self._write() as db:
            row = db.execute(
                "UPDATE certificates SET revoked_at = ?, revoked_by = ?, revoke_note = ? "
                f"WHERE id = ? AND revoked_at IS NULL RETURNING {CERTIFICATE_COLUMNS}",
                (revoked_at, revoked_by, note, certificate_id),
            ).fetchone()
        if row is None:
            raise StoreError(
                "not_found",
                f"There is no certificate with id {certificate_id} that stands (revoked ones "
                "stay revoked). Check it with: peerskole certificate verify ID",
            )
        return IssuedCertificate(*row)

    # --- passphrase tries ---------------------------------------------------------

    def start_passphrase_try(
        self, learner_id: str, at: int, delay: Callable[[int], int]
    ) -> tuple[int, int]:
        """Count a passphrase try of the learner, unless they must wait first.

        In one transaction, so every window and process shares the count: with
        ``failures`` tries counted since the last right one, the last at ``last``,
        the next is allowed from ``last + delay(failures)`` on. An allowed try is
        counted at once, as wrong until :meth:`clear_passphrase_tries` says it was
        right, so tries made in parallel cannot slip through together.

        Args:
            learner_id: whose profile.
            at: now, in whole seconds since the epoch.
            delay: the wait (seconds) after a number of wrong tries.

        Returns:
            The seconds still to wait (0 when this try was counted) and the tries
            counted.
        """
        with self._write() as db:
            # Held, so two tries at the same moment are counted one after the other.
            self._hold_learner(db, learner_id)
            row = db.execute(
                "SELECT failures, last_try FROM passphrase_tries WHERE learner_id = ?",
                (learner_id,),
            ).fetchone()
            failures, last = (int(row[0]), int(row[1])) if row else (0, at)
            left = last + delay(failures) - at
            if row is not None and left > 0:
                return left, failures
            db.execute(
                "INSERT INTO passphrase_tries (learner_id, failures, last_try) VALUES (?, ?, ?) "
                "ON CONFLICT (learner_id) DO UPDATE SET failures = excluded.failures, "
                "last_try = excluded.last_try",
                (learner_id, failures + 1, at),
            )
        return 0, failures + 1

    def clear_passphrase_tries(self, learner_id: str) -> None:
        """Forget the learner's wrong tries: the last one was right."""
        with self._write() as db:
            db.execute("DELETE FROM passphrase_tries WHERE learner_id = ?", (learner_id,))

    # --- settings -----------------------------------------------------------

    def setting(self, scope: str, key: str) -> str | None:
        row = self._read(
            lambda db: db.execute(
                "SELECT value FROM settings WHERE scope = ? AND key = ?", (scope, key)
            ).fetchone()
        )
        return str(row[0]) if row else None

    def set_setting(
        self, scope: str, key: str, value: str, *,
        if_settings: Mapping[str, str | None] | None = None,
    ) -> None:
        with self._write() as db:
            if if_settings is not None:
                self._check_settings(db, scope, if_settings)
            db.execute(
                "INSERT INTO settings (scope, key, value) VALUES (?, ?, ?) "
                "ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value",
                (scope, key, value),
            )

    # --- the course library ----------------------------------------------------

    def install_course(
        self, course: InstalledCourse, files: Mapping[str, str]
    ) -> tuple[InstalledCourse, bool]:
        with self._write() as db:
            # Two machines installing one version at once: the first to commit wins,
            # the other's insert does nothing and it is told what is stored.
            row = db.execute(
                f"INSERT INTO course_versions ({COURSE_VERSION_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (course_id, version) DO NOTHING "
                "RETURNING id",
                (course.course_id, course.version, course.title, course.content_hash,
                 course.installed_at, course.installed_by),
            ).fetchone()
            added = row is not None
            if added:
                for path, text in sorted(files.items()):
                    db.execute(
                        "INSERT INTO course_files (course_id, version, path, text) "
                        "VALUES (?, ?, ?, ?)",
                        (course.course_id, course.version, path, text),
                    )
            stored = db.execute(
                f"SELECT {COURSE_VERSION_COLUMNS} FROM course_versions "
                "WHERE course_id = ? AND version = ?",
                (course.course_id, course.version),
            ).fetchone()
        return InstalledCourse(*stored), added

    def installed_courses(self, course_id: str | None = None) -> list[InstalledCourse]:
        sql = f"SELECT {COURSE_VERSION_COLUMNS} FROM course_versions"
        params: tuple[str, ...] = ()
        if course_id is not None:
            sql += " WHERE course_id = ?"
            params = (course_id,)
        rows = self._read(lambda db: db.execute(sql + " ORDER BY course_id, id", params)
                          .fetchall())
        return [InstalledCourse(*row) for row in rows]

    def course_files(self, course_id: str, version: str) -> dict[str, str]:
        rows = self._read(
            lambda db: db.execute(
                "SELECT path, text FROM course_files WHERE course_id = ? AND version = ? "
                "ORDER BY path",
                (course_id, version),
            ).fetchall()
        )
        return {str(path): str(text) for path, text in rows}

    def remove_course(self, course_id: str) -> int:
        with self._write() as db:
            db.execute("DELETE FROM course_files WHERE course_id = ?", (course_id,))
            rows = db.execute(
                "DELETE FROM course_versions WHERE course_id = ? RETURNING id", (course_id,)
            ).fetchall()
        return len(rows)

    def learners_with_records(self, course_id: str) -> int:
        row = self._read(
            lambda db: db.execute(
                "SELECT count(*) FROM (SELECT learner_id FROM step_records WHERE "
                "course_id = ? UNION SELECT learner_id FROM manual_completions WHERE "
                "course_id = ?) AS holders",
                (course_id, course_id),
            ).fetchone()
        )
        return int(row[0])

    # --- the badge issuer's key -------------------------------------------------

    def badge_issuer_key(self) -> str | None:
        row = self._read(
            lambda db: db.execute("SELECT private_key FROM badge_issuer_key WHERE id = 1")
            .fetchone()
        )
        return str(row[0]) if row else None

    def keep_badge_issuer_key(self, private_key: str) -> str:
        with self._write() as db:
            # Two machines making the first key at once: the first to commit wins, the
            # other's insert does nothing and it reads (and signs with) the winner's.
            db.execute(
                "INSERT INTO badge_issuer_key (id, private_key, created_at) VALUES (1, ?, ?) "
                "ON CONFLICT (id) DO NOTHING",
                (private_key, now()),
            )
            row = db.execute("SELECT private_key FROM badge_issuer_key WHERE id = 1").fetchone()
        return str(row[0])

    # --- instructors ------------------------------------------------------------

    def add_instructor(self, instructor: Instructor) -> None:
        i = instructor
        with self._write() as db:
            db.execute(
                f"INSERT INTO instructors ({INSTRUCTOR_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (i.id, i.name, i.kdf, i.public_key, i.sealed_private_key, i.created_at,
                 i.removed_at),
            )

    def instructors(self, include_removed: bool = False) -> list[Instructor]:
        sql = f"SELECT {INSTRUCTOR_COLUMNS} FROM instructors"
        if not include_removed:
            sql += " WHERE removed_at IS NULL"
        rows = self._read(lambda db: db.execute(sql + " ORDER BY name, id").fetchall())
        return [Instructor(*row) for row in rows]

    def instructor(self, instructor_id: str) -> Instructor:
        row = self._read(
            lambda db: db.execute(
                f"SELECT {INSTRUCTOR_COLUMNS} FROM instructors WHERE id = ?", (instructor_id,)
            ).fetchone()
        )
        if row is None:
            raise StoreError("not_found", f'There is no instructor with id "{instructor_id}".')
        return Instructor(*row)

    def remove_instructor(self, instructor_id: str, removed_at: str) -> Instructor:
        with self._write() as db:
            # The sealed private key goes: even with the passphrase, nothing opens any more.
            row = db.execute(
                "UPDATE instructors SET removed_at = ?, sealed_private_key = '' "
                f"WHERE id = ? AND removed_at IS NULL RETURNING {INSTRUCTOR_COLUMNS}",
                (removed_at, instructor_id),
            ).fetchone()
        if row is None:
            raise StoreError("not_found",
                             f'There is no instructor with id "{instructor_id}" (not removed).')
        self._after_private_rewrite()
        return Instructor(*row)

    def start_instructor_try(
        self, instructor_id: str, at: int, delay: Callable[[int], int]
    ) -> tuple[int, int]:
        """Count an instructor's passphrase try, as :meth:`start_passphrase_try` does."""
        return self._start_role_try("instructors", "instructor", instructor_id, at, delay)

    def _start_role_try(
        self, table: Literal["instructors", "supervisors"], role: str, role_id: str, at: int,
        delay: Callable[[int], int],
    ) -> tuple[int, int]:
        """Count a role's passphrase try (its table keeps the failures and the last try)."""
        with self._write() as db:
            # The row lock (PostgreSQL) or the write transaction (SQLite) makes two tries
            # at one moment count one after the other.
            row = db.execute(
                f"UPDATE {table} SET failures = failures WHERE id = ? "
                "RETURNING failures, last_try",
                (role_id,),
            ).fetchone()
            if row is None:
                raise StoreError("not_found", f'There is no {role} with id "{role_id}".')
            failures, last = int(row[0]), int(row[1])
            left = last + delay(failures) - at
            if failures and left > 0:
                return left, failures
            db.execute(f"UPDATE {table} SET failures = ?, last_try = ? WHERE id = ?",
                       (failures + 1, at, role_id))
        return 0, failures + 1

    def clear_instructor_tries(self, instructor_id: str) -> None:
        with self._write() as db:
            db.execute("UPDATE instructors SET failures = 0 WHERE id = ?", (instructor_id,))

    # --- the dialogue on shared reflections ------------------------------------------

    def shared_reflections(
        self, cohort: str | None = None
    ) -> list[tuple[Learner, SharedReflection]]:
        # The filter on `shared` is here, in SQL, so a private text never leaves the store.
        sql = (
            "SELECT l.id, l.display_name, l.cohort, l.created_at, r.course_id, r.module_id, "
            "r.step_id, r.text, r.updated_at FROM reflections r "
            "JOIN learners l ON l.id = r.learner_id WHERE r.shared = 1"
        )
        params: tuple[Any, ...] = ()
        if cohort is not None:
            sql += " AND l.cohort = ?"
            params = (cohort_code(cohort),)
        sql += " ORDER BY r.updated_at DESC, l.id, r.course_id, r.module_id, r.step_id"
        rows = self._read(lambda db: db.execute(sql, params).fetchall())
        return [(Learner(*row[:4]), SharedReflection(*row[4:])) for row in rows]

    def add_message(
        self, message: ReflectionMessage, *, if_settings: Mapping[str, str | None] | None = None
    ) -> None:
        m = message
        with self._write() as db:
            self._check_settings(db, m.learner_id, if_settings)
            db.execute(
                f"INSERT INTO reflection_messages ({MESSAGE_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (m.id, m.learner_id, m.course_id, m.module_id, m.step_id, m.author,
                 m.instructor_id, m.created_at, m.read_at, m.learner_copy, m.instructor_copy),
            )

    def messages(
        self, learner_id: str, course_id: str, module_id: str, step_id: str
    ) -> list[ReflectionMessage]:
        rows = self._read(
            lambda db: db.execute(
                f"SELECT {MESSAGE_COLUMNS} FROM reflection_messages WHERE learner_id = ? "
                "AND course_id = ? AND module_id = ? AND step_id = ? ORDER BY created_at, id",
                (learner_id, course_id, module_id, step_id),
            ).fetchall()
        )
        return [ReflectionMessage(*row) for row in rows]

    def message_heads(self, learner_id: str | None = None) -> list[MessageHead]:
        sql = (
            "SELECT learner_id, course_id, module_id, step_id, count(*), max(created_at), "
            "max(CASE WHEN author = 'instructor' THEN created_at END), "
            "sum(CASE WHEN author = 'learner' AND read_at IS NULL THEN 1 ELSE 0 END), "
            "sum(CASE WHEN author = 'instructor' AND read_at IS NULL THEN 1 ELSE 0 END) "
            "FROM reflection_messages"
        )
        params: tuple[str, ...] = ()
        if learner_id is not None:
            sql += " WHERE learner_id = ?"
            params = (learner_id,)
        sql += (" GROUP BY learner_id, course_id, module_id, step_id "
                "ORDER BY learner_id, course_id, module_id, step_id")
        rows = self._read(lambda db: db.execute(sql, params).fetchall())
        return [MessageHead(str(a), str(b), str(c), str(d), int(n), str(last), least,
                            int(u1), int(u2))
                for a, b, c, d, n, last, least, u1, u2 in rows]

    def set_instructor_copies(self, copies: Mapping[str, str]) -> None:
        with self._write() as db:
            for message_id, copy in copies.items():
                db.execute("UPDATE reflection_messages SET instructor_copy = ? WHERE id = ?",
                           (copy, message_id))

    def mark_messages_read(self, message_ids: Sequence[str], read_at: str) -> int:
        if not message_ids:
            return 0
        with self._write() as db:
            rows = db.execute(
                f"UPDATE reflection_messages SET read_at = ? WHERE id IN "
                f"({self._in(message_ids)}) AND read_at IS NULL RETURNING id",
                (read_at, *message_ids),
            ).fetchall()
        return len(rows)

    # --- praktik supervisors and praktik hours ------------------------------------------

    def add_supervisor(self, supervisor: Supervisor) -> None:
        v = supervisor
        with self._write() as db:
            db.execute(
                f"INSERT INTO supervisors ({SUPERVISOR_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (v.id, v.name, v.kdf, v.public_key, v.sealed_private_key, v.created_at,
                 v.removed_at),
            )

    def supervisors(self, include_removed: bool = False) -> list[Supervisor]:
        sql = f"SELECT {SUPERVISOR_COLUMNS} FROM supervisors"
        if not include_removed:
            sql += " WHERE removed_at IS NULL"
        rows = self._read(lambda db: db.execute(sql + " ORDER BY name, id").fetchall())
        return [Supervisor(*row) for row in rows]

    def supervisor(self, supervisor_id: str) -> Supervisor:
        row = self._read(
            lambda db: db.execute(
                f"SELECT {SUPERVISOR_COLUMNS} FROM supervisors WHERE id = ?", (supervisor_id,)
            ).fetchone()
        )
        if row is None:
            raise StoreError("not_found", f'There is no supervisor with id "{supervisor_id}".')
        return Supervisor(*row)

    def start_supervisor_try(
        self, supervisor_id: str, at: int, delay: Callable[[int], int]
    ) -> tuple[int, int]:
        return self._start_role_try("supervisors", "supervisor", supervisor_id, at, delay)

    def clear_supervisor_tries(self, supervisor_id: str) -> None:
        with self._write() as db:
            db.execute("UPDATE supervisors SET failures = 0 WHERE id = ?", (supervisor_id,))

    def add_praktik_entry(
        self, entry: PraktikEntry, *, if_settings: Mapping[str, str | None] | None = None
    ) -> None:
        e = entry
        with self._write() as db:
            self._check_settings(db, e.learner_id, if_settings)
            db.execute(
                f"INSERT INTO praktik_entries ({PRAKTIK_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (e.id, e.learner_id, e.course_id, e.done_on, e.minutes, e.place, e.what,
                 e.supervisor_id, e.supervisor_copy, e.created_at, e.updated_at),
            )

    @staticmethod
    def _check_latest(db: Database, entry_id: str, expected: int | None) -> None:
        """Refuse a write on an entry whose latest decision is no longer ``expected``."""
        if db.execute("SELECT 1 FROM praktik_entries WHERE id = ?", (entry_id,)
                      ).fetchone() is None:
            raise StoreError("not_found", f'There is no praktik entry with id "{entry_id}".')
        row = db.execute("SELECT max(id) FROM praktik_decisions WHERE entry_id = ?",
                         (entry_id,)).fetchone()
        latest = None if row is None or row[0] is None else int(row[0])
        if latest != expected:
            raise StoreError("stale", "This praktik entry was decided on meanwhile; nothing "
                             "was written. Look at it again.")

    def change_praktik_entry(
        self, entry: PraktikEntry, asked: PraktikDecision, *, if_latest: int | None,
        if_settings: Mapping[str, str | None] | None = None,
    ) -> PraktikDecision:
        e = entry
        with self._write() as db:
            self._check_settings(db, e.learner_id, if_settings)
            self._check_latest(db, e.id, if_latest)
            db.execute(
                "UPDATE praktik_entries SET done_on = ?, minutes = ?, place = ?, what = ?, "
                "supervisor_id = ?, supervisor_copy = ?, updated_at = ? WHERE id = ?",
                (e.done_on, e.minutes, e.place, e.what, e.supervisor_id, e.supervisor_copy,
                 e.updated_at, e.id),
            )
            row = self._insert_decision(db, asked)
        return PraktikDecision(*row)

    def praktik_entries(
        self, *, learner_id: str | None = None, course_id: str | None = None,
        supervisor_id: str | None = None,
    ) -> list[PraktikEntry]:
        where, params = [], []
        for column, value in (("learner_id", learner_id), ("course_id", course_id),
                              ("supervisor_id", supervisor_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = f"SELECT {PRAKTIK_COLUMNS} FROM praktik_entries"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._read(lambda db: db.execute(sql + " ORDER BY done_on, created_at, id",
                                                params).fetchall())
        return [PraktikEntry(*row) for row in rows]

    def praktik_decisions(
        self, *, learner_id: str | None = None, supervisor_id: str | None = None,
        entry_id: str | None = None,
    ) -> list[PraktikDecision]:
        where, params = [], []
        for column, value in (("e.learner_id", learner_id), ("e.supervisor_id", supervisor_id),
                              ("e.id", entry_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        columns = ", ".join(f"d.{c.strip()}" for c in DECISION_COLUMNS.split(","))
        sql = (f"SELECT {columns} FROM praktik_decisions d "
               "JOIN praktik_entries e ON e.id = d.entry_id")
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._read(lambda db: db.execute(sql + " ORDER BY d.id", params).fetchall())
        return [PraktikDecision(*row) for row in rows]

    @staticmethod
    def _insert_decision(db: Database, d: PraktikDecision) -> Any:
        return db.execute(
            "INSERT INTO praktik_decisions (entry_id, decision, note, decided_by, decided_at) "
            f"VALUES (?, ?, ?, ?, ?) RETURNING {DECISION_COLUMNS}",
            (d.entry_id, d.decision, d.note, d.decided_by, d.decided_at),
        ).fetchone()

    def add_praktik_decision(
        self, decision: PraktikDecision, *, if_latest: int | None
    ) -> PraktikDecision:
        with self._write() as db:
            # The entry's row is held (PostgreSQL) so two supervisors' windows deciding
            # at once are told apart; SQLite's write transaction holds everything.
            db.execute("UPDATE praktik_entries SET updated_at = updated_at WHERE id = ?",
                       (decision.entry_id,))
            self._check_latest(db, decision.entry_id, if_latest)
            row = self._insert_decision(db, decision)
        return PraktikDecision(*row)

    def approved_praktik_minutes(
        self, course_id: str, cohort: str | None = None
    ) -> dict[str, int]:
        minutes: dict[str, int] = {}
        for entry in self.approved_praktik(course_id, cohort):
            minutes[entry.learner_id] = minutes.get(entry.learner_id, 0) + entry.minutes
        return minutes

    def approved_praktik(
        self, course_id: str, cohort: str | None = None
    ) -> list[ApprovedPraktikEntry]:
        # The rule of peerskole.progress.approved_praktik_minutes, in SQL: an entry counts
        # when its latest decision (the highest id) is an approval, i.e. an approval no
        # later decision follows. Written as NOT EXISTS rather than "= (SELECT max(id))":
        # on 10,000 learners with 10 entries each, PostgreSQL took 230-330 ms for the
        # max() form and about 50 ms for this one (an anti-join); SQLite 67 and 57 ms.
        sql = (
            "SELECT e.learner_id, e.id, e.done_on, e.minutes, d.decided_at "
            "FROM praktik_entries e "
            "JOIN praktik_decisions d ON d.entry_id = e.id "
            "WHERE e.course_id = ? AND d.decision = 'approved' AND NOT EXISTS "
            "(SELECT 1 FROM praktik_decisions d2 WHERE d2.entry_id = d.entry_id "
            "AND d2.id > d.id)"
        )
        params: list[Any] = [course_id]
        if cohort is not None:
            sql += " AND e.learner_id IN (SELECT id FROM learners WHERE cohort = ?)"
            params.append(cohort_code(cohort) or "")
        sql += " ORDER BY e.learner_id, e.done_on, e.id"
        rows = self._read(lambda db: db.execute(sql, params).fetchall())
        return [ApprovedPraktikEntry(str(learner), str(entry), str(day), int(minutes), str(at))
                for learner, entry, day, minutes, at in rows]
