"""Passphrase-protected profiles through the real app: set, open, change, remove.

And the promise itself: with a passphrase, no byte of a trainee's private
sentence is anywhere under the data directory (database, WAL, shared memory).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from peerskole import privacy
from peerskole.ui.app import PeerskoleApp
from peerskole.ui.dialogs.passphrase import PassphrasePrompt, PassphraseSettings
from peerskole.ui.screens.learner import LearnerScreen
from peerskole.ui.screens.overview import OverviewScreen
from tests.ui.conftest import (
    SIZE,
    click,
    flush_writes,
    make_app,
    open_step,
    start_as_new_learner,
    stored,
    wait_for_workers,
)

PASSPHRASE = "blå hest på taget"
REFLECTION = ("first", "own-experience")
PRACTICE = ("first", "practice-talk")
MARKER = "Zebrafinken hviskede lavendelblåt om indlæggelsen i marts"
"""A sentence no database page holds by chance; its long words are checked one by one too."""


def said(app: PeerskoleApp) -> str:
    return str(app.screen.query_one("#passphrase-message", Static).render())


async def type_into(pilot: Pilot[None], app: PeerskoleApp, selector: str, text: str) -> None:
    app.screen.query_one(selector, Input).focus()
    await pilot.pause()
    await pilot.press(*text)


async def settle(app: PeerskoleApp, pilot: Pilot[None]) -> None:
    """Wait for key derivation, the queued re-keying and the reply."""
    await wait_for_workers(app, pilot)
    await flush_writes(app)
    await wait_for_workers(app, pilot)


async def set_passphrase(
    app: PeerskoleApp, pilot: Pilot[None], passphrase: str = PASSPHRASE
) -> None:
    """From the overview: F5, the new passphrase twice, Enter."""
    await pilot.press("f5")
    await pilot.pause()
    assert isinstance(app.screen, PassphraseSettings)
    await type_into(pilot, app, "#new", passphrase)
    await type_into(pilot, app, "#repeat", passphrase)
    await pilot.press("enter")
    await settle(app, pilot)


async def write_reflection(app: PeerskoleApp, pilot: Pilot[None], text: str) -> None:
    screen = await open_step(app, pilot, *REFLECTION)
    screen.query_one("#reflection-text", TextArea).focus()
    await pilot.press(*text)
    await pilot.press("escape")  # back to the overview
    await wait_for_workers(app, pilot)


async def write_practice_entry(app: PeerskoleApp, pilot: Pilot[None], text: str) -> None:
    screen = await open_step(app, pilot, *PRACTICE)
    for selector, typed in (("#field-duration", "12"), ("#field-what-happened", text),
                            ("#field-what-i-noticed", "Jeg lyttede")):
        screen.query_one(selector).focus()
        await pilot.pause()
        await pilot.press(*typed)
    screen.query_one("#log-save").focus()
    await pilot.press("enter")
    await wait_for_workers(app, pilot)
    await pilot.press("escape")
    await wait_for_workers(app, pilot)


async def open_profile(app: PeerskoleApp, pilot: Pilot[None]) -> None:
    """On the first screen, choose the (only) profile."""
    await wait_for_workers(app, pilot)
    assert isinstance(app.screen, LearnerScreen)
    await pilot.press("enter")
    await wait_for_workers(app, pilot)


def files_holding(data_dir: Path, text: str) -> list[str]:
    """Every file under data_dir holding text (UTF-8 or UTF-16) or one of its long words."""
    needles = [text, *(word for word in text.split() if len(word) >= 8)]
    patterns = [n.encode(enc) for n in needles for enc in ("utf-8", "utf-16-le", "utf-16-be")]
    found = []
    for folder, _, names in os.walk(data_dir):
        for name in names:
            content = (Path(folder) / name).read_bytes()
            found += [f"{name}: {p!r}" for p in patterns if p in content]
    return found


def learner_id(data_dir: Path) -> str:
    store = stored(data_dir)
    try:
        (learner,) = store.learners()
        return learner.id
    finally:
        store.close()


async def test_setting_a_passphrase_says_there_is_no_back_door(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, PassphraseSettings)
        assert "ingen bagdør" in str(app.screen.query_one("#no-back-door", Static).render())
        assert all(field.password for field in app.screen.query(Input))
        # Too short, then not the same twice: calm messages, nothing set.
        await type_into(pilot, app, "#new", "kort")
        await type_into(pilot, app, "#repeat", "kort")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "mindst 8\u00a0tegn" in said(app)
        app.screen.query_one("#new", Input).value = ""
        await type_into(pilot, app, "#new", PASSPHRASE)
        await type_into(pilot, app, "#repeat", PASSPHRASE + "x")
        await pilot.press("enter")
        await pilot.pause()
        assert "ikke ens" in said(app)
        assert app.session is not None
        assert stored(data_dir).setting(app.session.learner.id, privacy.SETTING_KEY) is None
        await type_into(pilot, app, "#repeat", PASSPHRASE)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert app.session is not None and app.session.key is not None
    assert privacy.protection(stored(data_dir), learner_id(data_dir)) is not None


async def test_opening_asks_again_after_a_wrong_passphrase(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await set_passphrase(app, pilot)
        await write_reflection(app, pilot, MARKER)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_profile(app, pilot)
        assert isinstance(app.screen, PassphrasePrompt)
        assert app.screen.query_one("#passphrase", Input).password
        await type_into(pilot, app, "#passphrase", "forkert gæt")
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, PassphrasePrompt)  # another try, not a way in
        assert said(app).startswith("Det var ikke den rigtige adgangskode. Prøv igen")
        assert app.screen.query_one("#passphrase", Input).value == ""
        await type_into(pilot, app, "#passphrase", PASSPHRASE)
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        assert app.session is not None and app.session.key is not None  # in, where we left
        screen = await open_step(app, pilot, *REFLECTION)
        assert screen.query_one("#reflection-text", TextArea).text == MARKER


async def test_going_back_from_the_prompt_opens_nothing(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await set_passphrase(app, pilot)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_profile(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LearnerScreen)
        assert app.session is None


async def test_change_then_remove_the_passphrase(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await set_passphrase(app, pilot)
        await write_reflection(app, pilot, MARKER)
        # Change: the current passphrase first; a wrong one changes nothing.
        await pilot.press("f5")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PassphraseSettings)
        await type_into(pilot, app, "#current", "forkert gæt")
        await type_into(pilot, app, "#new", "ny lang adgangskode")
        await type_into(pilot, app, "#repeat", "ny lang adgangskode")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is dialog and "nuværende adgangskode er ikke rigtig" in said(app)
        await type_into(pilot, app, "#current", PASSPHRASE)
        app.screen.query_one("#repeat", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert app.session is not None
        learner = app.session.learner.id
        params = privacy.protection(stored(data_dir), learner)
        assert params is not None
        privacy.unlock(params, learner, "ny lang adgangskode")
        # Remove: the current passphrase again, then every text is readable.
        await pilot.press("f5")
        await pilot.pause()
        await type_into(pilot, app, "#current", "ny lang adgangskode")
        await click(pilot, "#remove")  # scrolled to first: labels make the dialog taller
        await settle(app, pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert app.session is not None and app.session.key is None
    saved = stored(data_dir).reflection(learner, "mini", *REFLECTION)
    assert saved is not None and saved.text == MARKER
    assert stored(data_dir).setting(learner, privacy.SETTING_KEY) is None
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_profile(app, pilot)
        assert not isinstance(app.screen, PassphrasePrompt)  # no prompt any more
        assert app.session is not None and app.session.key is None


def in_view(app: PeerskoleApp, selector: str) -> bool:
    """Whether the whole widget is inside the dialog's visible part, and not covered."""
    widget = app.screen.query_one(selector)
    dialog = app.screen.query_one(".dialog")
    region = widget.region
    if not region or not dialog.scrollable_content_region.contains_region(region):
        return False
    shown, _ = app.screen.get_widget_at(region.x, region.y)
    return shown is widget or widget in shown.ancestors


