"""One profile open in two places (two app windows, two browser tabs) while its
passphrase changes, and wrong passphrases tried from several places at once.

Two sessions each have a store connection of their own on one database, on both
backends (tests/core/conftest.py's ``backend``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from peerskole import privacy
from peerskole.course.loader import load_course
from peerskole.course.model import Course
from peerskole.privacy import PrivacyError, TextPlace
from peerskole.session import Session, WriteQueue
from peerskole.store.base import StoreError
from peerskole.store.sql import SQLStore
from tests.conftest import SAMPLE_COURSE
from tests.core.conftest import Backend

A, B, C = "første adgangskode", "anden adgangskode", "tredje adgangskode"
MODULE, STEP = "first", "own-experience"


@dataclass
class Window:
    """One open app: its own store connection, write queue and session."""

    store: SQLStore
    session: Session
    stale: threading.Event
    thread: threading.Thread

    def close(self) -> None:
        self.session.writes.close()
        self.thread.join(timeout=10)
        self.store.close()


def open_window(backend: Backend, course: Course, learner_id: str, passphrase: str) -> Window:
    store = backend.open()
    params = privacy.protection(store, learner_id)
    assert params is not None
    key = privacy.unlock(params, learner_id, passphrase)
    writes = WriteQueue(store)
    thread = threading.Thread(target=writes.run, daemon=True)
    thread.start()
    session = Session(store, course, store.learner(learner_id), writes, key=key)
    stale = threading.Event()
    session.on_stale = stale.set
    session.reload()
    return Window(store, session, stale, thread)


@pytest.fixture
def course() -> Course:
    return load_course(SAMPLE_COURSE)


@pytest.fixture
def two_windows(backend: Backend, course: Course) -> Iterator[tuple[Window, Window]]:
    """A profile with passphrase A, open in two windows."""
    setup = backend.open()
    learner = setup.add_learner("Åse")
    privacy.rekey(setup, learner.id, None, privacy.new_key(learner.id, A))
    setup.close()
    one = open_window(backend, course, learner.id, A)
    two = open_window(backend, course, learner.id, A)
    yield one, two
    one.close()
    two.close()


def stored_text(store: SQLStore, learner_id: str, passphrase: str) -> str:
    """The reflection as it opens with passphrase (PrivacyError when it does not)."""
    saved = store.reflection(learner_id, "mini", MODULE, STEP)
    assert saved is not None
    params = privacy.protection(store, learner_id)
    assert params is not None
    key = privacy.unlock(params, learner_id, passphrase)
    return privacy.reveal(key, saved.text, TextPlace(learner_id, "mini", MODULE, STEP,
                                                     "reflection"))


def change_passphrase(window: Window, passphrase: str) -> PrivacyError | None:
    answers: list[PrivacyError | None] = []
    new = privacy.new_key(window.session.learner.id, passphrase)
    window.session.change_passphrase(new, answers.append)
    assert window.session.writes.flush(timeout=10)
    (answer,) = answers
    return answer


def test_a_window_that_missed_a_change_of_passphrase_never_seals_with_the_old_key(
    two_windows: tuple[Window, Window], course: Course
) -> None:
    one, two = two_windows
    module = course.module(MODULE)
    step = module.step(STEP)
    learner = two.session.learner.id
    two.session.save_reflection(module, step, "Det første udkast", False)
    assert two.session.writes.flush(timeout=10)

    assert change_passphrase(one, B) is None  # window 1: A → B
    assert stored_text(one.store, learner, B) == "Det første udkast"

    # Window 2 autosaves with the key it opened the profile with.
    two.session.save_reflection(module, step, "Det første udkast, og mere til", False)
    assert two.stale.wait(timeout=10)  # it asks for the passphrase again
    assert not two.session.writes.flush(timeout=1.0)  # the draft waits, in memory
    assert two.session.writes.pending == 2  # the draft, and its word count behind it
    # Nothing was written over: the text still opens with B (and only with B).
    assert stored_text(one.store, learner, B) == "Det første udkast"
    with pytest.raises(PrivacyError):
        stored_text(one.store, learner, A)

    # Window 2 is given the new passphrase: the waiting draft is sealed with it.
    params = privacy.protection(two.store, learner)
    assert params is not None
    two.session.replace_key(privacy.unlock(params, learner, B))
    assert two.session.writes.flush(timeout=10)
    assert stored_text(one.store, learner, B) == "Det første udkast, og mere til"

    # And changing the passphrase works again, in either window.
    assert change_passphrase(two, C) is None
    assert stored_text(two.store, learner, C) == "Det første udkast, og mere til"


def test_a_window_that_missed_a_change_cannot_change_the_passphrase_again(
    two_windows: tuple[Window, Window],
) -> None:
    one, two = two_windows
    learner = one.session.learner.id
    one.session.save_reflection(one.session.course.module(MODULE),
                                one.session.course.module(MODULE).step(STEP), "Min tekst", False)
    assert change_passphrase(one, B) is None
    answer = change_passphrase(two, C)  # window 2 still holds A's key
    assert answer is not None and answer.problem == "stale"
    assert two.stale.is_set()
    assert stored_text(one.store, learner, B) == "Min tekst"  # nothing changed
    # Nor can it remove the passphrase and write readable text into the profile.
    answers: list[PrivacyError | None] = []
    two.session.change_passphrase(None, answers.append)
    assert two.session.writes.flush(timeout=10)
    assert answers[0] is not None and answers[0].problem == "stale"
    assert stored_text(one.store, learner, B) == "Min tekst"


def test_a_reflection_sealed_with_another_key_is_unreadable_and_never_written(
    two_windows: tuple[Window, Window], course: Course
) -> None:
    from peerskole.i18n import Translator

    one, two = two_windows
    module = course.module(MODULE)
    step = module.step(STEP)
    learner = one.session.learner.id
    one.session.save_reflection(module, step, "Skrevet i vindue 1", False)
    assert change_passphrase(one, B) is None
    data = two.session.step_data(module, step, Translator("da"), "", False)
    assert data.unreadable and data.reflection is not None
    assert data.reflection.text == ""  # no placeholder that could be saved as text
    assert two.stale.is_set()
    two.session.save_reflection(module, step, "", False)  # whatever the view sends
    assert two.session.writes.pending == 0
    assert stored_text(one.store, learner, B) == "Skrevet i vindue 1"


def test_a_session_without_a_passphrase_cannot_write_readable_text_into_a_protected_profile(
    backend: Backend, course: Course
) -> None:
    store = backend.open()
    learner = store.add_learner("Åse")
    other = backend.open()
    privacy.rekey(other, learner.id, None, privacy.new_key(learner.id, A))
    with pytest.raises(StoreError) as caught:
        store.save_reflection(learner.id, "mini", MODULE, STEP, "Læsbar tekst", False,
                              if_settings=privacy.key_settings(None))
    assert caught.value.problem == "stale"
    assert store.reflection(learner.id, "mini", MODULE, STEP) is None
    store.close()
    other.close()


def test_a_change_of_passphrase_racing_with_writes_leaves_every_text_readable(
    backend: Backend,
) -> None:
    """Writes from one connection while another re-keys: none lands sealed with the old key.

    The check and the write must be one atomic step in the store: a re-keying that
    commits between them would leave that write sealed with a key nobody has.
    """
    setup = backend.open()
    learner = setup.add_learner("Åse").id
    old = privacy.new_key(learner, A)
    privacy.rekey(setup, learner, None, old)
    setup.close()
    for round_ in range(3):
        writer, rekeyer = backend.open(), backend.open()
        new = privacy.new_key(learner, f"{B} {round_}")
        written = threading.Event()
        thread = threading.Thread(target=write_until_refused,
                                  args=(writer, learner, old, written))
        thread.start()
        assert written.wait(timeout=30)
        privacy.rekey(rekeyer, learner, old, new)
        thread.join(timeout=60)
        for n in range(40):
            saved = rekeyer.reflection(learner, "mini", "m", f"s{n}")
            if saved is not None:
                new.open(saved.text, TextPlace(learner, "mini", "m", f"s{n}", "reflection"))
        writer.close()
        rekeyer.close()
        old = new


def write_until_refused(
    store: SQLStore, learner: str, key: privacy.ProfileKey, written: threading.Event
) -> None:
    """Save reflections sealed with key until the store refuses one as stale."""
    for n in range(400):
        place = TextPlace(learner, "mini", "m", f"s{n % 40}", "reflection")
        try:
            store.save_reflection(learner, "mini", "m", f"s{n % 40}",
                                  key.seal(f"tekst {n}", place), False,
                                  if_settings=key.expected_settings)
        except StoreError as error:
            if error.problem == "stale":
                return
            continue  # busy: try the next
        if n >= 20:
            written.set()


# --- wrong passphrases ------------------------------------------------------------------


def test_the_wait_grows_after_the_free_tries_and_is_capped() -> None:
    waits = [privacy.try_delay(n) for n in range(12)]
    assert waits[:privacy.FREE_TRIES] == [0] * privacy.FREE_TRIES
    assert waits[5:9] == [30, 60, 120, 240]
    assert privacy.try_delay(1000) == privacy.MAX_WAIT_SECONDS


def test_wrong_passphrases_slow_every_window_alike(backend: Backend) -> None:
    one, two = backend.open(), backend.open()
    learner = one.add_learner("Åse").id
    privacy.rekey(one, learner, None, privacy.new_key(learner, A))
    params = privacy.protection(one, learner)
    assert params is not None
    now = [1_000_000.0]

    def attempt(store: SQLStore, passphrase: str) -> PrivacyError | None:
        try:
            privacy.unlock_profile(store, params, learner, passphrase, clock=lambda: now[0])
        except PrivacyError as error:
            return error
        return None

    # Five wrong tries, from both windows: the fifth says to wait 30 seconds.
    waits = []
    for n in range(5):
        error = attempt((one, two)[n % 2], "forkert gæt")
        assert error is not None and error.problem == "wrong_passphrase"
        waits.append(error.wait)
    assert waits == [0, 0, 0, 0, 30]
    # The other window must wait too, even with the right passphrase (not tried).
    now[0] += 10
    early = attempt(two, A)
    assert early is not None and early.problem == "wait" and early.wait == 20
    now[0] += 20
    error = attempt(one, "forkert igen")
    assert error is not None and error.problem == "wrong_passphrase" and error.wait == 60
    now[0] += 59
    early = attempt(one, A)
    assert early is not None and early.problem == "wait" and early.wait == 1
    now[0] += 1
    assert attempt(two, A) is None  # after the wait, the right one opens …
    error = attempt(one, "forkert")  # … and the count starts afresh
    assert error is not None and error.problem == "wrong_passphrase" and error.wait == 0
    one.close()
    two.close()


def test_erasing_a_learner_removes_the_count_of_wrong_tries(backend: Backend) -> None:
    store = backend.open()
    learner = store.add_learner("Åse").id
    privacy.rekey(store, learner, None, privacy.new_key(learner, A))
    params = privacy.protection(store, learner)
    assert params is not None
    with pytest.raises(PrivacyError):
        privacy.unlock_profile(store, params, learner, "forkert gæt")
    rows = store._read(lambda db: db.execute(
        "SELECT count(*) FROM passphrase_tries WHERE learner_id = ?", (learner,)).fetchone())
    assert rows[0] == 1
    store.erase_learner(learner)
    rows = store._read(lambda db: db.execute(
        "SELECT count(*) FROM passphrase_tries WHERE learner_id = ?", (learner,)).fetchone())
    assert rows[0] == 0
    store.close()


def test_tries_made_at_the_same_moment_are_all_counted(backend: Backend) -> None:
    setup = backend.open()
    learner = setup.add_learner("Åse").id
    setup.close()
    stores = [backend.open() for _ in range(4)]
    results: list[tuple[int, int]] = []
    start = threading.Barrier(len(stores))

    def try_many(store: SQLStore) -> None:
        start.wait()
        for _ in range(5):
            while True:
                try:
                    results.append(store.start_passphrase_try(learner, 1000, lambda n: 0))
                    break
                except StoreError as error:
                    assert error.problem == "locked"

    threads = [threading.Thread(target=try_many, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # Every try counted once: the counts handed out are 1 … 20, none twice.
    assert sorted(count for _, count in results) == list(range(1, 21))
    for store in stores:
        store.close()
