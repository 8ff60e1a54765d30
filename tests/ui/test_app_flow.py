"""The trainee's way through the app: profile, overview, module, reading, resume."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Markdown, OptionList, Static

from peerskole.ui.app import PeerskoleApp
from peerskole.ui.screens.learner import LearnerScreen
from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.screens.overview import OverviewScreen
from peerskole.ui.textual_compat import notifications
from peerskole.ui.widgets.module_card import ModuleCard
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


def text_of(app: PeerskoleApp, selector: str) -> str:
    widget = app.screen.query_one(selector, Static)
    return str(widget.render())


async def test_new_learner_sees_the_overview(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, LearnerScreen)
        assert "Der er ingen profiler endnu" in text_of(app, "#learner-empty")
        await start_as_new_learner(app, pilot, "Åse")
        assert text_of(app, "#overall") == "0 / 7 trin (0\u00a0%)"
        assert "30\u00a0min." in text_of(app, "#time-left")
        locked = app.screen.query_one("#module-second", ModuleCard)
        assert locked.has_class("locked")
        assert "Låst – åbner, når du har gennemført: Første modul" in str(
            locked.query_one(".card-locked", Static).render()
        )
    learners = stored(data_dir).learners()
    assert [lr.display_name for lr in learners] == ["Åse"]


async def test_creating_a_learner_needs_a_name(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.click("#create")
        await pilot.pause()
        assert isinstance(app.screen, LearnerScreen)
        assert "Skriv et navn" in text_of(app, "#learner-message")


@pytest.mark.parametrize(("language", "said"), [
    ("da", "»Andet modul« er ikke åbent endnu. Det åbner, når du har gennemført: Første modul"),
    ("en", "“Andet modul” is not open yet. It opens when you have completed: Første modul"),
])
async def test_a_locked_module_says_what_opens_it_and_does_not_open(
    data_dir: Path, language: str, said: str
) -> None:
    app = make_app(data_dir, language=language)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        card = app.screen.query_one("#module-second", ModuleCard)
        card.focus()
        await pilot.pause()
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, OverviewScreen)  # not opened
        assert [n.message for n in notifications(app)] == [said]
        await pilot.press("enter")  # again, while it is still shown: said once
        await pilot.pause()
        assert [n.message for n in notifications(app)] == [said]
        # The footer still shows Enter dimmed on the card: it does not open it.
        enter = app.screen.active_bindings["enter"]
        assert enter.binding.action == "open" and not enter.enabled
        app.clear_notifications()
        await pilot.pause()
        await pilot.click("#module-second")
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert [n.message for n in notifications(app)] == [said]
        # An open module's card opens at Enter, and says nothing.
        app.clear_notifications()
        app.screen.query_one("#module-first", ModuleCard).focus()
        await pilot.pause()
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, ModuleScreen) and notifications(app) == []


async def test_reading_is_shown_and_counts_as_done_once_left(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, "first", "intro")
    markdown = screen.query_one(Markdown)
    assert "forstå" in markdown.source
    await flush_writes(app)
    assert app.session is not None
    records = stored(data_dir).step_records(app.session.learner.id, "mini")
    # Opened: begun (the module is in progress), not yet read.
    assert [(r.step_id, r.facts, r.completed_at) for r in records] == [("intro", {}, None)]
    steps = screen.query_one("#steps", OptionList)
    labels = [str(steps.get_option_at_index(i).prompt) for i in range(steps.option_count)]
    assert labels[1].startswith("▶ Om at lytte")  # the current step, in a symbol and a word
    assert labels[1].endswith("her · mangler")
    await pilot.click("#next")  # moving on from the reading: read
    await wait_for_workers(app, pilot)
    await flush_writes(app)
    records = stored(data_dir).step_records(app.session.learner.id, "mini")
    intro = next(r for r in records if r.step_id == "intro")
    assert intro.facts == {"read": True} and intro.completed_at is not None
    assert str(steps.get_option_at_index(1).prompt).startswith("✓ Om at lytte")


async def test_reopening_returns_to_the_same_step(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await open_step(app, pilot, "first", "intro")
        await flush_writes(app)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("enter")  # the highlighted profile
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, ModuleScreen)
        assert app.screen.current.id == "intro"
        await pilot.press("escape")
        assert isinstance(app.screen, OverviewScreen)


async def test_support_opens_from_every_screen(data_dir: Path) -> None:
    from peerskole.ui.dialogs.support import SupportDialog

    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        for arrive in (None, "overview", "module"):
            if arrive == "overview":
                await start_as_new_learner(app, pilot)
            elif arrive == "module":
                await open_step(app, pilot, "first", "intro")
            await pilot.press("f2")
            await pilot.pause()
            assert isinstance(app.screen, SupportDialog)
            contacts = [str(s.render()) for s in app.screen.query(".contact")]
            assert any("112" in c for c in contacts)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, SupportDialog)


async def test_english_is_complete(data_dir: Path) -> None:
    app = make_app(data_dir, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        assert "There are no profiles yet" in text_of(app, "#learner-empty")
        await start_as_new_learner(app, pilot)
        assert text_of(app, "#overall") == "0 / 7 steps (0\u00a0%)"


async def test_course_errors_are_shown_not_raised(data_dir: Path, tmp_path: Path) -> None:
    from tests.conftest import BROKEN_COURSES

    app = make_app(data_dir, course=BROKEN_COURSES / "misspelt-key")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        problems = text_of(app, "#problems")
        assert 'unknown field "minuttes" (did you mean "minutes"?)' in problems


async def test_the_profiles_are_listed_however_the_store_and_the_first_screen_race(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store slower than the first screen's wait answers while that screen is still
    being mounted: its list of profiles must come all the same (once it never did)."""
    known = stored(data_dir)
    known.add_learner("Åse")
    known.close()
    answer = threading.Event()
    read_store = PeerskoleApp._read_store

    def slow_store(app: PeerskoleApp) -> None:
        answer.wait(timeout=10)  # until the first screen is on its way
        read_store(app)

    mount = LearnerScreen.on_mount

    async def slow_mount(screen: LearnerScreen) -> None:
        answer.set()  # the store answers now...
        await asyncio.sleep(0.3)  # ...while the screen is still mounting
        mount(screen)

    monkeypatch.setattr(PeerskoleApp, "_read_store", slow_store)
    monkeypatch.setattr(LearnerScreen, "on_mount", slow_mount)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LearnerScreen)
                    and app.screen.query_one("#learners", OptionList).option_count == 1,
                    "the profile in the list")
