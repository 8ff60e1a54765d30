"""The register in the instructor's app, driven with Pilot on SQLite and PostgreSQL: the
cohort's sessions, a session's register taken by key and by mouse, every entry kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from peerskole.store.base import AttendanceMark, AttendanceStatus, ClassSession, Store
from peerskole.ui.dialogs.minutes import MinutesPrompt
from peerskole.ui.instructor.app import InstructorApp
from peerskole.ui.instructor.register import RegisterScreen, SessionsScreen
from tests.export.conftest import World
from tests.export.test_cohort_view import cohort_shown, signed_in
from tests.ui.conftest import until


def plan(store: Store) -> tuple[ClassSession, ClassSession]:
    """Two 3-hour sessions for hold-1 today: one held, one cancelled."""
    today = dt.date.today().isoformat()
    held, called_off = store.add_class_sessions([
        ClassSession("hold-1", "mini", today, "09:00", 180, "Aktiv lytning", "Lokale 2",
                     "koordinator", "2026-01-05T09:00:00+00:00"),
        ClassSession("hold-1", "mini", today, "13:00", 180, "Grænser", "", "koordinator",
                     "2026-01-05T09:00:00+00:00"),
    ])
    store.cancel_class_session(called_off.id, "koordinator", "Underviser syg",
                               "2026-01-06T09:00:00+00:00")
    return held, called_off


def row(table: DataTable[Any], name: str) -> list[str]:
    for i in range(table.row_count):
        cells = [str(cell) for cell in table.get_row_at(i)]
        if cells[0] == name:
            return cells
    raise AssertionError(f"no row for {name}")


def latest(store: Store, session: ClassSession, learner_id: str) -> tuple[str, int] | None:
    """The entry that counts, as the store has it."""
    marks = [m for m in store.attendance("hold-1", "mini")
             if m.session_id == session.id and m.learner_id == learner_id]
    return (marks[0].status, marks[0].minutes_missed) if marks else None


async def on_learner(pilot: Pilot[None], table: DataTable[Any], name: str) -> None:
    names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
    table.move_cursor(row=names.index(name))
    await pilot.pause()


async def register_opened(app: InstructorApp, pilot: Pilot[None],
                          session: ClassSession) -> DataTable[Any]:
    sessions = app.screen
    assert isinstance(sessions, SessionsScreen)
    table = sessions.query_one("#sessions", DataTable)
    await until(pilot, lambda: table.row_count == 2, "the two sessions")
    table.move_cursor(row=table.get_row_index(str(session.id)))
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, RegisterScreen)
                and app.screen.session is not None
                and app.screen.query_one("#register", DataTable).row_count == 4,
                "the register of hold-1's four")
    return app.screen.query_one("#register", DataTable)


def said(app: InstructorApp) -> str:
    return str(app.screen.query_one("#register-said", Static).render())


async def test_a_register_taken_by_key_and_mouse_kept_with_its_history(
    world: World, shared_store: Store
) -> None:
    store = shared_store
    held, called_off = plan(store)
    app = InstructorApp(store, [world.course], language="da", key=signed_in(store))
    async with app.run_test(size=(120, 34)) as pilot:
        cohort = await cohort_shown(app, pilot, store.count_learners())
        from textual.widgets import Select

        cohort.query_one("#cohort", Select).value = "hold-1"
        await until(pilot, lambda: cohort.query_one("#learners", DataTable).row_count == 4,
                    "hold-1")
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, SessionsScreen)
                    and app.screen.query_one("#sessions", DataTable).row_count == 2,
                    "hold-1's sessions")
        sessions = app.screen.query_one("#sessions", DataTable)
        assert [str(c) for c in sessions.get_row_at(0)][1:] == [
            "09:00", "Aktiv lytning", "Lokale 2", "hold-1", "0 af 4"]
        assert str(sessions.get_row_at(1)[-1]) == "AFLYST"

        table = await register_opened(app, pilot, held)
        assert row(table, "Bo Ibsen")[1] == "–"
        # Bo present (1), Cai late 15 minutes (2, then the minutes), Dorte absent (4).
        await on_learner(pilot, table, "Bo Ibsen")
        await pilot.press("1")
        await until(pilot, lambda: latest(store, held, world.partial) == ("present", 0),
                    "Bo present in the store")
        await until(pilot, lambda: row(table, "Bo Ibsen")[1:4] == [
            "Til stede", "", "Ulla Underviser"], "Bo present on screen")
        await on_learner(pilot, table, "Cai")
        await pilot.press("2")
        await until(pilot, lambda: isinstance(app.screen, MinutesPrompt), "the minutes asked")
        await pilot.press("1", "5", "enter")
        await until(pilot, lambda: latest(store, held, world.manual) == ("late", 15),
                    "Cai late 15 minutes in the store")
        await until(pilot, lambda: row(table, "Cai")[1:3] == ["Forsinket", "15\u00a0min."],
                    "Cai late on screen")
        # The columns widen for what they show now: nothing is cut short.
        widths = {str(key.value): column.content_width for key, column in table.columns.items()}
        assert widths["status"] >= len("Forsinket") and widths["by"] >= len("Ulla Underviser")
        await on_learner(pilot, table, "Dorte")
        await pilot.press("4")
        await until(pilot, lambda: latest(store, held, world.idle) == ("absent", 0),
                    "Dorte absent in the store")
        # Left early by the whole session is refused by the register rule: absent instead.
        await on_learner(pilot, table, "Ærø Åse")
        await pilot.press("3")
        await until(pilot, lambda: isinstance(app.screen, MinutesPrompt), "the minutes asked")
        await pilot.press("1", "8", "0", "enter")
        problem = app.screen.query_one("#minutes-problem", Static)
        await until(pilot, lambda: "skriv højst 179" in str(problem.render()),
                    "whole session refused")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, RegisterScreen), "back, nothing done")
        assert latest(store, held, world.done) is None
        assert row(table, "Ærø Åse")[1] == "–"
        # Change one with the mouse: Bo's row, then the button "Afbud".
        bo_row = [str(table.get_row_at(i)[0]) for i in range(table.row_count)].index("Bo Ibsen")
        await pilot.click("#register", offset=(3, 1 + bo_row))
        await until(pilot, lambda: table.cursor_row == bo_row, "Bo's row chosen by a click")
        await pilot.click("#mark-excused")
        await until(pilot, lambda: latest(store, held, world.partial) == ("excused", 0),
                    "Bo changed to excused")
        await until(pilot, lambda: row(table, "Bo Ibsen")[1] == "Afbud", "the change shown")
        assert row(table, "Bo Ibsen")[5] == "2"  # two entries: the first is history
        assert "Gemt: Bo Ibsen – Afbud." in said(app)

        # Back: three of four marked. Reopened: the latest entry of each.
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, SessionsScreen)
                    and str(sessions.get_row_at(0)[-1]) == "3 af 4", "three marked")
        table = await register_opened(app, pilot, held)
        assert row(table, "Bo Ibsen")[1:4] == ["Afbud", "", "Ulla Underviser"]
        assert row(table, "Cai")[1:3] == ["Forsinket", "15\u00a0min."]
        assert row(table, "Dorte")[1] == "Fraværende"
        assert row(table, "Ærø Åse")[1] == "–"

        # The cancelled session cannot be marked, by key or button.
        await pilot.press("escape")
        table = await register_opened(app, pilot, called_off)
        assert "aflyst (Underviser syg)" in str(
            app.screen.query_one("#register-head", Static).render())
        await pilot.press("1")
        await until(pilot, lambda: "aflyst" in said(app), "the refusal said")
        assert app.screen.query_one("#mark-present").disabled

    # Every entry is kept, with who and when; the cancelled session has none.
    history: list[tuple[str, AttendanceStatus, int, str]] = [
        (m.learner_id, m.status, m.minutes_missed, m.recorded_by)
        for m in store.attendance_history(held.id)]
    assert history == [
        (world.partial, "present", 0, "Ulla Underviser"),
        (world.manual, "late", 15, "Ulla Underviser"),
        (world.idle, "absent", 0, "Ulla Underviser"),
        (world.partial, "excused", 0, "Ulla Underviser"),
    ]
    assert all(m.recorded_at for m in store.attendance_history(held.id))
    assert store.attendance_history(called_off.id) == []


async def test_the_register_in_english(world: World, shared_store: Store) -> None:
    store = shared_store
    held, _ = plan(store)
    app = InstructorApp(store, [world.course], language="en", key=signed_in(store))
    async with app.run_test(size=(120, 34)) as pilot:
        await cohort_shown(app, pilot, store.count_learners())
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, SessionsScreen), "the sessions")
        table = await register_opened(app, pilot, held)
        await on_learner(pilot, table, "Cai")
        await pilot.press("3")
        await until(pilot, lambda: isinstance(app.screen, MinutesPrompt), "the minutes asked")
        app.screen.query_one("#minutes", Input).value = "20"
        await pilot.press("enter")
        await until(pilot, lambda: row(table, "Cai")[1:3] == ["Left early", "20\u00a0min"],
                    "Cai left early, in English")
        await until(pilot, lambda: latest(store, held, world.manual) == ("left_early", 20),
                    "in the store")
        # The footer names every key in the UI's language.
        from peerskole.ui.textual_compat import FooterKey

        await until(pilot, lambda: {"Present", "Late", "Left early", "Absent", "Excused"}
                    <= {key.description for key in app.screen.query(FooterKey)},
                    "the keys in the footer")


async def test_quitting_at_once_keeps_the_last_key(
    world: World, shared_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    store = shared_store
    held, _ = plan(store)
    record = store.record_attendance

    def slow_record(marks: Sequence[AttendanceMark]) -> None:
        time.sleep(0.5)  # a slow database: the entry is still on its way when quitting
        record(marks)

    monkeypatch.setattr(store, "record_attendance", slow_record)
    app = InstructorApp(store, [world.course], language="da", key=signed_in(store))
    async with app.run_test(size=(120, 34)) as pilot:
        await cohort_shown(app, pilot, store.count_learners())
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, SessionsScreen), "the sessions")
        table = await register_opened(app, pilot, held)
        await on_learner(pilot, table, "Dorte")
        await pilot.press("4", "ctrl+q")  # absent, and quit before it could be saved
    assert latest(store, held, world.idle) == ("absent", 0)


def test_when_an_entry_was_made_is_said_in_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from peerskole.ui.instructor.register import local_minute

    monkeypatch.setenv("TZ", "Europe/Copenhagen")
    time.tzset()
    try:
        # Late in the evening UTC is past midnight in Denmark: the date and time move.
        assert local_minute("2026-12-04T23:30:00+00:00") == "2026-12-05 00:30"
        assert local_minute("ikke et tidspunkt") == "ikke et tidspunkt"
    finally:
        monkeypatch.undo()
        time.tzset()


async def test_text_in_brackets_is_shown_as_written_not_read_as_markup(
    world: World, store: Store
) -> None:
    """A trainee chooses their own name and cohort code: one that looks like markup must
    neither style the instructor's tables and lists nor stop them (an unmatched closing
    tag once did)."""
    hostile = store.add_learner("Bo[/x][b]fed", "hold[/7]")
    [lesson] = store.add_class_sessions([ClassSession(
        "hold[/7]", "mini", dt.date.today().isoformat(), "09:00", 180, "Emne[/b]", "[i]rum",
        "koordinator", "2026-01-05T09:00:00+00:00")])
    app = InstructorApp(store, [world.course], language="da", key=signed_in(store))
    async with app.run_test(size=(140, 34)) as pilot:
        from textual.widgets import Select

        cohort = await cohort_shown(app, pilot, store.count_learners())
        cohort.query_one("#cohort", Select).value = "hold[/7]"
        await until(pilot, lambda: cohort.query_one("#learners", DataTable).row_count == 1,
                    "hold[/7]")
        await pilot.pause()
        assert "Bo[/x][b]fed" in app.export_screenshot()
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, SessionsScreen)
                    and app.screen.query_one("#sessions", DataTable).row_count == 1,
                    "the cohort's session")
        await pilot.pause()
        assert "Emne[/b]" in app.export_screenshot()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, RegisterScreen)
                    and app.screen.query_one("#register", DataTable).row_count == 1,
                    "the register")
        await pilot.press("1")
        await until(pilot, lambda: latest_of(store, lesson, hostile.id) == "present",
                    "marked present")
        await pilot.pause()
        assert "Bo[/x][b]fed" in app.export_screenshot()


def latest_of(store: Store, session: ClassSession, learner_id: str) -> str | None:
    marks = [m.status for m in store.attendance(session.cohort, session.course_id)
             if m.session_id == session.id and m.learner_id == learner_id]
    return marks[0] if marks else None
