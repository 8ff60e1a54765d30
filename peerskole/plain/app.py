"""Plain mode's course: who am I → the overview → a module's steps, one line at a time.

The same store, course loader, session and progress rules as the terminal app: the
position, answers and drafts saved here are where the app (or a browser tab) finds
them, and the other way round.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final, TextIO

from peerskole.i18n import Translator
from peerskole.plain.console import Back, Console, Quit
from peerskole.store.base import NAME_MAX, StoreError, control_character, visible_name

if TYPE_CHECKING:
    from peerskole.course.model import Course, Module, Step
    from peerskole.privacy import KdfParams, ProfileKey
    from peerskole.session import Session, WriteQueue
    from peerskole.store.base import Learner, Position, Store

SAVE_WAIT_SECONDS: Final = 5.0
"""How long quitting waits for the queued writes to reach the store."""


def run_plain(
    course_dir: Path | None,
    data_dir: Path | None = None,
    language: str | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    store: Store | None = None,
) -> int:
    """Run plain mode until the trainee quits or the input ends; return the exit status.

    Everything written is saved before it returns, whether the trainee quit, the
    input ended (Ctrl+D) or Ctrl+C was pressed.

    Args:
        course_dir: the course folder to open; None: a known course (installed, from
            a folder or bundled), the trainee choosing when there are several.
        data_dir: where the progress database lives (None: the platform default).
        language: "da" or "en"; None uses the saved setting, else Danish.
        stdin, stdout: where lines are read and printed (the process's own by default).
        store: an open store to use instead of opening one (tests).
    """
    t = Translator(language or "da")
    console = Console(t, stdin, stdout)
    if store is not None:
        return _run_on(console, course_dir, store, language)
    from peerskole.store.opening import open_store

    try:
        store = open_store(data_dir)
    except StoreError as error:
        console.say(t("plain.store_failed", reason=str(error)))
        return 1
    try:
        return _run_on(console, course_dir, store, language)
    finally:
        store.close()


def _choose_course(console: Console, store: Store) -> Path | None:
    """The course to open: the only one known, or the one the trainee picks by number."""
    from peerskole.course.library import known_courses, manifest_title

    t = console.t
    try:
        courses = known_courses(store)
    except StoreError as error:
        console.say(t("plain.store_failed", reason=str(error)))
        return None
    if not courses:
        console.say(t("plain.no_course"))
        return None
    if len(courses) == 1:
        return courses[0].folder
    titles = [visible_name(manifest_title(c.folder) or c.id) for c in courses]
    place = console.choose(titles, lead=lambda: console.say(t("plain.choose_course")))
    return courses[place].folder if place is not None else None


def _run_on(
    console: Console, course_dir: Path | None, store: Store, language: str | None
) -> int:
    t = console.t
    try:
        saved_language = store.setting("", "language")
    except StoreError as error:
        console.say(t("plain.store_failed", reason=str(error)))
        return 1
    if language is None and saved_language in ("da", "en"):
        console.t = t = Translator(saved_language)
    if course_dir is None:
        course_dir = _choose_course(console, store)
        if course_dir is None:
            return 1
    from peerskole.course.loader import check_course

    course, problems = check_course(course_dir)
    if course is None:
        console.say(t("plain.course_failed"))
        for problem in problems:
            console.say(visible_name(str(problem)))
        return 1
    from peerskole.session import WriteQueue

    writes = WriteQueue(store)
    failed: list[StoreError] = []
    writes.on_error = failed.append
    threading.Thread(target=writes.run, name="peerskole-writes", daemon=True).start()
    plain = PlainMode(console, store, course, writes)
    status = 0
    try:
        plain.run()
    except Quit:
        pass
    except KeyboardInterrupt:
        status = 130
    finally:
        try:
            plain.leave()
            saved = writes.flush(timeout=SAVE_WAIT_SECONDS)
        except KeyboardInterrupt:  # pressed again while saving: say what is left
            saved = False
        writes.close()
        t = console.t  # the language the trainee chose meanwhile, if she did
        if saved:
            console.say(t("plain.bye"))
        else:
            reason = str(failed[-1]) if failed else t("store.no_answer")
            console.say(t("plain.not_saved", reason=reason))
            status = status or 1
    return status


class PlainMode:
    """One run of plain mode: profiles, the overview and the modules of one course."""

    def __init__(self, console: Console, store: Store, course: Course,
                 writes: WriteQueue) -> None:
        self.console = console
        self.store = store
        self.course = course
        self.writes = writes
        self.session: Session | None = None
        self._on: tuple[Module, Step] | None = None
        """The module and step open now, for the time on task when leaving."""
        self._stale = threading.Event()
        """Set when the open profile's passphrase was changed elsewhere."""
        console.on_help = self.help
        console.on_support = self.support
        console.before_prompt = self._ask_again_if_changed

    @property
    def t(self) -> Translator:
        return self.console.t

    # --- help and support ---------------------------------------------------------------

    def help(self) -> None:
        t = self.t
        words = {name: t(f"plain.cmd.{name}")
                 for name in ("help", "support", "repeat", "back", "quit")}
        self.console.say(t("plain.help", **words))

    def support(self) -> None:
        from peerskole.notices import describe_contact

        t, say = self.t, self.console.say
        contacts = self.course.manifest.support
        say(t("support.title"))
        say(t("plain.call_112"))
        for contact in contacts:
            if contact.emergency:
                say(describe_contact(contact, t))
        say(t("support.intro"))
        for contact in contacts:
            if not contact.emergency:
                say("")
                say(describe_contact(contact, t))
        say("")
        say(t("support.break_text"))
        say(t("plain.support_end"))

    # --- the whole run --------------------------------------------------------------------

    def run(self) -> None:
        t = self.t
        self.console.say(t("plain.welcome", title=self.course.title))
        self.help()
        while True:
            try:
                learner, key = self.choose_profile()
            except Back:
                self.console.say(t("plain.at_start"))
                continue
            from peerskole.session import Session

            session = self.session = Session(self.store, self.course, learner, self.writes,
                                              key=key)
            # Called from the write thread: the passphrase is asked at the next prompt.
            session.on_stale = self._stale.set
            session.reload()
            try:
                self.resume(session)
                self.overview(session)
            except Back:
                self.session = None
                # After every write of the session: its key (the one it has then, after
                # a passphrase changed in the settings) seals its last one.
                self.writes.submit(_forgetting(session))
                continue

    def leave(self) -> None:
        """Record the time on the open step (called on quitting, however it came)."""
        if self.session is not None and self._on is not None:
            seconds = self.console.take_seconds()
            if seconds:
                self.session.update(*self._on, add_seconds=seconds)

    # --- who am I ---------------------------------------------------------------------------

    def choose_profile(self) -> tuple[Learner, ProfileKey | None]:
        t, console = self.t, self.console
        while True:
            learners = self.store.learners()
            console.say(t("learner.title"))
            if not learners:
                console.say(t("plain.no_profiles"))
            names = []
            for learner in learners:
                name = visible_name(learner.display_name)
                if learner.cohort:
                    name += f" ({t('learner.in_cohort', cohort=visible_name(learner.cohort))})"
                names.append(name)
            chosen = console.choose([*names, t("plain.new_profile")])
            assert chosen is not None
            if chosen == len(learners):
                learner = self.create_profile()
            else:
                learner = learners[chosen]
            from peerskole.privacy import PrivacyError, protection

            try:
                params = protection(self.store, learner.id)
            except PrivacyError as error:
                console.say(str(error))
                continue
            if params is None:
                return learner, None
            try:
                return learner, self.unlock(learner, params)
            except Back:
                continue

    def create_profile(self) -> Learner:
        t, console = self.t, self.console
        while True:
            name = console.ask(t("learner.name"))
            if not name:
                console.say(t("learner.name_missing"))
            elif control_character(name) or len(name) > NAME_MAX:
                console.say(t("learner.name_control") if control_character(name)
                            else t("plain.name_long", maximum=NAME_MAX))
            else:
                break
        while True:
            cohort = console.ask(t("plain.cohort"))
            if control_character(cohort):
                console.say(t("learner.name_control"))
            else:
                break
        return self.store.add_learner(name, cohort or None)

    def _ask_again_if_changed(self) -> None:
        """Ask for the passphrase changed in another window; the waiting writes then go on.

        The trainee's text typed meanwhile waits in the write queue (the store refuses
        it sealed with the old key) and is sealed with the new key once given. Going
        back here means quitting, as in the app: the waiting text cannot be saved.
        """
        session = self.session
        if session is None or not self._stale.is_set():
            return
        self._stale.clear()
        from peerskole.privacy import PrivacyError, protection

        try:
            params = protection(self.store, session.learner.id)
        except PrivacyError as error:
            self.console.say(str(error))
            return
        if params is None:  # removed elsewhere: the text is stored readable now
            session.replace_key(None)
            self.console.say(self.t("passphrase.removed_elsewhere"))
            return
        try:
            key = self.unlock(session.learner, params, again=True)
        except Back:
            raise Quit() from None
        session.replace_key(key)
        self.console.say(self.t("passphrase.opened_again"))

    def unlock(self, learner: Learner, params: KdfParams, again: bool = False) -> ProfileKey:
        """Ask for the passphrase until it opens the profile (or the trainee goes back)."""
        from peerskole.notices import explain
        from peerskole.privacy import PrivacyError, unlock_profile

        t, console = self.t, self.console
        intro = "passphrase.again_intro" if again else "passphrase.prompt_intro"
        console.say(t(intro, name=visible_name(learner.display_name)))
        while True:
            passphrase = console.secret(t("plain.passphrase"))
            if not passphrase:
                console.say(t("passphrase.empty"))
                continue
            console.say(t("passphrase.checking"))
            try:
                key = unlock_profile(self.store, params, learner.id, passphrase)
            except PrivacyError as error:
                console.say(explain(error, t))
                continue
            console.say(t("plain.unlocked"))
            return key

    # --- the course -----------------------------------------------------------------------------

    def resume(self, session: Session) -> None:
        """Open the module and step the trainee was last on, in any front end."""
        position: Position | None = self.store.position(session.learner.id, self.course.id)
        if position is None:
            return
        try:
            module = self.course.module(position.module_id)
            module.step(position.step_id)
        except KeyError:
            return  # the course changed; start from the overview
        self.console.say(self.t("plain.resuming", module=module.title))
        try:
            self.module(session, module, position.step_id)
        except Back:
            pass  # back from the module: the overview

    def overview(self, session: Session) -> None:
        from peerskole.notices import programme_lines
        from peerskole.progress import locked_by, next_module

        t, console = self.t, self.console
        while True:
            status = session.status()
            console.say(t("plain.overview", title=self.course.title))
            console.say(t("overview.progress", done=status.done_steps,
                          total=status.total_steps, percent=status.percent))
            if status.complete:
                console.say(t("overview.complete"))
            elif status.modules_complete:
                console.say(t("overview.modules_done_programme_open"))
            for _, line in programme_lines(t, status.programme):
                console.say(line)
            self._say_unread_replies(session)
            options = []
            for module, state in zip(self.course.modules, status.modules, strict=True):
                blockers = locked_by(self.course, module, status)
                if blockers:
                    word = t("overview.locked", modules=", ".join(m.title for m in blockers))
                elif state.complete:
                    word = t("overview.module_done")
                elif state.status == "in_progress":
                    word = t("overview.module_started")
                else:
                    word = t("overview.module_new")
                options.append(f"{module.title}: {word}")
            options.append(t("plain.praktik"))
            options.append(t("plain.settings"))
            suggested = next_module(self.course, status)
            chosen = console.choose(
                options,
                allow_none=(t("plain.open_module", module=suggested.title)
                            if suggested is not None else None),
            )
            if chosen == len(self.course.modules):
                from peerskole.plain.praktik import walk_praktik

                walk_praktik(console, session)
                continue
            if chosen == len(self.course.modules) + 1:
                _settings(self, session)
                t = self.t  # the language may have changed
                continue
            opened = self.course.modules[chosen] if chosen is not None else suggested
            assert opened is not None
            blockers = locked_by(self.course, opened, status)
            if blockers:
                console.say(t("overview.locked_notice", module=opened.title,
                              modules=", ".join(m.title for m in blockers)))
                continue
            try:
                self.module(session, opened, None)
            except Back:
                continue

    def _say_unread_replies(self, session: Session) -> None:
        """Say how many replies from instructors wait unread, and under which reflection."""
        from peerskole import dialogue
        from peerskole.progress import Renames

        try:
            unread = [u for u in dialogue.unread_replies(self.store, session.learner.id)
                      if u.course_id == self.course.id]
        except StoreError:
            return  # said at the next visit; nothing is lost
        renames = Renames(self.course)
        places = []
        for item in unread:
            # A reflection written before a rename keeps its dialogue where it was written.
            module_id, step_id = renames.key(item.module_id, item.step_id)
            module = next((m for m in self.course.modules if m.id == module_id), None)
            step = next((s for s in module.steps if s.id == step_id), None) if module else None
            if module is not None and step is not None:
                places.append((item.count, module, step))
        if not places:
            return
        t, count = self.t, sum(n for n, _, _ in places)
        self.console.say(t("replies.notice_one" if count == 1 else "replies.notice_many",
                           n=count))
        for _, module, step in places:
            self.console.say(t("plain.replies_where", step=step.title, module=module.title))

    def module(self, session: Session, module: Module, step_id: str | None) -> None:
        """Work through a module's steps from one, until its end or "back" on the first."""
        from peerskole.course.kinds import step_kind
        from peerskole.notices import completion_notice
        from peerskole.plain.steps import StepWalk, walk_for

        t, console = self.t, self.console
        console.say(t("plain.module", title=module.title))
        console.say(t("module.goals"))
        for goal in module.goals:
            console.say(f"- {goal}")
        step: Step | None = (
            module.step(step_id) if step_id
            else session.last_step(module) or session.first_step(module)
        )
        steps = module.steps
        while step is not None:
            phase = session.phase(module, step)
            session.move_to(module, step, phase)
            before = session.status()
            console.say(t("plain.step_heading",
                          step_of=t("module.step_of", n=steps.index(step) + 1,
                                    total=len(steps)),
                          kind=t(step_kind(step.kind).label_key), title=step.title))
            if step.content_note:
                console.say(t("plain.content_note", note=step.content_note))
            data = session.step_data(module, step, t, phase, session.others_done(module, step))
            console.take_seconds()  # the time before this step was another step's
            self._on = (module, step)
            walk = walk_for(step)
            try:
                walk(StepWalk(console, session, module, data))
            except Back:
                index = steps.index(step)
                if index == 0:
                    raise
                step = steps[index - 1]
                continue
            finally:
                self.leave()
                self._on = None
                notice = completion_notice(t, self.course, module, before, session.status())
                if notice is not None:
                    console.say(notice)
            step = session.step_after(module, step)
        console.say(t("plain.module_end", title=module.title))


# --- settings: the language and the profile's passphrase ------------------------------


def _settings(mode: PlainMode, session: Session) -> None:
    """The settings, until the trainee goes back to the overview."""
    console = mode.console
    while True:
        t = mode.t
        protected = session.key is not None
        options = [t("plain.language_other"),
                   t("passphrase.change" if protected else "passphrase.set")]
        if protected:
            options.append(t("passphrase.remove"))
        options.append(t("plain.settings_back"))
        console.say(t("plain.settings_title"))
        try:
            chosen = console.choose(options)
        except Back:
            return
        if chosen == len(options) - 1:
            return
        if chosen == 0:
            _switch_language(mode)
            continue
        try:
            _change_passphrase(mode, session, remove=chosen == 2)
        except Back:
            continue


def _switch_language(mode: PlainMode) -> None:
    """Danish to English or back, kept for the next start as the app keeps it."""
    language = "en" if mode.t.language == "da" else "da"
    mode.console.t = Translator(language)
    mode.writes.submit(lambda store: store.set_setting("", "language", language),
                       key=("setting", "language"))
    mode.console.say(mode.t("plain.language_now"))


def _change_passphrase(mode: PlainMode, session: Session, remove: bool) -> None:
    """Set, change or remove the profile's passphrase, as the app's dialog does.

    Raises:
        Back: the trainee went back before anything was changed.
    """
    from peerskole.notices import explain, wait_text
    from peerskole.privacy import (
        MIN_PASSPHRASE_LENGTH,
        PrivacyError,
        new_key,
        unlock_profile,
    )

    t, console = mode.t, mode.console
    first = session.key is None
    console.say(t("passphrase.settings_title"))
    console.say(t("passphrase.state_off" if first else "passphrase.state_on"))
    console.say(t("passphrase.no_back_door"))
    console.say(t("passphrase.shared_note"))
    if session.key is not None:
        while True:
            current = console.secret(t("passphrase.current") + ":")
            if not current:
                console.say(t("passphrase.empty"))
                continue
            console.say(t("passphrase.checking"))
            try:
                # Counted like a try at opening: it may be someone else at an open profile.
                unlock_profile(mode.store, session.key.params, session.learner.id, current)
                break
            except PrivacyError as error:
                if error.problem == "wrong_passphrase":
                    wait = wait_text(error.wait, t) if error.wait > 0 else ""
                    console.say(f"{t('passphrase.current_wrong')} {wait}".strip())
                else:
                    console.say(explain(error, t))
    key = None
    if not remove:
        while True:
            new = console.secret(t("passphrase.new", minimum=MIN_PASSPHRASE_LENGTH) + ":")
            repeat = console.secret(t("passphrase.repeat") + ":")
            if new != repeat:
                console.say(t("passphrase.mismatch"))
                continue
            try:
                key = new_key(session.learner.id, new)
                break
            except PrivacyError as error:
                console.say(explain(error, t))
    console.say(t("passphrase.working"))
    finished = threading.Event()
    outcome: list[PrivacyError | None] = []

    def done(error: PrivacyError | None) -> None:  # from the write thread
        outcome.append(error)
        finished.set()

    session.change_passphrase(key, done)
    # The writes before it land first; a store that cannot be written is retried by the
    # queue, and the trainee is told it is still under way.
    while not finished.wait(timeout=15):
        console.say(t("passphrase.working"))
    [refused] = outcome
    if refused is not None:
        console.say(explain(refused, t))
    elif key is None:
        console.say(t("passphrase.done_removed"))
    else:
        console.say(t("passphrase.done_set" if first else "passphrase.done_changed"))


def _forgetting(session: Session) -> Callable[[Store], None]:
    """A write that makes the session's key open nothing more, queued after its writes."""

    def forget(store: Store) -> None:
        if session.key is not None:
            session.key.forget()

    return forget
