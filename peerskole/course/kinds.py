"""Every kind of step, registered once.

What peerskole looks up by a step's ``kind`` beyond its model and its rule: the xAPI
verb and activity type an export sends, and the key of the word the UI shows for it.
The course model has one class a kind (``course/model.py``), the completion rule one
done test a kind (``progress.py``), the trainee app one view a kind
(``ui/steps/registry.py``); each is looked up through :func:`step_kind` or checked
against :data:`KINDS` (``tests/test_step_kinds.py``), so a kind added here and
forgotten there fails loudly instead of falling back to another kind's behaviour.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class StepKind:
    """One kind of step."""

    name: str
    """The value of ``kind`` in a course file."""
    xapi_verb: str
    """The ADL verb an export sends for a done step (a quiz sends passed or failed)."""
    xapi_activity: str
    """The ADL activity type of such a step."""

    @property
    def label_key(self) -> str:
        """The UI string naming the kind to a trainee ("Læsning", "Quiz", …)."""
        return f"kind.{self.name}"


class UnknownStepKind(LookupError):
    """A step kind that is not registered: a programming error, never a course error
    (the loader refuses an unknown kind with a message of its own)."""


KINDS: Final[Mapping[str, StepKind]] = {
    kind.name: kind
    for kind in (
        StepKind("reading", "experienced", "lesson"),
        StepKind("quiz", "passed", "assessment"),
        StepKind("scenario", "answered", "simulation"),
        StepKind("reflection", "answered", "question"),
        StepKind("self_assessment", "answered", "question"),
        StepKind("practice", "experienced", "performance"),
    )
}
"""Every kind, in the order the docs present them."""

STEP_KINDS: Final = tuple(KINDS)
"""Every value ``kind`` can take, in the order the docs present them."""


def step_kind(name: str) -> StepKind:
    """The registered kind of this name.

    Raises:
        UnknownStepKind: for a name that is not registered.
    """
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownStepKind(f"unknown step kind: {name!r}") from None
