"""The trainee app in tmux: fixtures to start it, drive it to a reflection, and read the store."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from peerskole.progress import StepRecord
from peerskole.store.base import Learner, ReflectionText
from peerskole.store.opening import open_store
from tests.conftest import REPO_DIR, SAMPLE_COURSE, unavailable
from tests.terminal.tmux import TEXT_AREA_TOP, Terminal

FOCUSED_TEXT_AREA_TOP = re.compile(r"┏━{10,}┓")
"""The top of the reflection editor's frame while it has the focus."""

MODULE, REFLECTION, PRACTICE = "first", "own-experience", "practice-talk"
"""The sample course's reflection step (after a self-assessment, a reading, a quiz, a
scenario) and its practice step, the last."""

NEXT_STEP, PREVIOUS_STEP = "C-Down", "C-Up"
"""The step keys, Ctrl+↓ and Ctrl+↑, as tmux names them."""


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    """A private tmux server; its absence fails in CI rather than skipping quietly."""
    if shutil.which("tmux") is None:
        message = ("tmux is missing: install it with `apt-get install -y tmux` "
                   "(scripts/check.sh does this)")
        unavailable(message)
    workdir = tmp_path / "tmux"
    workdir.mkdir()
    term = Terminal(workdir, REPO_DIR)
    yield term
    term.stop()


def start_app(term: Terminal, data_dir: Path) -> None:
    """Start ``python -m peerskole`` on the sample course, as a trainee would."""
    term.start(
        [sys.executable, "-m", "peerskole", "--data-dir", str(data_dir),
         "--course", str(SAMPLE_COURSE)],
        env={"LANG": "C.UTF-8", "PEERSKOLE_DATA_DIR": str(data_dir)},
    )


def create_learner_and_open_reflection(term: Terminal, name: str) -> None:
    """From the first screen: a new profile, the first module, and on to its reflection.

    Passing the reading step on the way completes it.
    """
    term.wait_for("Hvem er du?")
    term.wait_for("Der er ingen profiler endnu")  # the list is read: the name field has focus
    term.type(name)
    term.keys("Enter")
    term.wait_for("║ Første modul")  # the first module card has focus (a double border)
    term.keys("Enter")
    term.wait_for("Jeg kan lytte uden at give råd")
    # Each step's own text, not just its heading (shown before the view is built):
    # a key sent to the view being replaced would be lost with it.
    steps = ("Aktiv lytning handler om", "Hvilket er et åbent spørgsmål?",
             "Du møder Maja på gangen.", "Hvornår følte du dig sidst lyttet til?")
    for number, shown in enumerate(steps, start=2):
        next_step(term, number)
        term.wait_for(shown)


def next_step(term: Terminal, number: int) -> None:
    """Press the step key once and wait for the step counter to say it moved on.

    Once, as a person does: a press the app leaves unanswered is a fault this should
    catch (on a busy machine focus was once left on a removed widget and kept the key
    from the screen), not one to press through.
    """
    term.keys(NEXT_STEP)
    term.wait_for(f"Trin {number} af ", timeout=30)


def resume_at_reflection(term: Terminal, name: str) -> str:
    """From the first screen: choose the (only) profile and land where it left off."""
    term.wait_for(name)
    term.keys("Enter")
    return term.wait_for("Refleksion: Din erfaring")


def text_has_focus(screen: str) -> bool:
    """Whether the reflection's text has the keyboard focus: its frame is the heavy line.

    Unfocused, Textual draws the editor with a tall edge instead (▊▔▔▎). The focused
    frame stays drawn as long as the focus stays, so it can be waited for; the footer
    no longer tells (the step keys show on every step), nor does the terminal's cursor
    (Textual draws its own).
    """
    return FOCUSED_TEXT_AREA_TOP.search(screen) is not None


def focus_text(term: Terminal) -> None:
    """Make sure the reflection's text has the focus, as a trainee at the keyboard would.

    Arriving at the step focuses it; Tab gets there otherwise. Waits for the text area in
    either frame, then for the focused one: never for the unfocused frame alone, which
    on arrival may be replaced before it is ever captured.
    """
    term.wait_until(lambda: TEXT_AREA_TOP.search(term.screen()), "the text area to be drawn")
    for _ in range(10):
        try:
            term.wait_until(lambda: text_has_focus(term.screen()), "the text to have the focus",
                            2)
            return
        except AssertionError:
            before = term.screen(styles=True)
            term.keys("Tab")
            # Wait for the Tab to take effect: every focused widget is drawn differently.
            term.wait_for_change(before)
    raise AssertionError(f"Tab never reached the text; the screen:\n{term.screen()}")


def stored_reflection(data_dir: Path) -> tuple[Learner, ReflectionText | None]:
    """The one learner and their reflection, read through the store."""
    store = open_store(data_dir)
    try:
        [learner] = store.learners()
        return learner, store.reflection(learner.id, "mini", MODULE, REFLECTION)
    finally:
        store.close()


def stored_records(data_dir: Path) -> dict[str, StepRecord]:
    store = open_store(data_dir)
    try:
        [learner] = store.learners()
        return {r.step_id: r for r in store.step_records(learner.id, "mini")}
    finally:
        store.close()
