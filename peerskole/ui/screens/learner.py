"""Who am I: pick or create a learner profile."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from peerskole.store.base import Learner, Store, control_character, visible_name
from peerskole.ui.access import answer_from_thread, peerskole_app
from peerskole.ui.translate import translate_bindings

if TYPE_CHECKING:
    from peerskole.course.model import Course
    from peerskole.privacy import KdfParams, ProfileKey
    from peerskole.ui.app import PeerskoleApp


EXTRAS_DELAY_SECONDS = 0.05
"""How long after the first frame the key bar and the "create" button follow."""


class LearnerScreen(Screen[None]):
    """The first screen: choose your profile, or create one."""

    DEFAULT_CSS = """
    #learner-box {
        width: 1fr;
        max-width: 76;
        height: auto;
        margin: 1 2;
    }
    #learner-intro, #learner-empty {
        margin: 1 0;
        height: auto;
    }
    #learners {
        height: auto;
        max-height: 10;
    }
    #new-learner {
        height: auto;
        margin: 1 0 0 0;
    }
    #new-learner > Vertical {
        width: 1fr;
        height: auto;
    }
    /* A label above each field stays when the field has text (a placeholder does not). */
    #new-learner .field-label {
        padding: 0 1;
    }
    #learner-message {
        color: $warning;
        height: auto;
    }
    """

    AUTO_FOCUS = "#learners"

    def __init__(self, learners: list[Learner] | None = None) -> None:
        """Args:
        learners: the profiles, when the store is already open (else they follow).
        """
        super().__init__()
        self._initial = learners
        self._with_extras = False  # footer and button: added after the first frame
        self._learners: list[Learner] = []
        self._waiting: tuple[Learner, ProfileKey | None] | None = None
        self._recomposing = False  # in another language: the list is not there meanwhile

    @property
    def peer_app(self) -> PeerskoleApp:
        return peerskole_app(self)

    def compose(self) -> ComposeResult:
        t = self.peer_app.t
        translate_bindings(self, t)
        with Vertical(id="learner-box"):
            yield Static(t("learner.title"), id="learner-title", classes="screen-title")
            yield Static(t("learner.intro"), id="learner-intro")
            yield OptionList(id="learners")
            yield Static("", id="learner-empty")
            with Horizontal(id="new-learner"):
                with Vertical():
                    yield Static(t("learner.name"), classes="field-label", markup=False)
                    yield Input(id="name", max_length=80)
                with Vertical():
                    yield Static(t("learner.cohort"), classes="field-label", markup=False)
                    yield Input(id="cohort", max_length=40)
            if self._with_extras:
                yield self._create_button()
            yield Label("", id="learner-message")
        if self._with_extras:
            yield Footer()

    def _create_button(self) -> Button:
        return Button(self.peer_app.t("learner.create"), id="create", variant="primary")

    def on_mount(self) -> None:
        self.watch(self.app, "language", self.retranslate, init=False)
        self.watch(self.app, "store", self._store_opened, init=False)
        self.watch(self.app, "course", self._course_loaded, init=False)
        if self._initial is not None:
            # Filled before the screen is first drawn: one layout, not two.
            self._show_learners(self._initial)
            self._initial = None
        elif self.peer_app.store is not None:
            self.load_learners()  # the store opened before this screen watched it
        # The key bar and the "create" button come once the first frame is out and
        # keys are answered: their styles (parsed on first use; Button's are long) and
        # a widget per key are the dearest part of this screen, and the list and the
        # name field (Enter creates) work without them.
        self.call_after_refresh(self.set_timer, EXTRAS_DELAY_SECONDS, self._add_extras)

    async def _add_extras(self) -> None:
        if not self._with_extras:
            self._with_extras = True
            await self.query_one("#learner-box").mount(
                self._create_button(), before="#learner-message")
            await self.mount(Footer())
            self.refresh_bindings()  # the footer draws its keys when told they changed
            self.post_message(self.Drawn())

    class Drawn(Message):
        """The screen is on the terminal with its keys and button: start-up may go on."""

    def _store_opened(self, store: Store | None) -> None:
        if store is not None:
            self.load_learners()

    @work(thread=True, exclusive=True, group="learners")
    def load_learners(self) -> None:
        store = self.peer_app.store
        if store is None:
            return
        learners = store.learners()
        answer_from_thread(self, self._show_learners, learners)

    def _show_learners(self, learners: list[Learner]) -> None:
        if self._recomposing:
            return  # an answer from before the language changed; asked again after
        t = self.peer_app.t
        self._learners = learners
        options = self.query_one("#learners", OptionList)
        options.clear_options()
        for learner in learners:
            label = visible_name(learner.display_name)
            if learner.cohort:
                label += f"  ({t('learner.in_cohort', cohort=visible_name(learner.cohort))})"
            # Option text is shown as-is: a name is never markup.
            options.add_option(Option(Content(label), id=learner.id))
        options.display = bool(learners)
        if learners:
            options.highlighted = 0
            options.focus()
        self.query_one("#learner-empty", Static).update(t("learner.none") if not learners else "")
        if not learners:
            self.query_one("#name", Input).focus()

    @on(OptionList.OptionSelected, "#learners")
    def open_learner(self, event: OptionList.OptionSelected) -> None:
        chosen = next(lr for lr in self._learners if lr.id == event.option.id)
        self.check_passphrase(chosen)

    @work(thread=True, exclusive=True, group="learners")
    def check_passphrase(self, learner: Learner) -> None:
        """Ask for the passphrase first when the profile has one."""
        from peerskole.privacy import PrivacyError, protection

        store = self.peer_app.store
        if store is None:
            return
        try:
            params = protection(store, learner.id)
        except PrivacyError as error:
            answer_from_thread(self, self._say, str(error))
            return
        if params is None:
            answer_from_thread(self, self._start, learner)
        else:
            answer_from_thread(self, self._ask_passphrase, learner, params)

    def _ask_passphrase(self, learner: Learner, params: KdfParams) -> None:
        from peerskole.ui.dialogs.passphrase import PassphrasePrompt

        def opened(key: ProfileKey | None) -> None:
            if key is not None:
                self._start(learner, key)

        self.app.push_screen(PassphrasePrompt(learner, params), opened)

    def _say(self, message: str) -> None:
        self.query_one("#learner-message", Label).update(Content(message))

    @on(Button.Pressed, "#create")
    @on(Input.Submitted)
    def create_learner(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        cohort = self.query_one("#cohort", Input).value.strip() or None
        if not name:
            self._say(self.peer_app.t("learner.name_missing"))
            self.query_one("#name", Input).focus()
            return
        # An ESC in a name could drive the terminal of whoever lists learners later.
        for field_id, text in (("#name", name), ("#cohort", cohort or "")):
            if control_character(text):
                self._say(self.peer_app.t("learner.name_control"))
                self.query_one(field_id, Input).focus()
                return
        self.add_learner(name, cohort)

    @work(thread=True, exclusive=True, group="learners")
    def add_learner(self, name: str, cohort: str | None) -> None:
        store = self.peer_app.store
        if store is None:
            return
        learner = store.add_learner(name, cohort)
        answer_from_thread(self, self._start, learner)

    def _start(self, learner: Learner, key: ProfileKey | None = None) -> None:
        if self.peer_app.course is None:
            # The course is still loading (or has errors, shown on top): go on once ready.
            self._waiting = (learner, key)
            return
        self.peer_app.start_session(learner, key)

    def _course_loaded(self, course: Course | None) -> None:
        if course is not None and self._waiting is not None:
            (learner, key), self._waiting = self._waiting, None
            self._start(learner, key)

    async def retranslate(self, language: str) -> None:
        """Show the screen in the language the app now speaks."""
        self._recomposing = True
        try:
            await self.recompose()
        finally:
            self._recomposing = False
        self.load_learners()  # the list is filled again now the new widgets exist
