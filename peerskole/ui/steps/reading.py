"""A reading: Markdown, scrollable. Opening it counts as reading it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Markdown

from peerskole.ui.steps.base import StepView


class ReadingView(StepView):
    """Shows the reading's Markdown and records that it was opened."""

    def compose(self) -> ComposeResult:
        step = self.data.step
        assert step.kind == "reading"
        yield Markdown(step.text, classes="reading-text")

    def on_mount(self) -> None:
        if not (self.data.record and self.data.record.facts.get("opened")):
            self.post_message(self.Progressed(facts={"opened": True}))
