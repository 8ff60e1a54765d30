"""The outcome report as a chart: the figures it draws, the picture it makes, no text."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerskole.course.model import Course
from peerskole.export.outcome_chart import chart_of
from peerskole.store.sql import SQLStore
from tests.core.conftest import Backend
from tests.core.conftest import backend as backend  # both stores
from tests.export.conftest import run_cli
from tests.export.test_outcomes import (
    NAME_MARKER,
    PRACTICE_MARKER,
    REFLECTION_MARKER,
    add,
    groups,
)
from tests.export.test_outcomes import (
    db as db,
)

RATINGS = [([1, 2], [3, 5]), ([2, 2], [4, 4]), ([3, 1], [3, 3]), ([1, 5], [2, 5]),
           ([2, 4], [5, 4])]


def fill(store: SQLStore) -> None:
    for index, (before, after) in enumerate(RATINGS):
        add(store, "hold-a", before, after, entries=index + 1, seconds=600)


def test_the_chart_draws_the_reports_figures_and_keeps_suppression(
    db: SQLStore, course: Course
) -> None:
    fill(db)
    (group,) = groups(db, course, "hold-a")
    chart = chart_of(group, course)
    assert (chart.group, chart.learners, chart.empty) == ("hold-a", 5, False)
    (assessment,) = chart.assessments
    assert [(r.before, r.after, r.n) for r in assessment.statements] == [
        (1.8, 3.4, 5), (2.8, 4.2, 5)]
    assert assessment.statements[1].statement == "Jeg kan stille åbne spørgsmål."
    first = chart.modules[0]
    assert (first.minutes_mean, first.practice_mean) == (10.0, 3.0)
    # One learner less and the cohort is too small: nothing to draw.
    add(db, "hold-b", [1, 1], [2, 2])
    (small,) = groups(db, course, "hold-b")
    assert chart_of(small, course).empty


def picture(tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    assert run_cli("report", "outcomes", "--course", "mini", "--cohort", "hold-a",
                   "-o", str(out), *args) == 0
    return out


def test_a_png_for_a_report_is_a_real_picture(
    db: SQLStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: Backend
) -> None:
    from PIL import Image

    for env, value in backend.env.items():
        monkeypatch.setenv(env, value)
    fill(db)
    out = picture(tmp_path, "udbytte.png")  # the format from the suffix
    with Image.open(out) as image:
        assert image.format == "PNG"
        width, height = image.size
        assert width >= 800 and height >= 600
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # drawn, not blank
    bars = {colour for _, colour in colours}
    assert (0x1F, 0x61, 0x8D) in bars and (0xA9, 0xCC, 0xE3) in bars  # after and before


def test_an_svg_names_statements_and_modules_but_nobody(
    db: SQLStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: Backend
) -> None:
    for env, value in backend.env.items():
        monkeypatch.setenv(env, value)
    fill(db)
    text = picture(tmp_path, "udbytte.svg", "--format", "svg").read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    assert "Jeg kan stille åbne spørgsmål." in text
    for secret in (REFLECTION_MARKER, PRACTICE_MARKER, NAME_MARKER):
        assert secret not in text


def test_too_few_learners_or_no_file_is_a_sentence_and_nothing_written(
    db: SQLStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: Backend,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for env, value in backend.env.items():
        monkeypatch.setenv(env, value)
    for before, after in RATINGS[:4]:
        add(db, "hold-a", before, after)
    out = tmp_path / "udbytte.png"
    assert run_cli("report", "outcomes", "--course", "mini", "--cohort", "hold-a",
                   "-o", str(out)) != 0
    assert "fewer than 5" in capsys.readouterr().err and not out.exists()
    assert run_cli("report", "outcomes", "--course", "mini", "--format", "png") != 0
    assert "-o udbytte.png" in capsys.readouterr().err
