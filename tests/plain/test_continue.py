"""Plain mode continues where the trainee was, keeps drafts however it ends, and opens
protected profiles with their passphrase."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import TextIO, cast

from peerskole.course.model import Course
from peerskole.i18n import Translator
from peerskole.plain.app import run_plain
from peerskole.privacy import ProfileKey, new_key, rekey, reveal
from peerskole.session import Session, WriteQueue
from peerskole.store.base import Position, Store
from tests.conftest import SAMPLE_COURSE
from tests.plain.conftest import run, shown_place

T = Translator("da")


def test_a_second_run_continues_at_the_step_and_answers_of_the_first(
    course: Course, store: Store, data_dir: Path
) -> None:
    anne = store.add_learner("Anne")
    first = run(data_dir, ["1", "", "3", "3", "", "", shown_place(
        course, anne, "first", "quiz", 0, 1)])  # the input ends after question 1
    assert first.status == 0
    assert store.position(anne.id, course.id) == Position("first", "quiz", "")
    assert store.step_state(anne.id, course.id, "first", "quiz") == {
        "answers": {"0": [1]}, "submitted": False}

    second = run(data_dir, ["1"])
    out = second.output
    assert T("plain.resuming", module="Første modul") in out
    assert T("plain.quiz_answered_before", numbers="1") in out
    assert "Spørgsmål 2 af 2" in out
    assert "Spørgsmål 1 af 2" not in out


def test_what_plain_mode_saved_is_what_the_app_session_reads(
    course: Course, store: Store, data_dir: Path
) -> None:
    """The session the terminal app opens finds plain mode's draft, state and position."""
    anne = store.add_learner("Anne")
    store.set_position(anne.id, course.id, Position("first", "practice-talk"))
    run(data_dir, ["1", "1", "1.3.2026", "45", "Halvt skrevet"])  # ends inside a field
    writes = WriteQueue(store)
    session = Session(store, course, anne, writes)
    session.reload()
    module = course.module("first")
    data = session.step_data(module, module.step("practice-talk"), T, "", False)
    assert data.draft == {"date": "1.3.2026", "duration": "45", "what-happened": "Halvt skrevet"}
    assert store.position(anne.id, course.id) == Position("first", "practice-talk", "")


def test_eof_in_the_middle_of_a_reflection_keeps_what_was_typed(
    course: Course, store: Store, data_dir: Path
) -> None:
    anne = store.add_learner("Anne")
    store.set_position(anne.id, course.id, Position("first", "own-experience"))
    result = run(data_dir, ["1", "Første linje", "", "Tredje linje"])
    assert result.status == 0
    assert result.output.rstrip().endswith(T("plain.bye"))
    saved = store.reflection(anne.id, course.id, "first", "own-experience")
    assert saved is not None and saved.text == "Første linje\n\nTredje linje"
    [record] = [r for r in store.step_records(anne.id, course.id)
                if r.step_id == "own-experience"]
    assert record.facts == {"words": 4}

    # Back again, the draft is there to go on with.
    again = run(data_dir, ["1", "1", "og en fjerde.", "."])
    assert "Første linje\n\nTredje linje" in again.output
    saved = store.reflection(anne.id, course.id, "first", "own-experience")
    assert saved is not None and saved.text == "Første linje\n\nTredje linje\nog en fjerde."


class _Interrupted:
    """Input that gives its lines, then Ctrl+C (as a terminal's read raises it)."""

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines(keepends=True)

    def readline(self) -> str:
        if not self._lines:
            raise KeyboardInterrupt
        return self._lines.pop(0)


def test_ctrl_c_quits_without_a_traceback_and_keeps_the_draft(
    course: Course, store: Store, data_dir: Path
) -> None:
    anne = store.add_learner("Anne")
    store.set_position(anne.id, course.id, Position("first", "own-experience"))
    out = io.StringIO()
    status = run_plain(SAMPLE_COURSE, data_dir=data_dir,
                       stdin=cast("TextIO", _Interrupted("1\nSkrevet før Ctrl+C\n")),
                       stdout=out)
    assert status == 130
    assert "Traceback" not in out.getvalue()
    assert out.getvalue().rstrip().endswith(T("plain.bye"))
    saved = store.reflection(anne.id, course.id, "first", "own-experience")
    assert saved is not None and saved.text == "Skrevet før Ctrl+C"