async def opened_at_top(app: PeerskoleApp, pilot: object, field: str) -> bool:
    """Whether the dialog shown is at its top, its title and ``field`` (focused) in view."""
    for _ in range(3):  # the focus, then the dialog's layout, then its scroll
        await pilot.pause()  # type: ignore[attr-defined]
    assert app.focused is app.screen.query_one(field)
    return in_view(app, ".dialog-title") and in_view(app, field)


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_passphrase_dialogs_open_with_their_title_and_first_field_in_view(
    data_dir: Path, size: tuple[int, int], language: str
) -> None:
    """At 60×20 the settings opened scrolled past their title, to a centred field."""
    app = make_app(data_dir, language=language)
    async with app.run_test(size=size) as pilot:
        await start_as_new_learner(app, pilot)
        await pilot.press("f5")  # no passphrase yet: the new one's field first
        assert isinstance(app.screen, PassphraseSettings)
        assert await opened_at_top(app, pilot, "#new")
        await pilot.press("escape")
        await pilot.pause()
        await set_passphrase(app, pilot)
        await pilot.press("f5")  # now the current one's field first: the tallest dialog
        assert isinstance(app.screen, PassphraseSettings)
        assert await opened_at_top(app, pilot, "#current")
    app = make_app(data_dir, language=language)
    async with app.run_test(size=size) as pilot:
        await open_profile(app, pilot)
        assert isinstance(app.screen, PassphrasePrompt)
        assert await opened_at_top(app, pilot, "#passphrase")


