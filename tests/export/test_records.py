"""Completions recorded by a coordinator: one at a time, and from a CSV file, all or nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from peerskole.course.model import Course
from peerskole.export.records import (
    LearnerReport,
    ModuleReport,
    course_report,
    learner_reports,
)
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


def test_a_mistake_is_revoked_and_marked_again_and_the_export_follows(
    world: World, store: SQLiteStore, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "kirsten")
    mark = ("records", "mark", world.idle, "mini", "first", "--note", "På papir")
    assert run_cli(*mark, "--completed-on", "2026-03-01") == 0
    [first] = store.recorded_completions(world.idle)
    capsys.readouterr()
    # A second mark of the same module is refused (it would never count), naming the first.
    assert run_cli(*mark, "--completed-on", "2026-02-01") == 1
    err = capsys.readouterr().err
    assert ('"Første modul" is already recorded as completed for Dorte on 2026-03-01 '
            f"(id {first.id}, by kirsten)") in err
    assert f"peerskole records revoke {first.id}" in err
    assert run_cli("records", "list", "--learner", world.idle) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].split("\t")[0] == "ID" and listed[1].split("\t")[:5] == [
        str(first.id), world.idle, "mini", "first", "2026-03-01"]
    assert run_cli("records", "revoke", str(first.id), "--note", "Forkert dato") == 0
    assert "Exports no longer count it." in capsys.readouterr().out
    assert run_cli("records", "list", "--learner", world.idle) == 0
    assert "add --revoked" in capsys.readouterr().err
    assert run_cli("records", "list", "--learner", world.idle, "--revoked") == 0
    assert "by kirsten: Forkert dato" in capsys.readouterr().out
    assert run_cli(*mark, "--completed-on", "2026-02-01") == 0
    [report] = [r for r in learner_reports(store, [world.course])
                if r.learner.id == world.idle]
    module = report.courses[0].modules[0]
    assert module.manual is not None and module.manual.completed_on == "2026-02-01"
    assert run_cli("records", "revoke", str(first.id), "--note", "igen") == 1
    assert "no recorded completion with id" in capsys.readouterr().err
    for command in (("records", "mark", world.idle, "mini", "second", "--note"),
                    ("records", "revoke", str(first.id), "--note")):
        assert run_cli(*command, "På\x1b[2Jholdet") == 1
        err = capsys.readouterr().err
        assert "The note holds a control character (U+001B)" in err and "\x1b" not in err


def test_an_import_row_for_a_module_already_recorded_on_another_day_is_refused(
    world: World, store: SQLiteStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("records", "mark", world.idle, "mini", "first", "--note", "På papir",
                   "--completed-on", "2026-03-01") == 0
    [first] = store.recorded_completions(world.idle)
    file = write(tmp_path / "hold.csv",
                 "learner_id;course_id;module_id;completed_on;note\n"
                 f"{world.idle};mini;first;2026-03-02;Igen\n")
    assert run_cli("records", "import", str(file)) == 1
    assert (f"row 2: the module is already recorded as completed on 2026-03-01 (id {first.id})"
            in capsys.readouterr().err)


def test_an_unclosed_quote_is_an_error_not_rows_read_into_a_note(
    world: World, store: SQLiteStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The quote opened in row 2 swallowed rows 3-5 into its note: the import said
    "Imported 1 completion(s)" and exited 0. Now it is refused by row, nothing written."""
    file = write(tmp_path / "hold.csv",
                 "learner_id;course_id;module_id;completed_on;note\n"
                 f'{world.idle};mini;first;2026-02-10;"På holdet\n'
                 f"{world.idle};mini;second;2026-02-11;Mundtligt\n"
                 f"{world.partial};mini;first;2026-02-12;På papir\n"
                 f'{world.partial};mini;second;2026-02-12;"Gennemført" på holdet\n')
    assert run_cli("records", "import", str(file)) == 1
    err = capsys.readouterr().err
    assert ('row 2: cannot be read as CSV: a quote (") opened here is not closed where the '
            "cell ends, so rows 2-5 ran together") in err
    assert "nothing was imported" in err
    assert store.manual_completions(world.idle, "mini") == []
    assert store.manual_completions(world.partial, "mini") == []
    # Closed later at a cell's end, the rows read into the note are found there.
    lines = file.read_text(encoding="utf-8").splitlines()
    write(file, "\n".join([*lines[:-1], f'{world.partial};mini;second;2026-02-12;Mundtligt"']))
    assert run_cli("records", "import", str(file)) == 1
    err = capsys.readouterr().err
    assert 'row 2: note holds a line break: is a quote (") left open in this row?' in err
    assert store.manual_completions(world.idle, "mini") == []


