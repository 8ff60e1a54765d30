"""Loading valid courses, and the model's own helpers."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError

from peerskole.course.loader import check_course, load_course
from peerskole.course.model import DEFAULT_LOG_FIELDS, Practice, Quiz, Scenario
from peerskole.course.problems import CourseError
from tests.conftest import SAMPLE_COURSE


def test_sample_course_loads_in_manifest_order() -> None:
    course = load_course(SAMPLE_COURSE)
    assert course.id == "mini"
    assert [m.id for m in course.modules] == ["first", "second"]
    first = course.module("first")
    assert [s.kind for s in first.steps] == [
        "self_assessment", "reading", "quiz", "scenario", "reflection", "practice",
    ]
    quiz = first.step("quiz")
    assert isinstance(quiz, Quiz)
    assert quiz.pass_mark == 50
    assert quiz.questions[1].multiple is True
    assert [o.correct for o in quiz.questions[1].options] == [True, True, False]
    scenario = first.step("maja")
    assert isinstance(scenario, Scenario)
    assert scenario.turns[0].responses[0].reply == "Ja... det er det."
    practice = first.step("practice-talk")
    assert isinstance(practice, Practice)
    assert tuple(practice.log_fields) == DEFAULT_LOG_FIELDS
    assert course.module("second").requires == ["first"]


def test_completion_rule_defaults_to_every_step() -> None:
    first = load_course(SAMPLE_COURSE).module("first")
    assert first.required_step_ids == tuple(s.id for s in first.steps)


def test_completion_rule_lists_required_steps(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    shutil.copytree(SAMPLE_COURSE, folder)
    path = folder / "modules" / "01-first.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "minutes = 20\n", 'minutes = 20\n\n[completion]\nrequired_steps = ["quiz", "intro"]\n', 1
    )
    path.write_text(text, encoding="utf-8")
    first = load_course(folder).module("first")
    assert first.required_step_ids == ("intro", "quiz")  # step order, not list order


def test_models_are_frozen() -> None:
    course = load_course(SAMPLE_COURSE)
    with pytest.raises(ValidationError):
        course.manifest.title = "x"  # type: ignore[misc]  # frozen: the refusal is the test


def test_unknown_ids_raise_key_error() -> None:
    course = load_course(SAMPLE_COURSE)
    with pytest.raises(KeyError):
        course.module("nope")
    with pytest.raises(KeyError):
        course.modules[0].step("nope")


def test_byte_order_mark_and_crlf_are_accepted(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    shutil.copytree(SAMPLE_COURSE, folder)
    manifest = folder / "course.toml"
    text = manifest.read_text(encoding="utf-8").replace("\n", "\r\n")
    manifest.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_course(folder).title == "Minikursus"


def test_load_course_raises_course_error_with_every_problem(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    shutil.copytree(SAMPLE_COURSE, folder)
    path = folder / "modules" / "02-second.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("minutes = 10", "minutes = 0")
        .replace('title = "Læs"', 'titel = "Læs"'),
        encoding="utf-8",
    )
    with pytest.raises(CourseError) as caught:
        load_course(folder)
    lines = caught.value.report().splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("02-second.toml:4:1: minutes: must be at least 1, found 0")
    assert lines[1].endswith(
        '02-second.toml:10:1: steps[1].titel: unknown field "titel" (did you mean "title"?)'
    )


def test_unreadable_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    shutil.copytree(SAMPLE_COURSE, folder)
    (folder / "modules" / "03-dir.toml").mkdir()  # a folder where a file should be
    course, problems = check_course(folder)
    assert course is None
    assert [p.message for p in problems] == [
        "the file is a folder, not a text file; peerskole reads only regular files in a "
        "course folder"
    ]


def test_a_listed_module_without_a_file_is_reported_beside_a_broken_file(tmp_path: Path) -> None:
    # The broken file shows which id it holds; the other listed id has no file at all.
    folder = tmp_path / "c"
    shutil.copytree(SAMPLE_COURSE, folder)
    manifest = folder / "course.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'modules = ["', 'modules = ["findes-ikke", "'), encoding="utf-8")
    broken = folder / "modules" / "02-second.toml"
    broken.write_bytes(broken.read_bytes().replace(b"minutes = 10", b"minutes = \xff"))
    course, problems = check_course(folder)
    messages = [p.message for p in problems]
    assert course is None
    assert 'no file in modules/ has id = "findes-ikke"' in messages
    assert any("not UTF-8" in m for m in messages)
    # The id the broken file holds is not claimed missing.
    assert not any("has id" in m and "findes-ikke" not in m for m in messages)


def test_a_broken_file_without_a_readable_id_may_hold_any_listed_id(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    shutil.copytree(SAMPLE_COURSE, folder)
    broken = folder / "modules" / "02-second.toml"
    broken.write_text("[[[ not toml", encoding="utf-8")
    course, problems = check_course(folder)
    assert course is None
    assert not any("has id" in p.message for p in problems)


@pytest.mark.parametrize(("make", "said"), [
    (lambda path: None, "this course folder does not exist"),
    (lambda path: path.write_text("x"), "this course folder is a file, not a folder"),
    (lambda path: path.mkdir(), "this course folder has no course.toml"),
])
def test_a_missing_course_folder_says_what_is_wrong(
    tmp_path: Path, make: Callable[[Path], object], said: str
) -> None:
    path = tmp_path / "kursus"
    make(path)
    course, problems = check_course(path)
    assert course is None and [p.message for p in problems] == [said]
