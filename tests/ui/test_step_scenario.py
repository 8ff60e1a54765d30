"""The scenario step: choosing, feedback in symbols and words, exploring, turns, resuming.

Two sample scenarios: "maja" in mini (one turn: response 0 best, 1 poor) and
"jonas" in sample-courses/scenarios (three turns; turn 1: best, poor, acceptable;
turn 2: poor, best, and a line that looks like markup; turn 3: best, acceptable).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, Markdown, Static

from peerskole.ui.app import PeerskoleApp
from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.steps.quiz import ChoiceRadio
from tests.conftest import TESTS_DIR
from tests.ui.conftest import (
    SIZE,
    click,
    flush_writes,
    in_view,
    make_app,
    open_step,
    start_as_new_learner,
    step_label,
    stored,
    text,
    wait_for_workers,
)

SCENARIOS = TESTS_DIR / "sample-courses" / "scenarios"


# --- helpers -----------------------------------------------------------------------------------



def texts(widget: Widget, selector: str) -> list[str]:
    return [text(w) for w in widget.query(selector) if w.display]





async def pick(pilot: Pilot[None], screen: ModuleScreen, response: int) -> None:
    """Select a response in the open turn's list by its index in the file, wherever shown."""
    await click(pilot, f"#responses #response-{response}")


async def choose(
    app: PeerskoleApp, pilot: Pilot[None], screen: ModuleScreen, response: int
) -> None:
    """Select a response and press "Vælg"."""
    await pick(pilot, screen, response)
    await click(pilot, "#scenario-choose")
    await wait_for_workers(app, pilot)


async def go_on(app: PeerskoleApp, pilot: Pilot[None]) -> None:
    await click(pilot, "#scenario-continue")
    await wait_for_workers(app, pilot)


def saved(
    app: PeerskoleApp, data_dir: Path, course: str, module: str, step: str
) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The step's facts (None when no record) and state as the database holds them."""
    assert app.session is not None
    learner = app.session.learner.id
    store = stored(data_dir)
    try:
        records = {r.step_id: dict(r.facts) for r in store.step_records(learner, course)}
        return records.get(step), dict(store.step_state(learner, course, module, step))
    finally:
        store.close()


# --- tests -------------------------------------------------------------------------------------


async def test_a_poor_choice_says_why_and_is_recorded(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, "first", "maja")
    assert screen.query_one(".scenario-situation", Markdown).source == "Du møder Maja på gangen."
    turn = screen.query_one("#turn-0")
    assert "Maja: »Jeg orker ikke i dag.«" in texts(turn, "DialogueLine")
    await choose(app, pilot, screen, 1)
    chosen = screen.query_one("#chosen")
    assert texts(chosen, "DialogueLine") == ["Du: »Du skal bare gå en tur.«"]  # no reply written
    assert texts(chosen, ".quality") == ["✗ Uhensigtsmæssigt svar"]
    assert texts(chosen, ".principle") == ["Princip: Råd (vejspærring)"]
    assert [m.source for m in chosen.query(Markdown)] == ["Et råd lukker samtalen."]
    assert "(dit valg)" in text(screen.query_one("#response-1", ChoiceRadio))
    assert not screen.query_one("#scenario-choose").display
    assert app.focused is screen.query_one("#scenario-continue", Button)
    await flush_writes(app)
    assert saved(app, data_dir, "mini", "first", "maja") == (
        {"turns_answered": 1, "ended": True}, {"choices": [1]}
    )

    await go_on(app, pilot)
    assert "Samtalen er slut" in text(screen.query_one("#scenario-end"))
    answered = screen.query_one("#turn-0")
    assert answered.has_class("answered-turn")  # the conversation so far stays on screen
    assert texts(answered, ".quality") == ["✗ Uhensigtsmæssigt svar"]
    await pilot.press("ctrl+down")
    await wait_for_workers(app, pilot)
    label = step_label(screen, "maja")
    assert label.startswith("✓ Maja på gangen") and "færdig" in label


async def test_choose_asks_for_a_response_first(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, "first", "maja")
    await click(pilot, "#scenario-choose")
    message = screen.query_one("#scenario-message", Static)
    assert message.display and text(message) == "⚠ Vælg først et svar i listen ovenfor."
    assert app.focused is screen.query_one("#responses")
    assert not screen.query_one("#chosen").children
    await flush_writes(app)
    assert saved(app, data_dir, "mini", "first", "maja") == (None, {})
    await pick(pilot, screen, 0)
    assert not message.display


