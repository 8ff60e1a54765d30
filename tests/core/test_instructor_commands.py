"""``peerskole instructor`` as a coordinator and an instructor meet it, on both backends;
and a reply's text in no database file or table in the clear, nor in any export."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from peerskole import dialogue
from peerskole.cli import main
from peerskole.store.base import DATABASE_NAME
from peerskole.store.sql import SQLStore
from tests.conftest import SAMPLE_COURSE
from tests.core.conftest import Backend
from tests.core.dialogue_world import (
    COURSE,
    INSTRUCTOR_PASSPHRASE,
    MODULE,
    PRIVATE_MARKER,
    REPLY_MARKER,
    SHARED_TEXT,
    STEP,
    make_world,
)

ANSWER_MARKER = "Trækfuglene over Vadehavet svarer deltageren tilbage"
"""The trainee's answer in the dialogue: sealed everywhere too."""


@pytest.fixture(autouse=True)
def cli_finds(backend: Backend, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The command line opens this backend's database and knows the mini course only."""
    import peerskole.locations

    for name, value in backend.env.items():
        monkeypatch.setenv(name, value)
    empty = tmp_path / "no-bundled-courses"
    empty.mkdir()
    monkeypatch.setattr(peerskole.locations, "bundled_courses_dir", lambda: empty)
    monkeypatch.setenv("PEERSKOLE_COURSES", str(SAMPLE_COURSE))


def cli(monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        return main(list(args))
    except SystemExit as exited:
        return int(exited.code or 0)


@pytest.mark.parametrize("what", ["add", "list", "remove", "inbox", "reply"])
def test_every_instructor_command_has_help_with_an_example(
    what: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["instructor", what, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "peerskole instructor " in out.split("example", 1)[1]


def test_add_list_inbox_reply_and_remove(
    store: SQLStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world = make_world(store)
    learner = world.protected
    assert cli(monkeypatch, "instructor", "add", "Vagn Vikar", "--passphrase-stdin",
               stdin="vikarens lange passphrase\n") == 0
    assert "Underviseren Vagn Vikar" in capsys.readouterr().out
    assert cli(monkeypatch, "instructor", "list", "--lang", "en") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "ID\tNAME\tADDED\tREMOVED"
    assert "Ulla Underviser" in out and "Vagn Vikar" in out

    # Two instructors: which one must be said.
    assert cli(monkeypatch, "instructor", "inbox", "--passphrase-stdin",
               stdin=INSTRUCTOR_PASSPHRASE + "\n") == 1
    assert "--as" in capsys.readouterr().err
    assert cli(monkeypatch, "instructor", "inbox", "--as", "Ulla Underviser",
               "--passphrase-stdin", stdin=INSTRUCTOR_PASSPHRASE + "\n") == 0
    captured = capsys.readouterr()
    assert captured.out.count(SHARED_TEXT) == 2 and PRIVATE_MARKER not in captured.out
    assert "2 delte refleksion(er), 2 ny(e)." in captured.err

    place = f"{COURSE}/{MODULE}/{STEP}"
    assert cli(monkeypatch, "instructor", "reply", learner, place, "--as", "ulla underviser",
               "--passphrase-stdin", stdin=f"{INSTRUCTOR_PASSPHRASE}\n{REPLY_MARKER}\n") == 0
    assert "Dit svar til Åse er gemt" in capsys.readouterr().out
    [message] = dialogue.for_learner(store, world.protected_key, learner, COURSE, MODULE, STEP)
    assert message.text == REPLY_MARKER and message.instructor_name == "Ulla Underviser"

    assert cli(monkeypatch, "instructor", "inbox", "--as", "Vagn Vikar", "--unread",
               "--passphrase-stdin", "--lang", "en",
               stdin="vikarens lange passphrase\n") == 0
    captured = capsys.readouterr()
    # Answered, so no longer new; and Vagn came after the reply was sealed.
    assert "Åse" not in captured.out and "Bo" in captured.out
    assert "1 shared reflection(s), 1 new." in captured.err

    assert cli(monkeypatch, "instructor", "reply", learner, "mini/first/private-step",
               "--as", "Ulla Underviser", "--passphrase-stdin",
               stdin=f"{INSTRUCTOR_PASSPHRASE}\nnej\n") == 1
    assert "ikke delt" in capsys.readouterr().err

    assert cli(monkeypatch, "instructor", "remove", "Vagn Vikar", stdin="Vagn Vikar\n") == 0
    assert "Vagn Vikar" in capsys.readouterr().out
    assert cli(monkeypatch, "instructor", "inbox", "--as", "Vagn Vikar", "--passphrase-stdin",
               stdin="vikarens lange passphrase\n") == 1
    assert "ingen underviser" in capsys.readouterr().err.lower()


def test_a_wrong_passphrase_is_said_in_either_language(
    store: SQLStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_world(store)
    assert cli(monkeypatch, "instructor", "inbox", "--passphrase-stdin",
               stdin="ikke den rigtige\n") == 1
    assert "Den adgangskode åbner ikke underviseren Ulla Underviser." in capsys.readouterr().err
    assert cli(monkeypatch, "instructor", "inbox", "--passphrase-stdin", "--lang", "en",
               stdin="ikke den rigtige\n") == 1
    assert "does not open the instructor Ulla Underviser" in capsys.readouterr().err


def _database_text(backend: Backend, store: SQLStore) -> list[bytes]:
    """What the database holds, as bytes: SQLite's files; every PostgreSQL table's rows."""
    if backend.name == "sqlite":
        folder = Path(backend.env["PEERSKOLE_DATA_DIR"])
        return [p.read_bytes() for p in sorted(folder.iterdir())
                if p.name.startswith(DATABASE_NAME)]
    tables = store._read(lambda db: db.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema()").fetchall())
    rows: list[bytes] = []
    for (table,) in tables:
        # The defaults bind this round's table (B023); mypy cannot type such a lambda.
        found = store._read(lambda db, t=table: db.execute(  # type: ignore[misc]
            f'SELECT t::text FROM "{t}" t').fetchall())
        rows.extend(str(row[0]).encode() for row in found)
    return rows


def _holds(chunks: list[bytes], text: str) -> bool:
    patterns = [text.encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be")]
    return any(p in chunk for chunk in chunks for p in patterns)


def test_a_reply_is_in_the_clear_in_no_file_table_or_export(
    backend: Backend, store: SQLStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    world = make_world(store)
    learner = world.protected
    assert cli(monkeypatch, "instructor", "reply", learner, f"{COURSE}/{MODULE}/{STEP}",
               "--passphrase-stdin", stdin=f"{INSTRUCTOR_PASSPHRASE}\n{REPLY_MARKER}\n") == 0
    dialogue.answer(store, world.protected_key, learner, COURSE, MODULE, STEP, ANSWER_MARKER)
    # The dialogue is there, and readable to both parties.
    assert [m.text for m in dialogue.for_learner(
        store, world.protected_key, learner, COURSE, MODULE, STEP)] == [
        REPLY_MARKER, ANSWER_MARKER]
    # Proof that the scan below sees what the database holds: the shared text (stored
    # readable, see docs/security.md) is found by it.
    assert _holds(_database_text(backend, store), SHARED_TEXT)
    for marker in (REPLY_MARKER, ANSWER_MARKER):
        assert not _holds(_database_text(backend, store), marker), marker
    if backend.name == "sqlite":  # the scan read the WAL too, where the new pages are
        folder = Path(backend.env["PEERSKOLE_DATA_DIR"])
        assert (folder / f"{DATABASE_NAME}-wal").exists()
    capsys.readouterr()

    exports = tmp_path / "exports"
    exports.mkdir()
    runs = [
        ["export", "--format", "csv", "--include-shared-reflections", "-o",
         str(exports / "a.csv")],
        ["export", "--format", "csv", "--excel", "--include-shared-reflections", "-o",
         str(exports / "b.csv")],
        ["export", "--format", "json", "--include-shared-reflections", "-o",
         str(exports / "c.json")],
        ["export", "--format", "xapi", "-o", str(exports / "d.jsonl")],
        ["report", "outcomes", "--course", COURSE, "--format", "json", "-o",
         str(exports / "e.json")],
        ["cohort", "show", "hold-1", "--json"],
    ]
    for args in runs:
        assert cli(monkeypatch, *args) == 0, args
    captured = capsys.readouterr()
    written = [p.read_bytes() for p in sorted(exports.iterdir())]
    written += [captured.out.encode(), captured.err.encode()]
    assert len(written) == 7 and json.loads(captured.out)  # every export did write
    assert _holds(written, SHARED_TEXT)  # the shared reflection is exported, as asked
    for marker in (REPLY_MARKER, ANSWER_MARKER):
        assert not _holds(written, marker), marker


def test_merging_two_profiles_hands_over_the_dialogue(
    store: SQLStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world = make_world(store)
    other = world.open_profile
    keep = store.add_learner("Bo", "hold-1").id
    dialogue.reply(store, world.key, other, COURSE, MODULE, STEP, REPLY_MARKER)
    assert cli(monkeypatch, "learner", "merge", keep, other, "--yes") == 0
    assert "1 message of a dialogue with an instructor" in capsys.readouterr().out
    [message] = dialogue.for_learner(store, None, keep, COURSE, MODULE, STEP)
    assert message.text == REPLY_MARKER
    # A protected profile's sealed dialogue cannot move without its passphrase.
    sealed = world.protected
    dialogue.reply(store, world.key, sealed, COURSE, MODULE, STEP, REPLY_MARKER)
    assert cli(monkeypatch, "learner", "merge", keep, sealed, "--yes") == 1
    assert "Nothing was merged" in capsys.readouterr().err
    assert len(store.messages(sealed, COURSE, MODULE, STEP)) == 1


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_problem_of_the_core_has_a_sentence(language: str) -> None:
    from peerskole.commands.instructors import _problem
    from peerskole.i18n import Translator
    from peerskole.instructors import InstructorError
    from peerskole.privacy import PrivacyError
    from peerskole.store.base import StoreError

    t = Translator(language)
    errors: list[Exception] = [
        *(dialogue.DialogueError(p, "x") for p in (
            "not_shared", "empty", "too_long", "no_key", "no_instructors")),
        *(InstructorError(p, "x") for p in ("name", "exists", "not_found", "removed")),
        *(PrivacyError(p, "x") for p in (
            "wait", "wrong_passphrase", "too_short", "too_long", "damaged", "unavailable")),
        StoreError("stale", "x"),
    ]
    for error in errors:
        said = str(_problem(t, error, name="Ulla", who="Ulla"))
        assert said != "x" and "{" not in said, error
