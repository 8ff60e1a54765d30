"""Issue 7 in a real terminal: an unwritable data folder is a message, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.terminal.conftest import start_app
from tests.terminal.tmux import Terminal

pytestmark = pytest.mark.terminal


def test_an_unwritable_data_folder_is_explained_on_screen(
    terminal: Terminal, tmp_path: Path
) -> None:
    in_the_way = tmp_path / "data"
    in_the_way.write_text("a file where the data folder should be")
    start_app(terminal, in_the_way / "peerskole")
    terminal.wait_for("Fremskridt kan ikke gemmes")
    terminal.wait_for("Ctrl+Q")  # the whole message is drawn
    screen = terminal.screen()
    words = " ".join(screen.split())
    assert "peerskole må ikke skrive i mappen" in words
    assert "--data-dir" in words  # what to do about it
    assert "Traceback" not in screen and "Error" not in screen
    assert terminal.pane("pane_dead") == "0"  # still running, calmly
    terminal.keys("Enter")  # OK
    terminal.keys("C-q")
    assert terminal.exit_status() == 0
