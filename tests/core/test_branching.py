"""The one rule for which scenario turn comes next and when a scenario is done.

"sara" in sample-courses/branching: turn 1 "start" (best → "opens-up", poor →
"closes-down", acceptable → end); turn 2 "opens-up" (both → end); turn 3
"closes-down" (best → "repair", poor → back to "start"); turn 4 "repair" (no next,
the last turn: ends). "jonas" in sample-courses/scenarios is linear, three turns.
"""

from __future__ import annotations

from typing import Final

from hypothesis import given, settings
from hypothesis import strategies as st

from peerskole.course.branching import (
    is_branching,
    path_problems,
    scenario_path,
    successors,
)
from peerskole.course.loader import load_course
from peerskole.course.model import Course, Scenario
from peerskole.progress import StepRecord, merged_record, step_done
from tests.conftest import TESTS_DIR

BRANCHING = load_course(TESTS_DIR / "sample-courses" / "branching")
LINEAR = load_course(TESTS_DIR / "sample-courses" / "scenarios")


def scenario(course: Course, module_id: str, step_id: str) -> Scenario:
    step = course.module(module_id).step(step_id)
    assert isinstance(step, Scenario)
    return step


SARA = scenario(BRANCHING, "talk", "sara")
JONAS = scenario(LINEAR, "talks", "jonas")


def rec(step_id: str, **facts: object) -> StepRecord:
    return StepRecord("talk", step_id, "1.0", facts, "2026-01-01T10:00:00+00:00")


def test_a_linear_scenario_goes_turn_by_turn_and_ends_after_the_last() -> None:
    assert not is_branching(JONAS)
    assert scenario_path(JONAS, []).open_turn == 0
    assert scenario_path(JONAS, [2]).open_turn == 1
    assert scenario_path(JONAS, [2, 1]).open_turn == 2
    ended = scenario_path(JONAS, [2, 1, 0])
    assert ended.ended and ended.turns == (0, 1, 2) and ended.choices == (2, 1, 0)


def test_a_response_leads_where_its_next_says() -> None:
    assert is_branching(SARA)
    assert successors(SARA) == [[1, 2, None], [None, None], [3, 0], [None, None]]
    assert scenario_path(SARA, [0]).open_turn == 1  # best → "opens-up"
    assert scenario_path(SARA, [1]).open_turn == 2  # poor → "closes-down"
    assert scenario_path(SARA, [0, 1]).ended  # next = "end"
    assert scenario_path(SARA, [2]).ended  # ended at once
    # Without next, the last turn ends the scenario.
    assert scenario_path(SARA, [1, 0]).open_turn == 3
    assert scenario_path(SARA, [1, 0, 1]).ended


def test_a_loop_meets_a_turn_again_and_still_ends() -> None:
    looped = scenario_path(SARA, [1, 1])
    assert looped.open_turn == 0 and looped.turns == (0, 2)
    again = scenario_path(SARA, [1, 1, 1, 1, 0, 0])
    assert again.turns == (0, 2, 0, 2, 0, 1) and again.ended


def test_saved_choices_stop_where_they_no_longer_fit_or_the_path_ended() -> None:
    assert scenario_path(SARA, [1, 5, 0]).choices == (1,)  # turn 3 has two responses
    assert scenario_path(SARA, [0, True]).choices == (0,)  # JSON true is not 1
    assert scenario_path(SARA, ["0"]).choices == ()
    assert scenario_path(SARA, [2, 0, 0]).choices == (2,)  # nothing after the end


def test_a_scenario_is_done_when_its_path_ended() -> None:
    assert step_done(SARA, rec("sara", turns_answered=1, ended=True))
    assert not step_done(SARA, rec("sara", turns_answered=3, ended=False))
    # Four answers in a branching scenario of four turns are not its end.
    assert not step_done(SARA, rec("sara", turns_answered=4))
    assert not step_done(SARA, rec("sara", ended="yes"))
    # A linear scenario's record from before paths could branch still counts.
    assert step_done(JONAS, rec("jonas", turns_answered=3))
    assert not step_done(JONAS, rec("jonas", turns_answered=2))
    assert step_done(JONAS, rec("jonas", turns_answered=3, ended=True))


