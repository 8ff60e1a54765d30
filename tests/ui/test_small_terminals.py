"""At 80×24 and 60×20 the bundled course works: what the trainee works with stays in view.

A widget "in view" lies wholly inside the visible part of the pane it scrolls in (the
step pane, or the support dialog), and that pane inside the screen.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.containers import ScrollableContainer
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Footer, RadioButton, RadioSet, Static, TextArea

from peerskole.course.model import Quiz, Step
from peerskole.locations import bundled_courses_dir
from peerskole.ui.app import PeerskoleApp
from peerskole.ui.dialogs.support import SupportDialog
from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.steps.quiz import ChoiceCheckbox, ChoiceRadio, ChoiceSet
from peerskole.ui.steps.scenario import DialogueLine
from peerskole.ui.steps.self_assessment import RatingScale
from peerskole.ui.textual_compat import FooterKey
from tests.ui.conftest import click, start_as_new_learner, wait_for_workers

BUNDLED = bundled_courses_dir() / "peer-grundforloeb"
SMALL_SIZES = [(80, 24), (60, 20)]


def visible_region(widget: Widget) -> Widget:
    """The nearest container the widget scrolls in (or the screen)."""
    for ancestor in widget.ancestors:
        if isinstance(ancestor, ScrollableContainer):
            return ancestor
    return widget.screen


def in_view(widget: Widget) -> bool:
    """Whether the whole widget is on screen, inside the visible part of its pane."""
    pane = visible_region(widget)
    window = pane.scrollable_content_region if pane is not widget.screen else pane.region
    region = widget.region
    return (
        widget.display
        and region.height > 0
        and window.contains_region(region)
        and widget.screen.region.contains_region(region)
    )


def focus_in_view(app: PeerskoleApp) -> bool:
    """Whether the focused control is in view; for a list of choices, its highlighted one."""
    focused = app.focused
    if isinstance(focused, RadioSet):
        # The chosen response, or the first: where the keyboard starts in the list.
        return in_view(focused.pressed_button or focused.query(RadioButton).first())
    return focused is not None and in_view(focused)


async def open_module_at(
    app: PeerskoleApp, pilot: Pilot[None], kind: str, module: int = 0
) -> ModuleScreen:
    """As a new trainee, open a module of the bundled course at its first step of a kind."""
    await start_as_new_learner(app, pilot)
    await pilot.press("enter")  # the first module, from its card
    await wait_for_workers(app, pilot)
    assert isinstance(app.screen, ModuleScreen)
    screen = app.screen
    if module:
        assert app.session is not None
        screen = ModuleScreen(app.session, app.session.course.modules[module])
        await app.push_screen(screen)
        await wait_for_workers(app, pilot)
    step: Step = next(s for s in screen.module.steps if s.kind == kind)
    screen.show_step(step)
    await wait_for_workers(app, pilot)
    assert screen.view is not None and screen.view.data.step is step
    return screen


# --- a reflection: the question, the text and its word count ------------------------------------


@pytest.mark.parametrize("size", SMALL_SIZES)
async def test_a_long_reflection_keeps_the_question_and_word_count_in_view(
    data_dir: Path, size: tuple[int, int]
) -> None:
    app = PeerskoleApp(BUNDLED, data_dir=data_dir)
    async with app.run_test(size=size) as pilot:
        screen = await open_module_at(app, pilot, "reflection")
        editor = screen.query_one("#reflection-text", TextArea)
        prompt = screen.query_one(".reflection-prompt")
        count = screen.query_one("#word-count", Static)

        def writing_in_view() -> bool:
            return app.focused is editor and all(in_view(w) for w in (prompt, editor, count))

        assert writing_in_view()
        # Far more lines than the editor has rows: it scrolls inside, the pane stays.
        for line in range(14):
            await pilot.press(*f"{line} ja nej", "enter")  # 42 words in all
        await pilot.pause()
        assert editor.text.count("\n") == 14
        assert "✓" in str(count.render())  # the count changed message while typing
        assert writing_in_view()
        # A resize keeps all three in view too.
        await pilot.resize_terminal(120, 50)
        await wait_for_workers(app, pilot)
        await pilot.resize_terminal(*size)
        await wait_for_workers(app, pilot)
        assert writing_in_view()


# --- a scenario: the situation first, then "Videre" in view --------------------------------------


@pytest.mark.parametrize("size", SMALL_SIZES)
async def test_a_scenario_opens_on_its_situation_and_videre_is_in_view_after_a_choice(
    data_dir: Path, size: tuple[int, int]
) -> None:
    app = PeerskoleApp(BUNDLED, data_dir=data_dir)
    async with app.run_test(size=size) as pilot:
        screen = await open_module_at(app, pilot, "scenario")
        situation = screen.query_one(".scenario-situation")
        assert in_view(situation)  # the pane opens at its top: the situation is read first
        assert focus_in_view(app)
        # Tab walks down to the responses, each control in view as it gets there.
        responses = screen.query_one("#responses", RadioSet)
        for _ in range(3):
            if app.focused is responses:
                break
            await pilot.press("tab")
            await pilot.pause()
            assert focus_in_view(app)
        assert app.focused is responses
        await pilot.press("down", "enter")
        await pilot.pause()
        await click(pilot, "#scenario-choose")
        go_on = screen.query_one("#scenario-continue")
        assert app.focused is go_on
        assert in_view(go_on)
        # "Videre" opens the next turn with its responses in view and focused.
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        nxt = screen.query_one("#responses", RadioSet)
        assert nxt is not responses
        assert app.focused is nxt and focus_in_view(app)


# --- a question above its options, a turn's line above its responses --------------------------


def in_step_pane(screen: ModuleScreen, widget: Widget) -> bool:
    """Whether the whole widget is drawn inside the visible part of the step pane."""
    window = screen.query_one("#step-pane").scrollable_content_region
    return widget.display and widget.region.height > 0 and window.contains_region(widget.region)


def focused_option(app: PeerskoleApp) -> Widget:
    """The option the keyboard is on: a radio set's under its cursor, or the focused box."""
    focused = app.focused
    if isinstance(focused, ChoiceSet):
        assert focused.highlighted is not None
        return focused.highlighted
    assert isinstance(focused, ChoiceCheckbox)
    return focused


