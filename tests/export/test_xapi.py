"""xAPI statements, validated by an independent validator: Ralph's xAPI pydantic models."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from peerskole.export.xapi import XAPI_VERSION
from peerskole.store.base import StepUpdate
from peerskole.store.sqlite import SQLiteStore
from tests.conftest import import_or_unavailable
from tests.export.conftest import World, run_cli

xapi_models = import_or_unavailable(
    "ralph.models.xapi.base.statements",
    "ralph-malph (the test extra) is not installed: pip install -e '.[test]'",
)

ADL = "http://adlnet.gov/expapi/verbs/"


def export_xapi(tmp_path: Path, *args: str, name: str = "out.jsonl") -> list[dict[str, Any]]:
    out = tmp_path / name
    assert run_cli("export", "--format", "xapi", "--course", "mini", "-o", str(out), *args) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def of(statements: list[dict[str, Any]], learner: str) -> list[dict[str, Any]]:
    return [s for s in statements if s["actor"]["account"]["name"] == learner]


def test_every_statement_is_valid_xapi(world: World, tmp_path: Path) -> None:
    statements = export_xapi(tmp_path)
    assert statements
    for statement in statements:
        model = xapi_models.BaseXapiStatement.model_validate(statement)
        assert model.version == XAPI_VERSION
        assert statement["timestamp"].endswith("+00:00")
        assert dt.datetime.fromisoformat(statement["timestamp"]).tzinfo is not None
        assert statement["verb"]["id"].startswith(ADL)


def test_verbs_results_and_activities(world: World, tmp_path: Path) -> None:
    statements = export_xapi(tmp_path)
    done = of(statements, world.done)
    verbs = sorted(s["verb"]["id"].removeprefix(ADL) for s in done)
    assert verbs == sorted(
        ["answered"] * 3 + ["experienced"] * 3 + ["passed", "completed", "completed",
                                                  "completed"]
    )
    course_done = [s for s in done if s["object"]["id"] == "https://peerskole.invalid/courses/mini"]
    assert course_done[0]["timestamp"] == "2026-03-02T08:30:00+00:00"
    passed = next(s for s in done if s["verb"]["id"].endswith("passed"))
    assert passed["object"]["id"] == (
        "https://peerskole.invalid/courses/mini/modules/first/steps/quiz")
    assert passed["result"]["score"]["scaled"] == 1.0
    assert passed["context"]["contextActivities"]["parent"][0]["id"].endswith("/modules/first")

    partial = of(statements, world.partial)
    failed = next(s for s in partial if s["verb"]["id"].endswith("failed"))
    assert failed["result"]["success"] is False
    assert failed["result"]["score"]["scaled"] == pytest.approx(0.3333)
    assert failed["timestamp"] == "2026-01-10T09:10:00+00:00"
    progressed = next(s for s in partial if s["verb"]["id"].endswith("progressed"))
    assert progressed["object"]["id"].endswith("/modules/first")
    assert progressed["result"]["extensions"][
        "https://w3id.org/xapi/cmi5/result/extensions/progress"] == 16  # 1 of 6 required

    manual = of(statements, world.manual)
    assert len(manual) == 1
    assert manual[0]["timestamp"] == "2026-02-01T12:00:00+00:00"
    assert manual[0]["result"]["extensions"] == {
        "https://peerskole.invalid/xapi/extensions/recorded-by-coordinator": True}
    assert of(statements, world.idle) == []


def test_learners_are_pseudonymous(world: World, tmp_path: Path) -> None:
    text = (tmp_path / "out.jsonl")
    export_xapi(tmp_path)
    content = text.read_text(encoding="utf-8")
    for name in ("Ærø Åse", "Bo Ibsen", "Dorte", "Cai", "HYPERLINK", "Tab"):
        assert name not in content


def test_the_same_records_give_the_same_ids(world: World, tmp_path: Path) -> None:
    first = export_xapi(tmp_path, name="a.jsonl")
    second = export_xapi(tmp_path, name="b.jsonl")
    assert first == second
    ids = [s["id"] for s in first]
    assert len(ids) == len(set(ids))


def test_configured_addresses_are_used(world: World, tmp_path: Path) -> None:
    assert run_cli("settings", "set", "xapi_homepage", "https://skole.example.dk") == 0
    assert run_cli("settings", "set", "xapi_activity_base", "https://kurser.example.dk/") == 0
    statement = export_xapi(tmp_path)[0]
    assert statement["actor"]["account"]["homePage"] == "https://skole.example.dk"
    assert statement["object"]["id"].startswith("https://kurser.example.dk/courses/mini/")
    assert run_cli("settings", "set", "xapi_homepage", "skole.example.dk") == 1


def test_since_keeps_later_statements_only(world: World, tmp_path: Path) -> None:
    recent = export_xapi(tmp_path, "--since", "2026-03-02")
    assert {s["actor"]["account"]["name"] for s in recent} == {world.done}
    assert all(s["timestamp"] >= "2026-03-02" for s in recent)


def test_an_empty_cohort_gives_no_statements(world: World, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert export_xapi(tmp_path, "--cohort", "nobody") == []
    assert (tmp_path / "out.jsonl").read_bytes() == b""
    assert 'no learners in cohort "nobody"' in capsys.readouterr().err


def test_hostile_names_reach_no_statement(world: World, store: SQLiteStore,
                                         tmp_path: Path) -> None:
    for learner_id in world.hostile.values():
        store.update_step(learner_id, "mini", "1.0", "first", "intro",
                          StepUpdate(facts={"opened": True}, add_seconds=5, done=True))
    statements = export_xapi(tmp_path, "--cohort", "hold-2")
    assert {s["actor"]["account"]["name"] for s in statements} == set(world.hostile.values())
    text = (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert "HYPERLINK" not in text and "Ærø" not in text
