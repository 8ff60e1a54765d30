"""Asking for a profile's passphrase, and setting, changing or removing it.

Key derivation is slow on purpose (Argon2id), so it runs in a worker; the
passphrase itself is never logged, shown or kept after the dialog closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Final

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from peerskole.notices import explain as explain
from peerskole.notices import wait_text as wait_text
from peerskole.privacy import (
    MAX_PASSPHRASE_LENGTH,
    MIN_PASSPHRASE_LENGTH,
    KdfParams,
    PrivacyError,
    ProfileKey,
)
from peerskole.store.base import StoreError, visible_name
from peerskole.ui.access import answer_from_thread, peerskole_app

if TYPE_CHECKING:
    from peerskole.i18n import Translator
    from peerskole.session import Session
    from peerskole.store.base import Learner


SHORT_TERMINAL_ROWS: Final = 24
"""Below this many rows the dialogs take the terminal's whole height, with less padding:
at 60×20 the explanations above the first field pushed it (or the title) out of view."""

DIALOG_CSS: Final = """
.field-label {
    padding: 0 1;
}
#passphrase-message {
    margin: 1 0 0 0;
    text-style: bold;
}
"""
"""Both dialogs' message, under the last field and above the buttons: bold, so it reads
as the answer to what the trainee just did."""

BREAKPOINTS: Final = [(0, "-short"), (SHORT_TERMINAL_ROWS, "-tall")]
"""The dialogs' screen classes by the terminal's rows. app.tcss sizes the dialog of a
-short one: app.tcss's own .dialog rule would win over one in DEFAULT_CSS."""


def open_at_top(dialog: DOMNode, field: Input) -> None:
    """Focus the first field with the dialog at its top, where its title is.

    Textual's focus would centre the field and scroll the title away. The field is
    scrolled into view only as far as it needs, once the dialog is laid out: on a
    terminal too short for both, the field wins.
    """
    scroll = dialog.query_one(".dialog", VerticalScroll)
    scroll.scroll_home(animate=False, immediate=True)
    field.focus(scroll_visible=False)
    scroll.call_after_refresh(field.scroll_visible, animate=False)


def show_message(dialog: DOMNode, text: str) -> None:
    """Say something under the fields, and keep it and the buttons in view.

    At 80×24 the explanations above the fields fill the dialog, and a message below
    them would otherwise change nothing the trainee can see. The dialog is anchored
    to its end (the last field, the message, the buttons) until the trainee scrolls:
    Textual then keeps it there when the message's new height is laid out.
    """
    dialog.query_one("#passphrase-message", Static).update(text)
    dialog.query_one(".dialog", VerticalScroll).anchor()


