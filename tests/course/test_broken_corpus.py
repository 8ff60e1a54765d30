"""Every broken course in tests/broken-courses gives exactly its expected messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerskole.course.loader import check_course
from peerskole.course.problems import CourseError
from tests.conftest import BROKEN_COURSES

CASES = sorted(p for p in BROKEN_COURSES.iterdir() if (p / "expected.txt").is_file())


def test_the_corpus_covers_what_the_format_promises() -> None:
    names = {p.name for p in CASES}
    for needed in (
        "toml-syntax", "not-utf8", "misspelt-key", "duplicate-step-id",
        "duplicate-module-id", "unknown-requires", "circular-requires",
        "quiz-no-correct-option", "scenario-response-without-feedback",
        "newer-format-version",
    ):
        assert needed in names


@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_broken_course_reports_expected_messages(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(case)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    course, problems = check_course(Path("."))
    assert course is None
    assert [str(p) for p in problems] == expected
    # The same problems come out of the error the app and CLI see.
    assert CourseError(problems).report().splitlines() == expected
