"""Following a cohort: each learner's module, % done, last activity and stall, and no text."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from peerskole.export.cohort import CohortLine, cohort_lines, is_stalled
from peerskole.export.records import learner_reports
from peerskole.store.sqlite import SQLiteStore
from tests.export.conftest import PRIVATE_MARKER, SHARED_MARKER, World, run_cli

TODAY = dt.date(2026, 3, 10)


def lines_of(world: World, store: SQLiteStore, **kwargs: object) -> dict[str, CohortLine]:
    reports = learner_reports(store, [world.course], "hold-1")
    return {line.learner_id: line
            for line in cohort_lines(reports, today=TODAY, **kwargs)}  # type: ignore[arg-type]


def test_each_learner_where_they_are_how_far_and_how_long_ago(
    world: World, store: SQLiteStore
) -> None:
    lines = lines_of(world, store)
    assert list(lines) == [world.partial, world.manual, world.idle, world.done]  # name order
    done, partial = lines[world.done], lines[world.partial]
    assert (done.status, done.module_id, done.percent_done) == ("completed", None, 100)
    assert (done.last_activity, done.days_since, done.stalled) == (
        "2026-03-02T08:30:00+00:00", 8, False)
    # Bo read the intro of the first module and failed its quiz on 10 January.
    assert (partial.status, partial.module_id, partial.module_title) == (
        "in_progress", "first", world.course.module("first").title)
    required = sum(len(m.required_step_ids) for m in world.course.modules)
    assert partial.percent_done == 100 * 1 // required
    assert (partial.days_since, partial.stalled) == (59, True)
    # Cai's first module was recorded by a coordinator: he goes on in the second.
    cai = lines[world.manual]
    assert (cai.module_id, cai.last_activity, cai.days_since) == ("second", "2026-02-01", 37)
    assert cai.percent_done == 100 * len(world.course.module("first").required_step_ids) \
        // required
    # Dorte was added today and has done nothing yet: not stalled, she has only just begun.
    dorte = lines[world.idle]
    assert (dorte.status, dorte.module_id, dorte.last_activity, dorte.stalled) == (
        "not_started", "first", None, False)


def test_the_stall_limit_is_a_setting(world: World, store: SQLiteStore) -> None:
    assert lines_of(world, store, stalled_after=60)[world.partial].stalled is False
    assert lines_of(world, store, stalled_after=36)[world.manual].stalled is True
    assert is_stalled(False, 15, 14) and not is_stalled(False, 14, 14)
    assert not is_stalled(True, 400, 14)  # a finished learner is never stalled


def test_never_started_counts_from_the_day_the_learner_was_added(
    world: World, store: SQLiteStore
) -> None:
    store._db.execute("UPDATE learners SET created_at = '2026-02-01T09:00:00+00:00' "
                      "WHERE id = ?", (world.idle,))
    dorte = lines_of(world, store)[world.idle]
    assert (dorte.days_since, dorte.stalled) == (37, True)


def test_cohort_show_prints_a_table_and_json_and_no_text_a_learner_wrote(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("cohort", "show", "HOLD-1") == 0  # cohort codes compare without case
    table = capsys.readouterr().out
    assert table.splitlines()[0].split() == ["Name", "Module", "Done", "Last", "activity",
                                             "Days", "Minutes"]
    assert "Bo Ibsen" in table and "Ærø Åse" in table and "STALLED" in table
    assert "4 learner(s);" in table
    assert run_cli("cohort", "show", "hold-1", "--stalled") == 0
    stalled = capsys.readouterr().out
    assert "Bo Ibsen" in stalled and "Ærø Åse" not in stalled
    assert run_cli("cohort", "show", "hold-1", "--json") == 0
    document = json.loads(capsys.readouterr().out)
    by_name = {line["name"]: line for line in document["learners"]}
    assert by_name["Ærø Åse"]["percent_done"] == 100
    assert by_name["Bo Ibsen"]["stalled"] is True
    assert document["stalled_after_days"] == 14
    for output in (table, stalled, json.dumps(document, ensure_ascii=False)):
        assert PRIVATE_MARKER not in output and SHARED_MARKER not in output


def test_the_setting_moves_the_limit_and_is_checked(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("settings", "set", "stalled_after_days", "fjorten") == 1
    assert "a number of days from 1 to 999" in capsys.readouterr().err
    assert run_cli("settings", "set", "stalled_after_days", "9999") == 1
    assert run_cli("settings", "set", "stalled_after_days", "1000") == 1
    capsys.readouterr()
    assert run_cli("settings", "set", "stalled_after_days", "999") == 0
    capsys.readouterr()
    assert run_cli("cohort", "show", "hold-1", "--json") == 0
    document = json.loads(capsys.readouterr().out)
    assert document["stalled_after_days"] == 999
    assert not any(line["stalled"] for line in document["learners"])


def test_an_unknown_cohort_says_how_to_find_the_codes(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("cohort", "show", "hold-9") == 1
    assert "peerskole cohort list" in capsys.readouterr().err