@pytest.mark.parametrize("language", ["da", "en"])
async def test_at_80_by_24_a_mismatch_is_said_where_it_is_seen(
    data_dir: Path, language: str
) -> None:
    app = make_app(data_dir, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_as_new_learner(app, pilot)
        await pilot.press("f5")
        await pilot.pause()
        await type_into(pilot, app, "#new", "en lang hest")
        await type_into(pilot, app, "#repeat", "en kort hest")
        await pilot.press("enter")
        await pilot.pause()
        assert said(app) == app.t("passphrase.mismatch")
        for part in ("#passphrase-message", "#repeat", "#set", "#close"):
            assert in_view(app, part), part


async def test_at_80_by_24_a_wrong_current_passphrase_is_said_where_it_is_seen(
    data_dir: Path,
) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_as_new_learner(app, pilot)
        await set_passphrase(app, pilot)
        await pilot.press("f5")  # now with the current passphrase's field: the tallest
        await pilot.pause()
        assert isinstance(app.screen, PassphraseSettings)
        await type_into(pilot, app, "#current", "forkert gæt")
        await type_into(pilot, app, "#new", "ny lang adgangskode")
        await type_into(pilot, app, "#repeat", "ny lang adgangskode")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "nuværende adgangskode er ikke rigtig" in said(app)
        for part in ("#passphrase-message", "#current", "#set", "#remove", "#close"):
            assert in_view(app, part), part


async def test_the_palette_offers_the_passphrase(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]]
) -> None:
    app, pilot = app_at_overview
    commands = [c.title for c in app.get_system_commands(app.screen)]
    assert "Adgangskode til min profil" in commands


async def test_no_byte_of_private_text_reaches_the_disk(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await set_passphrase(app, pilot)
        await write_reflection(app, pilot, MARKER)
        await write_practice_entry(app, pilot, MARKER)
        await flush_writes(app)
        assert app.session is not None
        learner = app.session.learner.id
    store = stored(data_dir)
    saved = store.reflection(learner, "mini", *REFLECTION)
    (entry,) = store.practice_entries(learner, "mini", *PRACTICE)
    store.close()
    assert saved is not None and privacy.is_token(saved.text)  # it was written, sealed
    assert privacy.is_token(entry.values["what-happened"])
    assert files_holding(data_dir, MARKER) == []


async def test_setting_a_passphrase_later_leaves_no_plaintext_behind(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await write_reflection(app, pilot, MARKER)
        await write_practice_entry(app, pilot, MARKER)
        await flush_writes(app)
        # The test can fail: before the passphrase the sentence is on disk.
        assert files_holding(data_dir, MARKER) != []
        await set_passphrase(app, pilot)
        assert app.session is not None and app.session.key is not None
        assert files_holding(data_dir, MARKER) == []
    assert files_holding(data_dir, MARKER) == []
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_profile(app, pilot)
        await type_into(pilot, app, "#passphrase", PASSPHRASE)
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        screen = await open_step(app, pilot, *REFLECTION)
        assert screen.query_one("#reflection-text", TextArea).text == MARKER


async def test_odd_passphrases_at_the_prompt_get_the_calm_answer(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await set_passphrase(app, pilot)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_profile(app, pilot)
        # Markup, an escape sequence, a lone surrogate (as a broken paste gives), a long one.
        for odd in ("[bold red]x[/]", "\x1b]8;;http://x\x1b\\", "\ud800æ", "ø" * 1024):
            field = app.screen.query_one("#passphrase", Input)
            field.value = odd
            field.focus()
            await pilot.press("enter")
            await wait_for_workers(app, pilot)
            assert isinstance(app.screen, PassphrasePrompt)
            assert said(app).startswith("Det var ikke den rigtige adgangskode")
        await type_into(pilot, app, "#passphrase", PASSPHRASE)
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        assert app.session is not None and app.session.key is not None


async def test_sharing_and_unsharing_leaves_no_readable_text_on_disk(data_dir: Path) -> None:
    """Ticking "Del" stores the text readable; unticking it must leave no copy of that.

    Read while the app still runs (so as a SIGKILL would leave the files): the WAL is
    cut as soon as the text is sealed again, not at a clean quit.
    """
    from tests.ui.conftest import click

    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await set_passphrase(app, pilot)
        screen = await open_step(app, pilot, *REFLECTION)
        screen.query_one("#reflection-text", TextArea).focus()
        await pilot.press(*MARKER)
        await click(pilot, "#share")
        await flush_writes(app)
        assert files_holding(data_dir, MARKER) != []  # shared: readable, as promised
        await click(pilot, "#share")
        await flush_writes(app)
        assert files_holding(data_dir, MARKER) == []
