"""How the main screens look, as SVG snapshots on the sample course.

Update after an intended change with: pytest tests/ui/test_snapshots.py --snapshot-update
and look at the report before committing the new SVGs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from peerskole.store.base import Position, StepUpdate
from peerskole.store.sqlite import SQLiteStore
from peerskole.ui.app import PeerskoleApp
from tests.conftest import BROKEN_COURSES
from tests.ui.conftest import learner_ids, make_app, wait_for_workers


class SnapCompare(Protocol):
    """The `snap_compare` fixture's function, typed here: pytest-textual-snapshot ships no types."""

    def __call__(
        self,
        app: App[Any],
        press: Iterable[str] = (),
        terminal_size: tuple[int, int] = (80, 24),
        run_before: Callable[[Pilot[None]], Awaitable[None] | None] | None = None,
    ) -> bool: ...


@pytest.fixture(autouse=True)
def fixed_learner_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Anne and Bo always get the same ids, so the quiz and scenario show the same order."""
    learner_ids(monkeypatch, "a00000000001", "b00000000002")


def seeded(data_dir: Path, position: Position | None = None) -> None:
    """Two learners; Anne (first in the list) has opened the first reading."""
    store = SQLiteStore(data_dir / "peerskole.sqlite3")
    ase = store.add_learner("Anne Ærø", "hold-1")
    store.add_learner("Bo")
    store.update_step(ase.id, "mini", "1.0", "first", "intro", StepUpdate(facts={"opened": True}))
    if position:
        store.set_position(ase.id, "mini", position)
    store.close()


async def settle(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, PeerskoleApp)
    await wait_for_workers(app, pilot)
    for field in app.screen.query(Input):
        field.cursor_blink = False  # a blinking cursor would make the picture flicker
    await pilot.pause()


async def choose_first_learner(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def test_learner_screen_empty(snap_compare: SnapCompare, data_dir: Path) -> None:
    assert snap_compare(make_app(data_dir), run_before=settle)


def test_learner_screen_with_profiles(snap_compare: SnapCompare, data_dir: Path) -> None:
    seeded(data_dir)
    assert snap_compare(make_app(data_dir), run_before=settle)


def test_overview(snap_compare: SnapCompare, data_dir: Path) -> None:
    seeded(data_dir)
    assert snap_compare(make_app(data_dir), run_before=choose_first_learner)


def test_overview_in_english_high_contrast(snap_compare: SnapCompare, data_dir: Path) -> None:
    seeded(data_dir)

    async def run_before(pilot: Pilot[None]) -> None:
        await choose_first_learner(pilot)
        await pilot.press("f3")
        await settle(pilot)

    assert snap_compare(make_app(data_dir, language="en"), run_before=run_before)


def test_module_at_a_reading(snap_compare: SnapCompare, data_dir: Path) -> None:
    seeded(data_dir, Position("first", "intro"))
    assert snap_compare(make_app(data_dir), run_before=choose_first_learner)


def test_support_dialog(snap_compare: SnapCompare, data_dir: Path) -> None:
    seeded(data_dir)

    async def run_before(pilot: Pilot[None]) -> None:
        await choose_first_learner(pilot)
        await pilot.press("f2")
        await settle(pilot)

    assert snap_compare(make_app(data_dir), run_before=run_before)


def test_help(snap_compare: SnapCompare, data_dir: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)

    assert snap_compare(make_app(data_dir), run_before=run_before)


def test_course_with_errors(
    snap_compare: SnapCompare, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A relative course path, so the picture is the same wherever the repository is.
    monkeypatch.chdir(BROKEN_COURSES)
    app = make_app(data_dir, course=Path("misspelt-key"))
    assert snap_compare(app, run_before=settle, terminal_size=(100, 24))


# --- the step views --------------------------------------------------------------------------


async def click(pilot: Pilot[None], selector: str) -> None:
    target = pilot.app.screen.query_one(selector)
    target.scroll_visible(animate=False)
    await pilot.pause()
    await pilot.click(target)
    await settle(pilot)


def test_quiz_with_feedback(snap_compare: SnapCompare, data_dir: Path) -> None:
    """One answer right, one partly right: verdicts in symbols and words, and the score."""
    seeded(data_dir, Position("first", "quiz"))

    async def run_before(pilot: Pilot[None]) -> None:
        await choose_first_learner(pilot)
        await click(pilot, "#option-0-0")  # the right one, wherever Anne's order shows it
        await click(pilot, "#option-1-0")
        await click(pilot, "#quiz-submit")
        pilot.app.screen.query_one("#step-pane").scroll_home(animate=False)
        await settle(pilot)

    assert snap_compare(make_app(data_dir), run_before=run_before)


def test_scenario_after_a_choice(snap_compare: SnapCompare, data_dir: Path) -> None:
    seeded(data_dir, Position("first", "maja"))

    async def run_before(pilot: Pilot[None]) -> None:
        await choose_first_learner(pilot)
        await click(pilot, "#responses #response-0")
        await click(pilot, "#scenario-choose")

    assert snap_compare(make_app(data_dir), run_before=run_before)


def test_reflection_at_80x24(snap_compare: SnapCompare, data_dir: Path) -> None:
    seeded(data_dir, Position("first", "own-experience"))

    async def run_before(pilot: Pilot[None]) -> None:
        await choose_first_learner(pilot)
        await click(pilot, "#reflection-text")
        await pilot.press(*"Da min ven lyttede")
        await settle(pilot)

    assert snap_compare(make_app(data_dir), run_before=run_before, terminal_size=(80, 24))


def test_self_assessment_before_and_after(snap_compare: SnapCompare, data_dir: Path) -> None:
    seeded(data_dir, Position("first", "before-after"))
    store = SQLiteStore(data_dir / "peerskole.sqlite3")
    anne = store.learners()[0]
    done: dict[str, dict[str, object]] = {
        "before-after": {"before": [2, 4]},
        "quiz": {"score": 100.0, "attempts": 1},
        "maja": {"turns_answered": 1},
        "own-experience": {"words": 5},
        "practice-talk": {"entries": 1},
    }
    for step, facts in done.items():
        store.update_step(anne.id, "mini", "1.0", "first", step, StepUpdate(facts=facts))
    store.close()

    async def run_before(pilot: Pilot[None]) -> None:
        await choose_first_learner(pilot)
        await pilot.press("5", "tab", "4")
        await click(pilot, "#assessment-save")

    assert snap_compare(make_app(data_dir), run_before=run_before)


def test_practice_log(snap_compare: SnapCompare, data_dir: Path) -> None:
    seeded(data_dir, Position("first", "practice-talk"))

    async def run_before(pilot: Pilot[None]) -> None:
        await choose_first_learner(pilot)
        for field in pilot.app.screen.query(Input):
            if field.id == "field-date":
                field.value = "2026-11-20"  # today's date would change the picture daily

    assert snap_compare(make_app(data_dir), run_before=run_before)
