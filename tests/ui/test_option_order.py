"""Options are shown in an order of each learner's own, and answers keep option ids.

The sample course tests/sample-courses/ordering has one module, "choices":
- quiz "quiz": question 1 has five options, option 0 right; question 2 has four,
  "Alle ovenstående" (option 3) right, pinned with shuffle = false;
- scenario "samtale": turn 1 has four responses, response 0 best; turn 2 has three,
  response 0 best, pinned with shuffle = false.

Learner ids are fixed here (the store draws them at random), so each test knows
the order its learner gets and checks that it is one that proves the point.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Markdown, Static

from peerskole.ordering import display_order
from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.steps.quiz import ChoiceRadio
from tests.conftest import TESTS_DIR
from tests.ui.conftest import (
    SIZE,
    click,
    flush_writes,
    learner_ids,
    make_app,
    open_step,
    start_as_new_learner,
    stored,
    text,
    wait_for_workers,
)

ORDERING = TESTS_DIR / "sample-courses" / "ordering"
COURSE, MODULE = "ordering", "choices"
ANNA, BO = "aaaaaaaaaaaa", "bbbbbbbbbbbb"


def shuffled(learner: str, step: str, index: int, count: int) -> list[int]:
    """The order the learner would get if nothing pinned it."""
    return display_order(range(count), (learner, COURSE, MODULE, step, index))


def shown(screen: ModuleScreen, selector: str) -> list[int]:
    """The option ids of the radio buttons under ``selector``, top to bottom on screen."""
    radios = list(screen.query(f"{selector} ChoiceRadio").results(ChoiceRadio))
    tops = [radio.region.y for radio in radios]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)  # drawn in this order
    return [radio.option for radio in radios]


def radio_labelled(screen: ModuleScreen, selector: str, label: str) -> ChoiceRadio:
    """The radio button showing ``label``, wherever it is in the list."""
    found = [r for r in screen.query(f"{selector} ChoiceRadio").results(ChoiceRadio)
             if label in text(r)]
    assert len(found) == 1, label
    return found[0]


def saved(data_dir: Path, learner: str, step: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The step's facts and UI state as the database holds them."""
    store = stored(data_dir)
    try:
        records = {r.step_id: dict(r.facts) for r in store.step_records(learner, COURSE)}
        return records.get(step, {}), dict(store.step_state(learner, COURSE, MODULE, step))
    finally:
        store.close()


async def quiz_order_of_a_new_learner(data_dir: Path) -> list[int]:
    app = make_app(data_dir, course=ORDERING)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, MODULE, "quiz")
        return shown(screen, "#answer-0")


async def test_two_learners_see_a_question_in_different_orders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    learner_ids(monkeypatch, ANNA, BO)
    anna = await quiz_order_of_a_new_learner(tmp_path / "anna")
    bo = await quiz_order_of_a_new_learner(tmp_path / "bo")
    assert anna == shuffled(ANNA, "quiz", 0, 5)
    assert bo == shuffled(BO, "quiz", 0, 5)
    assert sorted(anna) == sorted(bo) == [0, 1, 2, 3, 4]
    assert anna != bo


async def test_a_learner_sees_the_same_order_on_return_and_after_a_restart(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    learner_ids(monkeypatch, ANNA)
    order = shuffled(ANNA, "quiz", 0, 5)
    assert order != sorted(order)  # not the file order, or the test would prove nothing
    app = make_app(data_dir, course=ORDERING)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, MODULE, "quiz")
        assert shown(screen, "#answer-0") == order
        await click(pilot, "#next")
        assert screen.current.id == "samtale"
        await click(pilot, "#previous")
        assert screen.current.id == "quiz"
        assert shown(screen, "#answer-0") == order
    app = make_app(data_dir, course=ORDERING)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("enter")  # the only profile; resumes at the quiz
        await wait_for_workers(app, pilot)
        resumed = app.screen
        assert isinstance(resumed, ModuleScreen) and resumed.current.id == "quiz"
        screen = resumed
        assert shown(screen, "#answer-0") == order


