"""The step keys, Ctrl+↓ and Ctrl+↑: they work on every step, inside text too, and never type.

And the arrow keys move within a list of options and never change step.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, RadioSet, TextArea

from peerskole.ui.app import PeerskoleApp
from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.steps.quiz import ChoiceCheckbox
from peerskole.ui.textual_compat import radio_selected
from tests.ui.conftest import (
    flush_writes,
    make_app,
    open_step,
    start_as_new_learner,
    stored,
    wait_for_workers,
)

MODULE = "first"
STEPS = ("before-after", "intro", "quiz", "maja", "own-experience", "practice-talk")
"""The sample module's steps, in order."""


def footer_keys(screen: ModuleScreen) -> dict[str, str]:
    """The keys the footer shows where the focus is now, with the action of each.

    The footer draws the screen's active bindings that are shown; Textual leaves out of
    those the keys the focused widget takes as typing.
    """
    return {key: active.binding.action for key, active in screen.active_bindings.items()
            if active.binding.show}


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text)
    await pilot.pause()


# --- Ctrl+↓ and Ctrl+↑ ---------------------------------------------------------------------------


async def test_ctrl_down_in_the_reflection_moves_on_and_types_nothing(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, "own-experience")
    editor = screen.query_one("#reflection-text", TextArea)
    assert app.focused is editor
    await type_text(pilot, "Min ven lyttede")
    await pilot.press("ctrl+down")
    await wait_for_workers(app, pilot)
    assert screen.current.id == "practice-talk"
    assert app.focused is screen.query_one("#field-date")
    await pilot.press("ctrl+up")  # from inside the date field, back again
    await wait_for_workers(app, pilot)
    assert screen.current.id == "own-experience"
    editor = screen.query_one("#reflection-text", TextArea)
    assert editor.text == "Min ven lyttede"
    await flush_writes(app)
    assert app.session is not None
    saved = stored(data_dir).reflection(app.session.learner.id, "mini", MODULE, "own-experience")
    assert saved is not None and saved.text == "Min ven lyttede"


@pytest.mark.parametrize(("forward", "back"), [("ctrl+down", "ctrl+up"),
                                               ("ctrl+pagedown", "ctrl+pageup")])
async def test_the_step_keys_walk_every_step_from_its_main_control(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], forward: str, back: str
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, STEPS[0])
    for step_id in STEPS[1:]:
        await pilot.press(forward)  # the focus is on the step's main control each time
        await wait_for_workers(app, pilot)
        assert screen.current.id == step_id
    for step_id in reversed(STEPS[:-1]):
        await pilot.press(back)
        await wait_for_workers(app, pilot)
        assert screen.current.id == step_id


async def test_ctrl_down_in_a_log_text_field_types_nothing(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]]
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, "practice-talk")
    field = screen.query_one("#field-what-happened", TextArea)
    field.focus()
    await type_text(pilot, "Vi talte")
    await pilot.press("ctrl+down")  # the last step: on to the overview
    await wait_for_workers(app, pilot)
    assert not isinstance(app.screen, ModuleScreen)
    assert app.session is not None
    assert app.session.practice_drafts[(MODULE, "practice-talk")]["what-happened"] == "Vi talte"


async def test_n_and_p_are_letters_on_every_step(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]]
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, "intro")
    for focus in ("#step-pane", "#steps", "#nav #next", "#nav #previous"):
        screen.query_one(focus).focus()
        await pilot.press("n", "p", "n")
        await wait_for_workers(app, pilot)
        assert screen.current.id == "intro", focus


async def test_the_footer_shows_the_step_keys_wherever_the_focus_is(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]]
) -> None:
    app, pilot = app_at_overview
    for step_id, focus in (("own-experience", "#reflection-text"),
                           ("practice-talk", "#field-what-happened"),
                           ("practice-talk", "#field-duration"), ("quiz", "#answer-0"),
                           ("intro", "#step-pane")):
        screen = await open_step(app, pilot, MODULE, step_id)
        screen.query_one(focus).focus()
        await pilot.pause()
        keys = footer_keys(screen)
        assert keys.get("ctrl+down") == "next_step", (step_id, focus)
        assert keys.get("ctrl+up") == "previous_step", (step_id, focus)
        # No letter and no plain arrow is a step key, nor a hidden alias in the footer.
        assert not {"n", "p", "right", "left", "ctrl+pagedown", "ctrl+pageup"} & set(keys)
        await pilot.press("escape")
        await wait_for_workers(app, pilot)


# --- arrow keys stay inside a list ---------------------------------------------------------------


def checkboxes(screen: ModuleScreen) -> list[ChoiceCheckbox]:
    """The multiple-choice question's boxes, in the order shown."""
    group = screen.query_one("#answer-1")
    return list(group.query_children(ChoiceCheckbox))


