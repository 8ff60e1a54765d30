"""The register: a cohort's planned sessions, and one session's attendance taken by key.

Every key saves an entry at once, in the order typed (:func:`mark_attendance`, which
checks the register rule against the store as it is then); entries are only added, so the
earlier ones stay as the history of who marked what, when.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import TYPE_CHECKING, ClassVar, Final

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Static

from peerskole.export.records import instant
from peerskole.export.register import (
    WITH_MINUTES,
    RegisterLine,
    RegisterProblem,
    RegisterRefused,
    register_problems,
)
from peerskole.safe_text import visible
from peerskole.store.base import ATTENDANCE_STATUSES, AttendanceMark, AttendanceStatus
from peerskole.ui.cells import as_text
from peerskole.ui.instructor import instructor_app
from peerskole.ui.translate import translate_bindings

if TYPE_CHECKING:
    from peerskole.export.register import PlannedSession
    from peerskole.i18n import Translator
    from peerskole.store.base import ClassSession

STATUS_KEYS: Final[dict[str, AttendanceStatus]] = {
    str(number): status for number, status in enumerate(ATTENDANCE_STATUSES, start=1)}
"""The key for each status: digits, the same in every language and beside each other."""


def local_minute(stamp: str) -> str:
    """A stored time as this computer's local date and time, to the minute."""
    try:
        return instant(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return visible(stamp, "?")


def session_date(session: ClassSession, t: Translator) -> str:
    """The session's date in the UI language."""
    try:
        return t.date(dt.date.fromisoformat(session.held_on))
    except ValueError:
        return visible(session.held_on, "?")


class SessionsScreen(Screen[None]):
    """The planned sessions of a cohort (or of every cohort), by date; one opens its register."""

    DEFAULT_CSS = """
    #sessions-summary {
        padding: 0 1;
        height: auto;
    }
    #sessions {
        height: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "key.back", tooltip="tip.back_instructor"),
        Binding("ctrl+r", "reload", "key.reload", tooltip="tip.reload"),
    ]

    def __init__(self, cohort: str | None, course_id: str) -> None:
        super().__init__()
        self.cohort = cohort
        self.course_id = course_id
        self.sessions: list[PlannedSession] = []

    def compose(self) -> ComposeResult:
        t = instructor_app(self).t
        translate_bindings(self, t)
        yield Static(t("register.sessions_title"), classes="screen-title", markup=False)
        yield Static(t("instructor.loading"), id="sessions-summary", markup=False)
        table: DataTable[Text] = DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        for column in ("date", "time", "title", "place", "cohort", "marked"):
            table.add_column(t(f"register.column.{column}"), key=column)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#sessions", DataTable).focus()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()  # back from a register: its count of marked has changed

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="sessions")
    def load(self) -> None:
        sessions = instructor_app(self).read_sessions(self.cohort, self.course_id)
        self.app.call_from_thread(self._loaded, sessions)

    def _loaded(self, sessions: list[PlannedSession]) -> None:
        t = instructor_app(self).t
        self.sessions = sessions
        table = self.query_one("#sessions", DataTable)
        cursor = table.cursor_row
        table.clear()
        for planned in sessions:
            s = planned.session
            marked = (t("register.cancelled") if s.cancelled_at else
                      t("register.marked", marked=planned.marked, count=planned.learners))
            table.add_row(*as_text(session_date(s, t), visible(s.starts_at, "?"),
                                   visible(s.title, "?"), visible(s.place or "–", "?"),
                                   visible(s.cohort, "?"), marked),
                          key=str(s.id))
        if sessions:
            table.move_cursor(row=min(cursor, len(sessions) - 1))
        group = (t("register.one_cohort", cohort=visible(self.cohort, "?")) if self.cohort
                 else t("register.all_cohorts"))
        self.query_one("#sessions-summary", Static).update(
            t("register.sessions_summary", count=len(sessions), group=group) if sessions
            else t("register.sessions_none", group=group))

    @on(DataTable.RowSelected, "#sessions")
    def _opened(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.app.push_screen(RegisterScreen(int(str(event.row_key.value))))


class RegisterScreen(Screen[None]):
    """One session's register: the cohort's learners, the latest entry of each, a key a
    status."""

    DEFAULT_CSS = """
    #register-head, #register-help, #register-said {
        padding: 0 1;
        height: auto;
    }
    #register {
        height: 1fr;
    }
    #marks {
        height: auto;
        padding: 0 1;
    }
    #marks Button {
        margin: 0 1 0 0;
        min-width: 10;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "key.back", tooltip="tip.back_sessions"),
        *(Binding(key, f"mark('{status}')", f"key.mark_{status}", tooltip=f"tip.mark_{status}",
                  id=f"mark-{status}")
          for key, status in STATUS_KEYS.items()),
        Binding("ctrl+r", "reload", "key.reload", tooltip="tip.reload"),
    ]

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id
        self.session: ClassSession | None = None
        self.lines: dict[str, RegisterLine] = {}
        self.pending: asyncio.Queue[AttendanceMark] = asyncio.Queue()
        """Entries typed and not yet saved, in the order typed."""

    def compose(self) -> ComposeResult:
        t = instructor_app(self).t
        translate_bindings(self, t)
        yield Static(t("instructor.loading"), id="register-title", classes="screen-title",
                     markup=False)
        yield Static("", id="register-head", markup=False)
        yield Static(t("register.help"), id="register-help", markup=False)
        table: DataTable[Text] = DataTable(id="register", cursor_type="row", zebra_stripes=True)
        for column in ("name", "status", "missed", "by", "at", "changes"):
            table.add_column(t(f"register.column.{column}"), key=column)
        yield table
        with Horizontal(id="marks"):
            for key, status in STATUS_KEYS.items():
                yield Button(f"{key} {t(f'register.status.{status}')}", id=f"mark-{status}")
        yield Static("", id="register-said", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#register", DataTable).focus()
        self.load()
        self.save_in_order()

    def action_reload(self) -> None:
        self.load()

    @work(exclusive=True, group="register-leave")
    async def action_back(self) -> None:
        """Back to the sessions once every entry typed is saved (none is left behind)."""
        await self.pending.join()
        if self.app.screen is self:
            self.app.pop_screen()

    @work(thread=True, exclusive=True, group="register")
    def load(self) -> None:
        from peerskole.store.base import StoreError

        app = instructor_app(self)
        try:
            session, lines = app.read_register(self.session_id)
        except StoreError as error:
            message = app.t("instructor.store_failed", reason=str(error))
            self.app.call_from_thread(self._say, message)
            return
        self.app.call_from_thread(self._loaded, session, lines)

    def _loaded(self, session: ClassSession, lines: list[RegisterLine]) -> None:
        t = instructor_app(self).t
        self.session = session
        self.lines = {line.learner.id: line for line in lines}
        self.query_one("#register-title", Static).update(t(
            "register.title", title=visible(session.title, "?"), date=session_date(session, t),
            time=visible(session.starts_at, "?")))
        head = t("register.head", cohort=visible(session.cohort, "?"), minutes=session.minutes,
                 place=visible(session.place, "?") if session.place else t("register.no_place"))
        if session.cancelled_at:
            head += "\n" + t("register.cancelled_head",
                             reason=visible(session.cancel_reason or "–", "?"))
        self.query_one("#register-head", Static).update(head)
        for button in self.query("#marks Button"):
            button.disabled = bool(session.cancelled_at)
        table = self.query_one("#register", DataTable)
        cursor = table.cursor_row
        table.clear()
        for line in lines:
            table.add_row(*as_text(*self._cells(line)), key=line.learner.id)
        if lines:
            table.move_cursor(row=min(cursor, len(lines) - 1))
        else:
            self._say(t("register.no_learners"))

    def _cells(self, line: RegisterLine, saving: bool = False) -> tuple[str, ...]:
        t = instructor_app(self).t
        mark = line.mark
        if mark is None:
            return visible(line.learner.display_name, "?"), "–", "", "", "", "0"
        return (
            visible(line.learner.display_name, "?"),
            t(f"register.status.{mark.status}"),
            t("register.missed", minutes=mark.minutes_missed) if mark.minutes_missed else "",
            "…" if saving else visible(mark.recorded_by, "?"),
            "" if saving else local_minute(mark.recorded_at),
            str(line.changes),
        )

    def _show(self, line: RegisterLine, saving: bool = False) -> None:
        table = self.query_one("#register", DataTable)
        if line.learner.id not in table.rows:
            return  # read again meanwhile without them (moved or erased)
        for column, value in zip(("name", "status", "missed", "by", "at", "changes"),
                                 as_text(*self._cells(line, saving)), strict=True):
            table.update_cell(line.learner.id, column, value, update_width=True)

    def _say(self, text: str) -> None:
        self.query_one("#register-said", Static).update(text)

    def chosen(self) -> RegisterLine | None:
        """The learner whose row the cursor is on."""
        table = self.query_one("#register", DataTable)
        if not self.lines or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.lines.get(str(key))

    @on(Button.Pressed, "#marks Button")
    def _button(self, event: Button.Pressed) -> None:
        event.stop()
        self.query_one("#register", DataTable).focus()  # the keys and arrows work on
        status = str(event.button.id).removeprefix("mark-")
        self.action_mark(status)

    def action_mark(self, status: str) -> None:
        """Mark the chosen learner: at once, or after asking the minutes missed."""
        t = instructor_app(self).t
        line, session = self.chosen(), self.session
        if session is None or line is None:
            self._say(t("register.no_learner") if self.lines else t("register.no_learners"))
            return
        chosen = next(s for s in ATTENDANCE_STATUSES if s == status)
        # What the register rule refuses whatever the minutes: said before asking for them.
        problems = [p for p in register_problems(session, line.learner, chosen,
                                                 1 if chosen in WITH_MINUTES else 0)
                    if p.field != "minutes"]
        if problems:
            self._refused(line, problems[0])
            return
        if chosen not in WITH_MINUTES:
            self._typed(line, chosen, 0)
            return
        from peerskole.ui.dialogs.minutes import MinutesPrompt

        def minutes_given(minutes: int | None) -> None:
            if minutes is not None:
                self._typed(line, chosen, minutes)

        self.app.push_screen(MinutesPrompt(session, chosen, visible(
            line.learner.display_name, "?"), t), minutes_given)

    def _typed(self, line: RegisterLine, status: AttendanceStatus, minutes: int) -> None:
        """Show the entry at once and queue it to be saved."""
        app = instructor_app(self)
        mark = AttendanceMark(self.session_id, line.learner.id, status, minutes,
                              app.recorded_by(), "")
        self._show(RegisterLine(line.learner, mark, line.changes + 1), saving=True)
        self._say(app.t("register.saving", name=visible(line.learner.display_name, "?"),
                        status=app.t(f"register.status.{status}")))
        self.pending.put_nowait(mark)

    @work(exclusive=True, group="register-saves")
    async def save_in_order(self) -> None:
        """Save the entries one after the other, in the order they were typed."""
        from peerskole.store.base import StoreError

        app = instructor_app(self)
        while True:
            mark = await self.pending.get()
            line = self.lines[mark.learner_id]
            try:
                saved = await asyncio.to_thread(
                    app.mark_attendance, mark.session_id, mark.learner_id, mark.status,
                    mark.minutes_missed)
            except RegisterRefused as refused:
                self._refused(line, refused.problem, mark.minutes_missed)
            except StoreError as error:
                self._show(line)  # back to the entry that counts
                name = visible(line.learner.display_name, "?")
                self._say(app.t("register.problem.not_found", name=name)
                          if error.problem == "not_found"
                          else app.t("instructor.store_failed", reason=str(error)))
            else:
                line = RegisterLine(line.learner, saved, line.changes + 1)
                self.lines[mark.learner_id] = line
                self._show(line)
                self._say(app.t("register.saved", name=visible(line.learner.display_name, "?"),
                                status=app.t(f"register.status.{saved.status}")))
            self.pending.task_done()

    def _refused(self, line: RegisterLine, problem: RegisterProblem, minutes: int = 0) -> None:
        t = instructor_app(self).t
        self._show(line)  # back to the entry that counts
        session = self.session
        self._say(t(f"register.problem.{problem.code}",
                    name=visible(line.learner.display_name, "?"),
                    cohort=visible(session.cohort if session else "?", "?"),
                    minutes=minutes, session=session.minutes if session else "?"))
