"""A self-assessment: statements rated 1–5 at the start of a module and again at the end."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Final, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Button, Markdown, RadioButton, RadioSet, Static

from peerskole.answers import DRAFT_KEY, SCALE, unsaved_ratings, valid_ratings
from peerskole.session import StepData
from peerskole.ui.steps.base import StepView

FULL: Final = "█"
"""A bar cell up to the rating; it differs from EMPTY in shape, not only colour."""

EMPTY: Final = "░"
"""A bar cell above the rating."""

Mode = Literal["rate-before", "rate-after", "waiting", "compare"]


class RatingButton(RadioButton):
    """A radio button that shows its state by shape, not colour alone: ▐●▌ on, ▐ ▌ off.

    Textual's radio button draws the same dot in both states and tells them
    apart by colour only, which some trainees cannot see.
    """

    BUTTON_INNER = " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "●" if self.value else " "
        super().watch_value()



class RatingScale(RadioSet):
    """One statement's choice of 1–5; the number keys choose directly.

    Args:
        rating: the rating to show as chosen, if any.
        widget_id: the widget id.
    """

    DEFAULT_CSS = """
    RatingScale {
        layout: horizontal;
        width: auto;
        & > RatingButton {
            width: auto;
            margin: 0 1 0 0;
        }
        /* The keyboard cursor is underlined too, not only coloured. */
        &:focus > RatingButton.-selected > .toggle--label {
            text-style: bold underline;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(str(n), f"rate({n})", str(n), show=False) for n in SCALE
    ]

    def __init__(self, rating: int | None, *, widget_id: str) -> None:
        super().__init__(*(RatingButton(str(n), n == rating) for n in SCALE), id=widget_id)

    @property
    def rating(self) -> int | None:
        """The chosen rating, or None while none is chosen."""
        index = self.pressed_index
        return index + 1 if index >= 0 else None

    def action_rate(self, rating: int) -> None:
        """Choose a rating, as a click on its button would."""
        self.query(RatingButton)[rating - 1].value = True


def rating_bar(label: str, rating: int, width: int) -> str:
    """One line of the before/after chart, e.g. ``"Før    ███░░ 3"``.

    Args:
        label: "Før" or "Efter" in the trainee's language.
        rating: 1–5.
        width: the width to pad the label to, so the bars line up.
    """
    return f"{label.ljust(width)}  {FULL * rating}{EMPTY * (SCALE[-1] - rating)} {rating}"


class SelfAssessmentView(StepView):
    """Rates the statements, shows the first ratings while waiting, then before and after.

    What it shows follows from the ratings already given:

    - none yet: a form for the "before" ratings;
    - "before" only, with the rest of the module still to do: the ratings,
      read-only, and that they will rate again at the end (they may still
      change them);
    - "before" only, with the rest done (the module screen opens it in phase
      "after"): a form for the "after" ratings;
    - both: a chart of before beside after for each statement.
    """

    DEFAULT_CSS = """
    SelfAssessmentView {
        & .assessment-lead, & #assessment-scale, & #assessment-message {
            height: auto;
            margin: 0 0 1 0;
        }
        & #assessment-scale {
            border-left: wide $accent;
            padding: 0 1;
        }
        & .statement {
            height: auto;
            text-style: bold;
        }
        & RatingScale {
            margin: 0 0 1 0;
        }
        & .ratings {
            height: auto;
            padding: 0 0 0 3;
            margin: 0 0 1 0;
        }
        & #assessment-message {
            color: $text-warning;
        }
    }
    """

    def __init__(self, data: StepData) -> None:
        super().__init__(data)
        step = data.step
        assert step.kind == "self_assessment"
        self._count = len(step.statements)
        # The facts as this view last sent them: Progressed replaces the record's facts
        # whole, so every send carries everything, not only the phase just rated.
        self._facts: dict[str, Any] = dict(data.record.facts) if data.record else {}
        self._mode: Mode = self._mode_for(self._facts)
        self._rating_now = self._mode == "rate-after" and data.phase != "after"
        self._draft_sent: Mapping[str, Any] | None = None
        """The unsaved ratings last sent up; None before any (the stored state counts)."""

    def _mode_for(self, facts: Mapping[str, Any]) -> Mode:
        before = valid_ratings(facts.get("before"), self._count)
        after = valid_ratings(facts.get("after"), self._count)
        if before is None:
            return "rate-before"
        if after is not None:
            return "compare"
        if self.data.phase == "after" or self.data.others_done:
            return "rate-after"
        return "waiting"

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        step = self.data.step
        assert step.kind == "self_assessment"
        if step.intro:
            yield Markdown(step.intro, classes="assessment-intro")
        if self._mode in ("rate-before", "rate-after"):
            yield from self._compose_form()
        elif self._mode == "waiting":
            yield from self._compose_waiting()
        else:
            yield from self._compose_comparison()

    def _compose_form(self) -> ComposeResult:
        t = self.t
        phase = "before" if self._mode == "rate-before" else "after"
        lead = "assessment.intro_before"
        if phase == "after":
            lead = "assessment.intro_after_now" if self._rating_now else "assessment.intro_after"
        yield Static(t(lead), classes="assessment-lead", markup=False)
        yield Static(
            "\n".join((t("assessment.scale"), t("assessment.scale_low"),
                       t("assessment.scale_high"))),
            id="assessment-scale", markup=False,
        )
        # Ratings chosen and not yet saved come back as they were left; else changing
        # earlier answers starts from them; the after-ratings start blank so the
        # trainee rates where they are now, not where they were.
        current: list[int | None] | None = self._unsaved(phase)
        if current is None:
            saved = valid_ratings(self._facts.get(phase), self._count)
            current = list(saved) if saved else None
        for index, statement in enumerate(self._statements()):
            yield Static(f"{index + 1}. {statement}", classes="statement", markup=False)
            yield RatingScale(current[index] if current else None, widget_id=f"rating-{index}")
        yield Static("", id="assessment-message", markup=False)
        yield Button(t("assessment.save"), id="assessment-save", variant="primary")

    def _compose_waiting(self) -> ComposeResult:
        t = self.t
        before = valid_ratings(self._facts.get("before"), self._count) or []
        width = len(t("assessment.before"))
        yield Static(t("assessment.your_before"), classes="assessment-lead", markup=False)
        for index, statement in enumerate(self._statements()):
            yield Static(f"{index + 1}. {statement}", classes="statement", markup=False)
            yield Static(rating_bar(t("assessment.before"), before[index], width),
                         classes="ratings", markup=False)
        yield Static(t("assessment.waiting"), classes="assessment-lead", markup=False)
        yield Button(t("assessment.change_before"), id="assessment-change")

    def _compose_comparison(self) -> ComposeResult:
        t = self.t
        before = valid_ratings(self._facts.get("before"), self._count) or []
        after = valid_ratings(self._facts.get("after"), self._count) or []
        before_label, after_label = t("assessment.before"), t("assessment.after")
        width = max(len(before_label), len(after_label))
        yield Static(t("assessment.result"), classes="assessment-lead", markup=False)
        for index, statement in enumerate(self._statements()):
            change = after[index] - before[index]
            moved = f"(+{change})" if change > 0 else f"(−{-change})" if change < 0 else (
                f"({t('assessment.same')})"
            )
            chart = "\n".join((
                rating_bar(before_label, before[index], width),
                f"{rating_bar(after_label, after[index], width)}  {moved}",
            ))
            yield Static(f"{index + 1}. {statement}", classes="statement", markup=False)
            yield Static(chart, classes="ratings", markup=False)
        yield Button(t("assessment.change_after"), id="assessment-change")

    def _statements(self) -> list[str]:
        step = self.data.step
        assert step.kind == "self_assessment"
        return list(step.statements)

    def main_control(self) -> Widget | None:
        # The first statement while rating; none when the ratings are only shown.
        scales = self.query(RatingScale)
        return scales.first() if scales else None

    def _focus_first_question(self) -> None:
        control = self.main_control()
        if control is not None:
            control.focus(scroll_visible=False)

    # --- what the trainee does ---------------------------------------------------------------

    def _unsaved(self, phase: str) -> list[int | None] | None:
        """Ratings chosen in this phase and not saved yet (kept with the step's state)."""
        state = self.data.state if self._draft_sent is None else {DRAFT_KEY: self._draft_sent}
        return unsaved_ratings(state, phase, self._count)

    @on(RadioSet.Changed, "RatingScale")
    def keep_unsaved_ratings(self) -> None:
        """A rating chosen is kept at once, as a draft: leaving the step (or the app)
        before "Gem" must not lose it. Only "Gem" makes it the step's rating."""
        if self._mode not in ("rate-before", "rate-after"):
            return
        phase = "before" if self._mode == "rate-before" else "after"
        draft = {"phase": phase, "ratings": [scale.rating for scale in self.query(RatingScale)]}
        if draft != self._draft_sent:
            self._draft_sent = draft
            self.report(self.Progressed(state={DRAFT_KEY: draft}))

    @on(Button.Pressed, "#assessment-save")
    async def save_ratings(self) -> None:
        ratings = [scale.rating for scale in self.query(RatingScale)]
        missing = [str(i + 1) for i, rating in enumerate(ratings) if rating is None]
        if missing:
            message = self.query_one("#assessment-message", Static)
            message.update(self.t("assessment.missing", numbers=", ".join(missing)))
            self.query_one(f"#rating-{int(missing[0]) - 1}", RatingScale).focus()
            return
        phase = "before" if self._mode == "rate-before" else "after"
        self._facts = {**self._facts, phase: [r for r in ratings if r is not None]}
        self._draft_sent = {}  # saved: no draft left
        self.report(self.Progressed(facts=self._facts, state={}))
        if phase == "before" and self.data.others_done:
            self._mode, self._rating_now = "rate-after", True
        else:
            self._mode = self._mode_for(self._facts)
        await self.recompose()
        self._focus_first_question()

    @on(Button.Pressed, "#assessment-change")
    async def change_ratings(self) -> None:
        self._mode = "rate-before" if self._mode == "waiting" else "rate-after"
        self._rating_now = False
        await self.recompose()
        self._focus_first_question()
