"""``peerskole instructor``: the app an instructor follows a hold with."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType

from peerskole.i18n import Translator
from peerskole.safe_text import visible
from peerskole.ui.textual_compat import keep_no_break_spaces
from peerskole.ui.themes import CALM, HIGH_CONTRAST
from peerskole.ui.translate import translate_bindings

if TYPE_CHECKING:
    from peerskole.course.model import Course
    from peerskole.dialogue import InstructorThread
    from peerskole.export.cohort import CohortLine, ModuleLine
    from peerskole.export.outcome_chart import OutcomeChart
    from peerskole.export.register import PlannedSession, RegisterLine
    from peerskole.instructors import InboxItem, InstructorKey
    from peerskole.store.base import AttendanceMark, AttendanceStatus, ClassSession, Store


class InstructorApp(App[None]):
    """The instructor signs in, then follows a cohort and answers shared reflections.

    Args:
        store: the open store (the command opens it and closes it after).
        courses: the courses to follow; the first is shown first.
        language: "da" or "en".
        key: an instructor already signed in (tests); None asks who is there first.
    """

    CSS_PATH = Path(__file__).parent.parent / "app.tcss"
    TITLE = "peerskole"
    ENABLE_COMMAND_PALETTE = False  # every action has its key in the footer
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "key.quit", tooltip="tip.quit_instructor", priority=True),
        Binding("f3", "toggle_contrast", "key.theme", tooltip="tip.theme", show=False),
    ]

    def __init__(self, store: Store, courses: Sequence[Course], language: str = "da",
                 key: InstructorKey | None = None) -> None:
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
        self.key = key

    def on_mount(self) -> None:
        if self.key is not None:
            self.signed_in(self.key)
            return
        from peerskole.ui.instructor.sign_in import InstructorSignIn

        self.push_screen(InstructorSignIn())

    def signed_in(self, key: InstructorKey) -> None:
        """Open the cohort view for the instructor who signed in."""
        from peerskole.ui.instructor.cohort import CohortScreen

        self.key = key
        self.sub_title = visible(key.instructor.name, "?")
        self.hand_on_dialogues()
        if len(self.screen_stack) > 1:
            self.switch_screen(CohortScreen())
        else:
            self.push_screen(CohortScreen())

    @work(thread=True, exclusive=True, group="hand-on")
    def hand_on_dialogues(self) -> None:
        """Seal earlier dialogues to instructors added since (a substitute can read them)."""
        from peerskole.dialogue import share_with_newer_instructors
        from peerskole.store.base import StoreError

        if self.key is not None:
            try:
                share_with_newer_instructors(self.store, self.key)
            except StoreError:
                pass  # tried again at the next sign-in; nothing is lost meanwhile

    def on_unmount(self) -> None:
        if self.key is not None:
            self.key.forget()  # the private key leaves memory with the app

    async def action_quit(self) -> None:
        """Quit once every register entry typed has been saved (none is left behind)."""
        from peerskole.ui.instructor.register import RegisterScreen

        for screen in self.screen_stack:
            if isinstance(screen, RegisterScreen):
                await screen.pending.join()
        self.exit()

    def action_toggle_contrast(self) -> None:
        self.theme = HIGH_CONTRAST.name if self.theme == CALM.name else CALM.name

    def course(self, course_id: str) -> Course:
        return next((c for c in self.courses if c.id == course_id), self.courses[0])

    # Read in worker threads (the store is safe to share between threads).

    def read_cohort(
        self, cohort: str | None, course_id: str
    ) -> tuple[list[tuple[str, int]], list[CohortLine]]:
        """The store's cohorts, and the lines of the cohort (None: every learner)."""
        from peerskole.export.cohort import read_cohort_lines

        cohorts = self.store.cohorts()
        return cohorts, read_cohort_lines(self.store, [self.course(course_id)], cohort,
                                          stalled_after=self.stalled_after)

    def read_outcome(self, cohort: str | None, course_id: str) -> OutcomeChart:
        """The outcome chart of the cohort (None: the whole course)."""
        from peerskole.export.outcome_chart import chart_of
        from peerskole.export.outcomes import outcome_groups
        from peerskole.export.records import learner_reports

        course = self.course(course_id)
        groups = outcome_groups(learner_reports(self.store, [course], cohort), course, cohort)
        return chart_of(groups[0], course)

    def signed_key(self) -> InstructorKey:
        if self.key is None:
            raise RuntimeError("the instructor's view was used before signing in")
        return self.key

    def step_title(self, course_id: str, module_id: str, step_id: str) -> str:
        """"Module: step" for a reflection (kept under its former ids after a rename, it
        is named by the step it now belongs to), or its ids when the course no longer
        has it."""
        from peerskole.progress import Renames

        course = next((c for c in self.courses if c.id == course_id), None)
        try:
            assert course is not None
            module_id, step_id = Renames(course).key(module_id, step_id)
            module = course.module(module_id)
            step = next(s for s in module.steps if s.id == step_id)
        except (AssertionError, KeyError, StopIteration):
            return f"{course_id}/{module_id}/{step_id}"
        return f"{module.title}: {step.title}"

    def read_inbox(self, cohort: str | None) -> list[InboxItem]:
        from peerskole.instructors import inbox

        return inbox(self.store, self.signed_key(), cohort)

    def read_thread(self, item: InboxItem) -> InstructorThread:
        from peerskole.dialogue import for_instructor

        return for_instructor(self.store, self.signed_key(), item.learner_id, item.course_id,
                              item.module_id, item.step_id)

    def send_reply(self, item: InboxItem, text: str) -> None:
        from peerskole.dialogue import reply

        reply(self.store, self.signed_key(), item.learner_id, item.course_id, item.module_id,
              item.step_id, text)

    def read_modules(self, learner_id: str, course_id: str) -> list[ModuleLine]:
        from peerskole.export.cohort import learner_module_lines

        return learner_module_lines(self.store, self.course(course_id), learner_id)

    def read_sessions(self, cohort: str | None, course_id: str) -> list[PlannedSession]:
        """The cohort's planned sessions of the course (None: every cohort's)."""
        from peerskole.export.register import planned_sessions

        return planned_sessions(self.store, cohort, course_id)

    def read_register(self, session_id: int) -> tuple[ClassSession, list[RegisterLine]]:
        """A session and the latest entry of each learner of its cohort."""
        from peerskole.export.register import session_register

        return session_register(self.store, session_id)

    def recorded_by(self) -> str:
        """Who a register entry is recorded by: the instructor signed in."""
        return self.signed_key().instructor.name

    def mark_attendance(self, session_id: int, learner_id: str, status: AttendanceStatus,
                        minutes_missed: int) -> AttendanceMark:
        """Add a register entry by the register rule (raises RegisterRefused when refused)."""
        from peerskole.export.register import mark_attendance

        return mark_attendance(self.store, session_id, learner_id, status, minutes_missed,
                               self.recorded_by())
