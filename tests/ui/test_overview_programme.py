"""The overview shows a trainee their classroom hours and approved praktik, and what
remains, as the completion rule counts them (a course whose course.toml has a programme)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from peerskole.store.base import AttendanceMark, ClassSession, StepUpdate
from peerskole.store.sqlite import SQLiteStore
from peerskole.ui.screens.overview import OverviewScreen
from tests.conftest import SAMPLE_COURSE
from tests.core.test_classroom_rule import DONE_FACTS
from tests.ui.conftest import SIZE, make_app, wait_for_workers

PROGRAMME = "\n[programme]\nclassroom_hours = 6\nmin_attendance_percent = 50\npraktik_hours = 2\n"
"""Half of the hours held to attend (of nine hours planned: 4 h 30 min), and two hours of
praktik to be approved."""


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "courses" / "mini"
    shutil.copytree(SAMPLE_COURSE, folder)
    with (folder / "course.toml").open("a", encoding="utf-8") as manifest:
        manifest.write(PROGRAMME)
    return folder


def seed(data_dir: Path, *, modules_done: bool) -> None:
    """Anne of hold-1: three 3-hour sessions (two held, one to come), present at the first,
    absent from the second."""
    store = SQLiteStore(data_dir / "peerskole.sqlite3")
    anne = store.add_learner("Anne", "hold-1")
    if modules_done:
        for (module_id, step_id), facts in DONE_FACTS.items():
            store.update_step(anne.id, "mini", "1.0", module_id, step_id,
                              StepUpdate(facts=facts, done=True))
    today = dt.date.today()
    first, second, _ = store.add_class_sessions([
        ClassSession("hold-1", "mini", (today + dt.timedelta(days=d)).isoformat(), "09:00",
                     180, f"Undervisning {n}", "", "koordinator", "2026-01-05T09:00:00+00:00")
        for n, d in enumerate((-8, -5, 2), start=1)])
    store.record_attendance([
        AttendanceMark(first.id, anne.id, "present", 0, "koordinator", "2026-01-06T09:00:00Z"),
        AttendanceMark(second.id, anne.id, "absent", 0, "koordinator", "2026-01-06T09:00:00Z"),
    ])
    store.close()


def said(screen: OverviewScreen, selector: str) -> str:
    return str(screen.query_one(selector).render())


@pytest.mark.parametrize("language", ["da", "en"])
async def test_the_overview_says_the_hours_attended_and_what_remains(
    data_dir: Path, course_dir: Path, language: str
) -> None:
    seed(data_dir, modules_done=True)
    app = make_app(data_dir, course_dir, language=language)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("enter")  # the one learner
        await wait_for_workers(app, pilot)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        if language == "da":
            assert said(screen, "#classroom-hours") == (
                "Undervisning: 3\u00a0t. af 4\u00a0t. 30\u00a0min. fremmøde – "
                "1\u00a0t. 30\u00a0min. tilbage.")
            assert said(screen, "#praktik-hours") == (
                "Godkendt praktik: 0\u00a0t. af 2\u00a0t. – 2\u00a0t. tilbage.")
            assert said(screen, "#time-left").startswith("Du har gennemført alle moduler.")
        else:
            assert said(screen, "#classroom-hours") == (
                "Classroom: 3\u00a0h of 4\u00a0h 30\u00a0min attended – 1\u00a0h 30\u00a0min "
                "to go.")
            assert said(screen, "#praktik-hours") == (
                "Approved praktik: 0\u00a0h of 2\u00a0h – 2\u00a0h to go.")
            assert said(screen, "#time-left").startswith("You have completed every module.")
        # Every module done, the programme not met: the course is not said to be complete.
        assert app.session is not None and not app.session.status().complete


async def test_a_course_without_a_programme_shows_no_hours(data_dir: Path) -> None:
    seed(data_dir, modules_done=False)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        assert not screen.query("#classroom-hours") and not screen.query("#praktik-hours")
        assert said(screen, "#time-left").startswith("Anslået tid tilbage")
