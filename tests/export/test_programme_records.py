"""The programme in the records: CSV and JSON course rows, xAPI ``attended``, the certificate.

The mini course's course.toml is given a ``[programme]`` (a copy, on PEERSKOLE_COURSES), and
hold-1 gets three 3-hour sessions (tests.export.test_cohort.plan_and_register): Ærø Åse,
who completed every module, attended 3 h and 2 h 30 min; Bo 3 h; Cai 6 h.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from peerskole.store.sqlite import SQLiteStore
from tests.conftest import SAMPLE_COURSE
from tests.export.conftest import World, run_cli
from tests.export.test_certificate import pdf_text
from tests.export.test_cohort import plan_and_register
from tests.export.test_xapi import ADL, xapi_models

HALF_OF_NINE = "\n[programme]\nclassroom_hours = 6\nmin_attendance_percent = 50\n"
"""Six programme hours, half to attend: of the nine hours held, 4 h 30 min."""
WITH_PRAKTIK = HALF_OF_NINE + "praktik_hours = 2\n"
"""The same, and two hours of praktik to be approved."""


def use_programme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str) -> None:
    folder = tmp_path / "courses" / "mini"
    shutil.copytree(SAMPLE_COURSE, folder)
    with (folder / "course.toml").open("a", encoding="utf-8") as manifest:
        manifest.write(toml)
    monkeypatch.setenv("PEERSKOLE_COURSES", str(folder))


@pytest.fixture
def planned(world: World, store: SQLiteStore) -> World:
    plan_and_register(store, world, dt.date.today())
    return world


def course_rows(tmp_path: Path) -> dict[str, dict[str, str]]:
    out = tmp_path / "out.csv"
    assert run_cli("export", "--course", "mini", "--cohort", "hold-1", "-o", str(out)) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    for row in rows:
        if row["row_type"] == "module":
            assert [row[c] for c in PROGRAMME_COLUMNS] == [""] * 5
    return {row["learner_id"]: row for row in rows if row["row_type"] == "course"}


PROGRAMME_COLUMNS = ("classroom_hours_attended", "classroom_hours_required",
                     "praktik_hours_approved", "praktik_hours_required", "programme_met")


def test_csv_and_json_course_rows_carry_the_programme(
    planned: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without a programme: the columns are there, empty; JSON has nulls.
    plain = course_rows(tmp_path)
    assert {tuple(row[c] for c in PROGRAMME_COLUMNS) for row in plain.values()} == {("",) * 5}
    use_programme(tmp_path, monkeypatch, HALF_OF_NINE)
    rows = course_rows(tmp_path)
    done, bo = rows[planned.done], rows[planned.partial]
    assert [done[c] for c in PROGRAMME_COLUMNS] == ["5.5", "4.5", "0", "0", "yes"]
    assert done["course_status"] == "completed"
    # Attendance met on the second session's day, after the modules: the completion date.
    second = (dt.date.today() - dt.timedelta(days=5)).isoformat()
    assert done["course_completed"] == second
    assert [bo[c] for c in PROGRAMME_COLUMNS] == ["3", "4.5", "0", "0", "no"]
    out = tmp_path / "out.json"
    assert run_cli("export", "--format", "json", "--course", "mini", "-o", str(out)) == 0
    learners = {item["learner_id"]: item["courses"][0]
                for item in json.loads(out.read_text(encoding="utf-8"))["learners"]}
    assert {c: learners[planned.done][c] for c in PROGRAMME_COLUMNS} == {
        "classroom_hours_attended": 5.5, "classroom_hours_required": 4.5,
        "praktik_hours_approved": 0, "praktik_hours_required": 0, "programme_met": True}
    assert learners[planned.partial]["programme_met"] is False
    # The Excel form writes the hours with a decimal comma.
    excel = tmp_path / "excel.csv"
    assert run_cli("export", "--course", "mini", "--excel", "-o", str(excel)) == 0
    assert ";5,5;4,5;0;0;yes" in excel.read_text(encoding="utf-8-sig")


def test_required_praktik_with_none_approved_keeps_the_course_open_everywhere(
    planned: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    use_programme(tmp_path, monkeypatch, WITH_PRAKTIK)
    done = course_rows(tmp_path)[planned.done]
    assert [done[c] for c in PROGRAMME_COLUMNS] == ["5.5", "4.5", "0", "2", "no"]
    assert (done["course_status"], done["course_completed"]) == ("in_progress", "")
    statements = export_xapi(tmp_path)
    assert not [s for s in statements if s["verb"]["id"] == ADL + "completed"
                and s["object"]["id"].endswith("/courses/mini")]
    assert run_cli("settings", "set", "organisation", "Recovery-skolen") == 0
    out = tmp_path / "bevis.pdf"
    assert run_cli("certificate", planned.done, "mini", "-o", str(out)) == 1
    err = capsys.readouterr().err
    assert "2 h of approved praktik are missing (0 h approved of 2 h required)" in err
    assert "still to do" not in err  # every module is complete
    assert not out.exists()


def test_praktik_approved_by_its_supervisor_completes_the_course_and_a_revocation_undoes_it(
    planned: World, store: SQLiteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The praktik log and sign-off, read by the one completion rule: only approved hours
    count, the approval's time is the completion's when it came last, and an approval
    revoked takes the completion back, in the export and for the certificate."""
    from peerskole.praktik import add_supervisor, decide, log_praktik, unlock_supervisor

    use_programme(tmp_path, monkeypatch, WITH_PRAKTIK)
    made = add_supervisor(store, "Ulla Vejleder", "vejlederens lange kode")
    ulla = unlock_supervisor(store, made, "vejlederens lange kode")
    today = dt.date.today()
    entries = [log_praktik(store, planned.done, None, "mini", done_on=today.isoformat(),
                           minutes=minutes, place="Bostedet Lyngly", what="Samtaler",
                           supervisor_id=made.id, show_text=False, today=today)
               for minutes in (60, 60, 30)]
    decide(store, ulla, entries[0].id, "approved")
    decide(store, ulla, entries[2].id, "returned", "Skriv stedet helt")
    done = course_rows(tmp_path)[planned.done]
    assert [done[c] for c in PROGRAMME_COLUMNS] == ["5.5", "4.5", "1", "2", "no"]
    assert done["course_status"] == "in_progress"

    approval = decide(store, ulla, entries[1].id, "approved")
    done = course_rows(tmp_path)[planned.done]
    assert [done[c] for c in PROGRAMME_COLUMNS] == ["5.5", "4.5", "2", "2", "yes"]
    assert done["course_status"] == "completed"
    # The praktik was approved last: its approval is when the course became complete.
    assert done["course_completed"] == approval.decided_at
    assert run_cli("settings", "set", "organisation", "Recovery-skolen") == 0
    out = tmp_path / "bevis.pdf"
    assert run_cli("certificate", planned.done, "mini", "-o", str(out)) == 0, \
        capsys.readouterr().err
    text, _ = pdf_text(out)
    assert "Godkendt praktik: 2 t 0 min." in text
    # xAPI: one statement per approved entry, its hours and approval, no place or text.
    statements = export_xapi(tmp_path)
    for statement in statements:
        xapi_models.BaseXapiStatement.model_validate(statement)
    praktik = [s for s in statements if "/praktik/" in s["object"]["id"]]
    assert sorted(s["object"]["id"].rsplit("/", 1)[1] for s in praktik) == sorted(
        [entries[0].id, entries[1].id])
    for s in praktik:
        assert s["verb"]["id"] == ADL + "completed"
        assert s["actor"]["account"]["name"] == planned.done
        assert s["object"]["definition"]["type"].endswith("/activities/performance")
        assert s["result"]["duration"] == "PT1H" and s["result"]["success"] is True
        assert s["timestamp"].startswith(today.isoformat())
        assert "Lyngly" not in json.dumps(s) and "Samtaler" not in json.dumps(s)
    assert [s["result"]["extensions"] for s in praktik if s["object"]["id"].endswith(
        entries[1].id)] == [{"https://peerskole.invalid/xapi/extensions/approved-at":
                             approval.decided_at}]

    decide(store, ulla, entries[1].id, "revoked", "Timerne var talt to gange")
    done = course_rows(tmp_path)[planned.done]
    assert [done[c] for c in PROGRAMME_COLUMNS] == ["5.5", "4.5", "1", "2", "no"]
    assert done["course_status"] == "in_progress"


