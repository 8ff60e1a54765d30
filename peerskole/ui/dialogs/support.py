"""Support contacts and a gentle invitation to take a break, reachable from every screen."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from peerskole.course.contacts import dialog_contacts
from peerskole.course.model import Course, SupportContact
from peerskole.notices import describe_contact
from peerskole.ui.access import peerskole_app


class SupportDialog(ModalScreen[None]):
    """The support contacts. Nothing behind it is lost or changed.

    The emergency number (the course's, else 112) sits at the top, then the
    organisation's own contacts (``peerskole settings contacts``), then the course's
    others (see :func:`peerskole.course.contacts.dialog_contacts`). The emergency number
    sits at the top and the buttons at the bottom, both always in
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

    def __init__(self, course: Course, organisation: Sequence[SupportContact] = ()) -> None:
        super().__init__()
        self.course = course
        self.organisation = list(organisation)

    def compose(self) -> ComposeResult:
        t = peerskole_app(self).t
        emergency, others = dialog_contacts(list(self.course.manifest.support),
                                            self.organisation)
        with Vertical(classes="dialog", id="support"):
            yield Static(t("support.title"), classes="dialog-title")
            for contact in emergency:
                yield Static(self._describe(contact), classes="contact emergency",
                             markup=False)
            with VerticalScroll(id="support-body"):
                yield Static("", id="break-text")
                yield Static(t("support.intro"))
                for index, contact in enumerate(others):
                    mine = " organisation" if index < len(self.organisation) else ""
                    yield Static(self._describe(contact), classes="contact" + mine,
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
