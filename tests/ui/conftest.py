"""Drive the real app with Pilot on the sample course and a real SQLite store."""

from __future__ import annotations

import time
import types
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import OptionList

from peerskole.course.model import Course
from peerskole.store.base import ManualCompletion
from peerskole.store.sqlite import SQLiteStore
from peerskole.ui.app import PeerskoleApp
from peerskole.ui.screens.module import ModuleScreen
from tests.conftest import SAMPLE_COURSE

SIZE = (100, 32)


def make_app(
    data_dir: Path, course: Path = SAMPLE_COURSE, language: str | None = None
) -> PeerskoleApp:
    return PeerskoleApp(course, data_dir=data_dir, language=language)


async def wait_for_workers(app: PeerskoleApp, pilot: Pilot[None]) -> None:
    """Let start-up and load workers finish and the screen settle.

    The write queue's worker runs for the app's whole life, so it is left out;
    use flush_writes to wait for writes.
    """
    for _ in range(500):  # the store opens in a thread; the course loads after a frame
        if not app.starting:
            break
        await pilot.pause(0.01)
    for _ in range(3):  # a finished worker may have started the next one
        await pilot.pause()
        for worker in list(app.workers):
            if worker.group != "writes":
                await worker.wait()
    await pilot.pause()


async def until(
    pilot: Pilot[None], condition: Callable[[], object], what: str, timeout: float = 10.0
) -> None:
    """Let the app run until condition() holds; fail saying what never happened.

    For what takes time (an autosave, a retried write): waiting on the state it leads
    to, not for a fixed while that a busy machine may need more than. A widget the
    condition looks for and the screen has not composed yet is "not yet".
    """
    from textual.css.query import NoMatches

    def holds() -> bool:
        try:
            return bool(condition())
        except NoMatches:
            return False

    deadline = time.monotonic() + timeout
    while not holds():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


async def flush_writes(app: PeerskoleApp) -> None:
    """Wait until every queued write has reached the database."""
    assert app.writes is not None
    assert app.writes.flush(timeout=5)


async def start_as_new_learner(app: PeerskoleApp, pilot: Pilot[None], name: str = "Åse") -> None:
    """From the first screen, create a learner and arrive at the overview."""
    from peerskole.ui.screens.overview import OverviewScreen

    await wait_for_workers(app, pilot)
    await pilot.click("#name")
    await pilot.press(*name)
    await pilot.click("#create")
    await wait_for_workers(app, pilot)
    assert isinstance(app.screen, OverviewScreen)


async def open_step(
    app: PeerskoleApp, pilot: Pilot[None], module_id: str, step_id: str
) -> ModuleScreen:
    """Open a module at a given step, as resuming would, and wait for the step view.

    A step with a content note opens on the note: Start is pressed, as a trainee who
    goes on would.
    """
    assert app.session is not None
    module = app.session.course.module(module_id)
    screen = ModuleScreen(app.session, module, step_id)
    await app.push_screen(screen)
    await wait_for_workers(app, pilot)
    if screen.view is None and screen.query("#content-note-start"):
        await click(pilot, "#content-note-start")
    assert screen.view is not None and screen.view.data.step.id == step_id
    return screen


def learner_ids(monkeypatch: pytest.MonkeyPatch, *ids: str) -> None:
    """Make the store give new learners these ids (12 hex digits), in turn.

    The store draws ids at random, and each learner sees quiz options and scenario
    responses in an order of their own: a test that shows or checks an order fixes it.
    """
    queue: Iterator[str] = iter(ids)

    def uuid4() -> uuid.UUID:
        return uuid.UUID(hex=next(queue).ljust(32, "0"))

    monkeypatch.setattr("peerskole.store.sql.uuid", types.SimpleNamespace(uuid4=uuid4))


def stored(data_dir: Path) -> SQLiteStore:
    """A second connection to the app's database, to assert what really was written."""
    return SQLiteStore(data_dir / "peerskole.sqlite3")


def learner_past_requirements(data_dir: Path, course: Course, module_id: str) -> str:
    """A learner "Åse" for whom a coordinator recorded the modules the module requires
    (done in class), so it opens unlocked. The learner's id."""
    store = stored(data_dir)
    try:
        learner = store.add_learner("Åse", "hold-1").id
        store.add_manual_completions([ManualCompletion(
            learner, course.id, required, "2026-11-02",
            "Gennemført på holdet", "koordinator", "2026-11-02T12:00:00+00:00",
        ) for required in course.module(module_id).requires])
    finally:
        store.close()
    return learner


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
async def app_at_overview(data_dir: Path) -> AsyncIterator[tuple[PeerskoleApp, Pilot[None]]]:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        yield app, pilot


# --- what a trainee sees and does, shared by the step tests ------------------------------------


def text(widget: Widget) -> str:
    """What a widget draws, as plain text."""
    return str(widget.render())


def step_label(screen: ModuleScreen, step_id: str) -> str:
    """A step's entry in the module's step list."""
    steps = screen.query_one("#steps", OptionList)
    index = next(i for i, s in enumerate(screen.module.steps) if s.id == step_id)
    return str(steps.get_option_at_index(index).prompt)


def in_view(screen: ModuleScreen, selector: str) -> bool:
    """Whether the top of a widget is inside the visible part of the step pane."""
    top = screen.query_one(selector).region.y
    pane = screen.query_one("#step-pane").region
    return pane.y <= top < pane.bottom


async def click(pilot: Pilot[None], target: Widget | str) -> None:
    """Click a widget as a trainee would, scrolling to it first, and let the app settle."""
    app = pilot.app
    assert isinstance(app, PeerskoleApp)
    widget = app.screen.query_one(target) if isinstance(target, str) else target
    # Mounted is not placed: a click on a widget not laid out yet lands on nothing.
    await until(pilot, lambda: widget.region.area > 0, f"{target} to be laid out")
    widget.scroll_visible(animate=False)
    await pilot.pause()
    await pilot.click(widget)
    await wait_for_workers(app, pilot)
