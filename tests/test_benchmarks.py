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
    monkeypatch.setattr(bench_course_load, "load_course", slowed(bench_course_load.load_course))
    slow_ours, slow_base = bench_course_load.run(repeats=2)
    assert slow_ours - ours > DELAY / 2
    assert slow_base - base < DELAY / 2


def test_keystroke_benchmark_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks import bench_keystrokes

    monkeypatch.setattr(bench_keystrokes, "WORDS", 50)
    monkeypatch.setattr(bench_keystrokes, "KEYS", 5)
    ours, base = bench_keystrokes.run(repeats=1)
    assert ours > 0 and base > 0


def test_startup_benchmark_runs() -> None:
    # It hooks LearnerScreen._show_learners: a rename would otherwise break it unseen.
    from benchmarks import bench_startup

    ours, base = bench_startup.run(repeats=1)
    assert ours > 0 and base > 0
