"""A practice step: the assignment, the trainee's log of it, and a form for a new entry."""

from __future__ import annotations

from collections.abc import Mapping

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Button, Input, Markdown, Static, TextArea

from peerskole.answers import BUILT_IN_LABELS as BUILT_IN_LABELS
from peerskole.answers import check_entry as check_entry
from peerskole.answers import default_value as _default
from peerskole.answers import field_label as field_label
from peerskole.answers import shown_entry
from peerskole.course.model import LogField
from peerskole.i18n import Translator
from peerskole.session import StepData
from peerskole.ui.steps.base import SaveSoon, StepView
from peerskole.ui.widgets.writing_area import WritingArea


class LogEntry(Static):
    """One entry of the log, as plain text: its values are the trainee's own words."""

    DEFAULT_CSS = """
    LogEntry {
        height: auto;
        border: round $panel-lighten-2;
        padding: 0 1;
        margin: 0 0 1 0;
    }
    """

    def __init__(
        self, number: int, values: Mapping[str, str], fields: list[LogField], t: Translator
    ) -> None:
        super().__init__(self._content(number, values, fields, t))

    @staticmethod
    def _content(
        number: int, values: Mapping[str, str], fields: list[LogField], t: Translator
    ) -> Content:
        parts: list[Content | tuple[str, str] | str] = [
            (t("practice.entry_title", n=number), "bold")
        ]
        for label, value, long_text in shown_entry(values, fields, t):
            parts += ["\n", (label, "bold"), "\n" if long_text else ": ", value]
        return Content.assemble(*parts)


