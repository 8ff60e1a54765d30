"""The outcome report at a glance: its figures as a picture, for a report or a screen.

:func:`chart_of` picks from one group of the anonymised outcome report
(:mod:`peerskole.export.outcomes`, with its suppression of small groups) what a chart
shows: each self-assessment's statements before and after, and per module the mean
time on task and practice-log entries. A suppressed figure stays suppressed: it is
drawn as a gap marked "fewer than 5", never guessed.

:func:`write_chart` draws it as PNG or SVG with matplotlib, imported only there; the
instructor's view draws the same :class:`OutcomeChart` in the terminal.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO, Final

from peerskole.export.outcomes import MIN_LEARNERS, GroupOutcome

if TYPE_CHECKING:
    from peerskole.course.model import Course

FORMATS: Final = ("png", "svg")
"""The picture formats :func:`write_chart` writes."""


@dataclass(frozen=True)
class Ratings:
    """One statement's mean rating before and after (None: suppressed or none)."""

    statement: str
    before: float | None
    after: float | None
    n: int | None
    """The learners who rated it both times; None when suppressed."""


@dataclass(frozen=True)
class Assessment:
    module_title: str
    step_title: str
    statements: tuple[Ratings, ...]


@dataclass(frozen=True)
class ModuleFigures:
    title: str
    minutes_mean: float | None
    practice_mean: float | None


@dataclass(frozen=True)
class OutcomeChart:
    """What the chart shows of one group."""

    course_title: str
    group: str | None
    """The cohort, or None for the whole course."""
    learners: int | None
    """None when the group is too small to show anything."""
    assessments: tuple[Assessment, ...]
    modules: tuple[ModuleFigures, ...]

    @property
    def empty(self) -> bool:
        """Nothing to draw: the group is too small or no figure may be shown."""
        return self.learners is None or not (
            any(r.before is not None for a in self.assessments for r in a.statements)
            or any(m.minutes_mean is not None or m.practice_mean is not None
                   for m in self.modules)
        )


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None  # FEWER is text


def chart_of(group: GroupOutcome, course: Course) -> OutcomeChart:
    """The chart of one group of :func:`peerskole.export.outcomes.outcome_groups`."""
    if not isinstance(group.learners, int):
        return OutcomeChart(course.title, group.cohort, None, (), ())
    assessments: list[Assessment] = []
    modules: list[ModuleFigures] = []
    practice: dict[str, float | None] = {}
    for row in group.rows:
        if row.row_type == "practice" and row.module is not None:
            practice[row.module.id] = _number(row.figures.get("practice_entries_mean"))
    for row in group.rows:
        figures = row.figures
        if row.row_type == "module" and row.module is not None:
            modules.append(ModuleFigures(
                row.module.title, _number(figures.get("minutes_on_task_mean")),
                practice.get(row.module.id),
            ))
        elif row.row_type == "self_assessment" and row.module is not None:
            assessments.append(Assessment(row.module.title, row.step_title or "", ()))
        elif row.row_type == "statement" and assessments:
            n = figures.get("n")
            last = assessments[-1]
            assessments[-1] = Assessment(last.module_title, last.step_title, (
                *last.statements,
                Ratings(row.statement_text or "", _number(figures.get("before_mean")),
                        _number(figures.get("after_mean")), n if isinstance(n, int) else None),
            ))
    return OutcomeChart(course.title, group.cohort, group.learners, tuple(assessments),
                        tuple(modules))


def write_chart(chart: OutcomeChart, stream: BinaryIO, picture_format: str) -> None:
    """Draw the chart as PNG or SVG into a binary stream.

    Raises:
        ValueError: for a format not in :data:`FORMATS`.
        OSError: when the stream cannot be written.
    """
    if picture_format not in FORMATS:
        raise ValueError(f"unknown picture format {picture_format!r}")
    import matplotlib

    matplotlib.use("Agg")  # no window, no display: a file only
    import matplotlib.pyplot as plt

    # Text stays text in an SVG (searchable, read aloud), not outlines.
    matplotlib.rcParams["svg.fonttype"] = "none"
    rows = len(chart.assessments) + 1
    figure, axes = plt.subplots(rows, 1, figsize=(9, 2.4 + 2.2 * rows), squeeze=False,
                                layout="constrained")
    group = chart.group or "hele kurset / whole course"
    who = (f"{chart.learners} deltagere / learners" if chart.learners is not None
           else f"færre end {MIN_LEARNERS} / fewer than {MIN_LEARNERS}")
    figure.suptitle(f"{chart.course_title}\n{group} · {who}", fontsize=11)
    for axis, assessment in zip(axes[:-1, 0], chart.assessments, strict=True):
        _draw_ratings(axis, assessment)
    _draw_modules(axes[-1, 0], chart.modules)
    try:
        figure.savefig(stream, format=picture_format, dpi=110)
    finally:
        plt.close(figure)


def _draw_ratings(axis: object, assessment: Assessment) -> None:
    from matplotlib.axes import Axes

    assert isinstance(axis, Axes)
    labels = [textwrap.shorten(r.statement, 60, placeholder=" …")
              for r in assessment.statements]
    positions = list(range(len(labels)))
    before = [r.before or 0.0 for r in assessment.statements]
    after = [r.after or 0.0 for r in assessment.statements]
    axis.barh([p - 0.2 for p in positions], before, height=0.4, label="før / before",
              color="#A9CCE3")
    axis.barh([p + 0.2 for p in positions], after, height=0.4, label="efter / after",
              color="#1F618D")
    for position, ratings in zip(positions, assessment.statements, strict=True):
        if ratings.before is None:
            axis.text(0.1, position, f"færre end {MIN_LEARNERS} / fewer than {MIN_LEARNERS}",
                      va="center", fontsize=7)
    axis.set_yticks(positions, labels, fontsize=7)
    axis.invert_yaxis()
    axis.set_xlim(0, 5)
    axis.set_xlabel("gennemsnit 1–5 / mean 1–5", fontsize=8)
    axis.set_title(f"{assessment.module_title}: {assessment.step_title}", fontsize=9)
    axis.legend(fontsize=7, loc="lower right")


def _draw_modules(axis: object, modules: tuple[ModuleFigures, ...]) -> None:
    from matplotlib.axes import Axes

    assert isinstance(axis, Axes)
    labels = [textwrap.shorten(m.title, 28, placeholder="…") for m in modules]
    positions = list(range(len(labels)))
    axis.bar([p - 0.2 for p in positions], [m.minutes_mean or 0.0 for m in modules],
             width=0.4, label="minutter (gns.) / minutes (mean)", color="#7FB3D5")
    twin = axis.twinx()
    twin.bar([p + 0.2 for p in positions], [m.practice_mean or 0.0 for m in modules],
             width=0.4, label="logindførsler (gns.) / log entries (mean)", color="#F5CBA7")
    practice = [m.practice_mean or 0.0 for m in modules]
    twin.set_ylim(0, max([1.0, *practice]) * 1.15)  # no negative axis when none logged
    axis.set_xticks(positions, labels, rotation=20, ha="right", fontsize=7)
    axis.set_title("Tid og praksis pr. modul / time and practice per module", fontsize=9)
    lines = axis.get_legend_handles_labels()
    twin_lines = twin.get_legend_handles_labels()
    axis.legend(lines[0] + twin_lines[0], lines[1] + twin_lines[1], fontsize=7,
                loc="upper right")
