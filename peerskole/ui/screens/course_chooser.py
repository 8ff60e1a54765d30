"""Which course to work on, when more than one is available: a calm list to choose from."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from peerskole.safe_text import visible
from peerskole.ui.access import peerskole_app


class CourseChooser(ModalScreen[str | None]):
    """The available courses by title; dismisses with the chosen course's id.

    Args:
        choices: (course id, title) in the order shown.
        current: the id of the course open now, highlighted first; None: the first.
        can_cancel: whether Escape goes back without choosing (there is a course open).
    """

    DEFAULT_CSS = """
    CourseChooser {
        & #course-chooser {
            height: auto;
            max-height: 90%;
        }
        & #course-options {
            height: auto;
            max-height: 20;
            margin: 1 0 0 0;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "", show=False),
    ]

    def __init__(self, choices: list[tuple[str, str]], current: str | None = None,
                 can_cancel: bool = False) -> None:
        super().__init__()
        self.choices = choices
        self.current = current
        self.can_cancel = can_cancel

    def compose(self) -> ComposeResult:
        t = peerskole_app(self).t
        with Vertical(classes="dialog", id="course-chooser"):
            yield Static(t("chooser.title"), classes="dialog-title")
            yield Static(t("chooser.intro"))
            yield OptionList(
                *(Option(Content(visible(title)), id=course_id)  # as written, never markup
                  for course_id, title in self.choices),
                id="course-options",
            )

    def on_mount(self) -> None:
        options = self.query_one("#course-options", OptionList)
        ids = [course_id for course_id, _ in self.choices]
        options.highlighted = ids.index(self.current) if self.current in ids else 0
        options.focus()

    @on(OptionList.OptionSelected, "#course-options")
    def choose(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        if self.can_cancel:
            self.dismiss(None)