def question_of(option: Widget) -> Widget:
    """What an option answers: its quiz question's text, or the line its turn answers."""
    for ancestor in option.ancestors:
        if ancestor.has_class("quiz-question"):
            return ancestor.query_one(".question-text")
        if ancestor.has_class("open-turn"):
            return ancestor.query_one(DialogueLine)
    raise AssertionError(f"{option} answers nothing")


def shown_with_its_question(screen: ModuleScreen, option: Widget) -> bool | None:
    """Whether the option and what it answers are both in view: None when they do not
    fit in the pane together (then only the option must be)."""
    assert in_step_pane(screen, option), option.id
    question = question_of(option)
    rows = screen.query_one("#step-pane").scrollable_content_region.height
    if option.region.bottom - question.region.y > rows:
        return None
    return in_step_pane(screen, question)


@pytest.mark.parametrize("size", SMALL_SIZES)
async def test_a_quiz_question_stays_in_view_above_its_focused_option(
    data_dir: Path, size: tuple[int, int]
) -> None:
    app = PeerskoleApp(BUNDLED, data_dir=data_dir)
    async with app.run_test(size=size) as pilot:
        screen = await open_module_at(app, pilot, "quiz")
        assert shown_with_its_question(screen, focused_option(app))  # on arrival
        questions: set[Widget] = set()
        fitted = 0
        # Tab through every option of every question, and Down through every radio set.
        while app.focused is not screen.query_one("#quiz-submit"):
            if isinstance(app.focused, (ChoiceSet, ChoiceCheckbox)):
                presses = len(app.focused.children) if isinstance(app.focused, ChoiceSet) else 0
                for _ in range(presses + 1):
                    together = shown_with_its_question(screen, focused_option(app))
                    assert together is not False, (app.focused.id, focused_option(app).id)
                    questions.add(question_of(focused_option(app)))
                    fitted += together is True
                    if presses:
                        await pilot.press("down")
                        await pilot.pause()
            await pilot.press("tab")
            await pilot.pause()
        assert len(questions) == len(screen.query(".quiz-question"))  # every question
        assert fitted  # and options that fit in the pane with their question were seen


