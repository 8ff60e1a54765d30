"""Sign in with name, cohort and passphrase (``peerskole serve``): no list of profiles.

In a browser every tab is someone else's, so the first screen shows nobody's name.
What the trainee types is handed to :func:`peerskole.privacy.open_by_name`, which
decides; this screen only asks, and asks once more (the passphrase again) when a new
profile is to be created or an unprotected one is to get its first passphrase.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static

from peerskole.privacy import MAX_PASSPHRASE_LENGTH, MIN_PASSPHRASE_LENGTH, PrivacyError
from peerskole.store.base import COHORT_MAX, NAME_MAX, Learner, StoreError, control_character
from peerskole.ui.access import answer_from_thread, peerskole_app
from peerskole.ui.dialogs.passphrase import explain
from peerskole.ui.translate import translate_bindings

if TYPE_CHECKING:
    from peerskole.course.model import Course
    from peerskole.privacy import ProfileKey, SignIn
    from peerskole.ui.app import PeerskoleApp

Confirming = Literal["new", "unprotected"]
"""What typing the passphrase again confirms: a new profile, or a first passphrase."""


class SignInScreen(Screen[None]):
    """The first screen under ``peerskole serve``: name, cohort and passphrase."""

    DEFAULT_CSS = """
    #sign-in-box {
        width: 1fr;
        max-width: 76;
        height: auto;
        margin: 1 2;
    }
    #sign-in-intro {
        margin: 1 0;
        height: auto;
    }
    #sign-in-box .field-label {
        padding: 0 1;
    }
    .sign-in-row {
        height: auto;
    }
    .sign-in-row > Vertical {
        width: 1fr;
        height: auto;
    }
    #sign-in-message {
        color: $warning;
        height: auto;
        margin: 1 0 0 0;
    }
    #sign-in {
        margin: 1 0 0 0;
    }
    """

    class Drawn(Message):
        """The screen is on the terminal: start-up may load the course."""

    def __init__(self) -> None:
        super().__init__()
        self._confirming: tuple[Confirming, Learner | None] | None = None
        self._asked: tuple[str, str, str] | None = None  # what the repeat confirms
        self._busy = False
        self._waiting: tuple[Learner, ProfileKey] | None = None

    @property
    def peer_app(self) -> PeerskoleApp:
        return peerskole_app(self)

    def compose(self) -> ComposeResult:
        t = self.peer_app.t
        translate_bindings(self, t)
        with Vertical(id="sign-in-box"):
            yield Static(t("signin.title"), id="sign-in-title", classes="screen-title")
            yield Static(t("signin.intro"), id="sign-in-intro")
            # Two fields a row, so the screen (and its message) fits 80×24.
            with Horizontal(classes="sign-in-row"):
                with Vertical():
                    yield Static(t("learner.name"), classes="field-label", markup=False)
                    yield Input(id="name", max_length=NAME_MAX)
                with Vertical():
                    yield Static(t("learner.cohort"), classes="field-label", markup=False)
                    yield Input(id="cohort", max_length=COHORT_MAX)
            with Horizontal(classes="sign-in-row"):
                with Vertical():
                    yield Static(t("signin.passphrase", minimum=MIN_PASSPHRASE_LENGTH),
                                 classes="field-label", markup=False)
                    yield Input(id="passphrase", password=True,
                                max_length=MAX_PASSPHRASE_LENGTH)
                with Vertical(classes="repeat"):
                    yield Static(t("signin.repeat"), classes="field-label", markup=False)
                    yield Input(id="repeat", password=True, max_length=MAX_PASSPHRASE_LENGTH)
            yield Static("", id="sign-in-message", markup=False)
            yield Button(t("signin.open"), id="sign-in", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self._show_repeat(False)
        # Not left to AUTO_FOCUS: Textual skips it while the app is blurred, as a
        # browser tab's app starts, and the first keys typed would reach no field.
        self.query_one("#name", Input).focus()
        self.watch(self.app, "language", self.retranslate, init=False)
        self.watch(self.app, "course", self._course_loaded, init=False)
        self.call_after_refresh(self.post_message, self.Drawn())

    def _show_repeat(self, shown: bool) -> None:
        self.query_one(".repeat", Vertical).display = shown

    def _say(self, text: str) -> None:
        self.query_one("#sign-in-message", Static).update(text)

    def _value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value

    def _typed(self) -> tuple[str, str, str]:
        return (self._value("name").strip(), self._value("cohort").strip(),
                self._value("passphrase"))

    # --- what the trainee does -------------------------------------------------------------

    @on(Input.Changed, "#name")
    @on(Input.Changed, "#cohort")
    @on(Input.Changed, "#passphrase")
    def start_over(self) -> None:
        """A changed name, cohort or passphrase is a new question: the repeat goes."""
        if self._confirming is not None and not self._busy and self._typed() != self._asked:
            self._confirming = self._asked = None
            self.query_one("#repeat", Input).value = ""
            self._show_repeat(False)
            self._say("")

    @on(Input.Submitted, "#name")
    @on(Input.Submitted, "#cohort")
    def next_field(self) -> None:
        self.focus_next()

    @on(Input.Submitted, "#passphrase")
    @on(Input.Submitted, "#repeat")
    @on(Button.Pressed, "#sign-in")
    def sign_in(self) -> None:
        self.peer_app.want_course()  # it loads while the passphrase is checked
        if self._busy:
            return
        t = self.peer_app.t
        name, cohort = self._value("name").strip(), self._value("cohort").strip()
        passphrase = self._value("passphrase")
        if not name:
            self._say(t("learner.name_missing"))
            self.query_one("#name", Input).focus()
            return
        for field_id, text in (("name", name), ("cohort", cohort)):
            if control_character(text):
                self._say(t("learner.name_control"))
                self.query_one(f"#{field_id}", Input).focus()
                return
        if not passphrase:
            self._say(t("signin.passphrase_missing"))
            self.query_one("#passphrase", Input).focus()
            return
        if self._confirming is None:
            self._busy = True
            self._say(t("signin.checking"))
            self.open_profile(name, cohort or None, passphrase)
            return
        if self._value("repeat") != passphrase:
            self._say(t("signin.mismatch"))
            repeat = self.query_one("#repeat", Input)
            repeat.value = ""
            repeat.focus()
            return
        what, learner = self._confirming
        self._busy = True
        self._say(t("signin.checking"))
        self.set_first_passphrase(what, learner, name, cohort or None, passphrase)

    # --- the work, in the core ------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="sign-in")
    def open_profile(self, name: str, cohort: str | None, passphrase: str) -> None:
        from peerskole.privacy import open_by_name

        store = self.peer_app.store
        if store is None:
            answer_from_thread(self, self._refused, None)
            return
        try:
            found = open_by_name(store, name, cohort, passphrase)
        except (PrivacyError, StoreError) as error:
            answer_from_thread(self, self._refused, error)
            return
        answer_from_thread(self, self._found, found)

    @work(thread=True, exclusive=True, group="sign-in")
    def set_first_passphrase(self, what: Confirming, learner: Learner | None, name: str,
                             cohort: str | None, passphrase: str) -> None:
        from peerskole.privacy import create_protected, protect_profile

        store = self.peer_app.store
        assert store is not None  # the first question needed it
        try:
            if what == "new" or learner is None:
                learner, key = create_protected(store, name, cohort, passphrase)
            else:
                key = protect_profile(store, learner, passphrase)
        except (PrivacyError, StoreError) as error:
            answer_from_thread(self, self._refused, error)
            return
        answer_from_thread(self, self._start, learner, key)

    # --- the answers --------------------------------------------------------------------------

    def _found(self, found: SignIn) -> None:
        self._busy = False
        if found.outcome == "opened":
            assert found.learner is not None and found.key is not None
            self._start(found.learner, found.key)
            return
        self._confirming = (found.outcome, found.learner)
        self._asked = self._typed()
        self._show_repeat(True)
        self._say(self.peer_app.t(f"signin.{found.outcome}"))
        self.query_one("#repeat", Input).focus()

    def _refused(self, error: PrivacyError | StoreError | None) -> None:
        self._busy = False
        app = self.peer_app
        if error is None:
            self._say(app.t("store.no_answer"))
            return
        if isinstance(error, StoreError):
            self._say(app.store_problem(error))
            return
        if error.problem == "wrong_passphrase" and error.wait == 0:
            self._say(app.t("signin.wrong"))
        else:
            self._say(explain(error, app.t))
        field = self.query_one("#passphrase", Input)
        if error.problem in ("wrong_passphrase", "wait"):
            field.value = ""  # not the confirmation: the question starts over
        field.focus()

    def _start(self, learner: Learner, key: ProfileKey) -> None:
        self._busy = False
        self._asked = None
        for field_id in ("passphrase", "repeat"):
            self.query_one(f"#{field_id}", Input).value = ""  # not left in the widgets
        if self.peer_app.course is None:
            self._waiting = (learner, key)  # the course is still loading: on once it is
            return
        self.peer_app.start_session(learner, key)

    def _course_loaded(self, course: Course | None) -> None:
        if course is not None and self._waiting is not None:
            (learner, key), self._waiting = self._waiting, None
            self.peer_app.start_session(learner, key)

    async def retranslate(self, language: str) -> None:
        """Show the screen in the language the app now speaks; what was typed stays."""
        typed = {field_id: self._value(field_id)
                 for field_id in ("name", "cohort", "passphrase", "repeat")}
        await self.recompose()
        for field_id, value in typed.items():
            self.query_one(f"#{field_id}", Input).value = value
        # The question asked is still the one open (start_over finds nothing changed).
        self._show_repeat(self._confirming is not None)
