"""Opening the store a command or the app is configured for: SQLite or PostgreSQL.

Apart from :mod:`peerskole.store.base` (the interface every backend implements), so the
interface does not import its backends.
"""

from __future__ import annotations

from pathlib import Path

from peerskole.store.base import DATABASE_NAME, DATABASE_URL_VARIABLE, Store, StoreError


def open_store(
    data_dir: Path | None = None, database_url: str | None = None, must_exist: bool = False
) -> Store:
    """Open the configured store, creating and migrating it if needed.

    A ``postgresql://`` URL (``database_url``, else ``$PEERSKOLE_DATABASE_URL``) opens
    that PostgreSQL database; otherwise the embedded SQLite file in the data folder.

    Args:
        data_dir: the data folder (default: the platform's, or $PEERSKOLE_DATA_DIR).
        database_url: a PostgreSQL database to use instead.
        must_exist: refuse to make an embedded database where there is none (a
            command that only reads, given a mistyped folder, says so rather than
            make an empty one and report no learners).

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
    path = folder / DATABASE_NAME
    if must_exist and not path.exists():
        raise StoreError(
            "not_found",
            f"There is no peerskole database in {folder}. Check the folder given with "
            f"--data-dir (or PEERSKOLE_DATA_DIR); the app makes the database when it is "
            "first opened, and so does 'peerskole learner add'.",
        )
    return SQLiteStore(path)
