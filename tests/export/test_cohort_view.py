"""The instructor's view, driven with Pilot: the cohort table, its sort and filters, and a
learner's modules; figures only, never a private text."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Select, Static

from peerskole.dialogue import answer, for_instructor
from peerskole.instructors import InstructorKey, add_instructor, unlock_instructor
from peerskole.store.base import Store
from peerskole.store.sqlite import SQLiteStore
from peerskole.ui.instructor.app import InstructorApp
from peerskole.ui.instructor.cohort import CohortScreen, LearnerScreen
from tests.export.conftest import PRIVATE_MARKER, SHARED_MARKER, World
from tests.ui.conftest import until

PASSPHRASE = "lang nok adgangskode til Ulla"


def signed_in(store: Store) -> InstructorKey:
    instructor = add_instructor(store, "Ulla Underviser", PASSPHRASE)
    return unlock_instructor(store, instructor, PASSPHRASE)


def names(table: DataTable[Any]) -> list[str]:
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def screen_text(app: InstructorApp) -> str:
    parts = [str(w.render()) for w in app.screen.query(Static)]
    for table in app.screen.query(DataTable):
        for i in range(table.row_count):
            parts.extend(str(cell) for cell in table.get_row_at(i))
    return "\n".join(parts)


async def cohort_shown(app: InstructorApp, pilot: Pilot[None], rows: int) -> CohortScreen:
    screen = app.screen
    assert isinstance(screen, CohortScreen)
    await until(pilot, lambda: screen.query_one("#learners", DataTable).row_count == rows,
                "the cohort's learners in the table")
    return screen


async def test_the_cohort_sorted_and_filtered_and_a_learner_opened(
    world: World, shared_store: Store
) -> None:
    app = InstructorApp(shared_store, [world.course], language="da", key=signed_in(shared_store))
    async with app.run_test(size=(100, 30)) as pilot:
        everyone = shared_store.count_learners()
        screen = await cohort_shown(app, pilot, everyone)
        table = screen.query_one("#learners", DataTable)
        # Every cohort is in the filter, with its size.
        options = [str(label) for label, _ in screen.query_one("#cohort", Select)._options]
        assert "Hold hold-1 (4)" in options
        # Choose hold-1: its four learners, in name order.
        screen.query_one("#cohort", Select).value = "hold-1"
        await until(pilot, lambda: table.row_count == 4, "hold-1's learners")
        assert names(table) == ["Bo Ibsen", "Cai", "Dorte", "Ærø Åse"]
        # "s" sorts by the next column; clicking a heading sorts by it, twice turns it round.
        screen.sort_by("done")
        await pilot.pause()
        assert names(table)[-1] == "Ærø Åse"  # 100 %
        screen.sort_by("done")
        await pilot.pause()
        assert names(table)[0] == "Ærø Åse"
        # Only those who need attention: Bo has done nothing for weeks.
        await pilot.press("f6")
        await until(pilot, lambda: screen.query_one("#attention-only", Checkbox).value,
                    "the needs-attention filter on")
        stalled = [line.name for line in screen.lines if line.stalled]
        assert not any(line.cannot_meet_attendance for line in screen.lines)  # no programme
        assert stalled and names(table) == sorted(stalled, key=names(table).index)
        assert table.row_count == len(stalled) < 4
        await pilot.press("f6")
        await until(pilot, lambda: table.row_count == 4, "every learner again")
        # Enter on Ærø Åse's line opens her modules: all complete, with their version.
        screen.sort_by("name")
        await pilot.pause()
        table.move_cursor(row=names(table).index("Ærø Åse"))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, LearnerScreen), "her modules")
        modules = app.screen.query_one("#modules", DataTable)
        await until(pilot, lambda: modules.row_count == len(world.course.modules),
                    "a line per module")
        statuses = {str(modules.get_row_at(i)[1]) for i in range(modules.row_count)}
        assert statuses == {"Gennemført"}
        shown = screen_text(app)
        assert PRIVATE_MARKER not in shown and SHARED_MARKER not in shown
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, CohortScreen), "back to the cohort")


async def test_in_english_and_no_text_a_learner_wrote(world: World, shared_store: Store) -> None:
    app = InstructorApp(shared_store, [world.course], language="en", key=signed_in(shared_store))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await cohort_shown(app, pilot, shared_store.count_learners())
        summary = str(screen.query_one("#summary", Static).render())
        assert "stalled" in summary and "Sorted by Name" in summary
        text = screen_text(app)
        assert PRIVATE_MARKER not in text and SHARED_MARKER not in text
        assert "STALLED" in text


async def test_the_outcome_as_charts_and_nothing_for_a_small_group(
    world: World, store: SQLiteStore
) -> None:
    from textual_plotext import PlotextPlot

    from peerskole.ui.instructor.outcome import OutcomeScreen
    from tests.export.test_outcomes import add

    for before, after in ([1, 2], [3, 5]), ([2, 2], [4, 4]), ([3, 1], [3, 3]), \
            ([1, 5], [2, 5]), ([2, 4], [5, 4]):
        add(store, "hold-9", before, after, entries=2, seconds=600)
    app = InstructorApp(store, [world.course], language="da", key=signed_in(store))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await cohort_shown(app, pilot, store.count_learners())
        # hold-1 has four learners: too few to show a figure.
        screen.query_one("#cohort", Select).value = "hold-1"
        await until(pilot, lambda: screen.cohort == "hold-1" and
                    screen.query_one("#learners", DataTable).row_count == 4, "hold-1")
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, OutcomeScreen)
                    and app.screen.chart is not None, "the outcome of hold-1")
        assert not app.screen.query(PlotextPlot)
        assert "færre end 5" in str(app.screen.query_one("#outcome-head", Static).render())
        await pilot.press("escape")
        # hold-9's five: the statements before and after, drawn, with their figures.
        screen.query_one("#cohort", Select).value = "hold-9"
        await until(pilot, lambda: screen.cohort == "hold-9" and
                    screen.query_one("#learners", DataTable).row_count == 5, "hold-9")
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, OutcomeScreen)
                    and len(app.screen.query(PlotextPlot)) == 2, "the charts of hold-9")
        keys = "\n".join(str(s.render()) for s in app.screen.query(".statement-key"))
        assert "Jeg kan stille åbne spørgsmål. – 2.8 → 4.2 (n = 5)" in keys
        assert PRIVATE_MARKER not in keys and SHARED_MARKER not in keys


async def test_signing_in_is_slowed_when_wrong_and_opens_the_cohort(
    world: World, shared_store: Store
) -> None:
    from textual.widgets import Input

    from peerskole.ui.instructor.sign_in import InstructorSignIn

    add_instructor(shared_store, "Ulla Underviser", PASSPHRASE)
    app = InstructorApp(shared_store, [world.course], language="da")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, InstructorSignIn), "the sign-in")
        # Nothing of the cohort before signing in.
        assert "Bo Ibsen" not in screen_text(app)
        await pilot.press(*"ulla underviser", "enter", *"forkert kode", "enter")
        problem = app.screen.query_one("#sign-in-problem", Static)
        await until(pilot, lambda: "passer ikke" in str(problem.render()), "wrong passphrase")
        assert app.screen.query_one("#instructor-passphrase", Input).value == ""
        app.screen.query_one("#instructor-passphrase", Input).value = PASSPHRASE
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CohortScreen), "the cohort", 30)
        assert app.key is not None and app.key.instructor.name == "Ulla Underviser"
    with pytest.raises(RuntimeError):
        app.key.private_key()  # forgotten when the app closed


async def test_the_inbox_a_reply_and_the_trainees_answer(
    world: World, shared_store: Store
) -> None:
    from textual.widgets import TextArea

    from peerskole.ui.instructor.inbox import InboxScreen, ThreadScreen

    key = signed_in(shared_store)
    app = InstructorApp(shared_store, [world.course], language="da", key=key)
    async with app.run_test(size=(100, 30)) as pilot:
        await cohort_shown(app, pilot, shared_store.count_learners())
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, InboxScreen)
                    and app.screen.query_one("#inbox", DataTable).row_count == 1,
                    "the one shared reflection")
        inbox = app.screen.query_one("#inbox", DataTable)
        assert [str(c) for c in inbox.get_row_at(0)][:2] == ["NY", "Bo Ibsen"]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ThreadScreen)
                    and app.screen.thread is not None, "the dialogue")
        shown = str(app.screen.query_one("#messages", Static).render())
        assert SHARED_MARKER in shown and PRIVATE_MARKER not in shown
        app.screen.query_one("#reply", TextArea).text = "Tak, Bo. Hvad hjalp dig mest?"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Svaret er sendt" in str(
            app.screen.query_one("#reply-problem", Static).render()), "the reply sent")
        await until(pilot, lambda: "Hvad hjalp dig mest?" in str(
            app.screen.query_one("#messages", Static).render()), "the reply shown")
        # The trainee answers back; the instructor reads it after a refresh.
        answer(shared_store, None, world.partial, "mini", "first", "own-experience",
               "At du spurgte ind.")
        thread = for_instructor(shared_store, key, world.partial, "mini", "first", "own-experience",
                                mark_read=False)
        assert [m.text for m in thread.messages] == [
            "Tak, Bo. Hvad hjalp dig mest?", "At du spurgte ind."]
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, InboxScreen)
                    and str(inbox.get_row_at(0)[0]) == "NY", "new again: Bo answered")
        # Bo withdraws his share: the inbox is empty at once.
        shared_store.save_reflection(world.partial, "mini", "first", "own-experience",
                              SHARED_MARKER, shared=False)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: inbox.row_count == 0, "the withdrawn reflection gone")


async def test_a_learner_who_cannot_meet_the_attendance_requirement_is_flagged(
    world: World, shared_store: Store
) -> None:
    import datetime as dt

    from tests.export.test_cohort import plan_and_register, with_programme

    plan_and_register(shared_store, world, dt.date.today())
    course = with_programme(world.course)
    app = InstructorApp(shared_store, [course], language="da", key=signed_in(shared_store))
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await cohort_shown(app, pilot, shared_store.count_learners())
        table = screen.query_one("#learners", DataTable)
        flags = {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[-1])
                 for i in range(table.row_count)}
        assert "KAN IKKE NÅ FREMMØDEKRAVET (mangler 6\u00a0t., 3\u00a0t. planlagt)" in \
            flags["Bo Ibsen"]
        assert "FREMMØDEKRAVET" not in flags["Cai"]  # the session to come will do it
        assert "3 kan ikke nå fremmødekravet" in str(
            screen.query_one("#summary", Static).render())
        # Ærø Åse has finished every module, so she has not stalled, but she cannot meet
        # the attendance requirement: the needs-attention filter (F6) keeps her.
        aero = next(line for line in screen.lines if line.learner_id == world.done)
        assert not aero.stalled and aero.cannot_meet_attendance

        def shown_ids() -> set[str]:
            return {str(key.value) for key in table.rows}

        await pilot.press("f6")
        await until(pilot, lambda: screen.query_one("#attention-only", Checkbox).value,
                    "the needs-attention filter on")
        await until(pilot, lambda: world.done in shown_ids(), "Ærø Åse kept by the filter")
        assert shown_ids() == {line.learner_id for line in screen.lines
                               if line.stalled or line.cannot_meet_attendance}
        await pilot.press("f6")
        await until(pilot, lambda: table.row_count == shared_store.count_learners(),
                    "everyone again")
        # Bo's line opens with his hours.
        table.move_cursor(row=names(table).index("Bo Ibsen"))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, LearnerScreen), "Bo's modules")
        head = str(app.screen.query_one("#classroom-head", Static).render())
        assert head == "Fremmøde: 3\u00a0t. af 9\u00a0t. krævet · 3\u00a0t. planlagt endnu"
