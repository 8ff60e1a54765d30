"""Issue 10, item 11 in real terminals: one profile open in two app instances on one
data folder while one of them changes the passphrase.

Window 2 writes a reflection, window 1 changes the passphrase from A to B, window 2
goes on writing: it must ask for the new passphrase, and then save what was typed,
sealed so that B opens it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from peerskole import privacy
from peerskole.privacy import PrivacyError, TextPlace
from peerskole.store.opening import open_store
from tests.conftest import REPO_DIR
from tests.terminal.conftest import (
    MODULE,
    REFLECTION,
    create_learner_and_open_reflection,
    focus_text,
    start_app,
)
from tests.terminal.tmux import Terminal, text_area_text

pytestmark = pytest.mark.terminal

A, B = "første adgangskode", "anden adgangskode"
FIRST, MORE = "Min søster lyttede.", " Hun gav ingen råd."


@pytest.fixture
def second_terminal(terminal: Terminal, tmp_path: Path) -> Iterator[Terminal]:
    """Another tmux server, for the second app instance."""
    workdir = tmp_path / "tmux-2"
    workdir.mkdir()
    term = Terminal(workdir, REPO_DIR)
    yield term
    term.stop()


def opens_with(data: Path, passphrase: str) -> str | None:
    """The reflection as passphrase opens it; None when it does not (or there is none)."""
    store = open_store(data)
    try:
        [learner] = store.learners()
        params = privacy.protection(store, learner.id)
        saved = store.reflection(learner.id, "mini", MODULE, REFLECTION)
        if params is None or saved is None:
            return None
        try:
            key = privacy.unlock(params, learner.id, passphrase)
            return privacy.reveal(key, saved.text, TextPlace(learner.id, "mini", MODULE,
                                                             REFLECTION, "reflection"))
        except PrivacyError:
            return None
    finally:
        store.close()


def type_slowly(term: Terminal, text: str) -> None:
    """Type word by word, waiting for each to be on screen, as a person would."""
    words = text.split(" ")
    for n, word in enumerate(words):
        shown = text_area_text(term.screen())

        def arrived(before: str = shown) -> bool:
            return text_area_text(term.screen()) != before

        term.type(word + (" " if n < len(words) - 1 else ""))
        term.wait_until(arrived, f"{word!r} to reach the text")


def set_passphrase(term: Terminal, current: str | None, new: str) -> None:
    """On the overview: F5, and the passphrase dialog's fields typed one after another.

    Each field is typed once the previous one's Enter has moved the focus on, and
    Enter is pressed once its dots are all on screen.
    """
    term.keys("F5")
    term.wait_for("Adgangskode til din profil")
    for typed in ([current] if current else []) + [new, new]:
        dots = re.compile(f"(?<!•)•{{{len(typed)}}}(?!•)")
        before = len(dots.findall(term.screen()))

        def typed_all(n: int = before, d: re.Pattern[str] = dots) -> bool:
            return len(d.findall(term.screen())) > n

        term.type(typed)
        term.wait_until(typed_all, "the passphrase's dots")
        styled = term.screen(styles=True)
        term.keys("Enter")
        term.wait_for_change(styled)


def test_a_passphrase_changed_in_another_window_destroys_no_text(
    terminal: Terminal, second_terminal: Terminal, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    one, two = terminal, second_terminal
    start_app(one, data)
    create_learner_and_open_reflection(one, "Tina")  # window 1 leaves off at the reflection
    one.keys("Escape")
    one.wait_for("Første modul")
    set_passphrase(one, None, A)
    one.wait_until(lambda: _protected(data), "the passphrase to be set")

    start_app(two, data)
    two.wait_for("Tina")
    two.keys("Enter")
    two.wait_for("Profilen er beskyttet")
    two.type(A)
    two.keys("Enter")
    two.wait_for("Refleksion: Din erfaring")  # where window 1 left off
    focus_text(two)
    type_slowly(two, FIRST)
    two.wait_until(lambda: opens_with(data, A) == FIRST, "the draft to be saved under A")

    set_passphrase(one, A, B)  # window 1: A → B
    one.wait_until(lambda: opens_with(data, B) == FIRST, "the text to be re-sealed under B")

    two.type(MORE)  # window 2 goes on writing; its autosave finds the key changed
    two.wait_for("Adgangskoden er skiftet")
    assert opens_with(data, B) == FIRST  # nothing written over while it asks
    two.type(B)
    two.keys("Enter")
    two.wait_until(lambda: opens_with(data, B) == FIRST + MORE,
                   "the waiting draft to be saved under B")
    two.wait_until(lambda: text_area_text(two.screen()) == FIRST + MORE,
                   "the whole text still in the editor")
    assert opens_with(data, A) is None


def _protected(data: Path) -> bool:
    store = open_store(data)
    try:
        [learner] = store.learners()
        return privacy.protection(store, learner.id) is not None
    finally:
        store.close()

