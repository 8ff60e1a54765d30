"""The bundled course in the real app: one dialogue scenario of each core module, walked.

For modules 2–4 (the core of the course) the trainee opens the module's first
scenario with several turns (or its first scenario), answers every turn with the
best response, and reads the feedback: the quality in a symbol and a word, the
principle it keeps, and the course's own feedback text. The store then holds the
step as done.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Markdown

from peerskole.course.loader import load_course
from peerskole.course.model import Scenario
from peerskole.locations import bundled_courses_dir
from peerskole.ui.app import PeerskoleApp
from tests.ui.conftest import (
    SIZE,
    click,
    flush_writes,
    learner_past_requirements,
    open_step,
    stored,
    text,
)
from tests.ui.conftest import wait_for_workers as settle

COURSE_DIR = bundled_courses_dir() / "peer-grundforloeb"
CORE_MODULES = ["aktiv-lytning", "erfaringskompetence", "gruppefacilitering"]


def first_scenario(module_id: str) -> Scenario:
    """The module's first scenario with most turns (a multi-turn one where there is one)."""
    module = load_course(COURSE_DIR).module(module_id)
    scenarios = [s for s in module.steps if isinstance(s, Scenario)]
    return max(scenarios, key=lambda s: len(s.turns))




@pytest.mark.parametrize("module_id", CORE_MODULES)
async def test_a_scenario_of_each_core_module(module_id: str, data_dir: Path) -> None:
    scenario = first_scenario(module_id)
    learner = learner_past_requirements(data_dir, load_course(COURSE_DIR), module_id)
    app = PeerskoleApp(COURSE_DIR, data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")  # the only profile, highlighted
        await settle(app, pilot)
        screen = await open_step(app, pilot, module_id, scenario.id)
        situation = screen.query_one(".scenario-situation", Markdown).source
        assert situation.strip() == scenario.situation.strip()
        for number, turn in enumerate(scenario.turns):
            said = [text(w) for w in screen.query_one(f"#turn-{number}").query("DialogueLine")]
            assert any(turn.says.strip()[:40] in line for line in said), said
            best = next(i for i, r in enumerate(turn.responses) if r.quality == "best")
            await click(pilot, f"#responses #response-{best}")  # wherever it is shown
            await click(pilot, "#scenario-choose")
            chosen = screen.query_one("#chosen")
            assert [text(w) for w in chosen.query(".quality")] == ["★ Bedste svar"]
            principle = turn.responses[best].principle
            assert [text(w) for w in chosen.query(".principle")] == [f"Princip: {principle}"]
            feedback = [m.source.strip() for m in chosen.query(Markdown)]
            assert turn.responses[best].feedback.strip() in feedback
            await click(pilot, "#scenario-continue")
        assert "Samtalen er slut" in text(screen.query_one("#scenario-end"))
        await flush_writes(app)
        assert app.session is not None
        course_id = app.session.course.id

    records = {
        r.step_id: dict(r.facts)
        for r in stored(data_dir).step_records(learner, course_id)
        if r.module_id == module_id
    }
    assert records[scenario.id] == {"turns_answered": len(scenario.turns), "ended": True}
