"""A reading: Markdown, scrollable. It counts as read once its end is reached or left."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import ScrollableContainer
from textual.css.query import NoMatches
from textual.widgets import Markdown

from peerskole.progress import step_done
from peerskole.session import StepData
from peerskole.ui.steps.base import StepView


class ReadingView(StepView):
    """Shows the reading's Markdown; says it was read once the trainee scrolls to its end
    or moves on from it (whether that makes it done is the course's rule, in progress.py).

    Opening it only starts it: a glance at the first lines is not reading.
    """

    def __init__(self, data: StepData) -> None:
        super().__init__(data)
        self._read = step_done(data.step, data.record)

    def compose(self) -> ComposeResult:
        step = self.data.step
        assert step.kind == "reading"
        yield Markdown(step.text, classes="reading-text")

    def on_mount(self) -> None:
        if self.data.record is None:
            self.report(self.Progressed(facts={}))  # begun: the module is in progress
        if self._read:
            return
        try:
            pane = self.query_ancestor(ScrollableContainer)
        except NoMatches:
            return
        self.watch(pane, "scroll_y", lambda: self._end_reached(pane), init=False)

    def _end_reached(self, pane: ScrollableContainer) -> None:
        """The pane scrolled: when to its end (and it could scroll), the reading is read."""
        if not self._read and pane.max_scroll_y > 0 and pane.scroll_y >= pane.max_scroll_y:
            self._mark_read()

    def _mark_read(self) -> None:
        self._read = True
        self.report(self.Progressed(facts={"read": True}))

    def flush(self) -> None:
        # Moving on from a reading (to another step or the overview) counts as reading it.
        if not self._read:
            self._mark_read()