@pytest.mark.parametrize("size", SMALL_SIZES)
async def test_a_click_on_an_option_brings_its_question_into_view(
    data_dir: Path, size: tuple[int, int]
) -> None:
    app = PeerskoleApp(BUNDLED, data_dir=data_dir)
    async with app.run_test(size=size) as pilot:
        screen = await open_module_at(app, pilot, "quiz")
        pane = screen.query_one("#step-pane", ScrollableContainer)
        assert screen.view is not None
        quiz = screen.view.data.step
        assert isinstance(quiz, Quiz)
        several = [sum(o.correct for o in q.options) > 1 for q in quiz.questions]
        box = several.index(True)
        radio = next(i for i in range(box + 1, len(several)) if not several[i])
        for question in (radio, box):  # a radio set, then a box, neither of them focused
            answer = screen.query_one(f"#answer-{question}")
            option = list(answer.query(ChoiceCheckbox if several[question] else ChoiceRadio))[1]
            # Scrolled by hand so the option is the pane's top line: its question is above.
            option_top = option.region.y - pane.scrollable_content_region.y
            pane.scroll_to(y=pane.scroll_y + option_top, animate=False)
            await pilot.pause()
            assert not in_step_pane(screen, question_of(option))
            await pilot.click(option)
            await wait_for_workers(app, pilot)
            assert app.focused is (option if several[question] else answer)
            assert focused_option(app) is option  # the click chose it, and was not lost
            assert option.value
            assert shown_with_its_question(screen, option)


@pytest.mark.parametrize("size", SMALL_SIZES)
async def test_a_turn_stays_in_view_above_its_responses(
    data_dir: Path, size: tuple[int, int]
) -> None:
    app = PeerskoleApp(BUNDLED, data_dir=data_dir)
    async with app.run_test(size=size) as pilot:
        screen = await open_module_at(app, pilot, "scenario")
        responses = screen.query_one("#responses", ChoiceSet)
        while app.focused is not responses:
            await pilot.press("tab")
            await pilot.pause()
        for _ in range(len(responses.children) + 1):  # Down round the list and back
            assert shown_with_its_question(screen, focused_option(app))
            await pilot.press("down")
            await pilot.pause()
        # A click on a response while the line is scrolled out above the pane.
        pane = screen.query_one("#step-pane", ScrollableContainer)
        option = list(responses.query(ChoiceRadio))[1]
        pane.scroll_to(y=pane.scroll_y + option.region.y - pane.scrollable_content_region.y,
                       animate=False)
        await pilot.pause()
        assert not in_step_pane(screen, question_of(option))
        await pilot.click(option)
        await wait_for_workers(app, pilot)
        assert app.focused is responses and focused_option(app) is option and option.value
        assert shown_with_its_question(screen, option)


# --- the footer: help and support whole ------------------------------------------------------


def footer_labels(app: PeerskoleApp) -> list[str]:
    """The footer's keys as drawn ("f2 Støtte"), each wholly on the screen, none over
    another (Textual docks the command palette's key at the right end)."""
    keys = list(app.screen.query_one(Footer).query(FooterKey))
    for key in keys:
        assert app.screen.region.contains_region(key.region), str(key.render())
        assert not any(key.region.overlaps(other.region) for other in keys if other is not key)
    return [" ".join(str(key.render()).split()) for key in keys]


@pytest.mark.parametrize(("language", "help_key", "support_key"),
                         [("da", "f1 Hjælp", "f2 Støtte"), ("en", "f1 Help", "f2 Support")])
@pytest.mark.parametrize("size", SMALL_SIZES)
async def test_the_module_footer_draws_help_and_support_whole(
    data_dir: Path, size: tuple[int, int], language: str, help_key: str, support_key: str
) -> None:
    app = PeerskoleApp(BUNDLED, data_dir=data_dir, language=language)
    async with app.run_test(size=size) as pilot:
        await open_module_at(app, pilot, "reflection")  # a step with every step key
        await pilot.pause()
        labels = footer_labels(app)
        assert help_key in labels and support_key in labels, labels
        shot = app.export_screenshot()
        assert all(word in shot for word in (*help_key.split()[1:], *support_key.split()[1:]))
        # The overview's key: shown where there is room, left out below 70 columns.
        assert any(label.startswith("esc ") for label in labels) == (size[0] >= 70), labels


@pytest.mark.parametrize(("language", "help_key", "support_key"),
                         [("da", "f1 Hjælp", "f2 Støtte"), ("en", "f1 Help", "f2 Support")])
