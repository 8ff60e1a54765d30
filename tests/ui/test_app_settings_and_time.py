"""Time on task, saved settings, help and the command palette, course changes."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from peerskole.progress import IDLE_AFTER_SECONDS
from peerskole.store.base import StepUpdate
from peerskole.ui.app import PeerskoleApp
from peerskole.ui.screens.help import HelpScreen
from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.screens.overview import OverviewScreen
from peerskole.ui.themes import CALM, HIGH_CONTRAST
from tests.conftest import SAMPLE_COURSE
from tests.ui.conftest import (
    SIZE,
    flush_writes,
    make_app,
    open_step,
    start_as_new_learner,
    stored,
    until,
    wait_for_workers,
)


async def test_time_on_task_counts_activity_and_leaves_idle_time_out(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, "first", "intro")
    screen.ticking.pause()  # this test is the clock: a real second would add a tick
    # A real tick may have come before the pause on a busy machine: what it counted is
    # written now and taken as the starting point.
    screen._flush_seconds()
    await flush_writes(app)
    assert app.session is not None
    learner = app.session.learner.id
    before = {r.step_id: r.seconds for r in stored(data_dir).step_records(learner, "mini")}
    app.last_activity = time.monotonic()
    for _ in range(3):
        screen._tick()  # three active seconds
    app.last_activity = time.monotonic() - IDLE_AFTER_SECONDS - 1
    for _ in range(5):
        screen._tick()  # five idle seconds: not counted
    await pilot.press("escape")  # leaving the step writes its time
    await flush_writes(app)
    records = {r.step_id: r for r in stored(data_dir).step_records(learner, "mini")}
    assert records["intro"].seconds - before.get("intro", 0) == 3


async def test_language_and_contrast_are_saved_settings(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        assert app.theme == CALM.name
        await pilot.press("f3")
        await pilot.press("f4")
        await pilot.pause()
        assert app.theme == HIGH_CONTRAST.name
        assert "Who are you?" in str(app.screen.query_one("#learner-title", Static).render())
        await flush_writes(app)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        assert app.theme == HIGH_CONTRAST.name
        assert app.t.language == "en"
        assert "Who are you?" in str(app.screen.query_one("#learner-title", Static).render())
    # --lang on the command line wins over the saved setting.
    app = make_app(data_dir, language="da")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        assert app.t.language == "da"


HELP_KEYS = {
    "da": ["F1", "F2 / Ctrl+B", "F3", "F4", "F5", "Ctrl+P", "Ctrl+L", "Tab / Skift+Tab",
           "Enter / Mellemrum", "Piletasterne ↑ ↓ ← →", "Ctrl+Pil ned", "Ctrl+Pil op", "Esc",
           "Ctrl+Q"],
    "en": ["F1", "F2 / Ctrl+B", "F3", "F4", "F5", "Ctrl+P", "Ctrl+L", "Tab / Shift+Tab",
           "Enter / Space", "Arrow keys ↑ ↓ ← →", "Ctrl+Down arrow", "Ctrl+Up arrow",
           "Escape", "Ctrl+Q"],
}
"""The help's key column in each language: keys with a name are named in it."""


@pytest.mark.parametrize("language", ["da", "en"])
async def test_help_lists_the_keys_in_the_trainees_language(
    data_dir: Path, language: str
) -> None:
    app = make_app(data_dir, language=language)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = [str(key.render()) for key in app.screen.query(".help-key")]
        assert keys == HELP_KEYS[language]
        if language == "da":  # no English key name left in Danish
            said = " ".join(keys)
            assert [w for w in ("Space", "Shift", "Escape", "arrow") if w in said] == []
        assert not any(key.startswith(("N /", "P /")) for key in keys)  # never step keys
        await pilot.press("escape")
        assert isinstance(app.screen, OverviewScreen)


