"""``peerskole instructor``: the app an instructor follows a hold with."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from peerskole.i18n import Translator
from peerskole.ui.textual_compat import keep_no_break_spaces
from peerskole.ui.themes import CALM, HIGH_CONTRAST
from peerskole.ui.translate import translate_bindings

if TYPE_CHECKING:
    from peerskole.course.model import Course
    from peerskole.export.cohort import CohortLine, ModuleLine
    from peerskole.export.outcome_chart import OutcomeChart
    from peerskole.store.base import Store


class InstructorApp(App[None]):
    """A cohort view over an open store: who is where, who has stalled.

    Args:
        store: the open store (the command opens it and closes it after).
        courses: the courses to follow; the first is shown first.
        language: "da" or "en".
    """

    CSS_PATH = Path(__file__).parent.parent / "app.tcss"
    TITLE = "peerskole"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "key.quit", tooltip="tip.quit_instructor", priority=True),
        Binding("f3", "toggle_contrast", "key.theme", tooltip="tip.theme", show=False),
    ]

    def __init__(self, store: Store, courses: Sequence[Course], language: str = "da") -> None:
        super().__init__()
        if not courses:
            raise ValueError("the instructor's view needs at least one course")
        keep_no_break_spaces()
        self.store = store
        self.courses = list(courses)
        self.t = Translator(language)
        self.register_theme(CALM)
        self.register_theme(HIGH_CONTRAST)
        self.theme = CALM.name
        translate_bindings(self, self.t)
        from peerskole.export.cohort import stalled_after

        self.stalled_after = stalled_after(store)
        self.sub_title = self.t("instructor.title")

    def on_mount(self) -> None:
        from peerskole.ui.instructor.cohort import CohortScreen

        self.push_screen(CohortScreen())

    def action_toggle_contrast(self) -> None:
        self.theme = HIGH_CONTRAST.name if self.theme == CALM.name else CALM.name

    def course(self, course_id: str) -> Course:
        return next((c for c in self.courses if c.id == course_id), self.courses[0])

    # Read in worker threads (the store is safe to share between threads).

    def read_cohort(
        self, cohort: str | None, course_id: str
    ) -> tuple[list[tuple[str, int]], list[CohortLine]]:
        """The store's cohorts, and the lines of the cohort (None: every learner)."""
        from peerskole.export.cohort import cohort_lines
        from peerskole.export.records import learner_reports

        cohorts = self.store.cohorts()
        reports = learner_reports(self.store, [self.course(course_id)], cohort)
        return cohorts, list(cohort_lines(reports, stalled_after=self.stalled_after))

    def read_outcome(self, cohort: str | None, course_id: str) -> OutcomeChart:
        """The outcome chart of the cohort (None: the whole course)."""
        from peerskole.export.outcome_chart import chart_of
        from peerskole.export.outcomes import outcome_groups
        from peerskole.export.records import learner_reports

        course = self.course(course_id)
        groups = outcome_groups(learner_reports(self.store, [course], cohort), course, cohort)
        return chart_of(groups[0], course)

    def read_modules(self, learner_id: str, course_id: str) -> list[ModuleLine]:
        from peerskole.export.cohort import learner_module_lines

        return learner_module_lines(self.store, self.course(course_id), learner_id)