async def test_exploring_another_response_keeps_the_choice(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, "first", "maja")
    await choose(app, pilot, screen, 1)
    explored = screen.query_one("#explored")
    assert not explored.display
    await pick(pilot, screen, 0)  # the best response, explored afterwards
    await wait_for_workers(app, pilot)
    assert explored.display
    assert texts(explored, ".explored-what") == [
        "Udforsket – ikke dit valg: »Det lyder som en tung dag.«"
    ]
    assert texts(explored, ".quality") == ["★ Bedste svar"]
    assert texts(explored, ".principle") == ["Princip: Enkel refleksion"]
    assert [m.source for m in explored.query(Markdown)] == ["Du spejler uden at vurdere."]
    assert texts(explored, "DialogueLine") == ["Maja: »Ja... det er det.«"]
    # The recorded choice and its feedback are unchanged.
    assert texts(screen.query_one("#chosen"), ".quality") == ["✗ Uhensigtsmæssigt svar"]
    await flush_writes(app)
    assert saved(app, data_dir, "mini", "first", "maja") == (
        {"turns_answered": 1, "ended": True}, {"choices": [1]}
    )
    # Back on the choice, there is nothing extra to show.
    await pick(pilot, screen, 1)
    await wait_for_workers(app, pilot)
    assert not explored.display
    # What was chosen, not what was explored last, is the conversation afterwards.
    await go_on(app, pilot)
    assert texts(screen.query_one("#turn-0"), ".quality") == ["✗ Uhensigtsmæssigt svar"]


async def test_each_turn_is_recorded_as_it_is_answered(data_dir: Path) -> None:
    app = make_app(data_dir, course=SCENARIOS)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, "talks", "jonas")
        assert text(screen.query_one("#turn-0 .turn-number")) == "Del 1 af 3"
        await choose(app, pilot, screen, 0)
        chosen = screen.query_one("#chosen")
        assert texts(chosen, ".quality") == ["★ Bedste svar"]
        assert texts(chosen, "DialogueLine")[-1] == (
            "Jonas: »Det er medicinen. Og at ingen spørger, hvordan jeg har det.«"
        )
        await flush_writes(app)
        assert saved(app, data_dir, "scenarios", "talks", "jonas") == (
            {"turns_answered": 1, "ended": False}, {"choices": [0]}
        )

        await go_on(app, pilot)
        assert app.focused is screen.query_one("#responses")  # ready for the next turn
        assert text(screen.query_one("#turn-1 .turn-number")) == "Del 2 af 3"
        # Course text is shown as written, never read as markup.
        assert "Jonas: »Den gør mig så flad. [bold]Ingen[/bold] forstår det.«" in texts(
            screen.query_one("#turn-1"), "DialogueLine"
        )
        assert screen.query_one("#turn-0").has_class("answered-turn")
        await choose(app, pilot, screen, 0)
        assert texts(screen.query_one("#chosen"), ".quality") == ["✗ Uhensigtsmæssigt svar"]
        await flush_writes(app)
        assert saved(app, data_dir, "scenarios", "talks", "jonas") == (
            {"turns_answered": 2, "ended": False}, {"choices": [0, 0]}
        )
        assert app.session is not None
        module = app.session.course.module("talks")
        assert not app.session.done(module, module.step("jonas"))

        await go_on(app, pilot)
        await choose(app, pilot, screen, 1)
        assert texts(screen.query_one("#chosen"), ".quality") == ["◐ Acceptabelt svar"]
        await flush_writes(app)
        assert saved(app, data_dir, "scenarios", "talks", "jonas") == (
            {"turns_answered": 3, "ended": True}, {"choices": [0, 0, 1]}
        )
        assert app.session.done(module, module.step("jonas"))
        await go_on(app, pilot)
        assert len(screen.query(".answered-turn")) == 3
        assert "Samtalen er slut" in text(screen.query_one("#scenario-end"))
        assert in_view(screen, "#scenario-end")  # not sent back to the top of the step
        assert app.focused is screen.query_one("#step-pane")


