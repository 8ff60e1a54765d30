"""A small prompt for the minutes a learner missed of a session (late or left early)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from peerskole.export.register import register_problems
from peerskole.i18n import Translator
from peerskole.store.base import AttendanceStatus, ClassSession


class MinutesPrompt(ModalScreen[int | None]):
    """Asks how many minutes were missed; returns them, or None when cancelled.

    Args:
        session: the session marked (its length bounds the minutes, by the register rule).
        status: "late" or "left_early".
        name: the learner's name as shown.
        t: the UI language.
    """

    DEFAULT_CSS = """
    MinutesPrompt #minutes {
        width: 12;
    }
    MinutesPrompt #minutes-problem {
        color: $error;
    }
    MinutesPrompt Horizontal {
        height: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, session: ClassSession, status: AttendanceStatus, name: str,
                 t: Translator) -> None:
        super().__init__()
        self.session = session
        self.status = status
        self.learner_name = name
        self.t = t

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(classes="dialog"):
            yield Static(t(f"minutes.title.{self.status}"), classes="dialog-title")
            yield Static(t("minutes.prompt", name=self.learner_name, minutes=self.session.minutes,
                           most=self.session.minutes - 1), markup=False)
            yield Input(id="minutes", type="integer", max_length=4)
            yield Static("", id="minutes-problem", markup=False)
            with Horizontal():
                yield Button(t("minutes.save"), id="minutes-save", variant="primary")
                yield Button(t("minutes.cancel"), id="minutes-cancel")

    def on_mount(self) -> None:
        self.query_one("#minutes", Input).focus()

    @on(Input.Submitted, "#minutes")
    @on(Button.Pressed, "#minutes-save")
    def _save(self) -> None:
        text = self.query_one("#minutes", Input).value.strip()
        minutes = int(text) if text.isdigit() else 0
        # The register rule itself says whether the minutes will do.
        problems = [p for p in register_problems(self.session, None, self.status, minutes)
                    if p.field == "minutes"]
        if not problems:
            self.dismiss(minutes)
            return
        key = ("minutes.too_many" if problems[0].code == "minutes_too_many"
               else "minutes.not_number")
        self.query_one("#minutes-problem", Static).update(
            self.t(key, most=self.session.minutes - 1))

    @on(Button.Pressed, "#minutes-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
