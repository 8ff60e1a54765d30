"""The quiz step: answering, feedback in symbols and words, best score kept, resuming.

The sample quiz (mini, module "first", step "quiz", pass mark 50):
question 1, single choice: option 0 right ("Hvordan var det for dig?"), option 1 wrong;
question 2, multiple choice: options 0 and 1 right, option 2 ("At spejle") wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Markdown, RadioSet, Static

from peerskole.ui.app import PeerskoleApp
from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.steps.quiz import ChoiceCheckbox, ChoiceRadio, QuizView
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

MODULE, STEP = "first", "quiz"


# --- helpers -----------------------------------------------------------------------------------



def shown(screen: ModuleScreen, selector: str) -> str:
    """The text of a Static, or "" when it is hidden."""
    widget = screen.query_one(selector, Static)
    return text(widget) if widget.display else ""


def ticked(screen: ModuleScreen) -> set[str]:
    """The ids of the ticked checkboxes, wherever they are shown."""
    return {str(box.id) for box in screen.query(Checkbox) if box.value}


def feedback_of(screen: ModuleScreen, question: int) -> tuple[list[str], list[str]]:
    """What the feedback under a question says: its verdict lines and feedback Markdown."""
    block = screen.query_one(f"#feedback-{question}")
    lines = [text(s) for s in block.query(".question-verdict, .option-verdict")]
    return lines, [m.source for m in block.query(Markdown)]





async def choose(pilot: Pilot[None], screen: ModuleScreen, question: int, *options: int) -> None:
    """Choose options by clicking them by their id (index in the file), wherever shown."""
    for option in options:
        await click(pilot, f"#option-{question}-{option}")


async def submit(app: PeerskoleApp, pilot: Pilot[None]) -> None:
    await click(pilot, "#quiz-submit")
    await wait_for_workers(app, pilot)


def saved(app: PeerskoleApp, data_dir: Path) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The quiz's facts (None when no record) and state as the database holds them."""
    assert app.session is not None
    learner = app.session.learner.id
    store = stored(data_dir)
    try:
        records = {r.step_id: dict(r.facts) for r in store.step_records(learner, "mini")}
        return records.get(STEP), dict(store.step_state(learner, "mini", MODULE, STEP))
    finally:
        store.close()


# --- tests -------------------------------------------------------------------------------------


async def test_wrong_then_right_keeps_the_best_score(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, STEP)
    assert "Vælg alle rigtige svar" in text(screen.query_one("#question-1 .question-hint"))

    # First attempt: both questions wrong.
    await choose(pilot, screen, 0, 1)
    await choose(pilot, screen, 1, 0, 2)
    await submit(app, pilot)
    result = shown(screen, "#quiz-result")
    assert (
        "Du svarede rigtigt på 0 af 2 spørgsmål (0\u00a0%). Kravet for at bestå er 50\u00a0%."
        in result
    )
    assert "✗ Ikke bestået endnu" in result
    lines, feedback = feedback_of(screen, 0)
    assert lines == ["✗ Ikke rigtigt besvaret.", "✗ Forkert – du valgte: Var det svært?"]
    assert feedback == ["Det kan besvares med ja eller nej."]
    lines, feedback = feedback_of(screen, 1)
    assert lines[0].startswith("✗ Ikke helt rigtigt")
    # Each option's verdict with its feedback, in the order the options are shown.
    assert sorted(zip(lines[1:], feedback, strict=True)) == [
        ("○ Også rigtigt – men ikke valgt: At berolige for hurtigt", "Ja."),
        ("✓ Rigtigt – du valgte: At give råd", "Ja."),
        ("✗ Forkert – du valgte: At spejle", "Nej, spejling er lytning."),
    ]
    # The answers stay as they were assessed, and can no longer be changed.
    assert screen.query_one("#answer-0", RadioSet).disabled
    # Focus is on the pane, to read on with the arrow keys; Enter clears nothing.
    assert app.focused is screen.query_one("#step-pane")
    await flush_writes(app)
    assert saved(app, data_dir) == (
        {"score": 0.0, "attempts": 1},
        {"answers": {"0": [1], "1": [0, 2]}, "submitted": True},
    )

    # Try again: the answers are cleared, the record is not.
    await click(pilot, "#quiz-retry")
    await wait_for_workers(app, pilot)
    assert screen.query_one("#answer-0", RadioSet).pressed_index == -1
    assert not any(box.value for box in screen.query(Checkbox))
    assert not screen.query("#quiz-result")
    await flush_writes(app)
    assert saved(app, data_dir) == (
        {"score": 0.0, "attempts": 1},
        {"answers": {}, "submitted": False},
    )

    # Second attempt: all right.
    await choose(pilot, screen, 0, 0)
    await choose(pilot, screen, 1, 0, 1)
    await submit(app, pilot)
    result = shown(screen, "#quiz-result")
    assert "Du svarede rigtigt på 2 af 2 spørgsmål (100\u00a0%)" in result
    assert "✓ Bestået" in result
    assert feedback_of(screen, 0) == (
        ["✓ Rigtigt besvaret.", "✓ Rigtigt – du valgte: Hvordan var det for dig?"],
        ["Ja: det inviterer til at fortælle."],
    )
    await flush_writes(app)
    assert saved(app, data_dir)[0] == {"score": 100.0, "attempts": 2}

    # Third attempt, wrong again: the best score stays, and the step stays passed.
    await click(pilot, "#quiz-retry")
    await wait_for_workers(app, pilot)
    await choose(pilot, screen, 0, 1)
    await choose(pilot, screen, 1, 2)
    await submit(app, pilot)
    result = shown(screen, "#quiz-result")
    assert "0 af 2 spørgsmål (0\u00a0%)" in result
    assert "du har bestået før med 100\u00a0%" in result
    await flush_writes(app)
    assert saved(app, data_dir)[0] == {"score": 100.0, "attempts": 3}