async def test_shuffle_false_keeps_the_file_order(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    learner_ids(monkeypatch, ANNA)
    # Without the pin this learner would see both in another order.
    assert shuffled(ANNA, "quiz", 1, 4) != [0, 1, 2, 3]
    assert shuffled(ANNA, "samtale", 1, 3) != [0, 1, 2]
    app = make_app(data_dir, course=ORDERING)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, MODULE, "quiz")
        assert shown(screen, "#answer-1") == [0, 1, 2, 3]
        assert "Alle ovenstående" in text(screen.query("#answer-1 ChoiceRadio").last())
        await click(pilot, "#next")
        await click(pilot, radio_labelled(screen, "#responses", "Det lyder som en tung dag."))
        await click(pilot, "#scenario-choose")
        await click(pilot, "#scenario-continue")
        assert shown(screen, "#responses") == [0, 1, 2]


async def test_the_right_option_where_shown_is_scored_right_and_kept_by_id(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    learner_ids(monkeypatch, ANNA)
    assert shuffled(ANNA, "quiz", 0, 5)[0] != 0  # the right option is not first for her
    app = make_app(data_dir, course=ORDERING)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, MODULE, "quiz")
        await click(pilot, radio_labelled(screen, "#answer-0", "Hvordan var det for dig?"))
        await click(pilot, radio_labelled(screen, "#answer-1", "Alle ovenstående"))
        await click(pilot, "#quiz-submit")
        assert "2 af 2 spørgsmål (100\u00a0%)" in text(screen.query_one("#quiz-result", Static))
        assert text(screen.query_one("#feedback-0 .option-verdict")) == (
            "✓ Rigtigt – du valgte: Hvordan var det for dig?"
        )
        await flush_writes(app)
        # Facts (what exports read) hold the score; the state holds option ids.
        assert saved(data_dir, ANNA, "quiz") == (
            {"score": 100.0, "attempts": 1},
            {"answers": {"0": [0], "1": [3]}, "submitted": True},
        )
    app = make_app(data_dir, course=ORDERING)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("enter")  # the only profile; resumes at the quiz
        await wait_for_workers(app, pilot)
        resumed = app.screen
        assert isinstance(resumed, ModuleScreen) and resumed.current.id == "quiz"
        screen = resumed
        # The answer comes back on the option chosen, at its place in her order.
        chosen = [r for r in screen.query("#answer-0 ChoiceRadio").results(ChoiceRadio)
                  if r.value]
        assert len(chosen) == 1 and "Hvordan var det for dig?" in text(chosen[0])
        assert chosen[0] is screen.query("#answer-0 ChoiceRadio")[
            shuffled(ANNA, "quiz", 0, 5).index(0)
        ]


async def test_the_best_response_where_shown_is_recorded_by_id(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    learner_ids(monkeypatch, ANNA)
    assert shuffled(ANNA, "samtale", 0, 4)[0] != 0  # the best response is not first for her
    app = make_app(data_dir, course=ORDERING)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, MODULE, "samtale")
        assert shown(screen, "#responses") == shuffled(ANNA, "samtale", 0, 4)
        best = radio_labelled(screen, "#responses", "Det lyder som en tung dag.")
        await click(pilot, best)
        await click(pilot, "#scenario-choose")
        assert text(screen.query_one("#chosen .quality")) == "★ Bedste svar"
        assert "(dit valg)" in text(best)
        # Exploring another response leaves the choice as it was.
        await click(pilot, radio_labelled(screen, "#responses", "Hvad skete der?"))
        assert screen.query_one("#explored .feedback", Markdown).source == (
            "Åbent, men uden følelsen."
        )
        await flush_writes(app)
        assert saved(data_dir, ANNA, "samtale") == (
            {"turns_answered": 1, "ended": False}, {"choices": [0]})
    app = make_app(data_dir, course=ORDERING)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("enter")  # the only profile; resumes at the scenario
        await wait_for_workers(app, pilot)
        resumed = app.screen
        assert isinstance(resumed, ModuleScreen) and resumed.current.id == "samtale"
        said = [text(line) for line in resumed.query("#turn-0 DialogueLine")]
        assert "Du: »Det lyder som en tung dag.«" in said
        assert text(resumed.query_one("#turn-0 .quality")) == "★ Bedste svar"
