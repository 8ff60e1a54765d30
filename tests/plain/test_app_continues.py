"""The terminal app opens where plain mode was left, with what was written there."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from peerskole.ui.screens.module import ModuleScreen
from tests.plain.conftest import run
from tests.ui.conftest import SIZE, make_app, wait_for_workers


async def test_the_app_continues_a_reflection_begun_in_plain_mode(data_dir: Path) -> None:
    # A new profile; in the first module the self-assessment rated, the reading read,
    # the quiz and the scenario answered with their first choices; then two lines of the
    # reflection before the input ends.
    lines = ["1", "Åse", "", "", "3", "3", "", "", "1", "1", "", "1", "", "",
             "Skrevet i plain mode", "og fortsat i appen."]
    result = run(data_dir, lines)
    assert result.status == 0

    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("enter")  # the only profile
        await wait_for_workers(app, pilot)
        screen = app.screen
        assert isinstance(screen, ModuleScreen)
        assert screen.current.id == "own-experience"
        editor = screen.query_one("#reflection-text", TextArea)
        assert editor.text == "Skrevet i plain mode\nog fortsat i appen."
