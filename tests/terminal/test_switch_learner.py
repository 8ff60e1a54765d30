"""Issue 10, item 6 in a real terminal: on a shared computer, Anne hands over to Bo with
Ctrl+L, and nothing she wrote is on Bo's screen; with her passphrase she finds it again."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerskole.privacy import is_token
from peerskole.store.opening import open_store
from tests.terminal.conftest import MODULE, REFLECTION, start_app
from tests.terminal.tmux import Terminal, in_text_area, text_area_text

pytestmark = pytest.mark.terminal

SENTENCE = "Min mormor lyttede altid uden at afbryde mig."
PRIVATE_WORD = "mormor"
"""A word of the sentence no screen of the app shows otherwise."""
PASSPHRASE = "blå hest på taget"
STEP_TEXTS = ("Trin 2 af 6", "Trin 3 af 6", "Trin 4 af 6", "Trin 5 af 6")
"""Where the step counter stands after each step up to the reflection: a click sent
while a view is being replaced would be lost with it, so each waits for the last."""


def cell_of(term: Terminal, text: str) -> tuple[int, int]:
    """The screen cell of the first character of text (0-based), which must be shown."""
    for row, line in enumerate(term.wait_for(text).splitlines()):
        if text in line:
            return line.index(text), row
    raise AssertionError(f"{text!r} is not on screen:\n{term.screen()}")


def click_text(term: Terminal, text: str, below: int = 0) -> None:
    """Click on a text on screen, or ``below`` rows under it."""
    x, y = cell_of(term, text)
    term.click(x + 1, y + below)


def open_reflection(term: Terminal) -> None:
    """From the overview: the first module, and on to its reflection with the step key."""
    term.wait_for("║ Første modul")  # its card has the focus (a double border)
    term.keys("Enter")
    term.wait_for("Jeg kan lytte uden at give råd")
    for shown in STEP_TEXTS:
        term.keys("C-Down")  # the step key, from wherever the focus is
        term.wait_for(shown)
    term.wait_until(lambda: in_text_area(term.screen(), term.cursor()),
                    "the reflection's text to have the focus")


def stored_text(data_dir: Path, name: str) -> str | None:
    store = open_store(data_dir)
    try:
        learner = next(lr for lr in store.learners() if lr.display_name == name)
        saved = store.reflection(learner.id, "mini", MODULE, REFLECTION)
        return saved.text if saved is not None else None
    finally:
        store.close()


def test_the_next_trainee_sees_nothing_of_the_last_ones_text(
    terminal: Terminal, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    start_app(terminal, data)
    terminal.wait_for("Der er ingen profiler endnu")  # the name field has the focus
    terminal.type("Anne")
    terminal.keys("Enter")

    # Anne protects her profile (F5 on the overview), then writes.
    terminal.wait_for("Skift profil (Ctrl+L)")
    terminal.keys("F5")
    terminal.wait_for("Adgangskode til din profil")
    terminal.type(PASSPHRASE)
    terminal.keys("Enter")
    # Enter moves on to the second field; a person sees it framed before typing on.
    terminal.wait_until(lambda: repeat_field_focused(terminal.screen()),
                        "the repeat field to have the focus")
    terminal.type(PASSPHRASE)
    terminal.keys("Enter")
    terminal.wait_for("Din profil er nu beskyttet", timeout=30)
    terminal.keys("Escape")
    open_reflection(terminal)
    terminal.type(SENTENCE)
    terminal.wait_until(lambda: text_area_text(terminal.screen()) == SENTENCE,
                        "every key to reach the app")

    # At once, from inside the text: saved first, then "who are you?".
    terminal.keys("C-l")
    screen = terminal.wait_for_whole("Hvem er du?")
    assert PRIVATE_WORD not in screen
    saved = stored_text(data, "Anne")  # saved before the switch, sealed with her key
    assert saved is not None and is_token(saved)

    # Bo makes his own profile: his name in the name field, Enter.
    click_text(terminal, "Dit navn", below=2)  # the field under its label
    terminal.type("Bo")
    terminal.keys("Enter")
    screen = terminal.wait_for_whole("Skift profil (Ctrl+L)")
    assert "Bo" in screen and "Anne" not in screen and PRIVATE_WORD not in screen
    open_reflection(terminal)
    assert text_area_text(terminal.screen()) == "Skriv her – med dine egne ord."  # empty: its hint
    assert PRIVATE_WORD not in terminal.screen()

    # Back to Anne: her passphrase again, and her text where she left it.
    terminal.keys("C-l")
    terminal.wait_for("Hvem er du?")
    terminal.wait_for("Anne")
    terminal.keys("Home", "Enter")  # Anne is first in the list
    terminal.wait_for("Profilen er beskyttet")
    terminal.type(PASSPHRASE)
    terminal.keys("Enter")
    terminal.wait_for("Refleksion: Din erfaring", timeout=30)
    terminal.wait_until(lambda: text_area_text(terminal.screen()) == SENTENCE,
                        "Anne's text after her passphrase")
    assert stored_text(data, "Bo") is None


def repeat_field_focused(screen: str) -> bool:
    """The repeat field, under its label, has the heavy frame a focused field has."""
    lines = screen.splitlines()
    return any("Skriv den nye adgangskode igen" in line and "┏" in below
               for line, below in zip(lines, lines[1:], strict=False))
