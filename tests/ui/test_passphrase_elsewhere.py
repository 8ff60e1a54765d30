"""The passphrase of an open profile changes in another window; wrong passphrases wait.

"Another window" is a second connection to the app's database doing what the other
app's passphrase dialog does (the real two-process case is tests/terminal).
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from peerskole import privacy
from peerskole.privacy import TextPlace
from peerskole.ui.app import PeerskoleApp
from peerskole.ui.dialogs.passphrase import PassphrasePrompt, PassphraseSettings
from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.screens.overview import OverviewScreen
from tests.ui.conftest import (
    SIZE,
    click,
    flush_writes,
    make_app,
    open_step,
    start_as_new_learner,
    stored,
    until,
    wait_for_workers,
)

A, B = "første adgangskode", "anden adgangskode"
MODULE, STEP = "first", "own-experience"


async def type_into(pilot: Pilot[None], selector: str, text: str) -> None:
    pilot.app.screen.query_one(selector, Input).focus()
    await pilot.pause()
    await pilot.press(*text)


async def set_passphrase(app: PeerskoleApp, pilot: Pilot[None], passphrase: str) -> None:
    await pilot.press("f5")
    await pilot.pause()
    assert isinstance(app.screen, PassphraseSettings)
    await type_into(pilot, "#new", passphrase)
    await type_into(pilot, "#repeat", passphrase)
    await pilot.press("enter")
    await wait_for_workers(app, pilot)
    await flush_writes(app)
    await wait_for_workers(app, pilot)
    assert isinstance(app.screen, OverviewScreen)


async def answer_prompt(app: PeerskoleApp, pilot: Pilot[None], passphrase: str) -> None:
    assert isinstance(app.screen, PassphrasePrompt)
    await type_into(pilot, "#passphrase", passphrase)
    await pilot.press("enter")
    await wait_for_workers(app, pilot)


async def wait_for_prompt(app: PeerskoleApp, pilot: Pilot[None]) -> PassphrasePrompt:
    """Wait (on the screen stack, up to 10 s) for the passphrase to be asked again."""
    for _ in range(1000):
        if isinstance(app.screen, PassphrasePrompt):
            await pilot.pause()
            return app.screen
        await pilot.pause(0.01)
    raise AssertionError(f"the passphrase was not asked for again; on screen: {app.screen}")


def said(app: PeerskoleApp) -> str:
    return str(app.screen.query_one("#passphrase-message", Static).render())


def change_elsewhere(data_dir: Path, learner_id: str, old: str, new: str) -> None:
    """What the other window's passphrase dialog does: old → new."""
    other = stored(data_dir)
    params = privacy.protection(other, learner_id)
    assert params is not None
    privacy.rekey(other, learner_id, privacy.unlock(params, learner_id, old),
                  privacy.new_key(learner_id, new))
    other.close()


def stored_text(data_dir: Path, learner_id: str, passphrase: str) -> str:
    store = stored(data_dir)
    try:
        saved = store.reflection(learner_id, "mini", MODULE, STEP)
        params = privacy.protection(store, learner_id)
        assert saved is not None and params is not None
        key = privacy.unlock(params, learner_id, passphrase)
        return privacy.reveal(key, saved.text,
                              TextPlace(learner_id, "mini", MODULE, STEP, "reflection"))
    finally:
        store.close()


