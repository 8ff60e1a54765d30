"""What every step view shares: the data it opens with and the messages it sends up.

A step view never writes to the store. It posts messages; the module screen
records them through the session, which decides completion by the course's one
rule and queues the write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from textual.message import Message
from textual.widget import Widget

from peerskole.course.model import Module, Step
from peerskole.i18n import Translator
from peerskole.progress import StepRecord
from peerskole.store.base import PracticeEntry, ReflectionText


@dataclass(frozen=True)
class StepData:
    """Everything a step view needs to show a step as the trainee left it."""

    module: Module
    step: Step
    t: Translator
    record: StepRecord | None = None
    state: Mapping[str, Any] = field(default_factory=dict)
    """UI state saved by the view before (chosen answers and the like)."""
    reflection: ReflectionText | None = None
    entries: tuple[PracticeEntry, ...] = ()
    phase: str = ""
    """For a self-assessment: "before" or "after"; otherwise empty."""
    others_done: bool = False
    """Whether every other required step of the module is done."""


class StepView(Widget):
    """Base of the six step views. Subclasses compose from ``self.data``."""

    DEFAULT_CSS = """
    StepView {
        height: auto;
    }
    """

    class Progressed(Message):
        """New facts (for completion) and/or state (for resuming) for this step."""

        def __init__(
            self, facts: Mapping[str, Any] | None = None, state: Mapping[str, Any] | None = None
        ) -> None:
            super().__init__()
            self.facts = dict(facts) if facts is not None else None
            self.state = dict(state) if state is not None else None

    class ReflectionChanged(Message):
        """The reflection's text or its shared flag changed."""

        def __init__(self, text: str, shared: bool) -> None:
            super().__init__()
            self.text = text
            self.shared = shared

    class PracticeLogged(Message):
        """The trainee added an entry to the practice log."""

        def __init__(self, values: Mapping[str, str]) -> None:
            super().__init__()
            self.values = dict(values)

    def __init__(self, data: StepData) -> None:
        super().__init__(classes="step-view")
        self.data = data

    @property
    def t(self) -> Translator:
        return self.data.t

    def flush(self) -> None:
        """Post anything not yet sent; called before the view is left. Override as needed."""
