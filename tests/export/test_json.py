"""JSON export: the documented shape, the same records as the CSV, names unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

from peerskole.export.records import local_date
from tests.export.conftest import HOSTILE_NAMES, World, run_cli


def export_json(tmp_path: Path, *args: str) -> dict[str, Any]:
    out = tmp_path / "out.json"
    assert run_cli("export", "--format", "json", "--course", "mini", "-o", str(out), *args) == 0
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def test_shape(world: World, tmp_path: Path) -> None:
    data = export_json(tmp_path)
    assert data["format"] == "peerskole-records" and data["format_version"] == 1
    assert data["filters"] == {"course": ["mini"], "cohort": None, "since": None,
                               "include_shared_reflections": False}
    assert data["courses"] == [{
        "course_id": "mini", "course_title": "Minikursus", "course_version": "1.0",
        "modules": [{"module_id": "first", "module_title": "Første modul"},
                    {"module_id": "second", "module_title": "Andet modul"}],
    }]
    learners = {x["learner_id"]: x for x in data["learners"]}
    assert len(learners) == 4 + len(HOSTILE_NAMES)
    done = learners[world.done]
    assert set(done) == {"learner_id", "learner_name", "cohort", "courses"}
    course = done["courses"][0]
    assert course["course_status"] == "completed"
    assert course["course_started"] == "2026-03-01T09:00:00+00:00"
    assert course["course_completed"] == "2026-03-02T08:30:00+00:00"
    assert course["minutes_on_task"] == 13
    # Whole days from the activity's local date to the export's (the fixture's times are
    # pinned, the export is made today).
    today = dt.date.fromisoformat(local_date(data["exported_at"]))
    assert course["last_activity"] == "2026-03-02T08:30:00+00:00"
    assert course["days_since_activity"] == (
        today - dt.date.fromisoformat(local_date("2026-03-02T08:30:00+00:00"))).days
    first = course["modules"][0]
    assert first == {
        "module_id": "first", "module_title": "Første modul", "module_status": "completed",
        "started": "2026-03-01T09:00:00+00:00", "completed": "2026-03-01T10:00:00+00:00",
        "completed_version": "1.0",
        "completed_manually": False, "manual_completion": None, "steps_done": 6,
        "steps_total": 6, "quiz_score": 100.0, "minutes_on_task": 12,
        "last_activity": "2026-03-01T10:00:00+00:00",
        "days_since_activity": (
            today - dt.date.fromisoformat(local_date("2026-03-01T10:00:00+00:00"))).days,
    }
    manual = learners[world.manual]["courses"][0]["modules"][0]
    assert manual["completed_manually"] is True
    assert manual["manual_completion"] == {
        "completed_on": "2026-02-01", "note": "Gennemført på papir på holdet",
        "recorded_by": "koordinator", "recorded_at": "2026-02-02T09:00:00+00:00",
    }
    partial = learners[world.partial]["courses"][0]["modules"][0]
    assert abs(partial["quiz_score"] - 100 / 3) < 1e-9


def test_names_are_kept_as_they_are(world: World, tmp_path: Path) -> None:
    learners = export_json(tmp_path, "--cohort", "hold-2")["learners"]
    assert {x["learner_name"] for x in learners} == set(HOSTILE_NAMES)


def test_json_and_csv_hold_the_same_records(world: World, tmp_path: Path) -> None:
    data = export_json(tmp_path)
    out = tmp_path / "out.csv"
    assert run_cli("export", "--course", "mini", "-o", str(out)) == 0
    with out.open(encoding="utf-8", newline="") as stream:
        rows = {(r["learner_id"], r["module_id"]): r for r in csv.DictReader(stream)}
    for learner in data["learners"]:
        for course in learner["courses"]:
            course_row = rows.pop((learner["learner_id"], ""))
            assert course_row["row_type"] == "course"
            assert course_row["course_status"] == course["course_status"]
            assert course_row["started"] == (course["course_started"] or "")
            assert course_row["completed"] == (course["course_completed"] or "")
            assert course_row["minutes_on_task"] == str(course["minutes_on_task"])
            assert course_row["completed_version"] == (course["completed_version"] or "")
            for module in course["modules"]:
                row = rows[(learner["learner_id"], module["module_id"])]
                assert row["module_status"] == module["module_status"]
                assert row["completed"] == (module["completed"] or "")
                assert row["minutes_on_task"] == str(module["minutes_on_task"])
                assert row["completed_version"] == (module["completed_version"] or "")
    assert len(rows) == sum(len(c["modules"]) for x in data["learners"] for c in x["courses"])


def test_since_and_an_empty_cohort(world: World, tmp_path: Path) -> None:
    recent = export_json(tmp_path, "--since", "2026-03-01")
    assert [x["learner_id"] for x in recent["learners"]] == [world.done]
    assert recent["filters"]["since"].startswith("2026-03-01T00:00:00")
    empty = export_json(tmp_path, "--cohort", "nobody")
    assert empty["learners"] == []
