"""Signing in under ``peerskole serve``: name, cohort and passphrase, and no list of names.

The real app (``sign_in=True``, as serve starts it) on a real SQLite store; another tab
is another connection to the same database, as another app process would be.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, Input, OptionList, Static, TextArea

from peerskole import privacy
from peerskole.privacy import FREE_TRIES, PrivacyError
from peerskole.ui.app import PeerskoleApp
from peerskole.ui.dialogs.passphrase import PassphraseSettings
from peerskole.ui.screens.learner import LearnerScreen
from peerskole.ui.screens.overview import OverviewScreen
from peerskole.ui.screens.sign_in import SignInScreen
from tests.conftest import SAMPLE_COURSE
from tests.ui.conftest import SIZE, flush_writes, open_step, stored, wait_for_workers

PASSPHRASE = "blåbær og måne"
REFLECTION = ("first", "own-experience")


def signing_in(data_dir: Path) -> PeerskoleApp:
    return PeerskoleApp(SAMPLE_COURSE, data_dir=data_dir, sign_in=True)


def said(app: PeerskoleApp) -> str:
    return str(app.screen.query_one("#sign-in-message", Static).render())


async def fill(pilot: Pilot[None], app: PeerskoleApp, selector: str, text: str) -> None:
    field = app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.pause()
    await pilot.press(*text)


async def sign_in(pilot: Pilot[None], app: PeerskoleApp, name: str, cohort: str,
                  passphrase: str) -> None:
    await wait_for_workers(app, pilot)
    assert isinstance(app.screen, SignInScreen)
    await fill(pilot, app, "#name", name)
    if cohort:
        await fill(pilot, app, "#cohort", cohort)
    await fill(pilot, app, "#passphrase", passphrase)
    await pilot.press("enter")
    await wait_for_workers(app, pilot)


def screen_text(app: PeerskoleApp) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


async def test_a_new_profile_sets_its_passphrase_and_nobody_s_name_is_shown(
    data_dir: Path,
) -> None:
    store = stored(data_dir)
    store.add_learner("Bo Jensen", "hold-1")
    store.close()
    app = signing_in(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, SignInScreen)
        assert not app.screen.query(OptionList)
        assert "Bo Jensen" not in screen_text(app)
        assert app.screen.query_one("#passphrase", Input).password
        assert not app.screen.query_one("#repeat", Input).is_on_screen

        await sign_in(pilot, app, "Åse Hansen", "Hold-1", PASSPHRASE)
        assert said(app).startswith("Der er ingen profil med det navn på holdet")
        repeat = app.screen.query_one("#repeat", Input)
        assert repeat.is_on_screen and repeat.has_focus
        await pilot.press(*"blåbær og sol", "enter")
        await pilot.pause()
        assert said(app).startswith("De to adgangskoder er ikke ens")
        assert app.session is None
        await pilot.press(*PASSPHRASE, "enter")
        await wait_for_workers(app, pilot)
        await flush_writes(app)

        assert isinstance(app.screen, OverviewScreen)
        assert app.session is not None and app.session.key is not None
        learner = app.session.learner
        # Signed in by passphrase, it can be changed but not removed.
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, PassphraseSettings)
        assert not app.screen.query("#remove")
        assert app.screen.query_one("#set", Button)

    store = stored(data_dir)
    try:
        assert (learner.display_name, learner.cohort) == ("Åse Hansen", "hold-1")
        params = privacy.protection(store, learner.id)
        assert params is not None
        privacy.unlock(params, learner.id, PASSPHRASE)
        assert len(store.learners()) == 2
    finally:
        store.close()


async def test_wrong_passphrases_are_slowed_for_every_tab(data_dir: Path) -> None:
    store = stored(data_dir)
    learner, _ = privacy.create_protected(store, "Åse Hansen", None, PASSPHRASE)
    app = signing_in(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        # Names compared as the store compares them: case and spaces do not count.
        await sign_in(pilot, app, " åse HANSEN ", "", "ikke den rigtige")
        assert said(app).startswith("Navn, holdkode eller adgangskode passer ikke")
        assert app.screen.query_one("#passphrase", Input).value == ""
        assert app.session is None
        # Another tab guesses on (the same store, as another app process would).
        params = privacy.protection(store, learner.id)
        assert params is not None
        for _ in range(FREE_TRIES - 1):
            try:
                privacy.unlock_profile(store, params, learner.id, "gæt igen")
            except PrivacyError as error:
                assert error.problem == "wrong_passphrase"
        # Now even the right passphrase must wait, here too, and is not tried.
        await sign_in(pilot, app, "Åse Hansen", "", PASSPHRASE)
        assert isinstance(app.screen, SignInScreen)
        assert app.session is None
        assert "vente" in said(app) and "Prøv igen om" in said(app)
    store.close()


async def test_the_right_passphrase_opens_the_profile_of_that_name(data_dir: Path) -> None:
    store = stored(data_dir)
    learner, _ = privacy.create_protected(store, "Åse Hansen", "hold-1", PASSPHRASE)
    store.close()
    app = signing_in(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, app, "ÅSE HANSEN", "HOLD-1", PASSPHRASE)
        assert isinstance(app.screen, OverviewScreen)
        assert app.session is not None and app.session.learner.id == learner.id
        # Switching profile asks "who are you?" by signing in again, listing nobody.
        await pilot.press("ctrl+l")
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.session is None


async def test_an_unprotected_profile_gets_its_passphrase_on_first_open(
    data_dir: Path,
) -> None:
    # Made in the terminal app, without a passphrase, with a reflection written.
    app = PeerskoleApp(SAMPLE_COURSE, data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, LearnerScreen)  # the terminal app lists profiles
        await pilot.click("#name")
        await pilot.press(*"Bo Jensen")
        await pilot.click("#create")
        await wait_for_workers(app, pilot)
        screen = await open_step(app, pilot, *REFLECTION)
        screen.query_one("#reflection-text", TextArea).focus()
        await pilot.press(*"Min første samtale")
        await pilot.press("escape")
        await wait_for_workers(app, pilot)
        await flush_writes(app)
        assert app.session is not None
        bo = app.session.learner

    app = signing_in(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, app, "bo jensen", "", PASSPHRASE)
        assert said(app).startswith("Profilen har endnu ingen adgangskode")
        assert app.session is None
        await pilot.press(*PASSPHRASE, "enter")
        await wait_for_workers(app, pilot)
        await flush_writes(app)
        assert app.session is not None and app.session.learner.id == bo.id
        assert app.session.key is not None
        screen = await open_step(app, pilot, *REFLECTION)
        assert screen.query_one("#reflection-text", TextArea).text == "Min første samtale"

    store = stored(data_dir)
    try:
        assert privacy.protection(store, bo.id) is not None
        kept = store.reflection(bo.id, "mini", *REFLECTION)
        assert kept is not None and privacy.is_token(kept.text)  # sealed from now on
        assert len(store.learners()) == 1
    finally:
        store.close()


async def test_asked_to_quit_from_outside_the_app_keeps_the_draft(data_dir: Path) -> None:
    """What the server's idle close (and a closed tab) does: Textual's ExitApp, no dialog."""
    from textual.messages import ExitApp

    store = stored(data_dir)
    learner, _ = privacy.create_protected(store, "Åse Hansen", None, PASSPHRASE)
    store.close()
    app = signing_in(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, app, "Åse Hansen", "", PASSPHRASE)
        screen = await open_step(app, pilot, *REFLECTION)
        screen.query_one("#reflection-text", TextArea).focus()
        await pilot.press(*"Halvt skrevet")  # no pause: not yet sent by the autosave
        app.post_message(ExitApp())
        await pilot.pause()
    assert app.return_code in (0, None)

    store = stored(data_dir)
    try:
        kept = store.reflection(learner.id, "mini", *REFLECTION)
        assert kept is not None and privacy.is_token(kept.text)
        params = privacy.protection(store, learner.id)
        assert params is not None
        key = privacy.unlock(params, learner.id, PASSPHRASE)
        place = privacy.TextPlace(learner.id, "mini", *REFLECTION, "reflection")
        assert key.open(kept.text, place) == "Halvt skrevet"
    finally:
        store.close()
