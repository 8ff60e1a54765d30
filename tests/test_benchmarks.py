"""The benchmarks still run (on a tiny course); their ratios are read by people, not asserted."""

from __future__ import annotations

import pytest

from benchmarks import bench_course_load


def test_course_load_benchmark_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench_course_load, "MODULES", 3)
    monkeypatch.setattr(bench_course_load, "STEPS", 7)
    ours, base = bench_course_load.run(repeats=1)
    assert ours > 0 and base > 0


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
