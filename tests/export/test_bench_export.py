"""The export benchmark still runs, small, and its two baselines print the same rows."""

from __future__ import annotations

import csv
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks import bench_export
from peerskole.export.csv_export import write_csv
from tests.conftest import unavailable


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench_export, "LEARNERS", 40)
    monkeypatch.setattr(bench_export, "SMALL", 10)


def test_the_export_benchmark_measures_the_export(
    small: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Our figure is the export's time: slowing the export moves it, not the baseline."""
    ours, base = bench_export.run(repeats=1)
    assert "export memory: peak" in capsys.readouterr().out
    delay = 0.05

    def slow_write_csv(*args: Any, **kwargs: Any) -> int:
        time.sleep(delay)
        return write_csv(*args, **kwargs)

    monkeypatch.setattr(bench_export, "write_csv", slow_write_csv)
    slow_ours, slow_base = bench_export.run(repeats=1)
    assert slow_ours - ours > delay / 2
    assert slow_base - base < delay / 2


def test_the_sqlite3_tool_and_the_python_fallback_dump_the_same_rows(
    small: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("sqlite3") is None:
        unavailable("the sqlite3 tool is missing: apt-get install sqlite3 (scripts/check.sh does)")
    bench_export.write_course(tmp_path / "course")
    database = tmp_path / "bench.sqlite3"
    bench_export.fill(database, 40)
    assert bench_export.baseline_dump(database, tmp_path / "tool.csv") == 40 * 8
    monkeypatch.setattr(bench_export, "SQLITE3", None)
    assert bench_export.baseline_dump(database, tmp_path / "python.csv") == 40 * 8
    ours = tmp_path / "ours.csv"
    bench_export.our_export(database, tmp_path / "course", ours)

    def cells(path: Path) -> list[list[str]]:
        with path.open(encoding="utf-8", newline="") as stream:
            return list(csv.reader(stream))

    assert cells(tmp_path / "tool.csv") == cells(tmp_path / "python.csv")
    # The same rows as the export, in its order: learner, then the course row, then modules.
    keys = [(row[0], row[5]) for row in cells(tmp_path / "tool.csv")]
    assert keys == [(row[0], row[9]) for row in cells(ours)[1:]]


def test_export_memory_stays_flat_however_many_learners(tmp_path: Path) -> None:
    """Five times the learners, about the same peak: the export holds pages, not everyone."""
    bench_export.write_course(tmp_path / "course")
    peaks = []
    for learners in (1_000, 5_000):  # two pages of learners or more (500 a page)
        database = tmp_path / f"{learners}.sqlite3"
        bench_export.fill(database, learners)
        peaks.append(bench_export.peak_memory(database, tmp_path / "course", tmp_path / "o.csv"))
    assert peaks[1] < 1.5 * peaks[0], peaks
