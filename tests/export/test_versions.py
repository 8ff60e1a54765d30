"""Records say the course version the work was done on, not the version now."""

from __future__ import annotations

import csv
import io
import json

from peerskole.course.model import Course
from peerskole.export.certificate import certificate_for
from peerskole.export.csv_export import write_csv
from peerskole.export.json_export import write_json
from peerskole.export.records import learner_reports
from peerskole.export.xapi import XapiConfig, statements
from peerskole.store.base import StepUpdate
from peerskole.store.sqlite import SQLiteStore

READ: dict[str, object] = {"opened": True, "read": True}
FACTS: dict[str, dict[str, object]] = {
    "before-after": {"before": [3, 3], "after": [4, 4]}, "intro": READ,
    "quiz": {"score": 100.0}, "maja": {"turns_answered": 1},
    "own-experience": {"words": 10}, "practice-talk": {"entries": 1},
    "read": READ}


def bumped(course: Course, version: str) -> Course:
    return course.model_copy(update={
        "manifest": course.manifest.model_copy(update={"version": version}),
    })


def test_work_done_on_one_version_says_so_after_the_course_moves_on(
    store: SQLiteStore, course: Course
) -> None:
    learner = store.add_learner("Åse")
    for module in course.modules:
        for step in module.steps:
            store.update_step(learner.id, course.id, "1.0", module.id, step.id,
                              StepUpdate(facts=FACTS[step.id], add_seconds=60, done=True))
    # The course moves to 1.1; the trainee looks at a done step again (time on task).
    store.update_step(learner.id, course.id, "1.1", "first", "intro", StepUpdate(add_seconds=5))
    new = bumped(course, "1.1")

    [report] = list(learner_reports(store, [new]))
    assert [m.status.version for m in report.courses[0].modules] == ["1.0", "1.0"]
    text = io.StringIO()
    write_csv(learner_reports(store, [new]), text)
    rows = list(csv.DictReader(io.StringIO(text.getvalue())))
    assert {r["completed_version"] for r in rows} == {"1.0"}
    assert {r["course_version"] for r in rows} == {"1.1"}  # the course as it is now
    text = io.StringIO()
    write_json(learner_reports(store, [new]), text, courses=[new])
    [data] = json.loads(text.getvalue())["learners"]
    assert data["courses"][0]["completed_version"] == "1.0"
    assert [m["completed_version"] for m in data["courses"][0]["modules"]] == ["1.0", "1.0"]
    assert certificate_for(report.learner, report.courses[0], "Org").course_version == "1.0"
    said = list(statements(learner_reports(store, [new]), XapiConfig()))
    assert said and {s["context"]["revision"] for s in said} == {"1.0"}


def test_statements_made_anew_on_another_version_have_ids_of_their_own(
    store: SQLiteStore, course: Course
) -> None:
    """A module begun, not done: its 'progressed' statement says the version now, so
    after a bump its body changes; its id must change with it (an LRS answers 409 to a
    known id with another body, and peerskole took that for 'already stored')."""
    learner = store.add_learner("Åse")
    store.update_step(learner.id, course.id, "1.0", "first", "intro",
                      StepUpdate(facts={"opened": True, "read": True}, add_seconds=60,
                                 done=True))
    store.update_step(learner.id, course.id, "1.0", "first", "quiz",
                      StepUpdate(facts={"score": 0.0}, add_seconds=60))

    def ids(version: str) -> dict[str, str]:
        new = bumped(course, version)
        return {
            s["id"]: s["context"]["revision"]
            for s in statements(learner_reports(store, [new]), XapiConfig())
        }

    before, after = ids("1.0"), ids("1.1")
    for statement_id in set(before) & set(after):
        assert before[statement_id] == after[statement_id]  # same id: same body
    assert set(before) != set(after)
