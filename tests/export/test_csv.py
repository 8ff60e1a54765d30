"""CSV export over a real database: rows, Excel dialect, formula neutralising, filters."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from peerskole.export.csv_export import COLUMNS, neutralise
from peerskole.progress import course_status
from peerskole.store.sqlite import SQLiteStore
from tests.export.conftest import HOSTILE_NAMES, World, run_cli


def read_csv(path: Path, excel: bool = False) -> list[dict[str, str]]:
    encoding, delimiter = ("utf-8-sig", ";") if excel else ("utf-8", ",")
    with path.open(encoding=encoding, newline="") as stream:
        return list(csv.DictReader(stream, delimiter=delimiter))


def export(tmp_path: Path, *args: str, name: str = "out.csv") -> Path:
    out = tmp_path / name
    assert run_cli("export", "--course", "mini", "-o", str(out), *args) == 0
    return out


def by_learner(rows: list[dict[str, str]]) -> dict[tuple[str, str], dict[str, str]]:
    return {(r["learner_id"], r["module_id"]): r for r in rows}


def test_a_course_row_and_a_row_per_module_per_learner_with_the_documented_columns(
    world: World, tmp_path: Path
) -> None:
    out = export(tmp_path)
    with out.open(encoding="utf-8", newline="") as stream:
        header = next(csv.reader(stream))
    assert tuple(header) == COLUMNS
    rows = read_csv(out)
    assert len(rows) == (4 + len(HOSTILE_NAMES)) * 3  # the course row, then its 2 modules
    assert [r["row_type"] for r in rows[:3]] == ["course", "module", "module"]
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")

    rows_by = by_learner(rows)
    done = rows_by[(world.done, "first")]
    assert done["learner_name"] == "Ærø Åse"
    assert done["cohort"] == "hold-1"
    assert done["course_id"] == "mini" and done["course_version"] == "1.0"
    assert done["module_title"] == "Første modul"
    assert done["module_status"] == "completed"
    assert done["started"] == "2026-03-01T09:00:00+00:00"
    assert done["completed"] == "2026-03-01T10:00:00+00:00"
    assert done["quiz_score"] == "100"
    assert done["minutes_on_task"] == "12"  # 6 steps × 120 s
    assert done["course_status"] == "completed"
    assert done["course_completed"] == "2026-03-02T08:30:00+00:00"
    assert done["completed_manually"] == "no"

    partial = rows_by[(world.partial, "first")]
    assert partial["module_status"] == "in_progress"
    assert partial["quiz_score"] == "33.3"
    assert partial["completed"] == ""
    assert partial["course_status"] == "in_progress"
    assert rows_by[(world.partial, "second")]["module_status"] == "not_started"

    course_row = rows_by[(world.done, "")]
    assert course_row["row_type"] == "course"
    assert (course_row["module_title"], course_row["module_status"]) == ("", "")
    assert course_row["course_status"] == "completed"
    assert course_row["started"] == "2026-03-01T09:00:00+00:00"
    assert course_row["completed"] == "2026-03-02T08:30:00+00:00"
    assert course_row["minutes_on_task"] == "13"  # 12 in the first module, 0.5 in the second
    assert (course_row["quiz_score"], course_row["completed_manually"]) == ("", "")
    assert rows_by[(world.partial, "")]["course_status"] == "in_progress"
    assert rows_by[(world.idle, "")]["course_status"] == "not_started"
    assert rows_by[(world.idle, "")]["started"] == ""

    manual = rows_by[(world.manual, "first")]
    assert manual["module_status"] == "completed"
    assert manual["completed"] == "2026-02-01"
    assert manual["completed_manually"] == "yes"
    # A module recorded by a coordinator means the course is under way, though never opened.
    assert manual["course_status"] == "in_progress"
    assert rows_by[(world.manual, "")]["course_status"] == "in_progress"
    assert rows_by[(world.idle, "first")]["module_status"] == "not_started"


def test_csv_agrees_with_the_completion_rule_the_app_uses(
    world: World, store: SQLiteStore, tmp_path: Path
) -> None:
    rows = by_learner(read_csv(export(tmp_path)))
    for learner in store.learners():
        manual = {c.module_id: c.completed_on
                  for c in store.manual_completions(learner.id, "mini")}
        status = course_status(world.course, store.step_records(learner.id, "mini"), manual)
        for module in status.modules:
            row = rows[(learner.id, module.module_id)]
            assert row["module_status"] == module.status
            assert row["course_status"] == status.status
            assert row["completed"] == (module.completed_at or "")


def test_excel_file_is_what_danish_excel_reads(world: World, tmp_path: Path) -> None:
    out = export(tmp_path, "--excel")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.splitlines()[0].decode("utf-8-sig").split(";") == list(COLUMNS)
    rows = by_learner(read_csv(out, excel=True))
    partial = rows[(world.partial, "first")]
    assert partial["quiz_score"] == "33,3"
    assert partial["started"] == "2026-01-10"
    done = rows[(world.done, "first")]
    assert done["completed"] == "2026-03-01"
    assert done["course_completed"] == "2026-03-02"
    assert done["learner_name"] == "Ærø Åse"
    assert done["minutes_on_task"] == "12"


@pytest.mark.parametrize("excel", [False, True])
def test_hostile_names_are_neutralised(world: World, tmp_path: Path, excel: bool) -> None:
    out = export(tmp_path, *(["--excel"] if excel else []), "--cohort", "hold-2")
    rows = read_csv(out, excel=excel)
    names = {r["learner_id"]: r["learner_name"] for r in rows}
    for name, learner_id in world.hostile.items():
        expected = name if name == "Ærø Åse" else "'" + name
        assert names[learner_id] == expected
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
               for row in rows for cell in row.values())


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"), ("\rx", "'\rx"), ("\nx", "'\nx"), ("Åse", "Åse"), ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_neutralise(cell: str, safe: str) -> None:
    assert neutralise(cell) == safe


def test_cohort_and_since_filters(world: World, tmp_path: Path) -> None:
    rows = read_csv(export(tmp_path, "--cohort", "hold-2"))
    assert {r["learner_id"] for r in rows} == set(world.hostile.values())
    recent = read_csv(export(tmp_path, "--since", "2026-03-02", name="since.csv"))
    assert [(r["learner_id"], r["row_type"], r["module_id"]) for r in recent] == [
        (world.done, "course", ""), (world.done, "module", "second")]


def test_an_empty_cohort_gives_the_header_alone(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = export(tmp_path, "--cohort", "nobody")
    assert read_csv(out) == []
    assert out.read_text(encoding="utf-8").strip() == ",".join(COLUMNS)
    assert 'no learners in cohort "nobody"' in capsys.readouterr().err


def test_to_stdout_and_without_course_every_known_course(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("export", "--cohort", "hold-1") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["course_id"] for r in rows} == {"mini"}
    assert len(rows) == 4 * 3


def test_a_failed_export_leaves_no_file(world: World, tmp_path: Path) -> None:
    out = tmp_path / "missing-folder" / "out.csv"
    assert run_cli("export", "--course", "mini", "-o", str(out)) == 1
    assert not out.exists()


def test_last_activity_columns_say_who_is_stuck(world: World, tmp_path: Path) -> None:
    import datetime as dt

    from peerskole.export.csv_export import write_csv
    from peerskole.export.records import learner_reports

    # Bo tried the quiz again on 20 January (begun on the 10th, never passed).
    with world.db() as db:
        db.execute("UPDATE step_records SET updated_at = '2026-01-20T15:00:00+00:00' "
                   "WHERE learner_id = ? AND step_id = 'quiz'", (world.partial,))
        # Åse, done with the first module on 1 March, looked at its opening again on the 5th.
        db.execute("UPDATE step_records SET updated_at = '2026-03-05T11:00:00+00:00' "
                   "WHERE learner_id = ? AND module_id = 'first' AND step_id = 'intro'",
                   (world.done,))
    store = SQLiteStore(world.data_dir / "peerskole.sqlite3")
    stream = io.StringIO(newline="")
    try:
        write_csv(learner_reports(store, [world.course]), stream, today=dt.date(2026, 3, 10))
    finally:
        store.close()
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    cells = {(r["learner_id"], r["row_type"], r["module_id"]):
             (r["last_activity"], r["days_since_activity"]) for r in rows}
    assert cells[(world.partial, "module", "first")] == ("2026-01-20T15:00:00+00:00", "49")
    assert cells[(world.partial, "course", "")] == ("2026-01-20T15:00:00+00:00", "49")
    assert cells[(world.partial, "module", "second")] == ("", "")
    assert cells[(world.done, "module", "second")] == ("2026-03-02T08:30:00+00:00", "8")
    # Activity after a module's completion is its last activity, not the completion.
    assert cells[(world.done, "module", "first")] == ("2026-03-05T11:00:00+00:00", "5")
    assert cells[(world.done, "course", "")] == ("2026-03-05T11:00:00+00:00", "5")
    completed = {(r["learner_id"], r["module_id"]): r["completed"] for r in rows}
    assert completed[(world.done, "first")] == "2026-03-01T10:00:00+00:00"
    assert cells[(world.manual, "module", "first")] == ("2026-02-01", "37")
    assert cells[(world.idle, "course", "")] == ("", "")

    excel = export(tmp_path, "--excel", name="excel.csv")
    partial = by_learner(read_csv(excel, excel=True))[(world.partial, "first")]
    assert partial["last_activity"] == "2026-01-20"  # a date, as the other times
