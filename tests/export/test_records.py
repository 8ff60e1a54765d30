"""Completions recorded by a coordinator: one at a time, and from a CSV file, all or nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
from pathlib import Path

import pytest

from peerskole.course.model import Course
from peerskole.export.records import ModuleReport, course_report, learner_reports
from peerskole.progress import StepRecord
from peerskole.store.base import ManualCompletion, SharedReflection
from peerskole.store.sqlite import SQLiteStore
from tests.export.conftest import World, run_cli


def test_mark_keeps_who_when_and_why(
    world: World, store: SQLiteStore, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "kirsten")
    assert run_cli("records", "mark", world.idle, "mini", "first", "--completed-on",
                   "2026-03-05", "--note", "Gennemført på papir") == 0
    assert "recorded by kirsten" in capsys.readouterr().out
    [record] = store.manual_completions(world.idle, "mini")
    assert (record.module_id, record.completed_on, record.note, record.recorded_by) == (
        "first", "2026-03-05", "Gennemført på papir", "kirsten")
    assert record.recorded_at.startswith(dt.datetime.now(dt.UTC).date().isoformat()[:4])

    assert run_cli("records", "mark", world.idle, "mini", "second", "--note", "I dag") == 0
    assert store.manual_completions(world.idle, "mini")[1].completed_on == (
        dt.date.today().isoformat())


def test_recorded_by_falls_back_to_ukendt(monkeypatch: pytest.MonkeyPatch) -> None:
    from peerskole.commands.coordinator import recorded_by

    def no_user() -> str:
        raise OSError("no user")

    monkeypatch.setattr("getpass.getuser", no_user)
    assert recorded_by() == "ukendt"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope", "mini", "first"], 'no learner with id "nope"'),
        (["{idle}", "nope", "first"], 'no course with id "nope"'),
        (["{idle}", "mini", "nope"], 'Course "mini" has no module "nope". Its modules: first,'),
    ],
)
def test_mark_unknown_ids_say_how_to_find_the_right_ones(
    world: World, store: SQLiteStore, args: list[str], message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    filled = [a.format(idle=world.idle) for a in args]
    assert run_cli("records", "mark", *filled, "--note", "x") == 1
    assert message in capsys.readouterr().err
    assert store.manual_completions(world.idle, "mini") == []


@pytest.mark.parametrize("date", ["2026-13-1", "31.4.2026", "i går", "2026-02-30"])
def test_mark_bad_dates_exit_2(world: World, date: str,
                               capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("records", "mark", world.idle, "mini", "first", "--completed-on", date,
                   "--note", "x") == 2
    assert "write it as 2026-03-01, 1.3.2026 or 1 March 2026" in capsys.readouterr().err


@pytest.mark.parametrize("date", ["2026-02-10", "2026-2-10", "10.2.2026", "10-02-2026",
                                  "10. februar 2026", "10 February 2026"])
def test_mark_reads_the_date_forms_the_app_reads(
    world: World, store: SQLiteStore, date: str
) -> None:
    assert run_cli("records", "mark", world.idle, "mini", "first", "--completed-on", date,
                   "--note", "x") == 0
    [mark] = store.manual_completions(world.idle, "mini")
    assert mark.completed_on == "2026-02-10"


def test_mark_a_future_date_exits_2(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert run_cli("records", "mark", world.idle, "mini", "first", "--completed-on", future,
                   "--note", "x") == 2
    assert "is in the future" in capsys.readouterr().err


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding, newline="")
    return path


def test_import_writes_every_row_in_one_go(
    world: World, store: SQLiteStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # As Danish Excel saves "CSV UTF-8": BOM, semicolons, CRLF.
    file = write(tmp_path / "hold.csv",
                 "\ufefflearner_id;course_id;module_id;completed_on;note\r\n"
                 f"{world.idle};mini;first;2026-02-10;På papir\r\n"
                 f"{world.idle};mini;second;2026-02-11;\"På holdet; med underviser\"\r\n"
                 ";;;;\r\n"
                 f"{world.partial};mini;second;2026-02-12;Mundtligt\r\n")
    assert run_cli("records", "import", str(file)) == 0
    assert "Imported 3 completion(s)" in capsys.readouterr().out
    idle = store.manual_completions(world.idle, "mini")
    assert [(c.module_id, c.completed_on, c.note) for c in idle] == [
        ("first", "2026-02-10", "På papir"), ("second", "2026-02-11", "På holdet; med underviser")]

    # The same file again: nothing is recorded twice.
    assert run_cli("records", "import", str(file)) == 0
    assert "Imported 0 completion(s)" in (out := capsys.readouterr().out)
    assert "3 already recorded" in out
    assert len(store.manual_completions(world.idle, "mini")) == 2


def test_import_reports_every_bad_row_and_writes_nothing(
    world: World, store: SQLiteStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    file = write(tmp_path / "hold.csv",
                 "learner_id,course_id,module_id,completed_on,note,extra\n"
                 f"{world.idle},mini,first,2026-02-10,Fint,ignoreret\n"
                 "nope,mini,first,2026-02-10,x\n"
                 f"{world.idle},nope,first,2026-02-10,x\n"
                 f"{world.idle},mini,nope,2026-02-10,x\n"
                 f"{world.idle},mini,second,10-13-2026,x\n"
                 f"{world.idle},mini,second,{future},x\n"
                 f"{world.idle},mini,second,2026-02-10,\n"
                 f"{world.idle},mini,first,2026-02-11,igen\n")
    assert run_cli("records", "import", str(file)) == 1
    err = capsys.readouterr().err
    for row, message in [
        (3, 'there is no learner with id "nope" (list them with: peerskole learner list)'),
        (4, 'There is no course with id "nope"'),
        (5, 'course "mini" has no module "nope" (its modules: first, second)'),
        (6, 'completed_on "10-13-2026" is not a date: write it as 2026-03-01, 1.3.2026 '
            "or 1 March 2026"),
        (7, f"completed_on {future} is in the future"),
        (8, "note is empty"),
        (9, "repeats row 2"),
    ]:
        assert f"hold.csv: row {row}: {message}" in err, (row, err)
    assert "row 2:" not in err
    assert "7 problem(s)" in err and "nothing was imported" in err
    assert store.manual_completions(world.idle, "mini") == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "row 1: the file is empty"),
        ("learner;course\nx;y\n",
         "row 1: missing column(s) learner_id, course_id, module_id, completed_on, note"),
    ],
)
def test_import_header_problems(world: World, tmp_path: Path, content: str, message: str,
                                capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("records", "import", str(write(tmp_path / "f.csv", content))) == 1
    assert message in capsys.readouterr().err


def test_import_unreadable_files(world: World, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("records", "import", str(tmp_path / "none.csv")) == 1
    assert "does not exist" in capsys.readouterr().err
    latin = write(tmp_path / "latin.csv", "learner_id;course_id;module_id;completed_on;note\n"
                  f"{world.idle};mini;first;2026-02-10;Gennemført\n", encoding="cp1252")
    assert run_cli("records", "import", str(latin)) == 1
    assert 'save it as "CSV UTF-8"' in capsys.readouterr().err


def test_an_import_is_written_in_one_transaction(world: World, store: SQLiteStore) -> None:
    """If the store refuses any row while writing, the rows before it are not kept either."""
    from peerskole.store.base import ManualCompletion, StoreError

    good = ManualCompletion(world.idle, "mini", "first", "2026-02-10", "På papir", "k",
                            "2026-02-11T10:00:00+00:00")
    orphan = dataclasses.replace(good, learner_id="erased-meanwhile")  # no such learner
    with pytest.raises(StoreError):
        store.add_manual_completions([good, orphan])
    assert store.manual_completions(world.idle, "mini") == []


def test_a_module_report_holds_every_field_in_its_place(course: Course) -> None:
    """course_report builds a ModuleReport positionally, for speed: each value in its own field."""
    module = course.module("first")
    record = StepRecord("first", "intro", "1.0", {"opened": True}, "2026-03-01T09:00:00+00:00",
                        "2026-03-01T09:05:00+00:00", 60)
    manual = ManualCompletion("l1", course.id, "first", "2026-03-02", "papir", "k",
                              "2026-03-03T10:00:00+00:00")
    shared = SharedReflection(course.id, "first", "own", "Delt tekst.", "2026-03-01T10:00:00+00:00")
    report = course_report(course, [record], [manual], [shared])
    assert report.modules[0] == ModuleReport(
        module=module, status=report.status.module("first"), manual=manual,
        last_activity="2026-03-02", shared_reflections=(shared,),
    )
    assert report.modules[0].status.manual
    assert report.modules[1] == ModuleReport(
        module=course.modules[1], status=report.status.modules[1], manual=None,
        last_activity=None, shared_reflections=(),
    )


def test_an_export_leaves_the_cycle_collector_as_it_found_it(
    world: World, store: SQLiteStore, course: Course
) -> None:
    """The export pauses the cycle collector while it walks the learners, and only then."""
    assert gc.isenabled()
    assert len(list(learner_reports(store, [course]))) > 1
    assert gc.isenabled()
    walking = learner_reports(store, [course])
    next(walking)
    walking.close()  # an export stopped part way, e.g. by an error while writing
    assert gc.isenabled()
    gc.disable()
    try:
        list(learner_reports(store, [course]))
        assert not gc.isenabled()
    finally:
        gc.enable()