async def test_a_change_elsewhere_asks_again_and_nothing_typed_is_lost(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await set_passphrase(app, pilot, A)
        assert app.session is not None
        learner = app.session.learner.id
        screen = await open_step(app, pilot, MODULE, STEP)
        editor = screen.query_one("#reflection-text", TextArea)
        editor.focus()
        await pilot.press(*"Første del")
        # Sent once typing pauses, sealed with A.
        await until(pilot, lambda: stored_text(data_dir, learner, A) == "Første del",
                    "the first part in the store")

        change_elsewhere(data_dir, learner, A, B)
        # Pasted rather than typed: a dialog that opens mid-word takes the next keys.
        editor.insert(" og mere")  # the next autosave finds the key changed
        prompt = await wait_for_prompt(app, pilot)
        assert prompt.again
        assert "skiftet i et andet vindue" in str(
            prompt.query_one("#passphrase-intro", Static).render())
        assert str(prompt.query_one("#cancel").render()).strip().endswith("Afslut")
        # Not saved meanwhile, and not written over with the old key.
        assert app.writes is not None and app.writes.pending > 0
        assert stored_text(data_dir, learner, B) == "Første del"

        await answer_prompt(app, pilot, A)  # the old one no longer opens it
        assert isinstance(app.screen, PassphrasePrompt)
        assert "ikke den rigtige" in said(app)
        await answer_prompt(app, pilot, B)
        assert isinstance(app.screen, ModuleScreen)
        await flush_writes(app)
        assert stored_text(data_dir, learner, B) == "Første del og mere"
        assert editor.text == "Første del og mere"


async def test_a_reflection_sealed_with_the_new_passphrase_is_shown_read_only(
    data_dir: Path,
) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await set_passphrase(app, pilot, A)
        assert app.session is not None
        learner = app.session.learner.id
        module = app.session.course.module(MODULE)
        app.session.save_reflection(module, module.step(STEP), "Min egen tekst", False)
        await flush_writes(app)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("enter")  # the only profile
        await wait_for_workers(app, pilot)
        await answer_prompt(app, pilot, A)
        assert isinstance(app.screen, OverviewScreen)
        change_elsewhere(data_dir, learner, A, B)

        screen = await open_step(app, pilot, MODULE, STEP)
        await wait_for_prompt(app, pilot)  # reading it showed the key had changed
        editor = screen.query_one("#reflection-text", TextArea)
        assert editor.read_only and editor.text == ""
        assert "adgangskoden er skiftet i et andet vindue" in str(
            screen.query_one("#unreadable", Static).render())
        assert screen.query_one("#share").disabled
        assert "(Denne tekst kan ikke" not in editor.text  # no placeholder as text

        await answer_prompt(app, pilot, B)
        assert app.screen_stack[-1] is screen
        await flush_writes(app)
        assert stored_text(data_dir, learner, B) == "Min egen tekst"  # not written over
        # Away and back: now it opens, and can be edited.
        await click(pilot, "#next")
        await click(pilot, "#previous")
        assert screen.view is not None and screen.view.data.step.id == STEP
        editor = screen.query_one("#reflection-text", TextArea)
        assert editor.text == "Min egen tekst" and not editor.read_only


async def test_wrong_passphrases_make_the_next_try_wait_and_say_how_long(
    data_dir: Path,
) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await set_passphrase(app, pilot, A)
        assert app.session is not None
        learner = app.session.learner.id
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        for _ in range(privacy.FREE_TRIES - 1):
            await answer_prompt(app, pilot, "forkert gæt")
            assert "Prøv igen om" not in said(app)
        await answer_prompt(app, pilot, "forkert gæt")
        assert "Prøv igen om 30\u00a0sekunder." in said(app)
        # Even the right passphrase waits: it is not tried.
        await answer_prompt(app, pilot, A)
        assert isinstance(app.screen, PassphrasePrompt)
        assert "for mange forkerte" in said(app) and "Prøv igen om" in said(app)
        assert not app.screen.query_one("#passphrase", Input).disabled  # the UI still answers

        store = stored(data_dir)  # the 30 seconds pass
        store._read(lambda db: db.execute(
            "UPDATE passphrase_tries SET last_try = last_try - 31 WHERE learner_id = ?",
            (learner,)))
        await answer_prompt(app, pilot, A)
        assert isinstance(app.screen, OverviewScreen)
        rows = store._read(lambda db: db.execute(
            "SELECT count(*) FROM passphrase_tries").fetchone())
        assert rows[0] == 0  # the right one starts the count afresh
        store.close()


def test_the_wait_is_said_in_seconds_then_minutes_in_both_languages() -> None:
    from peerskole.i18n import Translator
    from peerskole.ui.dialogs.passphrase import wait_text

    da, en = Translator("da"), Translator("en")
    assert wait_text(30, da) == "Prøv igen om 30\u00a0sekunder."
    assert wait_text(1, da) == "Prøv igen om 1\u00a0sekund."
    assert wait_text(150, da) == "Prøv igen om 3\u00a0minutter."
    assert wait_text(30, en) == "Try again in 30\u00a0seconds."
    assert wait_text(900, en) == "Try again in 15\u00a0minutes."
