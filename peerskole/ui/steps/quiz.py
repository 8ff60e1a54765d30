"""A quiz: questions with options, feedback on every chosen option, and a pass mark.

The trainee chooses, presses "Svar" and sees, per question, each chosen option
marked right or wrong (in a symbol and a word) with its feedback, the right
options they missed, and the score against the pass mark. "Prøv igen" clears
the answers for a new attempt; the best score is kept, so a passed quiz stays
passed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Final

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Markdown, RadioButton, RadioSet, Static

from peerskole.answers import listed, normalised_answers, percent, quiz_state
from peerskole.course.model import Quiz, QuizQuestion
from peerskole.progress import answered_right, done_test, quiz_attempt, quiz_score
from peerskole.session import StepData
from peerskole.ui.steps.base import StepView
from peerskole.ui.textual_compat import toggle_button

TOGGLE_WIDTH: Final = 3
"""Cells taken by a toggle's button (▐●▌); the label's wrapped lines indent by as much."""

MIN_LABEL_WIDTH: Final = 8
"""Narrowest the label is wrapped to, so a squeezed layout still shows whole words."""


def _label_lines(label: Content, width: int) -> list[Content]:
    """The label wrapped beside the button, leaving a space either side of it."""
    return label.wrap(max(width - TOGGLE_WIDTH - 2, MIN_LABEL_WIDTH))


def _render_wrapped(toggle: RadioButton | Checkbox, label: Content) -> Content:
    """A toggle with its label wrapped onto as many lines as it needs.

    Textual's toggles show one line and cut the rest with an ellipsis; an answer
    option must be read whole.
    """
    label_style = toggle.get_visual_style("toggle--label")
    rows: list[Content] = []
    for number, line in enumerate(_label_lines(label, toggle.size.width)):
        # The styled ▐●▌ first; later lines hang under the label.
        button = toggle_button(toggle) if number == 0 else Content(" " * TOGGLE_WIDTH)
        rows.append(Content.assemble(button, line.pad(1, 1).stylize_before(label_style)))
    return Content("\n").join(rows)


def clicked_choice(event: events.Click) -> ChoiceSet | ChoiceCheckbox | None:
    """The options a click landed in (a radio set, or one box), if they have the focus.

    A step scrolls for them after the click, not as the mouse press moves the focus:
    had the content moved under the pointer before the button came up, Textual would
    not count the click.
    """
    node = event.widget
    while node is not None and not isinstance(node, (ChoiceSet, ChoiceCheckbox)):
        node = node.parent if isinstance(node.parent, Widget) else None
    if node is not None and node.screen.focused is node:
        return node
    return None


def focus_scroll_pane(widget: Widget) -> None:
    """Focus the pane the widget scrolls in, without scrolling it.

    Used when the focused control goes away or its job is done: the arrow keys
    then scroll on through what is shown, and Textual does not move focus (and
    the view) to the first control on the screen.
    """
    for ancestor in widget.ancestors:
        if isinstance(ancestor, ScrollableContainer) and ancestor.focusable:
            ancestor.focus(scroll_visible=False)
            return


class ChoiceRadio(RadioButton):
    """A radio button whose label wraps, and whose state shows by shape: ▐●▌ on, ▐ ▌ off.

    Textual's radio button draws the same dot in both states and tells them
    apart by colour only, which some trainees cannot see.

    Args:
        text: the option as the course writes it; never read as markup.
        value: whether it starts chosen.
        option: the option's id (its index in the course file), whatever its place on screen.
        id: the widget's id.
        disabled: whether it can be changed.
    """

    BUTTON_INNER = " "

    def __init__(
        self, text: str, value: bool = False, *, option: int = 0, id: str | None = None,  # noqa: A002
        disabled: bool = False,
    ) -> None:
        super().__init__(Content(text), value, id=id, disabled=disabled)
        self._full_label = Content(text)
        self.option = option

    def set_text(self, text: str) -> None:
        """Change the label, e.g. to mark the option as the trainee's choice."""
        self._full_label = Content(text)
        self.label = self._full_label  # also refreshes the layout

    def watch_value(self) -> None:
        self.BUTTON_INNER = "●" if self.value else " "
        super().watch_value()

    def render(self) -> Content:
        return _render_wrapped(self, self._full_label)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(_label_lines(self._full_label, width))


