"""Planning, listing and cancelling a cohort's classroom sessions from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerskole.store.base import ClassSession
from peerskole.store.sqlite import SQLiteStore
from tests.export.conftest import World, run_cli


def test_a_session_is_planned_listed_and_cancelled_with_who_and_why(
    world: World, store: SQLiteStore, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "kirsten")
    assert run_cli("session", "add", "Hold-1", "mini", "--date", "1.9.2026", "--start", "9:00",
                   "--minutes", "180", "--title", "Aktiv lytning", "--place", "Lokale 2") == 0
    assert "Planned session" in capsys.readouterr().out
    [planned] = store.class_sessions("hold-1")
    assert (planned.course_id, planned.held_on, planned.starts_at, planned.minutes,
            planned.title, planned.place, planned.created_by) == (
        "mini", "2026-09-01", "09:00", 180, "Aktiv lytning", "Lokale 2", "kirsten")

    assert run_cli("session", "list", "--cohort", "hold-1") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("ID\tCOHORT")
    assert lines[1].split("\t")[:7] == [str(planned.id), "hold-1", "mini", "2026-09-01",
                                       "09:00", "180", "Aktiv lytning"]

    assert run_cli("session", "cancel", str(planned.id), "--note", "Underviser syg") == 0
    cancelled = store.class_session(planned.id)
    assert (cancelled.cancelled_by, cancelled.cancel_reason) == ("kirsten", "Underviser syg")
    run_cli("session", "list")
    assert "kirsten: Underviser syg" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["hold-1", "nope", "--date", "2026-09-01", "--start", "09:00", "--minutes", "180"],
         'no course with id "nope"'),
        (["hold-1", "mini", "--date", "2026-09-01", "--start", "9 am", "--minutes", "180"],
         "is not a time of day"),
        (["hold-1", "mini", "--date", "2026-09-01", "--start", "09:00", "--minutes", "0"],
         "is not a number of minutes"),
        (["hold-1", "mini", "--date", "31.2.2026", "--start", "09:00", "--minutes", "180"],
         "is not a date"),
    ],
)
def test_a_wrong_session_is_refused_and_nothing_planned(
    world: World, store: SQLiteStore, args: list[str], message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_cli("session", "add", *args, "--title", "Aktiv lytning") != 0
    assert message in capsys.readouterr().err
    assert store.class_sessions() == []


def test_cancelling_an_unknown_session_says_so(
    world: World, store: SQLiteStore, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("session", "cancel", "99", "--note", "x") == 1
    assert "No session number 99" in capsys.readouterr().err


def test_an_excel_session_file_is_imported_whole(
    world: World, store: SQLiteStore, tmp_path: Path
) -> None:
    file = tmp_path / "hold.csv"
    file.write_bytes("cohort;course_id;date;start;minutes;title;place\r\n"
                     "Hold-1;mini;1.9.2026;09:00;180;Aktiv lytning;Lokale 2\r\n"
                     "hold-1;mini;2026-09-03;13:00;180;Grænser;\r\n".encode("utf-8-sig"))
    assert run_cli("session", "import", str(file)) == 0
    assert [(s.held_on, s.starts_at, s.title, s.place) for s in store.class_sessions("hold-1")] \
        == [("2026-09-01", "09:00", "Aktiv lytning", "Lokale 2"),
            ("2026-09-03", "13:00", "Grænser", "")]


def test_a_session_file_with_a_wrong_row_plans_nothing_and_names_row_and_field(
    world: World, store: SQLiteStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "hold.csv"
    file.write_text("cohort,course_id,date,start,minutes,title\n"
                    "hold-1,mini,2026-09-01,09:00,180,Aktiv lytning\n"
                    "hold-1,nope,2026-09-03,25:00,tre,\n", encoding="utf-8")
    assert run_cli("session", "import", str(file)) == 1
    err = capsys.readouterr().err
    assert f'{file}: row 3: course_id: There is no course with id "nope"' in err
    assert f'{file}: row 3: start: "25:00" is not a time of day' in err
    assert f'{file}: row 3: minutes: "tre" is not a number of minutes' in err
    assert f"{file}: row 3: title is empty" in err
    assert "row 2" not in err
    assert store.class_sessions() == []


def test_a_register_is_imported_whole_or_not_at_all(
    world: World, store: SQLiteStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ida = store.add_learner("Ida", "hold-1").id
    bo = store.add_learner("Bo", "hold-1").id
    elsewhere = store.add_learner("Cai", "hold-2").id
    [lesson] = store.add_class_sessions([ClassSession(
        "hold-1", "mini", "2026-09-01", "09:00", 180, "Aktiv lytning", "", "k", "2026-08-01")])
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(f"session_id;learner_id;status;minutes\n{lesson.id};{ida};present;\n"
                     f"{lesson.id};{bo};forsinket;\n{lesson.id};{elsewhere};maybe;\n",
                     encoding="utf-8")
    assert run_cli("attendance", "import", str(wrong)) == 1
    err = capsys.readouterr().err
    assert "row 3: minutes: say how many minutes" in err
    assert f"row 4: learner_id: {elsewhere} is not in cohort hold-1" in err
    assert 'row 4: status: "maybe" is not one of' in err
    assert store.attendance_history(lesson.id) == []
    right = tmp_path / "right.csv"
    right.write_bytes(f"session_id;learner_id;status;minutes\r\n{lesson.id};{ida};present;\r\n"
                      f"{lesson.id};{bo};forsinket;20\r\n".encode("utf-8-sig"))
    assert run_cli("attendance", "import", str(right)) == 0
    assert {(m.learner_id, m.status, m.minutes_missed) for m in store.attendance("hold-1")} \
        == {(ida, "present", 0), (bo, "late", 20)}
