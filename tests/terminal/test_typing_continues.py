"""Issue 10 in a real terminal, typed at human pace: what a trainee writes lands where she
puts it, the step keys never type, and nothing she wrote is lost on Ctrl+Q.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from peerskole.i18n import Translator
from peerskole.store.opening import open_store
from tests.terminal.conftest import (
    MODULE,
    NEXT_STEP,
    PRACTICE,
    PREVIOUS_STEP,
    create_learner_and_open_reflection,
    focus_text,
    next_step,
    resume_at_reflection,
    start_app,
    stored_reflection,
)
from tests.terminal.tmux import Terminal, text_area_text

pytestmark = pytest.mark.terminal

CHARS_PER_SECOND = 8.0
"""An unhurried typist."""
PRACTICE_HEADING = "Øvelse: Øvesamtale"


def type_at_human_pace(term: Terminal, text: str) -> None:
    """Type text a key at a time, at a person's pace (the pace, not a wait for the app)."""
    for char in text:
        term.type(char)
        time.sleep(1 / CHARS_PER_SECOND)


def tab_and_wait(term: Terminal) -> None:
    """Press Tab and wait until the focus has moved (every focused control looks different)."""
    before = term.screen(styles=True)
    term.keys("Tab")
    term.wait_for_change(before)


def quit_with_ctrl_q(term: Terminal) -> None:
    term.keys("C-q")
    assert term.exit_status() == 0


def reflection_text(data: Path) -> str | None:
    reflection = stored_reflection(data)[1]
    return reflection.text if reflection else None


def practice_draft(data: Path) -> dict[str, str] | None:
    store = open_store(data)
    try:
        [learner] = store.learners()
        return store.practice_draft(learner.id, "mini", MODULE, PRACTICE)
    finally:
        store.close()


def test_a_reflection_is_continued_after_ctrl_q_and_a_restart(
    terminal: Terminal, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    start_app(terminal, data)
    create_learner_and_open_reflection(terminal, "Tina")
    focus_text(terminal)
    type_at_human_pace(terminal, "Da jeg var indlagt,")
    terminal.wait_until(lambda: text_area_text(terminal.screen()) == "Da jeg var indlagt,",
                        "the text on screen")
    quit_with_ctrl_q(terminal)
    assert reflection_text(data) == "Da jeg var indlagt,"

    start_app(terminal, data)
    resume_at_reflection(terminal, "Tina")
    focus_text(terminal)
    type_at_human_pace(terminal, " lyttede min søster.")
    whole = "Da jeg var indlagt, lyttede min søster."
    # After the saved text, not in front of it ("ZDa jeg var indlagt…").
    terminal.wait_until(lambda: text_area_text(terminal.screen()) == whole, "the text in order")
    terminal.wait_until(lambda: reflection_text(data) == whole, "the whole text on disk", 5)


def test_the_step_keys_in_the_editor_move_and_type_nothing(
    terminal: Terminal, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    start_app(terminal, data)
    create_learner_and_open_reflection(terminal, "Tina")
    focus_text(terminal)
    type_at_human_pace(terminal, "Min ven lyttede, og nu prøver jeg")  # n and p are letters
    terminal.wait_until(
        lambda: text_area_text(terminal.screen()) == "Min ven lyttede, og nu prøver jeg",
        "the letters in the text",
    )
    terminal.keys(NEXT_STEP)
    terminal.wait_for(PRACTICE_HEADING)
    terminal.wait_for("Trin 6 af 6")
    terminal.keys(PREVIOUS_STEP)
    terminal.wait_for("Trin 5 af 6")
    terminal.wait_until(
        lambda: text_area_text(terminal.screen()) == "Min ven lyttede, og nu prøver jeg",
        "the text as it was, nothing typed by the step keys",
    )
    assert reflection_text(data) == "Min ven lyttede, og nu prøver jeg"
    footer = terminal.screen().rstrip("\n").splitlines()[-1]
    assert "^↓ Næste" in footer and "^↑ Forrige" in footer  # shown where they work


def test_a_half_filled_practice_entry_survives_ctrl_q_and_a_restart(
    terminal: Terminal, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    start_app(terminal, data)
    create_learner_and_open_reflection(terminal, "Tina")
    next_step(terminal, 6)
    terminal.wait_for(PRACTICE_HEADING)
    terminal.wait_for("Trin 6 af 6")
    terminal.wait_for(f"┃  {Translator('da').date(dt.date.today())}")  # the date field, focused
    tab_and_wait(terminal)  # to the minutes
    type_at_human_pace(terminal, "12")
    terminal.wait_until(lambda: (practice_draft(data) or {}).get("duration") == "12",
                        "the minutes on disk", 5)
    tab_and_wait(terminal)  # to "Hvad skete der?"
    type_at_human_pace(terminal, "Vi talte om søvn")
    terminal.wait_for("Vi talte om søvn")
    quit_with_ctrl_q(terminal)
    draft = practice_draft(data)
    assert draft is not None
    assert (draft["duration"], draft["what-happened"]) == ("12", "Vi talte om søvn")

    start_app(terminal, data)
    terminal.wait_for("Tina")
    terminal.keys("Enter")
    terminal.wait_for(PRACTICE_HEADING)  # resumed where it was left
    terminal.wait_for(f"┃  {Translator('da').date(dt.date.today())}")
    tab_and_wait(terminal)
    terminal.wait_for("┃  12 ")  # the minutes, focused
    tab_and_wait(terminal)
    terminal.wait_for("┃ Vi talte om søvn")
    assert practice_draft(data) == draft
