"""What every step view shares: the data it opens with and the messages it sends up.

A step view never writes to the store. It posts messages; the module screen
records them through the session, which decides completion by the course's one
rule and queues the write.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from textual.containers import ScrollableContainer
from textual.geometry import Region
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget

from peerskole.course.model import Step
from peerskole.i18n import Translator
from peerskole.session import StepData

DEBOUNCE_SECONDS: Final = 0.4
"""Quiet time after the last keystroke before a draft is sent to be saved.

Short enough that a draft reaches the write queue well within a second of the
last keystroke, long enough that a fast typist does not queue a write per key.
"""

MAX_WAIT_SECONDS: Final = 0.5
"""Longest a change waits to be sent while the trainee keeps typing without a pause.

The quiet period alone would hold a steady typist's whole text back until they
stop; with this, a crash loses at most about the last half second of typing.
"""

FIT_WAIT_SECONDS: Final = 0.25
"""Longest a step's scroll on arrival waits for the sizes it fitted to be laid out."""


class StepMessage(Message):
    """A message a step view sends up to be recorded."""

    step: Step | None = None
    """The step it is about; set by StepView.report, because the module screen may
    handle it after the trainee has moved to another step."""


class SaveSoon:
    """Sends a draft a moment after the last change, and at least every half second while
    the changes go on (see DEBOUNCE_SECONDS and MAX_WAIT_SECONDS).

    One timer a pause rather than one a keystroke: the quiet period is measured from the
    last change when the timer fires, and the timer is set again for what is left of it.
    (Setting a timer for every key cost a typist about 0.15 ms a key; see
    benchmarks/bench_keystrokes.py.)

    Args:
        owner: the widget whose timers these are (they end with it).
        send: what sends the draft; called from the owner's timers.
    """

    def __init__(self, owner: Widget, send: Callable[[], object]) -> None:
        self._owner = owner
        self._send = send
        self._debounce: Timer | None = None
        self._deadline: Timer | None = None
        self._last_change = 0.0

    def changed(self) -> None:
        """Note a change: the quiet period starts again, and the deadline if none runs."""
        self._last_change = time.monotonic()
        if self._debounce is None:
            self._debounce = self._owner.set_timer(DEBOUNCE_SECONDS, self._quiet_or_later)
        if self._deadline is None:
            self._deadline = self._owner.set_timer(MAX_WAIT_SECONDS, self._send)

    def _quiet_or_later(self) -> None:
        left = self._last_change + DEBOUNCE_SECONDS - time.monotonic()
        if left > 0:
            self._debounce = self._owner.set_timer(left, self._quiet_or_later)
            return
        self._debounce = None
        self._send()

    def cancel(self) -> None:
        """Forget the pending send (the draft is being sent now, or is gone)."""
        for timer in (self._debounce, self._deadline):
            if timer is not None:
                timer.stop()
        self._debounce = self._deadline = None


