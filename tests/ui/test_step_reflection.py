"""The reflection step: private writing that saves as the trainee types, and sharing."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Checkbox, Markdown, OptionList, Static, TextArea

from peerskole.ui.app import PeerskoleApp
from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.screens.overview import OverviewScreen
from peerskole.ui.steps.reflection import ReflectionView
from tests.ui.conftest import (
    SIZE,
    flush_writes,
    make_app,
    open_step,
    start_as_new_learner,
    stored,
    until,
    wait_for_workers,
)

SENTENCE = "Min ven lyttede til mig"  # five words: the sample's min_words
MODULE, STEP = "first", "own-experience"


def shown(screen: ModuleScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def step_label(screen: ModuleScreen, step_id: str) -> str:
    steps = screen.query_one("#steps", OptionList)
    index = next(i for i, s in enumerate(screen.module.steps) if s.id == step_id)
    return str(steps.get_option_at_index(index).prompt)


def saved_reflection(app: PeerskoleApp, data_dir: Path) -> tuple[str, bool] | None:
    assert app.session is not None
    saved = stored(data_dir).reflection(app.session.learner.id, "mini", MODULE, STEP)
    return (saved.text, saved.shared) if saved else None


def saved_facts(app: PeerskoleApp, data_dir: Path, step_id: str = STEP) -> dict[str, object]:
    assert app.session is not None
    records = stored(data_dir).step_records(app.session.learner.id, "mini")
    return {r.step_id: dict(r.facts) for r in records}.get(step_id, {})


async def test_typing_is_saved_after_a_pause_and_counts_words(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, STEP)
    view = screen.query_one(ReflectionView)
    prompt = view.query_one(".reflection-prompt", Markdown).source
    assert "Hvornår følte du dig sidst lyttet til?" in prompt
    assert shown(screen, "#privacy").startswith("Privat – kun du kan se")
    assert shown(screen, "#word-count") == "0 ord – mindst 5"
    await pilot.click("#reflection-text")
    await pilot.press(*"Min ven lyttede")
    # Counted when typing pauses (half a second at most while it goes on).
    await until(pilot, lambda: shown(screen, "#word-count") == "3 ord – mindst 5", "the count")
    await pilot.press(*" til mig")
    # Once typing pauses, the draft is sent without leaving the step.
    await until(pilot, lambda: saved_reflection(app, data_dir) == (SENTENCE, False),
                "the draft in the store")
    assert saved_facts(app, data_dir) == {"words": 5}
    assert shown(screen, "#word-count") == "✓ 5 ord – nok til, at trinnet er færdigt"
    assert step_label(screen, STEP).startswith("▶ Din erfaring")  # current, and …
    await pilot.press("tab", "tab")  # leave the text for the share box, then the step
    await pilot.press("ctrl+down")
    await wait_for_workers(app, pilot)
    assert "✓ Din erfaring" in step_label(screen, STEP)  # … done, in a symbol and a word
    assert "færdig" in step_label(screen, STEP)


async def test_nothing_is_sent_when_nothing_changed(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, STEP)
    await pilot.pause(0.5)
    screen.action_next_step()
    await wait_for_workers(app, pilot)
    await flush_writes(app)
    assert saved_reflection(app, data_dir) is None
    assert saved_facts(app, data_dir) == {}


async def test_sharing_is_saved_and_text_and_choice_come_back(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, MODULE, STEP)
        await pilot.click("#reflection-text")
        await pilot.press(*SENTENCE)
        await pilot.click("#share")
        await pilot.pause()
        assert screen.query_one("#share", Checkbox).value
        assert shown(screen, "#privacy").startswith("Delt – din underviser kan læse")
        await flush_writes(app)
        assert saved_reflection(app, data_dir) == (SENTENCE, True)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("enter")  # the only profile; resumes at the reflection
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, ModuleScreen)
        screen = app.screen
        assert screen.current.id == STEP
        assert screen.query_one("#reflection-text", TextArea).text == SENTENCE
        share = screen.query_one("#share", Checkbox)
        assert share.value
        assert "X" in str(share.render())  # on is shown by a mark, not only a colour
        assert shown(screen, "#word-count").startswith("✓ 5 ord")
        await pilot.click("#share")  # and back to private
        await pilot.pause()
        assert " " == share.BUTTON_INNER
        await flush_writes(app)
        assert saved_reflection(app, data_dir) == (SENTENCE, False)


async def test_moving_on_right_after_typing_still_saves(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, STEP)
    await pilot.click("#reflection-text")
    await pilot.press(*SENTENCE)
    screen.action_next_step()  # within the debounce: flush() must send the draft
    await wait_for_workers(app, pilot)
    assert screen.current.id == "practice-talk"
    await flush_writes(app)
    assert saved_reflection(app, data_dir) == (SENTENCE, False)
    assert saved_facts(app, data_dir) == {"words": 5}
    assert saved_facts(app, data_dir, "practice-talk") == {}  # stored under the right step


async def test_going_to_the_overview_right_after_typing_still_saves(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    await open_step(app, pilot, MODULE, STEP)
    await pilot.click("#reflection-text")
    await pilot.press(*SENTENCE)
    await pilot.press("escape")  # back to the overview, within the debounce
    await wait_for_workers(app, pilot)
    assert isinstance(app.screen, OverviewScreen)
    await flush_writes(app)
    assert saved_reflection(app, data_dir) == (SENTENCE, False)
    assert saved_facts(app, data_dir) == {"words": 5}


async def test_sharing_and_writing_are_reachable_by_keyboard_at_80x24(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, MODULE, STEP)
        text = screen.query_one("#reflection-text", TextArea)
        share = screen.query_one("#share", Checkbox)
        for _ in range(10):
            if app.focused is share:
                break
            await pilot.press("tab")
        assert app.focused is share
        await pilot.pause()
        x, y = share.region.center
        # On screen, not scrolled out of sight:
        assert screen.get_widget_at(int(x), int(y))[0] is share
        await pilot.press("space")
        await pilot.press("shift+tab")  # the text is just above, under its question
        # mypy keeps app.focused narrowed to the checkbox across the key presses:
        assert app.focused is text  # type: ignore[comparison-overlap]
        await pilot.press(*"Godt")
        await pilot.press("tab")  # Tab leaves the text (not indenting), which saves at once
        assert app.focused is not text  # type: ignore[comparison-overlap]
        await flush_writes(app)
        assert saved_reflection(app, data_dir) == ("Godt", True)


async def test_quitting_right_after_typing_still_saves(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await open_step(app, pilot, MODULE, STEP)
        await pilot.click("#reflection-text")
        await pilot.press(*SENTENCE)
        await pilot.press("ctrl+q")  # within the debounce
    assert saved_reflection(app, data_dir) == (SENTENCE, False)
    assert saved_facts(app, data_dir) == {"words": 5}


async def test_steady_typing_is_saved_while_it_goes_on(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    """A trainee who never pauses still has a draft on disk well within a second."""
    app, pilot = app_at_overview
    await open_step(app, pilot, MODULE, STEP)
    await pilot.click("#reflection-text")
    for char in SENTENCE[:12]:
        await pilot.press(char)
        await pilot.pause(0.1)  # steady: always shorter than the quiet period
    await flush_writes(app)  # still typing: no pause has let the debounce fire
    saved = saved_reflection(app, data_dir)
    assert saved is not None and SENTENCE[:12].startswith(saved[0]) and len(saved[0]) >= 5


async def test_what_typing_reports_goes_no_further_than_the_view(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each key's change and cursor move are the view's to handle, and go no further.

    Every node they pass on the way up to the app handles them in turn, and that was
    most of what typing in a reflection cost (see ReflectionView.stop_cursor_moves_here).
    """
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, STEP)
    heard: list[Message] = []
    for handler in ("on_text_area_changed", "on_text_area_selection_changed"):
        monkeypatch.setattr(ModuleScreen, handler, lambda _, message: heard.append(message),
                            raising=False)
    await pilot.click("#reflection-text")
    await pilot.press(*"Min ven")
    await until(pilot, lambda: shown(screen, "#word-count") == "2 ord – mindst 5",
                "the view's count of the words")
    assert heard == []
