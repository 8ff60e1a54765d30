"""What a trainee sees before a step with a content note: the note, Start, and a way past."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Static

from peerskole.course.model import Step
from peerskole.i18n import Translator


class ContentNotice(Vertical):
    """A calm notice of what a step touches on, shown before the step starts.

    The trainee chooses: Start opens the step (and the note is not shown for it again),
    Skip goes on to the next step with this one left as it was. Nothing is recorded by
    the notice itself; it says which was chosen and the module screen records it.

    Args:
        step: the step whose note this is (it has a ``content_note``).
        t: the translator of the app's language.
    """

    DEFAULT_CSS = """
    ContentNotice {
        height: auto;
        border: round $primary-lighten-2;
        padding: 1 2;
        margin: 1 0;
    }
    ContentNotice .content-note-title {
        text-style: bold;
        margin: 0 0 1 0;
    }
    ContentNotice .content-note-text {
        margin: 0 0 1 0;
    }
    ContentNotice #content-note-buttons {
        height: auto;
    }
    ContentNotice Button {
        margin: 0 2 0 0;
    }
    """

    class Started(Message):
        """The trainee chose to start the step."""

        def __init__(self, step: Step) -> None:
            super().__init__()
            self.step = step
            """The step started."""

    class Skipped(Message):
        """The trainee chose to go on to the next step instead."""

        def __init__(self, step: Step) -> None:
            super().__init__()
            self.step = step
            """The step passed over; it stays as it was."""

    def __init__(self, step: Step, t: Translator) -> None:
        super().__init__(id="content-note")
        self.step = step
        self._t = t

    def compose(self) -> ComposeResult:
        t = self._t
        yield Static(t("content_note.title"), classes="content-note-title")
        # The note comes from the course file: shown as text, never as markup.
        yield Static(t("content_note.touches", note=self.step.content_note or ""),
                     classes="content-note-text", markup=False)
        yield Static(t("content_note.choice"), classes="content-note-text", markup=False)
        with Horizontal(id="content-note-buttons"):
            yield Button(t("content_note.start"), id="content-note-start", variant="primary")
            yield Button(t("content_note.skip"), id="content-note-skip")

    @property
    def start_button(self) -> Button:
        """The button that starts the step (focused on arrival)."""
        return self.query_one("#content-note-start", Button)

    @on(Button.Pressed, "#content-note-start")
    def start_step(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Started(self.step))

    @on(Button.Pressed, "#content-note-skip")
    def skip_step(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Skipped(self.step))
