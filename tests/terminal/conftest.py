"""The trainee app in tmux: fixtures to start it, drive it to a reflection, and read the store."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from peerskole.progress import StepRecord
from peerskole.store.base import Learner, ReflectionText, open_store
from tests.conftest import REPO_DIR, SAMPLE_COURSE, unavailable
from tests.terminal.tmux import Terminal

MODULE, REFLECTION = "first", "own-experience"
"""The sample course's reflection step (after a self-assessment, a reading, a quiz, a scenario)."""


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
    for shown in ("Aktiv lytning handler om", "Hvilket er et åbent spørgsmål?",
                  "Du møder Maja på gangen.", "Hvornår følte du dig sidst lyttet til?"):
        term.keys("n")
        term.wait_for(shown)


def resume_at_reflection(term: Terminal, name: str) -> str:
    """From the first screen: choose the (only) profile and land where it left off."""
    term.wait_for(name)
    term.keys("Enter")
    return term.wait_for("Refleksion: Din erfaring")


def text_has_focus(screen: str) -> bool:
    """Whether the reflection's text has the keyboard focus, judged by the footer.

    Textual's footer leaves out the bindings of keys the focused widget takes as
    typing: "n Næste" shows unless the text (the only such widget here) has focus.
    """
    footer = screen.rstrip("\n").splitlines()[-1]
    return "esc Oversigt" in footer and "n Næste" not in footer


def focus_text(term: Terminal) -> None:
    """Tab to the reflection's text, as a trainee at the keyboard would."""
    term.wait_for("▔▔▔▔▔▔▔▔▔▔▎")  # the text area is drawn
    for _ in range(10):
        if text_has_focus(term.screen()):
            return
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
