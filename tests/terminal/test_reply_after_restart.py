"""Issue 16 in a real terminal: a reply written while the app is closed is noticed on start."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerskole import dialogue
from peerskole.instructors import add_instructor, unlock_instructor
from peerskole.store.opening import open_store
from tests.terminal.conftest import (
    MODULE,
    REFLECTION,
    create_learner_and_open_reflection,
    focus_text,
    next_step,
    start_app,
    stored_reflection,
)
from tests.terminal.tmux import Terminal

pytestmark = pytest.mark.terminal

SENTENCE = "Min søster lyttede uden at give råd."
REPLY = "Tak for din refleksion, Tina."


def test_a_reply_written_while_closed_is_noticed_on_start(
    terminal: Terminal, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    start_app(terminal, data)
    create_learner_and_open_reflection(terminal, "Tina")
    focus_text(terminal)
    terminal.type(SENTENCE)
    before = terminal.screen(styles=True)
    terminal.keys("Tab")  # on to the share box, brought into view
    terminal.wait_for_change(before)
    terminal.wait_for("Del denne refleksion")
    terminal.keys("Space")
    terminal.wait_for("Delt – din underviser kan læse")

    def shared() -> bool:
        reflection = stored_reflection(data)[1]
        return reflection is not None and reflection.shared and reflection.text == SENTENCE

    terminal.wait_until(shared, "the shared reflection to reach the database", timeout=5)
    next_step(terminal, 6)  # on to the practice step: the restart resumes there
    terminal.keys("C-q")
    assert terminal.exit_status() == 0

    store = open_store(data)  # the app is closed: the instructor replies
    try:
        instructor = add_instructor(store, "Ulla Underviser", "underviserens lange passphrase")
        key = unlock_instructor(store, instructor, "underviserens lange passphrase")
        [learner] = store.learners()
        dialogue.reply(store, key, learner.id, "mini", MODULE, REFLECTION, REPLY)
    finally:
        store.close()

    start_app(terminal, data)
    terminal.wait_for("Tina")
    terminal.keys("Enter")  # the only profile: resumes at the practice step
    terminal.wait_for("Trin 6 af ")
    terminal.keys("Escape")  # to the overview
    terminal.wait_for("Du har 1 nyt svar fra din underviser")
