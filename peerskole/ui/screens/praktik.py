"""The trainee's praktik: log an entry, ask a supervisor, see where each entry stands."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Footer,
    Input,
    Label,
    Select,
    Static,
    TextArea,
)

from peerskole.i18n import format_hours, parse_date
from peerskole.notices import state_text
from peerskole.praktik import (
    LearnerPraktik,
    PraktikError,
    change_praktik,
    changeable,
    learner_praktik,
    log_praktik,
)
from peerskole.privacy import PrivacyError
from peerskole.safe_text import visible
from peerskole.session import Session
from peerskole.store.base import StoreError, Supervisor
from peerskole.ui.access import answer_from_thread, peerskole_app
from peerskole.ui.cells import as_text
from peerskole.ui.translate import translate_bindings


class PraktikScreen(Screen[None]):
    """The course's praktik entries with their state, and a form to log a new one."""

    DEFAULT_CSS = """
    #praktik {
        padding: 0 2;
    }
    #praktik-intro, #praktik-summary, #praktik-status, #praktik-edit-hint,
    #praktik-entry-note {
        height: auto;
        margin: 0 0 1 0;
    }
    #praktik-entries {
        height: auto;
        max-height: 12;
        margin: 0 0 1 0;
    }
    #praktik-form {
        height: auto;
        border-top: solid $accent;
    }
    #praktik-what {
        height: 6;
    }
    #praktik-form Input, #praktik-form Select, #praktik-form Checkbox {
        margin: 0 0 1 0;
    }
    #praktik-status.problem {
        color: $error;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "key.overview", tooltip="tip.overview",
                id="overview"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._supervisors: list[Supervisor] = []
        self._entries: dict[str, LearnerPraktik] = {}
        self._editing: str | None = None
        """The entry the form corrects (returned or revoked), None for a new one."""
        self._restored = False
        """Whether the form kept from an earlier visit has been put back (changes are kept
        from then on)."""

    def compose(self) -> ComposeResult:
        t = peerskole_app(self).t
        translate_bindings(self, t)
        with VerticalScroll(id="praktik", can_focus=False):
            yield Static(t("praktik.title"), classes="screen-title", markup=False)
            yield Static(t("praktik.intro"), id="praktik-intro", markup=False)
            yield Static(t("praktik.loading"), id="praktik-summary", markup=False)
            table: DataTable[str] = DataTable(id="praktik-entries", cursor_type="row",
                                              zebra_stripes=True)
            yield table
            # The highlighted entry's state in full, with the supervisor's whole comment:
            # the table's column cuts a long one short.
            yield Static("", id="praktik-entry-note", markup=False)
            yield Static(t("praktik.edit_hint"), id="praktik-edit-hint", markup=False)
            with Vertical(id="praktik-form"):
                yield Static(t("praktik.form_title"), classes="screen-title",
                             id="praktik-form-title", markup=False)
                yield Label(t("praktik.date", example=t.date(dt.date.today())))
                yield Input(id="praktik-date", value=t.date(dt.date.today()))
                yield Label(t("praktik.hours"))
                yield Input(id="praktik-hours")
                yield Label(t("praktik.place"))
                yield Input(id="praktik-place", max_length=200)
                yield Label(t("praktik.what"))
                yield TextArea(id="praktik-what")
                yield Label(t("praktik.supervisor"))
                yield Select[str]([], id="praktik-supervisor", allow_blank=True)
                yield Checkbox(t("praktik.show"), id="praktik-show")
                yield Button(t("praktik.send"), id="praktik-send", variant="primary")
                yield Button(t("praktik.cancel_edit"), id="praktik-new", compact=True)
            yield Static("", id="praktik-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        t = peerskole_app(self).t
        table = self.query_one("#praktik-entries", DataTable)
        for key in ("date", "hours", "place", "supervisor", "state"):
            table.add_column(t(f"praktik.column.{key}"), key=key)
        self.query_one("#praktik-new", Button).display = False
        self.query_one("#praktik-entry-note", Static).display = False
        self.query_one("#praktik-hours", Input).focus()
        self._restore_form()
        self.read_praktik()

    # --- what was typed and not sent stays for this session ---------------------------

    def _form_values(self) -> dict[str, Any]:
        select = self.query_one("#praktik-supervisor", Select)
        return {
            "date": self.query_one("#praktik-date", Input).value,
            "hours": self.query_one("#praktik-hours", Input).value,
            "place": self.query_one("#praktik-place", Input).value,
            "what": self.query_one("#praktik-what", TextArea).text,
            "show": self.query_one("#praktik-show", Checkbox).value,
            "supervisor": select.value if isinstance(select.value, str) else None,
            "editing": self._editing,
        }

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _keep_form(self) -> None:
        """Keep the entry being written as it is typed: leaving the screen unsent (Escape)
        and coming back finds it as it was."""
        if not self.is_mounted or not self._restored:
            return
        values = self._form_values()
        typed = values["hours"].strip() or values["place"].strip() or values["what"].strip()
        self.session.praktik_form = values if typed else None

    def _restore_form(self) -> None:
        values = self.session.praktik_form
        self.call_after_refresh(setattr, self, "_restored", True)  # its own changes aside
        if not values:
            return
        self.query_one("#praktik-date", Input).value = values["date"]
        self.query_one("#praktik-hours", Input).value = values["hours"]
        self.query_one("#praktik-place", Input).value = values["place"]
        self.query_one("#praktik-what", TextArea).text = values["what"]
        self.query_one("#praktik-show", Checkbox).value = values["show"]
        self._editing = values["editing"]
        if self._editing is not None:
            self._form_mode(editing=True)

    # --- reading --------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="praktik-read")
    def read_praktik(self) -> None:
        """The supervisors and the trainee's entries (their text opened with the key)."""
        session = self.session
        try:
            supervisors = session.store.supervisors()
            entries = learner_praktik(session.store, session.learner.id, session.key,
                                      session.course.id)
        except (StoreError, PrivacyError) as error:
            answer_from_thread(self, self._read_failed, str(error))
            return
        answer_from_thread(self, self._show, supervisors, entries)

    def _read_failed(self, reason: str) -> None:
        t = peerskole_app(self).t
        self.query_one("#praktik-summary", Static).update(t("praktik.read_failed",
                                                             reason=reason))

    def _show(self, supervisors: list[Supervisor], entries: list[LearnerPraktik]) -> None:
        t = peerskole_app(self).t
        self._supervisors = supervisors
        select = self.query_one("#praktik-supervisor", Select)
        chosen = select.value
        # A supervisor's name as written, never markup.
        select.set_options([(Content(visible(s.name, "?")), s.id) for s in supervisors])
        kept = self.session.praktik_form
        if kept and not isinstance(chosen, str):
            chosen = kept["supervisor"]  # as chosen before the screen was left
        if len(supervisors) == 1:
            select.value = supervisors[0].id
        elif isinstance(chosen, str) and any(s.id == chosen for s in supervisors):
            select.value = chosen
        if not supervisors:
            self._status(t("praktik.no_supervisors"), problem=True)
        self._entries = {e.id: e for e in entries}
        table = self.query_one("#praktik-entries", DataTable)
        table.clear()
        for e in entries:
            table.add_row(*as_text(t.date(dt.date.fromisoformat(e.done_on)),
                                   t("praktik.hours_value",
                                     hours=format_hours(e.minutes, t.language)),
                                   visible(e.place, "?"), visible(e.supervisor_name, "?"),
                                   state_text(t, e)), key=e.id)
        approved = sum(e.minutes for e in entries if e.state == "approved")
        waiting = sum(e.minutes for e in entries if e.state == "waiting")
        summary = self.query_one("#praktik-summary", Static)
        if not entries:
            summary.update(t("praktik.none"))
        else:
            summary.update(t("praktik.summary",
                             approved=t("praktik.hours_value",
                                        hours=format_hours(approved, t.language)),
                             waiting=t("praktik.hours_value",
                                       hours=format_hours(waiting, t.language))))

    # --- correcting a returned entry ---------------------------------------------------

    @on(DataTable.RowHighlighted, "#praktik-entries")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_note(self._entries.get(str(event.row_key.value)))

    def _show_note(self, entry: LearnerPraktik | None) -> None:
        """The entry's state in full under the list, when the supervisor wrote a comment."""
        note = self.query_one("#praktik-entry-note", Static)
        note.display = entry is not None and bool(entry.note)
        note.update(state_text(peerskole_app(self).t, entry) if note.display and entry else "")

    @on(DataTable.RowSelected, "#praktik-entries")
    def correct(self, event: DataTable.RowSelected) -> None:
        """Enter on an entry: a returned or revoked one (or one still waiting) comes into the
        form to be corrected and sent again; an approved one cannot be changed."""
        t = peerskole_app(self).t
        entry = self._entries.get(str(event.row_key.value))
        if entry is None:
            return
        if not changeable(entry.state):
            self._status(t("praktik.problem.approved"), problem=True)
            return
        self._editing = entry.id
        self.query_one("#praktik-date", Input).value = t.date(dt.date.fromisoformat(
            entry.done_on))
        self.query_one("#praktik-hours", Input).value = format_hours(entry.minutes, t.language)
        self.query_one("#praktik-place", Input).value = entry.place
        self.query_one("#praktik-what", TextArea).text = entry.what
        select = self.query_one("#praktik-supervisor", Select)
        if any(s.id == entry.supervisor_id for s in self._supervisors):
            select.value = entry.supervisor_id
        self.query_one("#praktik-show", Checkbox).value = entry.shown
        self._form_mode(editing=True)
        self.query_one("#praktik-hours", Input).focus()

    @on(Button.Pressed, "#praktik-new")
    def new_instead(self) -> None:
        """Leave the correction: the form is for a new entry again."""
        self._editing = None
        self._clear_form()
        self._form_mode(editing=False)

    def _form_mode(self, editing: bool) -> None:
        t = peerskole_app(self).t
        self.query_one("#praktik-form-title", Static).update(
            t("praktik.form_edit_title" if editing else "praktik.form_title"))
        self.query_one("#praktik-send", Button).label = t(
            "praktik.resend" if editing else "praktik.send")
        self.query_one("#praktik-new", Button).display = editing

    def _clear_form(self) -> None:
        t = peerskole_app(self).t
        self.query_one("#praktik-date", Input).value = t.date(dt.date.today())
        for field in ("#praktik-hours", "#praktik-place"):
            self.query_one(field, Input).value = ""
        self.query_one("#praktik-what", TextArea).text = ""
        self.query_one("#praktik-show", Checkbox).value = False

    # --- logging --------------------------------------------------------------------

    def _status(self, text: str, problem: bool = False) -> None:
        status = self.query_one("#praktik-status", Static)
        status.update(text)
        status.set_class(problem, "problem")
        if problem:
            # Said where the eye is too: the form is taller than a small terminal, and the
            # focus goes to the field to correct, away from the line under the form.
            self.notify(text, severity="error", markup=False, timeout=10)

    @on(Button.Pressed, "#praktik-send")
    def send(self) -> None:
        """Check what can be checked here, then save in a thread."""
        from peerskole.praktik import parse_hours

        t = peerskole_app(self).t
        day = parse_date(self.query_one("#praktik-date", Input).value)
        if day is None:
            self._status(t("praktik.bad_date", forms=t.date_forms()), problem=True)
            self.query_one("#praktik-date", Input).focus()
            return
        try:
            minutes = parse_hours(self.query_one("#praktik-hours", Input).value)
        except PraktikError:
            self._status(t("praktik.problem.minutes"), problem=True)
            self.query_one("#praktik-hours", Input).focus()
            return
        supervisor = self.query_one("#praktik-supervisor", Select).value
        if not isinstance(supervisor, str):
            self._status(t("praktik.problem.supervisor"), problem=True)
            return
        self.query_one("#praktik-send", Button).disabled = True
        self.save(self._editing, day.isoformat(), minutes,
                  self.query_one("#praktik-place", Input).value,
                  self.query_one("#praktik-what", TextArea).text, supervisor,
                  self.query_one("#praktik-show", Checkbox).value)

    @work(thread=True, exclusive=True, group="praktik-save")
    def save(self, editing: str | None, done_on: str, minutes: int, place: str, what: str,
             supervisor: str, show: bool) -> None:
        """Seal and store the entry, or its correction (the text is never logged or
        written elsewhere)."""
        session = self.session
        try:
            if editing is None:
                log_praktik(session.store, session.learner.id, session.key,
                            session.course.id, done_on=done_on, minutes=minutes, place=place,
                            what=what, supervisor_id=supervisor, show_text=show)
            else:
                change_praktik(session.store, session.learner.id, session.key, editing,
                               done_on=done_on, minutes=minutes, place=place, what=what,
                               supervisor_id=supervisor, show_text=show)
        except PraktikError as error:
            answer_from_thread(self, self._save_failed, error.problem, "")
            return
        except StoreError as error:
            answer_from_thread(self, self._save_failed, "other", str(error))
            return
        answer_from_thread(self, self._saved, supervisor)

    def _save_failed(self, problem: str, reason: str) -> None:
        t = peerskole_app(self).t
        self.query_one("#praktik-send", Button).disabled = False
        key = (f"praktik.problem.{problem}"
               if problem in ("date", "minutes", "day_full", "place", "what", "supervisor",
                              "approved", "stale")
               else "praktik.problem.other")
        self._status(t(key, reason=reason), problem=True)

    def _saved(self, supervisor: str) -> None:
        t = peerskole_app(self).t
        self.query_one("#praktik-send", Button).disabled = False
        self._editing = None
        self._clear_form()
        self._form_mode(editing=False)
        name = next((s.name for s in self._supervisors if s.id == supervisor), "?")
        self._status(t("praktik.sent", name=visible(name, "?")))
        self.read_praktik()
