"""Praktik with sign-off, driven with Pilot: the trainee logs an entry from the overview and
sees where it stands; the supervisor signs in, approves, returns with a comment and
revokes an approval with a reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Select, Static, TextArea

from peerskole.praktik import add_supervisor, decide, log_praktik, unlock_supervisor
from peerskole.store.sqlite import SQLiteStore
from peerskole.ui.screens.praktik import PraktikScreen
from peerskole.ui.supervisor.app import SupervisorApp
from peerskole.ui.supervisor.queue import QueueScreen
from tests.ui.conftest import click, make_app, start_as_new_learner, stored, text, until

PASSPHRASE: Final = "vejlederens lange kodeord"
WHAT: Final = "Jeg gik med en beboer til lægen og [b]lyttede[/b]"
"""Private text, with markup in it: shown as written, where it is shown at all."""
HIDDEN: Final = "Samtale om selvskade med en beboer"
TALL: Final = (100, 48)


def _cell_texts(table: DataTable[str]) -> list[str]:
    return [" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def test_the_trainee_logs_praktik_and_sees_it_approved_or_returned(
    data_dir: Path,
) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=TALL) as pilot:
        await start_as_new_learner(app, pilot)
        sif = add_supervisor(stored(data_dir), "Sif Vejleder", PASSPHRASE)
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, PraktikScreen), "the praktik screen")
        screen = app.screen
        select = screen.query_one("#praktik-supervisor", Select)
        await until(pilot, lambda: select.value == sif.id, "the one supervisor to be chosen")
        await click(pilot, "#praktik-hours")
        await pilot.press(*"3,5")
        await click(pilot, "#praktik-place")
        await pilot.press(*"Bostedet Lyngly")
        screen.query_one("#praktik-what", TextArea).text = WHAT
        await click(pilot, "#praktik-show")
        await click(pilot, "#praktik-send")

        check = stored(data_dir)
        await until(pilot, lambda: check.praktik_entries(), "the entry to be stored")
        [entry] = check.praktik_entries()
        assert (entry.minutes, entry.place, entry.supervisor_id) == (210, "Bostedet Lyngly",
                                                                     sif.id)
        assert entry.done_on == dt.date.today().isoformat()
        assert entry.what == WHAT and entry.supervisor_copy is not None  # shown: sealed to Sif
        table = screen.query_one("#praktik-entries", DataTable)
        await until(pilot, lambda: table.row_count == 1, "the entry in the list")
        assert "3,5\u00a0t." in _cell_texts(table)[0]
        assert "Venter på godkendelse" in _cell_texts(table)[0]
        assert "Sendt til Sif Vejleder" in text(screen.query_one("#praktik-status", Static))
        assert screen.query_one("#praktik-what", TextArea).text == ""  # ready for the next

        # Bad hours are refused with a sentence; nothing more is stored.
        await click(pilot, "#praktik-hours")
        await pilot.press(*"tre")
        await click(pilot, "#praktik-send")
        assert "Skriv timerne som et tal" in text(screen.query_one("#praktik-status", Static))
        # Also where the eye is: the line under the tall form may be out of view.
        assert any("Skriv timerne som et tal" in str(n.message) for n in app._notifications)
        assert len(check.praktik_entries()) == 1

        key = unlock_supervisor(check, sif, PASSPHRASE)
        decide(check, key, entry.id, "approved")
        second = log_praktik(check, entry.learner_id, None, entry.course_id,
                             done_on="2026-10-05", minutes=60, place="Lyngly", what=HIDDEN,
                             supervisor_id=sif.id, show_text=False)
        decide(check, key, second.id, "returned", "Skriv hvilken vagt")
        await pilot.press("escape")
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, PraktikScreen)
                    and app.screen is not screen, "the praktik screen again")
        table = app.screen.query_one("#praktik-entries", DataTable)
        await until(pilot, lambda: table.row_count == 2, "both entries")
        rows = _cell_texts(table)
        assert any("Godkendt" in row and "3,5" in row for row in rows), rows
        assert any("Sendt tilbage: »Skriv hvilken vagt«" in row for row in rows), rows
        summary = text(app.screen.query_one("#praktik-summary", Static))
        assert "Godkendt: 3,5\u00a0t." in summary and "Venter: 0\u00a0t." in summary

        # The approved one cannot be changed; the returned one is corrected and sent again.
        screen = app.screen
        status = screen.query_one("#praktik-status", Static)
        table.focus()
        approved_row = next(i for i, r in enumerate(rows) if "Godkendt" in r)
        table.move_cursor(row=approved_row)
        await pilot.press("enter")
        await until(pilot, lambda: "kan ikke ændres" in text(status), "the refusal")
        assert screen.query_one("#praktik-place", Input).value == ""
        table.focus()
        table.move_cursor(row=1 - approved_row)
        await pilot.press("enter")
        hours = screen.query_one("#praktik-hours", Input)
        await until(pilot, lambda: hours.value == "1", "the returned entry in the form")
        assert screen.query_one("#praktik-what", TextArea).text == HIDDEN
        hours.value = "2"
        await click(pilot, "#praktik-send")
        await until(pilot, lambda: [d.decision for d in check.praktik_decisions(
            entry_id=second.id)] == ["returned", "asked"], "the entry asked again")
        [corrected] = [e for e in check.praktik_entries() if e.id == second.id]
        assert corrected.minutes == 120
        await until(pilot, lambda: any("Venter" in r for r in _cell_texts(table)),
                    "the corrected entry waiting again")
        [approved] = [e for e in check.praktik_entries() if e.id == entry.id]
        assert approved == entry  # the approved one is as it was


async def _click(pilot: Pilot[None], target: str) -> None:
    widget: Widget = pilot.app.screen.query_one(target)
    await until(pilot, lambda: widget.region.area > 0, f"{target} to be laid out")
    widget.scroll_visible(animate=False)
    await pilot.pause()
    await pilot.click(widget)
    await pilot.pause()


async def test_the_supervisor_approves_returns_and_revokes(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "peerskole.sqlite3")
    sif = add_supervisor(store, "Sif Vejleder", PASSPHRASE)
    ida = store.add_learner("Ida [/y]").id  # brackets: shown as written, never markup
    shown = log_praktik(store, ida, None, "mini", done_on="2026-10-01", minutes=180,
                        place="Lyngly [/x]", what=WHAT + "\nAnden linje\x1b[2J",
                        supervisor_id=sif.id, show_text=True)
    hidden = log_praktik(store, ida, None, "mini", done_on="2026-10-02", minutes=90,
                         place="Lyngly", what=HIDDEN, supervisor_id=sif.id, show_text=False)
    app = SupervisorApp(store)
    async with app.run_test(size=TALL) as pilot:
        await _click(pilot, "#supervisor-name")
        await pilot.press(*"sif vejleder")
        await _click(pilot, "#supervisor-passphrase")
        await pilot.press(*PASSPHRASE, "enter")
        await until(pilot, lambda: isinstance(app.screen, QueueScreen), "the queue", 20)
        screen = app.screen
        table = screen.query_one("#queue-table", DataTable)
        await until(pilot, lambda: table.row_count == 2, "both entries")
        assert all("Ida [/y]" in row for row in _cell_texts(table))
        assert "Lyngly [/x]" in _cell_texts(table)[0]
        what = screen.query_one("#entry-what", Static)
        assert WHAT in text(what)  # the first (oldest) one, shown to Sif, as written
        assert f"{WHAT}\nAnden linje[2J" in text(what)  # its lines kept, the escape not

        # Returning needs a comment.
        await _click(pilot, "#return")
        status = screen.query_one("#queue-status", Static)
        assert "Skriv en kommentar" in text(status)
        assert store.praktik_decisions() == []
        await _click(pilot, "#approve")
        await until(pilot, lambda: [d.decision for d in store.praktik_decisions(
            entry_id=shown.id)] == ["approved"], "the approval")
        assert store.approved_praktik_minutes("mini") == {ida: 180}

        # The other: its text was not shown to the supervisor, and is not on the screen.
        await until(pilot, lambda: "Godkendt" in _cell_texts(table)[1], "the list again")
        table.move_cursor(row=0)
        await until(pilot, lambda: "ikke vist dig" in text(what), "the hidden one chosen")
        assert not any(HIDDEN in text(s) for s in screen.query(Static))
        assert not any(HIDDEN in row for row in _cell_texts(table))
        await _click(pilot, "#decision-note")
        await pilot.press(*"Hvilken vagt?")
        await pilot.press("f6")  # by key, from the comment field: a function key types nothing
        await until(pilot, lambda: [d.decision for d in store.praktik_decisions(
            entry_id=hidden.id)] == ["returned"], "the return")
        assert store.praktik_decisions(entry_id=hidden.id)[0].note == "Hvilken vagt?"

        # The approval: only revoking is offered, and it needs a reason.
        await until(pilot, lambda: table.row_count == 2
                    and all("Venter" not in row for row in _cell_texts(table)), "the list")
        row = next(i for i, r in enumerate(_cell_texts(table)) if "Godkendt" in r)
        table.move_cursor(row=row)
        await until(pilot, lambda: not screen.query_one("#revoke", Button).disabled,
                    "revoking to be offered")
        assert screen.query_one("#approve", Button).disabled
        assert screen.query_one("#return", Button).disabled
        # The footer offers only what the entry allows: revoking.
        offered = [decision for decision in ("approved", "returned", "revoked")
                   if screen.check_action("decide", (decision,))]
        assert offered == ["revoked"]
        await _click(pilot, "#decision-note")
        await pilot.press(*"Forkert dato")
        await pilot.press("f7")
        await until(pilot, lambda: [d.decision for d in store.praktik_decisions(
            entry_id=shown.id)] == ["approved", "revoked"], "the revocation")
        assert store.approved_praktik_minutes("mini") == {}
        assert screen.query_one("#decision-note", Input).value == ""
    store.close()


async def test_on_a_protected_profile_the_text_is_stored_sealed_and_read_back(
    data_dir: Path,
) -> None:
    from peerskole import privacy
    from tests.ui.test_passphrase import set_passphrase

    app = make_app(data_dir)
    async with app.run_test(size=TALL) as pilot:
        await start_as_new_learner(app, pilot)
        await set_passphrase(app, pilot)
        add_supervisor(stored(data_dir), "Sif Vejleder", PASSPHRASE)
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, PraktikScreen), "the praktik screen")
        screen = app.screen
        await until(pilot, lambda: screen.query_one("#praktik-supervisor", Select).value
                    != Select.BLANK, "the supervisor chosen")
        await click(pilot, "#praktik-hours")
        await pilot.press("2")
        await click(pilot, "#praktik-place")
        await pilot.press(*"Lyngly")
        screen.query_one("#praktik-what", TextArea).text = HIDDEN
        await click(pilot, "#praktik-send")
        check = stored(data_dir)
        await until(pilot, lambda: check.praktik_entries(), "the entry to be stored")
        [entry] = check.praktik_entries()
        assert privacy.is_token(entry.what) and HIDDEN not in entry.what
        assert entry.supervisor_copy is None  # not ticked: not for the supervisor either
        # Back in the form for correcting, it reads as written: opened with the key.
        table = screen.query_one("#praktik-entries", DataTable)
        await until(pilot, lambda: table.row_count == 1, "the entry in the list")
        table.focus()
        await pilot.press("enter")
        await until(pilot, lambda: screen.query_one("#praktik-what", TextArea).text == HIDDEN,
                    "the text opened into the form")


async def test_a_wrong_passphrase_or_an_unknown_name_keeps_the_supervisor_out(
    tmp_path: Path,
) -> None:
    store = SQLiteStore(tmp_path / "peerskole.sqlite3")
    add_supervisor(store, "Sif Vejleder", PASSPHRASE)
    app = SupervisorApp(store)
    async with app.run_test(size=TALL) as pilot:
        problem = app.screen.query_one("#sign-in-problem", Static)
        for name, passphrase, said in (("Sif Vejleder", "forkert kodeord", "passer ikke"),
                                       ("Nogen Andre", PASSPHRASE, "ingen vejleder")):
            name_field = app.screen.query_one("#supervisor-name", Input)
            name_field.value = name
            await _click(pilot, "#supervisor-passphrase")
            await pilot.press(*passphrase, "enter")
            shown_now = said  # bound for this round's condition

            def told(expected: str = shown_now) -> bool:
                return expected in text(problem)

            await until(pilot, told, said, 20)
            assert not isinstance(app.screen, QueueScreen)
            assert app.screen.query_one("#supervisor-passphrase", Input).value == ""
    store.close()


async def test_names_places_and_comments_in_brackets_are_shown_as_written(
    data_dir: Path,
) -> None:
    """A supervisor's name, a place and a comment that look like markup neither style the
    trainee's praktik screen nor stop it (an unmatched closing tag would)."""
    app = make_app(data_dir)
    async with app.run_test(size=TALL) as pilot:
        await start_as_new_learner(app, pilot)
        check = stored(data_dir)
        sif = add_supervisor(check, "Sif [/v] Vejleder", PASSPHRASE)
        [learner] = check.learners()
        entry = log_praktik(check, learner.id, None, "mini", done_on="2026-10-05",
                            minutes=60, place="Lyngly [/x]", what=HIDDEN,
                            supervisor_id=sif.id, show_text=False)
        comment = ("Skriv [/k] vagten, og hvem du var sammen med: timerne passer ikke med "
                   "vagtplanen for den uge, så ret dem, før du sender igen")
        decide(check, unlock_supervisor(check, sif, PASSPHRASE), entry.id, "returned",
               comment)
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, PraktikScreen), "the praktik screen")
        table = app.screen.query_one("#praktik-entries", DataTable)
        await until(pilot, lambda: table.row_count == 1, "the entry in the list")
        [row] = _cell_texts(table)
        assert "Lyngly [/x]" in row and "Sif [/v] Vejleder" in row and "Skriv [/k]" in row
        # The whole comment, which the table's column cuts short, under the list.
        note = app.screen.query_one("#praktik-entry-note", Static)
        await until(pilot, lambda: comment in text(note), "the whole comment under the list")
        assert note.region.width > 0 and note.region.height >= 2
        select = app.screen.query_one("#praktik-supervisor", Select)
        await until(pilot, lambda: select.value == sif.id, "the one supervisor chosen")


