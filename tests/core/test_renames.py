"""Renaming without losing progress: records under a former id count for the renamed step.

The mini course is copied and renamed: module "first" becomes "foerste" (formerly
"first"), and its scenario "maja" becomes "maja-samtale" (formerly "maja"). A real
SQLite store holds records written under the old ids, as by a trainee before the
rename; the app's session, the completion rule and the export read them alike.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from peerskole.course.loader import load_course
from peerskole.course.model import Course
from peerskole.export.records import learner_reports
from peerskole.i18n import Translator
from peerskole.progress import CompletionRule, Renames, StepRecord
from peerskole.session import Session, WriteQueue
from peerskole.store.base import ManualCompletion, StepUpdate, Store
from peerskole.store.opening import open_store
from tests.conftest import SAMPLE_COURSE

OLD_FACTS: dict[str, dict[str, object]] = {
    "before-after": {"before": [2, 3], "after": [4, 5]},
    "intro": {"read": True},
    "quiz": {"score": 100.0, "attempts": 1},
    "maja": {"turns_answered": 1},
    "own-experience": {"words": 12},
    "practice-talk": {"entries": 1},
}
"""Facts that make every step of the mini course's first module done, under its old ids."""


def renamed_course(tmp_path: Path, *, formerly: bool = True) -> Course:
    folder = tmp_path / ("mini" if formerly else "mini-without-formerly")
    shutil.copytree(SAMPLE_COURSE, folder)
    manifest = folder / "course.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        '"first"', '"foerste"'), encoding="utf-8")
    for module in (folder / "modules").glob("*.toml"):
        text = module.read_text(encoding="utf-8")
        text = text.replace('id = "first"\n', 'id = "foerste"\nformerly = ["first"]\n', 1)
        text = text.replace('requires = ["first"]', 'requires = ["foerste"]')
        text = text.replace('id = "maja"\n', 'id = "maja-samtale"\nformerly = ["maja"]\n')
        if not formerly:
            text = "\n".join(line for line in text.splitlines()
                             if not line.startswith("formerly")) + "\n"
        module.write_text(text, encoding="utf-8")
    course = load_course(folder)
    assert course.modules[0].id == "foerste"
    assert course.modules[0].step("maja-samtale").formerly == (["maja"] if formerly else [])
    return course


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(tmp_path / "data")


def record_old_progress(store: Store, learner_id: str, course: Course) -> None:
    for step_id, facts in OLD_FACTS.items():
        store.update_step(learner_id, course.id, "1.0", "first", step_id,
                          StepUpdate(facts=facts, done=True))


def test_progress_under_former_ids_counts_in_the_app_and_the_export(
    tmp_path: Path, store: Store
) -> None:
    course = renamed_course(tmp_path)
    learner = store.add_learner("Åse")
    record_old_progress(store, learner.id, course)

    session = Session(store, course, learner, WriteQueue(store))
    session.reload()
    module = course.module("foerste")
    assert session.done(module, module.step("maja-samtale"))
    assert session.status().module("foerste").complete

    [report] = [r for r in learner_reports(store, [course]) if r.learner.id == learner.id]
    exported = report.courses[0].modules[0].status
    assert exported.module_id == "foerste" and exported.complete
    assert exported == session.status().module("foerste")
    # Without formerly the same records count for nothing.
    without = renamed_course(tmp_path, formerly=False)
    session = Session(store, without, learner, WriteQueue(store))
    session.reload()
    assert session.status().module("foerste").done_steps == 0


def test_a_coordinators_completion_under_a_former_module_id_counts(
    tmp_path: Path, store: Store
) -> None:
    course = renamed_course(tmp_path)
    learner = store.add_learner("Bo")
    store.add_manual_completions([ManualCompletion(
        learner.id, course.id, "first", "2026-03-01", "på papir", "k",
        "2026-03-02T10:00:00+00:00")])
    session = Session(store, course, learner, WriteQueue(store))
    session.reload()
    assert session.status().module("foerste").complete
    [report] = [r for r in learner_reports(store, [course]) if r.learner.id == learner.id]
    assert report.courses[0].modules[0].status.complete
    assert report.courses[0].modules[0].manual is not None


def test_a_record_under_the_old_and_one_under_the_new_id_are_combined(tmp_path: Path) -> None:
    course = renamed_course(tmp_path)
    renames = Renames(course)
    old = StepRecord("first", "quiz", "1.0", {"score": 100.0, "attempts": 1},
                     "2026-01-01T10:00:00+00:00", "2026-01-02T10:00:00+00:00", 60)
    new = StepRecord("foerste", "quiz", "1.1", {"score": 50.0, "attempts": 2},
                     "2026-02-01T10:00:00+00:00", None, 30)
    for records in ([old, new], [new, old]):
        [combined] = renames.records(records)
        assert combined[:2] == ("foerste", "quiz")
        assert combined.facts == {"score": 100.0, "attempts": 3}
        assert combined.seconds == 90
        assert combined.started_at == "2026-01-01T10:00:00+00:00"
    assert renames.key("first", "maja") == ("foerste", "maja-samtale")
    assert renames.key("foerste", "maja") == ("foerste", "maja-samtale")
    assert renames.key("second", "maja") == ("second", "maja")  # another module's step
    assert not Renames(load_course(SAMPLE_COURSE))
    rule = CompletionRule(course)
    assert rule.course_status([old]).module("foerste").done_steps == 1