def export_xapi(tmp_path: Path) -> list[dict[str, Any]]:
    out = tmp_path / "out.jsonl"
    assert run_cli("export", "--format", "xapi", "--course", "mini", "-o", str(out)) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_xapi_attended_one_per_session_attended_with_its_minutes(
    planned: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not [s for s in export_xapi(tmp_path) if s["verb"]["id"] == ADL + "attended"]
    use_programme(tmp_path, monkeypatch, HALF_OF_NINE)
    statements = export_xapi(tmp_path)
    for statement in statements:
        xapi_models.BaseXapiStatement.model_validate(statement)
    attended: dict[str, list[tuple[str, str]]] = {}
    for s in statements:
        if s["verb"]["id"] == ADL + "attended":
            assert s["object"]["definition"]["type"].endswith("/activities/meeting")
            attended.setdefault(s["actor"]["account"]["name"], []).append(
                (s["object"]["definition"]["name"]["da"], s["result"]["duration"]))
    # Late by 30 minutes at the second; Bo was absent from the first; Dorte has no entry.
    assert attended == {
        planned.done: [("Undervisning 1", "PT3H"), ("Undervisning 2", "PT2H30M")],
        planned.partial: [("Undervisning 2", "PT3H")],
        planned.manual: [("Undervisning 1", "PT3H"), ("Undervisning 2", "PT3H")],
    }
    course_done = {s["actor"]["account"]["name"] for s in statements
                   if s["verb"]["id"] == ADL + "completed"
                   and s["object"]["id"].endswith("/courses/mini")}
    assert course_done == {planned.done}
    # Sent again, nothing is new: the ids follow from what the statements say.
    assert {s["id"] for s in export_xapi(tmp_path)} == {s["id"] for s in statements}


def test_the_certificate_states_the_classroom_hours(
    planned: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    use_programme(tmp_path, monkeypatch, HALF_OF_NINE)
    assert run_cli("settings", "set", "organisation", "Recovery-skolen") == 0
    out = tmp_path / "bevis.pdf"
    assert run_cli("certificate", planned.done, "mini", "-o", str(out)) == 0
    text, _ = pdf_text(out)
    assert "Undervisning: 5 t 30 min fremmøde." in text
    assert "praktik" not in text.lower()  # none required: none stated
    # Bo has attended 3 h of the 4 h 30 min: refused, saying so.
    capsys.readouterr()
    assert run_cli("certificate", planned.partial, "mini", "-o", str(tmp_path / "b.pdf")) == 1
    assert ("1 h 30 min of classroom attendance are missing (3 h attended of 4 h 30 min "
            "required)") in capsys.readouterr().err


def test_the_cohort_view_asks_the_same_rule(planned: World, store: SQLiteStore) -> None:
    from peerskole.course.model import Programme
    from peerskole.export.cohort import read_cohort_lines

    programme = Programme(classroom_hours=6, min_attendance_percent=50, praktik_hours=2)
    manifest = planned.course.manifest.model_copy(update={"programme": programme})
    course = planned.course.model_copy(update={"manifest": manifest})
    lines = {line.learner_id: line
             for line in read_cohort_lines(store, [course], "hold-1", today=dt.date.today())}
    done = lines[planned.done]
    # Every module done, the praktik not approved: in progress, in no module, not stalled
    # in the app (idle since March), attendance met.
    assert (done.status, done.module_id, done.percent_done) == ("in_progress", None, 100)
    assert not done.stalled and done.classroom is not None and done.classroom.met
    # Bo has modules left and has been idle since January: stalled as before.
    assert lines[planned.partial].stalled and lines[planned.partial].status == "in_progress"


def test_the_certificate_lists_approved_praktik_when_the_programme_requires_it(
    planned: World, store: SQLiteStore, tmp_path: Path
) -> None:
    """Approved praktik given to the rule (here directly; the store's approvals in the
    test above), the certificate states it beside the classroom hours."""
    import dataclasses

    from peerskole.course.model import Programme
    from peerskole.export.certificate import certificate_for, render_pdf
    from peerskole.export.records import learner_programme
    from peerskole.progress import ApprovedPraktik

    programme = Programme(classroom_hours=6, min_attendance_percent=50, praktik_hours=104)
    manifest = planned.course.manifest.model_copy(update={"programme": programme})
    course = planned.course.model_copy(update={"manifest": manifest})
    learner = next(x for x in store.learners("hold-1") if x.id == planned.done)
    facts = learner_programme(store, course, learner)
    assert facts is not None and facts.praktik.minutes == 0  # nothing approved is stored yet
    approved = facts._replace(praktik=ApprovedPraktik(104 * 60, "2026-11-20T10:00:00+00:00"))
    from peerskole.export.records import course_report

    report = course_report(course, store.step_records(learner.id, "mini"),
                           store.manual_completions(learner.id, "mini"), programme=approved)
    certificate = certificate_for(learner, report, "Recovery-skolen")
    assert (certificate.classroom_minutes, certificate.praktik_minutes) == (330, 6240)
    out = tmp_path / "bevis.pdf"
    out.write_bytes(render_pdf(certificate))
    text, _ = pdf_text(out)
    assert "Undervisning: 5 t 30 min fremmøde." in text
    assert "Godkendt praktik: 104 t 0 min." in text
    english = dataclasses.replace(certificate, language="en")
    out.write_bytes(render_pdf(english))
    text, _ = pdf_text(out)
    assert "Classroom hours attended: 5 h 30 min." in text
    assert "Approved praktik: 104 h 0 min." in text
