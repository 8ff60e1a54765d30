"""A branching scenario in the app: the chosen response decides the turn that follows.

"sara" in sample-courses/branching: turn "start" (response 0 best → "opens-up",
1 poor → "closes-down", 2 acceptable → end); "opens-up" (both → end); "closes-down"
(0 best → "repair", 1 poor → back to "start"); "repair", the last turn.
"""

from __future__ import annotations

from pathlib import Path

from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.steps.quiz import ChoiceRadio
from tests.conftest import TESTS_DIR
from tests.ui.conftest import (
    SIZE,
    click,
    flush_writes,
    make_app,
    open_step,
    start_as_new_learner,
    text,
    wait_for_workers,
)
from tests.ui.test_step_scenario import choose, go_on, saved, texts

BRANCHING = TESTS_DIR / "sample-courses" / "branching"


def says(screen: ModuleScreen, place: int) -> str:
    """What the other person says in the turn at ``place`` on the path."""
    return texts(screen.query_one(f"#turn-{place}"), "DialogueLine")[0]


async def test_a_poor_response_leads_to_its_own_turn_and_a_loop_back(data_dir: Path) -> None:
    app = make_app(data_dir, course=BRANCHING)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, "talk", "sara")
        # A branching path's length is not known ahead: the place alone is said.
        assert text(screen.query_one("#turn-0 .turn-number")) == "Del 1"
        await choose(app, pilot, screen, 1)  # poor → "closes-down"
        # Exploring another response never changes where the path goes.
        await click(pilot, "#responses #response-0")
        assert screen.query_one("#explored").display
        await go_on(app, pilot)
        assert says(screen, 1) == "Sara: »Nå. Jeg går ind på mit værelse.«"
        assert text(screen.query_one("#turn-1 .turn-number")) == "Del 2"
        await choose(app, pilot, screen, 1)  # poor → back to "start"
        await go_on(app, pilot)
        assert says(screen, 2) == "Sara: »Jeg har haft en rigtig dårlig dag.«"
        await flush_writes(app)
        assert saved(app, data_dir, "branching", "talk", "sara") == (
            {"turns_answered": 2, "ended": False}, {"choices": [1, 1]}
        )
        assert app.session is not None
        module = app.session.course.module("talk")
        assert not app.session.done(module, module.step("sara"))

        await choose(app, pilot, screen, 0)  # best → "opens-up"
        await go_on(app, pilot)
        assert says(screen, 3) == "Sara: »Min chef råbte ad mig foran de andre.«"
        await choose(app, pilot, screen, 0)  # → end
        await flush_writes(app)
        assert saved(app, data_dir, "branching", "talk", "sara") == (
            {"turns_answered": 4, "ended": True}, {"choices": [1, 1, 0, 0]}
        )
        assert app.session.done(module, module.step("sara"))
        await go_on(app, pilot)
        assert "Samtalen er slut" in text(screen.query_one("#scenario-end"))
        assert len(screen.query(".answered-turn")) == 4


async def test_a_response_may_end_the_scenario_at_once(data_dir: Path) -> None:
    app = make_app(data_dir, course=BRANCHING)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, "talk", "sara")
        await choose(app, pilot, screen, 2)  # acceptable → end
        await go_on(app, pilot)
        assert "Samtalen er slut" in text(screen.query_one("#scenario-end"))
        assert len(screen.query(".answered-turn")) == 1
        await flush_writes(app)
        assert saved(app, data_dir, "branching", "talk", "sara") == (
            {"turns_answered": 1, "ended": True}, {"choices": [2]}
        )


async def test_returning_shows_the_path_taken_and_opens_the_turn_it_reached(
    data_dir: Path,
) -> None:
    app = make_app(data_dir, course=BRANCHING)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, "talk", "sara")
        await choose(app, pilot, screen, 1)  # → "closes-down"
        await go_on(app, pilot)
        await choose(app, pilot, screen, 0)  # → "repair"
        await flush_writes(app)
        learner = app.session.learner if app.session else None
    assert learner is not None
    app = make_app(data_dir, course=BRANCHING)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        app.start_session(learner)
        await wait_for_workers(app, pilot)
        screen = await open_step(app, pilot, "talk", "sara")
        assert [says(screen, place) for place in (0, 1)] == [
            "Sara: »Jeg har haft en rigtig dårlig dag.«",
            "Sara: »Nå. Jeg går ind på mit værelse.«",
        ]
        assert screen.query_one("#turn-2").has_class("open-turn")
        assert says(screen, 2) == "Sara: »Okay. Tak fordi du spørger igen.«"
        labels = [str(r.label) for r in screen.query("#responses ChoiceRadio")
                  if isinstance(r, ChoiceRadio)]
        assert sorted(labels) == ["Ja ja, fortæl.", "Selvfølgelig. Jeg lytter."]
