"""A step with a content note opens on a calm notice: Start opens it, Skip goes past it."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Button

from peerskole.progress import CONTENT_NOTE_STARTED
from peerskole.ui.app import PeerskoleApp
from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.steps.reading import ReadingView
from peerskole.ui.steps.scenario import ScenarioView
from peerskole.ui.widgets.content_notice import ContentNotice
from tests.conftest import SAMPLE_COURSE
from tests.ui.conftest import (
    SIZE,
    click,
    flush_writes,
    make_app,
    start_as_new_learner,
    stored,
    text,
    until,
    wait_for_workers,
)

NOTE = "en samtale om selvskade"


def noted_course(tmp_path: Path) -> Path:
    """The sample course with a content note on its scenario and on its reading."""
    course = tmp_path / "course"
    shutil.copytree(SAMPLE_COURSE, course)
    module = course / "modules" / "01-first.toml"
    source = module.read_text(encoding="utf-8")
    source = source.replace('title = "Maja på gangen"\n',
                            f'title = "Maja på gangen"\ncontent_note = "{NOTE}"\n', 1)
    source = source.replace('title = "Om at lytte"\n',
                            'title = "Om at lytte"\ncontent_note = "svære følelser"\n', 1)
    module.write_text(source, encoding="utf-8")
    return course


async def open_module(app: PeerskoleApp, step_id: str) -> ModuleScreen:
    assert app.session is not None
    module = app.session.course.module("first")
    screen = ModuleScreen(app.session, module, step_id)
    await app.push_screen(screen)
    return screen


def facts(app: PeerskoleApp, step_id: str) -> dict[str, object]:
    assert app.session is not None
    module = app.session.course.module("first")
    record = app.session.record(module, module.step(step_id))
    return dict(record.facts) if record else {}


async def test_a_noted_step_waits_for_start_and_start_is_remembered(
    tmp_path: Path, data_dir: Path
) -> None:
    app = make_app(data_dir, noted_course(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_module(app, "maja")
        await wait_for_workers(app, pilot)
        notice = screen.query_one(ContentNotice)
        shown = " ".join(text(w) for w in notice.query("Static"))
        assert NOTE in shown
        assert screen.view is None  # the scenario has not started
        assert not screen.query(ScenarioView)
        assert app.focused is notice.start_button

        await click(pilot, "#content-note-start")
        await until(pilot, lambda: isinstance(screen.view, ScenarioView), "the scenario")
        assert not screen.query(ContentNotice)
        assert facts(app, "maja") == {CONTENT_NOTE_STARTED: True}
        assert app.session is not None
        module = app.session.course.module("first")
        # Seeing the note is not doing the step.
        assert not app.session.done(module, module.step("maja"))
        await flush_writes(app)
        records = stored(data_dir).step_records(app.session.learner.id, "mini")
        maja = next(r for r in records if r.step_id == "maja")
        assert maja.facts == {CONTENT_NOTE_STARTED: True} and maja.completed_at is None

        # Away and back: the note is not asked again.
        await click(pilot, "#previous")
        await until(pilot, lambda: screen.current.id == "quiz" and screen.view is not None,
                    "the quiz")
        await click(pilot, "#next")
        await until(pilot, lambda: isinstance(screen.view, ScenarioView), "the scenario again")
        assert not screen.query(ContentNotice)


async def test_skip_goes_to_the_next_step_and_records_nothing(
    tmp_path: Path, data_dir: Path
) -> None:
    app = make_app(data_dir, noted_course(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_module(app, "maja")
        await wait_for_workers(app, pilot)
        await click(pilot, "#content-note-skip")
        await until(pilot, lambda: screen.current.id == "own-experience"
                    and screen.view is not None, "the next step")
        assert facts(app, "maja") == {}
        # Coming back, the note is shown again: the trainee has not chosen to start.
        await click(pilot, "#previous")
        await until(pilot, lambda: screen.current.id == "maja"
                    and bool(screen.query(ContentNotice)), "the note again")
        assert screen.view is None


async def test_the_started_fact_outlives_the_steps_own_facts(
    tmp_path: Path, data_dir: Path
) -> None:
    """A reading sends its facts whole when read: the note stays answered, and the
    reading is done because it was read."""
    app = make_app(data_dir, noted_course(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_module(app, "intro")
        await wait_for_workers(app, pilot)
        await click(pilot, "#content-note-start")
        await until(pilot, lambda: isinstance(screen.view, ReadingView), "the reading")
        await click(pilot, "#next")  # leaving a reading counts as reading it
        await until(pilot, lambda: screen.current.id == "quiz", "the quiz")
        assert facts(app, "intro") == {CONTENT_NOTE_STARTED: True, "read": True}
        await click(pilot, "#previous")
        await until(pilot, lambda: isinstance(screen.view, ReadingView), "the reading again")
        assert not screen.query(ContentNotice)


async def test_the_notice_speaks_english(tmp_path: Path, data_dir: Path) -> None:
    app = make_app(data_dir, noted_course(tmp_path), language="en")
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_module(app, "maja")
        await wait_for_workers(app, pilot)
        notice = screen.query_one(ContentNotice)
        shown = " ".join(text(w) for w in notice.query("Static"))
        assert "This step touches on: " + NOTE in shown
        assert "Skip" in str(screen.query_one("#content-note-skip", Button).label)


def test_the_rule_asks_once_and_never_counts_the_note_as_done() -> None:
    from peerskole.course.loader import load_course
    from peerskole.course.model import Scenario
    from peerskole.progress import content_note_pending, step_done, with_kept_facts
    from peerskole.store.base import StepRecord

    module = load_course(SAMPLE_COURSE).module("first")
    plain = module.step("maja")
    assert isinstance(plain, Scenario)
    noted = plain.model_copy(update={"content_note": NOTE})

    def record(**facts: object) -> StepRecord:
        return StepRecord("first", "maja", "1", dict(facts), None, None, 0)

    assert not content_note_pending(plain, None)
    assert content_note_pending(noted, None)
    assert content_note_pending(noted, record())
    started = record(**{CONTENT_NOTE_STARTED: True})
    assert not content_note_pending(noted, started)
    assert not step_done(noted, started)
    # Done before the note was written (an older course version): not asked about.
    assert not content_note_pending(noted, record(turns_answered=len(plain.turns)))
    # A view's facts keep the note's, and never invent it.
    assert with_kept_facts({"turns_answered": 1}, {CONTENT_NOTE_STARTED: True}) == {
        "turns_answered": 1, CONTENT_NOTE_STARTED: True}
    assert with_kept_facts({"turns_answered": 1}, {}) == {"turns_answered": 1}
