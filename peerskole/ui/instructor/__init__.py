"""The instructor's view: a cohort's learners, each one's progress, and the inbox of
reflections trainees shared. Figures and shared text only, never a private text."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from peerskole.ui.instructor.app import InstructorApp


def instructor_app(node: MessagePump) -> InstructorApp:
    """The instructor's app a screen runs in (its store, courses, language and key)."""
    from peerskole.ui.instructor.app import InstructorApp

    app = node.app
    if not isinstance(app, InstructorApp):
        raise TypeError(f"{type(node).__name__} runs in the instructor's app")
    return app
