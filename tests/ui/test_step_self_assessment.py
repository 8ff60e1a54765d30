"""The self-assessment step: rate at the start, wait, rate again at the end, compare."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, OptionList, Static

from peerskole.store.base import StepUpdate
from peerskole.store.sqlite import SQLiteStore
from peerskole.ui.app import PeerskoleApp
from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.steps.self_assessment import RatingButton, RatingScale, SelfAssessmentView
from tests.ui.conftest import (
    SIZE,
    flush_writes,
    make_app,
    open_step,
    start_as_new_learner,
    stored,
    wait_for_workers,
)

MODULE, STEP = "first", "before-after"

OTHER_STEPS_DONE: dict[str, dict[str, object]] = {
    "intro": {"opened": True},
    "quiz": {"score": 100.0, "attempts": 1},
    "maja": {"turns_answered": 1},
    "own-experience": {"words": 5},
    "practice-talk": {"entries": 1},
}
"""Facts that make every other required step of the sample's first module done."""


def texts(screen: ModuleScreen, selector: str) -> list[str]:
    return [str(widget.render()) for widget in screen.query(selector).results(Static)]


def saved_facts(app: PeerskoleApp, data_dir: Path) -> dict[str, object] | None:
    assert app.session is not None
    records = stored(data_dir).step_records(app.session.learner.id, "mini")
    return next((dict(r.facts) for r in records if r.step_id == STEP), None)


def step_label(screen: ModuleScreen) -> str:
    steps = screen.query_one("#steps", OptionList)
    return str(steps.get_option_at_index(0).prompt)


async def save(pilot: Pilot[None], screen: ModuleScreen) -> None:
    """Press the save button with the keyboard, as a trainee without a mouse would."""
    screen.query_one("#assessment-save", Button).focus()
    await pilot.press("enter")
    await pilot.pause()


async def test_before_ratings_are_saved_and_shown_until_the_end(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, STEP)
    assert screen.query_one(SelfAssessmentView).data.phase == "before"
    assert texts(screen, ".statement") == [
        "1. Jeg kan lytte uden at give råd.",
        "2. Jeg kan stille åbne spørgsmål.",
    ]
    scale_words = texts(screen, "#assessment-scale")[0]
    assert "1 = passer slet ikke" in scale_words and "5 = passer helt" in scale_words
    assert app.focused is screen.query_one("#rating-0")
    await pilot.press("3")  # the number keys choose on the focused scale
    await pilot.click("#rating-1 RatingButton:last-of-type")  # … and so does the mouse
    await pilot.pause()
    chosen = screen.query_one("#rating-1", RatingScale).query(RatingButton)
    assert [b.BUTTON_INNER for b in chosen] == [" ", " ", " ", " ", "●"]  # shape, not colour
    await save(pilot, screen)
    await flush_writes(app)
    assert saved_facts(app, data_dir) == {"before": [3, 5]}

    # Until the rest of the module is done: the answers, read-only, and what comes next.
    assert not screen.query(RatingScale)
    assert texts(screen, ".ratings") == ["Før  ███░░ 3", "Før  █████ 5"]
    assert any("vurderer du de samme udsagn igen" in t for t in texts(screen, ".assessment-lead"))
    screen.action_next_step()
    await wait_for_workers(app, pilot)
    screen.action_previous_step()
    await wait_for_workers(app, pilot)
    assert screen.query_one(SelfAssessmentView).data.phase == "before"
    assert not screen.query(RatingScale)
    assert texts(screen, ".ratings") == ["Før  ███░░ 3", "Før  █████ 5"]
    screen.action_next_step()
    await wait_for_workers(app, pilot)
    assert "mangler" in step_label(screen)  # rated once is not done yet


async def test_a_missing_rating_is_named_and_nothing_is_saved(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, STEP)
    await pilot.press("tab", "4")  # only the second statement
    await save(pilot, screen)
    message = texts(screen, "#assessment-message")[0]
    assert message == "Vælg et tal ved hvert udsagn, før du gemmer. Mangler: udsagn 1."
    assert app.focused is screen.query_one("#rating-0")  # taken to what is missing
    await flush_writes(app)
    # No rating saved: the one chosen is kept only as a draft, for coming back to.
    assert not (saved_facts(app, data_dir) or {}).get("before")


