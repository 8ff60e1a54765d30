"""The revised course's new scenarios in the real app, walked to their end by keyboard.

Each new scenario of the bundled course (issue 14) is opened as a trainee opens it:
through its content note where it has one (Enter on "Start", which has the focus). The
trainee answers every turn with the keys alone (Tab to the responses, the arrows to the
response, Enter to mark it, Tab to "Vælg", Enter, Enter on "Videre"), the first turn
with its poor reply (or else an acceptable one), the rest with the best. Each choice
shows its quality, its principle and the course's feedback, the turns met are those
the core's ``scenario_path`` gives (so Mona's case takes its repair branch), the
conversation ends, the step list says the step is done, and the store holds it so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest
from textual.pilot import Pilot
from textual.widgets import Markdown

from peerskole.course.branching import scenario_path
from peerskole.course.loader import load_course
from peerskole.course.model import Course, Scenario
from peerskole.locations import bundled_courses_dir
from peerskole.progress import CONTENT_NOTE_STARTED
from peerskole.ui.app import PeerskoleApp
from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.steps.quiz import ChoiceRadio, ChoiceSet
from peerskole.ui.steps.scenario import ScenarioView
from peerskole.ui.widgets.content_notice import ContentNotice
from tests.ui.conftest import (
    SIZE,
    flush_writes,
    learner_past_requirements,
    step_label,
    stored,
    text,
    until,
)
from tests.ui.conftest import wait_for_workers as settle

COURSE_DIR: Final = bundled_courses_dir() / "peer-grundforloeb"
"""The course peerskole ships with."""

NEW_SCENARIOS: Final = [
    ("rammer-og-etik", "samlet-case-mona"),
    ("peer-rollen", "mikkel-fortaeller-om-forsoeget"),
    ("peer-rollen", "teammoedet-om-nadia"),
    ("erfaringskompetence", "det-har-jeg-aldrig-fortalt"),
    ("brobygning-og-redskaber", "foerste-samtale-med-yusuf"),
    ("rammer-og-etik", "camilla-og-boernene"),
    ("rammer-og-etik", "niels-efter-tvangen"),
]
"""(module id, step id) of the scenarios issue 14's revision added: Mona, Mikkel, Nadia,
Hassan, Yusuf, Camilla and Niels."""

QUALITY_SHOWN: Final = {
    "best": "★ Bedste svar", "acceptable": "◐ Acceptabelt svar",
    "poor": "✗ Uhensigtsmæssigt svar",
}
"""How the app says each quality in Danish."""

MOST_KEY_PRESSES: Final = 12
"""Tab or arrow presses after which a widget is taken as never reached."""


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(COURSE_DIR)


def scenario_of(course: Course, module_id: str, step_id: str) -> Scenario:
    step = course.module(module_id).step(step_id)
    assert isinstance(step, Scenario)
    return step


def choice_at(scenario: Scenario, turn: int, first: bool) -> int:
    """The response taken: the poor one at the first turn (else an acceptable), then the best."""
    responses = scenario.turns[turn].responses
    wanted = ("poor", "acceptable") if first else ("best",)
    return next(i for quality in wanted for i, r in enumerate(responses) if r.quality == quality)


async def tab_to(pilot: Pilot[None], widget_id: str) -> None:
    app = pilot.app
    for _ in range(MOST_KEY_PRESSES):
        if app.focused is not None and app.focused.id == widget_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached #{widget_id}")


async def mark_by_keys(pilot: Pilot[None], responses: ChoiceSet, option: int) -> None:
    """Move the cursor to the response with this index in the file and press Enter."""
    for _ in range(MOST_KEY_PRESSES):
        highlighted = responses.highlighted
        if isinstance(highlighted, ChoiceRadio) and highlighted.option == option:
            break
        await pilot.press("down")
    else:
        raise AssertionError(f"the cursor never reached response {option}")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(responses.pressed_button, ChoiceRadio)
    assert responses.pressed_button.option == option


@pytest.mark.parametrize(("module_id", "step_id"), NEW_SCENARIOS, ids=[s for _, s in NEW_SCENARIOS])
async def test_a_new_scenario_walked_by_keyboard_to_its_end(
    course: Course, module_id: str, step_id: str, data_dir: Path
) -> None:
    scenario = scenario_of(course, module_id, step_id)
    learner = learner_past_requirements(data_dir, course, module_id)
    app = PeerskoleApp(COURSE_DIR, data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")  # the only profile, highlighted
        await settle(app, pilot)
        assert app.session is not None
        module = app.session.course.module(module_id)
        screen = ModuleScreen(app.session, module, step_id)
        await app.push_screen(screen)
        await settle(app, pilot)
        if scenario.content_note is not None:
            notice = screen.query_one(ContentNotice)
            assert scenario.content_note in " ".join(text(w) for w in notice.query("Static"))
            assert screen.view is None  # nothing of the scenario before Start
            assert app.focused is notice.start_button
            await pilot.press("enter")
            await settle(app, pilot)
        await until(pilot, lambda: isinstance(screen.view, ScenarioView), "the scenario")
        assert not step_label(screen, step_id).endswith("færdig")

        chosen: list[int] = []
        path = scenario_path(scenario, chosen)
        while not path.ended:
            assert path.open_turn is not None
            place = len(chosen)
            turn = scenario.turns[path.open_turn]
            open_turn = screen.query_one(f"#turn-{place}")
            assert open_turn.has_class("open-turn")
            said = [text(w) for w in open_turn.query("DialogueLine")]
            assert any(turn.says.strip()[:40] in line for line in said), said

            option = choice_at(scenario, path.open_turn, first=not chosen)
            await tab_to(pilot, "responses")
            await mark_by_keys(pilot, screen.query_one("#responses", ChoiceSet), option)
            await tab_to(pilot, "scenario-choose")
            await pilot.press("enter")
            await settle(app, pilot)

            response = turn.responses[option]
            outcome = screen.query_one("#chosen")
            assert [text(w) for w in outcome.query(".quality")] == [
                QUALITY_SHOWN[response.quality]
            ]
            assert [text(w) for w in outcome.query(".principle")] == [
                f"Princip: {response.principle}"
            ]
            assert response.feedback.strip() in [m.source.strip() for m in outcome.query(Markdown)]
            assert app.focused is screen.query_one("#scenario-continue")
            await pilot.press("enter")  # "Videre"
            await settle(app, pilot)
            chosen.append(option)
            path = scenario_path(scenario, chosen)

        assert "Samtalen er slut" in text(screen.query_one("#scenario-end"))
        assert len(screen.query(".answered-turn")) == len(path.turns)
        assert app.session.done(module, module.step(step_id))
        await until(pilot, lambda: step_label(screen, step_id).endswith("færdig"),
                    "the step list to say the step is done")
        await flush_writes(app)

    database = stored(data_dir)
    try:
        records = {
            r.step_id: dict(r.facts)
            for r in database.step_records(learner, course.id) if r.module_id == module_id
        }
        state = dict(database.step_state(learner, course.id, module_id, step_id))
    finally:
        database.close()
    facts = records[step_id]
    assert (facts["turns_answered"], facts["ended"]) == (len(path.turns), True)
    assert facts.get(CONTENT_NOTE_STARTED, False) is (scenario.content_note is not None)
    assert state == {"choices": chosen}
    if step_id == "samlet-case-mona":
        # The poor first reply took Mona's case through the turn where she withdraws.
        met = {scenario.turns[turn].id for turn in path.turns}
        assert {"mona-trak-sig", "tredje-samtale"} <= met
