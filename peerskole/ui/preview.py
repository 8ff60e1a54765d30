"""``peerskole preview``: an instructor's view of a course while they edit it.

A throwaway learner in a temporary database works through the course; when a
course file is saved, the course is checked and reloaded, and the preview goes
back to the step it showed. Problems are shown in the app, never as a crash.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Final

from textual import work

from peerskole.course.model import Course
from peerskole.store.base import DATABASE_URL_VARIABLE, Learner, Position, Store
from peerskole.ui.app import PeerskoleApp

if TYPE_CHECKING:
    from peerskole.course.library import KnownCourse
    from peerskole.course.model import SupportContact

POLL_SECONDS: Final = 0.5
"""How often the course files are checked for changes; a stat per file, cheap."""
PREVIEW_LEARNER: Final = "Forhåndsvisning"
"""Display name of the throwaway learner."""


def course_fingerprint(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, modification time and size of every course file: changes on every save."""
    files = [folder / "course.toml", *sorted((folder / "modules").glob("*.toml"))]
    found = []
    for path in files:
        try:
            info = path.stat()
        except OSError:
            continue
        found.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(found)


class PreviewApp(PeerskoleApp):
    """The trainee app with a throwaway learner and live reloading."""

    def __init__(self, course_dir: Path, data_dir: Path, language: str | None = None) -> None:
        super().__init__(course_dir, data_dir=data_dir, language=language)
        self.preview_dir = course_dir
        self.sub_title = str(course_dir)
        self._fingerprint = course_fingerprint(course_dir)
        self.reloads = 0

    def on_mount(self) -> None:
        # Textual calls PeerskoleApp.on_mount too (handlers run for every class in
        # the MRO); calling it here as well would start everything twice.
        self.set_interval(POLL_SECONDS, self._check_for_changes)

    def _course_loaded(
        self, course: Course | None, problems: list[object],
        choices: list[tuple[KnownCourse, str]], contacts: list[SupportContact],
    ) -> None:
        super()._course_loaded(course, problems, choices, contacts)
        if course is not None and self.session is None:
            self.start_preview_learner()

    def _store_opened(
        self, store: Store, language: str | None, theme: str | None, learners: list[Learner]
    ) -> None:
        super()._store_opened(store, language, theme, learners)
        if self.course is not None and self.session is None:
            self.start_preview_learner()

    @work(thread=True, exclusive=True, group="preview")
    def start_preview_learner(self) -> None:
        if self.store is None:
            return  # the store is still opening; _store_opened starts the learner
        learner = self.store.add_learner(PREVIEW_LEARNER)
        self.call_from_thread(self.start_session, learner)

    def _check_for_changes(self) -> None:
        fingerprint = course_fingerprint(self.preview_dir)
        if fingerprint != self._fingerprint:
            self._fingerprint = fingerprint
            self.reload_course()

    @work(thread=True, exclusive=True, group="preview")
    def reload_course(self) -> None:
        from peerskole.course.loader import check_course

        course, problems = check_course(self.preview_dir)
        self.call_from_thread(self._show_reloaded, course, [str(p) for p in problems])

    def _show_reloaded(self, course: Course | None, problems: list[str]) -> None:
        from peerskole.ui.screens.course_error import CourseErrorScreen
        from peerskole.ui.screens.module import ModuleScreen

        self.reloads += 1
        position = None
        if isinstance(self.screen, ModuleScreen):
            position = Position(self.screen.module.id, self.screen.current.id)
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if course is None:
            self.switch_screen(CourseErrorScreen(problems, "error.course_intro_preview"))
            return
        self.course = course
        if self.session is None:
            self.start_preview_learner()
            return
        self.session.course = course
        self._show_course(self.session, position)


def run_preview(course_dir: Path, language: str | None) -> None:
    """Run the preview; its database is deleted when it closes."""
    # The throwaway learner lives in a temporary SQLite file, never in a shared
    # PostgreSQL database that PEERSKOLE_DATABASE_URL (or --database-url) names.
    os.environ.pop(DATABASE_URL_VARIABLE, None)
    with tempfile.TemporaryDirectory(prefix="peerskole-preview-") as data:
        PreviewApp(course_dir, Path(data), language).run()