class PassphrasePrompt(ModalScreen[ProfileKey | None]):
    """Opens a protected profile: returns its key, or None when the trainee goes back.

    A wrong passphrase gets a calm message and another try; after a few wrong ones
    each try waits (see peerskole.privacy.unlock_profile), and the message says how
    long. With ``again``, it asks for the passphrase that was changed in another
    window while the profile was open here; going back then means quitting.
    """

    DEFAULT_CSS = DIALOG_CSS
    VERTICAL_BREAKPOINTS = BREAKPOINTS

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "cancel", "")]

    def __init__(self, learner: Learner, params: KdfParams, again: bool = False) -> None:
        super().__init__()
        self.learner = learner
        self.params = params
        self.again = again

    @property
    def t(self) -> Translator:
        return peerskole_app(self).t

    def compose(self) -> ComposeResult:
        t = self.t
        name = visible_name(self.learner.display_name)
        with VerticalScroll(classes="dialog", id="passphrase-prompt"):
            if self.again:
                yield Static(t("passphrase.again_title"), classes="dialog-title", markup=False)
                yield Static(t("passphrase.again_intro", name=name), id="passphrase-intro",
                             markup=False)
            else:
                yield Static(t("passphrase.prompt_title"), classes="dialog-title", markup=False)
                yield Static(t("passphrase.prompt_intro", name=name), id="passphrase-intro",
                             markup=False)
            yield Static(t("passphrase.field"), classes="field-label", markup=False)
            yield Input(password=True, id="passphrase", max_length=MAX_PASSPHRASE_LENGTH)
            yield Static("", id="passphrase-message", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("passphrase.open"), id="open", variant="primary")
                yield Button(t("passphrase.quit" if self.again else "passphrase.cancel"),
                             id="cancel")

    def on_mount(self) -> None:
        open_at_top(self, self.query_one("#passphrase", Input))

    @on(Input.Submitted, "#passphrase")
    @on(Button.Pressed, "#open")
    def try_passphrase(self) -> None:
        field = self.query_one("#passphrase", Input)
        if not field.value:
            self._say(self.t("passphrase.empty"))
            return
        self._say(self.t("passphrase.checking"))
        field.disabled = True
        self.unlock(field.value)

    @work(thread=True, exclusive=True, group="passphrase")
    def unlock(self, passphrase: str) -> None:
        from peerskole.privacy import unlock_profile

        store = peerskole_app(self).store
        assert store is not None  # a profile is only opened from a store
        try:
            key = unlock_profile(store, self.params, self.learner.id, passphrase)
        except PrivacyError as error:
            answer_from_thread(self, self._refused, error)
            return
        # A StoreError (the wrong tries could not be counted) goes to the app's handler,
        # which says so and keeps the app running; the field is given back first.
        finally:
            answer_from_thread(self, self._enable)
        answer_from_thread(self, self.dismiss, key)

    def _enable(self) -> None:
        self.query_one("#passphrase", Input).disabled = False

    def _refused(self, error: PrivacyError) -> None:
        field = self.query_one("#passphrase", Input)
        field.disabled = False
        field.value = ""
        field.focus()
        self._say(explain(error, self.t))

    def _say(self, text: str) -> None:
        show_message(self, text)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class PassphraseSettings(ModalScreen[None]):
    """Set a passphrase on the trainee's profile, or change or remove it.

    Changing and removing ask for the current passphrase first, so someone at a
    profile left open cannot take the protection away.
    """

    DEFAULT_CSS = DIALOG_CSS
    VERTICAL_BREAKPOINTS = BREAKPOINTS

    # Not while the text is being re-encrypted: the dialog stays to say how it went.
    BINDINGS: ClassVar[list[BindingType]] = [("escape", "close", "")]

    class Rekeyed(Message):
        """The write queue finished re-keying (error None) or left everything as it was."""

        def __init__(self, error: PrivacyError | None, removed: bool, first: bool) -> None:
            super().__init__()
            self.error = error
            self.removed = removed
            self.first = first

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._busy = False

    @property
    def t(self) -> Translator:
        return peerskole_app(self).t

    @property
    def protected(self) -> bool:
        return self.session.key is not None

    def compose(self) -> ComposeResult:
        t = self.t
        with VerticalScroll(classes="dialog", id="passphrase-settings"):
            yield Static(t("passphrase.settings_title"), classes="dialog-title", markup=False)
            yield Static(t("passphrase.state_on" if self.protected else "passphrase.state_off"),
                         id="passphrase-state", markup=False)
            yield Static(t("passphrase.no_back_door"), id="no-back-door", markup=False)
            yield Static(t("passphrase.shared_note"), markup=False)
            # Labels, not placeholders: a placeholder goes as the first dot is typed, and
            # three rows of dots would not say which is which.
            if self.protected:
                yield Static(t("passphrase.current"), classes="field-label", markup=False)
                yield Input(password=True, id="current", max_length=MAX_PASSPHRASE_LENGTH)
            yield Static(t("passphrase.new", minimum=MIN_PASSPHRASE_LENGTH),
                         classes="field-label", markup=False)
            yield Input(password=True, id="new", max_length=MAX_PASSPHRASE_LENGTH)
            yield Static(t("passphrase.repeat"), classes="field-label", markup=False)
            yield Input(password=True, id="repeat", max_length=MAX_PASSPHRASE_LENGTH)
            yield Static("", id="passphrase-message", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("passphrase.change" if self.protected else "passphrase.set"),
                             id="set", variant="primary")
                # Signed in by passphrase (serve), a profile without one would be open
                # to whoever types its name next: there it can be changed, not removed.
                if self.protected and not peerskole_app(self).sign_in:
                    yield Button(t("passphrase.remove"), id="remove", variant="warning")
                yield Button(t("passphrase.close"), id="close")

    def on_mount(self) -> None:
        open_at_top(self, self.query_one("#current" if self.protected else "#new", Input))

    # --- what the trainee does ---------------------------------------------------------

    @on(Button.Pressed, "#set")
    @on(Input.Submitted, "#repeat")
    def set_passphrase(self) -> None:
        if self._busy:
            return
        new = self.query_one("#new", Input).value
        repeat = self.query_one("#repeat", Input).value
        if new != repeat:
            self._say(self.t("passphrase.mismatch"))
            self.query_one("#repeat", Input).value = ""
            self.query_one("#repeat", Input).focus()
            return
        self._start(self._current(), new)

    @on(Button.Pressed, "#remove")
    def remove_passphrase(self) -> None:
        if not self._busy:
            self._start(self._current(), None)

    @on(Input.Submitted, "#current")
    @on(Input.Submitted, "#new")
    def next_field(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        if not self._busy:
            self.dismiss()

    # --- the work ---------------------------------------------------------------------

    def _current(self) -> str | None:
        return self.query_one("#current", Input).value if self.protected else None

    def _start(self, current: str | None, new: str | None) -> None:
        self._busy = True
        self._say(self.t("passphrase.working"))
        self.derive_keys(current, new)

    @work(thread=True, exclusive=True, group="passphrase")
    def derive_keys(self, current: str | None, new: str | None) -> None:
        """Check the current passphrase and derive the new key, then queue the re-keying."""
        from peerskole.privacy import new_key, unlock_profile

        session = self.session
        first = session.key is None
        try:
            if session.key is not None:
                if current is None:
                    raise PrivacyError("wrong_passphrase", "No current passphrase.")
                # Counted like a try at opening: it may be someone else at an open profile.
                unlock_profile(session.store, session.key.params, session.learner.id, current)
            key = new_key(session.learner.id, new) if new is not None else None
        except PrivacyError as error:
            answer_from_thread(self, self._refused, error)
            return
        except StoreError as error:  # the try could not be counted: nothing was checked
            answer_from_thread(self, self._store_trouble, error)
            return
        # The reply comes from the write thread: post_message is safe from there
        # and never waits for the UI thread.
        session.change_passphrase(
            key, lambda error: self.post_message(self.Rekeyed(error, key is None, first))
        )

    def _refused(self, error: PrivacyError) -> None:
        self._busy = False
        if error.problem in ("wrong_passphrase", "wait"):
            wait = wait_text(error.wait, self.t) if error.wait > 0 else ""
            self._say(explain(error, self.t) if error.problem == "wait"
                      else f"{self.t('passphrase.current_wrong')} {wait}".strip())
            field = self.query_one("#current", Input)
            field.value = ""
            field.focus()
        else:
            self._say(explain(error, self.t))

    def _store_trouble(self, error: StoreError) -> None:
        self._busy = False
        self._say(peerskole_app(self).store_problem(error))

    @on(Rekeyed)
    def finished(self, message: Rekeyed) -> None:
        self._busy = False
        if message.error is not None:
            self._say(explain(message.error, self.t))
            return
        done = ("passphrase.done_removed" if message.removed
                else "passphrase.done_set" if message.first else "passphrase.done_changed")
        self.app.notify(self.t(done), timeout=8)
        self.dismiss()

    def _say(self, text: str) -> None:
        show_message(self, text)
