"""Which view shows which kind of step."""

from __future__ import annotations

from peerskole.session import StepData
from peerskole.ui.steps.base import StepView


def view_for(data: StepData) -> StepView:
    """The view for a step, by its kind."""
    kind = data.step.kind
    if kind == "reading":
        from peerskole.ui.steps.reading import ReadingView

        return ReadingView(data)
    if kind == "quiz":
        from peerskole.ui.steps.quiz import QuizView

        return QuizView(data)
    if kind == "scenario":
        from peerskole.ui.steps.scenario import ScenarioView

        return ScenarioView(data)
    if kind == "reflection":
        from peerskole.ui.steps.reflection import ReflectionView

        return ReflectionView(data)
    if kind == "self_assessment":
        from peerskole.ui.steps.self_assessment import SelfAssessmentView

        return SelfAssessmentView(data)
    from peerskole.ui.steps.practice import PracticeView

    return PracticeView(data)
