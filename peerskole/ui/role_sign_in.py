"""A role signs in (an instructor, a supervisor): name and passphrase, checked by the
core (slowed when wrong), before anything else is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

from peerskole.ui.translate import translate_bindings

if TYPE_CHECKING:
    from peerskole.i18n import Translator

K = TypeVar("K")


class NotSignedIn(Exception):
    """The name is no one of the role ("not_found"), or one removed ("removed")."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


class RoleSignIn(Screen[None], Generic[K]):
    """Who the person is, and their passphrase.

    A role's screen names it in :attr:`ROLE` (its strings are ``ROLE.sign_in_*``, its
    fields ``#ROLE-name`` and ``#ROLE-passphrase``) and says how the core finds and
    unlocks it and what happens once it is signed in.
    """

    ROLE: ClassVar[str]

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

    # --- what a role says ------------------------------------------------------------

    def translator(self) -> Translator:
        raise NotImplementedError

    def unlock(self, name: str, passphrase: str) -> K:
        """The role's key.

        Raises:
            NotSignedIn: no one of the role has that name, or they were removed.
            PrivacyError, StoreError: as the core raises them.
        """
        raise NotImplementedError

    def signed_in(self, key: K) -> None:
        raise NotImplementedError

    # --- the screen --------------------------------------------------------------------

    def _say(self, what: str, **values: object) -> str:
        return self.translator()(f"{self.ROLE}.{what}", **values)

    def compose(self) -> ComposeResult:
        translate_bindings(self, self.translator())
        yield Static(self._say("sign_in_title"), classes="screen-title", markup=False)
        with Vertical(id="sign-in"):
            yield Static(self._say("sign_in_intro"), markup=False)
            yield Label(self._say("sign_in_name"))
            yield Input(id=f"{self.ROLE}-name")
            yield Label(self._say("sign_in_passphrase"))
            yield Input(id=f"{self.ROLE}-passphrase", password=True)
            yield Button(self._say("sign_in_button"), id="sign-in-button", variant="primary")
            yield Static("", id="sign-in-problem", markup=False)
        yield Footer()

    def _field(self, name: str) -> Input:
        return self.query_one(f"#{self.ROLE}-{name}", Input)

    def on_mount(self) -> None:
        self._field("name").focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#sign-in-button")
    def _submitted(self, event: Input.Submitted | Button.Pressed) -> None:
        if isinstance(event, Input.Submitted) and event.input.id == f"{self.ROLE}-name":
            self._field("passphrase").focus()
            return
        name, passphrase = self._field("name").value, self._field("passphrase").value
        if not name.strip() or not passphrase:
            self._problem(self._say("sign_in_missing"))
            return
        self.query_one("#sign-in-button", Button).disabled = True
        self.check(name, passphrase)

    @work(thread=True, exclusive=True, group="sign-in")
    def check(self, name: str, passphrase: str) -> None:
        """Argon2id takes a moment: in a thread, so the screen stays calm."""
        from peerskole.privacy import PrivacyError
        from peerskole.store.base import StoreError

        try:
            key = self.unlock(name, passphrase)
        except PrivacyError as error:
            if error.problem in ("wait", "wrong_passphrase") and error.wait > 0:
                problem = self._say("sign_in_wait", seconds=error.wait)
            elif error.problem == "wrong_passphrase":
                problem = self._say("sign_in_wrong")
            else:
                problem = self._say("sign_in_damaged")
        except StoreError as error:
            problem = self._say("store_failed", reason=str(error))
        except NotSignedIn as error:
            problem = self._say("sign_in_unknown" if error.problem == "not_found"
                                else "sign_in_removed")
        else:
            self.app.call_from_thread(self.signed_in, key)
            return
        self.app.call_from_thread(self._problem, problem)

    def _problem(self, text: str) -> None:
        self.query_one("#sign-in-button", Button).disabled = False
        self.query_one("#sign-in-problem", Static).update(text)
        passphrase = self._field("passphrase")
        passphrase.value = ""
        passphrase.focus()
