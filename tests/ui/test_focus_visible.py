"""Keyboard focus is visible on every kind of control, and not by colour alone (issue 3).

Each control is drawn twice, in focus and not, and the two drawings are compared with
every colour taken out: what is left (the characters, bold, underline, reverse video)
must differ. Checked in the calm theme and the high-contrast one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.style import Style
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button

from peerskole.ui.themes import CALM, HIGH_CONTRAST
from tests.ui.conftest import SIZE, make_app, open_step, start_as_new_learner, wait_for_workers

Drawing = list[list[tuple[str, bool, bool, bool]]]
"""A widget's lines as (text, bold, underline, reverse) runs: what is left without colour."""

THEMES = [CALM.name, HIGH_CONTRAST.name]


def drawing(widget: Widget) -> Drawing:
    """What the widget draws (its frame, outline and content), with the colours left out."""
    width, height = widget.outer_size
    lines = widget.render_lines(Region(0, 0, width, height))
    return [
        [
            (segment.text, bool(style.bold), bool(style.underline), bool(style.reverse))
            for segment in line
            for style in [segment.style or Style()]
        ]
        for line in lines
    ]


async def both_ways(pilot: Pilot[None], widget: Widget, marked: Widget | None = None) -> tuple[
    Drawing, Drawing
]:
    """The drawing of `marked` (default: the widget) without and with focus on the widget."""
    marked = marked or widget
    pilot.app.set_focus(None)
    await pilot.pause()
    blurred = drawing(marked)
    widget.focus(scroll_visible=False)
    await pilot.pause()
    assert pilot.app.focused is widget
    return blurred, drawing(marked)


async def shows_focus(pilot: Pilot[None], widget: Widget, marked: Widget | None = None) -> bool:
    blurred, focused = await both_ways(pilot, widget, marked)
    return blurred != focused


@pytest.mark.parametrize("theme", THEMES)
async def test_a_focused_button_is_reversed_and_underlined(data_dir: Path, theme: str) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        app.theme = theme
        await pilot.press("enter")  # open the first module
        await pilot.pause()
        button = app.screen.query_one("#next", Button)
        blurred, focused = await both_ways(pilot, button)

        def label_marks(lines: Drawing) -> set[tuple[bool, bool]]:
            """(underline, reverse) of the runs of the label's line that are not blank."""
            middle = lines[len(lines) // 2]  # a frame line above and below it
            assert "Næste" in "".join(text for text, *_ in middle)
            return {(u, r) for text, _, u, r in middle if text.strip()}

        assert label_marks(blurred) == {(False, False)}
        assert label_marks(focused) == {(True, True)}


@pytest.mark.parametrize("theme", THEMES)
async def test_every_kind_of_control_shows_focus_without_colour(
    data_dir: Path, theme: str
) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        app.theme = theme
        learner_screen = app.screen
        assert await shows_focus(pilot, learner_screen.query_one("#name"))  # Input
        assert await shows_focus(pilot, learner_screen.query_one("#create"))  # Button
        await start_as_new_learner(app, pilot)
        assert await shows_focus(pilot, app.screen.query_one("ModuleCard"))

        screen = await open_step(app, pilot, "first", "intro")
        assert await shows_focus(pilot, screen.query_one("#steps"))  # OptionList, no frame
        assert await shows_focus(pilot, screen.query_one("CollapsibleTitle"))
        assert await shows_focus(pilot, screen.query_one("#step-pane"))  # VerticalScroll
        assert await shows_focus(pilot, screen.query_one("#previous"))

        screen = await open_step(app, pilot, "first", "quiz")
        assert await shows_focus(pilot, screen.query_one("#answer-0"))  # RadioSet
        box = screen.query_one(".checkbox-group ChoiceCheckbox")
        assert await shows_focus(pilot, box)  # its label
        assert await shows_focus(pilot, box, marked=screen.query_one(".checkbox-group"))

        screen = await open_step(app, pilot, "first", "own-experience")
        assert await shows_focus(pilot, screen.query_one("#share"))  # Checkbox
        assert await shows_focus(pilot, screen.query_one("#reflection-text"))  # TextArea

        screen = await open_step(app, pilot, "first", "before-after")
        assert await shows_focus(pilot, screen.query_one("RatingScale"))

        await pilot.press("f1")
        await pilot.pause()
        assert await shows_focus(pilot, app.screen.query_one("#help"))  # a dialog
        assert await shows_focus(pilot, app.screen.query_one("#close"))