async def test_multiple_choice_partly_right_counts_as_wrong(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, STEP)
    await choose(pilot, screen, 0, 0)
    await choose(pilot, screen, 1, 0)  # one of the two right options, no wrong one
    await submit(app, pilot)
    result = shown(screen, "#quiz-result")
    assert (
        "Du svarede rigtigt på 1 af 2 spørgsmål (50\u00a0%). Kravet for at bestå er 50\u00a0%."
        in result
    )
    assert "✓ Bestået" in result  # the pass mark is 50
    lines, _ = feedback_of(screen, 1)
    assert lines[0].startswith("✗ Ikke helt rigtigt")
    assert "○ Også rigtigt – men ikke valgt: At berolige for hurtigt" in lines
    await flush_writes(app)
    assert saved(app, data_dir) == (
        {"score": 50.0, "attempts": 1},
        {"answers": {"0": [0], "1": [0]}, "submitted": True},
    )


async def test_an_unanswered_question_is_named_and_nothing_is_recorded(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, STEP)
    await choose(pilot, screen, 0, 0)
    await submit(app, pilot)
    assert shown(screen, "#quiz-message") == (
        "⚠ Svar på alle spørgsmål, før du trykker på Svar. Mangler svar: spørgsmål 2."
    )
    assert shown(screen, "#missing-1") == "⚠ Dette spørgsmål mangler et svar."
    assert shown(screen, "#missing-0") == ""
    # Taken to the question, at its first box as shown.
    assert app.focused is screen.query_one("#answer-1").query(ChoiceCheckbox).first()
    assert not screen.query("#quiz-result")
    await flush_writes(app)
    assert saved(app, data_dir) == (None, {})
    # Answering it takes the warnings away.
    await pilot.press("space")
    await pilot.pause()
    assert shown(screen, "#quiz-message") == shown(screen, "#missing-1") == ""


async def test_answers_and_feedback_come_back_after_a_restart(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, MODULE, STEP)
        await choose(pilot, screen, 0, 1)
        await choose(pilot, screen, 1, 0, 1)
        await submit(app, pilot)
        await flush_writes(app)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("enter")  # the only profile; resumes at the quiz
        await wait_for_workers(app, pilot)
        resumed = app.screen
        assert isinstance(resumed, ModuleScreen) and resumed.current.id == STEP
        screen = resumed
        assert isinstance(screen.view, QuizView)
        assert screen.query_one("#option-0-1", ChoiceRadio).value
        assert ticked(screen) == {"option-1-0", "option-1-1"}
        assert "●" in text(screen.query_one("#option-0-1"))
        assert "X" in text(screen.query_one("#option-1-0"))  # chosen by a mark, not colour
        assert "1 af 2 spørgsmål (50\u00a0%)" in shown(screen, "#quiz-result")
        assert feedback_of(screen, 0)[0][1] == "✗ Forkert – du valgte: Var det svært?"
        assert feedback_of(screen, 1)[0][0] == "✓ Rigtigt besvaret."
        assert not screen.query("#quiz-submit")
        assert str(screen.query_one("#quiz-retry", Button).label) == "Prøv igen"


async def test_answers_not_yet_submitted_are_kept_on_leaving(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, STEP)
    await choose(pilot, screen, 1, 2)
    screen.action_next_step()
    await wait_for_workers(app, pilot)
    await flush_writes(app)
    assert saved(app, data_dir) == ({}, {"answers": {"1": [2]}, "submitted": False})
    screen.action_previous_step()
    await wait_for_workers(app, pilot)
    assert screen.query_one("#answer-0", RadioSet).pressed_index == -1
    assert ticked(screen) == {"option-1-2"}
    assert screen.query("#quiz-submit") and not screen.query("#quiz-result")


