"""The outcome report over real SQLite and PostgreSQL: figures, suppression, no text.

Each test with ``db`` runs on both backends (the store tests' ``backend`` fixture).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from peerskole.course.model import Course
from peerskole.export.outcomes import (
    COLUMNS,
    FEWER,
    GroupOutcome,
    OutcomeRow,
    outcome_groups,
)
from peerskole.export.records import learner_reports
from peerskole.store.base import StepUpdate
from peerskole.store.sql import SQLStore
from tests.conftest import REPO_DIR
from tests.core.conftest import Backend
from tests.core.conftest import backend as backend  # both stores, for these tests too
from tests.export.conftest import FIRST_FACTS, run_cli

REFLECTION_MARKER = "Qz7 refleksion om min søster på afdeling B7 qz7"
"""Planted in every learner's reflection (private, and shared by some): in no report."""
PRACTICE_MARKER = "Pk9 øvelog om samtalen med nabo Jens pk9"
"""Planted in every practice-log entry: in no report."""
NAME_MARKER = "Nm4"
"""In every learner's name: no report names anyone."""


@pytest.fixture
def db(backend: Backend) -> Iterator[SQLStore]:
    store = backend.open()
    yield store
    store.close()


def add(store: SQLStore, cohort: str | None, before: list[int] | None = None,
        after: list[int] | None = None, *, entries: int = 0, seconds: int = 60,
        complete: bool = False) -> str:
    """A learner who rated (or not), logged ``entries`` practice entries, wrote text."""
    number = len(store.learners())
    learner = store.add_learner(f"{NAME_MARKER} Deltager {number}", cohort).id
    facts: dict[str, object] = {}
    if before is not None:
        facts["before"] = before
    if after is not None:
        facts["after"] = after
    store.update_step(learner, "mini", "1.0", "first", "before-after",
                      StepUpdate(facts=facts, add_seconds=seconds))
    for _ in range(entries):
        store.add_practice_entry(learner, "mini", "first", "practice-talk",
                                 {"date": "2026-02-20", "what-happened": PRACTICE_MARKER})
    if entries:
        store.update_step(learner, "mini", "1.0", "first", "practice-talk",
                          StepUpdate(facts={"entries": entries}))
    store.save_reflection(learner, "mini", "first", "own-experience", REFLECTION_MARKER,
                          shared=number % 2 == 0)
    if complete:  # every other step of the course done (the ratings as given)
        for step, done_facts in FIRST_FACTS.items():
            if step != "before-after":
                store.update_step(learner, "mini", "1.0", "first", step,
                                  StepUpdate(facts=done_facts, done=True))
        store.update_step(learner, "mini", "1.0", "second", "read",
                          StepUpdate(facts={"read": True}, done=True))
    return learner


def groups(store: SQLStore, course: Course, cohort: str | None = None) -> list[GroupOutcome]:
    return outcome_groups(learner_reports(store, [course], cohort), course, cohort)


def row(group: GroupOutcome, row_type: str, statement: int | None = None) -> OutcomeRow:
    (found,) = [r for r in group.rows if r.row_type == row_type
                and (statement is None or r.statement == statement)
                and (row_type != "module" or r.module is not None and r.module.id == "first")]
    return found


def by_cohort(found: Sequence[GroupOutcome]) -> dict[str | None, GroupOutcome]:
    return {g.cohort: g for g in found}


