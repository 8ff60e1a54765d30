"""Support contacts and a gentle invitation to take a break, reachable from every screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from peerskole.course.model import Course, SupportContact

if TYPE_CHECKING:
    from peerskole.ui.app import PeerskoleApp


class SupportDialog(ModalScreen[None]):
    """The course's support contacts. Nothing behind it is lost or changed."""

    BINDINGS = [("escape", "dismiss", "")]

    def __init__(self, course: Course) -> None:
        super().__init__()
        self.course = course

    def compose(self) -> ComposeResult:
        t = cast("PeerskoleApp", self.app).t
        with VerticalScroll(classes="dialog", id="support"):
            yield Static(t("support.title"), classes="dialog-title")
            yield Static(t("support.intro"))
            for contact in self.course.manifest.support:
                yield Static(self._describe(contact), classes="contact", markup=False)
            yield Static("", id="break-text")
            with Horizontal(classes="buttons"):
                yield Button(t("support.break"), id="break")
                yield Button(t("support.close"), id="close", variant="primary")

    def _describe(self, contact: SupportContact) -> str:
        t = cast("PeerskoleApp", self.app).t
        lines = [contact.name]
        lines += [v for v in (contact.phone, contact.email, contact.url) if v]
        if contact.hours:
            lines.append(t("support.hours", hours=contact.hours))
        if contact.note:
            lines.append(contact.note)
        return "\n".join(lines)

    @on(Button.Pressed, "#break")
    def take_a_break(self) -> None:
        t = cast("PeerskoleApp", self.app).t
        text = self.query_one("#break-text", Static)
        text.update(t("support.break_text"))
        text.display = True

    @on(Button.Pressed, "#close")
    def close(self) -> None:
        self.dismiss()
