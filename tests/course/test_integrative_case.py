"""The bundled course's integrative case, "Et forløb med Mona", branches as issue 14 asked.

Every way of answering is followed with the core's own rule (``scenario_path``), as the
app follows it: more than one path, every path ends, a poor reply leads to a turn where
the trainee must repair the contact and a repair leads back to the case.
"""

from __future__ import annotations

from typing import Final

import pytest

from peerskole.course.branching import ScenarioPath, is_branching, scenario_path
from peerskole.course.loader import load_course
from peerskole.course.model import Scenario
from tests.conftest import REPO_DIR

COURSE_DIR: Final = REPO_DIR / "courses" / "peer-grundforloeb"
"""The course peerskole ships with."""

MOST_TURNS_ON_A_PATH: Final = 40
"""A path longer than this is taken for a loop with no way out."""


@pytest.fixture(scope="module")
def mona() -> Scenario:
    step = load_course(COURSE_DIR).module("rammer-og-etik").step("samlet-case-mona")
    assert isinstance(step, Scenario)
    return step


def every_path(scenario: Scenario) -> list[ScenarioPath]:
    """Every path from the first turn to an end, trying each response at each turn.

    Paths are told apart by the turns they meet: two responses leading to the same
    turn lead on alike, so one of them is followed on (3^10 choices become a few dozen).
    """
    ended: list[ScenarioPath] = []
    pending: list[list[int]] = [[]]
    met: set[tuple[tuple[int, ...], int | None]] = set()
    while pending:
        chosen = pending.pop()
        path = scenario_path(scenario, chosen)
        assert len(path.choices) == len(chosen), chosen  # every choice fitted its turn
        if (path.turns, path.open_turn) in met:
            continue
        met.add((path.turns, path.open_turn))
        if path.ended:
            ended.append(path)
            continue
        assert len(chosen) < MOST_TURNS_ON_A_PATH, f"no end after {chosen}"
        assert path.open_turn is not None
        count = len(scenario.turns[path.open_turn].responses)
        pending.extend([*chosen, choice] for choice in range(count))
    return ended


def turn_index(scenario: Scenario, turn_id: str) -> int:
    return next(i for i, turn in enumerate(scenario.turns) if turn.id == turn_id)


def test_the_case_branches_and_every_path_ends(mona: Scenario) -> None:
    assert is_branching(mona)
    paths = every_path(mona)  # fails on a path that never ends
    assert len({path.turns for path in paths}) > 1
    # Some paths are shorter than others: a poor reply may end the forløb early.
    assert len({len(path.turns) for path in paths}) > 1
    # Every turn is met on some path.
    assert {turn for path in paths for turn in path.turns} == set(range(len(mona.turns)))


def test_the_best_reply_at_every_turn_goes_through_the_main_case(mona: Scenario) -> None:
    best = [
        [i for i, r in enumerate(turn.responses) if r.quality == "best"][0]
        for turn in mona.turns
    ]
    chosen: list[int] = []
    path = scenario_path(mona, chosen)
    while not path.ended:
        assert path.open_turn is not None
        chosen.append(best[path.open_turn])
        path = scenario_path(mona, chosen)
    # The ten moments of the forløb, first meeting to the last conversation, in order.
    assert path.turns == tuple(range(10))


def test_a_poor_first_reply_leads_to_a_repair_and_back_into_the_case(mona: Scenario) -> None:
    first = mona.turns[0].responses
    poor = next(i for i, r in enumerate(first) if r.quality == "poor")
    withdrawn = scenario_path(mona, [poor])
    assert withdrawn.open_turn == turn_index(mona, "mona-trak-sig")
    repair = mona.turns[turn_index(mona, "mona-trak-sig")].responses
    best = next(i for i, r in enumerate(repair) if r.quality == "best")
    assert scenario_path(mona, [poor, best]).open_turn == turn_index(mona, "tredje-samtale")
    # Going on with one's own plan: Mona cancels, and the trainee calls her.
    worse = next(i for i, r in enumerate(repair) if r.quality == "poor")
    assert scenario_path(mona, [poor, worse]).open_turn == turn_index(mona, "aflysningen")


def test_every_choice_has_its_feedback(mona: Scenario) -> None:
    for turn in mona.turns:
        assert "best" in {response.quality for response in turn.responses}, turn.says
        for response in turn.responses:
            assert response.feedback.strip() and response.principle.strip(), response.text
