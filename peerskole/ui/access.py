"""How a screen, a dialog or a widget reaches the app it runs in, as peerskole's app."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVarTuple, Unpack

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from peerskole.ui.app import PeerskoleApp

Arguments = TypeVarTuple("Arguments")


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


def answer_from_thread(
    node: MessagePump, callback: Callable[[Unpack[Arguments]], object], *args: Unpack[Arguments]
) -> None:
    """From a worker thread: run ``callback(*args)`` on the app's thread if ``node`` is still
    attached to the app by then.

    A thread's work (the store answering) may end after its screen was closed or the
    app quit; its answer then has nowhere to go, and drawing it would fail on widgets
    that are gone.
    """

    def answer() -> object:
        return callback(*args) if node.is_attached else None  # awaited when awaitable

    node.app.call_from_thread(answer)
