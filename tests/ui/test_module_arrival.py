"""Arriving at a step: its main control has the focus, in view, and typing stays in it.

Also where a module opens from the overview: the step the trainee was last on there.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Checkbox, Collapsible, Static, TextArea

from peerskole.locations import bundled_courses_dir
from peerskole.store.base import Position
from peerskole.ui.app import PeerskoleApp
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
    wait_for_workers,
)

BUNDLED = bundled_courses_dir() / "peer-grundforloeb"
SMALL = (80, 24)


def heading(app: PeerskoleApp) -> str:
    return str(app.screen.query_one("#step-heading", Static).render())


def step_of(app: PeerskoleApp) -> str:
    return str(app.screen.query_one("#step-of", Static).render())


def focused_in_view(app: PeerskoleApp) -> bool:
    """Whether the focused control lies wholly in the visible part of the step pane."""
    focused = app.focused
    assert focused is not None
    pane = app.screen.query_one("#step-pane").region
    return pane.contains_region(focused.region)


async def next_by_button(pilot: Pilot[None]) -> None:
    await click(pilot, "#nav #next")


# --- the main control is focused; letters never leave a step being written -----------------------


async def test_each_step_focuses_its_main_control(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await pilot.press("enter")  # the first module, from its card
        await wait_for_workers(app, pilot)
        screen = app.screen
        assert isinstance(screen, ModuleScreen)
        expected = {
            "before-after": "#rating-0",  # self-assessment: the first statement
            "intro": "#step-pane",  # reading: the text scrolls with the arrow keys
            "quiz": "#answer-0",
            "maja": "#responses",
            "own-experience": "#reflection-text",
            "practice-talk": "#field-date",
        }
        for step_id, selector in expected.items():
            assert screen.current.id == step_id
            assert app.focused is screen.query_one(selector), step_id
            await next_by_button(pilot)


async def test_typing_on_arrival_at_a_reflection_goes_into_the_editor(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        for _ in range(4):  # self-assessment, reading, quiz, scenario: Ctrl+↓ moves on
            await pilot.press("ctrl+down")
            await wait_for_workers(app, pilot)
        assert heading(app) == "Refleksion: Din erfaring"
        await pilot.press(*"Mit hjem. Jeg prover nu")  # n and p are letters, nothing else
        await pilot.pause()
        editor = app.screen.query_one("#reflection-text", TextArea)
        assert editor.text == "Mit hjem. Jeg prover nu"
        assert heading(app) == "Refleksion: Din erfaring"
        assert step_of(app) == "Trin 5 af 6"


async def test_letters_typed_beside_the_editor_neither_type_nor_move(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, "first", "own-experience")
    editor = screen.query_one("#reflection-text", TextArea)
    # Focus on the pane itself (as after a click on its background), on the share box,
    # and on the buttons below: a letter is typed only where the trainee puts it.
    for target in ("#step-pane", "#share", "#nav #next", "#nav #previous"):
        screen.query_one(target).focus()
        await pilot.pause()
        await pilot.press("n", "p", "x")
        await wait_for_workers(app, pilot)
        assert screen.current.id == "own-experience", target
        assert editor.text == "", target
    await flush_writes(app)
    assert app.session is not None
    saved = stored(data_dir).reflection(app.session.learner.id, "mini", "first",
                                        "own-experience")
    assert saved is None


async def test_space_still_ticks_the_share_box(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]]
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, "first", "own-experience")
    share = screen.query_one("#share", Checkbox)
    share.focus()
    await pilot.pause()
    await pilot.press("space")
    await pilot.pause()
    assert share.value is True
    assert screen.query_one("#reflection-text", TextArea).text == ""


# --- a module opens where the trainee was in it --------------------------------------------------


async def test_a_module_reopens_at_the_step_the_trainee_was_on(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        await pilot.press("ctrl+down", "ctrl+down")  # past the self-assessment, the reading
        await wait_for_workers(app, pilot)
        assert heading(app) == "Quiz: Quiz"
        await pilot.press("escape")
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert app.focused is app.screen.query_one("#module-first")
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        assert heading(app) == "Quiz: Quiz"
        assert step_of(app) == "Trin 3 af 6"


async def test_a_module_with_no_step_to_return_to_skips_the_waiting_self_assessment(
    data_dir: Path,
) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        await pilot.press("2", "tab", "3")  # rate "before"; it waits for "after" at the end
        await click(pilot, "#assessment-save")
        await next_by_button(pilot)  # the reading: opening it is enough
        await flush_writes(app)
        assert app.session is not None
        learner = app.session.learner.id
    # The store keeps one resume position a course; here it is in the other module.
    store = stored(data_dir)
    store.set_position(learner, "mini", Position("second", "read", ""))
    store.close()
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("enter")  # the only profile: resumes in the second module
        await wait_for_workers(app, pilot)
        await pilot.press("escape")
        await wait_for_workers(app, pilot)
        await click(pilot, "#module-first")
        # Not the self-assessment (undone until the module's end) nor the read reading.
        assert heading(app) == "Quiz: Quiz"


# --- at 80×24 the step is in sight ---------------------------------------------------------------


async def test_at_80x24_the_focused_control_is_in_view_on_arrival_and_after_a_resize(
    data_dir: Path,
) -> None:
    app = PeerskoleApp(BUNDLED, data_dir=data_dir)
    async with app.run_test(size=SMALL) as pilot:
        await start_as_new_learner(app, pilot)
        await pilot.press("enter")  # module 1, a first visit
        await wait_for_workers(app, pilot)
        screen = app.screen
        assert isinstance(screen, ModuleScreen)
        # Folded on a short terminal, even on a first visit: open, it fills the pane.
        assert screen.query_one("#goals", Collapsible).collapsed
        quiz = next(s for s in screen.module.steps if s.kind == "quiz")
        screen.show_step(quiz)
        await wait_for_workers(app, pilot)
        assert app.focused is screen.query_one("#answer-0")
        assert focused_in_view(app)
        # Through a size at which the whole step fits (the pane scrolls to its top) and back.
        for size in ((200, 100), SMALL):
            await pilot.resize_terminal(*size)
            await wait_for_workers(app, pilot)
            assert app.focused is screen.query_one("#answer-0")
            assert focused_in_view(app), size


async def test_the_reflection_editor_stays_in_view_after_a_resize(data_dir: Path) -> None:
    app = PeerskoleApp(BUNDLED, data_dir=data_dir)
    async with app.run_test(size=SMALL) as pilot:
        await start_as_new_learner(app, pilot)
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        screen = app.screen
        assert isinstance(screen, ModuleScreen)
        reflection = next(s for s in screen.module.steps if s.kind == "reflection")
        screen.show_step(reflection)
        await wait_for_workers(app, pilot)
        editor: Widget = screen.query_one("#reflection-text")
        assert app.focused is editor and focused_in_view(app)
        for size in ((120, 60), SMALL):  # through a size at which the whole step fits
            await pilot.resize_terminal(*size)
            await wait_for_workers(app, pilot)
            assert app.focused is editor and focused_in_view(app), size


async def test_goals_show_on_a_first_visit_at_a_tall_terminal_then_fold(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await start_as_new_learner(app, pilot)
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        goals = app.screen.query_one("#goals", Collapsible)
        assert not goals.collapsed  # what the module is about, on the way in
        await next_by_button(pilot)
        assert goals.collapsed  # then out of the way of every step
        await pilot.resize_terminal(100, 40)
        goals.collapsed = False  # opened again by hand
        await pilot.resize_terminal(80, 24)
        await wait_for_workers(app, pilot)
        assert goals.collapsed
