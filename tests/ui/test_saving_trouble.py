"""A full disk, a read-only data folder, a locked database: said plainly, and no text lost.

The conditions are real: a small tmpfs filled to the last byte, a read-only bind
mount, a file where the data folder should be, another connection holding the
database. Mounting needs root (CAP_SYS_ADMIN); where it is refused those cases
skip, and the file and lock cases still run.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Static, TextArea

from peerskole.store.sqlite import SQLiteStore
from peerskole.ui import textual_compat
from peerskole.ui.app import PeerskoleApp
from peerskole.ui.dialogs.message import MessageDialog
from peerskole.ui.dialogs.unsaved import UnsavedQuitDialog
from tests.conftest import unavailable
from tests.ui.conftest import (
    SIZE,
    flush_writes,
    make_app,
    open_step,
    start_as_new_learner,
    stored,
    until,
    wait_for_workers,
)

SENTENCE = "Jeg blev hørt uden at blive rettet"
MODULE, STEP = "first", "own-experience"


def mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        unavailable(f"cannot mount a small disk here ({done.stderr.strip()}); needs root")


def unmount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs: a disk that can really be filled."""
    path = tmp_path / "disk"
    path.mkdir()
    mount("-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(path))
    yield path
    unmount(path)


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """An empty folder mounted read-only (root's chmod would not stop root)."""
    path = tmp_path / "ro"
    path.mkdir()
    mount("--bind", str(path), str(path))
    try:
        mount("-o", "remount,bind,ro", str(path))
        yield path
    finally:
        unmount(path)


def fill(disk: Path) -> Path:
    """Write a file until the disk is full; return it (delete it to make room)."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 65536)
    except OSError:
        pass
    try:
        while True:
            os.write(fd, b"\0")
    except OSError:
        pass
    finally:
        os.close(fd)
    return filler


def notifications(app: PeerskoleApp) -> list[str]:
    return [n.message for n in textual_compat.notifications(app)]


def dialog_text(app: PeerskoleApp) -> str:
    return "\n".join(str(s.render()) for s in app.screen.query(Static))


async def wait_until_exited(app: PeerskoleApp, pilot: Pilot[None], seconds: float = 10) -> None:
    for _ in range(int(seconds * 10)):
        if app.return_code is not None:
            return
        await pilot.pause(0.1)
    raise AssertionError("the app did not quit")


# --- at start-up ---------------------------------------------------------------------------


async def check_start_message(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, MessageDialog)
        text = dialog_text(app)
        assert "Fremskridt kan ikke gemmes" in text
        assert f"peerskole må ikke skrive i mappen {data_dir}." in text
        assert "--data-dir" in text and "Ctrl+Q" in text  # what to do about it
        assert "Traceback" not in text
        await pilot.press("enter")  # OK: the app is still there, calm
        assert app.return_code is None


async def test_a_data_folder_that_is_a_file_says_what_to_do(tmp_path: Path) -> None:
    in_the_way = tmp_path / "data"
    in_the_way.write_text("not a folder")
    await check_start_message(in_the_way / "peerskole")


async def test_a_read_only_data_folder_says_what_to_do(read_only_folder: Path) -> None:
    await check_start_message(read_only_folder)


# --- during a session ----------------------------------------------------------------------


async def test_a_full_disk_keeps_the_text_and_saves_it_once_there_is_room(
    small_disk: Path,
) -> None:
    app = make_app(small_disk)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, MODULE, STEP)
        await flush_writes(app)
        filler = fill(small_disk)
        await pilot.click("#reflection-text")
        await pilot.press(*SENTENCE)
        # Past the autosave: the write is tried and fails, and the trainee is told.
        await until(pilot, lambda: any(
            m.startswith(f"Ikke gemt endnu: Disken med mappen {small_disk} er fuld.")
            and "Din tekst er bevaret" in m
            for m in notifications(app)
        ), "the notice that the disk is full")
        assert app.writes is not None and app.writes.pending
        assert screen.query_one("#reflection-text", TextArea).text == SENTENCE  # kept
        assert app.session is not None
        learner = app.session.learner.id
        # Read-only: opening a store would itself need a byte of the full disk.
        on_disk = sqlite3.connect(f"file:{small_disk / 'peerskole.sqlite3'}?mode=ro", uri=True)
        assert on_disk.execute("SELECT count(*) FROM reflections").fetchone() == (0,)
        on_disk.close()

        filler.unlink()  # room again: saved without the trainee doing anything
        await flush_writes(app)
        await until(pilot, lambda: "Gemt" in notifications(app), "the notice that it is saved")
        saved = stored(small_disk).reflection(learner, "mini", MODULE, STEP)
        assert saved is not None and saved.text == SENTENCE


# --- quitting while saving fails -----------------------------------------------------------


def lock_database(data_dir: Path, app: PeerskoleApp) -> sqlite3.Connection:
    """Another program holds the database beyond the app's (shortened) busy timeout."""
    assert isinstance(app.store, SQLiteStore)
    app.store._db.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(data_dir / "peerskole.sqlite3", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    return other


async def type_a_reflection_and_quit(
    app: PeerskoleApp, pilot: Pilot[None], data_dir: Path
) -> sqlite3.Connection:
    await start_as_new_learner(app, pilot)
    await open_step(app, pilot, MODULE, STEP)
    await flush_writes(app)
    other = lock_database(data_dir, app)
    await pilot.click("#reflection-text")
    await pilot.press(*SENTENCE, "ctrl+q")

    def buttons_laid_out() -> bool:
        # The dialog is the screen as soon as it is pushed; its buttons are mounted next
        # and placed after that. A click on a button not placed yet lands on nothing.
        screen = app.screen
        return isinstance(screen, UnsavedQuitDialog) and all(
            button.region.area > 0 for button in screen.query(Button)
        ) and bool(screen.query(Button))

    # The app waits a few seconds for the write first.
    await until(pilot, buttons_laid_out, "the dialog asking before quitting", timeout=20)
    assert app.return_code is None
    text = dialog_text(app)
    assert "Noget af det, du har skrevet, er ikke gemt endnu" in text
    assert "bruges lige nu af et andet program" in text  # why
    assert "Lukker du nu, går det tabt" in text
    return other


async def test_quitting_while_saving_fails_asks_and_saves_when_it_can(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        other = await type_a_reflection_and_quit(app, pilot, data_dir)
        await pilot.press("escape")  # stay
        assert not isinstance(app.screen, UnsavedQuitDialog) and app.return_code is None
        assert app.screen.query_one("#reflection-text", TextArea).text == SENTENCE

        await pilot.press("ctrl+q")  # still locked: asked again
        for _ in range(60):
            if isinstance(app.screen, UnsavedQuitDialog):
                break
            await pilot.pause(0.1)
        assert isinstance(app.screen, UnsavedQuitDialog)
        other.execute("ROLLBACK")  # the other program lets go
        await pilot.press("enter")  # "Prøv at gemme igen" has the focus
        await wait_until_exited(app, pilot)
    assert app.session is not None
    saved = stored(data_dir).reflection(app.session.learner.id, "mini", MODULE, STEP)
    assert saved is not None and saved.text == SENTENCE


async def test_quitting_anyway_is_the_trainees_choice(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        other = await type_a_reflection_and_quit(app, pilot, data_dir)
        await pilot.click("#quit-anyway")
        # It quits with the database still held: it does not wait out the write queue's
        # retries (about 30 s). At most one write already under way (the busy timeout)
        # is finished, and a loaded 2-core CI machine is slow: hence 8 s, not 30.
        await wait_until_exited(app, pilot, seconds=8)
    other.execute("ROLLBACK")