async def test_an_entry_left_unsent_is_there_again_on_coming_back(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=TALL) as pilot:
        await start_as_new_learner(app, pilot)
        sif = add_supervisor(stored(data_dir), "Sif Vejleder", PASSPHRASE)
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, PraktikScreen), "the praktik screen")
        select = app.screen.query_one("#praktik-supervisor", Select)
        await until(pilot, lambda: select.value == sif.id, "the one supervisor chosen")
        await click(pilot, "#praktik-hours")
        await pilot.press(*"2,5")
        await click(pilot, "#praktik-place")
        await pilot.press(*"Lyngly")
        app.screen.query_one("#praktik-what", TextArea).focus()
        await pilot.press(*"Jeg lyttede")
        await pilot.press("escape")  # away unsent: nothing stored, nothing lost
        await until(pilot, lambda: not isinstance(app.screen, PraktikScreen), "the overview")
        assert stored(data_dir).praktik_entries() == []
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, PraktikScreen), "the praktik screen")
        screen = app.screen
        await until(pilot, lambda: screen.query_one("#praktik-place", Input).value == "Lyngly",
                    "the place typed before")
        assert screen.query_one("#praktik-hours", Input).value == "2,5"
        assert screen.query_one("#praktik-what", TextArea).text == "Jeg lyttede"
        await click(pilot, "#praktik-send")
        check = stored(data_dir)
        await until(pilot, lambda: check.praktik_entries(), "the entry to be stored")
        [entry] = check.praktik_entries()
        assert (entry.minutes, entry.place) == (150, "Lyngly")
        # Sent: the form is empty next time.
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, PraktikScreen), "the overview")
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, PraktikScreen), "the praktik screen")
        await pilot.pause()
        assert app.screen.query_one("#praktik-place", Input).value == ""
