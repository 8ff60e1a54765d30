"""Renaming, moving and merging learners keeps their progress, on every backend.

Each test runs twice (tests/core/conftest.py): on a SQLite file and on a real
PostgreSQL server.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, NoReturn

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerskole.course.loader import load_course
from peerskole.course.model import Course
from peerskole.progress import CompletionRule, manual_dates, merged_record
from peerskole.store import StoreError
from peerskole.store.base import (
    AttendanceMark,
    ClassSession,
    IssuedCertificate,
    LearnerMerge,
    ManualCompletion,
    Position,
    PraktikDecision,
    PraktikEntry,
    PrivateText,
    ReflectionMessage,
    ReflectionText,
    StepRecord,
    StepUpdate,
    StoredReflection,
    Supervisor,
)
from peerskole.store.sql import LEARNER_TABLES, MERGE_DROPPED, SQLStore
from tests.conftest import SAMPLE_COURSE
from tests.core.conftest import Backend

BY = "koordinator"
AT = "2026-04-01T10:00:00+00:00"


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(SAMPLE_COURSE)


def _refuse_reflection(mine: StoredReflection, theirs: StoredReflection) -> ReflectionText:
    raise ValueError(f"both wrote on {mine.step_id}")


def _refuse_draft(course: str, module: str, step: str) -> NoReturn:
    raise ValueError(f"both have a draft on {step}")


def _as_is(item: PrivateText) -> str:
    return item.value


def _rules(
    step_record: Callable[[StepRecord, StepRecord], StepRecord] = merged_record,
    reflection: Callable[[StoredReflection, StoredReflection], ReflectionText] = (
        _refuse_reflection),
) -> LearnerMerge:
    return LearnerMerge(step_record=step_record, reflection=reflection, moved_text=_as_is,
                        draft=_refuse_draft)


def _step(store: SQLStore, learner: str, step: str, facts: dict[str, object], done: bool,
          at: str, seconds: int = 60) -> None:
    store.update_step(learner, "mini", "1.0", "first", step,
                      StepUpdate(facts=facts, add_seconds=seconds, done=done, at=at))


def test_rename_and_move_keep_progress_and_are_kept_in_the_history(store: SQLStore) -> None:
    learner = store.add_learner("Åse", "hold-1")
    _step(store, learner.id, "intro", {"read": True}, True, "2026-03-01T09:00:00+00:00")
    before = store.step_records(learner.id, "mini")
    renamed = store.rename_learner(learner.id, "Åse Hansen", BY, AT)
    assert renamed.display_name == "Åse Hansen" and renamed.cohort == "hold-1"
    moved = store.move_learner(learner.id, "HOLD-2 ", "anden", "2026-04-02T10:00:00+00:00")
    assert moved.cohort == "hold-2"  # as every cohort code: without case and space
    store.move_learner(learner.id, None, BY, "2026-04-03T10:00:00+00:00")
    assert store.learner(learner.id) == learner.__class__(
        learner.id, "Åse Hansen", None, learner.created_at)
    assert store.step_records(learner.id, "mini") == before
    changes = [(c.change, c.from_value, c.to_value, c.changed_by, c.changed_at)
               for c in store.learner_changes(learner.id)]
    assert changes == [
        ("rename", "Åse", "Åse Hansen", BY, AT),
        ("move", "hold-1", "hold-2", "anden", "2026-04-02T10:00:00+00:00"),
        ("move", "hold-2", "", BY, "2026-04-03T10:00:00+00:00"),
    ]
    with pytest.raises(StoreError) as caught:
        store.rename_learner("nope", "X", BY, AT)
    assert caught.value.problem == "not_found"
    with pytest.raises(StoreError) as caught:
        store.move_learner("nope", None, BY, AT)
    assert caught.value.problem == "not_found"


def _two_halves(store: SQLStore) -> tuple[str, str]:
    """One person's two profiles, each with part of the mini course's first module.

    Neither alone completes it; together they do, by the completion rule.
    """
    keep = store.add_learner("Åse Hansen", "hold-1").id
    other = store.add_learner("Åse H.", "hold-2").id
    # KEEP: read the intro, answered Maja, rated "before", failed the quiz once.
    _step(store, keep, "before-after", {"before": [2, 3]}, False, "2026-03-01T09:00:00+00:00")
    _step(store, keep, "intro", {"read": True}, True, "2026-03-01T09:05:00+00:00")
    _step(store, keep, "maja", {"turns_answered": 1}, True, "2026-03-01T09:20:00+00:00")
    _step(store, keep, "quiz", {"score": 100 / 3, "attempts": 1}, False,
          "2026-03-05T10:00:00+00:00", seconds=30)
    store.set_position(keep, "mini", Position("first", "quiz"))
    # OTHER: passed the quiz (earlier), wrote the reflection, logged practice, rated both.
    _step(store, other, "quiz", {"score": 100.0, "attempts": 2}, True,
          "2026-03-03T11:00:00+00:00", seconds=90)
    _step(store, other, "own-experience", {"words": 12}, True, "2026-03-03T11:30:00+00:00")
    store.save_reflection(other, "mini", "first", "own-experience", "Jeg blev lyttet til i går",
                          shared=False)
    _step(store, other, "practice-talk", {"entries": 1}, True, "2026-03-04T12:00:00+00:00")
    store.add_practice_entry(other, "mini", "first", "practice-talk", {"what": "samtale"})
    _step(store, other, "before-after", {"before": [1, 2], "after": [4, 5]}, True,
          "2026-03-06T13:00:00+00:00")
    store.add_manual_completions([ManualCompletion(
        other, "mini", "second", "2026-03-02", "På holdet", BY, "2026-03-02T15:00:00+00:00")])
    store.rename_learner(other, "Åse H.", BY, "2026-03-02T16:00:00+00:00")
    return keep, other


def _first_module(store: SQLStore, course: Course, learner: str) -> tuple[bool, str | None]:
    status = CompletionRule(course).course_status(
        store.step_records(learner, "mini"),
        manual_dates(store.manual_completions(learner, "mini")),
    )
    first = status.module("first")
    return first.complete, first.completed_at


def test_a_merge_completes_the_module_each_profile_did_part_of(
    store: SQLStore, course: Course
) -> None:
    keep, other = _two_halves(store)
    assert not _first_module(store, course, keep)[0]
    assert not _first_module(store, course, other)[0]
    store.set_position(other, "mini", Position("first", "practice-talk", "after"))
    with store._write() as db:  # OTHER's was set later (now() counts whole seconds)
        db.execute("UPDATE positions SET updated_at = ? WHERE learner_id = ?",
                   ("2026-03-01T00:00:00+00:00", keep))

    moved = store.merge_learners(keep, other, _rules(), BY, AT)

    complete, completed_at = _first_module(store, course, keep)
    assert complete
    # The module is complete when its last required step was: "before-after", in OTHER.
    assert completed_at == "2026-03-06T13:00:00+00:00"
    quiz = {r.step_id: r for r in store.step_records(keep, "mini")}["quiz"]
    assert quiz.facts == {"score": 100.0, "attempts": 3}  # the best attempt; every attempt
    assert quiz.completed_at == "2026-03-03T11:00:00+00:00"  # the earliest completion
    assert quiz.started_at == "2026-03-03T11:00:00+00:00" and quiz.seconds == 120
    assert moved["step_records"] == 4 and moved["step_records_combined"] == 2
    text = store.reflection(keep, "mini", "first", "own-experience")
    assert text is not None and text.text == "Jeg blev lyttet til i går"
    [entry] = store.practice_entries(keep, "mini", "first", "practice-talk")
    assert entry.values == {"what": "samtale"}
    assert store.position(keep, "mini") == Position("first", "practice-talk", "after")
    [manual] = store.manual_completions(keep, "mini")
    assert (manual.module_id, manual.note) == ("second", "På holdet")
    assert store.learner(keep).display_name == "Åse Hansen"  # KEEP's name and cohort stay
    with pytest.raises(StoreError) as caught:
        store.learner(other)
    assert caught.value.problem == "not_found"
    changes = store.learner_changes(keep)
    assert [c.change for c in changes] == ["rename", "merge"]  # OTHER's history came along
    merge = changes[-1]
    assert (merge.from_value, merge.to_value, merge.changed_by) == (other, keep, BY)
    assert "name: Åse H.; cohort: hold-2" in merge.detail


def test_a_merge_keeping_only_the_kept_records_would_be_caught(
    store: SQLStore, course: Course
) -> None:
    """The mutation of the rule the test above guards against: it must not complete."""
    keep, other = _two_halves(store)
    store.merge_learners(keep, other, _rules(step_record=lambda mine, theirs: mine), BY, AT)
    assert not _first_module(store, course, keep)[0]


def test_a_refused_merge_changes_nothing(backend: Backend, store: SQLStore) -> None:
    keep = store.add_learner("Åse").id
    other = store.add_learner("Åse").id
    for who, text in ((keep, "min første tekst"), (other, "min anden tekst")):
        _step(store, who, "intro", {"read": True}, True, "2026-03-01T09:00:00+00:00")
        store.save_reflection(who, "mini", "first", "own-experience", text, shared=False)
    before = {who: store.learner_data_counts(who) for who in (keep, other)}
    with pytest.raises(ValueError, match="both wrote on own-experience"):
        store.merge_learners(keep, other, _rules(), BY, AT)
    second = backend.open()  # what the database holds, from another connection
    assert {who: second.learner_data_counts(who) for who in (keep, other)} == before
    assert second.learner_changes(keep) == []
    second.close()

    def joined(mine: StoredReflection, theirs: StoredReflection) -> ReflectionText:
        a, b = mine.reflection, theirs.reflection
        return ReflectionText(f"{a.text}\n---\n{b.text}", a.shared and b.shared, b.updated_at)

    moved = store.merge_learners(keep, other, _rules(reflection=joined), BY, AT)
    assert moved["reflections_combined"] == 1
    joint = store.reflection(keep, "mini", "first", "own-experience")
    assert joint is not None and joint.text == "min første tekst\n---\nmin anden tekst"


def test_two_drafts_on_one_step_refuse_the_merge(store: SQLStore) -> None:
    keep = store.add_learner("Åse").id
    other = store.add_learner("Åse").id
    for who in (keep, other):
        store.save_practice_draft(who, "mini", "first", "practice-talk", {"what": who})
    with pytest.raises(ValueError, match="both have a draft on practice-talk"):
        store.merge_learners(keep, other, _rules(), BY, AT)
    assert store.practice_draft(other, "mini", "first", "practice-talk") == {"what": other}


def test_a_merge_hands_over_every_table_and_refuses_one_it_does_not_know(
    backend: Backend, store: SQLStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep = store.add_learner("Åse").id
    other = store.add_learner("Åse").id
    store.update_step(other, "k", "1", "m", "s", StepUpdate(facts={"opened": True}))
    store.save_reflection(other, "k", "m", "r", "tekst", shared=False)
    store.add_practice_entry(other, "k", "m", "p", {"x": "y"})
    store.save_practice_draft(other, "k", "m", "p", {"x": "halvt"})
    store.set_position(other, "k", Position("m", "s"))
    store.set_setting(other, "theme", "dark")
    store.set_setting(keep, "language", "en")
    store.set_setting(other, "language", "da")
    store.add_manual_completions([ManualCompletion(
        other, "k", "m", "2026-03-01", "På papir", BY, "2026-03-02T10:00:00+00:00")])
    store.start_passphrase_try(other, 1000, lambda tries: 0)
    store.rename_learner(other, "Åse", BY, AT)
    store.record_certificate(IssuedCertificate(
        f"{other}-bevis", other, "Åse", "k", "Kurset", "1.0", "participation",
        "2026-11-06T10:00:00+00:00", "Skolen", AT, BY))
    store.add_message(ReflectionMessage(
        "besked-1", other, "k", "m", "r", "learner", None, "2026-11-06T10:00:00.000001+00:00",
        None, "mit svar", "env1:kun-for-undervisere"))
    [lesson] = store.add_class_sessions([ClassSession(
        "hold-1", "k", "2026-03-02", "09:00", 180, "Aktiv lytning", "", BY, AT)])
    store.record_attendance([AttendanceMark(lesson.id, other, "present", 0, BY, AT)])
    store.add_supervisor(Supervisor("sv", "Sif", "{}", "pk", "", AT))
    store.add_praktik_entry(PraktikEntry("praktik-1", other, "k", "2026-03-02", 60, "Lyngly",
                                         "tekst", "sv", None, AT, AT))
    approval = store.add_praktik_decision(
        PraktikDecision("praktik-1", "approved", "", "sv", AT), if_latest=None)
    counts = store.learner_data_counts(other)
    assert all(counts.values()), counts  # a row in every table, so each is seen to move

    # A table of a learner's rows the merge has no rule for (a new one, say): refused.
    with store._write() as db:
        db.execute("CREATE TABLE new_things (learner_id TEXT NOT NULL REFERENCES learners (id) "
                   "ON DELETE CASCADE)")
        db.execute("INSERT INTO new_things (learner_id) VALUES (?)", (other,))
    monkeypatch.setattr("peerskole.store.sql.LEARNER_TABLES", (*LEARNER_TABLES, "new_things"))
    with pytest.raises(StoreError, match="cannot yet hand over the new_things"):
        store.merge_learners(keep, other, _rules(), BY, AT)
    assert store.learner_data_counts(other) == {**counts, "new_things": 1}
    monkeypatch.undo()
    with store._write() as db:
        db.execute("DROP TABLE new_things")

    store.merge_learners(keep, other, _rules(), BY, AT)
    after = store.learner_data_counts(keep)
    for table in LEARNER_TABLES:
        if table == "learner_changes":
            assert after[table] == counts[table] + 1  # and the merge itself
        elif table not in MERGE_DROPPED:
            assert after[table] == counts[table], table
    # The praktik entry came with its history: still approved, now the kept profile's.
    assert store.praktik_decisions(learner_id=keep) == [approval]
    assert store.approved_praktik_minutes("k") == {keep: 60}
    assert store.setting(keep, "theme") == "dark"  # one KEEP lacked comes along
    assert store.setting(keep, "language") == "en"  # KEEP's own stays
    second = backend.open()
    for table in LEARNER_TABLES:
        # The defaults bind this round's table (B023); mypy cannot type such a lambda.
        left = second._read(lambda db, t=table: db.execute(  # type: ignore[misc]
            f"SELECT count(*) FROM {t} WHERE learner_id = ?", (other,)).fetchone()[0])
        assert left == 0, table
    assert second.setting(other, "theme") is None
    second.close()


def test_a_learner_cannot_be_merged_into_themselves_or_a_missing_one(store: SQLStore) -> None:
    keep = store.add_learner("Åse").id
    for other in (keep, "nope"):
        with pytest.raises(StoreError):
            store.merge_learners(keep, other, _rules(), BY, AT)
    assert store.learner(keep).display_name == "Åse"


def _mini() -> Callable[[], Course]:
    loaded: list[Course] = []

    def course() -> Course:
        if not loaded:
            loaded.append(load_course(SAMPLE_COURSE))
        return loaded[0]

    return course


_MINI: Final = _mini()
"""The mini course, loaded once for the property test (fixtures do not mix with @given)."""

# As the app writes them for the mini course's two statements (a partial list too).
_RATINGS = st.lists(st.integers(1, 5), min_size=0, max_size=2)
_FACTS = st.fixed_dictionaries({}, optional={
    "read": st.booleans(), "opened": st.booleans(),
    "score": st.floats(0, 100), "attempts": st.integers(0, 5),
    "turns_answered": st.integers(0, 3), "ended": st.booleans(), "words": st.integers(0, 20),
    "entries": st.integers(0, 3), "before": _RATINGS, "after": _RATINGS,
})
_STAMP = st.one_of(st.none(), st.sampled_from(
    ["2026-03-01T09:00:00+00:00", "2026-03-02T09:00:00+00:00", "2026-03-03T09:00:00+00:00"]))


@given(a=_FACTS, b=_FACTS, a_done=_STAMP, b_done=_STAMP, a_seconds=st.integers(0, 99),
       b_seconds=st.integers(0, 99))
@settings(max_examples=300, deadline=None)
def test_a_merged_record_counts_for_at_least_what_either_did(
    a: dict[str, object], b: dict[str, object], a_done: str | None, b_done: str | None,
    a_seconds: int, b_seconds: int,
) -> None:
    from peerskole.progress import step_done

    mini = _MINI()
    keep = StepRecord("first", "s", "1.0", a, a_done, a_done, a_seconds)
    other = StepRecord("first", "s", "1.1", b, b_done, b_done, b_seconds)
    merged = merged_record(keep, other)
    for step in (s for module in mini.modules for s in module.steps):
        if step_done(step, keep) or step_done(step, other):
            assert step_done(step, merged), (step.id, merged.facts)
    stamps = [x for x in (a_done, b_done) if x]
    assert merged.completed_at == (min(stamps) if stamps else None)
    if stamps:
        assert merged.course_version == ("1.0" if a_done == min(stamps) else "1.1")
    assert merged.seconds == a_seconds + b_seconds
