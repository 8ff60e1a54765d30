"""One rule for the characters that may reach a terminal (peerskole.safe_text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerskole.course.loader import check_course
from peerskole.safe_text import forbidden_character, visible
from peerskole.store.base import control_character
from tests.conftest import SAMPLE_COURSE

HOSTILE = ["\x1b", "\x00", "\x07", "\x7f", "\x9b", "\u202e", "\u2066", "\u200f", "\u2028"]
"""ESC, NUL, BEL, DEL, CSI (C1), right-to-left override, isolate, mark, line separator."""


@pytest.mark.parametrize("character", HOSTILE)
def test_every_terminal_control_is_refused_in_a_name_and_in_course_text(character: str) -> None:
    text = f"Åse{character}Hansen"
    code = f"U+{ord(character):04X}"
    assert control_character(text) == code
    assert forbidden_character(text, lines=True) == code
    assert visible(text) == "Åse\ufffdHansen"


def test_text_of_several_lines_may_hold_tabs_and_line_breaks_a_name_may_not() -> None:
    text = "Linje et\r\nLinje\tto\n"
    assert forbidden_character(text, lines=True) is None
    assert forbidden_character(text) == "U+000D"
    assert forbidden_character("Åse Hansen – ærø") is None


def test_a_course_text_with_a_direction_override_is_reported(tmp_path: Path) -> None:
    import shutil

    course = tmp_path / "mini"
    shutil.copytree(SAMPLE_COURSE, course)
    module = next((course / "modules").glob("*.toml"))
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace('title = "', 'title = "\u202e', 1), encoding="utf-8")
    _, problems = check_course(course)
    assert [p.message for p in problems] == ["the text contains a control character (U+202E)"]
