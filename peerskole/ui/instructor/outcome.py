"""The outcome at a glance: the anonymised figures of the chosen group, drawn in the terminal.

The same :class:`peerskole.export.outcome_chart.OutcomeChart` as the PNG/SVG of
``peerskole report outcomes``: nothing for a group of fewer than 5, no name, no text a
learner wrote. textual-plotext is imported with this screen, not before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual_plotext import PlotextPlot

from peerskole.export.outcomes import MIN_LEARNERS
from peerskole.safe_text import visible
from peerskole.ui.instructor import instructor_app
from peerskole.ui.translate import translate_bindings

if TYPE_CHECKING:
    from peerskole.export.outcome_chart import Assessment, ModuleFigures, OutcomeChart


class OutcomeScreen(Screen[None]):
    """Self-assessment before and after, and time and practice per module, for one group."""

    DEFAULT_CSS = """
    #outcome {
        padding: 0 1;
    }
    #outcome PlotextPlot {
        height: 14;
        margin: 0 0 1 0;
    }
    #outcome Static {
        height: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "key.back", tooltip="tip.back_instructor"),
    ]

    def __init__(self, cohort: str | None, course_id: str) -> None:
        super().__init__()
        self.cohort = cohort
        self.course_id = course_id
        self.chart: OutcomeChart | None = None

    def compose(self) -> ComposeResult:
        t = instructor_app(self).t
        translate_bindings(self, t)
        yield Static(t("instructor.outcome_title"), classes="screen-title", markup=False)
        with VerticalScroll(id="outcome"):
            yield Static(t("instructor.loading"), id="outcome-head", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#outcome", VerticalScroll).focus()
        self.load()

    @work(thread=True, exclusive=True, group="outcome")
    def load(self) -> None:
        chart = instructor_app(self).read_outcome(self.cohort, self.course_id)
        self.app.call_from_thread(self._loaded, chart)

    def _loaded(self, chart: OutcomeChart) -> None:
        t = instructor_app(self).t
        self.chart = chart
        head = self.query_one("#outcome-head", Static)
        group = visible(chart.group, "?") if chart.group else t("instructor.whole_course")
        if chart.empty:
            head.update(t("instructor.outcome_too_few", group=group, n=MIN_LEARNERS))
            return
        head.update(t("instructor.outcome_head", group=group, count=chart.learners,
                      n=MIN_LEARNERS))
        scroll = self.query_one("#outcome", VerticalScroll)
        for assessment in chart.assessments:
            scroll.mount(self._ratings_plot(assessment))
            scroll.mount(Static(self._statement_key(assessment), classes="statement-key",
                                markup=False))
        scroll.mount(self._modules_plot(chart.modules))
        scroll.mount(Static("\n".join(
            f"{index}. {visible(module.title, '?')} – "
            + (t("instructor.fewer", n=MIN_LEARNERS) if module.minutes_mean is None
               else t("instructor.module_figures", minutes=f"{module.minutes_mean:.0f}",
                      entries="–" if module.practice_mean is None
                      else f"{module.practice_mean:.1f}"))
            for index, module in enumerate(chart.modules, start=1)
        ), classes="statement-key", markup=False))

    def _ratings_plot(self, assessment: Assessment) -> PlotextPlot:
        t = instructor_app(self).t
        plot = PlotextPlot()
        plt = plot.plt
        numbers = [str(i + 1) for i in range(len(assessment.statements))]
        # The runtime takes labels=; the shipped stub names it label (textual-plotext 1.0.1).
        plt.multiple_bar(  # type: ignore[call-arg]
            numbers,
            [[r.before or 0.0 for r in assessment.statements],
             [r.after or 0.0 for r in assessment.statements]],
            labels=[t("instructor.before"), t("instructor.after")],
            orientation="horizontal",
        )
        plt.xlim(0, 5)
        plt.title(visible(f"{assessment.module_title}: {assessment.step_title}", "?"))
        return plot

    def _statement_key(self, assessment: Assessment) -> str:
        t = instructor_app(self).t
        lines = []
        for index, ratings in enumerate(assessment.statements, start=1):
            figures = (t("instructor.fewer", n=MIN_LEARNERS) if ratings.before is None
                       else f"{ratings.before:.1f} → {ratings.after or 0:.1f} (n = {ratings.n})")
            lines.append(f"{index}. {visible(ratings.statement, '?')} – {figures}")
        return "\n".join(lines)

    def _modules_plot(self, modules: tuple[ModuleFigures, ...]) -> PlotextPlot:
        t = instructor_app(self).t
        plot = PlotextPlot()
        plt = plot.plt
        plt.bar([str(i + 1) for i in range(len(modules))],
                [m.minutes_mean or 0.0 for m in modules], label=t("instructor.minutes_mean"))
        plt.title(t("instructor.modules_title"))
        return plot
