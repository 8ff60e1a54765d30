"""What a trainee was writing comes back as she left it, and typing continues it.

A restored reflection puts the cursor after its text; the practice-log entry being
written is kept like a reflection's draft (on disk within a second, sealed with the
profile's key, back on return and after a restart) until it is saved to the log.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from peerskole import privacy
from peerskole.i18n import parse_date
from peerskole.privacy import TextPlace
from peerskole.ui.app import PeerskoleApp
from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.screens.overview import OverviewScreen
from tests.ui.conftest import (
    SIZE,
    flush_writes,
    make_app,
    open_step,
    start_as_new_learner,
    stored,
    wait_for_workers,
)
from tests.ui.test_passphrase import files_holding, set_passphrase

MODULE, REFLECTION, PRACTICE = "first", "own-experience", "practice-talk"


async def resume(app: PeerskoleApp, pilot: Pilot[None]) -> ModuleScreen:
    """On the first screen, choose the only profile: it opens where it was left."""
    await wait_for_workers(app, pilot)
    await pilot.press("enter")
    await wait_for_workers(app, pilot)
    assert isinstance(app.screen, ModuleScreen)
    return app.screen


def stored_draft(data_dir: Path) -> dict[str, str] | None:
    store = stored(data_dir)
    try:
        (learner,) = store.learners()
        return store.practice_draft(learner.id, "mini", MODULE, PRACTICE)
    finally:
        store.close()


def stored_reflection_text(data_dir: Path) -> str | None:
    store = stored(data_dir)
    try:
        (learner,) = store.learners()
        saved = store.reflection(learner.id, "mini", MODULE, REFLECTION)
        return saved.text if saved else None
    finally:
        store.close()


async def wait_until_stored(pilot: Pilot[None], found: Callable[[], bool], what: str) -> None:
    """Let the app run until the store holds what is expected (a second at most)."""
    deadline = time.monotonic() + 1.0
    while not found():
        assert time.monotonic() < deadline, f"not on disk within a second: {what}"
        await pilot.pause(0.05)


# --- item 1: the cursor after a restored text ----------------------------------------------------


def cursor_in_view(editor: TextArea) -> bool:
    """Whether the editor's scroll shows the (wrapped) line the cursor is on."""
    row = editor.wrapped_document.location_to_offset(editor.cursor_location).y
    return editor.scroll_y <= row < editor.scroll_y + editor.scrollable_content_region.height


async def test_a_reflection_is_continued_after_coming_back_and_after_a_restart(
    data_dir: Path,
) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, MODULE, REFLECTION)
        await pilot.press(*"Da jeg var indlagt")
        await pilot.press("ctrl+down")  # away, and back
        await wait_for_workers(app, pilot)
        await pilot.press("ctrl+up")
        await wait_for_workers(app, pilot)
        editor = screen.query_one("#reflection-text", TextArea)
        assert app.focused is editor
        assert editor.cursor_location == editor.document.end
        await pilot.press(*", lyttede min søster")
        assert editor.text == "Da jeg var indlagt, lyttede min søster"
        await pilot.press("ctrl+q")
    assert stored_reflection_text(data_dir) == "Da jeg var indlagt, lyttede min søster"

    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await resume(app, pilot)
        editor = screen.query_one("#reflection-text", TextArea)
        assert app.focused is editor
        assert editor.cursor_location == editor.document.end
        await pilot.press(*" uden at afbryde.")
        assert editor.text == "Da jeg var indlagt, lyttede min søster uden at afbryde."
        await pilot.press("ctrl+q")
    assert stored_reflection_text(data_dir) == (
        "Da jeg var indlagt, lyttede min søster uden at afbryde."
    )


async def test_a_long_restored_reflection_is_continued_at_its_end(data_dir: Path) -> None:
    """Several lines, more than the editor shows and wider than it: the cursor goes to the
    last line's end, and that line is in view (the editor is fitted to the pane after it
    is drawn: scrolled for its first height, the end would be below its last row)."""
    text = "Første linje.\n" + "ord " * 60 + "\n" + "en linje mere\n" * 12 + "Sidste linje"
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        assert app.session is not None
        module = app.session.course.module(MODULE)
        app.session.save_reflection(module, module.step(REFLECTION), text, False)
        screen = await open_step(app, pilot, MODULE, REFLECTION)
        editor = screen.query_one("#reflection-text", TextArea)
        await pilot.pause()
        # Before a key is pressed (a key scrolls the editor to the cursor by itself).
        assert cursor_in_view(editor)
        assert "Sidste linje" in "".join(
            strip.text for strip in editor.render_lines(Region(0, 0, *editor.outer_size)))
        # Narrower (as when the pane's scroll bar comes): the text wraps into more lines,
        # and the line being written stays in view.
        editor.styles.width = editor.outer_size.width - 12
        await pilot.pause()
        await pilot.pause()
        assert cursor_in_view(editor)
        await pilot.press("!")
        assert editor.text == text + "!"


# --- item 3: the practice-log entry being written ------------------------------------------------


async def fill_half(app: PeerskoleApp, pilot: Pilot[None], screen: ModuleScreen) -> None:
    """Minutes and the first text: not yet saved, one required field still empty."""
    screen.query_one("#field-duration", Input).focus()
    await pilot.press(*"12")
    screen.query_one("#field-what-happened", TextArea).focus()
    await pilot.pause()
    await pilot.press(*"Vi talte om søvn")


