"""The praktik supervisor's view: sign in, then the praktik trainees asked them to sign off.
Date, hours, place and the trainee's name; the "what I did" text only where the trainee
chose to show it to this supervisor."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from peerskole.ui.supervisor.app import SupervisorApp


def supervisor_app(node: MessagePump) -> SupervisorApp:
    """The supervisor's app a screen runs in (its store, language and key)."""
    from peerskole.ui.supervisor.app import SupervisorApp

    app = node.app
    if not isinstance(app, SupervisorApp):
        raise TypeError(f"{type(node).__name__} runs in the supervisor's app")
    return app