def test_a_merged_record_has_ended_when_either_had() -> None:
    keep = rec("sara", turns_answered=1, ended=False)
    other = rec("sara", turns_answered=2, ended=True)
    assert step_done(SARA, merged_record(keep, other))
    assert step_done(SARA, merged_record(other, keep))


def test_path_problems_finds_unreachable_turns_and_loops_without_a_way_out() -> None:
    assert path_problems(successors(SARA)).unreachable == ()
    assert path_problems(successors(SARA)).trapped == ()
    assert path_problems([[None, None], [None]]).unreachable == (1,)
    # 0 → 1 ⇄ 2 with no way out of 1 and 2; 0 may end.
    found = path_problems([[1, None], [2, 2], [1, 1]])
    assert found.unreachable == () and found.trapped == ((1, 2),)
    # A loop with a way out is fine.
    assert path_problems([[1, 1], [0, None]]).trapped == ()
    # A trapped loop nothing reaches is reported as unreachable, not as a loop.
    assert path_problems([[None, None], [1, 1]]).trapped == ()


# --- The rule against an independent walk, over random scenarios ---------------------------

_RESPONSE: Final = {"text": "Svar.", "quality": "best", "principle": "P", "feedback": "F."}


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A scenario of 1-6 turns whose responses lead anywhere: on, to a turn, or to the end."""
    count = draw(st.integers(1, 6))
    ids = [f"t{n}" for n in range(count)]
    target = st.sampled_from([None, "end", *ids])
    turns = [
        {"id": ids[n], "speaker": "Sara", "says": "Hm.", "responses": [
            {**_RESPONSE, **({"next": nxt} if nxt else {})}
            for nxt in draw(st.lists(target, min_size=2, max_size=3))
        ]}
        for n in range(count)
    ]
    return Scenario.model_validate({"kind": "scenario", "id": "s", "title": "S",
                                    "situation": "Her.", "turns": turns})


def _leads(scenario: Scenario, turn: int, response: int) -> int | None:
    """Where a response leads, worked out again from the format's words."""
    nxt = scenario.turns[turn].responses[response].next
    if nxt is None:
        return turn + 1 if turn + 1 < len(scenario.turns) else None
    if nxt == "end":
        return None
    return [t.id for t in scenario.turns].index(nxt)


@settings(max_examples=150, deadline=None)
@given(scenarios(), st.lists(st.integers(0, 2), max_size=12))
def test_the_path_follows_each_response_and_stops_at_the_end(
    scenario: Scenario, chosen: list[int]
) -> None:
    path = scenario_path(scenario, chosen)
    turn: int | None = 0
    for place, (at, choice) in enumerate(zip(path.turns, path.choices, strict=True)):
        assert at == turn and choice == chosen[place]
        turn = _leads(scenario, at, choice)
    assert path.open_turn == turn
    if len(path.choices) < len(chosen) and turn is not None:
        # It stopped early only at a choice its turn does not have.
        assert chosen[len(path.choices)] >= len(scenario.turns[turn].responses)


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_path_problems_agree_with_walking_every_path(scenario: Scenario) -> None:
    count = len(scenario.turns)
    edges = [[_leads(scenario, t, r) for r in range(len(scenario.turns[t].responses))]
             for t in range(count)]

    def reach(start: int) -> set[int | None]:
        seen: set[int | None] = set()
        pending: list[int | None] = [start]
        while pending:
            turn = pending.pop()
            if turn in seen:
                continue
            seen.add(turn)
            if turn is not None:
                pending.extend(edges[turn])
        return seen

    from_first = reach(0)
    found = path_problems(successors(scenario))
    assert set(found.unreachable) == set(range(count)) - from_first
    stuck = {t for t in from_first if t is not None and None not in reach(t)}
    assert {t for cycle in found.trapped for t in cycle} <= stuck
    assert bool(found.trapped) == bool(stuck)
