"""Asked on quitting while some of the trainee's work has not reached the database."""

from __future__ import annotations

from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from peerskole.i18n import Translator

QuitChoice = Literal["retry", "quit", "stay"]


class UnsavedQuitDialog(ModalScreen[QuitChoice]):
    """Says the text is not saved yet and why; try again, quit anyway, or stay.

    Args:
        t: the app's translator.
        reason: what is wrong, as a sentence the trainee can act on.
    """

    BINDINGS = [("escape", "stay", "")]

    def __init__(self, t: Translator, reason: str) -> None:
        super().__init__()
        self.t = t
        self.reason = reason

    def compose(self) -> ComposeResult:
        t = self.t
        with VerticalScroll(classes="dialog", id="unsaved"):
            yield Static(t("unsaved.title"), classes="dialog-title", markup=False)
            yield Static(t("unsaved.body", reason=self.reason), markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("unsaved.retry"), id="retry", variant="primary")
                yield Button(t("unsaved.quit"), id="quit-anyway", variant="error")
                yield Button(t("unsaved.stay"), id="stay")

    def on_mount(self) -> None:
        # The safe choice has the focus: Enter never throws text away.
        self.query_one("#retry", Button).focus()

    @on(Button.Pressed, "#retry")
    def try_again(self) -> None:
        self.dismiss("retry")

    @on(Button.Pressed, "#quit-anyway")
    def quit_anyway(self) -> None:
        self.dismiss("quit")

    @on(Button.Pressed, "#stay")
    def action_stay(self) -> None:
        self.dismiss("stay")
