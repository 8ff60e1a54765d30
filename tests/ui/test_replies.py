"""The trainee's side of the dialogue: a reply under a shared reflection, the notice on the
overview, an answer back that reaches the instructor, and no answering once unshared."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import pytest
from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from peerskole import dialogue
from peerskole.instructors import (
    InstructorKey,
    add_instructor,
    remove_instructor,
    unlock_instructor,
)
from peerskole.ui.app import PeerskoleApp
from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.screens.overview import OverviewScreen
from peerskole.ui.widgets.reflection_dialogue import ReflectionDialogue
from tests.ui.conftest import (
    SIZE,
    click,
    flush_writes,
    make_app,
    open_step,
    start_as_new_learner,
    stored,
    text,
    until,
    wait_for_workers,
)
from tests.ui.test_passphrase import set_passphrase

MODULE, STEP = "first", "own-experience"
SENTENCE: Final = "Min ven lyttede til mig i går"
REPLY: Final = "Tak, Åse – [b]lavendelblå[/b] zebrafinker svarer din underviser"
"""With markup in it: it must be shown as written."""
ANSWER: Final = "Tak for svaret"
INSTRUCTOR_PASSPHRASE: Final = "underviserens lange passphrase"


def instructor(data_dir: Path) -> InstructorKey:
    store = stored(data_dir)
    made = add_instructor(store, "Ulla Underviser", INSTRUCTOR_PASSPHRASE)
    return unlock_instructor(store, made, INSTRUCTOR_PASSPHRASE)


def learner_id(app: PeerskoleApp) -> str:
    assert app.session is not None
    return app.session.learner.id


async def share_and_get_a_reply(
    app: PeerskoleApp, pilot: Pilot[None], data_dir: Path
) -> InstructorKey:
    """Write and share the reflection; the instructor replies; back to the overview."""
    screen = await open_step(app, pilot, MODULE, STEP)
    screen.query_one("#reflection-text", TextArea).focus()
    await pilot.press(*SENTENCE)
    await click(pilot, "#share")
    await flush_writes(app)
    key = instructor(data_dir)
    dialogue.reply(stored(data_dir), key, learner_id(app), "mini", MODULE, STEP, REPLY)
    await pilot.press("escape")
    await wait_for_workers(app, pilot)
    assert isinstance(app.screen, OverviewScreen)
    return key


def section(app: PeerskoleApp) -> ReflectionDialogue:
    return app.screen.query_one(ReflectionDialogue)


def section_text(app: PeerskoleApp) -> str:
    return "\n".join(text(s) for s in section(app).query(Static))


async def notice_opens_the_reply_and_answer_reaches_the_instructor(
    app: PeerskoleApp, pilot: Pilot[None], data_dir: Path, key: InstructorKey
) -> None:
    def notice_shown() -> bool:
        return bool(app.screen.query_one("#replies-row").display) and text(
            app.screen.query_one("#replies-notice", Static)) == (
                "Du har 1 nyt svar fra din underviser")

    await until(pilot, notice_shown, "the notice of one new reply")
    await click(pilot, "#open-reply")
    assert isinstance(app.screen, ModuleScreen) and app.screen.current.id == STEP
    await until(pilot, lambda: not section(app).has_class("-empty"), "the dialogue to show")
    shown = section_text(app)
    assert "Svar fra din underviser" in shown
    assert REPLY in shown  # markup not interpreted
    assert "Ulla Underviser · " in shown
    await until(pilot, lambda: dialogue.unread_replies(stored(data_dir), learner_id(app)) == [],
                "the reply read once it was on screen")

    section(app).query_one("#answer-text", TextArea).focus()
    await pilot.press(*ANSWER)
    await click(pilot, "#send-answer")
    await until(pilot, lambda: "Dit svar er sendt" in section_text(app), "the answer sent")
    assert section(app).query_one("#answer-text", TextArea).text == ""
    assert "Du · " in section_text(app)
    thread = dialogue.for_instructor(stored(data_dir), key, learner_id(app), "mini", MODULE,
                                     STEP)
    assert [m.text for m in thread.messages] == [REPLY, ANSWER]

    await pilot.press("escape")
    await wait_for_workers(app, pilot)
    await until(pilot, lambda: not app.screen.query_one("#replies-row").display,
                "the notice to go once the reply was read")


async def test_a_reply_is_noticed_read_and_answered(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        key = await share_and_get_a_reply(app, pilot, data_dir)
        await notice_opens_the_reply_and_answer_reaches_the_instructor(app, pilot, data_dir,
                                                                       key)


async def test_a_protected_profile_reads_and_answers_its_sealed_dialogue(
    data_dir: Path,
) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await set_passphrase(app, pilot)
        assert app.session is not None and app.session.key is not None
        key = await share_and_get_a_reply(app, pilot, data_dir)
        [message] = stored(data_dir).messages(learner_id(app), "mini", MODULE, STEP)
        assert "zebrafinker" not in message.learner_copy  # sealed to the trainee
        await notice_opens_the_reply_and_answer_reaches_the_instructor(app, pilot, data_dir,
                                                                       key)


async def test_unsharing_takes_answering_away(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await share_and_get_a_reply(app, pilot, data_dir)
        await open_step(app, pilot, MODULE, STEP)
        await until(pilot, lambda: not section(app).has_class("-empty"), "the dialogue")
        assert section(app).query_one("#answer-row").display
        assert not section(app).query_one("#answer-needs-share").display

        await click(pilot, "#share")  # untick
        assert not section(app).query_one("#answer-row").display
        needs = section(app).query_one("#answer-needs-share", Static)
        assert needs.display and "når refleksionen er delt" in text(needs)
        assert REPLY in section_text(app)  # the dialogue stays the trainee's


async def test_an_answer_that_cannot_be_sent_stays_in_the_field(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await share_and_get_a_reply(app, pilot, data_dir)
        store = stored(data_dir)
        for standing in store.instructors():
            remove_instructor(store, standing)  # nobody left to write to
        await open_step(app, pilot, MODULE, STEP)
        await until(pilot, lambda: not section(app).has_class("-empty"), "the dialogue")
        section(app).query_one("#answer-text", TextArea).focus()
        await pilot.press(*ANSWER)
        await click(pilot, "#send-answer")
        await until(pilot, lambda: "ingen undervisere" in section_text(app), "the trouble said")
        assert section(app).query_one("#answer-text", TextArea).text == ANSWER
        assert not section(app).query_one("#send-answer").disabled  # it can be tried again
        assert [m.author for m in store.messages(learner_id(app), "mini", MODULE, STEP)] == [
            "instructor"]



def still_unread(app: PeerskoleApp, data_dir: Path) -> bool:
    return len(dialogue.unread_replies(stored(data_dir), learner_id(app))) == 1


async def resumed_onto_a_reply(
    app: PeerskoleApp, pilot: Pilot[None], data_dir: Path, monkeypatch: pytest.MonkeyPatch,
    with_dialog: bool,
) -> tuple[ModuleScreen, ReflectionDialogue]:
    """Share the reflection, get a reply, leave on the step and come back to it (the app
    resumes onto it); with_dialog: the trainee opens the support dialog over the step
    before the dialogue has been read from the store."""
    import threading

    from peerskole.ui.dialogs.support import SupportDialog
    from tests.ui.test_switch_learner import wait_for_learner_screen

    await start_as_new_learner(app, pilot)
    screen = await open_step(app, pilot, MODULE, STEP)
    screen.query_one("#reflection-text", TextArea).focus()
    await pilot.press(*SENTENCE)
    await click(pilot, "#share")
    await flush_writes(app)
    dialogue.reply(stored(data_dir), instructor(data_dir), learner_id(app), "mini", MODULE,
                   STEP, REPLY)
    dialog_open = threading.Event()
    if with_dialog:
        # Reading the dialogue waits until the trainee has opened a dialog over the step.
        original = dialogue.for_learner

        def read_once_a_dialog_is_open(*args: Any, **kwargs: Any) -> Any:
            dialog_open.wait(10)
            return original(*args, **kwargs)

        monkeypatch.setattr(dialogue, "for_learner", read_once_a_dialog_is_open)
    await pilot.press("ctrl+l")
    await wait_for_learner_screen(app, pilot)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, ModuleScreen)
                and app.screen.current.id == STEP
                and bool(app.screen.query(ReflectionDialogue)), "resumed onto the reflection")
    step_screen = app.screen
    assert isinstance(step_screen, ModuleScreen)
    if with_dialog:
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, SupportDialog), "the support dialog")
        dialog_open.set()
    shown = step_screen.query_one(ReflectionDialogue)
    await until(pilot, lambda: [m.text for m in shown.messages] == [REPLY], "the reply loaded")
    await wait_for_workers(app, pilot)
    return step_screen, shown


async def test_a_reply_behind_a_dialog_is_read_once_the_dialog_is_closed(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(100, 60)) as pilot:  # tall: the reply is in sight
        step_screen, shown = await resumed_onto_a_reply(app, pilot, data_dir, monkeypatch,
                                                        with_dialog=True)
        assert still_unread(app, data_dir), "read as it was loaded, behind the dialog"
        shown._check_seen()  # as its timer does, now and then
        await wait_for_workers(app, pilot)
        assert still_unread(app, data_dir), "read while behind the dialog"
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is step_screen, "the step in front again")
        await until(pilot, lambda: not still_unread(app, data_dir),
                    "read once the step with the reply was in front")


async def test_a_reply_out_of_sight_is_read_once_scrolled_into_view(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        step_screen, shown = await resumed_onto_a_reply(app, pilot, data_dir, monkeypatch,
                                                        with_dialog=False)
        # At this size the reply is laid out below what the step's pane shows.
        pane = step_screen.query_one("#step-pane")
        reply_text = shown.query_one(".dialogue-text", Static)
        await until(pilot, lambda: reply_text.region.height > 0
                    and reply_text.region.y >= pane.region.bottom, "laid out below the pane")
        assert still_unread(app, data_dir), "read as it was loaded, out of sight"
        shown._check_seen()
        await wait_for_workers(app, pilot)
        assert still_unread(app, data_dir), "read while out of sight"
        # The trainee scrolls down to it: now it has been seen.
        pane.scroll_end(animate=False)
        await until(pilot, lambda: not still_unread(app, data_dir),
                    "read once scrolled into view")