def test_a_quote_in_the_middle_of_a_cell_is_reported_by_row(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write(tmp_path / "hold.csv",
                 "learner_id;course_id;module_id;completed_on;note\n"
                 f'{world.idle};mini;first;2026-02-10;"På" holdet\n')
    assert run_cli("records", "import", str(file)) == 1
    assert "row 2: cannot be read as CSV" in capsys.readouterr().err


def test_a_control_character_in_a_cell_is_refused_and_never_printed(
    world: World, store: SQLiteStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write(tmp_path / "hold.csv",
                 "learner_id;course_id;module_id;completed_on;note\n"
                 f"{world.idle};mini;first;2026-02-10;P\x1b]0;pwned\x07å holdet\n"
                 f"{world.idle};mini\x1b[2J;second;2026-02-10;Fint\n")
    assert run_cli("records", "import", str(file)) == 1
    err = capsys.readouterr().err
    assert "row 2: note holds a control character (U+001B)" in err
    assert "row 3: course_id holds a control character (U+001B)" in err
    assert "\x1b" not in err and "\x07" not in err
    assert store.manual_completions(world.idle, "mini") == []


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
    """A CSV export pauses the cycle collector while it walks the learners, and only then."""
    import io

    from peerskole.export.csv_export import write_csv

    seen: list[bool] = []

    def watched() -> Iterator[LearnerReport]:
        for report in learner_reports(store, [course]):
            seen.append(gc.isenabled())
            yield report

    assert gc.isenabled()
    assert write_csv(watched(), io.StringIO()) > 1
    assert seen and not any(seen)  # paused while the learners were walked
    assert gc.isenabled()
    with pytest.raises(RuntimeError):  # an export stopped part way, e.g. by a full disk
        write_csv(broken_after_one(learner_reports(store, [course])), io.StringIO())
    assert gc.isenabled()
    gc.disable()
    try:
        write_csv(learner_reports(store, [course]), io.StringIO())
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def broken_after_one(reports: Iterator[LearnerReport]) -> Iterator[LearnerReport]:
    yield next(reports)
    raise RuntimeError("the disk is full")


def test_the_app_and_the_export_count_the_same_manual_completion(
    world: World, store: SQLiteStore, course: Course
) -> None:
    """Recorded late first and early second: the trainee's screen and the export both
    count the earliest, and the export reports that record (its note) with it."""
    from peerskole.session import Session, WriteQueue

    late = ManualCompletion(world.idle, course.id, "first", "2026-05-02", "sent", "k",
                            "2026-05-03T10:00:00+00:00")
    early = dataclasses.replace(late, completed_on="2026-03-01", note="tidlig",
                                recorded_at="2026-05-04T10:00:00+00:00")
    store.add_manual_completions([late])
    store.add_manual_completions([early])
    [report] = [r for r in learner_reports(store, [course]) if r.learner.id == world.idle]
    module = report.courses[0].modules[0]
    assert module.manual is not None and module.manual.note == "tidlig"
    session = Session(store, course, store.learner(world.idle), WriteQueue(store))
    session.reload()
    assert session.manual == {"first": "2026-03-01"}
    assert session.status().module("first").completed_at == module.status.completed_at
