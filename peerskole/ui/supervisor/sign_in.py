"""The supervisor signs in: name and passphrase, checked by the core (slowed when wrong)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

from peerskole.ui.supervisor import supervisor_app
from peerskole.ui.translate import translate_bindings

if TYPE_CHECKING:
    from peerskole.praktik import SupervisorKey


class SupervisorSignIn(Screen[None]):
    """Who the supervisor is, and their passphrase; nothing else is shown before."""

    DEFAULT_CSS = """
    #sign-in {
        width: 60;
        max-width: 100%;
        height: auto;
        padding: 1 2;
    }
    #sign-in Input, #sign-in Button {
        margin: 0 0 1 0;
    }
    #sign-in-problem {
        color: $error;
        height: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = []

    def compose(self) -> ComposeResult:
        t = supervisor_app(self).t
        translate_bindings(self, t)
        yield Static(t("supervisor.sign_in_title"), classes="screen-title", markup=False)
        with Vertical(id="sign-in"):
            yield Static(t("supervisor.sign_in_intro"), markup=False)
            yield Label(t("supervisor.sign_in_name"))
            yield Input(id="supervisor-name")
            yield Label(t("supervisor.sign_in_passphrase"))
            yield Input(id="supervisor-passphrase", password=True)
            yield Button(t("supervisor.sign_in_button"), id="sign-in-button", variant="primary")
            yield Static("", id="sign-in-problem", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#supervisor-name", Input).focus()

    @on(Input.Submitted, "#supervisor-name")
    def _name_given(self) -> None:
        self.query_one("#supervisor-passphrase", Input).focus()

    @on(Input.Submitted, "#supervisor-passphrase")
    @on(Button.Pressed, "#sign-in-button")
    def _sign_in(self) -> None:
        name = self.query_one("#supervisor-name", Input).value
        passphrase = self.query_one("#supervisor-passphrase", Input).value
        if not name.strip() or not passphrase:
            self._problem(supervisor_app(self).t("supervisor.sign_in_missing"))
            return
        self.query_one("#sign-in-button", Button).disabled = True
        self.check(name, passphrase)

    @work(thread=True, exclusive=True, group="sign-in")
    def check(self, name: str, passphrase: str) -> None:
        """Argon2id takes a moment: in a thread, so the screen stays calm."""
        from peerskole.praktik import SupervisorError, find_supervisor, unlock_supervisor
        from peerskole.privacy import PrivacyError
        from peerskole.store.base import StoreError

        app = supervisor_app(self)
        t = app.t
        try:
            key = unlock_supervisor(app.store, find_supervisor(app.store, name), passphrase)
        except SupervisorError as error:
            problem = t("supervisor.sign_in_unknown" if error.problem == "not_found"
                        else "supervisor.sign_in_removed")
        except PrivacyError as error:
            if error.problem in ("wait", "wrong_passphrase") and error.wait > 0:
                problem = t("supervisor.sign_in_wait", seconds=error.wait)
            elif error.problem == "wrong_passphrase":
                problem = t("supervisor.sign_in_wrong")
            else:
                problem = t("supervisor.sign_in_damaged")
        except StoreError as error:
            problem = t("supervisor.store_failed", reason=str(error))
        else:
            self.app.call_from_thread(self._signed_in, key)
            return
        self.app.call_from_thread(self._problem, problem)

    def _problem(self, text: str) -> None:
        self.query_one("#sign-in-button", Button).disabled = False
        self.query_one("#sign-in-problem", Static).update(text)
        passphrase = self.query_one("#supervisor-passphrase", Input)
        passphrase.value = ""
        passphrase.focus()

    def _signed_in(self, key: SupervisorKey) -> None:
        supervisor_app(self).signed_in(key)
