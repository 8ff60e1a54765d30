"""How a screen, a dialog or a widget reaches the app it runs in, as peerskole's app."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from peerskole.ui.app import PeerskoleApp


def peerskole_app(node: MessagePump) -> PeerskoleApp:
    """The app the node runs in (its language, store, course and session).

    Raises:
        TypeError: when it runs in another app (a widget tried on its own in a test).
    """
    from peerskole.ui.app import PeerskoleApp

    app = node.app
    if not isinstance(app, PeerskoleApp):
        raise TypeError(f"{type(node).__name__} runs in peerskole's app, not {type(app).__name__}")
    return app
