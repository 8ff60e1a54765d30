"""A hostile course opens on the course error screen, drawn without its control characters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Static

from peerskole.ui.app import PeerskoleApp
from peerskole.ui.preview import PreviewApp
from peerskole.ui.screens.course_error import CourseErrorScreen
from tests.conftest import SAMPLE_COURSE
from tests.ui.conftest import wait_for_workers
from tests.ui.test_hostile_text import screen_segments


def hostile_course(tmp_path: Path) -> Path:
    """The sample course with a file name that retitles the terminal, a key that writes
    the clipboard, an id that clears the screen and a thousand levels of nesting."""
    course = tmp_path / "kursus"
    shutil.copytree(SAMPLE_COURSE, course)
    modules = course / "modules"
    (modules / "\x1b]0;PWNED\x07.toml").write_text('id = "x"\n', encoding="utf-8")
    first = modules / "01-first.toml"
    text = first.read_text(encoding="utf-8").replace('id = "first"', 'id = "first\\u001b[2J"', 1)
    first.write_text(text + '\n"\\u001b]52;c;ZXZpbA==\\u0007" = 1\n', encoding="utf-8")
    (modules / "03-deep.toml").write_text("[" + ".".join(["a"] * 1000) + "]\n", encoding="utf-8")
    return course


@pytest.mark.parametrize("kind", ["app", "preview"])
async def test_the_error_screen_shows_no_control_character(
    tmp_path: Path, data_dir: Path, kind: str
) -> None:
    course = hostile_course(tmp_path)
    app = (PeerskoleApp(course, data_dir=data_dir) if kind == "app"
           else PreviewApp(course, tmp_path / "preview-data"))
    # Wider than usual: the paths of tmp_path are long.
    async with app.run_test(size=(160, 40)) as pilot:
        for _ in range(50):
            await wait_for_workers(app, pilot)
            if isinstance(app.screen, CourseErrorScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, CourseErrorScreen)
        problems = str(app.screen.query_one("#problems", Static).render())
        assert "03-deep.toml:1:1: tables or lists are nested more than 16 levels" in problems
        assert "\ufffd]0;PWNED\ufffd.toml:1:1: the file name contains a control" in problems
        assert '"first\ufffd[2J" is not a valid id' in problems
        assert "\ufffd]52;c;ZXZpbA==\ufffd: the field name contains a control" in problems
        drawn = "".join(segment.text for segment in screen_segments(app))
        assert "PWNED" in drawn
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in drawn)


