"""A whole module, first step to completion, as a trainee does it: keys and clicks only.

The sample's first module has one step of every kind. The trainee rates themself,
reads, answers the quiz, chooses in the scenario, writes a reflection, logs a
practice conversation, rates themself again, and the module completes by its
rule: the store holds every step's facts and the overview shows the module done
and the next one open.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from peerskole.course.loader import load_course
from peerskole.progress import module_status
from peerskole.ui.app import PeerskoleApp
from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.screens.overview import OverviewScreen
from peerskole.ui.widgets.module_card import ModuleCard
from tests.conftest import SAMPLE_COURSE
from tests.ui.conftest import SIZE, click, flush_writes, make_app, start_as_new_learner, stored
from tests.ui.conftest import wait_for_workers as settle


def label(screen: ModuleScreen, index: int) -> str:
    return str(screen.query_one("#steps", OptionList).get_option_at_index(index).prompt)


def shown(app: PeerskoleApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())



async def next_step(pilot: Pilot[None]) -> None:
    await click(pilot, "#nav #next")


async def test_a_trainee_completes_the_first_module(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot, "Åse")
        assert shown(app, "#overall") == "0 / 7 trin (0\u00a0%)"
        await click(pilot, "#module-first")
        screen = app.screen
        assert isinstance(screen, ModuleScreen) and screen.current.id == "before-after"

        # 1. Self-assessment, before: the number keys on the focused scale.
        await pilot.press("2", "tab", "3")
        await click(pilot, "#assessment-save")
        await next_step(pilot)

        # 2. Reading: opening it is enough.
        assert screen.current.id == "intro"
        await next_step(pilot)

        # 3. Quiz: one wrong answer first, then right, as a trainee often does.
        assert screen.current.id == "quiz"
        await click(pilot, "#option-0-1")  # options are chosen by id, wherever shown
        await click(pilot, "#option-1-0")
        await click(pilot, "#quiz-submit")
        assert "Ikke bestået endnu" in shown(app, "#quiz-result")
        await click(pilot, "#quiz-retry")
        await click(pilot, "#option-0-0")
        await click(pilot, "#option-1-0")
        await click(pilot, "#option-1-1")
        await click(pilot, "#quiz-submit")
        assert "Bestået" in shown(app, "#quiz-result")
        await next_step(pilot)

        # 4. Scenario: the best response, then on to the end of the conversation.
        assert screen.current.id == "maja"
        await click(pilot, "#responses #response-0")
        await click(pilot, "#scenario-choose")
        await click(pilot, "#scenario-continue")
        assert "Samtalen er slut" in shown(app, "#scenario-end")
        await next_step(pilot)

        # 5. Reflection: at least five words, typed.
        assert screen.current.id == "own-experience"
        await click(pilot, "#reflection-text")
        await pilot.press(*"Da min ven lyttede uden at afbryde")
        await settle(app, pilot)
        await next_step(pilot)

        # 6. Practice: one log entry (the date is filled in already).
        assert screen.current.id == "practice-talk"
        await click(pilot, "#field-duration")
        await pilot.press(*"15")
        await click(pilot, "#field-what-happened")
        await pilot.press(*"Vi talte om at sove")
        await click(pilot, "#field-what-i-noticed")
        await pilot.press(*"Jeg ville give et råd")
        await click(pilot, "#log-save")
        assert shown(app, "#log-saved").startswith("✓ Gemt i loggen.")

        # Every step but the self-assessment is done; the list says which is missing.
        assert "mangler" in label(screen, 0)
        assert all(label(screen, i).startswith("✓") for i in range(1, 5))
        assert shown(app, "#practice-count").startswith("✓ 1 indførsel")

        # 7. Self-assessment, after: back to the first step from the step list.
        steps = screen.query_one("#steps", OptionList)
        steps.focus()
        steps.highlighted = 0
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.current.id == "before-after"
        await pilot.press("4", "tab", "5")
        await click(pilot, "#assessment-save")
        ratings = [str(w.render()) for w in screen.query(".ratings").results(Static)]
        assert ratings == ["Før    ██░░░ 2\nEfter  ████░ 4  (+2)",
                           "Før    ███░░ 3\nEfter  █████ 5  (+2)"]
        assert label(screen, 0).endswith("her · færdig")

        # The overview: the module done, the next one unlocked.
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert shown(app, "#overall") == "6 / 7 trin (86\u00a0%)"
        first = app.screen.query_one("#module-first", ModuleCard)
        second = app.screen.query_one("#module-second", ModuleCard)
        assert not second.has_class("locked")
        assert "Gennemført" in " ".join(str(s.render()) for s in first.query(Static))
        await flush_writes(app)
        learner = app.session.learner.id if app.session else ""

    # What the database holds, read by a second connection with the same rule.
    store = stored(data_dir)
    records = {r.step_id: dict(r.facts) for r in store.step_records(learner, "mini")}
    assert records["before-after"] == {"before": [2, 3], "after": [4, 5]}
    assert records["intro"] == {"read": True}  # left for the quiz: read
    assert records["quiz"]["score"] == 100.0 and records["quiz"]["attempts"] == 2
    assert records["maja"] == {"turns_answered": 1, "ended": True}
    assert records["own-experience"] == {"words": 7}
    assert records["practice-talk"] == {"entries": 1}
    course = load_course(SAMPLE_COURSE)
    by_key = {(r.module_id, r.step_id): r for r in store.step_records(learner, "mini")}
    status = module_status(course.module("first"), by_key)
    assert status.complete
    reflection = store.reflection(learner, "mini", "first", "own-experience")
    assert reflection is not None
    assert reflection.text == "Da min ven lyttede uden at afbryde"
    assert not reflection.shared
    store.close()

