"""Handing a shared computer to the next trainee without quitting (issue 10, item 6).

Ctrl+L, the command palette and a button on the overview go back to "Hvem er du?":
what the first trainee wrote is saved first, a protected profile is locked again,
and nothing of hers is left on any screen.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import OptionList, Static, TextArea

from peerskole.privacy import TextPlace
from peerskole.store.sqlite import SQLiteStore
from peerskole.ui.app import PeerskoleApp
from peerskole.ui.dialogs.passphrase import PassphrasePrompt
from peerskole.ui.screens.learner import LearnerScreen
from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.screens.overview import OverviewScreen
from peerskole.ui.textual_compat import notifications
from tests.ui.conftest import (
    SIZE,
    flush_writes,
    make_app,
    open_step,
    start_as_new_learner,
    stored,
    wait_for_workers,
)
from tests.ui.test_passphrase import PASSPHRASE, set_passphrase, type_into

MODULE, STEP = "first", "own-experience"
SENTENCE = "Min mormor lyttede altid uden at afbryde"


def everything_on_screen(app: PeerskoleApp) -> str:
    """The text of every widget of every screen the app holds, shown or not."""
    parts: list[str] = []
    for screen in app.screen_stack:
        for widget in screen.walk_children(Widget):
            if isinstance(widget, TextArea):
                parts.append(widget.text)
            elif isinstance(widget, Static):
                parts.append(str(widget.render()))
    return "\n".join(parts)


async def wait_for_learner_screen(app: PeerskoleApp, pilot: Pilot[None]) -> LearnerScreen:
    for _ in range(300):  # the switch waits for the store to have every write
        if isinstance(app.screen, LearnerScreen) and app.screen.query("#learners"):
            break
        await pilot.pause(0.02)
    await wait_for_workers(app, pilot)
    assert isinstance(app.screen, LearnerScreen)
    return app.screen


async def type_reflection(app: PeerskoleApp, pilot: Pilot[None]) -> None:
    screen = await open_step(app, pilot, MODULE, STEP)
    screen.query_one("#reflection-text", TextArea).focus()
    await pilot.press(*SENTENCE)


async def test_ctrl_l_saves_the_draft_and_leaves_nothing_of_it_on_screen(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot, "Anne")
        assert app.session is not None
        anne = app.session.learner.id
        await type_reflection(app, pilot)
        # At once, inside the text, before the draft's quiet moment has come.
        await pilot.press("ctrl+l")
        screen = await wait_for_learner_screen(app, pilot)
        # Saved before the switch, not after: the store had it as the list was read.
        saved = stored(data_dir).reflection(anne, "mini", MODULE, STEP)
        assert saved is not None and saved.text == SENTENCE
        assert app.session is None
        assert [type(s) for s in app.screen_stack[1:]] == [LearnerScreen]
        assert SENTENCE not in everything_on_screen(app)
        assert "Hvem er du?" in str(screen.query_one("#learner-title", Static).render())
        names = screen.query_one("#learners", OptionList)
        assert [str(names.get_option_at_index(i).prompt) for i in range(names.option_count)] \
            == ["Anne"]

        # The next trainee makes her own profile and finds an empty reflection.
        await pilot.click("#name")
        await pilot.press(*"Bo")
        await pilot.click("#create")
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert str(app.screen.query_one("#who", Static).render()) == "Bo"
        assert SENTENCE not in everything_on_screen(app)
        module_screen = await open_step(app, pilot, MODULE, STEP)
        assert module_screen.query_one("#reflection-text", TextArea).text == ""
        await flush_writes(app)
    bo = next(lr.id for lr in stored(data_dir).learners() if lr.display_name == "Bo")
    assert stored(data_dir).reflection(bo, "mini", MODULE, STEP) is None


async def test_a_protected_profile_is_locked_again(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot, "Anne")
        await set_passphrase(app, pilot)
        assert app.session is not None and app.session.key is not None
        key = app.session.key
        place = TextPlace(app.session.learner.id, "mini", MODULE, STEP, "reflection")
        await type_reflection(app, pilot)
        await pilot.press("escape")  # to the overview: its button switches
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, OverviewScreen)
        await pilot.click("#switch-learner")
        await wait_for_learner_screen(app, pilot)
        await flush_writes(app)
        assert app.session is None
        assert not [s for s in app.screen_stack if hasattr(s, "session")]
        with pytest.raises(RuntimeError):  # the old session's key opens nothing any more
            key.seal("x", place)

        # Choosing the profile again asks for its passphrase; with it, the text is there.
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, PassphrasePrompt)
        await type_into(pilot, app, "#passphrase", PASSPHRASE)
        await pilot.press("enter")
        for _ in range(300):  # the key is derived in a worker, on purpose slowly
            if isinstance(app.screen, (OverviewScreen, ModuleScreen)):
                break
            await pilot.pause(0.02)
        await wait_for_workers(app, pilot)
        screen = await open_step(app, pilot, MODULE, STEP)
        assert screen.query_one("#reflection-text", TextArea).text == SENTENCE


async def test_the_command_palette_switches_profile(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot, "Anne")
        await open_step(app, pilot, MODULE, "intro")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Skift profil")
        for _ in range(100):  # the palette searches its commands in the background
            if app.screen.query("CommandList Option, CommandList .option-list--option"):
                break
            await pilot.pause(0.02)
        await pilot.press("enter")
        await wait_for_learner_screen(app, pilot)
        assert app.session is None
        assert [type(s) for s in app.screen_stack[1:]] == [LearnerScreen]
        # Leaving the reading for "who are you?" is moving on: it counts as read.
        await flush_writes(app)
        [anne] = stored(data_dir).learners()
        records = {r.step_id: r.facts for r in stored(data_dir).step_records(anne.id, "mini")}
        assert records["intro"] == {"read": True}


async def test_nothing_is_switched_while_the_text_cannot_be_saved(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot, "Anne")
        await open_step(app, pilot, MODULE, STEP)
        await flush_writes(app)
        assert isinstance(app.store, SQLiteStore)
        app.store._db.execute("PRAGMA busy_timeout = 50")
        other = sqlite3.connect(data_dir / "peerskole.sqlite3", isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")  # another program holds the database
        await pilot.click("#reflection-text")
        await pilot.press(*SENTENCE, "ctrl+l")
        for _ in range(300):  # it waits a few seconds for the write, then says why not
            if any("Profilen er ikke skiftet" in n.message for n in notifications(app)):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, ModuleScreen), "switched with the text unsaved"
        assert app.session is not None
        assert app.screen.query_one("#reflection-text", TextArea).text == SENTENCE
        other.execute("ROLLBACK")
        await pilot.press("ctrl+l")  # once the database answers, the switch goes through
        await wait_for_learner_screen(app, pilot)
        [anne] = stored(data_dir).learners()
        saved = stored(data_dir).reflection(anne.id, "mini", MODULE, STEP)
        assert saved is not None and saved.text == SENTENCE