def form(screen: ModuleScreen) -> tuple[str, str, str, str]:
    return (screen.query_one("#field-date", Input).value,
            screen.query_one("#field-duration", Input).value,
            screen.query_one("#field-what-happened", TextArea).text,
            screen.query_one("#field-what-i-noticed", TextArea).text)


async def test_a_half_filled_entry_is_on_disk_within_a_second_and_comes_back(
    data_dir: Path,
) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, MODULE, PRACTICE)
        date = form(screen)[0]
        await fill_half(app, pilot, screen)
        # Without leaving the field or the step: by the autosave alone.
        await wait_until_stored(pilot, lambda: (stored_draft(data_dir) or {}).get(
            "what-happened") == "Vi talte om søvn", "the draft")
        assert stored_draft(data_dir) == {"date": date, "duration": "12",
                                          "what-happened": "Vi talte om søvn",
                                          "what-i-noticed": ""}
        await pilot.press("escape")  # to the overview: the entry is kept, not emptied
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, OverviewScreen)
        screen = await open_step(app, pilot, MODULE, PRACTICE)
        assert form(screen) == (date, "12", "Vi talte om søvn", "")
        area = screen.query_one("#field-what-happened", TextArea)
        area.focus()
        await pilot.pause()
        assert area.cursor_location == area.document.end
        await pilot.press(*" og mareridt")  # typed last, then Ctrl+Q at once
        await pilot.press("ctrl+q")
    assert (stored_draft(data_dir) or {}).get("what-happened") == "Vi talte om søvn og mareridt"

    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await resume(app, pilot)
        assert screen.current.id == PRACTICE
        assert form(screen) == (date, "12", "Vi talte om søvn og mareridt", "")
        minutes = screen.query_one("#field-duration", Input)
        minutes.focus()
        await pilot.pause()
        await pilot.press("5")  # the trainee's own number is continued, not replaced
        assert minutes.value == "125"
        screen.query_one("#field-what-i-noticed", TextArea).focus()
        await pilot.pause()
        await pilot.press(*"Jeg ville give råd")
        screen.query_one("#log-save").focus()
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        await flush_writes(app)
        # Saved to the log: the draft is gone, the form is blank for the next entry.
        assert stored_draft(data_dir) is None
        assert form(screen) == (date, "", "", "")
        assert app.session is not None
        (entry,) = stored(data_dir).practice_entries(app.session.learner.id, "mini", MODULE,
                                                     PRACTICE)
        # The log keeps the date as a date (ISO); the form shows it in the UI's words.
        day = parse_date(date)
        assert day is not None
        assert dict(entry.values) == {"date": day.isoformat(), "duration": "125",
                                      "what-happened": "Vi talte om søvn og mareridt",
                                      "what-i-noticed": "Jeg ville give råd"}
        await pilot.press("escape")
        await wait_for_workers(app, pilot)
        screen = await open_step(app, pilot, MODULE, PRACTICE)
        assert form(screen) == (date, "", "", "")
    assert stored_draft(data_dir) is None


async def test_a_draft_typed_after_saving_an_entry_is_kept(data_dir: Path) -> None:
    """The next entry's draft queues behind the saved entry, which deletes the old draft."""
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, MODULE, PRACTICE)
        # A slow store: every write waits in the queue until the gate opens, so the
        # first entry's draft write is still pending when the next draft is typed.
        gate = threading.Event()
        assert app.writes is not None
        app.writes.submit(lambda store: gate.wait(10))
        await fill_half(app, pilot, screen)
        screen.query_one("#field-what-i-noticed", TextArea).focus()
        await pilot.press(*"Jeg lyttede")
        screen.query_one("#log-save").focus()  # leaving the field sends the draft
        await pilot.press("enter")
        await pilot.pause()
        screen.query_one("#field-what-happened", TextArea).focus()
        await pilot.press(*"Anden samtale")
        await pilot.press("escape")
        await wait_for_workers(app, pilot)
        gate.set()
        await flush_writes(app)
        assert app.session is not None
        entries = stored(data_dir).practice_entries(app.session.learner.id, "mini", MODULE,
                                                    PRACTICE)
        assert [e.values["what-happened"] for e in entries] == ["Vi talte om søvn"]
    assert (stored_draft(data_dir) or {}).get("what-happened") == "Anden samtale"


async def test_erasing_every_field_by_hand_deletes_the_draft(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, MODULE, PRACTICE)
        screen.query_one("#field-duration", Input).focus()
        await pilot.press(*"12")
        await wait_until_stored(pilot, lambda: stored_draft(data_dir) is not None, "the draft")
        await pilot.press("backspace", "backspace")
        await wait_until_stored(pilot, lambda: stored_draft(data_dir) is None, "no draft")


async def test_a_draft_is_sealed_with_the_profiles_key(data_dir: Path) -> None:
    marker = "Zebrafinken hviskede lavendelblåt om indlæggelsen i marts"
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await set_passphrase(app, pilot)
        assert app.session is not None and app.session.key is not None
        key, learner = app.session.key, app.session.learner.id
        screen = await open_step(app, pilot, MODULE, PRACTICE)
        screen.query_one("#field-what-happened", TextArea).focus()
        await pilot.pause()
        await pilot.press(*marker)
        await pilot.press("ctrl+q")
    raw = stored_draft(data_dir)
    assert raw is not None and privacy.is_token(raw["what-happened"])
    place = TextPlace(learner, "mini", MODULE, PRACTICE, "practice", "what-happened")
    assert privacy.reveal(key, raw["what-happened"], place) == marker
    assert files_holding(data_dir, marker) == []