class ChoiceCheckbox(Checkbox):
    """A checkbox for one option, wrapping its label and showing ▐X▌ on, ▐ ▌ off.

    A question's boxes are one stop for Tab, as a single-choice question's radio set
    is: only one of them (the first shown, then the last one focused) is in the focus
    chain, so Tab and Shift+Tab pass the question in one step. The arrow keys move
    between its boxes, round its ends; a click focuses the box clicked.

    Args:
        text: the option as the course writes it; never read as markup.
        value: whether it starts ticked.
        question: index of the question it belongs to.
        option: index of the option in its question.
        tab_stop: whether it is the question's box that Tab stops at.
        disabled: whether it can be changed.
    """

    BUTTON_INNER = " "

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,right", "neighbour(1)", show=False),
        Binding("up,left", "neighbour(-1)", show=False),
    ]

    def __init__(
        self, text: str, value: bool, *, question: int, option: int, tab_stop: bool = True,
        disabled: bool = False,
    ) -> None:
        super().__init__(Content(text), value, id=f"option-{question}-{option}",
                         disabled=disabled)
        self._full_label = Content(text)
        self.question = question
        self.option = option
        self.tab_stop = tab_stop

    def allow_focus(self) -> bool:
        # Textual builds the focus chain (Tab's order) from this: one box a question.
        return self.tab_stop and super().allow_focus()

    def _group(self) -> list[ChoiceCheckbox]:
        """This question's boxes, in the order shown."""
        if self.parent is None:
            return [self]
        return list(self.parent.query_children(ChoiceCheckbox))

    def take_tab_stop(self) -> None:
        """Make this the question's box that Tab stops at (and the only one)."""
        for box in self._group():
            box.tab_stop = box is self

    def on_focus(self) -> None:
        self.take_tab_stop()

    def on_click(self) -> None:
        # The click ticks the box (Checkbox's own handler); the focus goes with it.
        # The pressed mouse gave it to the pane first: this box was not focusable then.
        self.take_tab_stop()
        self.focus(scroll_visible=False)

    def action_neighbour(self, direction: int) -> None:
        """Focus the next (1) or previous (-1) option of this question, in the order shown."""
        boxes = [box for box in self._group() if box.display and not box.disabled]
        if self in boxes:
            target = boxes[(boxes.index(self) + direction) % len(boxes)]
            target.take_tab_stop()
            target.focus()

    def watch_value(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()

    def render(self) -> Content:
        return _render_wrapped(self, self._full_label)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(_label_lines(self._full_label, width))


class ChoiceSet(RadioSet):
    """A radio set of options that says when its cursor moves, so the step can follow it.

    Textual's radio set scrolls only itself as Up and Down move its cursor; in a step
    pane shorter than the set, the pane must follow (with the question above the
    options, when both fit).
    """

    class CursorMoved(Message):
        """The cursor moved to another option while the set has the focus."""

        def __init__(self, choice_set: ChoiceSet) -> None:
            super().__init__()
            self.choice_set = choice_set

        @property
        def control(self) -> ChoiceSet:
            return self.choice_set

    @property
    def highlighted(self) -> RadioButton | None:
        """The option under the cursor (the one Enter or Space chooses); else the chosen one."""
        # _selected is the cursor's place in the pinned Textual.
        if self._selected is not None and self._selected < len(self.children):
            button = self.children[self._selected]
            if isinstance(button, RadioButton):
                return button
        return self.pressed_button

    def action_next_button(self) -> None:
        super().action_next_button()
        self._cursor_moved()

    def action_previous_button(self) -> None:
        super().action_previous_button()
        self._cursor_moved()

    def _cursor_moved(self) -> None:
        # Not as the set is mounted (Textual moves the cursor to the first option then).
        if self.has_focus:
            self.post_message(self.CursorMoved(self))


class SingleChoice(ChoiceSet):
    """The options of a single-choice question.

    Args:
        question: the question's index.
        options: (option id, text) of each option, in the order shown.
        chosen: the id of the option chosen before, if any.
        disabled: whether the choice is locked (after answering).
    """

    def __init__(
        self, question: int, options: Iterable[tuple[int, str]], chosen: int | None, *,
        disabled: bool,
    ) -> None:
        radios = [
            ChoiceRadio(text, option == chosen, option=option, id=f"option-{question}-{option}")
            for option, text in options
        ]
        super().__init__(*radios, id=f"answer-{question}", classes="quiz-answer",
                         disabled=disabled)
        self.question = question
        # The cursor is a position on screen; the chosen option's, not its id.
        self._chosen = next((n for n, r in enumerate(radios) if r.option == chosen), None)

    def on_mount(self) -> None:
        # RadioSet's own mount handler, which runs after this one, puts the cursor on the
        # first option; move it to the chosen one, or hide it once the answer is locked,
        # so the highlight is never mistaken for the answer.
        self.call_after_refresh(self._place_cursor)

    def _place_cursor(self) -> None:
        if self.disabled:
            self._selected = None
        elif self._chosen is not None:
            self._selected = self._chosen


class QuizView(StepView):
    """Asks the questions, checks the answers and keeps the best score.

    Facts sent up: ``{"score": best percent so far, "attempts": n}``. State sent
    up: ``{"answers": {"0": [1], ...}, "submitted": bool}``, so a trainee who
    comes back finds their answers, and the feedback if they had answered. Answers
    are option ids (the index in the file), never places on screen: each trainee
    sees the options in an order of their own.
    """

    DEFAULT_CSS = """
    QuizView {
        & Markdown {
            padding: 0;
        }
        & .quiz-question {
            height: auto;
            margin: 0 0 1 0;
        }
        & .question-number {
            text-style: bold;
            height: auto;
        }
        & .question-hint {
            color: $text-muted;
            height: auto;
        }
        & .checkbox-group {
            height: auto;
            border: tall $border-blurred;
            background: $surface;
            padding: 0 1;
            &:focus-within {
                border: tall $border;
            }
            & > ChoiceCheckbox {
                width: 1fr;
                border: none;
                padding: 0;
                background: transparent;
            }
        }
        & ChoiceCheckbox:focus {
            border: none;
        }
        & .question-feedback {
            height: auto;
            border-left: wide $accent;
            padding: 0 1;
            margin: 1 0 0 0;
        }
        & .question-verdict, & .option-verdict {
            height: auto;
            text-style: bold;
        }
        & .option-feedback {
            margin: 0 0 0 2;
        }
        & #quiz-result {
            height: auto;
            border: round $primary;
            padding: 0 1;
            margin: 0 0 1 0;
        }
        & #quiz-message, & .question-missing {
            height: auto;
            color: $text-warning;
        }
        & #quiz-buttons {
            height: auto;
            margin: 1 0 0 0;
            & > Button {
                margin: 0 1 0 0;
            }
        }
    }
    """

    def __init__(self, data: StepData) -> None:
        super().__init__(data)
        assert isinstance(data.step, Quiz)
        self.quiz: Quiz = data.step
        # The facts as this view last sent them: Progressed replaces the record's facts
        # whole, and the record in data is not updated as the trainee works.
        self._facts: dict[str, Any] = dict(data.record.facts) if data.record else {}
        self._answers = normalised_answers(self.quiz, data.state.get("answers"))
        self._submitted = bool(data.state.get("submitted")) and self._all_answered()
        self._missing: list[int] = []
        # Nothing is sent on leaving unless the answers changed since this.
        self._sent_state = self._state()

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        t = self.t
        if self.quiz.intro:
            yield Markdown(self.quiz.intro, classes="quiz-intro")
        if self._submitted:
            yield Static(self._result_text(), id="quiz-result", markup=False)
        total = len(self.quiz.questions)
        for index, question in enumerate(self.quiz.questions):
            with Vertical(classes="quiz-question", id=f"question-{index}"):
                yield Static(t("quiz.question_number", n=index + 1, total=total),
                             classes="question-number", markup=False)
                yield Markdown(question.text, classes="question-text")
                hint = "quiz.choose_all" if question.multiple else "quiz.choose_one"
                yield Static(t(hint), classes="question-hint", markup=False)
                yield self._options(index, question)
                missing = Static(self._missing_here(index), id=f"missing-{index}",
                                 classes="question-missing", markup=False)
                missing.display = index in self._missing
                yield missing
                if self._submitted:
                    yield self._feedback(index, question)
        message = Static(self._missing_text(), id="quiz-message", markup=False)
        message.display = bool(self._missing)
        yield message
        with Horizontal(id="quiz-buttons"):
            if self._submitted:
                yield Button(t("quiz.retry"), id="quiz-retry", variant="primary")
            else:
                yield Button(t("quiz.submit"), id="quiz-submit", variant="primary")

    def _options(self, index: int, question: QuizQuestion) -> Widget:
        chosen = self._answers.get(index, [])
        shown = [(n, question.options[n].text) for n in self._order(index)]
        if not question.multiple:
            return SingleChoice(index, shown, chosen[0] if chosen else None,
                                disabled=self._submitted)
        return Vertical(
            *(
                ChoiceCheckbox(text, number in chosen, question=index, option=number,
                               tab_stop=place == 0, disabled=self._submitted)
                for place, (number, text) in enumerate(shown)
            ),
            classes="checkbox-group quiz-answer",
            id=f"answer-{index}",
        )

    def _feedback(self, index: int, question: QuizQuestion) -> Widget:
        """What the trainee's answer to one question earns: a verdict, then per option."""
        t = self.t
        chosen = set(self._answers.get(index, []))
        if answered_right(question, chosen):
            verdict = t("quiz.question_right")
        else:
            verdict = t("quiz.question_partly" if question.multiple else "quiz.question_wrong")
        parts: list[Widget] = [Static(verdict, classes="question-verdict", markup=False)]
        for number in self._order(index):  # in the order the options are shown
            option = question.options[number]
            if number in chosen:
                key = "quiz.chosen_right" if option.correct else "quiz.chosen_wrong"
            elif option.correct and question.multiple:
                key = "quiz.missed"
            else:
                continue
            parts.append(Static(t(key, option=option.text), classes="option-verdict",
                                markup=False))
            parts.append(Markdown(option.feedback, classes="option-feedback"))
        return Vertical(*parts, classes="question-feedback", id=f"feedback-{index}")

    def _result_text(self) -> str:
        t = self.t
        score = quiz_score(self.quiz, self._answers)
        right = round(score * len(self.quiz.questions) / 100)
        pass_mark = self.quiz.pass_mark
        lines = [t("quiz.score", right=right, total=len(self.quiz.questions),
                   percent=percent(score), pass_mark=pass_mark)]
        best = self._best()
        passes = done_test(self.quiz)  # the course's rule: the best attempt counts
        if passes({"score": score}):
            lines.append(t("quiz.passed"))
        elif best is not None and passes(self._facts):
            lines.append(t("quiz.passed_before", best=percent(best)))
        else:
            lines.append(t("quiz.not_passed"))
        return "\n".join(lines)

    def _missing_text(self) -> str:
        if not self._missing:
            return ""
        t = self.t
        noun = t("quiz.question_one" if len(self._missing) == 1 else "quiz.question_many")
        return t("quiz.missing", noun=noun, numbers=listed([n + 1 for n in self._missing], t))

    def _missing_here(self, question: int) -> str:
        return self.t("quiz.missing_here") if question in self._missing else ""

    def main_control(self) -> Widget | None:
        if self._submitted:
            return None  # the feedback is read, not answered
        return self._answer_control(self._first_unanswered())

    def arrive(self, rows: int) -> Widget | None:
        control = self.main_control()
        if control is not None:
            self.keep_in_view(control)
        return control

    def keep_in_view(self, focused: Widget) -> None:
        """A question's options with the question above them (its number and text, or
        its text) as far as they fit in the pane: all the options if they can, else the
        focused one; when the question does not fit above it, the focused option alone."""
        question = self._question_of(focused)
        if question is None:
            super().keep_in_view(focused)
            return
        options = question.query_one(".quiz-answer")
        option = focused.highlighted if isinstance(focused, ChoiceSet) else focused
        lead = [question.query_one(".question-number"), question.query_one(".question-text")]
        self.show_together(lead, [options, option or focused])

    def _question_of(self, control: Widget) -> Widget | None:
        """The question whose options ``control`` is (a radio set or a box); else None."""
        if not isinstance(control, (ChoiceSet, ChoiceCheckbox)):
            return None
        return next((a for a in control.ancestors
                     if isinstance(a, Widget) and a.has_class("quiz-question")), None)

    # --- what the trainee does ----------------------------------------------------------------

    @on(RadioSet.Changed, ".quiz-answer")
    def keep_single_choice(self, event: RadioSet.Changed) -> None:
        assert isinstance(event.radio_set, SingleChoice)
        assert isinstance(event.pressed, ChoiceRadio)
        self._answers[event.radio_set.question] = [event.pressed.option]
        self._forget_missing(event.radio_set.question)

    @on(ChoiceSet.CursorMoved)
    def keep_question_with_the_cursor(self, event: ChoiceSet.CursorMoved) -> None:
        self.keep_in_view(event.choice_set)

    @on(events.Click)
    def keep_question_with_the_clicked_option(self, event: events.Click) -> None:
        control = clicked_choice(event)
        if control is not None:
            self.call_after_refresh(self.keep_in_view, control)

    @on(Checkbox.Changed, ".quiz-answer > ChoiceCheckbox")
    def keep_multiple_choice(self, event: Checkbox.Changed) -> None:
        box = event.checkbox
        assert isinstance(box, ChoiceCheckbox)
        chosen = set(self._answers.get(box.question, []))
        if event.value:
            chosen.add(box.option)
        else:
            chosen.discard(box.option)
        if chosen:
            self._answers[box.question] = sorted(chosen)
        else:
            self._answers.pop(box.question, None)
        self._forget_missing(box.question)

    @on(Button.Pressed, "#quiz-submit")
    async def check_answers(self) -> None:
        self._missing = [i for i in range(len(self.quiz.questions)) if i not in self._answers]
        if self._missing:
            self._show_missing()
            # Take the trainee to the first question still without an answer.
            self._focus_answer(self._missing[0])
            return
        self._facts = quiz_attempt(self._facts, quiz_score(self.quiz, self._answers))
        self._submitted = True
        self._sent_state = self._state()
        self.report(self.Progressed(facts=self._facts, state=self._sent_state))
        await self.recompose()
        self._show_result()

    @on(Button.Pressed, "#quiz-retry")
    async def start_again(self) -> None:
        self._answers = {}
        self._submitted = False
        self._missing = []
        self._sent_state = self._state()
        # The best score stays in the facts; only the answers on screen are cleared.
        self.report(self.Progressed(state=self._sent_state))
        await self.recompose()
        self._focus_answer(0)
        self.call_after_refresh(self._scroll_to_top)

    def flush(self) -> None:
        """Send answers chosen but not yet submitted, so they are there on return."""
        state = self._state()
        if state != self._sent_state:
            self._sent_state = state
            self.report(self.Progressed(state=state))

    # --- helpers ------------------------------------------------------------------------------

    def _state(self) -> dict[str, Any]:
        return quiz_state(self._answers, self._submitted)

    def _order(self, question: int) -> Sequence[int]:
        """The option ids of a question in the order this trainee sees them."""
        return self.data.order(question, len(self.quiz.questions[question].options))

    def _all_answered(self) -> bool:
        return all(index in self._answers for index in range(len(self.quiz.questions)))

    def _best(self) -> float | None:
        score = self._facts.get("score")
        if isinstance(score, (int, float)) and not isinstance(score, bool):
            return float(score)
        return None

    def _forget_missing(self, question: int) -> None:
        if question in self._missing:
            self._missing.remove(question)
            self._show_missing()

    def _show_missing(self) -> None:
        """Say which questions need an answer: at the button, and at each question."""
        self._update_shown(self.query_one("#quiz-message", Static), self._missing_text())
        for index in range(len(self.quiz.questions)):
            self._update_shown(self.query_one(f"#missing-{index}", Static),
                               self._missing_here(index))

    @staticmethod
    def _update_shown(widget: Static, text: str) -> None:
        """Show a message, or hide it (and the empty line it would take) when there is none."""
        widget.update(text)
        widget.display = bool(text)

    def _first_unanswered(self) -> int:
        return next((i for i in range(len(self.quiz.questions)) if i not in self._answers), 0)

    def _answer_control(self, question: int) -> Widget | None:
        """The radio set of a single-choice question, or the box of a multiple one that
        Tab stops at (the first shown, unless the trainee has been at another)."""
        found = self.query(f"#answer-{question}")
        if not found:
            return None  # the trainee already moved on, and this view is being removed
        answer = found.first()
        if isinstance(answer, RadioSet):
            return answer
        boxes = list(answer.query_children(ChoiceCheckbox))
        return next((box for box in boxes if box.tab_stop), boxes[0] if boxes else None)

    def _focus_answer(self, question: int) -> None:
        target = self._answer_control(question)
        if target is not None:
            target.focus()

    def _show_result(self) -> None:
        """Put the result where the trainee looks, ready to read on.

        Focus goes to the pane the view scrolls in, not to "Prøv igen": the arrow
        keys then read on through the feedback, and an Enter pressed out of habit
        does not clear the answers just assessed.
        """
        focus_scroll_pane(self)
        result = self.query_one("#quiz-result", Static)
        self.call_after_refresh(result.scroll_visible, top=True, animate=False)

    def _scroll_to_top(self) -> None:
        self.scroll_visible(top=True, animate=False)
