"""Support contacts and a gentle invitation to take a break, reachable from every screen."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from peerskole.course.model import Course, SupportContact
from peerskole.notices import describe_contact
from peerskole.ui.access import peerskole_app


class SupportDialog(ModalScreen[None]):
    """The course's support contacts. Nothing behind it is lost or changed.

    The emergency number sits at the top and the buttons at the bottom, both always in
    view; the rest of the contacts (and the words about a break) scroll between them
    on a short terminal.
    """

    DEFAULT_CSS = """
    SupportDialog {
        & #support {
            height: 90%;
        }
        & #support-body {
            height: 1fr;
            margin: 1 0 0 0;
        }
        & .emergency {
            text-style: bold;
        }
    }
    """

    BINDINGS = [("escape", "dismiss", "")]

    def __init__(self, course: Course) -> None:
        super().__init__()
        self.course = course

    def compose(self) -> ComposeResult:
        t = peerskole_app(self).t
        contacts = self.course.manifest.support
        with Vertical(classes="dialog", id="support"):
            yield Static(t("support.title"), classes="dialog-title")
            for contact in contacts:
                if contact.emergency:
                    yield Static(self._describe(contact), classes="contact emergency",
                                 markup=False)
            with VerticalScroll(id="support-body"):
                yield Static("", id="break-text")
                yield Static(t("support.intro"))
                for contact in contacts:
                    if not contact.emergency:
                        yield Static(self._describe(contact), classes="contact",
                                     markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("support.break"), id="break")
                yield Button(t("support.close"), id="close", variant="primary")

    def _describe(self, contact: SupportContact) -> str:
        return describe_contact(contact, peerskole_app(self).t)

    @on(Button.Pressed, "#break")
    def take_a_break(self) -> None:
        t = peerskole_app(self).t
        text = self.query_one("#break-text", Static)
        text.update(t("support.break_text"))
        text.display = True
        # Above the contacts, so it shows where the trainee is looking; the buttons
        # stay where they are.
        self.query_one("#support-body", VerticalScroll).scroll_home(animate=False)

    @on(Button.Pressed, "#close")
    def close(self) -> None:
        self.dismiss()
