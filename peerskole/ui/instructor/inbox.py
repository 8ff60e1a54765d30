"""The inbox of shared reflections, and one reflection's written dialogue with its trainee.

Only what a trainee shared reaches these screens: the core refuses anything else
(:mod:`peerskole.instructors`, :mod:`peerskole.dialogue`). Trainees' words are shown as
text, never read as markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Static, TextArea

from peerskole.export.records import local_date
from peerskole.safe_text import visible
from peerskole.ui.cells import as_text
from peerskole.ui.instructor import instructor_app
from peerskole.ui.translate import translate_bindings
from peerskole.ui.widgets.writing_area import WritingArea

if TYPE_CHECKING:
    from peerskole.dialogue import InstructorThread
    from peerskole.instructors import InboxItem


class InboxScreen(Screen[None]):
    """The reflections trainees shared, newest first; new ones marked."""

    DEFAULT_CSS = """
    #inbox-summary {
        padding: 0 1;
        height: auto;
    }
    #inbox {
        height: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "key.back", tooltip="tip.back_instructor"),
        Binding("ctrl+r", "reload", "key.reload", tooltip="tip.reload"),
    ]

    def __init__(self, cohort: str | None) -> None:
        super().__init__()
        self.cohort = cohort
        self.items: list[InboxItem] = []

    def compose(self) -> ComposeResult:
        t = instructor_app(self).t
        translate_bindings(self, t)
        yield Static(t("instructor.inbox_title"), classes="screen-title", markup=False)
        yield Static(t("instructor.loading"), id="inbox-summary", markup=False)
        table: DataTable[Text] = DataTable(id="inbox", cursor_type="row", zebra_stripes=True)
        for column in ("new", "name", "cohort", "reflection", "date", "messages"):
            table.add_column(t(f"instructor.inbox_column.{column}"), key=column)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#inbox", DataTable).focus()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()  # back from a dialogue: what was read is no longer new

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="inbox")
    def load(self) -> None:
        items = instructor_app(self).read_inbox(self.cohort)
        self.app.call_from_thread(self._loaded, items)

    def _loaded(self, items: list[InboxItem]) -> None:
        app = instructor_app(self)
        t = app.t
        self.items = items
        table = self.query_one("#inbox", DataTable)
        cursor = table.cursor_row
        table.clear()
        for index, item in enumerate(items):
            table.add_row(
                *as_text(
                    t("instructor.new") if item.unread else "",
                    visible(item.learner_name, "?"),
                    visible(item.cohort or "–", "?"),
                    visible(app.step_title(item.course_id, item.module_id, item.step_id), "?"),
                    local_date(item.updated_at),
                    str(item.messages),
                ),
                key=str(index),
            )
        if items:
            table.move_cursor(row=min(cursor, len(items) - 1))
        unread = sum(1 for item in items if item.unread)
        self.query_one("#inbox-summary", Static).update(
            t("instructor.view_inbox_summary", count=len(items), unread=unread)
            if items else t("instructor.view_inbox_empty"))

    @on(DataTable.RowSelected, "#inbox")
    def _opened(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.app.push_screen(ThreadScreen(self.items[int(str(event.row_key.value))]))


class ThreadScreen(Screen[None]):
    """A shared reflection, its dialogue so far, and the instructor's reply."""

    DEFAULT_CSS = """
    #thread {
        height: 1fr;
        padding: 0 1;
    }
    #thread Static {
        height: auto;
    }
    .reflection-text {
        border-left: thick $secondary;
        padding: 0 1;
        margin: 0 0 1 0;
    }
    .message-head {
        text-style: bold;
    }
    .message-text {
        padding: 0 0 1 2;
    }
    #reply {
        height: 6;
    }
    #reply-problem {
        color: $error;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "key.back", tooltip="tip.back_instructor"),
        Binding("ctrl+s", "send", "key.send_reply", tooltip="tip.send_reply", priority=True),
    ]

    def __init__(self, item: InboxItem) -> None:
        super().__init__()
        self.item = item
        self.thread: InstructorThread | None = None

    def compose(self) -> ComposeResult:
        app = instructor_app(self)
        t = app.t
        translate_bindings(self, t)
        item = self.item
        yield Static(t("instructor.thread_title", name=visible(item.learner_name, "?"),
                       step=visible(app.step_title(item.course_id, item.module_id,
                                                   item.step_id), "?")),
                     classes="screen-title", markup=False)
        with VerticalScroll(id="thread"):
            yield Static(t("instructor.loading"), id="messages", markup=False)
            yield Static(t("instructor.reply_label"), markup=False)
            yield WritingArea(id="reply", soft_wrap=True, show_line_numbers=False)
            yield Button(t("instructor.send_reply"), id="send-reply", variant="primary")
            yield Static("", id="reply-problem", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="thread")
    def load(self) -> None:
        from peerskole.dialogue import DialogueError

        try:
            thread = instructor_app(self).read_thread(self.item)
        except DialogueError:
            self.app.call_from_thread(self._withdrawn)
            return
        self.app.call_from_thread(self._loaded, thread)

    def _withdrawn(self) -> None:
        t = instructor_app(self).t
        self.query_one("#messages", Static).update(t("instructor.withdrawn"))
        self.query_one("#reply", TextArea).disabled = True
        self.query_one("#send-reply", Button).disabled = True

    def _loaded(self, thread: InstructorThread) -> None:
        t = instructor_app(self).t
        self.thread = thread
        parts = [t("instructor.shared_reflection"), visible(thread.reflection, "?"), ""]
        for message in thread.messages:
            who = (visible(message.instructor_name or t("instructor.an_instructor"), "?")
                   if message.author == "instructor" else visible(thread.learner_name, "?"))
            parts.append(f"{who} · {local_date(message.created_at)}")
            parts.append(visible(message.text, "?") if message.text
                         else t("instructor.not_sealed_to_you"))
            parts.append("")
        self.query_one("#messages", Static).update("\n".join(parts))
        self.query_one("#reply", TextArea).focus()

    @on(Button.Pressed, "#send-reply")
    def action_send(self) -> None:
        text = self.query_one("#reply", TextArea).text
        if not text.strip():
            self.query_one("#reply-problem", Static).update(
                instructor_app(self).t("instructor.reply_empty"))
            return
        self.query_one("#send-reply", Button).disabled = True
        self.send(text)

    @work(thread=True, exclusive=True, group="reply")
    def send(self, text: str) -> None:
        from peerskole.dialogue import DialogueError
        from peerskole.store.base import StoreError

        app = instructor_app(self)
        try:
            app.send_reply(self.item, text)
        except DialogueError as error:
            problem = app.t(f"instructor.reply_problem.{error.problem}"
                            if error.problem in REPLY_PROBLEMS else "instructor.reply_failed")
        except StoreError as error:
            problem = app.t("instructor.store_failed", reason=str(error))
        else:
            self.app.call_from_thread(self._sent)
            return
        self.app.call_from_thread(self._not_sent, problem)

    def _sent(self) -> None:
        self.query_one("#reply", TextArea).text = ""
        self.query_one("#send-reply", Button).disabled = False
        sent = instructor_app(self).t("instructor.reply_sent")
        self.query_one("#reply-problem", Static).update(sent)
        self.load()

    def _not_sent(self, problem: str) -> None:
        # The reply stays in the field: nothing typed is lost.
        self.query_one("#send-reply", Button).disabled = False
        self.query_one("#reply-problem", Static).update(problem)


REPLY_PROBLEMS = ("not_shared", "too_long", "no_key")
"""Reply problems with a sentence of their own; any other is "could not send"."""
