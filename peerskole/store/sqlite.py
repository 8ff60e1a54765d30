"""The embedded SQLite store.

The file is created with mode 0600 (and its folder 0700): it holds people's
words about their own health. WAL lets readers and a writer work at once; every
write is one ``BEGIN IMMEDIATE`` transaction, so two processes never interleave
half a change; migrations run in such a transaction too, so two processes
starting at the same moment migrate once.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final, TypeVar

from peerskole.store.base import StoreError
from peerskole.store.sql import (
    LATEST_VERSION,
    MIGRATIONS,
    SQLStore,
    migration_statements,
    newer_schema,
)

__all__ = ["MIGRATIONS", "SQLiteStore"]

BUSY_TIMEOUT_MS: Final = 5000
"""How long a write waits for another process's write before giving up."""

SCRUB_TRIES: Final = 2
"""Checkpoints tried at once (each waiting out the busy timeout for readers) before
cutting the WAL is left for after the next write."""

ISSUER_KEY_NAME: Final = "badge-issuer-key.pem"
"""File name of the Open Badges signing key, beside the database (mode 0600)."""
ISSUER_KEY_MAX_BYTES: Final = 16 * 1024
"""More than any PEM private key takes: a bigger file is not a key peerskole made."""

AUTO_ID: Final = "INTEGER PRIMARY KEY AUTOINCREMENT"
"""A self-numbering key in SQLite's spelling (ids are never reused)."""

T = TypeVar("T")


