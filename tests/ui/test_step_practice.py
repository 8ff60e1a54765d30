"""The practice step: the assignment, a checked log form, and the log so far."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Markdown, Static, TextArea

from peerskole.course.model import DEFAULT_LOG_FIELDS, LogField
from peerskole.i18n import Translator, format_date, parse_date
from peerskole.ui.app import PeerskoleApp
from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.steps.practice import LogEntry, check_entry
from tests.ui.conftest import (
    flush_writes,
    make_app,
    open_step,
    start_as_new_learner,
    stored,
    wait_for_workers,
)

MODULE, STEP = "first", "practice-talk"
TODAY = dt.date.today().isoformat()
TODAY_SHOWN = format_date(dt.date.today(), "da")  # as the form and the log show it


def shown(screen: ModuleScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def listed(screen: ModuleScreen) -> list[str]:
    return [str(entry.render()) for entry in screen.query(LogEntry)]


def saved_entries(app: PeerskoleApp, data_dir: Path) -> list[dict[str, str]]:
    assert app.session is not None
    entries = stored(data_dir).practice_entries(app.session.learner.id, "mini", MODULE, STEP)
    return [dict(e.values) for e in entries]


def saved_facts(app: PeerskoleApp, data_dir: Path) -> dict[str, object] | None:
    assert app.session is not None
    records = stored(data_dir).step_records(app.session.learner.id, "mini")
    return next((dict(r.facts) for r in records if r.step_id == STEP), None)


async def fill(pilot: Pilot[None], screen: ModuleScreen, **typed: str) -> None:
    """Type into the form's fields by field id (underscores for hyphens)."""
    for name, text in typed.items():
        field = screen.query_one(f"#field-{name.replace('_', '-')}")
        field.focus()  # a focused Input selects its text, so typing replaces it
        await pilot.pause()
        if text:
            await pilot.press(*text)
        elif isinstance(field, Input):
            field.value = ""


async def save(pilot: Pilot[None], screen: ModuleScreen) -> None:
    screen.query_one("#log-save", Button).focus()
    await pilot.press("enter")
    await pilot.pause()


async def test_an_entry_is_saved_listed_and_counted(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, STEP)
    assert "10 minutter" in screen.query_one(".practice-assignment", Markdown).source
    assert shown(screen, "#practice-count") == "0 indførsler – mindst 1"
    assert shown(screen, "#log-empty") == "Ingen indførsler endnu."
    assert screen.query_one("#field-date", Input).value == TODAY_SHOWN
    await fill(pilot, screen, duration="12", what_happened="Vi talte om søvn",
               what_i_noticed="Jeg ville give råd")
    await save(pilot, screen)
    await wait_for_workers(app, pilot)
    await flush_writes(app)
    expected = {"date": TODAY, "duration": "12", "what-happened": "Vi talte om søvn",
                "what-i-noticed": "Jeg ville give råd"}
    assert saved_entries(app, data_dir) == [expected]
    assert saved_facts(app, data_dir) == {"entries": 1}
    assert listed(screen) == [
        f"Indførsel 1\nDato: {TODAY_SHOWN}\nVarighed: 12\u00a0min.\n"
        "Hvad skete der?\nVi talte om søvn\nHvad lagde jeg mærke til?\nJeg ville give råd"
    ]
    assert not screen.query("#log-empty")
    assert shown(screen, "#practice-count") == "✓ 1 indførsel – nok til, at trinnet er færdigt"
    assert shown(screen, "#log-saved").startswith("✓ Gemt i loggen.")
    # The form is ready for another entry.
    assert screen.query_one("#field-date", Input).value == TODAY_SHOWN
    assert screen.query_one("#field-duration", Input).value == ""
    assert screen.query_one("#field-what-happened", TextArea).text == ""


