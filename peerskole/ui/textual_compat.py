"""The private parts of Textual peerskole relies on, in one place.

Textual is pinned (``pyproject.toml``); each name here is one it does not promise to
keep. ``tests/ui/test_textual_compat.py`` checks each still exists and means what
peerskole takes it to mean, so an upgrade that moves one fails there, by name, rather
than somewhere in a screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import BindingsMap
    from textual.content import Content
    from textual.dom import DOMNode
    from textual.driver import Driver
    from textual.notifications import Notification
    from textual.widgets import RadioSet
    from textual.widgets._toggle_button import ToggleButton

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