def test_means_and_changes_on_known_data(db: SQLStore, course: Course) -> None:
    ratings = [([1, 2], [3, 5]), ([2, 2], [4, 4]), ([3, 1], [3, 3]), ([1, 5], [2, 5]),
               ([2, 4], [5, 4])]
    for index, (before, after) in enumerate(ratings):
        add(db, "hold-a", before, after, entries=index + 1, seconds=600,
            complete=index < 1)
    add(db, "hold-a", [5, 5])  # "before" only: not in the comparison
    add(db, "hold-a", [5, 5, 5], [1, 1, 1])  # rated statements the step no longer has
    add(db, "hold-a", [5, 0], [1, 1])  # not a rating on the scale

    (group,) = groups(db, course, "HOLD-A")  # cohort codes compare without case
    assert group.cohort == "hold-a" and group.learners == 8
    total = row(group, "self_assessment").figures
    # Each learner's mean over the statements, before: 1.5, 2, 2, 3, 3; after: 4, 4, 3,
    # 3.5, 4.5.
    assert total == {"n": 5, "before_mean": 2.3, "after_mean": 3.8, "change_mean": 1.5}
    assert row(group, "statement", 1).figures == {
        "n": 5, "before_mean": 1.8, "after_mean": 3.4, "change_mean": 1.6}
    assert row(group, "statement", 2).figures == {
        "n": 5, "before_mean": 2.8, "after_mean": 4.2, "change_mean": 1.4}
    assert row(group, "statement", 2).statement_text == "Jeg kan stille åbne spørgsmål."
    assert row(group, "practice").figures == {
        "n": 5, "practice_entries": 15, "practice_entries_mean": 3.0}
    course_row = row(group, "course").figures
    assert course_row["n"] == 8  # every learner opened a step in the app
    assert course_row["completed"] == FEWER  # one completed: a count of 1 is not shown


def test_a_count_of_one_to_four_says_fewer_than_5(db: SQLStore, course: Course) -> None:
    for index in range(6):
        add(db, "hold-a", [1, 1], [2, 2], seconds=120, complete=index < 2)
    (group,) = groups(db, course, "hold-a")
    figures = row(group, "course").figures
    assert figures["completed"] == FEWER  # 2 completed
    assert figures["n"] == 6
    assert figures["minutes_on_task_mean"] == pytest.approx(2.0, abs=0.05)
    # The two who completed logged one entry each: 2 learners.
    assert row(group, "practice").figures == {
        "n": FEWER, "practice_entries": FEWER, "practice_entries_mean": FEWER}
    assert row(group, "module", None).figures["completed"] == FEWER


def test_a_figure_on_no_learner_is_zero_not_suppressed(db: SQLStore, course: Course) -> None:
    for _ in range(5):
        add(db, "hold-a", [1, 1], [2, 2])
    (group,) = groups(db, course, "hold-a")
    assert row(group, "practice").figures == {
        "n": 0, "practice_entries": 0, "practice_entries_mean": None}
    assert row(group, "course").figures["completed"] == 0


@pytest.mark.parametrize("learners", [1, 4, 5])
def test_a_group_under_5_learners_shows_nothing(
    db: SQLStore, course: Course, learners: int
) -> None:
    for _ in range(learners):
        add(db, "hold-a", [1, 2], [3, 4], entries=1)
    (group,) = groups(db, course, "hold-a")
    if learners < 5:  # the literal, not MIN_LEARNERS: a changed threshold fails here
        assert group.learners == FEWER and group.rows == ()
    else:
        assert group.learners == 5
        assert row(group, "self_assessment").figures["n"] == 5
        assert row(group, "practice").figures["n"] == 5


def test_a_figure_on_fewer_than_5_in_a_larger_group_is_suppressed(
    db: SQLStore, course: Course
) -> None:
    for _ in range(4):
        add(db, "hold-a", [1, 2], [3, 4], entries=2)
    for _ in range(3):
        add(db, "hold-a", [1, 2])
    (group,) = groups(db, course, "hold-a")
    assert group.learners == 7 and row(group, "course").figures["n"] == 7
    for statement in (None, 1, 2):
        kind = "self_assessment" if statement is None else "statement"
        assert row(group, kind, statement).figures == {
            "n": FEWER, "before_mean": FEWER, "after_mean": FEWER, "change_mean": FEWER}
    assert row(group, "practice").figures == {
        "n": FEWER, "practice_entries": FEWER, "practice_entries_mean": FEWER}


def test_a_small_cohort_cannot_be_found_by_subtracting_from_the_whole_course(
    db: SQLStore, course: Course
) -> None:
    for _ in range(6):
        add(db, "hold-a", [1, 1], [2, 2])
    for _ in range(4):
        add(db, "hold-b", [5, 5], [1, 1])
    found = by_cohort(groups(db, course))
    assert list(found) == [None, "hold-a", "hold-b"]
    assert found["hold-b"].learners == FEWER
    assert row(found["hold-a"], "self_assessment").figures["n"] == 6
    # 10 in all, less hold-a's 6 shown, would give hold-b's 4.
    assert row(found[None], "self_assessment").figures["n"] == FEWER
    assert row(found[None], "self_assessment").figures["before_mean"] == FEWER

    add(db, "hold-b", [5, 5], [1, 1])  # hold-b reaches 5: shown, and so is the whole
    found = by_cohort(groups(db, course))
    assert row(found["hold-b"], "self_assessment").figures["n"] == 5
    assert row(found[None], "self_assessment").figures == {
        "n": 11, "before_mean": 2.82, "after_mean": 1.55, "change_mean": -1.27}