async def test_wrong_or_missing_values_are_explained_and_nothing_is_saved(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, STEP)
    await fill(pilot, screen, date="2026-02-30", duration="ti", what_happened="Noget")
    await save(pilot, screen)
    assert shown(screen, "#error-date") == (
        "⚠ Skriv en rigtig dato, fx 2026-03-01, 1.3.2026 eller 1. marts 2026."
    )
    assert shown(screen, "#error-duration") == "⚠ Skriv antal minutter som et helt tal, fx 15."
    assert shown(screen, "#error-what-happened") == ""
    assert shown(screen, "#error-what-i-noticed") == "⚠ Dette felt skal udfyldes."
    assert shown(screen, "#form-message").startswith("Indførslen er ikke gemt endnu.")
    assert app.focused is screen.query_one("#field-date")  # taken to the first problem
    assert listed(screen) == []
    # What was typed stays, so only the mistakes need fixing.
    assert screen.query_one("#field-what-happened", TextArea).text == "Noget"
    await flush_writes(app)
    assert saved_entries(app, data_dir) == []
    assert saved_facts(app, data_dir) is None


async def test_two_entries_make_a_log_that_comes_back(
    app_at_overview: tuple[PeerskoleApp, Pilot[None]], data_dir: Path
) -> None:
    app, pilot = app_at_overview
    screen = await open_step(app, pilot, MODULE, STEP)
    await fill(pilot, screen, duration="10", what_happened="Første", what_i_noticed="A")
    await save(pilot, screen)
    # Danes often write day.month.year: accepted, and stored as year-month-day.
    await fill(pilot, screen, date="1.3.2026", duration="5", what_happened="Anden",
               what_i_noticed="B")
    await save(pilot, screen)
    assert shown(screen, "#practice-count") == "✓ 2 indførsler – nok til, at trinnet er færdigt"
    assert [text.splitlines()[0] for text in listed(screen)] == ["Indførsel 1", "Indførsel 2"]
    await flush_writes(app)
    assert [(e["date"], e["what-happened"]) for e in saved_entries(app, data_dir)] == [
        (TODAY, "Første"), ("2026-03-01", "Anden"),
    ]
    assert saved_facts(app, data_dir) == {"entries": 2}
    screen.action_previous_step()
    await wait_for_workers(app, pilot)
    screen.action_next_step()
    await wait_for_workers(app, pilot)
    assert len(listed(screen)) == 2


async def test_save_is_reachable_by_keyboard_at_80x24(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, MODULE, STEP)
        save_button = screen.query_one("#log-save", Button)
        for _ in range(15):
            if app.focused is save_button:
                break
            await pilot.press("tab")
        assert app.focused is save_button
        await pilot.pause()
        x, y = save_button.region.center
        # On screen, not scrolled out of sight:
        assert screen.get_widget_at(int(x), int(y))[0] is save_button
        await pilot.press("enter")
        await pilot.pause()
        assert shown(screen, "#form-message").startswith("Indførslen er ikke gemt endnu.")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-03-01", dt.date(2026, 3, 1)),
        (" 2026-3-1 ", dt.date(2026, 3, 1)),
        ("1.3.2026", dt.date(2026, 3, 1)),
        ("01-03-2026", dt.date(2026, 3, 1)),
        ("29/2/2024", dt.date(2024, 2, 29)),
        ("1. marts 2026", dt.date(2026, 3, 1)),  # as the app shows a date, either language
        ("1 March 2026", dt.date(2026, 3, 1)),
        ("1. Marts 2026", dt.date(2026, 3, 1)),
        ("1. mars 2026", None),
        ("29.2.2026", None),  # not a leap year
        ("2026-13-01", None),
        ("20260301", None),
        ("i går", None),
        ("", None),
    ],
)
def test_dates_are_real_calendar_dates(typed: str, expected: dt.date | None) -> None:
    assert parse_date(typed) == expected


def test_optional_fields_may_be_empty_and_minutes_are_whole_numbers() -> None:
    fields = [*DEFAULT_LOG_FIELDS[:2], LogField(id="with-whom", label="Med hvem?", required=False)]
    t = Translator("en")
    values, errors = check_entry(fields, {"date": "2026-03-01", "duration": " 007 "}, t)
    assert errors == {}
    assert values == {"date": "2026-03-01", "duration": "7", "with-whom": ""}
    _, errors = check_entry(fields, {"date": "2026-03-01", "duration": "-5"}, t)
    assert errors == {"duration": "⚠ Write the number of minutes as a whole number, e.g. 15."}
    _, errors = check_entry(fields, {"duration": "1.5"}, t)
    assert set(errors) == {"date", "duration"}