def test_what_a_step_saved_before_its_rename_reopens_under_the_new_id(
    tmp_path: Path, store: Store
) -> None:
    course = renamed_course(tmp_path)
    learner = store.add_learner("Cai")
    store.update_step(learner.id, course.id, "1.0", "first", "maja",
                      StepUpdate(facts={"turns_answered": 1}, state={"choices": [1]}, done=True))
    assert Renames(course).former_keys("foerste", "maja-samtale") == [
        ("foerste", "maja"), ("first", "maja-samtale"), ("first", "maja")]
    session = Session(store, course, learner, WriteQueue(store))
    session.reload()
    module = course.module("foerste")
    data = session.step_data(module, module.step("maja-samtale"), Translator("da"), "", True)
    assert data.state == {"choices": [1]}
    assert data.record is not None and data.record.facts == {"turns_answered": 1}


def drain(session: Session) -> None:
    """Run the session's queued writes to the end, in this thread."""
    session.writes.close()
    session.writes.run()
    assert session.writes.pending == 0


@pytest.mark.parametrize("protected", [False, True], ids=["readable", "passphrase"])
def test_private_text_written_before_a_rename_is_read_and_kept_where_it_was_written(
    tmp_path: Path, store: Store, protected: bool
) -> None:
    from peerskole.privacy import protect_profile

    before = load_course(SAMPLE_COURSE)
    learner = store.add_learner("Dina")
    key = protect_profile(store, learner, "en lang nok adgangssætning") if protected else None
    writing = Session(store, before, learner, WriteQueue(store), key=key)
    writing.reload()
    first = before.module("first")
    practice = first.step("practice-talk")
    [field, *_] = [f.id for f in practice.log_fields]  # type: ignore[union-attr]
    writing.save_reflection(first, first.step("own-experience"), "Da jeg var indlagt", True)
    writing.add_practice_entry(first, practice, {field: "Hun talte om sin søster"})
    writing.save_practice_draft(first, practice, {field: "Næste gang spørger jeg"})
    drain(writing)

    course = renamed_course(tmp_path)  # module "first" is now "foerste" (formerly "first")
    module = course.module("foerste")
    reflection, practice = module.step("own-experience"), module.step("practice-talk")

    def opened() -> Session:
        session = Session(store, course, learner, WriteQueue(store), key=key)
        session.reload()
        return session

    session = opened()
    data = session.step_data(module, reflection, Translator("da"), "", True)
    assert data.reflection is not None and data.reflection.text == "Da jeg var indlagt"
    assert not data.unreadable
    data = session.step_data(module, practice, Translator("da"), "", True)
    assert [e.values[field] for e in data.entries] == ["Hun talte om sin søster"]
    assert data.draft == {field: "Næste gang spørger jeg"}

    # Going on writing keeps one text, where it was written (sealed to that place).
    session.save_reflection(module, reflection, "Da jeg var indlagt, lærte jeg at lytte", True)
    session.add_practice_entry(module, practice, {field: "Næste gang spurgte jeg"})
    drain(session)
    assert store.reflection(learner.id, course.id, "foerste", "own-experience") is None
    assert store.practice_entries(learner.id, course.id, "foerste", "practice-talk") == []
    assert len(store.practice_entries(learner.id, course.id, "first", "practice-talk")) == 2

    again = opened()
    data = again.step_data(module, reflection, Translator("da"), "", True)
    assert data.reflection is not None
    assert data.reflection.text == "Da jeg var indlagt, lærte jeg at lytte"
    data = again.step_data(module, practice, Translator("da"), "", True)
    assert [e.values[field] for e in data.entries] == [
        "Hun talte om sin søster", "Næste gang spurgte jeg"]
    drain(again)

    # The coordinator's export names the shared reflection by the step it belongs to now.
    [report] = [r for r in learner_reports(store, [course], include_shared_reflections=True)
                if r.learner.id == learner.id]
    shared = report.courses[0].modules[0].shared_reflections
    assert [(s.module_id, s.step_id, s.text) for s in shared] == [
        ("foerste", "own-experience", "Da jeg var indlagt, lærte jeg at lytte")]


def test_text_under_the_new_ids_is_the_one_read_after_a_rename(
    tmp_path: Path, store: Store
) -> None:
    course = renamed_course(tmp_path)
    learner = store.add_learner("Eik")
    store.save_reflection(learner.id, course.id, "first", "own-experience", "den gamle", False)
    store.save_reflection(learner.id, course.id, "foerste", "own-experience", "den nye", False)
    session = Session(store, course, learner, WriteQueue(store))
    session.reload()
    module = course.module("foerste")
    data = session.step_data(module, module.step("own-experience"), Translator("da"), "", True)
    assert data.reflection is not None and data.reflection.text == "den nye"