async def test_help_descriptions_wrap_in_their_own_column(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        keys = list(app.screen.query(".help-key"))
        texts = list(app.screen.query(".help-text"))
        assert len(keys) == len(texts) > 10
        assert any(text.region.height > 1 for text in texts)  # some wrap at 80 columns
        key_column_end = max(key.region.right for key in keys)
        # Every line of every description starts in the same column, right of the keys.
        assert {text.content_region.x for text in texts} == {texts[0].content_region.x}
        assert texts[0].content_region.x > key_column_end
        for key, text in zip(keys, texts, strict=True):
            assert key.region.y == text.region.y  # on the row of its key


def palette_offers(app: PeerskoleApp, text: str) -> bool:
    """Whether the open command palette's first (highlighted) hit contains the text."""
    from textual.command import CommandList, CommandPalette

    if not isinstance(app.screen, CommandPalette):
        return False
    hits = app.screen.query_one(CommandList)
    first = hits.highlighted_option if hits.option_count else None
    return first is not None and text.casefold() in str(first.prompt).casefold()


async def test_command_palette_offers_support(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]]
) -> None:
    from peerskole.ui.dialogs.support import SupportDialog

    app, pilot = app_at_overview
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"Støtte")
    await until(pilot, lambda: palette_offers(app, "Støtte"), "the support command offered")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, SupportDialog)


async def test_command_palette_speaks_the_ui_language(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]]
) -> None:
    from textual.command import CommandInput, CommandPalette
    from textual.widgets import Footer

    app, pilot = app_at_overview

    def footer_palette_label() -> str:
        footer = app.screen.query_one(Footer)
        return " ".join(str(key.render()) for key in footer.query(".-command-palette"))

    async def palette_placeholder() -> str:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        placeholder = app.screen.query_one(CommandInput).placeholder
        await pilot.press("escape")
        await pilot.pause()
        return placeholder

    assert "Kommandoer" in footer_palette_label()
    assert "palette" not in footer_palette_label()
    assert await palette_placeholder() == "Søg efter en kommando …"
    await pilot.press("f4")
    # The footer is made again after the bindings change.
    await until(pilot, lambda: "Commands" in footer_palette_label(), "the footer in English")
    assert await palette_placeholder() == "Search for a command …"
    # Switching back from the palette's own language command.
    await pilot.press("ctrl+p")
    await pilot.press(*"Danish")
    await until(pilot, lambda: palette_offers(app, "Danish"), "the language command offered")
    await pilot.press("enter")
    await until(pilot, lambda: "Kommandoer" in footer_palette_label(), "the footer in Danish")
    assert app.t.language == "da"
    assert await palette_placeholder() == "Søg efter en kommando …"


async def test_steps_removed_from_the_course_keep_their_records(
    data_dir: Path, tmp_path: Path
) -> None:
    course = tmp_path / "kursus"
    shutil.copytree(SAMPLE_COURSE, course)
    app = make_app(data_dir, course=course)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        assert app.session is not None
        learner = app.session.learner.id
    store = stored(data_dir)
    store.update_step(learner, "mini", "1.0", "second", "read", StepUpdate(facts={"opened": True}))
    # The instructor replaces the step "read" with a new step.
    module = course / "modules" / "02-second.toml"
    module.write_text(module.read_text().replace('id = "read"', 'id = "read-new"'))
    app = make_app(data_dir, course=course)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert app.session is not None
        status = app.session.status().module("second")
        assert (status.done_steps, status.total_steps) == (0, 1)  # the new step is not done
    kept = [r.step_id for r in stored(data_dir).step_records(learner, "mini")]
    assert kept == ["read"]  # never deleted


async def test_usable_at_80_by_24(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_as_new_learner(app, pilot)
        await pilot.press("enter")  # open the focused module
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, ModuleScreen)
        for button in ("#previous", "#next"):
            region = app.screen.query_one(button).region
            assert region.bottom <= 24 and region.right <= 80


async def test_a_change_of_language_reaches_every_open_screen(data_dir: Path) -> None:
    """The module screen shows its step in the new language at once, and the overview
    under it has followed when the trainee goes back."""
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, "first", "intro")
        assert "Læsning: Om at lytte" in str(screen.query_one("#step-heading", Static).render())
        await pilot.press("f4")
        await wait_for_workers(app, pilot)
        assert app.screen is screen and app.t.language == "en"
        heading = app.screen.query_one("#step-heading", Static)
        assert "Reading: Om at lytte" in str(heading.render())  # the course stays Danish
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        assert "Switch&#160;profile" in app.export_screenshot()