class PracticeView(StepView):
    """The assignment, the log so far, and a checked form that adds to the log.

    The entry being written is a draft, kept like a reflection's: sent up (as
    :class:`StepView.PracticeDraftChanged`) a moment after the last keystroke, when a
    field loses focus, and in :meth:`flush` when the trainee leaves; it comes back in
    the form on return. Saving the entry to the log ends the draft.
    """

    DEFAULT_CSS = """
    PracticeView {
        & #practice-count {
            height: auto;
            border-left: wide $accent;
            padding: 0 1;
            margin: 1 0 0 0;
        }
        & .section-title {
            height: auto;
        }
        & #log-entries, & #log-form {
            height: auto;
        }
        & #log-saved, & .field-label, & .field-error, & #form-message {
            height: auto;
        }
        & .field-label {
            margin: 1 0 0 0;
        }
        & .field-error, & #form-message {
            color: $text-warning;
        }
        & .field-error.-empty, & #log-saved.-empty, & #form-message.-empty {
            display: none;
        }
        & TextArea.log-field {
            height: 5;
        }
        & #form-message {
            margin: 1 0 0 0;
        }
        & #log-save {
            margin: 1 0 1 0;
        }
    }
    """

    def __init__(self, data: StepData) -> None:
        super().__init__(data)
        self._entries: list[Mapping[str, str]] = [entry.values for entry in data.entries]
        self._draft = dict(data.draft or {})
        # The form as last sent up (or restored); set once the fields exist.
        self._sent: dict[str, str] = {}
        self._form: dict[str, str] = {}
        self._edited = False
        self._save_soon = SaveSoon(self, self._send)

    @property
    def _fields(self) -> list[LogField]:
        step = self.data.step
        assert step.kind == "practice"
        return list(step.log_fields)

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        step = self.data.step
        assert step.kind == "practice"
        t = self.t
        yield Markdown(step.assignment, classes="practice-assignment")
        yield Static(self._count_text(), id="practice-count", markup=False)
        yield Static(t("practice.log_title"), classes="section-title", markup=False)
        with Vertical(id="log-entries"):
            if not self._entries:
                yield Static(t("practice.none"), id="log-empty", markup=False)
            for number, values in enumerate(self._entries, 1):
                yield LogEntry(number, values, self._fields, t)
        yield Static("", id="log-saved", classes="-empty", markup=False)
        yield Static(t("practice.new_title"), classes="section-title", markup=False)
        with Vertical(id="log-form"):
            for field in self._fields:
                label = field_label(field, t)
                if field.type == "minutes":  # said here; the log says "30 min."
                    label = f"{label} {t('practice.minutes_unit')}"
                if not field.required:
                    label = f"{label} {t('practice.optional')}"
                yield Static(label, classes="field-label", markup=False)
                yield self._input_for(field)
                yield Static("", id=f"error-{field.id}", classes="field-error -empty",
                             markup=False)
        yield Static("", id="form-message", classes="-empty", markup=False)
        yield Button(t("practice.save"), id="log-save", variant="primary")

    def _input_for(self, field: LogField) -> Widget:
        """The field's control, holding what the trainee had typed there, else its default.

        Only the date's default is selected on focus, so that typing replaces it; a
        field holding the trainee's own words keeps them and is continued.
        """
        widget_id = f"field-{field.id}"
        value = self._draft.get(field.id, _default(field, self.t))
        if field.type == "long_text":
            return WritingArea(value, soft_wrap=True, tab_behavior="focus", id=widget_id,
                               classes="log-field")
        hint = {"date": "practice.date_hint", "minutes": "practice.minutes_hint"}.get(field.type)
        return Input(value, placeholder=self.t(hint) if hint else "", id=widget_id,
                     classes="log-field",
                     select_on_focus=_replaced_by_typing(field, value, self.t))

    def _count_text(self) -> str:
        step = self.data.step
        assert step.kind == "practice"
        count = len(self._entries)
        noun = self.t("practice.entry_one" if count == 1 else "practice.entry_many")
        if count >= step.min_entries:  # the rule progress.step_done uses
            return self.t("practice.count_enough", count=count, noun=noun)
        return self.t("practice.count_short", count=count, noun=noun,
                      minimum=step.min_entries)

    def on_mount(self) -> None:
        # A restored draft is continued: each text's cursor after its text.
        for area in self.query(TextArea).filter(".log-field"):
            area.move_cursor(area.document.end)
        self._sent = self._values()

    def main_control(self) -> Widget | None:
        return self.query_one(f"#field-{self._fields[0].id}")

    # --- what the trainee does ----------------------------------------------------------------

    @on(Input.Changed, ".log-field")
    @on(TextArea.Changed, ".log-field")
    def save_draft_soon(self, event: Input.Changed | TextArea.Changed) -> None:
        widget = event.control
        if isinstance(widget, Input):
            field = self._field_of(widget)
            widget.select_on_focus = field is not None and _replaced_by_typing(
                field, widget.value, self.t
            )
        self._values()  # kept, for a flush after the fields are gone
        self._save_soon.changed()

    @on(events.DescendantBlur, ".log-field")
    def save_draft_on_leaving_a_field(self) -> None:
        self._send()

    def flush(self) -> None:
        """Send the entry being written, if it was edited; called when the trainee leaves.

        Sent even when unchanged since the last send, for the reason
        ReflectionView.flush gives.
        """
        self._send(again=self._edited)

    @on(Input.Submitted, ".log-field")
    def go_to_next_field(self) -> None:
        # Enter moves on rather than saving, so a half-written entry is not sent early.
        self.screen.focus_next()

    @on(Button.Pressed, "#log-save")
    async def save_entry(self) -> None:
        raw = {field.id: self._typed(field) for field in self._fields}
        values, errors = check_entry(self._fields, raw, self.t)
        for field in self._fields:
            self._show(f"#error-{field.id}", errors.get(field.id, ""))
        saved = self.query_one("#log-saved", Static)
        if errors:
            self._show("#form-message", self.t("practice.not_saved"))
            self._show("#log-saved", "")
            first_bad = next(f for f in self._fields if f.id in errors)
            self.query_one(f"#field-{first_bad.id}").focus()
            return
        self._show("#form-message", "")
        self._save_soon.cancel()  # the entry is saved: its draft goes with it
        self.report(self.PracticeLogged(values))
        self._entries.append(values)
        entries = self.query_one("#log-entries", Vertical)
        await entries.query("#log-empty").remove()
        entry = LogEntry(len(self._entries), values, self._fields, self.t)
        await entries.mount(entry)
        self.query_one("#practice-count", Static).update(self._count_text())
        self._show("#log-saved", self.t("practice.saved"))
        self._clear_form()
        self._sent = self._values()
        # Show the new entry with the confirmation under it; the cleared form follows.
        first = self.query_one(f"#field-{self._fields[0].id}")
        first.focus(scroll_visible=False)
        entry.scroll_visible(animate=False)
        saved.scroll_visible(animate=False)

    # --- helpers ----------------------------------------------------------------------------

    def _send(self, again: bool = False) -> None:
        """Send the form up as a draft when it changed; a blank form sends no values."""
        self._save_soon.cancel()
        current = self._values()
        if current == self._sent and not again:
            return
        self._sent, self._edited = current, True
        blank = all(value == _default(field, self.t) for field, value in
                    zip(self._fields, current.values(), strict=True))
        self.report(self.PracticeDraftChanged({} if blank else current))

    def _values(self) -> dict[str, str]:
        """The form as typed; once its fields are gone (the screen closing), as last read."""
        try:
            self._form = {field.id: self._typed(field) for field in self._fields}
        except NoMatches:
            pass
        return dict(self._form)

    def _field_of(self, widget: Widget) -> LogField | None:
        return next((f for f in self._fields if widget.id == f"field-{f.id}"), None)

    def _typed(self, field: LogField) -> str:
        widget = self.query_one(f"#field-{field.id}")
        if isinstance(widget, TextArea):
            return widget.text
        assert isinstance(widget, Input)
        return widget.value

    def _clear_form(self) -> None:
        for field in self._fields:
            widget = self.query_one(f"#field-{field.id}")
            if isinstance(widget, TextArea):
                widget.clear()
            elif isinstance(widget, Input):
                widget.value = _default(field, self.t)

    def _show(self, selector: str, text: str) -> None:
        """Show a message, or hide its line when there is nothing to say."""
        widget = self.query_one(selector, Static)
        widget.update(text)
        widget.set_class(not text, "-empty")


def _replaced_by_typing(field: LogField, value: str, t: Translator) -> bool:
    """Whether a field's text is selected on focus, so that typing replaces it: only the
    date's default is; the trainee's own words are continued."""
    return field.type == "date" and value == _default(field, t)
