"""The core never imports textual, and importing peerskole does no work."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO_DIR

CORE = [
    "peerskole.course.model",
    "peerskole.course.loader",
    "peerskole.course.schema",
    "peerskole.course.scaffold",
    "peerskole.locations",
    "peerskole.ordering",
    "peerskole.progress",
    "peerskole.session",
    "peerskole.answers",
    "peerskole.notices",
    "peerskole.plain.app",
    "peerskole.plain.steps",
    "peerskole.store.sqlite",
    "peerskole.store.postgres",
    "peerskole.instructors",
    "peerskole.dialogue",
    "peerskole.praktik",
]


def modules_after_import(*names: str) -> set[str]:
    code = (
        "import sys\n"
        + "".join(f"import {n}\n" for n in names)
        + "print('\\n'.join(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_DIR, check=True
    )
    return set(result.stdout.split())


def test_core_does_not_import_textual() -> None:
    loaded = modules_after_import(*CORE)
    assert not {m for m in loaded if m == "textual" or m.startswith(("textual.", "rich"))}


def test_cli_module_imports_nothing_heavy() -> None:
    """`peerskole --help` must not pay for pydantic, textual or the database."""
    loaded = modules_after_import("peerskole.cli")
    heavy = {"textual", "pydantic", "sqlite3", "psycopg", "cryptography", "fpdf", "tomlkit"}
    assert not heavy & loaded


def test_import_creates_no_files(tmp_path: object) -> None:
    import os

    data = os.environ["PEERSKOLE_DATA_DIR"]
    modules_after_import(*CORE, "peerskole.cli")
    assert not os.path.exists(data)


def test_psycopg_is_imported_only_when_a_postgresql_store_is_opened() -> None:
    """SQLite users never pay for the PostgreSQL driver."""
    assert "psycopg" not in modules_after_import(*CORE, "peerskole.store")
