"""Shown instead of a crash when the course files have errors."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from peerskole.safe_text import visible
from peerskole.ui.access import peerskole_app


class CourseErrorScreen(Screen[None]):
    """Every problem in the course, as the validator prints them."""

    DEFAULT_CSS = """
    #course-error {
        padding: 1 2;
    }
    #problems {
        margin: 1 0;
    }
    """

    def __init__(self, problems: list[str], intro: str = "error.course_intro") -> None:
        """
        Args:
            problems: the problems, one line each.
            intro: translation key of the lines above them: the trainee app asks the
                trainee to tell their instructor; the preview asks the author to fix
                and save.
        """
        super().__init__()
        self.problems = problems
        self.intro = intro

    def compose(self) -> ComposeResult:
        t = peerskole_app(self).t
        with VerticalScroll(id="course-error"):
            yield Static(t("error.course_title"), classes="screen-title")
            yield Static(t(self.intro))
            # Problem lines come sanitised; this keeps any other line from a course
            # (a file name, a key) from reaching the terminal raw all the same.
            yield Static("\n".join(visible(line) for line in self.problems), id="problems",
                         markup=False)
        yield Footer()
