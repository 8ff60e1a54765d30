"""Certificates: the PDF's text read back with pypdf, and the Open Badges 3.0 credential.

The rendering itself (a PNG of the page, where its text lies) is in test_certificate_page.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from peerskole.export.certificate import certificate_for, render_pdf
from peerskole.export.records import course_report, local_date
from peerskole.i18n import format_date
from peerskole.store.sqlite import SQLiteStore
from tests.conftest import import_or_unavailable
from tests.export.conftest import World, run_cli

pypdf = import_or_unavailable(
    "pypdf", "pypdf (the test extra) reads the PDF's text: pip install -e '.[test]'"
)


def pdf_text(path: Path) -> tuple[str, int]:
    reader = pypdf.PdfReader(str(path))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def danish_date(stamp: str) -> str:
    """A stored time's local date as the certificate prints it: "1. marts 2026"."""
    return format_date(dt.date.fromisoformat(local_date(stamp)), "da")


def test_pdf_states_who_what_when_and_by_whom(world: World, tmp_path: Path) -> None:
    assert run_cli("settings", "set", "organisation", "Recovery-skolen Ærøskøbing") == 0
    out = tmp_path / "bevis.pdf"
    assert run_cli("certificate", world.done, "mini", "-o", str(out)) == 0
    text, pages = pdf_text(out)
    assert pages == 1
    for expected in ("Kursusbevis", "Ærø Åse", "Minikursus", "version 1.0", "Første modul",
                     "Andet modul", danish_date("2026-03-01T10:00:00+00:00"),
                     danish_date("2026-03-02T08:30:00+00:00"), "Samlet tid: 13 min",
                     "Recovery-skolen Ærøskøbing", "Kende forskel på at lytte og at rådgive.",
                     f"Udstedt af Recovery-skolen Ærøskøbing den "
                     f"{format_date(dt.date.today(), 'da')}"):
        assert expected in text, expected
    assert out.read_bytes().startswith(b"%PDF-")


def test_organisation_setting_then_course_then_refusal(
    world: World, store: SQLiteStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bevis.pdf"
    # The mini course names no organisation and none is set: a sentence saying what to do.
    assert run_cli("certificate", world.done, "mini", "-o", str(out)) == 1
    assert "peerskole settings set organisation" in capsys.readouterr().err
    assert not out.exists()

    report = course_report(world.course, store.step_records(world.done, "mini"))
    manifest = world.course.manifest.model_copy(update={"organisation": "Kursets Forening"})
    course = world.course.model_copy(update={"manifest": manifest})
    from peerskole.export.certificate import issuing_organisation

    with_course = course_report(course, store.step_records(world.done, "mini"))
    assert issuing_organisation(store, with_course) == "Kursets Forening"
    store.set_setting("", "organisation", "Installationens Skole")
    assert issuing_organisation(store, with_course) == "Installationens Skole"
    assert issuing_organisation(store, report, "Denne Gang") == "Denne Gang"

    assert run_cli("certificate", world.done, "mini", "-o", str(out),
                   "--organisation", "Særlig Udsteder") == 0
    assert "Særlig Udsteder" in pdf_text(out)[0]


def test_no_certificate_for_an_incomplete_course(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bevis.pdf"
    assert run_cli("certificate", world.partial, "mini", "-o", str(out),
                   "--organisation", "X") == 1
    err = capsys.readouterr().err
    assert "has not completed" in err and "0 of 2 modules" in err
    # The modules still to do, by title, and the way to a statement of participation.
    assert 'still to do: "Første modul", "Andet modul"' in err
    assert f"peerskole certificate {world.partial} mini --participation" in err
    assert not out.exists()


def test_a_pdf_needs_a_file(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("certificate", world.done, "mini") == 2
    assert "-o certificate.pdf" in capsys.readouterr().err


def test_manual_completions_and_long_titles_fit_one_page(
    world: World, store: SQLiteStore, tmp_path: Path
) -> None:
    learner = store.learner(world.manual)
    from peerskole.store.base import ManualCompletion

    store.add_manual_completions([ManualCompletion(
        learner.id, "mini", "second", "2026-02-03", "På holdet", "k", "2026-02-03T10:00:00+00:00"
    )])
    report = course_report(world.course, [], store.manual_completions(learner.id, "mini"))
    certificate = certificate_for(learner, report, "Org", dt.date(2026, 2, 4))
    long = dataclasses.replace(certificate.modules[0], title="Et meget langt modulnavn " * 8)
    many = dataclasses.replace(certificate, modules=(long,) * 40)
    out = tmp_path / "mange.pdf"
    out.write_bytes(render_pdf(many))
    text, pages = pdf_text(out)
    assert pages == 1
    # Completed like any other module: the record keeps who recorded it, the paper does not.
    assert "registreret af koordinator" not in text and "koordinator" not in text
    # Every module recorded by a coordinator: no time was measured, so none is stated.
    assert "Samlet tid" not in text