def _translate(error: sqlite3.Error, path: Path) -> StoreError:
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return StoreError(
            "locked",
            "The progress database is busy in another program. Your work is kept; "
            "peerskole tries again.",
        )
    if "full" in text:
        return StoreError(
            "full",
            f"The disk holding {path.parent} is full. Your work is kept in memory; "
            "free some space and peerskole saves it.",
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return StoreError(
            "readonly",
            f"peerskole cannot write to {path}. Check that the folder exists and that "
            "you may write to it.",
        )
    if "malformed" in text or "not a database" in text:
        return StoreError(
            "corrupt",
            f"{path} is damaged or is not a peerskole database. Restore it from a backup "
            "or move it aside to start afresh.",
        )
    return StoreError("unavailable", f"The progress database could not be used: {error}.")


PRIVATE_FOLDER: Final = 0o700
"""The data folder's mode: only its owner may list, enter or write it."""
PRIVATE_FILE: Final = 0o600
"""The database's mode (and its -wal and -shm files'): only its owner may read it."""


def tighten_permissions(path: Path) -> list[str]:
    """Make the database, its -wal and -shm files and their folder private to their owner.

    Each that others may read (or write) is tightened where this user owns it;
    otherwise (another user's, a file system that keeps no modes) a sentence says
    so and what to do. The folder is left as it is when it is the home folder or a
    shared one such as /tmp (sticky): changing those would change more than
    peerskole's; the database in it is private all the same.

    Returns:
        The sentences, one for each place that stays readable by others.
    """
    if os.name != "posix":
        return []  # Windows keeps access lists, not modes; a user's profile is theirs
    notes: list[str] = []
    folder = path.parent
    places = [(folder, PRIVATE_FOLDER)] + [
        (p, PRIVATE_FILE) for p in (path, path.with_name(path.name + "-wal"),
                                    path.with_name(path.name + "-shm")) if p.exists()
    ]
    for place, private in places:
        mode = stat.S_IMODE(place.stat().st_mode)
        if not mode & ~private:
            continue
        kind = "folder" if place is folder else "file"
        shared = place is folder and (
            mode & stat.S_ISVTX or place.resolve() == Path.home().resolve())
        if shared:
            notes.append(
                f"The data folder {place} can be listed by other users of this computer "
                f"(mode {mode:04o}), and peerskole leaves a shared folder such as this as "
                "it is. Keep progress in a folder of its own with --data-dir or "
                "PEERSKOLE_DATA_DIR.")
            continue
        if place.stat().st_uid == os.getuid():
            with contextlib.suppress(OSError):
                os.chmod(place, mode & private)
            if not stat.S_IMODE(place.stat().st_mode) & ~private:
                continue
            why = "its file system does not keep permissions"
        else:
            why = "it belongs to another user"
        notes.append(
            f"The {kind} {place} can be read by other users of this computer (mode "
            f"{mode:04o}), and peerskole cannot change that: {why}. Ask its owner to run "
            f"chmod {private:o} {place}, or keep progress elsewhere with --data-dir.")
    return notes


class SQLiteStore(SQLStore):
    """The embedded store; safe to share between the app's threads.

    Args:
        path: the database file; it and its folder are created if missing.

    Raises:
        StoreError: when the database cannot be opened or migrated.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._scrub_owed = False
        """Whether old private text may still be in the WAL (a checkpoint was kept from
        finishing); see _after_private_rewrite."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not path.exists():
                # Create the file ourselves so it is private from its first byte.
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            # SQLite makes its -wal and -shm files with the database file's mode, so
            # they are private once it is; ones left from before are tightened too.
            self._notices = tuple(tighten_permissions(path))
        except OSError as error:
            raise StoreError(
                "readonly",
                f"peerskole cannot create {path}: {error.strerror}. Choose another folder "
                "with --data-dir or PEERSKOLE_DATA_DIR.",
            ) from error
        try:
            self._db = sqlite3.connect(
                path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
            )
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._use_wal()
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA foreign_keys = ON")
            # Overwrite deleted and replaced content with zeros instead of leaving it in
            # free space: when a passphrase is set, the old readable text must not
            # survive in the file (see rewrite_private_text).
            self._db.execute("PRAGMA secure_delete = ON")
            self._migrate()
        except sqlite3.Error as error:
            raise _translate(error, path) from error

    @property
    def where(self) -> str:
        return str(self.path)

    @property
    def notices(self) -> tuple[str, ...]:
        return self._notices

    def close(self) -> None:
        with self._lock:
            self._scrub(tries=1)
            self._db.close()

    # --- plumbing -----------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise _translate(error, self.path) from error
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException as error:
                try:
                    self._db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                if isinstance(error, sqlite3.Error):
                    raise _translate(error, self.path) from error
                raise
            if self._scrub_owed:
                self._scrub(tries=1)

    def _read(self, query: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            try:
                return query(self._db)
            except sqlite3.Error as error:
                raise _translate(error, self.path) from error

    def _use_wal(self) -> None:
        # WAL is a property of the file, kept once set. Setting it needs a lock for
        # which SQLite does not always wait (it answers "locked" at once to avoid a
        # deadlock, e.g. while another process creates the same fresh database), so
        # this waits here, up to the busy timeout like every other lock.
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                if self._db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    self._db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                busy = "locked" in str(error) or "busy" in str(error)
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _migrate(self) -> None:
        current = self._db.execute("PRAGMA user_version").fetchone()[0]
        if current > LATEST_VERSION:
            raise newer_schema(str(self.path))
        if current == LATEST_VERSION:
            return  # nothing to write: opening works on a full disk, too
        with self._write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > LATEST_VERSION:
                raise newer_schema(str(self.path))
            for number in range(version, LATEST_VERSION):
                for statement in migration_statements(number, AUTO_ID):
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {LATEST_VERSION}")

    def schema_version(self) -> int:
        """How many migrations the database has had (PRAGMA user_version)."""
        return int(self._read(lambda db: db.execute("PRAGMA user_version").fetchone()[0]))

    # --- the badge issuer's key ----------------------------------------------
    # On one machine the key is a file of its own beside the database, not a row in
    # it: the organisation's secret can then be backed up, moved to the machine that
    # replaces this one, or put aside, apart from the trainees' records, and its
    # permissions are checked each time it is read.

    @property
    def issuer_key_path(self) -> Path:
        """Where this store keeps the Open Badges signing key."""
        return self.path.parent / ISSUER_KEY_NAME

    def badge_issuer_key(self) -> str | None:
        path = self.issuer_key_path
        try:
            handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            return None
        except OSError as error:
            raise StoreError(
                "unavailable",
                f"peerskole cannot read the badge signing key {path}: {error.strerror}. "
                "Check that you may read it (it should be yours, mode 0600).",
            ) from error
        with os.fdopen(handle, "rb") as stream:
            mode = os.fstat(stream.fileno()).st_mode
            if os.name == "posix" and mode & 0o077:
                raise StoreError(
                    "unavailable",
                    f"The badge signing key {path} may be read by other users of this "
                    f"computer (mode {mode & 0o777:04o}), so someone may have a copy and "
                    "could sign badges in your organisation's name. No badge was signed. If "
                    f"you are sure nobody has, make it private again with: chmod 600 {path}. "
                    "Otherwise move it aside: peerskole makes a new key on the next badge, "
                    "and you publish the new one (peerskole badge key).",
                )
            data = stream.read(ISSUER_KEY_MAX_BYTES + 1)
        try:
            if len(data) > ISSUER_KEY_MAX_BYTES:
                raise ValueError("too long")
            return data.decode("ascii")
        except ValueError:
            raise StoreError(
                "corrupt",
                f"{path} is not a badge signing key peerskole made (it is not a PEM text "
                "file). Restore it from a backup, or move it aside to make a new key.",
            ) from None

    def keep_badge_issuer_key(self, private_key: str) -> str:
        path = self.issuer_key_path
        temporary = path.with_name(f".{ISSUER_KEY_NAME}.{os.getpid()}.{threading.get_ident()}")
        try:
            # Private from its first byte (umask can only take bits away from 0600),
            # written whole, then linked into place: linking fails if another process
            # made a key meanwhile, and that key is the one kept.
            handle = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with os.fdopen(handle, "wb") as stream:
                stream.write(private_key.encode("ascii"))
                stream.flush()
                os.fsync(stream.fileno())
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
            except OSError:
                # A file system without hard links: create the key file exclusively.
                self._create_exclusively(path, private_key)
        except OSError as error:
            raise StoreError(
                "readonly",
                f"peerskole cannot write the badge signing key {path}: {error.strerror}. "
                "Check that you may write to that folder.",
            ) from error
        finally:
            try:
                os.unlink(temporary)
            except OSError:
                pass
        kept = self.badge_issuer_key()
        if kept is None:
            raise StoreError("unavailable", f"The badge signing key {path} vanished as it "
                             "was made; try again.")
        return kept

    @staticmethod
    def _create_exclusively(path: Path, private_key: str) -> None:
        try:
            handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return
        with os.fdopen(handle, "wb") as stream:
            stream.write(private_key.encode("ascii"))
            stream.flush()
            os.fsync(stream.fileno())

    def _after_private_rewrite(self) -> None:
        # The WAL still holds the pages as they were, old text included: copy the new
        # pages into the database (secure_delete zeroed the old cells there) and cut
        # the WAL to nothing. A reader in another process can keep the checkpoint from
        # finishing for longer than the busy timeout it waits; then it is owed, and
        # tried again after every later write and on closing.
        self._scrub_owed = True
        self._scrub(SCRUB_TRIES)

    @property
    def scrub_owed(self) -> bool:
        """Whether old private text may still be in the WAL: a checkpoint is owed."""
        return self._scrub_owed

    def _scrub(self, tries: int) -> None:
        """Checkpoint and truncate the WAL, if that is owed; up to ``tries`` times."""
        with self._lock:
            if not self._scrub_owed:
                return
            for _ in range(tries):
                try:
                    busy, _log, _done = self._db.execute(
                        "PRAGMA wal_checkpoint(TRUNCATE)"
                    ).fetchone()
                except sqlite3.Error:
                    busy = 1  # not this time; the data itself is written
                if not busy:
                    self._scrub_owed = False
                    return
