"""A text editor that keeps the place being written in view when its size changes."""

from __future__ import annotations

from textual.widgets import TextArea


class WritingArea(TextArea):
    """A TextArea whose cursor stays in view as the editor is resized.

    Textual's editor re-wraps its text on a resize but leaves its scroll where it was.
    The step's layout settles after a draft is restored: the editor is fitted to the
    pane, and the pane's scroll bar can come or go as the rest of the step is mounted,
    re-wrapping the text into more or fewer lines. Scrolled for the size it had first,
    a draft continued at its end would go on below the editor's last visible line.
    """

    def on_resize(self) -> None:
        # Once TextArea's own handler has re-wrapped the text for the new width and the
        # editor's scrollable size follows the new lines.
        self.call_after_refresh(self.scroll_cursor_visible)
