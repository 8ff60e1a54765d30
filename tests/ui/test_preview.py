"""peerskole preview: reloads on save, and shows problems in the app."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Markdown, Static

from peerskole.cli import main
from peerskole.course.loader import load_course
from peerskole.errors import UserError
from peerskole.store.base import Position
from peerskole.ui.preview import PreviewApp, start_position
from peerskole.ui.screens.course_error import CourseErrorScreen
from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.screens.overview import OverviewScreen
from peerskole.ui.widgets.module_card import ModuleCard
from tests.conftest import SAMPLE_COURSE
from tests.ui.conftest import SIZE, make_app, start_as_new_learner, wait_for_workers


async def wait_for_reload(app: PreviewApp, pilot: Pilot[None], before: int) -> None:
    for _ in range(40):
        await pilot.pause(0.1)
        if app.reloads > before:
            break
    await wait_for_workers(app, pilot)


async def test_preview_reloads_and_shows_problems(tmp_path: Path) -> None:
    course = tmp_path / "kursus"
    shutil.copytree(SAMPLE_COURSE, course)
    module = course / "modules" / "02-second.toml"
    app = PreviewApp(course, tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert app.session is not None and app.session.learner.display_name == "Forhåndsvisning"

        module.write_text(module.read_text().replace("Andet modul", "Nyt navn"))
        await wait_for_reload(app, pilot, 0)
        assert isinstance(app.screen, OverviewScreen)
        titles = [str(s.render()) for s in app.screen.query(".card-title")]
        assert any("Nyt navn" in title for title in titles)

        module.write_text(module.read_text().replace("minutes = 10", "minutes = -1"))
        await wait_for_reload(app, pilot, 1)
        assert isinstance(app.screen, CourseErrorScreen)
        problems = str(app.screen.query_one("#problems", Static).render())
        assert "02-second.toml:4:1: minutes: must be at least 1, found -1" in problems

        module.write_text(module.read_text().replace("minutes = -1", "minutes = 10"))
        await wait_for_reload(app, pilot, 2)
        assert isinstance(app.screen, OverviewScreen)


async def wait_for_module_screen(app: PreviewApp, pilot: Pilot[None]) -> ModuleScreen:
    for _ in range(50):
        await wait_for_workers(app, pilot)
        screen = app.screen
        if isinstance(screen, ModuleScreen) and screen.view is not None:
            return screen
        await pilot.pause(0.05)
    raise AssertionError(f"no module screen, but {app.screen!r}")


async def test_preview_opens_a_locked_module_marked_as_preview(tmp_path: Path) -> None:
    app = PreviewApp(SAMPLE_COURSE, tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, OverviewScreen)
        card = app.screen.query_one("#module-second", ModuleCard)
        assert not card.has_class("locked")
        assert str(card.query_one(".card-preview", Static).render()) == (
            "Forhåndsvisning – låst for deltagere, indtil de har gennemført: Første modul"
        )
        card.focus()
        await pilot.press("enter")
        screen = await wait_for_module_screen(app, pilot)
        assert screen.module.id == "second" and screen.current.id == "read"
        assert str(screen.query_one("#preview-mark", Static).render()) == (
            "Forhåndsvisning: deltagere kan først åbne modulet, når de har gennemført: "
            "Første modul"
        )


async def test_a_trainee_still_finds_the_module_locked(tmp_path: Path) -> None:
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        card = app.screen.query_one("#module-second", ModuleCard)
        assert card.has_class("locked") and not card.query(".card-preview")


async def test_preview_starts_at_a_module_and_step(tmp_path: Path) -> None:
    course = load_course(SAMPLE_COURSE)
    start = start_position(course, "first", "maja")
    app = PreviewApp(SAMPLE_COURSE, tmp_path / "data", start=start)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_for_module_screen(app, pilot)
        assert (screen.module.id, screen.current.id) == ("first", "maja")
    assert start_position(course, None, "read") == Position("second", "read")
    assert start_position(course, "second", None) == Position("second", "read")
    with pytest.raises(UserError, match='this course has no module "third"; its modules: '
                       "first, second"):
        start_position(course, "third", None)
    with pytest.raises(UserError, match='module "second" has no step "maja"; its steps: read'):
        start_position(course, "second", "maja")


def test_preview_refuses_a_module_the_course_does_not_have(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["preview", str(SAMPLE_COURSE), "--module", "tredje"]) == 2
    assert capsys.readouterr().err == (
        'peerskole: this course has no module "tredje"; its modules: first, second\n'
    )


async def test_a_reload_returns_to_the_step_being_edited(tmp_path: Path) -> None:
    course = tmp_path / "kursus"
    shutil.copytree(SAMPLE_COURSE, course)
    module = course / "modules" / "02-second.toml"
    app = PreviewApp(course, tmp_path / "data", start=Position("second", "read"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_module_screen(app, pilot)
        module.write_text(module.read_text().replace('text = "Tekst."', 'text = "Ny tekst."'))
        await wait_for_reload(app, pilot, 0)
        screen = await wait_for_module_screen(app, pilot)
        assert (screen.module.id, screen.current.id) == ("second", "read")
        assert "Ny tekst." in screen.query_one("#step-host Markdown", Markdown).source

        # A save with a problem shows it; the save that fixes it returns to the step.
        module.write_text(module.read_text().replace("minutes = 10", "minutes = -1"))
        await wait_for_reload(app, pilot, 1)
        assert isinstance(app.screen, CourseErrorScreen)
        module.write_text(module.read_text().replace("minutes = -1", "minutes = 10"))
        await wait_for_reload(app, pilot, 2)
        screen = await wait_for_module_screen(app, pilot)
        assert (screen.module.id, screen.current.id) == ("second", "read")