def test_learners_without_a_cohort_are_counted_in_what_subtraction_leaves(
    db: SQLStore, course: Course
) -> None:
    for _ in range(5):
        add(db, "hold-a", [1, 1], [2, 2])
    for _ in range(5):
        add(db, "hold-b", [1, 1])  # hold-b shown, with 0 pairs
    for _ in range(2):
        add(db, None, [4, 4], [4, 4])
    found = by_cohort(groups(db, course))
    assert row(found["hold-b"], "self_assessment").figures["n"] == 0
    assert row(found[None], "self_assessment").figures["n"] == FEWER  # 7 - 5 - 0 = 2
    for _ in range(3):
        add(db, None, [4, 4], [4, 4])
    found = by_cohort(groups(db, course))
    assert row(found[None], "self_assessment").figures["n"] == 10  # 5 left: shown


def test_what_subtraction_leaves_may_span_small_cohorts_and_no_cohort(
    db: SQLStore, course: Course
) -> None:
    for _ in range(5):
        add(db, "hold-a", [1, 1], [2, 2])
    for index in range(5):  # 2 of 5 rated both: suppressed in hold-b
        add(db, "hold-b", [1, 1], [3, 3] if index < 2 else None)
    for _ in range(5):  # in no cohort: no report of their own, so they are left too
        add(db, None, [4, 4], [4, 4])
    found = by_cohort(groups(db, course))
    assert row(found["hold-b"], "self_assessment").figures["n"] == FEWER
    # 12 less hold-a's 5 leaves 7 (hold-b's 2 and the 5 without a cohort): shown.
    assert row(found[None], "self_assessment").figures["n"] == 12


def report_text(tmp_path: Path, *args: str) -> str:
    out = tmp_path / "report"
    assert run_cli("report", "outcomes", "--course", "mini", "-o", str(out), *args) == 0
    return out.read_bytes().decode("utf-8-sig")


def test_no_text_a_learner_wrote_and_no_name_in_any_form(
    backend: Backend, db: SQLStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for env, value in backend.env.items():
        monkeypatch.setenv(env, value)
    ids = [add(db, "hold-a", [1, 2], [3, 4], entries=1) for _ in range(6)]
    ids += [add(db, "hold-b", [1, 2], [3, 4], entries=1) for _ in range(2)]
    for args in (("--format", "csv"), ("--format", "csv", "--excel"),
                 ("--format", "json"), ("--format", "json", "--cohort", "hold-a")):
        text = report_text(tmp_path, *args)
        assert "Øvesamtale" in text  # the course's own titles are there
        for secret in (REFLECTION_MARKER, PRACTICE_MARKER, NAME_MARKER, *ids):
            assert secret not in text, (args, secret)
        for word in ("refleksion", "øvelog", "Deltager", "Jens"):
            assert word not in text, (args, word)


def test_the_csv_opens_with_the_excel_conventions(
    backend: Backend, db: SQLStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for env, value in backend.env.items():
        monkeypatch.setenv(env, value)
    for index in range(5):
        add(db, "=hold-a", [1, 2 + index % 2], [3, 4], seconds=100)
    out = tmp_path / "udbytte.csv"
    assert run_cli("report", "outcomes", "--course", "mini", "--format", "csv", "--excel",
                   "-o", str(out)) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter=";"))
    assert tuple(rows[0]) == COLUMNS
    cohort_rows = [r for r in rows if r["cohort"]]
    assert {r["cohort"] for r in cohort_rows} == {"'=hold-a"}  # neutralised, as in export
    total = next(r for r in cohort_rows if r["row_type"] == "self_assessment")
    assert (total["n"], total["before_mean"], total["after_mean"], total["change_mean"]) == (
        "5", "1,7", "3,5", "1,8")  # a decimal comma
    course_row = next(r for r in cohort_rows if r["row_type"] == "course")
    assert course_row["minutes_on_task_mean"] == "1,7"

    plain = out.with_name("plain.csv")
    assert run_cli("report", "outcomes", "--course", "mini", "-o", str(plain)) == 0
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    with plain.open(encoding="utf-8", newline="") as stream:
        plain_rows = list(csv.DictReader(stream))
    assert next(r for r in plain_rows if r["cohort"] and r["row_type"] == "self_assessment"
                )["before_mean"] == "1.7"


