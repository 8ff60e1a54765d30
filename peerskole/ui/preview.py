"""``peerskole preview``: an instructor's view of a course while they edit it.

A throwaway learner in a temporary database works through the course; every
module opens, a locked one marked as preview. It can start at a given module and
step (``--module``, ``--step``). When a course file is saved, the course is checked
and reloaded, and the preview goes back to the step being edited, also after a save
that had problems was fixed. Problems are shown in the app, never as a crash.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Final

from textual import work

from peerskole.course.model import Course
from peerskole.errors import UserError
from peerskole.store.base import DATABASE_URL_VARIABLE, Learner, Position, Store
from peerskole.ui.app import PeerskoleApp

if TYPE_CHECKING:
    from peerskole.course.library import KnownCourse
    from peerskole.course.model import SupportContact
    from peerskole.session import Session

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


def start_position(course: Course, module_id: str | None, step_id: str | None) -> Position | None:
    """Where ``--module`` and ``--step`` ask the preview to start; None for the overview.

    ``--step`` alone finds the first module with that step; ``--module`` alone starts at
    the module's first step.

    Raises:
        UserError: naming what does not exist, and what does.
    """
    if module_id is None and step_id is None:
        return None
    if module_id is None:
        for module in course.modules:
            if any(step.id == step_id for step in module.steps):
                module_id = module.id
                break
        else:
            raise UserError(f'no module of this course has a step "{step_id}"; give --module '
                            "and a step id from its file")
    try:
        module = course.module(module_id)
    except KeyError:
        raise UserError(f'this course has no module "{module_id}"; its modules: '
                        + ", ".join(m.id for m in course.modules)) from None
    if step_id is None:
        return Position(module.id, module.steps[0].id)
    if not any(step.id == step_id for step in module.steps):
        raise UserError(f'module "{module.id}" has no step "{step_id}"; its steps: '
                        + ", ".join(s.id for s in module.steps))
    return Position(module.id, step_id)


class PreviewApp(PeerskoleApp):
    """The trainee app with a throwaway learner and live reloading.

    Args:
        course_dir: the course folder.
        data_dir: the throwaway learner's data folder.
        language: the UI's language (None: the default).
        start: the module and step to open first (None: the overview).
    """

    PREVIEW: ClassVar[bool] = True

    def __init__(self, course_dir: Path, data_dir: Path, language: str | None = None,
                 start: Position | None = None) -> None:
        super().__init__(course_dir, data_dir=data_dir, language=language)
        self.preview_dir = course_dir
        self.sub_title = str(course_dir)
        self._fingerprint = course_fingerprint(course_dir)
        self.reloads = 0
        self._start = start
        self._editing: Position | None = start
        """The step last shown: a reload returns to it, also after one that failed."""

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

    def _show_course(self, session: Session, position: object) -> None:
        # The throwaway learner has no saved position: it starts where --module and
        # --step say, once.
        if self._start is not None:
            position, self._start = self._start, None
        super()._show_course(session, position)

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
        editing = next((s for s in reversed(self.screen_stack) if isinstance(s, ModuleScreen)),
                       None)
        if editing is not None:
            self._editing = Position(editing.module.id, editing.current.id)
        elif not isinstance(self.screen, CourseErrorScreen):
            self._editing = None  # back on the overview: a reload stays there
        position = self._editing
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


def run_preview(course_dir: Path, language: str | None, start: Position | None = None) -> None:
    """Run the preview; its database is deleted when it closes."""
    # The throwaway learner lives in a temporary SQLite file, never in a shared
    # PostgreSQL database that PEERSKOLE_DATABASE_URL (or --database-url) names.
    os.environ.pop(DATABASE_URL_VARIABLE, None)
    with tempfile.TemporaryDirectory(prefix="peerskole-preview-") as data:
        PreviewApp(course_dir, Path(data), language, start).run()