async def test_before_answers_can_be_changed_while_waiting(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, STEP)
    await pilot.press("2", "tab", "2")
    await save(pilot, screen)
    screen.query_one("#assessment-change", Button).focus()
    await pilot.press("enter")
    await pilot.pause()
    assert [s.rating for s in screen.query(RatingScale)] == [2, 2]  # starts from the answers
    await pilot.press("1")
    await save(pilot, screen)
    await flush_writes(app)
    assert saved_facts(app, data_dir) == {"before": [1, 2]}


async def test_after_the_module_the_trainee_rates_again_and_sees_both(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    session = app.session
    assert session is not None
    module = session.course.module(MODULE)
    session.update(module, module.step(STEP), facts={"before": [2, 4]})
    for step_id, facts in OTHER_STEPS_DONE.items():
        session.update(module, module.step(step_id), facts=facts)
    screen = await open_step(app, pilot, MODULE, STEP)
    view = screen.query_one(SelfAssessmentView)
    assert view.data.phase == "after" and view.data.others_done
    assert any("Vurdér de samme udsagn igen" in t for t in texts(screen, ".assessment-lead"))
    assert [s.rating for s in screen.query(RatingScale)] == [None, None]  # rate afresh
    await pilot.press("5", "tab", "4")
    await save(pilot, screen)
    await flush_writes(app)
    assert saved_facts(app, data_dir) == {"before": [2, 4], "after": [5, 4]}
    assert texts(screen, ".ratings") == [
        "Før    ██░░░ 2\nEfter  █████ 5  (+3)",
        "Før    ████░ 4\nEfter  ████░ 4  (uændret)",
    ]
    assert step_label(screen).startswith("▶ Hvor står du?")
    screen.action_next_step()
    await wait_for_workers(app, pilot)
    assert "✓ Hvor står du?" in step_label(screen) and "færdig" in step_label(screen)


async def test_the_comparison_comes_back_in_english(data_dir: Path) -> None:
    app = make_app(data_dir, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        assert app.session is not None
        learner = app.session.learner.id
    store = SQLiteStore(data_dir / "peerskole.sqlite3")
    store.update_step(learner, "mini", "1.0", MODULE, STEP,
                      StepUpdate(facts={"before": [4, 1], "after": [3, 1]}, done=True))
    store.close()
    app = make_app(data_dir, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        screen = await open_step(app, pilot, MODULE, STEP)
        assert texts(screen, ".ratings") == [
            "Before  ████░ 4\nAfter   ███░░ 3  (−1)",
            "Before  █░░░░ 1\nAfter   █░░░░ 1  (unchanged)",
        ]


async def test_save_is_reachable_by_keyboard_at_80x24(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, MODULE, STEP)
        save_button = screen.query_one("#assessment-save", Button)
        for _ in range(10):
            if app.focused is save_button:
                break
            await pilot.press("tab")
        assert app.focused is save_button
        await pilot.pause()
        x, y = save_button.region.center
        # On screen, not scrolled out of sight:
        assert screen.get_widget_at(int(x), int(y))[0] is save_button
        await pilot.press("enter")
        await pilot.pause()
        assert "Mangler: udsagn 1, 2" in texts(screen, "#assessment-message")[0]


async def test_ratings_chosen_and_not_saved_are_kept_when_the_trainee_leaves(
    data_dir: Path,
) -> None:
    """Rated 3 and 4, then on to the next step and back, then quit and back: the
    ratings are as she left them, and only "Gem" makes them the step's rating."""

    def ratings(screen: ModuleScreen) -> list[int | None]:
        return [scale.rating for scale in screen.query(RatingScale).results(RatingScale)]

    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, MODULE, STEP)
        scales = list(screen.query(RatingScale).results(RatingScale))
        scales[0].action_rate(3)
        scales[1].action_rate(4)
        await wait_for_workers(app, pilot)
        await pilot.press("ctrl+down")
        await wait_for_workers(app, pilot)
        assert screen.current.id != STEP
        await pilot.press("ctrl+up")
        await wait_for_workers(app, pilot)
        assert screen.current.id == STEP
        assert ratings(screen) == [3, 4]
        await flush_writes(app)
        assert not (saved_facts(app, data_dir) or {}).get("before")  # not saved: a draft
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("enter")  # the only profile: resumes where she was
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, ModuleScreen)
        screen = app.screen
        assert screen.current.id == STEP
        assert ratings(screen) == [3, 4]
        await pilot.click("#assessment-save")
        await wait_for_workers(app, pilot)
        await flush_writes(app)
        assert (saved_facts(app, data_dir) or {}).get("before") == [3, 4]