async def test_down_and_up_move_between_a_questions_checkboxes(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]]
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, "quiz")
    boxes = checkboxes(screen)
    assert len(boxes) == 3
    boxes[0].focus()
    await pilot.pause()
    for expected in (1, 2, 0):  # round the end, as a radio set's arrows go
        await pilot.press("down")
        assert app.focused is boxes[expected]
    await pilot.press("up")
    assert app.focused is boxes[2]
    await pilot.press("space")
    assert [box.value for box in boxes] == [False, False, True]
    await pilot.press("right", "right", "left")
    await wait_for_workers(app, pilot)
    assert app.focused is boxes[0]
    assert screen.current.id == "quiz"  # the quiz was not left unanswered


@pytest.mark.parametrize(("step_id", "focus"), [
    ("quiz", "#answer-0"), ("maja", "#responses"), ("before-after", "#rating-0"),
])
async def test_arrows_stay_inside_radio_sets_and_never_change_step(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], step_id: str, focus: str
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, step_id)
    options = screen.query_one(focus, RadioSet)
    assert app.focused is options
    await pilot.press("down")
    assert radio_selected(options) == 1
    for key in ("right", "left", "up", "left", "right", "right"):
        await pilot.press(key)
        await wait_for_workers(app, pilot)
        assert screen.current.id == step_id, key
        assert app.focused is options, key


async def test_left_and_right_in_a_log_field_move_the_cursor_not_the_step(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]]
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, "practice-talk")
    field: Widget = screen.query_one("#field-duration", Input)
    field.focus()
    await type_text(pilot, "15")
    await pilot.press("left", "left", "1", "right", "right", "right")
    await wait_for_workers(app, pilot)
    assert screen.current.id == "practice-talk"
    assert screen.query_one("#field-duration", Input).value == "115"


async def test_at_80_columns_the_footer_keeps_support_and_no_dead_previous_key(
    data_dir: Path,
) -> None:
    """The footer showed "f2 Støt" cut at 80 columns, and "^↑ Forrige" on the first
    step, where it does nothing."""
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, MODULE, "before-after")  # the first step
        await pilot.pause()
        keys = footer_keys(screen)
        assert "ctrl+up" not in keys and keys.get("ctrl+down") == "next_step"
        await pilot.press("ctrl+down")
        await wait_for_workers(app, pilot)
        await pilot.pause()
        assert footer_keys(screen).get("ctrl+up") == "previous_step"
        # The whole support key is drawn (the screen's text, as a terminal shows it).
        assert "Støtte" in app.export_screenshot()


# --- a step left while its view is still busy ---------------------------------------------------


async def test_focus_given_to_a_step_being_left_never_takes_the_step_keys(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Textual gives a widget the focus it asks for later, from the app's queue: on a
    busy machine a quiz answer was given it while its view was being removed, and from
    then on the step keys went nowhere (a removed widget has no screen above it)."""
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, "quiz")
    answer = screen.query_one(RadioSet)
    host = screen.query_one("#step-host")
    remove_children = host.remove_children

    def remove_while_focus_lands() -> Any:
        removing = remove_children()  # the view's parts are being taken away...
        screen.set_focus(answer)  # ...when the answer's request for focus is served
        return removing

    monkeypatch.setattr(host, "remove_children", remove_while_focus_lands)
    # The next view does not take the focus itself (as when it is left in turn before
    # it is laid out): what the screen does with the stray focus is all there is.
    monkeypatch.setattr(screen, "_focus_on_arrival", lambda view: None)
    await pilot.press("ctrl+down")
    await wait_for_workers(app, pilot)
    assert screen.current.id == "maja" and not answer.is_attached
    monkeypatch.undo()
    assert app.focused is not answer
    await pilot.press("ctrl+down")
    await wait_for_workers(app, pilot)
    assert screen.current.id == "own-experience"


async def test_text_typed_while_the_next_step_loads_is_kept(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The step key is answered at once and the next step is read from the store in
    the background; meanwhile the reflection is still on screen and takes what is typed.
    Those words are saved with the rest when its view goes."""
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, "own-experience")
    await type_text(pilot, "Min ven")
    assert app.session is not None
    session = app.session
    reading = threading.Event()
    step_data = session.step_data

    def slow_step_data(*args: Any, **kwargs: Any) -> Any:
        reading.wait(timeout=10)  # a slow store: the next step waits until told
        return step_data(*args, **kwargs)

    monkeypatch.setattr(session, "step_data", slow_step_data)
    await pilot.press("ctrl+down")
    assert screen.current.id == "practice-talk"  # answered at once; its view is on its way
    await pilot.press(*" lyttede")  # typed at once, before a pause could send it
    reading.set()
    await wait_for_workers(app, pilot)
    assert screen.view is not None and screen.view.data.step.id == "practice-talk"
    await flush_writes(app)
    saved = stored(data_dir).reflection(session.learner.id, "mini", MODULE, "own-experience")
    assert saved is not None and saved.text == "Min ven lyttede"
