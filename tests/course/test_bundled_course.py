"""The bundled Danish course holds what issue 4 promises, module by module."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final, TypeVar

import pytest

from peerskole.course.loader import check_course, load_course
from peerskole.course.model import (
    Course,
    Module,
    Practice,
    Quiz,
    Reading,
    Reflection,
    Scenario,
    SelfAssessment,
)
from tests.conftest import REPO_DIR

COURSE_DIR: Final = REPO_DIR / "courses" / "peer-grundforloeb"
"""The course peerskole ships with."""

EXPECTED_MODULES: Final = (
    ("peer-stoette-recovery-haab", "Peer-støtte, recovery og håb"),
    ("aktiv-lytning", "Aktiv lytning"),
    ("erfaringskompetence", "Fra levet erfaring til erfaringskompetence"),
    ("gruppefacilitering", "Gruppefacilitering"),
    ("peer-rollen", "Peer-rollen, grænser og samarbejde"),
    ("brobygning-og-redskaber", "Brobygning og redskaber"),
    ("egenomsorg", "Egenomsorg og bæredygtigt peer-arbejde"),
    ("rammer-og-etik", "Rammer og etik i peer-arbejdet"),
)
"""Module ids and titles in course order: issue 4's seven, then issue 14's legal frame."""

MODULE_IDS: Final = tuple(module_id for module_id, _ in EXPECTED_MODULES)

CORE_MODULES: Final = frozenset({"aktiv-lytning", "erfaringskompetence", "gruppefacilitering"})
"""The core modules, which need at least three scenarios, one of several turns."""

StepT = TypeVar("StepT")

TOTAL_MINUTES: Final = re.compile(r"Samlet tid:\s*(\d+)\s*minutter")
"""How the course README states the total time."""


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(COURSE_DIR)


def steps_of(module: Module, kind: type[StepT]) -> list[StepT]:
    """The module's steps of one kind, in order."""
    return [step for step in module.steps if isinstance(step, kind)]


def test_course_checks_without_problems() -> None:
    loaded, problems = check_course(COURSE_DIR)
    assert [p.message for p in problems] == []
    assert loaded is not None


def test_eight_modules_in_order_with_their_titles(course: Course) -> None:
    assert [(m.id, m.title) for m in course.modules] == list(EXPECTED_MODULES)
    assert len(list((COURSE_DIR / "modules").glob("*.toml"))) == len(EXPECTED_MODULES)


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_module_has_goals_reading_reflection_and_sources(course: Course, module_id: str) -> None:
    module = course.module(module_id)
    assert module.goals and all(goal.strip() for goal in module.goals)
    assert module.minutes > 0
    assert any(step.text.strip() for step in steps_of(module, Reading))
    assert any(step.prompt.strip() for step in steps_of(module, Reflection))
    assert module.sources and all(source.citation.strip() for source in module.sources)


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_module_opens_with_a_self_assessment(course: Course, module_id: str) -> None:
    module = course.module(module_id)
    # The app asks it at the start and again at the end, so it must come first.
    first = module.steps[0]
    assert isinstance(first, SelfAssessment)
    assert first.statements and all(s.strip() for s in first.statements)
    assert first.id in module.required_step_ids


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_quiz_has_feedback_on_every_option(course: Course, module_id: str) -> None:
    quizzes = steps_of(course.module(module_id), Quiz)
    assert quizzes
    for quiz in quizzes:
        for question in quiz.questions:
            assert any(option.correct for option in question.options), question.text
            for option in question.options:
                assert option.feedback.strip(), (quiz.id, question.text, option.text)


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_scenarios_name_the_principle_behind_every_response(course: Course, module_id: str) -> None:
    scenarios = steps_of(course.module(module_id), Scenario)
    if module_id in CORE_MODULES:
        assert len(scenarios) >= 3
        assert any(len(scenario.turns) > 1 for scenario in scenarios)
    else:
        assert len(scenarios) >= 1
    for scenario in scenarios:
        for turn in scenario.turns:
            qualities = {response.quality for response in turn.responses}
            assert "best" in qualities, (scenario.id, turn.says)
            assert len(qualities) > 1, (scenario.id, turn.says)
            for response in turn.responses:
                assert response.principle.strip(), (scenario.id, response.text)
                assert response.feedback.strip(), (scenario.id, response.text)


REFERS_BY_PLACE: Final = re.compile(
    r"\b(?:alle ovenstående|ingen af (?:delene|dem|ovenstående)|begge dele|ovenstående"
    r"|ovenfor|nedenfor|[a-d] og [a-d])\b",
    re.IGNORECASE,
)
"""Option texts that point at other options by their place in the list."""


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_options_that_refer_to_each_other_keep_their_order(
    course: Course, module_id: str
) -> None:
    """Each trainee sees options in an order of their own, unless shuffle = false pins it."""
    module = course.module(module_id)
    for quiz in steps_of(module, Quiz):
        for question in quiz.questions:
            if any(REFERS_BY_PLACE.search(option.text) for option in question.options):
                assert not question.shuffle, (quiz.id, question.text)
    for scenario in steps_of(module, Scenario):
        for turn in scenario.turns:
            if any(REFERS_BY_PLACE.search(response.text) for response in turn.responses):
                assert not turn.shuffle, (scenario.id, turn.says)


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_practice_has_an_assignment_and_a_log(course: Course, module_id: str) -> None:
    practices = steps_of(course.module(module_id), Practice)
    assert practices
    for practice in practices:
        assert practice.assignment.strip()
        assert practice.log_fields
        assert practice.min_entries >= 1


def course_files() -> list[Path]:
    return [COURSE_DIR / "course.toml", *sorted((COURSE_DIR / "modules").glob("*.toml"))]


@pytest.mark.parametrize("path", course_files(), ids=lambda p: p.name)
def test_file_names_a_schema_that_exists(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#:schema "), first
    schema = path.parent / first.removeprefix("#:schema ").strip()
    assert schema.resolve().is_file(), schema


def test_support_contacts_include_the_emergency_number(course: Course) -> None:
    assert "112" in [contact.phone for contact in course.manifest.support]
    assert "112" in course.manifest.description


def test_readme_states_the_total_minutes(course: Course) -> None:
    readme = (COURSE_DIR / "README.md").read_text(encoding="utf-8")
    stated = [int(minutes) for minutes in TOTAL_MINUTES.findall(readme)]
    assert stated == [sum(module.minutes for module in course.modules)]
    for _, title in EXPECTED_MODULES:
        assert title in readme


def test_the_bundled_course_states_a_programme(course: Course) -> None:
    programme = course.manifest.programme
    assert programme is not None
    assert (programme.classroom_hours, programme.classroom_weeks) == (78, 13)
    assert programme.min_attendance_percent == 80
    # 80 % of 78 hours is 62.4 hours: 3744 minutes.
    assert programme.required_classroom_minutes == 3744
    assert programme.praktik_hours and programme.praktik_weeks == 13