async def test_the_conversation_comes_back_after_a_restart(data_dir: Path) -> None:
    app = make_app(data_dir, course=SCENARIOS)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, "talks", "jonas")
        await choose(app, pilot, screen, 2)  # and leave without "Videre"
        await flush_writes(app)
    app = make_app(data_dir, course=SCENARIOS)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("enter")  # the only profile; resumes at the scenario
        await wait_for_workers(app, pilot)
        resumed = app.screen
        assert isinstance(resumed, ModuleScreen) and resumed.current.id == "jonas"
        screen = resumed
        first = screen.query_one("#turn-0")
        assert first.has_class("answered-turn")
        assert "Du: »Hvad mener du med det?«" in texts(first, "DialogueLine")
        assert texts(first, ".quality") == ["◐ Acceptabelt svar"]
        assert texts(first, ".principle") == ["Princip: Åbent spørgsmål"]
        assert screen.query_one("#turn-1").has_class("open-turn")
        await choose(app, pilot, screen, 1)
        await flush_writes(app)
        assert saved(app, data_dir, "scenarios", "talks", "jonas") == (
            {"turns_answered": 2, "ended": False}, {"choices": [2, 1]}
        )


async def test_choosing_by_keyboard_alone_at_80_by_24(data_dir: Path) -> None:
    app = make_app(data_dir, course=SCENARIOS)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, "talks", "jonas")

        async def tab_to(widget_id: str) -> None:
            for _ in range(8):
                await pilot.press("tab")
                if app.focused is not None and app.focused.id == widget_id:
                    return
            raise AssertionError(f"Tab never reached #{widget_id}")

        # The situation is read first: the responses do not fit under it at 80×24, so the
        # pane has the keys; Tab goes on down to the responses (past the folded goals).
        assert app.focused is screen.query_one("#step-pane")
        await tab_to("responses")
        # The third response shown; which one it is depends on this learner's order.
        chosen = list(screen.query("#responses ChoiceRadio").results(ChoiceRadio))[2].option
        await pilot.press("down", "down", "enter")
        await tab_to("scenario-choose")
        await pilot.pause()
        await pilot.click("#scenario-choose")  # in view once focused: no scrolling needed
        await wait_for_workers(app, pilot)
        quality = ["★ Bedste svar", "✗ Uhensigtsmæssigt svar", "◐ Acceptabelt svar"][chosen]
        assert texts(screen.query_one("#chosen"), ".quality") == [quality]
        go_on = screen.query_one("#scenario-continue")
        assert app.focused is go_on
        # What came of the choice reads from its top, unless it is too long to show
        # with "Videre" under it; "Videre" is in view either way. (Which response is
        # third, and so how long its feedback is, depends on this learner's order.)
        chosen_top = screen.query_one("#chosen").region.y
        pane_rows = screen.query_one("#step-pane").scrollable_content_region.height
        if go_on.region.bottom - chosen_top <= pane_rows:
            assert in_view(screen, "#chosen")
        assert in_view(screen, "#scenario-continue")
        await pilot.press("enter")  # "Videre", focused
        await wait_for_workers(app, pilot)
        assert app.focused is screen.query_one("#responses")
        assert screen.query_one("#turn-1").has_class("open-turn")
        await flush_writes(app)
        assert saved(app, data_dir, "scenarios", "talks", "jonas") == (
            {"turns_answered": 1, "ended": False}, {"choices": [chosen]}
        )


async def test_what_is_said_is_quoted_as_each_language_quotes(data_dir: Path) -> None:
    """Danish »…« (the Danish form, as everywhere in the Danish strings), English “…”."""
    app = make_app(data_dir, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, "first", "maja")
        assert "Maja: “Jeg orker ikke i dag.”" in texts(screen.query_one("#turn-0"), "DialogueLine")
        await choose(app, pilot, screen, 1)
        assert texts(screen.query_one("#chosen"), "DialogueLine") == [
            "You: “Du skal bare gå en tur.”"
        ]
        await pick(pilot, screen, 0)
        explored = screen.query_one("#explored")
        assert texts(explored, ".explored-what") == [
            "Explored – not your choice: “Det lyder som en tung dag.”"
        ]
        assert texts(explored, "DialogueLine") == ["Maja: “Ja... det er det.”"]
