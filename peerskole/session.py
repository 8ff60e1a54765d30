"""The application session: what a trainee is doing now, whatever shows it.

Course, learner, records, drafts and the write queue. The trainee app, the browser and
any other front end work through this; it imports no UI toolkit. Every rule it applies
(is a step done, which phase a self-assessment is in, where to go next) is a function
in :mod:`peerskole.progress`.

Reads are cheap queries done when a step opens (from a worker thread); every write goes
through :class:`WriteQueue`, which a worker drains in order.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal

from peerskole.i18n import Translator
from peerskole.progress import (
    CourseStatus,
    ProgrammeFacts,
    Renames,
    StepRecord,
    course_status,
    first_step,
    manual_dates,
    others_done,
    rating_phase,
    step_after,
    step_done,
    with_kept_facts,
)
from peerskole.store.base import (
    Learner,
    Position,
    PracticeEntry,
    ReflectionText,
    StepUpdate,
    Store,
    StoreError,
)

if TYPE_CHECKING:
    # peerskole.privacy is imported where a profile's text is read or written: the
    # first screen (which imports this module for the write queue) does not need it.
    from peerskole.course.model import Course, Module, Step
    from peerskole.privacy import PrivacyError, ProfileKey, TextPlace

RETRY_SECONDS: Final = (0.5, 1.0, 2.0, 5.0)
"""Waits between attempts at a write that failed; the last repeats."""

Write = Callable[[Store], object]


@dataclass(frozen=True)
class StepData:
    """Everything a step view needs to show a step as the trainee left it."""

    module: Module
    step: Step
    t: Translator
    record: StepRecord | None = None
    state: Mapping[str, Any] = field(default_factory=dict)
    """UI state saved by the view before (chosen answers and the like)."""
    reflection: ReflectionText | None = None
    entries: tuple[PracticeEntry, ...] = ()
    draft: Mapping[str, str] | None = None
    """For a practice step: the log entry the trainee was writing (field id → text as
    typed); None when there is none."""
    phase: str = ""
    """For a self-assessment: "before" or "after"; otherwise empty."""
    others_done: bool = False
    """Whether every other required step of the module is done."""
    orders: tuple[tuple[int, ...], ...] = ()
    """For a quiz or scenario: the option ids of each question or turn in the order shown."""

    def order(self, index: int, count: int) -> Sequence[int]:
        """The option ids of question or turn ``index`` as shown; file order if none is given.

        Args:
            index: the question's or turn's index in the step.
            count: how many options or responses it has.
        """
        if index < len(self.orders) and len(self.orders[index]) == count:
            return self.orders[index]
        return range(count)
    unreadable: bool = False
    """For a reflection: its stored text cannot be opened with the session's key (the
    passphrase was changed elsewhere); it is shown read-only and never saved over."""



class WriteQueue:
    """Writes to the store, in order, retried until they succeed.

    A write submitted under a key replaces a pending write with the same key
    (a newer reflection draft supersedes an older one), so a slow or failing
    store never builds up a backlog of stale drafts. Nothing is dropped: a write
    stays pending, in memory, until the store accepts it.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._pending: dict[object, Write] = {}
        self._order: list[object] = []
        self._cond = threading.Condition()
        self._closed = False
        self._counter = 0
        self.on_error: Callable[[StoreError], object] = lambda error: None
        self.on_saved: Callable[[], object] = lambda: None

    def submit(self, write: Write, key: object = None) -> None:
        """Queue a write; with a key, replace a pending write under the same key."""
        with self._cond:
            if key is None:
                self._counter += 1
                key = ("write", self._counter)
            if key not in self._pending:
                self._order.append(key)
            self._pending[key] = write
            self._cond.notify_all()

    @property
    def pending(self) -> int:
        with self._cond:
            return len(self._order)

    def run(self) -> None:
        """Drain the queue until closed and empty; run this in a worker thread."""
        failures = 0
        while True:
            with self._cond:
                while not self._order and not self._closed:
                    self._cond.wait()
                if not self._order:
                    return
                key = self._order[0]
                write = self._pending[key]
            try:
                write(self._store)
            except StoreError as error:
                self.on_error(error)
                wait = RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)]
                failures += 1
                with self._cond:
                    if self._closed:
                        # Closed at exit: flush() has waited, and a trainee who was asked
                        # chose to quit; retrying on would only hold the process open.
                        return
                    self._cond.wait(timeout=wait)
                continue
            failures = 0
            with self._cond:
                # A newer write under the same key may have replaced this one meanwhile.
                if self._pending.get(key) is write:
                    del self._pending[key]
                    self._order.remove(key)
                self._cond.notify_all()
            self.on_saved()

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every pending write is done; True when none is left."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._order:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(timeout=left)
            return True

    def retry_now(self) -> None:
        """Try a failing write again at once instead of after the current wait."""
        with self._cond:
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()