@pytest.mark.parametrize("size", SMALL_SIZES)
async def test_the_overview_footer_draws_help_and_support_whole(
    data_dir: Path, size: tuple[int, int], language: str, help_key: str, support_key: str
) -> None:
    app = PeerskoleApp(BUNDLED, data_dir=data_dir, language=language)
    async with app.run_test(size=size) as pilot:
        await start_as_new_learner(app, pilot)
        await pilot.pause()
        labels = footer_labels(app)
        assert help_key in labels and support_key in labels, labels
        # The command palette's key where there is room for it beside them.
        assert any(label.startswith("^p ") for label in labels) == (size[0] >= 76), labels
        await pilot.press("ctrl+p")  # and its key works where it is left out
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, CommandPalette)


async def test_esc_works_where_the_footer_leaves_it_out_and_comes_back_when_wider(
    data_dir: Path,
) -> None:
    app = PeerskoleApp(BUNDLED, data_dir=data_dir)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await open_module_at(app, pilot, "reflection")
        await pilot.pause()
        assert not any(label.startswith("esc ") for label in footer_labels(app))
        await pilot.resize_terminal(80, 24)
        await wait_for_workers(app, pilot)
        assert "esc Oversigt" in footer_labels(app)
        await pilot.resize_terminal(60, 20)
        await wait_for_workers(app, pilot)
        labels = footer_labels(app)
        assert "f2 Støtte" in labels and not any(x.startswith("esc ") for x in labels)
        await pilot.press("escape")  # unlisted, and working
        await wait_for_workers(app, pilot)
        assert app.screen is not screen and not isinstance(app.screen, ModuleScreen)


# --- a self-assessment: every 1–5 row whole at 60 columns ---------------------------------------


@pytest.mark.parametrize("size", SMALL_SIZES)
async def test_no_rating_row_is_cut(data_dir: Path, size: tuple[int, int]) -> None:
    app = PeerskoleApp(BUNDLED, data_dir=data_dir)
    async with app.run_test(size=size) as pilot:
        screen = await open_module_at(app, pilot, "self_assessment")
        scales = list(screen.query(RatingScale))
        assert scales
        for scale in scales:
            scale.focus()  # as Tab would: the pane scrolls to it
            await pilot.pause()
            assert in_view(scale), scale.id
            buttons = list(scale.children)
            assert len(buttons) == 5 and all(in_view(b) for b in buttons), scale.id
            assert str(buttons[-1].render()).rstrip().endswith("5")


# --- the support dialog: the emergency number and the buttons ------------------------------------


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("size", SMALL_SIZES)
async def test_support_shows_the_emergency_number_and_keeps_its_buttons_after_a_break(
    data_dir: Path, size: tuple[int, int], language: str
) -> None:
    app = PeerskoleApp(BUNDLED, data_dir=data_dir, language=language)
    async with app.run_test(size=size) as pilot:
        await open_module_at(app, pilot, "reflection")
        await pilot.press("f2")
        await wait_for_workers(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, SupportDialog)
        emergency = dialog.query_one(".emergency", Static)
        assert "112" in str(emergency.render()).splitlines()[0]
        buttons = [dialog.query_one("#break"), dialog.query_one("#close")]
        assert in_view(emergency) and all(in_view(b) for b in buttons)
        await click(pilot, "#break")
        pause = dialog.query_one("#break-text", Static)
        assert in_view(pause)
        assert in_view(emergency) and all(in_view(b) for b in buttons)
        await pilot.press("tab")  # from "Tag en pause" to "Tilbage til kurset"
        assert app.focused is buttons[1]
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        assert not isinstance(app.screen, SupportDialog)


async def test_the_step_list_hides_below_70_columns_and_returns(data_dir: Path) -> None:
    app = PeerskoleApp(BUNDLED, data_dir=data_dir)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await open_module_at(app, pilot, "quiz")
        sidebar = screen.query_one("#sidebar")
        assert not sidebar.display
        steps = screen.module.steps
        assert screen.view is not None
        place = f"Trin {steps.index(screen.view.data.step) + 1} af {len(steps)}"
        assert place in str(screen.query_one("#step-of", Static).render())
        await pilot.resize_terminal(80, 24)
        await wait_for_workers(app, pilot)
        assert sidebar.display and in_view(screen.query_one("#steps"))
        assert isinstance(screen.query(ChoiceRadio).first(), ChoiceRadio)
