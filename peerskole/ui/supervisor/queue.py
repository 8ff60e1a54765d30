"""The praktik entries that asked this supervisor: approve, return with a comment, revoke."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Static

from peerskole.i18n import format_hours
from peerskole.praktik import (
    Decision,
    PraktikError,
    SupervisorItem,
    allowed_decisions,
    decide,
    supervisor_queue,
)
from peerskole.safe_text import TEXT_FORBIDDEN, visible
from peerskole.store.base import StoreError
from peerskole.ui.access import answer_from_thread
from peerskole.ui.cells import as_text
from peerskole.ui.supervisor import supervisor_app
from peerskole.ui.translate import translate_bindings


class QueueScreen(Screen[None]):
    """A row an entry (the waiting ones first); the chosen one's details and decisions."""

    DEFAULT_CSS = """
    #queue {
        padding: 0 2;
    }
    #queue-summary, #queue-status, #entry-what {
        height: auto;
        margin: 0 0 1 0;
    }
    #queue-table {
        height: auto;
        max-height: 14;
        margin: 0 0 1 0;
    }
    #entry {
        height: auto;
        border-top: solid $accent;
    }
    #decisions {
        height: auto;
    }
    #decisions Button {
        margin: 0 1 0 0;
    }
    #queue-status.problem {
        color: $error;
    }
    """

    # Function keys: they work with the focus in the comment field too, where letters type.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "decide('approved')", "supervisor.approve", id="approve"),
        Binding("f6", "decide('returned')", "supervisor.return", id="return"),
        Binding("f7", "decide('revoked')", "supervisor.revoke", id="revoke"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._items: dict[str, SupervisorItem] = {}
        self._chosen: str | None = None

    def compose(self) -> ComposeResult:
        t = supervisor_app(self).t
        translate_bindings(self, t)
        with VerticalScroll(id="queue", can_focus=False):
            yield Static(t("supervisor.queue_title"), classes="screen-title", markup=False)
            yield Static("", id="queue-summary", markup=False)
            table: DataTable[str] = DataTable(id="queue-table", cursor_type="row",
                                              zebra_stripes=True)
            yield table
            with Vertical(id="entry"):
                yield Static("", id="entry-what", markup=False)
                yield Label(t("supervisor.note"))
                yield Input(id="decision-note", max_length=2000)
                with Horizontal(id="decisions"):
                    yield Button(t("supervisor.approve"), id="approve", variant="success")
                    yield Button(t("supervisor.return"), id="return")
                    yield Button(t("supervisor.revoke"), id="revoke", variant="error")
            yield Static("", id="queue-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        t = supervisor_app(self).t
        table = self.query_one("#queue-table", DataTable)
        for key in ("state", "date", "hours", "name", "place"):
            table.add_column(t(f"supervisor.column.{key}"), key=key)
        self._enable(None)
        table.focus()
        self.read_queue()

    @work(thread=True, exclusive=True, group="queue-read")
    def read_queue(self) -> None:
        app = supervisor_app(self)
        try:
            items = supervisor_queue(app.store, app.signed_key())
        except StoreError as error:
            answer_from_thread(self, self._status, app.t("supervisor.store_failed",
                                                         reason=str(error)), True)
            return
        answer_from_thread(self, self._show, items)

    def _show(self, items: list[SupervisorItem]) -> None:
        t = supervisor_app(self).t
        self._items = {i.entry_id: i for i in items}
        table = self.query_one("#queue-table", DataTable)
        table.clear()
        for i in items:
            table.add_row(*as_text(t(f"supervisor.state.{i.state}"),
                                   t.date(dt.date.fromisoformat(i.done_on)),
                                   t("praktik.hours_value",
                                     hours=format_hours(i.minutes, t.language)),
                                   visible(i.learner_name, "?"), visible(i.place, "?")),
                          key=i.entry_id)
        waiting = sum(1 for i in items if i.state == "waiting")
        self.query_one("#queue-summary", Static).update(
            t("supervisor.queue_summary", waiting=waiting, total=len(items)) if items
            else t("supervisor.queue_empty"))
        if self._chosen in self._items:
            table.move_cursor(row=table.get_row_index(self._chosen))
        elif items:
            self._choose(items[0].entry_id)
        else:
            self._choose(None)

    @on(DataTable.RowHighlighted, "#queue-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._choose(event.row_key.value)

    def _choose(self, entry_id: str | None) -> None:
        t = supervisor_app(self).t
        self._chosen = entry_id
        item = self._items.get(entry_id) if entry_id else None
        what = self.query_one("#entry-what", Static)
        if item is None:
            what.update("")
        elif item.what is None:
            what.update(t("supervisor.not_shown"))
        else:
            # Line breaks kept, as the trainee wrote them; nothing a terminal would act on.
            what.update(f"{t('supervisor.what')}\n{TEXT_FORBIDDEN.sub('', item.what)}")
        self._enable(item)

    def _enable(self, item: SupervisorItem | None) -> None:
        self.refresh_bindings()
        allowed = allowed_decisions(item.state) if item else ()
        for button, decision in (("#approve", "approved"), ("#return", "returned"),
                                 ("#revoke", "revoked")):
            self.query_one(button, Button).disabled = decision not in allowed

    def _status(self, text: str, problem: bool = False) -> None:
        status = self.query_one("#queue-status", Static)
        status.update(text)
        status.set_class(problem, "problem")

    @on(Button.Pressed, "#approve")
    def approve(self) -> None:
        self._decide("approved")

    @on(Button.Pressed, "#return")
    def give_back(self) -> None:
        self._decide("returned")

    @on(Button.Pressed, "#revoke")
    def revoke(self) -> None:
        self._decide("revoked")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer shows only the decisions the chosen entry allows."""
        if action == "decide":
            item = self._items.get(self._chosen) if self._chosen else None
            return item is not None and parameters[0] in allowed_decisions(item.state)
        return True

    def action_decide(self, decision: Decision) -> None:
        self._decide(decision)

    def _decide(self, decision: Decision) -> None:
        if self._chosen is None:
            return
        note = self.query_one("#decision-note", Input).value
        if decision != "approved" and not note.strip():
            self._status(supervisor_app(self).t("supervisor.problem.note"), True)
            self.query_one("#decision-note", Input).focus()
            return
        for button in self.query("#decisions Button").results(Button):
            button.disabled = True
        self.save_decision(self._chosen, decision, note)

    @work(thread=True, exclusive=True, group="queue-decide")
    def save_decision(self, entry_id: str, decision: Decision, note: str) -> None:
        app = supervisor_app(self)
        t = app.t
        try:
            decide(app.store, app.signed_key(), entry_id, decision, note)
        except PraktikError as error:
            known = ("note", "approved", "not_waiting", "not_approved", "stale")
            text = (t(f"supervisor.problem.{error.problem}") if error.problem in known
                    else t("supervisor.problem.other", reason=str(error)))
            answer_from_thread(self, self._decided, text, True)
            return
        except StoreError as error:
            answer_from_thread(self, self._decided,
                               t("supervisor.problem.other", reason=str(error)), True)
            return
        answer_from_thread(self, self._decided, t(f"supervisor.{decision}"), False)

    def _decided(self, text: str, problem: bool) -> None:
        self._status(text, problem)
        if not problem:
            self.query_one("#decision-note", Input).value = ""
        self.read_queue()