def test_json_nests_groups_modules_and_steps(
    backend: Backend, db: SQLStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for env, value in backend.env.items():
        monkeypatch.setenv(env, value)
    for _ in range(5):
        add(db, "hold-a", [2, 2], [4, 4], entries=2)
    add(db, "hold-b", [2, 2], [4, 4])
    data: dict[str, Any] = json.loads(report_text(tmp_path, "--format", "json"))
    assert data["format"] == "peerskole-outcomes" and data["format_version"] == 1
    assert data["min_learners"] == 5 and data["filters"] == {"cohort": None}
    whole, hold_a, hold_b = data["groups"]
    assert (whole["cohort"], whole["learners"]) == (None, 6)
    assert whole["course"]["n"] == FEWER  # 6 - 5 shown = 1 left
    assert hold_b == {"cohort": "hold-b", "learners": FEWER}
    first = hold_a["modules"][0]
    (assessment,) = first["self_assessments"]
    assert assessment["n"] == 5 and assessment["change_mean"] == 2.0
    assert [s["statement"] for s in assessment["statements"]] == [1, 2]
    assert first["practice"] == [{"step_id": "practice-talk", "step_title": "Øvesamtale",
                                  "n": 5, "practice_entries": 10,
                                  "practice_entries_mean": 2.0}]


def test_the_report_only_reads_it_never_makes_a_database(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    assert run_cli("report", "outcomes", "--course", "mini", "--data-dir",
                   str(missing)) == 1
    assert not missing.exists()
    assert run_cli("report", "outcomes", "--data-dir", str(missing), "--course", "mini",
                   "--format", "json", "--excel") == 2


def test_every_outcome_column_is_documented() -> None:
    doc = (REPO_DIR / "docs" / "exports.md").read_text(encoding="utf-8")
    found = re.search(r"^## Outcome report\n(.*?)(?=^## )", doc, re.S | re.M)
    assert found is not None
    columns = re.findall(r"^\| `(\w+)` \|", found.group(1), re.M)
    assert columns == list(COLUMNS)
    assert "fewer than 5" in found.group(1)


def test_the_json_example_has_the_shape_of_a_real_report(
    backend: Backend, db: SQLStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.export.test_docs import shape

    for env, value in backend.env.items():
        monkeypatch.setenv(env, value)
    for _ in range(5):
        add(db, "hold-a", [2, 2], [4, 4], entries=1)
    doc = (REPO_DIR / "docs" / "exports.md").read_text(encoding="utf-8")
    example = re.search(r"<!-- outcome-json-example -->\n```json\n(.*?)```", doc, re.S)
    assert example is not None
    real = json.loads(report_text(tmp_path, "--format", "json", "--cohort", "hold-a"))
    assert shape(json.loads(example.group(1))) == shape(real)


def test_numbers_in_the_csv_are_the_report_itself(db: SQLStore, course: Course) -> None:
    from peerskole.export.outcomes import write_outcomes_csv

    for _ in range(5):
        add(db, "hold-a", [1, 3], [2, 5])
    stream = io.StringIO(newline="")
    assert write_outcomes_csv(groups(db, course, "hold-a"), course, stream) == 7
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert [r["row_type"] for r in rows] == [
        "course", "module", "self_assessment", "statement", "statement", "practice", "module"]
    assert rows[3]["statement_text"] == "Jeg kan lytte uden at give råd."
    assert (rows[2]["before_mean"], rows[2]["after_mean"], rows[2]["change_mean"]) == (
        "2.0", "3.5", "1.5")
