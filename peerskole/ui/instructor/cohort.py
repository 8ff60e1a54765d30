"""The cohort screen: a table of learners, sorted and filtered, and one learner's modules."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Final

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Footer, Select, Static

from peerskole.export.cohort import CohortLine, ModuleLine, hours
from peerskole.export.records import local_date
from peerskole.safe_text import visible
from peerskole.ui.cells import as_text
from peerskole.ui.instructor import instructor_app
from peerskole.ui.translate import translate_bindings

if TYPE_CHECKING:
    from peerskole.i18n import Translator

ALL: Final = "__all__"
"""The filter value that shows every cohort."""

COLUMNS: Final = ("name", "cohort", "module", "done", "last", "days", "minutes", "flag")
"""The table's columns, each sortable; "flag" sorts the stalled and those who cannot meet
the attendance requirement first."""

SORT_KEYS: Final[dict[str, Callable[[CohortLine], Any]]] = {
    "name": lambda line: (line.name.casefold(), line.learner_id),
    "cohort": lambda line: (line.cohort or "", line.name.casefold()),
    "module": lambda line: (line.module_title or "", line.name.casefold()),
    "done": lambda line: line.percent_done,
    "last": lambda line: line.last_activity or "",
    "days": lambda line: line.days_since,
    "minutes": lambda line: line.minutes,
    "flag": lambda line: (not line.needs_attention, -line.days_since),
}


def shown_hours(count: int, t: Translator) -> str:
    """Minutes as hours and minutes in the UI language, each number kept with its unit."""
    return hours(count, t("unit.hours_short"), t("unit.minutes_short"), "\u00a0")


class CohortScreen(Screen[None]):
    """Every learner of the chosen cohort and course, one line each."""

    DEFAULT_CSS = """
    #filters {
        height: auto;
        padding: 0 1;
    }
    #filters Select {
        width: 1fr;
        max-width: 40;
    }
    #filters Checkbox {
        width: auto;
    }
    #summary {
        padding: 0 1;
        height: auto;
    }
    #learners {
        height: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sort_next", "key.sort", tooltip="tip.sort"),
        Binding("f6", "toggle_attention", "key.attention_only", tooltip="tip.attention_only"),
        Binding("ctrl+r", "reload", "key.reload", tooltip="tip.reload"),
        Binding("u", "outcome", "key.outcome", tooltip="tip.outcome"),
        Binding("i", "inbox", "key.inbox", tooltip="tip.inbox"),
        Binding("r", "register", "key.register", tooltip="tip.register"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[CohortLine] = []
        self.sort_column = "name"
        self.sort_reverse = False

    def compose(self) -> ComposeResult:
        app = instructor_app(self)
        t = app.t
        translate_bindings(self, t)
        yield Static(t("instructor.title"), classes="screen-title", markup=False)
        with Horizontal(id="filters"):
            yield Select[str]([(t("instructor.all_cohorts"), ALL)], value=ALL,
                              allow_blank=False, id="cohort", prompt=t("instructor.cohort"))
            course_select = Select[str](
                # A course's title and a cohort's code are shown as written, never markup.
                [(Content(textwrap.shorten(visible(c.title, "?"), 30, placeholder="…")), c.id)
                 for c in app.courses],
                value=app.courses[0].id, allow_blank=False, id="course",
                prompt=t("instructor.course"))
            course_select.display = len(app.courses) > 1  # one course: nothing to choose
            yield course_select
            yield Checkbox(t("instructor.attention_only"), id="attention-only")
        yield Static(t("instructor.loading"), id="summary", markup=False)
        table: DataTable[Text] = DataTable(id="learners", cursor_type="row", zebra_stripes=True)
        for column in COLUMNS:
            table.add_column(t(f"instructor.column.{column}"), key=column)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#learners", DataTable).focus()
        self.load()

    @property
    def cohort(self) -> str | None:
        value = self.query_one("#cohort", Select).value
        return None if value == ALL or not isinstance(value, str) else value

    @property
    def course_id(self) -> str:
        value = self.query_one("#course", Select).value
        return value if isinstance(value, str) else instructor_app(self).courses[0].id

    @on(Select.Changed)
    def _filter_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.load()

    @on(Checkbox.Changed, "#attention-only")
    def _attention_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.show_lines()

    def action_toggle_attention(self) -> None:
        self.query_one("#attention-only", Checkbox).toggle()

    def action_outcome(self) -> None:
        from peerskole.ui.instructor.outcome import OutcomeScreen  # textual-plotext, when asked

        self.app.push_screen(OutcomeScreen(self.cohort, self.course_id))

    def action_inbox(self) -> None:
        from peerskole.ui.instructor.inbox import InboxScreen

        self.app.push_screen(InboxScreen(self.cohort))

    def action_register(self) -> None:
        from peerskole.ui.instructor.register import SessionsScreen

        self.app.push_screen(SessionsScreen(self.cohort, self.course_id))

    def action_reload(self) -> None:
        self.load()

    def action_sort_next(self) -> None:
        """Sort by the next column; a full round comes back to names."""
        index = (COLUMNS.index(self.sort_column) + 1) % len(COLUMNS)
        self.sort_by(COLUMNS[index])

    @on(DataTable.HeaderSelected)
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.sort_by(str(event.column_key.value))

    def sort_by(self, column: str) -> None:
        """Sort by column; choosing the column it is sorted by turns the order round."""
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        self.show_lines()

    @work(thread=True, exclusive=True, group="cohort")
    def load(self) -> None:
        """Read the lines in a thread: thousands of learners must not freeze the screen."""
        app = instructor_app(self)
        cohort, course_id = self.cohort, self.course_id
        cohorts, lines = app.read_cohort(cohort, course_id)
        self.app.call_from_thread(self._loaded, (cohort, course_id), cohorts, lines)

    def _loaded(self, read_for: tuple[str | None, str], cohorts: Sequence[tuple[str, int]],
                lines: list[CohortLine]) -> None:
        if read_for != (self.cohort, self.course_id):
            # Read for a filter changed since (a thread worker runs on when a newer one
            # starts): the read for the filter chosen now shows its own lines.
            return
        t = instructor_app(self).t
        select = self.query_one("#cohort", Select)
        chosen = select.value
        options = [(t("instructor.all_cohorts"), ALL)] + [
            (Content(t("instructor.cohort_option", cohort=visible(code, "?"), count=count)),
             code)
            for code, count in cohorts
        ]
        with select.prevent(Select.Changed):
            select.set_options(options)
            select.value = chosen if any(value == chosen for _, value in options) else ALL
        self.lines = lines
        self.show_lines()

    def shown(self) -> list[CohortLine]:
        """The lines as the table shows them: filtered, then sorted."""
        lines = self.lines
        if self.query_one("#attention-only", Checkbox).value:
            lines = [line for line in lines if line.needs_attention]
        return sorted(lines, key=SORT_KEYS[self.sort_column], reverse=self.sort_reverse)

    def show_lines(self) -> None:
        app = instructor_app(self)
        t = app.t
        table = self.query_one("#learners", DataTable)
        cursor = table.cursor_row
        table.clear()
        shown = self.shown()
        for line in shown:
            table.add_row(*as_text(*self._cells(line)), key=line.learner_id)
        if shown:
            table.move_cursor(row=min(cursor, len(shown) - 1))
        stalled = sum(1 for line in self.lines if line.stalled)
        arrow = "↓" if self.sort_reverse else "↑"
        summary = t(
            "instructor.summary", count=len(self.lines), stalled=stalled, days=app.stalled_after,
            sort=t(f"instructor.column.{self.sort_column}"), arrow=arrow,
        )
        if any(line.classroom is not None for line in self.lines):
            short = sum(1 for line in self.lines if line.cannot_meet_attendance)
            summary += t("instructor.summary_attendance", count=short)
        self.query_one("#summary", Static).update(summary)

    def _cells(self, line: CohortLine) -> tuple[str, ...]:
        t = instructor_app(self).t
        return (
            visible(line.name, "?"),
            visible(line.cohort or "–", "?"),
            visible(line.module_title or t(f"instructor.status.{line.status}"), "?"),
            f"{line.percent_done}\u00a0%",
            local_date(line.last_activity) if line.last_activity else t("instructor.never"),
            str(line.days_since),
            str(line.minutes),
            self._flag(line),
        )

    def _flag(self, line: CohortLine) -> str:
        """Stalled, cannot meet the attendance requirement (with what is missing), or both."""
        t = instructor_app(self).t
        flags = [t("instructor.stalled")] if line.stalled else []
        if line.classroom is not None and line.cannot_meet_attendance:
            flags.append(t("instructor.cannot_meet_attendance",
                           missing=shown_hours(line.classroom.missing_minutes, t),
                           scheduled=shown_hours(line.classroom.scheduled_minutes, t)))
        return " · ".join(flags)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        learner_id = str(event.row_key.value)
        line = next((x for x in self.lines if x.learner_id == learner_id), None)
        if line is not None:
            self.app.push_screen(LearnerScreen(line))


class LearnerScreen(Screen[None]):
    """One learner's progress per module: figures only, never what they wrote."""

    DEFAULT_CSS = """
    #learner-head, #classroom-head {
        padding: 0 1;
        height: auto;
    }
    #modules {
        height: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "key.back", tooltip="tip.back_instructor"),
    ]

    def __init__(self, line: CohortLine) -> None:
        super().__init__()
        self.line = line
        self.modules: list[ModuleLine] = []

    def compose(self) -> ComposeResult:
        t = instructor_app(self).t
        translate_bindings(self, t)
        line = self.line
        yield Static(visible(line.name, "?"), classes="screen-title", markup=False)
        yield Static(t("instructor.learner_head", cohort=visible(line.cohort or "–", "?"),
                       percent=line.percent_done, minutes=line.minutes, days=line.days_since),
                     id="learner-head", markup=False)
        if line.classroom is not None:
            standing = line.classroom
            yield Static(t("instructor.classroom_head",
                           attended=shown_hours(standing.attended_minutes, t),
                           required=shown_hours(standing.required_minutes, t),
                           scheduled=shown_hours(standing.scheduled_minutes, t)),
                         id="classroom-head", markup=False)
        table: DataTable[Text] = DataTable(id="modules", cursor_type="row", zebra_stripes=True)
        for column in ("module", "status", "steps", "last", "completed", "minutes"):
            table.add_column(t(f"instructor.module_column.{column}"), key=column)
        yield table
        yield Vertical(Static(t("instructor.no_text"), id="no-text", markup=False))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#modules", DataTable).focus()
        self.load()

    @work(thread=True, exclusive=True, group="learner")
    def load(self) -> None:
        modules = instructor_app(self).read_modules(self.line.learner_id, self.line.course_id)
        self.app.call_from_thread(self._loaded, modules)

    def _loaded(self, modules: list[ModuleLine]) -> None:
        t = instructor_app(self).t
        self.modules = modules
        table = self.query_one("#modules", DataTable)
        table.clear()
        for module in modules:
            completed = ""
            if module.completed_at:
                completed = local_date(module.completed_at)
                if module.manual:
                    completed = t("instructor.completed_manual", date=completed)
                elif module.version:
                    completed = t("instructor.completed_on", date=completed,
                                  version=visible(module.version, "?"))
            table.add_row(
                *as_text(
                    visible(module.title, "?"),
                    t(f"instructor.status.{module.status}"),
                    f"{module.required_done}/{module.required_total}",
                    local_date(module.last_activity) if module.last_activity else "–",
                    completed,
                    str(module.minutes),
                ),
                key=module.module_id,
            )
