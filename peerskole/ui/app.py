"""The trainee app: who am I → course overview → module → steps."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.events import Event, Key, MouseDown, MouseScrollDown, MouseScrollUp
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen

from peerskole.i18n import Translator
from peerskole.store.base import Learner, Store, StoreError
from peerskole.ui.textual_compat import keep_no_break_spaces
from peerskole.ui.themes import CALM, HIGH_CONTRAST
from peerskole.ui.translate import translate_bindings

if TYPE_CHECKING:
    # The course model (pydantic) loads in a worker; the first screen does not need it.
    from peerskole.course.library import KnownCourse
    from peerskole.course.model import Course, SupportContact
    from peerskole.privacy import KdfParams, ProfileKey
    from peerskole.session import Session, WriteQueue
    from peerskole.ui.dialogs.unsaved import QuitChoice

CHOSEN_COURSE_SETTING = "course"
"""The learner setting naming the course they chose last (when several are available)."""

QUIT_WAIT_SECONDS = 3.0
"""How long quitting waits for queued writes before asking what to do."""

StoreStart = tuple[Store, "str | None", "str | None", list[Learner]]
"""The open store, the saved language and theme, and the learners."""

FIRST_SCREEN_WAIT_SECONDS = 0.3
"""How long start-up waits for the store (and the learner list) before showing the
first screen without it; a database server far away must not leave the screen blank."""


class PeerskoleApp(App[None]):
    """Works through one course with one learner at a time.

    Args:
        course_dir: the course folder to open (``--course``); None: the known courses
            (:func:`peerskole.course.library.known_courses`), the trainee choosing one
            when there are several.
        data_dir: where the progress database lives (None: the platform default).
        language: "da" or "en"; None uses the saved setting, else Danish.
        store: an open store to use instead of opening one (tests, preview).
        sign_in: ask for name, cohort and passphrase instead of listing the profiles
            (``peerskole serve``: every browser tab may be someone else's).
    """

    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "peerskole"
    PREVIEW: ClassVar[bool] = False
    """Whether sessions are an instructor's preview (see ``Session.preview``)."""
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "key.help", tooltip="tip.help", id="help"),
        Binding("f2,ctrl+b", "support", "key.support", tooltip="tip.support", id="support",
                priority=True),
        Binding("ctrl+q", "quit", "key.quit", tooltip="tip.quit", id="quit", priority=True),
        Binding("f3", "toggle_contrast", "key.theme", tooltip="tip.theme", id="contrast",
                show=False),
        Binding("f4", "toggle_language", "key.language", tooltip="tip.language", id="language",
                show=False),
        # Ctrl+L: no text field binds it (TextArea takes F6 and F7), and a browser page
        # under `serve` receives it (F5 would reload the page).
        Binding("ctrl+l", "switch_learner", "key.switch_learner", tooltip="tip.switch_learner",
                id="switch_learner", show=False),
        # Declared here, not left to Textual, so the footer's label is translated like
        # every other key's (Textual adds its own English one only when none is bound).
        Binding(App.COMMAND_PALETTE_BINDING, "command_palette", "key.palette",
                tooltip="tip.palette", id="palette", show=False, priority=True),
    ]

    language: var[str] = var("da")
    """The UI's language ("da" or "en"), as :attr:`t` speaks it; screens watch it."""
    store: var[Store | None] = var(None)
    """The open store; None until it has opened (screens watch it)."""
    course: var[Course | None] = var(None)
    """The course, once loaded and checked; None before, or when it has errors."""

    def __init__(
        self,
        course_dir: Path | None,
        data_dir: Path | None = None,
        language: str | None = None,
        store: Store | None = None,
        sign_in: bool = False,
    ) -> None:
        super().__init__()
        keep_no_break_spaces()  # "80\u00a0%" is never split across two lines
        self.course_dir = course_dir
        self.course_choices: list[tuple[KnownCourse, str]] = []
        """The courses a trainee may choose from, with their titles (several, or none)."""
        self.organisation_contacts: list[SupportContact] = []
        """The organisation's own support contacts (``peerskole settings contacts``)."""
        self.data_dir = data_dir
        self.requested_language = language
        self.sign_in = sign_in
        """Whether the first screen signs in by name and passphrase (no profile list)."""
        self.t = Translator(language or "da")
        self.set_reactive(PeerskoleApp.language, self.t.language)
        self.set_reactive(PeerskoleApp.store, store)
        self.session: Session | None = None  # set once a learner is chosen
        self.writes: WriteQueue | None = None
        self.last_activity = time.monotonic()
        self._saving_failed = False
        self._last_write_error: StoreError | None = None
        self._abandon_writes = False  # the trainee chose to quit with text unsaved
        self._switching = False  # switching profile, once what is written is saved
        self.starting = True
        """True until the store has answered and, when it opened, the course is loading."""
        self._first_screen_drawn = asyncio.Event()
        self._course_wanted = not sign_in
        self._started = False  # start-up has drawn the first screen and opened the store
        # The theme is chosen before any style is built: set once running, it would
        # rebuild every style of the first screen (a saved high contrast still does).
        self.register_theme(CALM)
        self.register_theme(HIGH_CONTRAST)
        self.set_reactive(PeerskoleApp.theme, CALM.name)
        self.stylesheet.set_variables(self.get_css_variables())
        translate_bindings(self, self.t)
        # The store opens while Textual starts (the driver, the styles): it waits on
        # the disk, not the processor, and the first screen needs what it reads.
        self._store_reading: Future[StoreStart] = Future()
        threading.Thread(target=self._read_store, name="peerskole-store", daemon=True).start()

    # --- start-up -------------------------------------------------------------

    def on_mount(self) -> None:
        self._start_up()

    @work(group="startup")
    async def _start_up(self) -> None:
        """Start, in order: the first screen, the store, then the course.

        The first screen is built once, with its learner list, in the saved language:
        not drawn empty and then again (that would cost more than opening the store).
        It waits for the store only so long: a database server far away must not leave
        the screen blank. The course (the slowest part: building its model) loads once
        that screen is drawn, so it does not compete with it for the processor; nobody
        needs it before choosing a profile.
        """
        reading = asyncio.wrap_future(self._store_reading)
        done, _ = await asyncio.wait({reading}, timeout=FIRST_SCREEN_WAIT_SECONDS)
        early = reading.result() if done and reading.exception() is None else None
        # Awaited: the screen watches the store from its mount on, and the store may
        # answer any moment now (without the wait, an answer in between went unseen
        # and the learner list never came).
        await self.push_screen(self._who_are_you(early[3] if early is not None else None))
        try:
            store, language, theme, learners = await reading
        except StoreError as error:
            self.show_store_error(error)
            self.starting = False
            return
        self._store_opened(store, language, theme, learners)
        await self._first_screen_drawn.wait()
        self.starting = False
        # Signing in (under serve) needs no course: it loads once the trainee has typed
        # who she is, not while a classroom of tabs is drawing its first screens and
        # echoing the first keys (benchmarks/bench_serve.py: the course's model costs
        # each tab about 0.2 s of processor time).
        self._started = True
        if self._course_wanted:
            self.load_course()

    def _read_store(self) -> None:
        """Open the store off the UI thread and read what the first screen shows."""
        from peerskole.store.opening import open_store

        try:
            store = self.store or open_store(self.data_dir)
            read = (store, store.setting("", "language"), store.setting("", "theme"),
                    store.learners())
        except BaseException as error:  # a bug too is reported on the UI thread
            self._store_reading.set_exception(error)
            return
        self._store_reading.set_result(read)

    def _who_are_you(self, learners: list[Learner] | None) -> Screen[None]:
        """The first screen: the profile list, or signing in (:attr:`sign_in`)."""
        if self.sign_in:
            from peerskole.ui.screens.sign_in import SignInScreen

            return SignInScreen()
        from peerskole.ui.screens.learner import LearnerScreen

        return LearnerScreen(learners)

    def on_learner_screen_drawn(self) -> None:
        """The first screen is on the terminal, keys and all: the course may load."""
        self._first_screen_drawn.set()

    def on_sign_in_screen_drawn(self) -> None:
        """The sign-in screen is on the terminal (the course loads once it is wanted)."""
        self._first_screen_drawn.set()

    def want_course(self) -> None:
        """The trainee has signed in (or is about to): load the course now."""
        if not self._course_wanted:
            self._course_wanted = True
            if self._started:
                self.load_course()

    @work(thread=True, exclusive=True, group="startup-course")
    def load_course(self) -> None:
        """Load and check the course off the UI thread (the first, when there are several:
        each learner's own choice opens when they start), and the organisation's contacts."""
        from peerskole.course.contacts import CONTACTS_SETTING, stored_contacts
        from peerskole.course.library import known_courses, manifest_title
        from peerskole.course.loader import check_course
        from peerskole.errors import UserError

        store = self.store
        contacts = stored_contacts(store.setting("", CONTACTS_SETTING)) if store else []
        folder = self.course_dir
        choices: list[tuple[KnownCourse, str]] = []
        if folder is None:
            try:
                known = known_courses(store)
            except (UserError, OSError) as error:
                self.call_from_thread(self._course_loaded, None, [str(error)], [], contacts)
                return
            if not known:
                self.call_from_thread(self._course_loaded, None,
                                      ["No course is installed here."], [], contacts)
                return
            choices = [(k, manifest_title(k.folder) or k.id) for k in known]
            folder = known[0].folder
        course, problems = check_course(folder)
        self.call_from_thread(self._course_loaded, course, problems,
                              choices if len(choices) > 1 else [], contacts)

    def _store_opened(
        self, store: Store, language: str | None, theme: str | None, learners: list[Learner]
    ) -> None:
        from peerskole.session import WriteQueue

        self.writes = WriteQueue(store)
        # post_message is thread-safe and does not wait: the UI thread may itself be
        # waiting for the queue (flush at exit), so a blocking call here could deadlock.
        self.writes.on_error = lambda error: self.post_message(self.WriteFailed(error))
        self.writes.on_saved = lambda: self.post_message(self.WriteSucceeded())
        self.drain_writes(self.writes)
        if self.requested_language is None and language in ("da", "en"):
            self.set_language(language)
        if theme in (CALM.name, HIGH_CONTRAST.name):
            self.theme = theme
        self.store = store  # the first screen, watching, lists the learners if it has not

    @work(thread=True, group="writes")
    def drain_writes(self, writes: WriteQueue) -> None:
        """The one worker that performs every write, in order."""
        writes.run()

    def _course_loaded(
        self, course: Course | None, problems: list[object],
        choices: list[tuple[KnownCourse, str]], contacts: list[SupportContact],
    ) -> None:
        self.course_choices = choices
        self.organisation_contacts = contacts
        self.course = course  # a profile chosen meanwhile opens now (the screen watches)
        if course is None:
            from peerskole.ui.screens.course_error import CourseErrorScreen

            self.push_screen(CourseErrorScreen([str(p) for p in problems]))

    def show_store_error(self, error: StoreError) -> None:
        from peerskole.ui.dialogs.message import MessageDialog

        message = f"{self.store_problem(error)}\n\n{self.t('error.store_quit')}"
        self.push_screen(MessageDialog(self.t("error.store_title"), message))

    def store_problem(self, error: StoreError) -> str:
        """What is wrong with the store, in the UI's language, saying what to do about it."""
        if error.problem == "locked":
            return self.t("store.locked")
        if error.problem == "stale":
            return self.t("store.stale")
        folder = self._data_folder()
        if error.problem in ("full", "readonly", "corrupt") and folder is not None:
            return self.t(f"store.{error.problem}", folder=folder)
        return str(error)

    def _data_folder(self) -> Path | None:
        """The folder of the SQLite database; None for a database server."""
        import os

        from peerskole.store.base import DATABASE_URL_VARIABLE

        path = getattr(self.store, "path", None)
        if isinstance(path, Path):
            return path.parent
        if self.store is not None or os.environ.get(DATABASE_URL_VARIABLE):
            return None
        from peerskole.locations import data_dir

        return self.data_dir or data_dir()

    def _handle_exception(self, error: Exception) -> None:
        """Textual calls this with every unhandled exception, in a handler or a worker.

        A store that stops answering mid-session (a PostgreSQL server restarting, a
        network break) makes a screen's read fail: that is said plainly and the app
        keeps running, with the trainee's text and the queued writes intact. The
        screen can be opened again once the store answers. Anything else is a bug,
        and Textual's own handling (exit with the traceback) stays.
        """
        from textual.worker import WorkerFailed

        cause = error.error if isinstance(error, WorkerFailed) else error
        if isinstance(cause, StoreError) and cause.problem != "not_found":
            self.notify(self.t("store.read_failed", reason=str(cause)), severity="warning",
                        timeout=10, markup=False)
            return
        super()._handle_exception(error)

    # --- the session ------------------------------------------------------------

    def start_session(self, learner: Learner, key: ProfileKey | None = None) -> None:
        """Open the course for a learner, at the step where they left off.

        Args:
            learner: whose profile.
            key: the unlocked key when the profile has a passphrase.
        """
        assert self.store is not None and self.course is not None and self.writes is not None
        if self.course_choices:
            self._open_chosen_course(learner, key, None)
            return
        self._open_session(learner, key, self.course)

    @work(thread=True, exclusive=True, group="choose-course")
    def _open_chosen_course(
        self, learner: Learner, key: ProfileKey | None, course_id: str | None
    ) -> None:
        """Open the course ``course_id`` for a learner (None: the one they chose last), or
        ask which when they have not chosen one that is still available."""
        from peerskole.course.loader import check_course

        assert self.store is not None and self.writes is not None
        if course_id is None:
            course_id = self.store.setting(learner.id, CHOSEN_COURSE_SETTING)
        else:
            chosen = course_id
            self.writes.submit(
                lambda store: store.set_setting(learner.id, CHOSEN_COURSE_SETTING, chosen),
                key=("setting", learner.id, CHOSEN_COURSE_SETTING),
            )
        known = next((k for k, _ in self.course_choices if k.id == course_id), None)
        if known is None:
            self.call_from_thread(self._ask_for_course, learner, key)
            return
        course, problems = (
            (self.course, []) if self.course is not None and self.course.id == known.id
            and self.course.folder == str(known.folder) else check_course(known.folder)
        )
        self.call_from_thread(self._chosen_course_loaded, learner, key, course, problems)

    def _ask_for_course(self, learner: Learner, key: ProfileKey | None) -> None:
        from peerskole.ui.screens.course_chooser import CourseChooser

        def chosen(course_id: str | None) -> None:
            if course_id is not None:
                self._open_chosen_course(learner, key, course_id)

        choices = [(k.id, title) for k, title in self.course_choices]
        self.push_screen(CourseChooser(choices), chosen)

    def _chosen_course_loaded(
        self, learner: Learner, key: ProfileKey | None, course: Course | None,
        problems: list[object],
    ) -> None:
        if course is None:
            from peerskole.ui.screens.course_error import CourseErrorScreen

            self.push_screen(CourseErrorScreen([str(p) for p in problems]))
            return
        self.course = course
        self._open_session(learner, key, course)

    def action_switch_course(self) -> None:
        """Choose another of the available courses for the open profile."""
        from peerskole.ui.screens.course_chooser import CourseChooser
        from peerskole.ui.screens.overview import OverviewScreen

        session = self.session
        if session is None or not self.course_choices or not isinstance(
            self.screen, OverviewScreen
        ):
            return

        def chosen(course_id: str | None) -> None:
            if course_id is not None and course_id != session.course.id:
                self._open_chosen_course(session.learner, session.key, course_id)

        choices = [(k.id, title) for k, title in self.course_choices]
        self.push_screen(CourseChooser(choices, session.course.id, can_cancel=True), chosen)

    def _open_session(self, learner: Learner, key: ProfileKey | None, course: Course) -> None:
        assert self.store is not None and self.writes is not None
        from peerskole.session import Session

        self.session = Session(self.store, course, learner, self.writes, key=key,
                               preview=self.PREVIEW)
        # post_message: called from the write thread or a worker, and never waits.
        self.session.on_stale = lambda: self.post_message(self.KeyChanged())
        self.resume_session(self.session)

    @work(thread=True, exclusive=True, group="session")
    def resume_session(self, session: Session) -> None:
        session.reload()
        position = session.store.position(session.learner.id, session.course.id)
        self.call_from_thread(self._show_course, session, position)

    def _show_course(self, session: Session, position: object) -> None:
        from peerskole.progress import Renames
        from peerskole.store.base import Position
        from peerskole.ui.screens.module import ModuleScreen
        from peerskole.ui.screens.overview import OverviewScreen

        self.switch_screen(OverviewScreen(session))
        if isinstance(position, Position):
            # A position saved under a former id (formerly) returns to the step renamed.
            module_id, step_id = Renames(session.course).key(position.module_id,
                                                             position.step_id)
            try:
                module = session.course.module(module_id)
                module.step(step_id)
            except KeyError:
                return  # the course changed; start from the overview
            self.push_screen(ModuleScreen(session, module, step_id))

    # --- handing the computer to the next person ----------------------------------------

    def action_switch_learner(self) -> None:
        """Save everything, forget the open profile, and ask "who are you?" again.

        What the open step holds is recorded first, as on quitting, and the switch
        waits until the store has it. Then every screen of the profile is closed, so
        the next person sees none of its text, and the session goes with its key: a
        protected profile needs its passphrase again.
        """
        from peerskole.ui.screens.module import ModuleScreen

        if self.session is None or self._switching:
            return
        self._switching = True
        for screen in self.screen_stack:
            if isinstance(screen, ModuleScreen):
                screen.record_unsent()
        self._switch_when_saved(QUIT_WAIT_SECONDS)

    @work(thread=True, exclusive=True, group="switch")
    def _switch_when_saved(self, timeout: float) -> None:
        assert self.writes is not None and self.store is not None
        saved = self.writes.flush(timeout=timeout)
        learners = self.store.learners() if saved else []
        # (mypy solves Textual's type variable for a coroutine returning None to Never.)
        self.call_from_thread(self._switch_or_say, saved, learners)  # type: ignore[arg-type]

    async def _switch_or_say(self, saved: bool, learners: list[Learner]) -> None:
        self._switching = False
        if not saved:
            error = self._last_write_error
            reason = self.store_problem(error) if error is not None else self.t("store.no_answer")
            self.notify(self.t("switch.not_saved", reason=reason), severity="warning",
                        timeout=10, markup=False)
            return
        session, self.session = self.session, None
        self.clear_notifications()  # a notice may name the previous learner's module
        if self.clipboard:
            self.copy_to_clipboard("")  # nor can the next person paste what was copied
        while len(self.screen_stack) > 2:
            await self.pop_screen()
        await self.switch_screen(self._who_are_you(learners))
        key = session.key if session is not None else None
        if key is not None and self.writes is not None:
            # Through the write queue, after every write of the session (a closed step
            # view may have queued its time on task): the key serves to its last write
            # and opens nothing from then on, however long Textual keeps the closed
            # screens (and so the session) in memory.
            self.writes.submit(lambda store: key.forget())

    # --- saving status -------------------------------------------------------------

    class WriteFailed(Message):
        """A queued write failed; it stays queued and is retried."""

        def __init__(self, error: StoreError) -> None:
            super().__init__()
            self.error = error

    class WriteSucceeded(Message):
        """A queued write reached the store."""

    class KeyChanged(Message):
        """The open profile's passphrase was changed elsewhere (another window or tab)."""

    @on(WriteFailed)
    def tell_saving_failed(self, message: WriteFailed) -> None:
        self._last_write_error = message.error
        if message.error.problem == "stale":
            return  # not trouble with saving: the session asks for the new passphrase
        # Say it once per outage, not on every retry.
        if not self._saving_failed:
            self._saving_failed = True
            # The reason names the data folder, which may hold "[": never read as markup.
            self.notify(self.t("save_failed", reason=self.store_problem(message.error)),
                        severity="warning", timeout=10, markup=False)

    @on(KeyChanged)
    def ask_passphrase_again(self) -> None:
        """Ask for the profile's new passphrase; the writes waiting for it are kept."""
        from peerskole.ui.dialogs.passphrase import PassphrasePrompt

        if self.session is not None and not any(
            isinstance(screen, PassphrasePrompt) for screen in self.screen_stack
        ):
            self._read_new_protection(self.session)

    @work(thread=True, exclusive=True, group="passphrase-again")
    def _read_new_protection(self, session: Session) -> None:
        from peerskole.privacy import PrivacyError, protection

        try:
            params = protection(session.store, session.learner.id)
        except PrivacyError as error:
            self.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        self.call_from_thread(self._ask_again, session, params)

    def _ask_again(self, session: Session, params: KdfParams | None) -> None:
        from peerskole.ui.dialogs.passphrase import PassphrasePrompt

        if session is not self.session or any(
            isinstance(screen, PassphrasePrompt) for screen in self.screen_stack
        ):
            return
        if params is None:  # removed elsewhere: the text is stored readable now
            session.replace_key(None)
            self.notify(self.t("passphrase.removed_elsewhere"), timeout=10)
            return

        def answered(key: ProfileKey | None) -> None:
            if key is not None:
                session.replace_key(key)
                self.notify(self.t("passphrase.opened_again"))
            else:
                self.action_quit()  # asks first: the waiting writes cannot be saved

        self.push_screen(PassphrasePrompt(session.learner, params, again=True), answered)

    @on(WriteSucceeded)
    def tell_saving_works_again(self) -> None:
        if self._saving_failed:
            self._saving_failed = False
            self.notify(self.t("saved"))

    def on_unmount(self) -> None:
        if self.writes is not None:
            self.writes.flush(timeout=0 if self._abandon_writes else 5.0)
            self.writes.close()

    # --- quitting, never silently losing text -------------------------------------------

    def action_quit(self) -> None:  # type: ignore[override]
        """Quit once everything written is saved; ask first when it cannot be."""
        from peerskole.ui.screens.module import ModuleScreen

        for screen in self.screen_stack:
            if isinstance(screen, ModuleScreen):
                screen.record_unsent()  # a draft still waiting for its quiet moment
        if self.writes is None or not self.writes.pending:
            self.exit()
            return
        self._quit_when_saved(QUIT_WAIT_SECONDS)

    @work(thread=True, exclusive=True, group="quit")
    def _quit_when_saved(self, timeout: float) -> None:
        assert self.writes is not None
        saved = self.writes.flush(timeout=timeout)
        self.call_from_thread(self._quit_or_ask, saved)

    def _quit_or_ask(self, saved: bool) -> None:
        from peerskole.ui.dialogs.unsaved import UnsavedQuitDialog

        if saved:
            self.exit()
            return
        if isinstance(self.screen, UnsavedQuitDialog):
            return
        error = self._last_write_error
        reason = self.store_problem(error) if error is not None else self.t("store.no_answer")
        self.push_screen(UnsavedQuitDialog(self.t, reason), self._quit_choice)

    def _quit_choice(self, choice: QuitChoice | None) -> None:
        if choice == "retry" and self.writes is not None:
            self.notify(self.t("unsaved.waiting"))
            self.writes.retry_now()
            # Long enough for a write that waits out a busy database once more.
            from peerskole.session import RETRY_SECONDS

            self._quit_when_saved(max(RETRY_SECONDS) + 1.0)
        elif choice == "quit":
            self._abandon_writes = True
            self.exit()

    # --- activity, for time on task --------------------------------------------------

    async def on_event(self, event: Event) -> None:
        if isinstance(event, (Key, MouseDown, MouseScrollDown, MouseScrollUp)):
            self.last_activity = time.monotonic()
        await super().on_event(event)

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Open a link clicked in course text, if its scheme is one a course may open.

        Every Markdown widget opens its links through here; the rule is
        :func:`peerskole.course.links.may_open`.
        """
        from peerskole.course.links import OPENABLE_SCHEMES, may_open
        from peerskole.safe_text import visible

        if not may_open(url):
            self.notify(
                self.t("link.refused", url=visible(url)[:80],
                       schemes=", ".join(sorted(OPENABLE_SCHEMES))),
                severity="warning", markup=False,
            )
            return
        super().open_url(url, new_tab=new_tab)

    # --- actions available everywhere --------------------------------------------------

    def action_help(self) -> None:
        from peerskole.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_support(self) -> None:
        from peerskole.ui.dialogs.support import SupportDialog

        if self.course is None or isinstance(self.screen, SupportDialog):
            return
        self.push_screen(SupportDialog(self.course, self.organisation_contacts))

    def action_toggle_contrast(self) -> None:
        high = self.theme != HIGH_CONTRAST.name
        self.theme = HIGH_CONTRAST.name if high else CALM.name
        self.notify(self.t("theme.high_contrast" if high else "theme.normal"))
        self._save_setting("theme", self.theme)

    def action_command_palette(self) -> None:
        """Open the command palette, its search field's hint in the UI's language.

        Made anew each time, so it follows a change of language. (A language switch
        cannot happen while it is open: F4 is not a priority key, and choosing the
        language command closes the palette first.)
        """
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(CommandPalette(placeholder=self.t("palette.placeholder"),
                                            id="--command-palette"))

    def action_toggle_language(self) -> None:
        self.set_language("en" if self.t.language == "da" else "da")
        self._save_setting("language", self.t.language)

    def set_language(self, language: str) -> None:
        """Switch every string on every open screen to another language.

        The keys of every screen are translated here; a screen that shows more text
        watches :attr:`language` and shows it anew.
        """
        self.t = Translator(language)
        translate_bindings(self, self.t)
        for screen in self.screen_stack:
            translate_bindings(screen, self.t)
        self.language = self.t.language
        self.refresh_bindings()

    def _save_setting(self, key: str, value: str) -> None:
        if self.writes is not None:
            self.writes.submit(lambda store: store.set_setting("", key, value),
                               key=("setting", key))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        t = self.t
        yield SystemCommand(t("command.support"), t("tip.support"), self.action_support)
        yield SystemCommand(t("command.help"), t("tip.help"), self.action_help)
        yield SystemCommand(t("command.theme"), t("tip.theme"), self.action_toggle_contrast)
        yield SystemCommand(t("command.language"), t("tip.language"),
                            self.action_toggle_language)
        if self.session is not None:
            yield SystemCommand(t("command.overview"), t("tip.overview"), self.go_to_overview)
            yield SystemCommand(t("command.passphrase"), t("tip.passphrase"),
                                self.action_passphrase)
            yield SystemCommand(t("command.switch_learner"), t("tip.switch_learner"),
                                self.action_switch_learner)
            if self.course_choices:
                yield SystemCommand(t("command.switch_course"), t("tip.switch_course"),
                                    self.action_switch_course)
        yield SystemCommand(t("key.quit"), t("tip.quit"), self.action_quit)

    def action_passphrase(self) -> None:
        """Set, change or remove the passphrase of the open profile."""
        from peerskole.ui.dialogs.passphrase import PassphraseSettings

        if self.session is not None and not isinstance(self.screen, PassphraseSettings):
            self.push_screen(PassphraseSettings(self.session))

    def go_to_overview(self) -> None:
        from peerskole.ui.screens.overview import OverviewScreen

        while len(self.screen_stack) > 2 and not isinstance(self.screen, OverviewScreen):
            self.pop_screen()