async def test_passing_marks_the_step_done_in_the_list(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, STEP)
    assert step_label(screen, STEP).startswith("▶ Quiz")
    await choose(pilot, screen, 0, 0)
    await choose(pilot, screen, 1, 0, 1)
    await submit(app, pilot)
    await pilot.press("ctrl+down")  # on to the next step
    await wait_for_workers(app, pilot)
    assert screen.current.id == "maja"
    label = step_label(screen, STEP)
    assert label.startswith("✓ Quiz") and "færdig" in label
    assert app.session is not None
    assert app.session.status().module(MODULE).done_steps == 1


async def test_english(data_dir: Path) -> None:
    app = make_app(data_dir, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, MODULE, STEP)
        assert str(screen.query_one("#quiz-submit", Button).label) == "Answer"
        await choose(pilot, screen, 0, 1)
        await choose(pilot, screen, 1, 0, 1)
        await submit(app, pilot)
        result = shown(screen, "#quiz-result")
        assert (
            "You answered 1 of 2 questions right (50\u00a0%). The pass mark is 50\u00a0%."
            in result
        )
        assert feedback_of(screen, 0)[0][1] == "✗ Wrong – you chose: Var det svært?"


async def test_a_multiple_choice_question_is_one_stop_for_tab(
    app_at_overview: tuple[PeerskoleApp, Any]
) -> None:
    """Tab and Shift+Tab pass a question's checkboxes in one step, as they pass a radio
    set; the arrows move between the boxes, and a click still ticks and focuses one."""
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, STEP)
    single = screen.query_one("#answer-0", RadioSet)
    boxes = list(screen.query_one("#answer-1").query_children(ChoiceCheckbox))  # as shown
    submit = screen.query_one("#quiz-submit", Button)

    def focused() -> Widget | None:  # read afresh at each look
        return app.focused

    assert len(boxes) == 3 and focused() is single
    await pilot.press("tab")
    assert focused() is boxes[0]  # into the question at its first box
    await pilot.press("tab")
    assert focused() is submit  # past the other two
    await pilot.press("shift+tab")
    assert focused() is boxes[0]
    await pilot.press("shift+tab")
    assert focused() is single
    # Coming back, Tab lands on the box the trainee was last at.
    await pilot.press("tab", "down", "down")
    assert focused() is boxes[2]
    await pilot.press("tab")
    assert focused() is submit
    await pilot.press("shift+tab")
    assert focused() is boxes[2]
    # A click on another box ticks it and takes the focus there: Space unticks it again.
    await click(pilot, boxes[1])
    assert focused() is boxes[1] and [box.value for box in boxes] == [False, True, False]
    await pilot.press("space")
    assert not boxes[1].value
    assert [w for w in screen.focus_chain if isinstance(w, ChoiceCheckbox)] == [boxes[1]]
    await pilot.press("tab")
    assert focused() is submit


async def test_answering_by_keyboard_alone_at_80_by_24(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, MODULE, STEP)

        async def tab_to(widget_id: str) -> None:
            for _ in range(20):
                await pilot.press("tab")
                if app.focused is not None and app.focused.id == widget_id:
                    return
            raise AssertionError(f"Tab never reached #{widget_id}")

        assert app.focused is screen.query_one("#answer-0")  # ready for the keyboard
        assert isinstance(screen.view, QuizView)
        # The cursor starts on the first option shown; move it down to the right one.
        await pilot.press(*["down"] * list(screen.view.data.order(0, 2)).index(0))
        await pilot.press("enter")
        await pilot.press("tab")  # the question's boxes are one stop, at the first shown
        order = list(screen.view.data.order(1, 3))
        assert app.focused is screen.query_one(f"#option-1-{order[0]}")
        for place, option in enumerate(order):  # tick the right ones, 0 and 1
            if option in (0, 1):
                await pilot.press("space")
            if place < len(order) - 1:
                await pilot.press("down")
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "quiz-submit"
        await pilot.pause()
        # The focused button was scrolled into view: a click lands on it without scrolling.
        await pilot.click("#quiz-submit")
        await wait_for_workers(app, pilot)
        assert "2 af 2 spørgsmål (100\u00a0%)" in shown(screen, "#quiz-result")
        assert in_view(screen, "#quiz-result")  # the result is what the trainee sees first
        await pilot.press("enter")  # out of habit: changes nothing
        await pilot.pause()
        assert screen.query("#quiz-result")
        await tab_to("quiz-retry")
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        assert app.focused is screen.query_one("#answer-0")  # ready for a new attempt
        await flush_writes(app)
        assert saved(app, data_dir) == (
            {"score": 100.0, "attempts": 1}, {"answers": {}, "submitted": False}
        )
