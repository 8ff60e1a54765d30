"""The dialogue under a reflection: the instructor's replies, the trainee's answers back."""

from __future__ import annotations

import datetime as dt

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Static, TextArea

from peerskole import dialogue
from peerskole.course.model import Module, Step
from peerskole.dialogue import DialogueError, DialogueMessage
from peerskole.i18n import Translator
from peerskole.privacy import PrivacyError
from peerskole.safe_text import TEXT_FORBIDDEN, visible
from peerskole.session import Session
from peerskole.store.base import StoreError
from peerskole.ui.access import answer_from_thread
from peerskole.ui.widgets.writing_area import WritingArea


def local_time(stamp: str) -> str:
    """An ISO 8601 instant as local date and time ("03.12.2026 14:05")."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return visible(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone().strftime("%d.%m.%Y %H:%M")


class ReflectionDialogue(Vertical):
    """The messages on one reflection, newest last, and a field to answer back.

    Shown only when the reflection has a dialogue. It reads and writes in worker
    threads through the session's store and key; reading marks the instructors'
    messages read. Answering needs the reflection shared; a failed answer stays in
    the field, and the trouble is said in a calm sentence.

    Args:
        session: the trainee's session (its store, learner, course and key).
        module: the module of the reflection.
        step: the reflection step.
        shared: whether the reflection is shared now.
        t: the translator of the app's language.
    """

    DEFAULT_CSS = """
    ReflectionDialogue {
        height: auto;
        border-top: solid $accent;
        padding: 0 1;
        margin: 1 0 0 0;
        &.-empty {
            display: none;
        }
        & #dialogue-heading {
            text-style: bold;
        }
        & #dialogue-messages {
            height: auto;
        }
        & .dialogue-meta {
            color: $text-muted;
            margin: 1 0 0 0;
        }
        & #answer-text {
            height: 5;
        }
        & #answer-row, & #answer-needs-share, & #dialogue-status {
            height: auto;
        }
    }
    """

    def __init__(
        self, session: Session, module: Module, step: Step, shared: bool, t: Translator
    ) -> None:
        super().__init__(id="dialogue", classes="-empty")
        self.session = session
        self.module = module
        self.step = step
        self.t = t
        self._shared = shared
        self.messages: list[DialogueMessage] = []

    def compose(self) -> ComposeResult:
        t = self.t
        yield Static(t("replies.heading"), id="dialogue-heading", markup=False)
        yield Vertical(id="dialogue-messages")
        with Vertical(id="answer-row"):
            yield Static(t("replies.answer_label"), id="answer-label", markup=False)
            yield WritingArea(soft_wrap=True, tab_behavior="focus", id="answer-text")
            yield Button(t("replies.send"), id="send-answer", compact=True)
        yield Static(t("replies.needs_share"), id="answer-needs-share", markup=False)
        yield Static("", id="dialogue-status", markup=False)

    def on_mount(self) -> None:
        self._show_sharing()
        self.load()

    # --- reading ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="dialogue-read")
    def load(self) -> None:
        """Read the dialogue (marking the instructors' messages read), then show it."""
        session = self.session
        try:
            messages = dialogue.for_learner(
                session.store, session.key, session.learner.id, session.course.id,
                *session.text_home(self.module, self.step), mark_read=True)
        except (StoreError, PrivacyError):
            answer_from_thread(self, self._read_failed)
            return
        answer_from_thread(self, self._show_messages, messages)

    def _read_failed(self) -> None:
        self.remove_class("-empty")  # whether there are replies is not known: say so
        self._say("replies.read_failed")

    async def _show_messages(self, messages: list[DialogueMessage]) -> None:
        self.messages = messages
        self.set_class(not messages, "-empty")
        box = self.query_one("#dialogue-messages", Vertical)
        await box.remove_children()
        parts: list[Static] = []
        for message in messages:
            if message.author == "learner":
                author = self.t("replies.you")
            else:
                author = visible(message.instructor_name or self.t("replies.instructor"))
            parts.append(Static(
                self.t("replies.meta", author=author, when=local_time(message.created_at)),
                classes="dialogue-meta", markup=False))
            # Several lines, as written; a control character is shown replaced, never
            # sent to the terminal.
            parts.append(Static(TEXT_FORBIDDEN.sub("\ufffd", message.text),
                                classes="dialogue-text", markup=False))
        await box.mount_all(parts)

    # --- sharing and answering -------------------------------------------------------------

    def set_shared(self, shared: bool) -> None:
        """The trainee changed the share choice: answering comes or goes with it."""
        self._shared = shared
        self._show_sharing()

    def _show_sharing(self) -> None:
        self.query_one("#answer-row").display = self._shared
        self.query_one("#answer-needs-share").display = not self._shared

    @on(Button.Pressed, "#send-answer")
    def send_answer(self, event: Button.Pressed) -> None:
        event.stop()
        text = self.query_one("#answer-text", TextArea).text
        if not text.strip():
            self._say("replies.empty")
            return
        self.query_one("#send-answer", Button).disabled = True
        self._say("replies.sending")
        self.send(text)

    @work(thread=True, exclusive=True, group="dialogue-write")
    def send(self, text: str) -> None:
        """Write the answer; on success read the dialogue again, else say why."""
        session = self.session
        # The share choice (and the reflection) go through the write queue: written
        # first, so the store knows the reflection is shared.
        session.writes.flush()
        try:
            dialogue.answer(session.store, session.key, session.learner.id,
                            session.course.id, *session.text_home(self.module, self.step), text)
            messages = dialogue.for_learner(
                session.store, session.key, session.learner.id, session.course.id,
                *session.text_home(self.module, self.step), mark_read=True)
        except DialogueError as error:
            problem = error.problem
            key = (f"replies.{problem}"
                   if problem in ("empty", "too_long", "no_instructors", "not_shared")
                   else "replies.failed")
            answer_from_thread(self, self._send_failed, key)
            return
        except (StoreError, PrivacyError):
            answer_from_thread(self, self._send_failed, "replies.failed")
            return
        answer_from_thread(self, self._sent, messages)

    async def _sent(self, messages: list[DialogueMessage]) -> None:
        self.query_one("#answer-text", TextArea).clear()
        self.query_one("#send-answer", Button).disabled = False
        await self._show_messages(messages)
        self._say("replies.sent")

    def _send_failed(self, key: str) -> None:
        self.query_one("#send-answer", Button).disabled = False
        self._say(key)

    def _say(self, key: str) -> None:
        self.query_one("#dialogue-status", Static).update(self.t(key))
