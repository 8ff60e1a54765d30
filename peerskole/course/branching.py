"""Which turn of a scenario comes next, and when the scenario is over: the one rule.

A response may name the turn that follows it (``next = "<turn id>"``) or end the
scenario (``next = "end"``); without ``next`` it leads to the following turn, and
after the last turn the scenario ends. The trainee app follows the path with
:func:`scenario_path`, the completion rule reads the ``ended`` fact it records, and
the loader checks a scenario's turns with :func:`path_problems` on the same
successor rule (:func:`successors`), so what the validator accepts is what the app
walks.

Plain Python on purpose: it works on the frozen course models and on the raw data
of a file being checked alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from peerskole.course.model import Scenario

END: Final = "end"
"""The ``next`` value that ends a scenario; no turn may have it as its id."""

Successor = int | None
"""The index of the turn that follows a response; None when the scenario ends."""


def following(turn_index: int, turn_count: int, target: str | None,
              turn_ids: Mapping[str, int]) -> Successor:
    """The turn a response leads to: what its ``next`` names, else the following turn.

    Args:
        turn_index: the index of the response's turn.
        turn_count: how many turns the scenario has.
        target: the response's ``next`` (None when it has none).
        turn_ids: turn id → turn index.

    Returns:
        The index of the turn that follows; None when the scenario ends (``next =
        "end"``, no ``next`` after the last turn, or a ``next`` naming no turn, which
        the loader refuses).
    """
    if target is None:
        return turn_index + 1 if turn_index + 1 < turn_count else None
    if target == END:
        return None
    return turn_ids.get(target)


def successors(scenario: Scenario) -> list[list[Successor]]:
    """For each turn, for each response, the turn it leads to (see :func:`following`)."""
    ids = {turn.id: index for index, turn in enumerate(scenario.turns) if turn.id is not None}
    count = len(scenario.turns)
    return [
        [following(index, count, response.next, ids) for response in turn.responses]
        for index, turn in enumerate(scenario.turns)
    ]


def is_branching(scenario: Scenario) -> bool:
    """Whether any response of the scenario names where it leads (``next``)."""
    return any(r.next is not None for turn in scenario.turns for r in turn.responses)


@dataclass(frozen=True, slots=True)
class ScenarioPath:
    """Where a trainee's choices have taken them in a scenario."""

    turns: tuple[int, ...]
    """The index of each turn answered, in the order met (a loop may meet a turn again)."""
    choices: tuple[int, ...]
    """The response chosen at each turn in :attr:`turns` (its index in the file)."""
    open_turn: int | None
    """The turn to answer now; None when the path has ended."""

    @property
    def ended(self) -> bool:
        """Whether the path has reached its end: the scenario is done."""
        return self.open_turn is None


def scenario_path(scenario: Scenario, chosen: Sequence[object]) -> ScenarioPath:
    """Follow a trainee's choices through a scenario from its first turn.

    Args:
        scenario: the scenario step.
        chosen: the response index chosen at each turn met, in order, as saved (JSON,
            maybe from an earlier version of the course). The walk stops at the first
            choice that no longer fits its turn, and at the end of the path: later
            turns follow from the earlier choices.
    """
    steps = successors(scenario)
    turns: list[int] = []
    choices: list[int] = []
    current: Successor = 0
    for choice in chosen:
        if current is None:
            break
        if not (isinstance(choice, int) and not isinstance(choice, bool)
                and 0 <= choice < len(steps[current])):
            break
        turns.append(current)
        choices.append(choice)
        current = steps[current][choice]
    return ScenarioPath(tuple(turns), tuple(choices), current)


@dataclass(frozen=True, slots=True)
class PathProblems:
    """What is wrong with the way a scenario's turns lead to each other."""

    unreachable: tuple[int, ...]
    """Turns no path from the first turn reaches."""
    trapped: tuple[tuple[int, ...], ...]
    """Loops with no way out: each a cycle of turns, reached from the first, from which
    no choice of responses ever ends the scenario."""


def path_problems(steps: Sequence[Sequence[Successor]]) -> PathProblems:
    """Check that every turn is reachable and every path can end.

    Args:
        steps: for each turn, for each response, the turn it leads to (None: the end),
            as :func:`successors` gives them.
    """
    count = len(steps)
    reachable: set[int] = set()
    pending = [0] if count else []
    while pending:
        turn = pending.pop()
        if turn in reachable:
            continue
        reachable.add(turn)
        pending.extend(n for n in steps[turn] if n is not None and n not in reachable)
    # Turns from which the end can be reached: grow backwards from the turns that end.
    # A turn without responses counts as ending: that it has none is reported apart.
    can_end = {turn for turn in range(count) if None in steps[turn] or not steps[turn]}
    grown = True
    while grown:
        grown = False
        for turn in range(count):
            if turn not in can_end and any(n in can_end for n in steps[turn] if n is not None):
                can_end.add(turn)
                grown = True
    trapped: list[tuple[int, ...]] = []
    seen: set[int] = set()
    for start in sorted(reachable - can_end):
        if start in seen:
            continue
        # Every response of a trapped turn leads to a trapped turn: walk until one repeats.
        walk = [start]
        while True:
            nxt = next(n for n in steps[walk[-1]] if n is not None)
            if nxt in walk:
                cycle = tuple(walk[walk.index(nxt):])
                break
            walk.append(nxt)
        seen.update(walk)
        if not any(set(cycle) == set(t) for t in trapped):
            trapped.append(cycle)
    return PathProblems(tuple(sorted(set(range(count)) - reachable)), tuple(trapped))
