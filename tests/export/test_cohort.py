"""Following a cohort: each learner's module, % done, last activity and stall, and no text."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from peerskole.course.model import Course, Programme
from peerskole.export.cohort import (
    CohortLine,
    cohort_lines,
    hours,
    is_stalled,
    read_cohort_lines,
)
from peerskole.export.records import learner_reports
from peerskole.store.base import AttendanceMark, ClassSession, Store
from peerskole.store.sqlite import SQLiteStore
from tests.conftest import SAMPLE_COURSE
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


# --- the classroom requirement and its forecast ------------------------------------------

PROGRAMME_TOML = "\n[programme]\nclassroom_hours = 9\n"
"""Nine classroom hours, every one of them required: three sessions of three hours."""


def with_programme(course: Course) -> Course:
    """The mini course as if its course.toml stated PROGRAMME_TOML."""
    manifest = course.manifest.model_copy(update={"programme": Programme(classroom_hours=9)})
    return course.model_copy(update={"manifest": manifest})


def plan_and_register(store: Store, world: World, today: dt.date) -> None:
    """Three 3-hour sessions for hold-1: two held (eight and five days ago), one to come.

    Bo missed the first: with the last one he reaches 6 of the 9 hours required, so he can
    no longer make it. Cai attended both: not met yet, but the last session will do it.
    Dorte's cohort has the same register; she has no entry (neither attended nor to come).
    """
    days = (-8, -5, 2)
    sessions = store.add_class_sessions([
        ClassSession("hold-1", "mini", (today + dt.timedelta(days=d)).isoformat(), "09:00",
                     180, f"Undervisning {n}", "Lokale 1", "koordinator",
                     "2026-01-05T09:00:00+00:00")
        for n, d in enumerate(days, start=1)
    ])
    first, second = sessions[0].id, sessions[1].id
    at = "2026-01-06T09:00:00+00:00"
    store.record_attendance([
        AttendanceMark(first, world.partial, "absent", 0, "koordinator", at),
        AttendanceMark(second, world.partial, "present", 0, "koordinator", at),
        AttendanceMark(first, world.manual, "present", 0, "koordinator", at),
        AttendanceMark(second, world.manual, "present", 0, "koordinator", at),
        AttendanceMark(first, world.done, "present", 0, "koordinator", at),
        AttendanceMark(second, world.done, "late", 30, "koordinator", at),
    ])


def test_a_learner_who_can_no_longer_make_the_classroom_hours_is_flagged(
    world: World, store: SQLiteStore
) -> None:
    course = with_programme(world.course)
    plan_and_register(store, world, TODAY)
    lines = {line.learner_id: line
             for line in read_cohort_lines(store, [course], "hold-1", today=TODAY)}
    bo, cai = lines[world.partial], lines[world.manual]
    assert bo.classroom is not None and cai.classroom is not None
    assert (bo.classroom.attended_minutes, bo.classroom.scheduled_minutes,
            bo.classroom.required_minutes, bo.classroom.missing_minutes) == (180, 180, 540, 360)
    assert bo.cannot_meet_attendance
    # Cai has not met it yet, but the session still to come will do it: no flag.
    assert (cai.classroom.attended_minutes, cai.classroom.met) == (360, False)
    assert not cai.cannot_meet_attendance
    # Late by 30 minutes: Ærø Åse can no longer make every hour either.
    assert lines[world.done].classroom.attended_minutes == 330  # type: ignore[union-attr]
    assert lines[world.done].cannot_meet_attendance


def test_hours_are_said_exactly() -> None:
    assert [hours(n) for n in (540, 3744, 20, 1, 0)] == [
        "9 h", "62 h 24 min", "20 min", "1 min", "0 h"]
    assert hours(90, "t.", "min.", "\u00a0") == "1\u00a0t. 30\u00a0min."


def test_without_a_programme_or_a_planned_session_no_standing_is_shown(
    world: World, store: SQLiteStore
) -> None:
    plan_and_register(store, world, TODAY)
    plain = read_cohort_lines(store, [world.course], "hold-1", today=TODAY)
    assert [line.classroom for line in plain] == [None] * 4
    assert not any(line.cannot_meet_attendance for line in plain)
    # hold-2 has no session planned: nothing to forecast from, so no one is flagged.
    other = read_cohort_lines(store, [with_programme(world.course)], "hold-2", today=TODAY)
    assert other and all(line.classroom is None for line in other)


def test_cohort_show_has_the_classroom_column_and_json_fields(
    world: World, store: SQLiteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Without a programme, the table and the JSON say nothing of a classroom.
    assert run_cli("cohort", "show", "hold-1") == 0
    assert "Classroom" not in capsys.readouterr().out
    assert run_cli("cohort", "show", "hold-1", "--json") == 0
    plain = json.loads(capsys.readouterr().out)["learners"]
    assert {line["classroom"] for line in plain} == {None}
    # The same course, its course.toml stating the programme.
    folder = tmp_path / "courses" / "mini"
    shutil.copytree(SAMPLE_COURSE, folder)
    with (folder / "course.toml").open("a", encoding="utf-8") as manifest:
        manifest.write(PROGRAMME_TOML)
    monkeypatch.setenv("PEERSKOLE_COURSES", str(folder))
    plan_and_register(store, world, dt.date.today())
    assert run_cli("cohort", "show", "hold-1") == 0
    table = capsys.readouterr().out
    assert "Classroom" in table.splitlines()[0]
    rows = {line.split("  ")[0]: line for line in table.splitlines()[2:] if line}
    assert "3 h of 9 h" in rows["Bo Ibsen"]
    assert "CANNOT MEET ATTENDANCE (6 h missing, 3 h still scheduled)" in rows["Bo Ibsen"]
    assert "6 h of 9 h" in rows["Cai"] and "CANNOT MEET" not in rows["Cai"]
    assert "3 cannot meet the attendance requirement" in table  # Bo, Dorte, Ærø Åse
    assert run_cli("cohort", "show", "hold-1", "--json") == 0
    by_name = {line["name"]: line for line in json.loads(capsys.readouterr().out)["learners"]}
    assert by_name["Bo Ibsen"]["cannot_meet_attendance"] is True
    assert by_name["Bo Ibsen"]["classroom"] == {
        "attended_minutes": 180, "scheduled_minutes": 180, "required_minutes": 540,
        "missing_minutes": 360, "attended_hours": 3.0, "required_hours": 9.0,
        "met": False, "reachable": False,
    }
    assert by_name["Cai"]["cannot_meet_attendance"] is False
    assert by_name["Cai"]["classroom"]["reachable"] is True
    # Ærø Åse finished the course, so she has not stalled, yet needs attention: the
    # needs-attention filter keeps her, the stalled one does not.
    assert by_name["Ærø Åse"]["stalled"] is False
    assert by_name["Ærø Åse"]["cannot_meet_attendance"] is True
    assert run_cli("cohort", "show", "hold-1", "--needs-attention") == 0
    attention = capsys.readouterr().out
    assert "Ærø Åse" in attention and "Bo Ibsen" in attention
    assert run_cli("cohort", "show", "hold-1", "--stalled") == 0
    assert "Ærø Åse" not in capsys.readouterr().out


def test_the_view_leaves_the_cycle_collector_as_it_found_it(
    world: World, store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paused while the learners are walked, as an export pauses it, and only then."""
    import gc

    from peerskole.export import cohort

    seen: list[bool] = []
    walk = cohort.cohort_lines

    def watched(*args: Any, **kwargs: Any) -> Iterator[CohortLine]:
        for line in walk(*args, **kwargs):
            seen.append(gc.isenabled())
            yield line

    monkeypatch.setattr(cohort, "cohort_lines", watched)
    assert gc.isenabled()
    assert len(read_cohort_lines(store, [world.course], "hold-1", today=TODAY)) == 4
    assert seen and not any(seen)
    assert gc.isenabled()