@dataclass
class Session:
    """One learner working through one course."""

    store: Store
    course: Course
    learner: Learner
    writes: WriteQueue
    records: dict[tuple[str, str], StepRecord] = field(default_factory=dict)
    # What this session wrote, so a step reopened before its write landed shows it.
    states: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    reflections: dict[tuple[str, str], ReflectionText] = field(default_factory=dict)
    entries: dict[tuple[str, str], tuple[PracticeEntry, ...]] = field(default_factory=dict)
    practice_drafts: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    """(module id, step id) → the log entry being written there, as this session last
    sent it (empty once saved or cleared), so a step reopened before the write landed
    shows it."""
    draft_rounds: dict[tuple[str, str], int] = field(default_factory=dict)
    """(module id, step id) → how many entries this session saved there from the form.

    Part of a draft write's queue key: a draft typed after an entry was saved queues
    behind that entry's write (which deletes the draft it came from), never in the
    place of a draft write still waiting in front of it.
    """
    key: ProfileKey | None = None
    """The unlocked key of a passphrase-protected profile; None when it has none.

    Writes read it as they run in the write queue's thread, not when they are
    queued: a passphrase change is itself a queued write that swaps the key once
    the store is re-keyed, so every write is sealed with the key the store holds
    at that moment.
    """

    manual: dict[str, str] = field(default_factory=dict)
    """Module id → when a coordinator recorded it complete (done outside the app)."""

    programme: ProgrammeFacts | None = None
    """The learner's sessions, register entries and approved praktik, for a course with a
    programme (read with the records); None for one without."""

    preview: bool = False
    """An instructor's preview (``peerskole preview``): a locked module opens too, shown
    as previewed, so any module can be seen without completing those it requires."""

    unreadable: set[tuple[str, str]] = field(default_factory=set)
    """Reflections (module id, step id) whose stored text this session's key cannot
    open: never written over, so the sealed text stays for the key that can."""

    on_stale: Callable[[], object] = lambda: None
    """Called (from any thread) when the profile's passphrase was changed elsewhere and
    this session's key no longer opens or seals its text; the app asks for it again.
    Writes of private text wait meanwhile (the store refuses them, the queue keeps
    them) and are sealed with the new key once :meth:`replace_key` has it."""

    praktik_form: dict[str, Any] | None = None
    """The praktik form as the trainee left it unsent (field → value), kept while this
    session lasts so leaving the praktik screen loses nothing; in memory only."""

    homes: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    """(module id, step id) → where the step's private text is kept in the store: its
    own ids, or the former ids (formerly) it was written under before a rename and
    still lives under (see :meth:`text_home`)."""

    last_steps: dict[str, str] = field(default_factory=dict)
    """Module id → the step the trainee was last on there, in this session.

    The store keeps one resume position a course; this keeps one a module, so
    opening a module again from the overview returns to where the trainee was.
    """

    def reload(self) -> None:
        """Read the learner's records afresh from the store."""
        # Progress recorded under a former id (formerly) counts for the step renamed.
        renames = Renames(self.course)
        self.records = {
            (r.module_id, r.step_id): r
            for r in renames.records(self.store.step_records(self.learner.id, self.course.id))
        }
        self.manual = manual_dates(
            renames.manual(self.store.manual_completions(self.learner.id, self.course.id))
        )
        if self.course.manifest.programme is not None:
            from peerskole.export.records import learner_programme

            self.programme = learner_programme(self.store, self.course, self.learner)

    def status(self) -> CourseStatus:
        """The learner's standing by the one completion rule, programme included."""
        return course_status(self.course, self.records.values(), self.manual, self.programme)

    def record(self, module: Module, step: Step) -> StepRecord | None:
        return self.records.get((module.id, step.id))

    def done(self, module: Module, step: Step) -> bool:
        return step_done(step, self.record(module, step))

    def others_done(self, module: Module, step: Step) -> bool:
        """Whether every required step of the module but this one is done."""
        return others_done(module, step, self.records)

    def phase(self, module: Module, step: Step) -> str:
        """For a self-assessment, the rating it asks for now ("before" or "after"); else ""."""
        return rating_phase(module, step, self.records) if step.kind == "self_assessment" else ""

    def first_step(self, module: Module) -> Step:
        """Where the trainee starts in a module with no step to return to."""
        return first_step(module, self.records)

    def step_after(self, module: Module, step: Step) -> Step | None:
        """The step to open on moving on from this one; None to go back to the overview."""
        return step_after(module, step, self.records)

    def update(
        self,
        module: Module,
        step: Step,
        facts: dict[str, object] | None = None,
        state: dict[str, object] | None = None,
        add_seconds: int = 0,
    ) -> bool:
        """Record progress on a step: in memory at once, in the store by the queue.

        Returns:
            Whether the step is now done, by the course's completion rule.
        """
        old = self.records.get((module.id, step.id))
        if facts is not None:
            facts = with_kept_facts(facts, old.facts if old else None)
        new_facts = dict(facts) if facts is not None else dict(old.facts if old else {})
        # One clock: the time written to the store is the time this session shows.
        at = _now()
        # A step done keeps the course version it was done on (as the store does).
        version = old.course_version if old and old.completed_at else self.course.version
        candidate = StepRecord(
            module.id, step.id, version, new_facts,
            old.started_at if old else at, old.completed_at if old else None,
            (old.seconds if old else 0) + add_seconds, at,
        )
        if state is not None:
            self.states[(module.id, step.id)] = dict(state)
        done = step_done(step, candidate)
        if done and candidate.completed_at is None:
            candidate = candidate._replace(completed_at=at)
        self.records[(module.id, step.id)] = candidate
        update = StepUpdate(facts=facts, state=state, add_seconds=add_seconds, done=done, at=at)
        learner, course = self.learner.id, self.course
        self.writes.submit(
            lambda store: store.update_step(
                learner, course.id, course.version, module.id, step.id, update
            )
        )
        return done

    def save_reflection(self, module: Module, step: Step, text: str, shared: bool) -> bool:
        """Keep a reflection's text (queued, latest draft wins) and its word count.

        Returns:
            Whether the step is now done.
        """
        from peerskole.progress import word_count
        from peerskole.store.base import now

        key = (module.id, step.id)
        if key in self.unreadable:
            # Its view is read-only; this is a last guard against writing over text
            # sealed with a key this session does not have.
            return self.done(module, step)
        self.reflections[key] = ReflectionText(text, shared, now())
        learner, course_id = self.learner.id, self.course.id
        from peerskole.privacy import conceal, key_settings

        place = self._place(module, step, "reflection")
        home = self.text_home(module, step)
        # Sealed as the write runs, with the key of that moment; the store refuses it
        # ("stale") if that key is no longer the profile's.
        self.writes.submit(
            self._private(lambda store: store.save_reflection(
                learner, course_id, *home,
                conceal(self.key, text, place, shared), shared,
                if_settings=key_settings(self.key),
            )),
            key=("reflection", learner, course_id, *home),
        )
        return self.update(module, step, facts={"words": word_count(text)})

    def add_practice_entry(self, module: Module, step: Step, values: dict[str, str]) -> bool:
        """Add a practice log entry written in the step's form; its draft goes with it.

        Returns:
            Whether the step is now done.
        """
        from peerskole.store.base import now

        key = (module.id, step.id)
        entries = self.entries.get(key)
        if entries is None:
            entries = self._stored_entries(module, step)
        self.entries[key] = (*entries, PracticeEntry(-1, dict(values), now()))
        self.practice_drafts[key] = {}
        self.draft_rounds[key] = self.draft_rounds.get(key, 0) + 1
        learner, course_id = self.learner.id, self.course.id
        from peerskole.privacy import key_settings

        home = self.text_home(module, step)
        self.writes.submit(
            self._private(lambda store: store.add_practice_entry(
                learner, course_id, *home, self._sealed(module, step, values),
                from_draft=True, if_settings=key_settings(self.key),
            ))
        )
        return self.update(module, step, facts={"entries": len(self.entries[key])})

    def save_practice_draft(self, module: Module, step: Step, values: dict[str, str]) -> None:
        """Keep the log entry being written on a practice step (queued, latest draft wins).

        Args:
            values: field id → text as typed; empty when the form is blank (the kept
                draft is then deleted).
        """
        key = (module.id, step.id)
        self.practice_drafts[key] = dict(values)
        learner, course_id = self.learner.id, self.course.id
        from peerskole.privacy import key_settings

        home = self.text_home(module, step)
        self.writes.submit(
            self._private(lambda store: store.save_practice_draft(
                learner, course_id, *home, self._sealed(module, step, values),
                if_settings=key_settings(self.key),
            )),
            key=("practice-draft", learner, course_id, *home,
                 self.draft_rounds.get(key, 0)),
        )

    def step_data(
        self, module: Module, step: Step, t: Translator, phase: str, others_done: bool
    ) -> StepData:
        """What a step view opens with; reads the store (call from a worker)."""
        from peerskole.ordering import step_orders
    
        key = (module.id, step.id)
        learner, course_id = self.learner.id, self.course.id
        state = self.states.get(key)
        if state is None:
            state = self.store.step_state(learner, course_id, module.id, step.id)
            # What was saved before a rename (formerly) reopens under the new id. (Private
            # text is sealed to the place it was written and stays there: text_home.)
            for old_module, old_step in (Renames(self.course).former_keys(*key)
                                         if not state else ()):
                state = self.store.step_state(learner, course_id, old_module, old_step)
                if state:
                    break
        reflection: ReflectionText | None = None
        entries: tuple[PracticeEntry, ...] = ()
        draft: dict[str, str] | None = None
        if step.kind == "reflection":
            reflection = self.reflections.get(key) or self._stored_reflection(module, step)
        if step.kind == "practice":
            cached = self.entries.get(key)
            entries = cached if cached is not None else self._stored_entries(module, step, t)
            draft = (self.practice_drafts[key] if key in self.practice_drafts
                     else self._stored_draft(module, step))
        return StepData(
            module=module, step=step, t=t, record=self.records.get(key), state=state,
            reflection=reflection, entries=entries, draft=draft or None, phase=phase,
            others_done=others_done, orders=step_orders(step, learner, course_id, module.id),
            unreadable=key in self.unreadable,
        )

    # --- private text, sealed when the profile has a passphrase ----------------------

    def text_home(self, module: Module, step: Step) -> tuple[str, str]:
        """The (module id, step id) the step's private text is kept under in the store.

        Its own ids; or, after a rename (``formerly``), the former ids its reflection,
        log or draft was written under, when nothing is kept under the new ones. The
        text stays where it was written, sealed to that place, and is read and written
        there, with its dialogue: the instructors' copies of the replies are sealed to
        the place too, and only they could seal them again elsewhere. Exports and the
        instructors' inbox name it by the step it now belongs to.
        """
        key = (module.id, step.id)
        home = self.homes.get(key)
        if home is None:
            home = key
            former = Renames(self.course).former_keys(*key)
            if former and not self._has_text(key):
                home = next((old for old in former if self._has_text(old)), key)
            self.homes[key] = home
        return home

    def _has_text(self, key: tuple[str, str]) -> bool:
        learner, course_id = self.learner.id, self.course.id
        return (self.store.reflection(learner, course_id, *key) is not None
                or bool(self.store.practice_entries(learner, course_id, *key))
                or self.store.practice_draft(learner, course_id, *key) is not None)

    def _place(
        self, module: Module, step: Step, kind: Literal["reflection", "practice"],
        field_id: str = "",
    ) -> TextPlace:
        from peerskole.privacy import TextPlace

        return TextPlace(self.learner.id, self.course.id, *self.text_home(module, step), kind,
                         field_id)

    def _stored_reflection(self, module: Module, step: Step) -> ReflectionText | None:
        """The stored reflection, readable; with no text (and the step marked
        unreadable) when this session's key cannot open it."""
        from peerskole.privacy import PrivacyError, reveal

        saved = self.store.reflection(self.learner.id, self.course.id,
                                    *self.text_home(module, step))
        if saved is None:
            return None
        place = self._place(module, step, "reflection")
        try:
            text = reveal(self.key, saved.text, place, saved.shared)
        except PrivacyError:
            self.unreadable.add((module.id, step.id))
            self._check_key()
            return dataclasses.replace(saved, text="")
        self.unreadable.discard((module.id, step.id))
        return dataclasses.replace(saved, text=text)

    def _stored_entries(
        self, module: Module, step: Step, t: Translator | None = None
    ) -> tuple[PracticeEntry, ...]:
        stored = self.store.practice_entries(self.learner.id, self.course.id,
                                             *self.text_home(module, step))
        return tuple(
            dataclasses.replace(entry, values={
                name: self._reveal(value, self._place(module, step, "practice", name), t)
                for name, value in entry.values.items()
            })
            for entry in stored
        )

    def _stored_draft(self, module: Module, step: Step) -> dict[str, str] | None:
        """The log entry being written, readable; None when there is none or it cannot be
        opened (it is never put in the form as a message that could be saved over it)."""
        from peerskole.privacy import PrivacyError, reveal

        stored = self.store.practice_draft(self.learner.id, self.course.id,
                                           *self.text_home(module, step))
        if stored is None:
            return None
        try:
            return {
                name: reveal(self.key, value, self._place(module, step, "practice", name))
                for name, value in stored.items()
            }
        except PrivacyError:
            return None

    def _sealed(self, module: Module, step: Step, values: dict[str, str]) -> dict[str, str]:
        """Practice-log values as they are stored: sealed with the key the profile has now.

        Called as the write runs, in the write queue's thread (see ``key``).
        """
        from peerskole.privacy import conceal

        return {
            name: conceal(self.key, value, self._place(module, step, "practice", name))
            for name, value in values.items()
        }

    def _reveal(
        self, value: str, place: TextPlace, t: Translator | None, shared: bool = False
    ) -> str:
        from peerskole.privacy import PrivacyError, reveal

        try:
            return reveal(self.key, value, place, shared)
        except PrivacyError:
            # Sealed with another key (the passphrase changed in another window) or
            # damaged: say so in place of the text rather than fail the whole step.
            # A log entry is only shown, never written back.
            self._check_key()
            return t("privacy.unreadable") if t is not None else ""

    def _private(self, write: Write) -> Write:
        """A write of private text that tells on_stale when the store refuses it as
        sealed with a key that is no longer the profile's (it stays queued)."""

        def run(store: Store) -> object:
            try:
                return write(store)
            except StoreError as error:
                if error.problem == "stale":
                    self.on_stale()
                raise

        return run

    def _check_key(self) -> None:
        """Tell on_stale when the store's passphrase settings are no longer this key's."""
        from peerskole.privacy import SETTING_KEY, key_settings

        stored = self.store.setting(self.learner.id, SETTING_KEY)
        if stored != key_settings(self.key)[SETTING_KEY]:
            self.on_stale()

    def replace_key(self, key: ProfileKey | None) -> None:
        """Take the key the passphrase now opens (asked again after a change elsewhere).

        Pending writes are sealed with it as they run; reflections this session could
        not open are read afresh when next shown.
        """
        self.key = key
        self.unreadable.clear()
        self.writes.retry_now()

    def change_passphrase(
        self,
        new: ProfileKey | None,
        done: Callable[[PrivacyError | None], object],
    ) -> None:
        """Queue setting, changing (new key) or removing (None) the passphrase.

        Every write queued before it lands first, sealed with the old key; the
        re-keying then re-seals everything in one transaction and swaps the key
        for the writes after it. ``done`` is called from the write thread with
        None, or the PrivacyError that left everything as it was; a StoreError
        is retried by the queue like any other write.
        """
        from peerskole.privacy import PrivacyError, rekey

        def write(store: Store) -> None:
            try:
                rekey(store, self.learner.id, self.key, new)
            except PrivacyError as error:
                done(error)
                if error.problem == "stale":  # changed elsewhere since this session opened
                    self.on_stale()
                return
            self.key = new
            done(None)

        self.writes.submit(write)

    def last_step(self, module: Module) -> Step | None:
        """The step the trainee was last on in this module, if any (see last_steps)."""
        step_id = self.last_steps.get(module.id)
        if step_id is None:
            return None
        try:
            return module.step(step_id)
        except KeyError:  # the course changed under the trainee (preview)
            return None

    def move_to(self, module: Module, step: Step, phase: str = "") -> None:
        self.last_steps[module.id] = step.id
        position = Position(module.id, step.id, phase)
        learner, course_id = self.learner.id, self.course.id
        self.writes.submit(
            lambda store: store.set_position(learner, course_id, position),
            key=("position", learner, course_id),
        )


def _now() -> str:
    from peerskole.store.base import now

    return now()
