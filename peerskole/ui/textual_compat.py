"""The private parts of Textual (and of Rich, which draws its text) peerskole relies on,
in one place.

Textual is pinned (``pyproject.toml``); each name here is one it does not promise to
keep. ``tests/ui/test_textual_compat.py`` checks each still exists and means what
peerskole takes it to mean, so an upgrade that moves one fails there, by name, rather
than somewhere in a screen.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

import rich._wrap
from textual.widgets._footer import FooterKey as FooterKey

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import BindingsMap
    from textual.content import Content
    from textual.dom import DOMNode
    from textual.driver import Driver
    from textual.notifications import Notification
    from textual.widgets import RadioSet
    from textual.widgets._toggle_button import ToggleButton

# FooterKey (re-exported above): the widget Textual's footer draws for each key, not
# exported by Textual; the fitted footer leaves some out and the footer tests read them.

HANDLE_EXCEPTION: Final = "_handle_exception"
"""The App method Textual calls with every unhandled exception (in a handler or a
worker); :class:`peerskole.ui.app.PeerskoleApp` overrides it to answer a store that
stops answering calmly instead of exiting."""


def bindings(node: DOMNode) -> BindingsMap:
    """The node's own key bindings, as Textual looks them up (``DOMNode._bindings``)."""
    return node._bindings


def set_bindings(node: DOMNode, bindings: BindingsMap) -> None:
    """Replace the node's own key bindings (translated descriptions)."""
    node._bindings = bindings


def toggle_button(toggle: ToggleButton) -> Content:
    """The styled ▐●▌ part of a checkbox or radio button (``ToggleButton._button``)."""
    return toggle._button


def radio_selected(radio_set: RadioSet) -> int | None:
    """The index of the button the keyboard is on in a radio set (``RadioSet._selected``)."""
    return radio_set._selected


def notifications(app: App[Any]) -> list[Notification]:
    """The notifications the app shows now (``App._notifications``)."""
    return list(app._notifications)


def driver(app: App[Any]) -> Driver | None:
    """The driver through which a terminal's keys reach the app (``App._driver``)."""
    return app._driver


def exception(app: App[Any]) -> BaseException | None:
    """The unhandled exception that ended the app, if any (``App._exception``)."""
    return app._exception


NO_BREAK_SPACES: Final = "\u00a0\u2007\u202f"
"""NO-BREAK SPACE, FIGURE SPACE and NARROW NO-BREAK SPACE: spaces a line never breaks at."""

WORD: Final = re.compile(rf"[^\S{NO_BREAK_SPACES}]*[\S{NO_BREAK_SPACES}]+[^\S{NO_BREAK_SPACES}]*")
"""A word and the spaces around it, as Rich's ``\\s*\\S+\\s*`` but with the no-break spaces
inside words."""


def keep_no_break_spaces() -> None:
    """Make every line break on screen leave the no-break spaces alone.

    The UI strings join a number and its unit with U+00A0 ("80\\u00a0%"). Rich, whose
    line breaking Textual's ``Content`` uses for all text, finds words with ``\\s``
    (``rich._wrap.re_word``), which matches U+00A0 too: "80" could end one line and "%"
    start the next. Called when the app starts, never at import; safe to call again.
    """
    rich._wrap.re_word = WORD
