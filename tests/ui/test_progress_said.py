"""Progress says what happened (issue 10, item 9): a reading is done once read, a saved
"before" self-assessment shows as saved, and a module that completes says what it opened."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from peerskole.course.loader import load_course
from peerskole.progress import course_status
from peerskole.store.base import StepUpdate
from peerskole.store.sqlite import SQLiteStore
from peerskole.ui.app import PeerskoleApp
from peerskole.ui.screens.overview import OverviewScreen
from peerskole.ui.textual_compat import notifications
from peerskole.ui.widgets.module_card import ModuleCard
from tests.conftest import REPO_DIR, SAMPLE_COURSE
from tests.ui.conftest import (
    SIZE,
    click,
    flush_writes,
    make_app,
    open_step,
    start_as_new_learner,
    step_label,
    stored,
    wait_for_workers,
)
from tests.ui.test_step_self_assessment import OTHER_STEPS_DONE

BUNDLED = REPO_DIR / "courses" / "peer-grundforloeb"
FIRST_MODULE = "peer-stoette-recovery-haab"


def facts_of(app: PeerskoleApp, data_dir: Path, step_id: str) -> dict[str, object] | None:
    assert app.session is not None
    records = stored(data_dir).step_records(app.session.learner.id, app.session.course.id)
    return next((dict(r.facts) for r in records if r.step_id == step_id), None)


def notices(app: PeerskoleApp) -> list[str]:
    return [n.message for n in notifications(app)]


async def test_a_reading_is_done_when_scrolled_to_its_end_not_on_opening(
    data_dir: Path,
) -> None:
    app = make_app(data_dir, BUNDLED)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, FIRST_MODULE, "laesning")
        await flush_writes(app)
        assert facts_of(app, data_dir, "laesning") == {}  # begun, not read
        assert step_label(screen, "laesning").endswith("her · mangler")
        await pilot.press("pagedown")  # the pane has the focus: part of the way
        await pilot.pause()
        await flush_writes(app)
        assert facts_of(app, data_dir, "laesning") == {}
        await pilot.press("end")  # to the end of the reading, still on the step
        await wait_for_workers(app, pilot)
        await flush_writes(app)
        assert screen.current.id == "laesning"
        assert facts_of(app, data_dir, "laesning") == {"read": True}
        assert step_label(screen, "laesning").endswith("her · færdig")


async def test_a_saved_before_rating_shows_as_saved_in_the_list_and_on_the_overview(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, "first", "before-after")
    await pilot.press("3", "tab", "4")
    await click(pilot, "#assessment-save")
    await flush_writes(app)
    assert facts_of(app, data_dir, "before-after") == {"before": [3, 4]}
    assert step_label(screen, "before-after").endswith("her · før gemt · efter mangler")
    await click(pilot, "#next")
    assert step_label(screen, "before-after").endswith("Selvvurdering · før gemt · efter mangler")
    await pilot.press("escape")
    await wait_for_workers(app, pilot)
    assert isinstance(app.screen, OverviewScreen)
    card = app.screen.query_one("#module-first", ModuleCard)
    lines = [str(s.render()) for s in card.query(".card-waiting").results(Static)]
    assert lines == ["Hvor står du?: før gemt · efter mangler"]


def seed(data_dir: Path, facts: dict[tuple[str, str], dict[str, object]]) -> None:
    """A learner, Anne, with these facts recorded."""
    store = SQLiteStore(data_dir / "peerskole.sqlite3")
    anne = store.add_learner("Anne")
    for (module_id, step_id), step_facts in facts.items():
        store.update_step(anne.id, "mini", "1.0", module_id, step_id,
                          StepUpdate(facts=step_facts, done=True))
    store.close()


async def open_as_anne(app: PeerskoleApp, pilot: Pilot[None]) -> None:
    await wait_for_workers(app, pilot)
    await pilot.press("enter")
    await wait_for_workers(app, pilot)
    assert isinstance(app.screen, OverviewScreen)


async def test_completing_a_module_says_so_and_what_it_opened(data_dir: Path) -> None:
    before: dict[tuple[str, str], dict[str, object]] = {
        ("first", "before-after"): {"before": [3, 3], "after": [4, 4]}
    }
    before |= {("first", step): facts for step, facts in OTHER_STEPS_DONE.items()
               if step != "own-experience"}
    seed(data_dir, before)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_as_anne(app, pilot)
        screen = await open_step(app, pilot, "first", "own-experience")
        assert notices(app) == []
        screen.query_one("#reflection-text", TextArea).focus()
        await pilot.press(*"Min søster lyttede og jeg blev hørt")
        await click(pilot, "#next")  # the draft is recorded as the trainee moves on, if not yet
        await flush_writes(app)
        assert "Modulet er gennemført. Nu åbent: Andet modul" in notices(app)
        assert app.session is not None
        learner = app.session.learner.id
    records = stored(data_dir).step_records(learner, "mini")
    status = course_status(load_course(SAMPLE_COURSE), records)
    assert status.module("first").complete and not status.module("second").complete


async def test_completing_the_last_module_says_the_course_is_complete(data_dir: Path) -> None:
    done: dict[tuple[str, str], dict[str, object]] = {
        ("first", "before-after"): {"before": [3, 3], "after": [4, 4]}
    }
    done |= {("first", step): facts for step, facts in OTHER_STEPS_DONE.items()}
    seed(data_dir, done)
    app = make_app(data_dir, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_as_anne(app, pilot)
        await open_step(app, pilot, "second", "read")
        assert notices(app) == []  # opening the reading does not complete it
        await pilot.press("escape")  # moving on from it does
        await wait_for_workers(app, pilot)
        assert notices(app) == [
            "The module is complete. You have completed the course. Congratulations!"
        ]
