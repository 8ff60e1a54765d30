"""Shown instead of a crash when the course files have errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

if TYPE_CHECKING:
    from peerskole.ui.app import PeerskoleApp


class CourseErrorScreen(Screen[None]):
    """Every problem in the course, as the validator prints them."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        t = cast("PeerskoleApp", self.app).t
        with VerticalScroll(id="course-error"):
            yield Static(t("error.course_title"), classes="screen-title")
            yield Static(t("error.course_intro"))
            yield Static("\n".join(self.problems), id="problems", markup=False)
        yield Footer()
