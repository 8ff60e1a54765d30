"""Issue 3 in a real terminal: type into a reflection, SIGKILL, start again, find the text."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.terminal.conftest import (
    create_learner_and_open_reflection,
    focus_text,
    resume_at_reflection,
    start_app,
    stored_reflection,
)
from tests.terminal.tmux import HEIGHT, WIDTH, Terminal, text_area_text

pytestmark = pytest.mark.terminal

SENTENCE = "Min søster lyttede uden at give råd, og jeg følte mig hørt."


def test_typed_reflection_survives_sigkill(terminal: Terminal, tmp_path: Path) -> None:
    data = tmp_path / "data"
    start_app(terminal, data)
    assert terminal.size() == (WIDTH, HEIGHT)
    create_learner_and_open_reflection(terminal, "Tina")
    focus_text(terminal)
    terminal.type(SENTENCE)
    terminal.wait_until(lambda: text_area_text(terminal.screen()) == SENTENCE,
                        "every key to reach the app")

    def saved() -> bool:
        return (reflection := stored_reflection(data)[1]) is not None and (
            reflection.text == SENTENCE
        )

    started = time.monotonic()
    terminal.wait_until(saved, "the draft to reach the database", timeout=5)
    # Saved without leaving the text or pausing on purpose: by the autosave alone.
    assert time.monotonic() - started < 1.5

    terminal.kill()
    start_app(terminal, data)
    resume_at_reflection(terminal, "Tina")
    terminal.wait_until(lambda: text_area_text(terminal.screen()) == SENTENCE,
                        "the text on screen after the restart")
    # Counted as written: 11 words, at least the step's 5.
    assert "Refleksion · her · færdig" in terminal.screen()
    _, reflection = stored_reflection(data)
    assert reflection is not None and reflection.text == SENTENCE
