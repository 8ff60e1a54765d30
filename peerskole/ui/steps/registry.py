"""Which view shows which kind of step: one view a model class, and none is guessed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from peerskole.course.kinds import UnknownStepKind
from peerskole.session import StepData

if TYPE_CHECKING:
    from peerskole.ui.steps.base import StepView


def views() -> dict[type, type[StepView]]:
    """Each step model class → the view that shows it.

    Built when first asked (a view module imports its widgets, which the first screen
    does not need).
    """
    from peerskole.course.model import (
        Practice,
        Quiz,
        Reading,
        Reflection,
        Scenario,
        SelfAssessment,
    )
    from peerskole.ui.steps.practice import PracticeView
    from peerskole.ui.steps.quiz import QuizView
    from peerskole.ui.steps.reading import ReadingView
    from peerskole.ui.steps.reflection import ReflectionView
    from peerskole.ui.steps.scenario import ScenarioView
    from peerskole.ui.steps.self_assessment import SelfAssessmentView

    return {
        Reading: ReadingView,
        Quiz: QuizView,
        Scenario: ScenarioView,
        Reflection: ReflectionView,
        SelfAssessment: SelfAssessmentView,
        Practice: PracticeView,
    }


def view_for(data: StepData) -> StepView:
    """The view for a step, by its model class.

    Raises:
        UnknownStepKind: for a step no view is registered for (never another's view).
    """
    view = views().get(type(data.step))
    if view is None:
        raise UnknownStepKind(f"no view for step kind {data.step.kind!r}")
    return view(data)
