"""peerskole preview: reloads on save, and shows problems in the app."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from peerskole.ui.preview import PreviewApp
from peerskole.ui.screens.course_error import CourseErrorScreen
from peerskole.ui.screens.overview import OverviewScreen
from tests.conftest import SAMPLE_COURSE
from tests.ui.conftest import SIZE, wait_for_workers


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
