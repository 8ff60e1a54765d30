"""A footer that leaves out its lesser keys on a narrow terminal, so the rest are drawn whole."""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer

from peerskole.ui.textual_compat import FooterKey


class FittedFooter(Footer):
    """Textual's footer, without the keys of some actions below a width.

    Textual's footer cuts what does not fit at its right end, where the app's own keys
    are: help (F1) and support (F2, which leads to the emergency number). Below
    ``narrow_below`` columns this one leaves out the keys of the ``lesser`` actions
    instead. A key left out still works, and the help (F1) lists it; every key shown
    works.

    Args:
        lesser: the actions whose keys are left out on a narrow terminal.
        narrow_below: the width, in columns, below which they are left out.
        show_command_palette: as for Textual's footer.
    """

    def __init__(
        self, lesser: Iterable[str], narrow_below: int, *, show_command_palette: bool = True
    ) -> None:
        super().__init__(show_command_palette=show_command_palette)
        self.lesser = frozenset(lesser)
        self.narrow_below = narrow_below
        self._narrow: bool | None = None
        """Whether the keys were last composed for a narrow terminal."""

    def compose(self) -> ComposeResult:
        # The footer spans the terminal; its own width is not known before it is laid out.
        self._narrow = self.app.size.width < self.narrow_below
        for widget in super().compose():
            if self._left_out(widget):
                continue
            yield widget

    def _left_out(self, widget: Widget) -> bool:
        return bool(self._narrow and isinstance(widget, FooterKey)
                    and widget.action in self.lesser)

    def on_resize(self, event: events.Resize) -> None:
        if self._narrow is not None and self._narrow != (self.app.size.width < self.narrow_below):
            self.call_after_refresh(self.recompose)
