"""Every step kind is registered once, and every part that works by kind knows each one.

An unregistered kind fails loudly everywhere (it once fell back to the practice view).
"""

from __future__ import annotations

import types
import typing

import pytest

from peerskole.course.kinds import KINDS, UnknownStepKind, step_kind
from peerskole.course.loader import load_course
from peerskole.course.model import Step
from peerskole.i18n import LANGUAGES, Translator
from peerskole.progress import done_test, step_done
from peerskole.session import StepData
from tests.conftest import SAMPLE_COURSE

MODELS = typing.get_args(typing.get_args(Step)[0])
"""The model class of each kind, as the course format's union lists them."""

FIRST = load_course(SAMPLE_COURSE).module("first")
"""The sample course's first module has a step of every kind."""


def test_the_registry_and_the_course_model_list_the_same_kinds() -> None:
    modelled = [typing.get_args(model.model_fields["kind"].annotation)[0] for model in MODELS]
    assert modelled == list(KINDS)
    assert {step.kind for step in FIRST.steps} == set(KINDS)


@pytest.mark.parametrize("step", FIRST.steps, ids=lambda step: step.kind)
def test_every_kind_has_a_rule_a_view_a_label_and_xapi_words(step: Step) -> None:
    from peerskole.ui.steps.registry import views

    kind = step_kind(step.kind)
    assert done_test(step)({}) is False  # a rule, and nothing done without facts
    assert type(step) in views()
    for language in LANGUAGES:
        label = Translator(language)(kind.label_key)
        assert label and label != kind.label_key
    assert kind.xapi_verb and kind.xapi_activity


def test_an_unregistered_kind_fails_loudly_in_the_rule_and_the_app() -> None:
    from peerskole.ui.steps.registry import view_for

    # No Step can have an unknown kind, so a stand-in (hence the type: ignores below).
    odd = types.SimpleNamespace(kind="video", id="clip")
    with pytest.raises(UnknownStepKind, match="video"):
        step_kind("video")
    with pytest.raises(UnknownStepKind, match="video"):
        step_done(odd, None) or done_test(odd)  # type: ignore[arg-type]
    data = StepData(module=FIRST, step=odd, t=Translator("da"))  # type: ignore[arg-type]
    with pytest.raises(UnknownStepKind, match="video"):
        view_for(data)
