"""The benchmarks still run (on a tiny course), and each measures our code.

Their ratios are read by people, not asserted: machines here are noisy. What is
asserted is that a benchmark can move: a delay added to our side shows up in our
figure and not in the baseline's, so neither side is only timing a harness.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Final, ParamSpec, TypeVar

import pytest

from benchmarks import bench_course_load
from peerskole.course.loader import load_course

P = ParamSpec("P")
R = TypeVar("R")


DELAY: Final = 0.05
"""Seconds added to our side to show that a benchmark's figure moves with our code."""


def slowed(func: Callable[P, R]) -> Callable[P, R]:
    def slow(*args: P.args, **kwargs: P.kwargs) -> R:
        time.sleep(DELAY)
        return func(*args, **kwargs)

    return slow


def test_course_load_benchmark_measures_the_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench_course_load, "MODULES", 3)
    monkeypatch.setattr(bench_course_load, "STEPS", 7)
    ours, base = bench_course_load.run(repeats=2)
    monkeypatch.setattr(bench_course_load, "load_course", slowed(load_course))
    slow_ours, slow_base = bench_course_load.run(repeats=2)
    assert slow_ours - ours > DELAY / 2
    assert slow_base - base < DELAY / 2


def test_keystroke_benchmark_measures_our_handlers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two milliseconds added to our app's handling of each key show in our figure.

    (When both sides waited for Pilot's screen update after every key, about 60 ms,
    such a change was lost in it.)
    """
    from textual import events

    from benchmarks import bench_keystrokes
    from peerskole.ui.app import PeerskoleApp

    monkeypatch.setattr(bench_keystrokes, "WORDS", 300)
    monkeypatch.setattr(bench_keystrokes, "KEYS", 200)
    ours, base = bench_keystrokes.run(repeats=5)
    delay = 0.002  # two: the runs of 200 keys vary by about a tenth of a second under load
    handle = PeerskoleApp.on_event

    async def slow_handle(app: PeerskoleApp, event: events.Event) -> None:
        if isinstance(event, events.Key):
            time.sleep(delay)
        await handle(app, event)

    monkeypatch.setattr(PeerskoleApp, "on_event", slow_handle)
    slow_ours, slow_base = bench_keystrokes.run(repeats=5)
    added = delay * 200
    assert slow_ours - ours > 0.8 * added, (ours, slow_ours)
    assert abs(slow_base - base) < added / 2, (base, slow_base)


def test_startup_benchmark_runs() -> None:
    # It hooks LearnerScreen._show_learners: a rename would otherwise break it unseen.
    from benchmarks import bench_startup

    ours, base = bench_startup.run(repeats=1)
    assert ours > 0 and base > 0


def test_cohort_benchmark_measures_the_cohort_view(monkeypatch: pytest.MonkeyPatch) -> None:
    """A delay in the cohort view's completion rule shows in our figure, not the baseline's.

    (PostgreSQL's pair is printed only; its server start is left out here.)
    """
    from benchmarks import bench_cohort
    from peerskole.export import cohort

    monkeypatch.setattr(bench_cohort, "LEARNERS", 200)
    monkeypatch.setattr(bench_cohort, "on_postgres", lambda *args: None)
    ours, base = bench_cohort.run(repeats=2)
    lines = cohort.read_cohort_lines

    def slow_lines(*args: object, **kwargs: object) -> object:
        time.sleep(DELAY)
        return lines(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bench_cohort, "read_cohort_lines", slow_lines)
    slow_ours, slow_base = bench_cohort.run(repeats=2)
    assert slow_ours - ours > DELAY / 2
    assert abs(slow_base - base) < DELAY / 2


def test_serve_benchmark_measures_each_side_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two tabs a side: a second's delay in the bare app's start shows in the bare
    app's time until its last tab is interactive, and not in ours.

    The delay reaches the bare app through the environment its server hands on,
    so the bare side is timing its own app's start, not the harness.
    """
    from benchmarks import bench_serve

    monkeypatch.setattr(bench_serve, "KEYS", 5)
    monkeypatch.delenv("BASELINE_DELAY", raising=False)
    ours, base = bench_serve.classroom(tabs=2)
    monkeypatch.setenv("BASELINE_DELAY", "1")
    slow_ours, slow_base = bench_serve.classroom(tabs=2)
    for figures in (ours, base, slow_ours, slow_base):
        assert 0 < figures.p50 <= figures.p95 < bench_serve.KEY_TIMEOUT
        assert figures.memory_per_tab > 10 * 1024 * 1024  # an app process each, counted
    moved = slow_base.last_interactive - base.last_interactive
    assert moved > 0.6, (base, slow_base)
    assert abs(slow_ours.last_interactive - ours.last_interactive) < 0.6, (ours, slow_ours)