def test_a_protected_profile_opens_with_the_right_passphrase_after_a_wrong_one(
    course: Course, store: Store, data_dir: Path
) -> None:
    anne = store.add_learner("Anne")
    key = new_key(anne.id, "rigtig kode 123")
    rekey(store, anne.id, None, key)
    store.set_position(anne.id, course.id, Position("first", "own-experience"))
    result = run(data_dir, ["1", "forkert kode", "rigtig kode 123", "Hemmelig tekst", "."])
    out = result.output
    assert out.index(T("passphrase.wrong")) < out.index(T("plain.unlocked"))
    assert "rigtig kode 123" not in out and "forkert kode" not in out
    saved = store.reflection(anne.id, course.id, "first", "own-experience")
    assert saved is not None
    assert saved.text.startswith("enc1:")  # sealed with the profile's key
    from peerskole.privacy import TextPlace

    place = TextPlace(anne.id, course.id, "first", "own-experience", "reflection", "")
    assert reveal(key, saved.text, place) == "Hemmelig tekst"


def test_going_back_at_the_passphrase_returns_to_the_profiles(
    course: Course, store: Store, data_dir: Path
) -> None:
    anne = store.add_learner("Anne")
    rekey(store, anne.id, None, new_key(anne.id, "rigtig kode 123"))
    result = run(data_dir, ["1", "tilbage"])
    assert result.output.count(T("learner.title")) == 2
    assert T("plain.overview", title=course.title) not in result.output


class _ChangedElsewhere:
    """Opens the profile, writes a line, then has the passphrase changed "in another
    window"; presses Enter until plain mode asks for the new one, and gives it."""

    def __init__(self, out: io.StringIO, store: Store, old: ProfileKey, new: ProfileKey) -> None:
        self.out, self.store, self.old, self.new = out, store, old, new
        self.script = ["1", "gammel kode 123", "Skrevet under skiftet"]
        self.asked_again = False
        self.answers = 0
        self.deadline = time.monotonic() + 15

    def readline(self) -> str:
        self.answers += 1
        if self.script:
            line = self.script.pop(0)
            if line == "Skrevet under skiftet":
                rekey(self.store, self.old.learner_id, self.old, self.new)
            return line + "\n"
        if self.asked_again or time.monotonic() > self.deadline:
            return ""  # the input ends
        if T("passphrase.again_intro", name="Anne") in self.out.getvalue():
            self.asked_again = True
            return "ny kode 4567\n"
        if self.answers == 4:
            return ".\n"
        # Enter, until the write thread has met the change and plain mode asks: a short
        # pause a time, so a busy machine's write thread gets its turn.
        time.sleep(0.02)
        return "\n"


def test_a_passphrase_changed_elsewhere_is_asked_for_and_the_text_sealed_with_it(
    course: Course, store: Store, data_dir: Path
) -> None:
    anne = store.add_learner("Anne")
    old = new_key(anne.id, "gammel kode 123")
    rekey(store, anne.id, None, old)
    store.set_position(anne.id, course.id, Position("first", "own-experience"))
    new = new_key(anne.id, "ny kode 4567")
    out = io.StringIO()
    trainee = _ChangedElsewhere(out, store, old, new)
    status = run_plain(SAMPLE_COURSE, data_dir=data_dir, stdin=cast("TextIO", trainee),
                       stdout=out)
    assert status == 0, out.getvalue()[-1500:]
    assert trainee.asked_again, out.getvalue()[-1500:]
    assert T("passphrase.opened_again") in out.getvalue()
    saved = store.reflection(anne.id, course.id, "first", "own-experience")
    assert saved is not None
    from peerskole.privacy import TextPlace

    place = TextPlace(anne.id, course.id, "first", "own-experience", "reflection", "")
    assert reveal(new, saved.text, place) == "Skrevet under skiftet"