class StepView(Widget):
    """Base of the six step views. Subclasses compose from ``self.data``."""

    DEFAULT_CSS = """
    StepView {
        height: auto;
    }
    """

    class Progressed(StepMessage):
        """New facts (for completion) and/or state (for resuming) for this step."""

        def __init__(
            self, facts: Mapping[str, Any] | None = None, state: Mapping[str, Any] | None = None
        ) -> None:
            super().__init__()
            self.facts = dict(facts) if facts is not None else None
            self.state = dict(state) if state is not None else None

    class ReflectionChanged(StepMessage):
        """The reflection's text or its shared flag changed."""

        def __init__(self, text: str, shared: bool) -> None:
            super().__init__()
            self.text = text
            self.shared = shared

    class PracticeLogged(StepMessage):
        """The trainee added an entry to the practice log."""

        def __init__(self, values: Mapping[str, str]) -> None:
            super().__init__()
            self.values = dict(values)

    class PracticeDraftChanged(StepMessage):
        """The log entry being written changed; no values when the form is blank again."""

        def __init__(self, values: Mapping[str, str]) -> None:
            super().__init__()
            self.values = dict(values)

    def __init__(self, data: StepData) -> None:
        super().__init__(classes="step-view")
        self.data = data
        self._held: list[StepMessage] | None = None
        self._when_fitted: Callable[[], object] | None = None

    def report(self, message: StepMessage) -> None:
        """Send what the trainee did on this step up to the module screen, which records it.

        The message names this view's step. While :meth:`flushed` runs it is held
        and returned instead of posted.
        """
        if message.step is None:
            message.step = self.data.step
        if self._held is not None:
            self._held.append(message)
        else:
            self.post_message(message)

    def flushed(self) -> list[StepMessage]:
        """Run :meth:`flush` and return what it reports instead of posting it.

        The module screen records these at once: it leaves a view while the view
        (or the screen itself, going to the overview or quitting) may already be
        closing, and a closing widget drops the messages posted to it.
        """
        self._held = []
        try:
            self.flush()
            return self._held
        finally:
            self._held = None

    @property
    def t(self) -> Translator:
        return self.data.t

    def flush(self) -> None:
        """Post anything not yet sent; called before the view is left. Override as needed."""

    def main_control(self) -> Widget | None:
        """The control a trainee arriving at this step works with first.

        The module screen focuses it and scrolls it into view once the view is laid
        out. None when there is nothing to answer or write: the pane the step scrolls
        in takes the focus, so the arrow keys read on.
        """
        return None

    def fit(self, rows: int) -> None:
        """Size the step's parts for a pane that shows this many rows at once.

        Called once the view is laid out and again when the terminal changes size.
        Override where a part should not grow past what fits (a text editor).
        """

    def fitted(self) -> bool:
        """Whether the last layout shows the sizes ``fit`` set.

        Override with ``fit``. A size set there reaches the screen's layout by a message
        of its own, which can come after the screen's next refresh: a scroll before then
        measures the old sizes (see ``when_fitted``).
        """
        return True

    def when_fitted(self, callback: Callable[[], object]) -> None:
        """Call back once the sizes ``fit`` set are laid out: at once if they are.

        Otherwise when the view is resized to them (its height follows its parts'), or
        after FIT_WAIT_SECONDS, so the focus is never left waiting.
        """
        if self.fitted():
            callback()
            return
        self._when_fitted = callback
        self.set_timer(FIT_WAIT_SECONDS, self._fitted)

    def on_resize(self) -> None:
        if self.fitted():
            self._fitted()

    def _fitted(self) -> None:
        callback, self._when_fitted = self._when_fitted, None
        if callback is not None:
            callback()

    def arrive(self, rows: int) -> Widget | None:
        """Scroll the step for a trainee arriving at it; return the control to focus.

        By default the main control, scrolled into view. None leaves the focus on the
        pane the step scrolls in (nothing to answer, or something to read first).

        Args:
            rows: how many rows of the step the pane shows at once.
        """
        control = self.main_control()
        if control is not None:
            control.scroll_visible(animate=False, immediate=True)
        return control

    def keep_in_view(self, focused: Widget) -> None:
        """Scroll the focused control into view, with what belongs with it.

        Called as the focus moves to one of the step's controls (by Tab, or as the
        step sends it there) and after a resize. By default Textual's own rule for a
        focus: a control not wholly in view is brought to the middle of the pane, its
        top in view. Override where something else belongs with the control.
        """
        if not self.screen.can_view_entire(focused):
            self.screen.scroll_to_center(focused, animate=False, origin_visible=True,
                                         immediate=True)

    def show_together(self, lead: Sequence[Widget], focused: Sequence[Widget]) -> None:
        """Scroll the focused control into view with as much of what leads to it as fits.

        ``lead`` are the widgets above the control that say what it is about, widest
        first (a question's number, then its text); ``focused`` is the control as it
        can be shown, widest first (all of a question's options, then the one under the
        cursor). The pane shows the widest ``focused`` that fits in it with the
        widest ``lead``, trying every lead for a ``focused`` before a narrower one;
        when nothing fits together, the last of ``focused`` alone: the focused control
        always wins. The pane moves no further than that needs.

        Args:
            lead: widgets above the focused control in the pane, the highest first.
            focused: the focused control, or parts of it, the widest first; the last
                is in view whatever else is.
        """
        pane = next((a for a in self.ancestors if isinstance(a, ScrollableContainer)), None)
        if pane is None or not focused:
            return
        rows = pane.scrollable_content_region.height
        # Places in the pane's scrolled content, from the last layout. A widget's region
        # is where it was drawn, at the scroll of that moment (the pane may have moved
        # since, by a key pressed before the screen was drawn again); the part of the
        # step right in the pane knows its place in the content whatever the scroll.
        anchor: Widget = next(w for w in (self, *self.ancestors)
                              if isinstance(w, Widget) and w.parent is pane)
        shift = anchor.virtual_region.y - anchor.region.y

        def top(widget: Widget) -> int:
            return int(widget.region.y - widget.styles.margin.top + shift)

        def bottom(widget: Widget) -> int:
            return int(widget.region.bottom + widget.styles.margin.bottom + shift)

        def show(first: int, last: int) -> None:
            # The least scrolling that shows rows first..last; their top when too tall.
            pane.scroll_to_region(Region(0, first, 1, max(last - first, 1)), animate=False,
                                  immediate=True, x_axis=False)

        for shown in focused:
            for widget in lead:
                if bottom(shown) - top(widget) <= rows:
                    show(top(widget), bottom(shown))
                    return
        show(top(focused[-1]), bottom(focused[-1]))
