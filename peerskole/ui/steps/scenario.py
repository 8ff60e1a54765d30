"""A scenario: a situation, then a conversation the trainee answers turn by turn.

Each turn the other person says something and the trainee chooses a response.
The choice is recorded at once and shown with its quality, the principle it
keeps or breaks, the feedback and what the person might say back. The trainee
may then explore the other responses, which never changes the recorded choice,
and goes on with "Videre" to the turn the choice leads to (the rule is
:func:`peerskole.course.branching.scenario_path`'s); earlier turns stay above as
the conversation so far.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import ScrollableContainer, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Markdown, RadioSet, Static

from peerskole.answers import QUALITY_KEYS
from peerskole.course.branching import ScenarioPath, is_branching, scenario_path
from peerskole.course.model import Scenario, ScenarioResponse, ScenarioTurn
from peerskole.session import StepData
from peerskole.ui.steps.base import StepView
from peerskole.ui.steps.quiz import ChoiceRadio, ChoiceSet, clicked_choice, focus_scroll_pane


def saved_path(scenario: Scenario, raw: object) -> ScenarioPath:
    """The trainee's path so far, from the saved choices that still fit the scenario.

    Args:
        scenario: the scenario step.
        raw: ``state["choices"]`` as saved (JSON, maybe from an earlier version of the
            course; see :func:`~peerskole.course.branching.scenario_path`).
    """
    return scenario_path(scenario, raw if isinstance(raw, list) else [])


class DialogueLine(Static):
    """One line of the conversation in a speech bubble; the trainee's own lines sit indented.

    Who speaks is said in the words ("Maja: …", "Du: …"), not by the bubble's colour.

    Args:
        text: the whole line, speaker included; never read as markup.
        own: whether the trainee says it.
    """

    DEFAULT_CSS = """
    DialogueLine {
        width: auto;
        max-width: 100%;
        height: auto;
        border: round $secondary;
        padding: 0 1;
        &.own {
            margin: 0 0 0 4;
            border: round $primary;
        }
    }
    """

    def __init__(self, text: str, *, own: bool = False) -> None:
        super().__init__(Content(text), classes="own" if own else None)


class ScenarioView(StepView):
    """Shows the situation and the conversation, and records a choice per turn.

    Facts sent up: ``{"turns_answered": n, "ended": bool}``. State sent up:
    ``{"choices": [response index per turn answered, in the order met]}``: the
    response's index in the file, not its place on screen, where each trainee has an
    order of their own. On return every answered turn is shown as part of the
    conversation and the turn the path has reached is open.

    Widgets count turns by their place on the path (``#turn-0`` is the first met),
    not by their place in the file: a branching path skips turns and may meet one again.
    """

    DEFAULT_CSS = """
    ScenarioView {
        & Markdown {
            padding: 0;
        }
        & #conversation {
            height: auto;
        }
        & .feedback > MarkdownParagraph:last-child {
            margin: 0;
        }
        & .turn {
            height: auto;
            margin: 0 0 1 0;
        }
        & .turn-number {
            height: auto;
            text-style: bold;
        }
        & .turn-prompt {
            height: auto;
            margin: 1 0 0 0;
        }
        & .outcome, & #explored {
            height: auto;
        }
        & .outcome {
            margin: 1 0 0 0;
        }
        & .explored-what {
            height: auto;
            text-style: bold;
        }
        & .verdict {
            height: auto;
            margin: 0 0 0 4;
            border-left: wide $accent;
            padding: 0 1;
        }
        & .quality {
            text-style: bold;
        }
        & .explore-hint {
            height: auto;
            color: $text-muted;
            margin: 1 0 0 0;
        }
        & #explored {
            border: dashed $secondary;
            padding: 0 1;
            margin: 1 0 0 0;
        }
        & #scenario-message {
            height: auto;
            color: $text-warning;
        }
        & #scenario-choose, & #scenario-continue {
            margin: 1 0 0 0;
        }
        & #scenario-end {
            height: auto;
            border: round $primary;
            padding: 0 1;
        }
    }
    """

    def __init__(self, data: StepData) -> None:
        super().__init__(data)
        assert isinstance(data.step, Scenario)
        self.scenario: Scenario = data.step
        # The facts as this view last sent them: Progressed replaces the record's facts whole.
        self._facts: dict[str, Any] = dict(data.record.facts) if data.record else {}
        path = saved_path(self.scenario, data.state.get("choices"))
        self._choices = list(path.choices)
        """The response chosen at each turn met, in order."""
        self._turns = list(path.turns)
        """The index in the file of each turn met, in order."""
        self._open_turn: int | None = path.open_turn
        """The index in the file of the turn shown open; None once the path ended."""
        self._chosen = False
        """Whether the open turn's choice is made ("Vælg" pressed, "Videre" not yet)."""
        self._branching = is_branching(self.scenario)
        self._candidate: int | None = None
        """The response highlighted in the open turn before "Vælg" is pressed."""

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Markdown(self.scenario.situation, classes="scenario-situation")
        with Vertical(id="conversation"):
            for place in range(len(self._choices)):
                yield self._answered_turn(place)
        yield self._open_turn_or_end()

    def main_control(self) -> Widget | None:
        # The responses of the open turn; none once the conversation is over.
        found = self.query("#responses").filter("RadioSet")
        return found.first() if found else None

    def arrive(self, rows: int) -> Widget | None:
        control = self.main_control()
        if control is None:
            return None
        if self._choices:
            self.keep_in_view(control)
            return control
        # A first visit opens with the situation in view (the pane is at its top): it is
        # what the responses answer. The responses take the keys if they are in view
        # too; else the pane does, and the arrows (or Tab) read on down to them.
        pane = next((a for a in self.ancestors if isinstance(a, ScrollableContainer)), None)
        if pane is not None and control.region.bottom > pane.scrollable_content_region.bottom:
            return None
        return control

    def keep_in_view(self, focused: Widget) -> None:
        """The open turn's responses with what the other person says above them (and
        the turn's number) as far as they fit in the pane: all the responses if they
        can, else the one under the cursor; when the line does not fit above it, that
        response alone."""
        if not (isinstance(focused, ChoiceSet) and focused.id == "responses"
                and focused.parent is not None):
            super().keep_in_view(focused)
            return
        turn = focused.parent
        lead = [turn.query_one(".turn-number"), turn.query_one(DialogueLine)]
        self.show_together(lead, [focused, focused.highlighted or focused])

    @property
    def _open(self) -> int:
        """The open turn's place on the path."""
        return len(self._choices) - 1 if self._chosen else len(self._choices)

    def _open_turn_or_end(self) -> Widget:
        t = self.t
        if self._open_turn is None:
            return Static(t("scenario.finished"), id="scenario-end", markup=False)
        turn = self.scenario.turns[self._open_turn]
        continue_button = Button(t("scenario.continue"), id="scenario-continue",
                                 variant="primary")
        continue_button.display = False  # shown once a response is chosen
        message = Static("", id="scenario-message", markup=False)
        message.display = False  # shown when "Vælg" is pressed with nothing chosen
        explored = Vertical(id="explored")
        explored.display = False  # shown while another response is explored
        return Vertical(
            self._turn_number(self._open),
            DialogueLine(self._says(turn.speaker, turn.says)),
            Static(t("scenario.your_turn"), classes="turn-prompt", markup=False),
            ChoiceSet(*self._response_radios(self._open_turn), id="responses"),
            message,
            Button(t("scenario.choose"), id="scenario-choose", variant="primary"),
            explored,
            Vertical(id="chosen", classes="outcome"),
            continue_button,
            classes="turn open-turn",
            id=f"turn-{self._open}",
        )

    def _response_radios(self, index: int) -> list[ChoiceRadio]:
        """The responses of a turn, in the order this trainee sees them."""
        responses = self.scenario.turns[index].responses
        return [
            ChoiceRadio(responses[n].text, option=n, id=f"response-{n}")
            for n in self.data.order(index, len(responses))
        ]

    def _answered_turn(self, place: int) -> Widget:
        """A turn already answered, as part of the conversation so far.

        Args:
            place: the turn's place on the path.
        """
        turn = self.scenario.turns[self._turns[place]]
        return Vertical(
            self._turn_number(place),
            DialogueLine(self._says(turn.speaker, turn.says)),
            Vertical(*self._outcome(turn, self._choices[place]), classes="outcome"),
            classes="turn answered-turn",
            id=f"turn-{place}",
        )

    def _turn_number(self, place: int) -> Static:
        # A branching path's length is not known ahead: only the place is said.
        if self._branching:
            text = self.t("scenario.turn_n", n=place + 1)
        else:
            text = self.t("scenario.turn_of", n=place + 1, total=len(self.scenario.turns))
        return Static(text, classes="turn-number", markup=False)

    def _outcome(self, turn: ScenarioTurn, choice: int) -> Iterable[Widget]:
        """The trainee's line, what it earns, and what the person says back."""
        response = turn.responses[choice]
        yield DialogueLine(self.t("scenario.you_say", text=response.text), own=True)
        yield self._verdict(response)
        if response.reply:
            yield DialogueLine(self._says(turn.speaker, response.reply))

    def _verdict(self, response: ScenarioResponse) -> Widget:
        t = self.t
        return Vertical(
            Static(t(QUALITY_KEYS[response.quality]), classes="quality", markup=False),
            Static(t("scenario.principle", principle=response.principle),
                   classes="principle", markup=False),
            Markdown(response.feedback, classes="feedback"),
            classes="verdict",
        )

    def _says(self, speaker: str, text: str) -> str:
        return self.t("scenario.says", speaker=speaker, says=text)

    # --- what the trainee does ------------------------------------------------------------

    @on(RadioSet.Changed, "#responses")
    async def show_or_explore_response(self, event: RadioSet.Changed) -> None:
        assert isinstance(event.pressed, ChoiceRadio)
        if not self._chosen:
            # Not yet answered: the choice counts only when "Vælg" is pressed.
            self._candidate = event.pressed.option
            self.query_one("#scenario-message", Static).display = False
            return
        await self._explore(event.pressed.option)

    @on(ChoiceSet.CursorMoved, "#responses")
    def keep_turn_with_the_cursor(self, event: ChoiceSet.CursorMoved) -> None:
        self.keep_in_view(event.choice_set)

    @on(events.Click)
    def keep_turn_with_the_clicked_response(self, event: events.Click) -> None:
        control = clicked_choice(event)
        if control is not None:
            self.call_after_refresh(self.keep_in_view, control)

    @on(Button.Pressed, "#scenario-choose")
    async def choose_response(self) -> None:
        responses = self.query_one("#responses", RadioSet)
        if self._candidate is None:
            message = self.query_one("#scenario-message", Static)
            message.update(self.t("scenario.choose_first"))
            message.display = True
            responses.focus()
            return
        assert self._open_turn is not None
        turn = self.scenario.turns[self._open_turn]
        choice = self._candidate
        self._choices.append(choice)
        self._turns.append(self._open_turn)
        self._chosen = True
        path = scenario_path(self.scenario, self._choices)
        self._facts = {**self._facts, "turns_answered": len(self._choices),
                       "ended": path.ended}
        self.report(self.Progressed(facts=self._facts, state={"choices": self._choices}))
        # The list stays for exploring; the chosen response says it is the choice.
        label = self.t("scenario.your_choice", text=turn.responses[choice].text)
        responses.query_one(f"#response-{choice}", ChoiceRadio).set_text(label)
        self.query_one("#scenario-choose", Button).display = False
        chosen = self.query_one("#chosen", Vertical)
        await chosen.mount_all([
            *self._outcome(turn, choice),
            Static(self.t("scenario.explore"), classes="explore-hint", markup=False),
        ])
        go_on = self.query_one("#scenario-continue", Button)
        go_on.display = True
        go_on.focus(scroll_visible=False)
        self.call_after_refresh(self._show_from, chosen, go_on)

    @on(Button.Pressed, "#scenario-continue")
    async def next_turn(self) -> None:
        """Move the answered turn into the conversation and open the one it leads to."""
        answered = self._open
        focus_scroll_pane(self)  # "Videre" is about to go; keep the view where it is
        await self.query_one(f"#turn-{answered}").remove()
        await self.query_one("#conversation", Vertical).mount(self._answered_turn(answered))
        path = scenario_path(self.scenario, self._choices)
        self._open_turn = path.open_turn
        self._chosen = False
        self._candidate = None
        following = self._open_turn_or_end()
        await self.mount(following)
        focused: Widget = following
        if self._open_turn is not None:
            focused = self.query_one("#responses", RadioSet)
            focused.focus(scroll_visible=False)
        self.call_after_refresh(self._show_from, following, focused)

    def _show_from(self, top: Widget, focused: Widget) -> None:
        """Scroll ``top`` to the top of the pane, then as far on as ``focused`` needs.

        What came of a choice reads from its start, and "Videre" (or the responses of
        the next turn) stays in view when it all does not fit.
        """
        top.scroll_visible(top=True, animate=False, immediate=True)
        focused.scroll_visible(animate=False, immediate=True)

    async def _explore(self, index: int) -> None:
        """Show what another response would have earned, apart from the choice."""
        explored = self.query_one("#explored", Vertical)
        await explored.remove_children()
        assert self._open_turn is not None
        turn = self.scenario.turns[self._open_turn]
        # Back on the chosen response, its feedback above is all there is to show.
        explored.display = index != self._choices[-1]
        if not explored.display:
            return
        response = turn.responses[index]
        parts: list[Widget] = [
            Static(self.t("scenario.explored", text=response.text), classes="explored-what",
                   markup=False),
            self._verdict(response),
        ]
        if response.reply:
            parts.append(DialogueLine(self._says(turn.speaker, response.reply)))
        await explored.mount_all(parts)
        # Bring what was explored into view; the list stays above it as far as room allows.
        self.call_after_refresh(explored.scroll_visible, animate=False)
