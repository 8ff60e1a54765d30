"""The dialogue under a reflection: the instructor's replies, the trainee's answers back."""

from __future__ import annotations

from typing import Final

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.errors import NoWidget
from textual.timer import Timer
from textual.widgets import Button, Static, TextArea

from peerskole import dialogue
from peerskole.course.model import Module, Step
from peerskole.dialogue import DialogueError, DialogueMessage
from peerskole.i18n import Translator
from peerskole.notices import local_time
from peerskole.privacy import PrivacyError
from peerskole.safe_text import TEXT_FORBIDDEN, visible
from peerskole.session import Session
from peerskole.store.base import StoreError
from peerskole.ui.access import answer_from_thread
from peerskole.ui.widgets.writing_area import WritingArea

SEEN_CHECK_SECONDS: Final = 0.25
"""How often an unread reply is checked for being on screen, while one is waiting."""


class ReflectionDialogue(Vertical):
    """The messages on one reflection, newest last, and a field to answer back.

    Shown only when the reflection has a dialogue. It reads and writes in worker
    threads through the session's store and key. An instructor's message counts as
    read once it has been on screen: drawn, on the screen in front (not behind a
    dialog), at least partly inside the visible part of the step, while the app has the
    focus; merely loading it from the store marks nothing. Answering needs the
    reflection shared; a failed answer stays in the field, and the trouble is said in a
    calm sentence.

    Args:
        session: the trainee's session (its store, learner, course and key).
        module: the module of the reflection.
        step: the reflection step.
        shared: whether the reflection is shared now.
        t: the translator of the app's language.
        reveal: scroll the first unread reply into view once loaded (the trainee asked
            to read it).
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
        self, session: Session, module: Module, step: Step, shared: bool, t: Translator,
        reveal: bool = False,
    ) -> None:
        super().__init__(id="dialogue", classes="-empty")
        self.session = session
        self.module = module
        self.step = step
        self.t = t
        self._shared = shared
        self.messages: list[DialogueMessage] = []
        self._unseen: dict[str, Static] = {}
        """Instructors' messages not read yet, by id, with the widget showing the text."""
        self._seen_timer: Timer | None = None
        self._reveal = reveal

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
        """Read the dialogue, then show it (it is marked read once seen)."""
        session = self.session
        try:
            messages = dialogue.for_learner(
                session.store, session.key, session.learner.id, session.course.id,
                *session.text_home(self.module, self.step), mark_read=False)
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
        self._unseen = {}
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
            shown = Static(TEXT_FORBIDDEN.sub("\ufffd", message.text),
                           classes="dialogue-text", markup=False)
            parts.append(shown)
            if message.author == "instructor" and message.read_at is None:
                self._unseen[message.id] = shown
        await box.mount_all(parts)
        self._watch_unseen()
        if self._reveal:
            self.call_after_refresh(self.reveal)

    def reveal(self) -> None:
        """Scroll the first unread reply into view (the trainee asked to read it)."""
        if self._reveal and self._unseen and self.is_attached:
            first = next(iter(self._unseen.values()))
            if first.is_attached:
                first.scroll_visible(animate=False)

    # --- marking what was seen -------------------------------------------------------------

    def _watch_unseen(self) -> None:
        """Check, until every unread reply has been on screen, whether one is now."""
        if self._seen_timer is not None:
            self._seen_timer.stop()
            self._seen_timer = None
        if self._unseen:
            self._seen_timer = self.set_interval(SEEN_CHECK_SECONDS, self._check_seen)
            self.call_after_refresh(self._check_seen)

    def _check_seen(self) -> None:
        if not self._unseen or not self.is_attached:
            return
        if self.app.screen is not self.screen or not self.app.app_focus:
            return  # behind a dialog, or the trainee is in another window
        seen = [message_id for message_id, widget in self._unseen.items()
                if self._on_screen(widget)]
        if not seen:
            return
        for message_id in seen:
            del self._unseen[message_id]
        if not self._unseen and self._seen_timer is not None:
            self._seen_timer.stop()
            self._seen_timer = None
        self.mark_seen([m for m in self.messages if m.id in seen])

    def _on_screen(self, widget: Static) -> bool:
        """Whether the widget has been laid out and drawn with a part inside the screen."""
        if not widget.is_attached or not widget.display:
            return False
        try:
            geometry = self.screen.find_widget(widget)
        except NoWidget:
            return False  # not laid out yet
        return geometry.visible_region.area > 0

    @work(thread=True, group="dialogue-seen")
    def mark_seen(self, seen: list[DialogueMessage]) -> None:
        """Mark the replies the trainee has seen read; tried again the next time if not."""
        try:
            dialogue.mark_replies_seen(self.session.store, seen)
        except StoreError:
            pass  # still unread in the store: the notice stays, and it is shown again

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
                *session.text_home(self.module, self.step), mark_read=False)
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
