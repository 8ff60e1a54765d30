"""CSV export of 10,000 learners × 7 modules ÷ a plain ``sqlite3 -csv`` dump of the same rows.

Ours: what ``peerskole export --format csv`` does (``learner_reports`` →
``write_csv``): the store reads a page of learners at a time, the completion rule
in ``peerskole.progress`` decides each module, and the rows are written as they
come: per learner, a course row and then a row per module (8 rows).

Baseline, measured in the same run: the sqlite3 command-line tool (Debian:
``apt-get install sqlite3``) printing the same 80,000 rows with ``-csv``: one
SELECT of learners × (the course and its modules) joined to their step records
(started, completed, seconds). Where the tool is missing, the baseline is the
same SELECT through Python's sqlite3 module written with ``csv.writer``, and the
benchmark says so.

Memory: the peak of traced Python allocations (``tracemalloc``) while exporting
1,000 and then 10,000 learners is printed; flat means the second is not ten times
the first.
"""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import subprocess
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

from peerskole.course.loader import load_course
from peerskole.export.csv_export import write_csv
from peerskole.export.records import learner_reports
from peerskole.store.sqlite import SQLiteStore

NAME = "export csv"
TARGET = 2.0
LEARNERS = 10_000
MODULES = 7
SMALL = 1_000
"""Learners in the first of the two memory measurements."""

MANIFEST = """\
format_version = 1
id = "bench"
title = "Benchmark"
version = "1.0"
language = "da"
description = "Generated."
modules = [{modules}]

[[support]]
name = "Alarmcentralen"
phone = "112"
"""

MODULE = """\
id = "{id}"
title = "Modul {n}"
goals = ["Mål."]
minutes = 20

[[steps]]
kind = "reading"
id = "read"
title = "Læs"
text = "Tekst."

[[steps]]
kind = "quiz"
id = "quiz"
title = "Quiz"
pass_mark = 50

[[steps.questions]]
text = "Hvilket er åbent?"

[[steps.questions.options]]
text = "Hvordan var det?"
correct = true
feedback = "Ja."

[[steps.questions.options]]
text = "Var det svært?"
feedback = "Ja/nej."
"""


def write_course(folder: Path) -> None:
    (folder / "modules").mkdir(parents=True)
    ids = [f"m{n}" for n in range(MODULES)]
    (folder / "course.toml").write_text(
        MANIFEST.format(modules=", ".join(f'"{i}"' for i in ids)), encoding="utf-8")
    for n, module_id in enumerate(ids):
        (folder / "modules" / f"{module_id}.toml").write_text(
            MODULE.format(id=module_id, n=n), encoding="utf-8")


def fill(path: Path, learners: int) -> None:
    """Learners in every state: learner i has done (i mod 8) modules and begun the next."""
    SQLiteStore(path).close()  # creates and migrates the schema
    db = sqlite3.connect(path)
    db.executemany(
        "INSERT INTO learners (id, display_name, cohort, created_at) VALUES (?, ?, ?, ?)",
        ((f"l{i:07d}", f"Deltager Ærø {i}", f"hold-{i % 20}", "2026-01-01T00:00:00+00:00")
         for i in range(learners)),
    )

    def records() -> Iterator[tuple[str, str, str, str, str, str | None, int]]:
        for i in range(learners):
            done = i % (MODULES + 1)
            for m in range(min(done + 1, MODULES)):
                complete = m < done
                day = f"2026-02-{1 + m:02d}"
                yield (f"l{i:07d}", f"m{m}", "read", json.dumps({"opened": True}),
                       f"{day}T09:00:00+00:00", f"{day}T09:05:00+00:00", 300)
                score = 100.0 if complete else 0.0
                yield (f"l{i:07d}", f"m{m}", "quiz", json.dumps({"score": score, "attempts": 1}),
                       f"{day}T09:10:00+00:00",
                       f"{day}T09:20:00+00:00" if complete else None, 600)

    db.executemany(
        "INSERT INTO step_records (learner_id, course_id, module_id, step_id, course_version, "
        "facts, started_at, updated_at, completed_at, seconds) "
        "VALUES (?1, 'bench', ?2, ?3, '1.0', ?4, ?5, ?5, ?6, ?7)",
        records(),
    )
    db.commit()
    db.close()


def baseline_sql() -> str:
    """Learners × (the course, then each module), as the export's rows, in its order.

    The course rows and the module rows are two grouped SELECTs joined by UNION ALL
    (one SELECT with ``module_id = '' OR …`` in its join was half again as slow).
    """
    values = ", ".join(f"('m{n}', {n})" for n in range(MODULES))
    totals = (
        "min(s.started_at) AS started, max(s.completed_at) AS completed, "
        "count(s.completed_at) AS done, coalesce(sum(s.seconds), 0) / 60 AS minutes"
    )
    return (
        f"WITH modules (module_id, position) AS (VALUES {values}) "
        "SELECT id, display_name, cohort, 'bench', '1.0', module_id, started, completed, "
        "done, minutes FROM ("
        f"SELECT l.id, l.display_name, l.cohort, '' AS module_id, -1 AS position, {totals} "
        "FROM learners l LEFT JOIN step_records s "
        "ON s.learner_id = l.id AND s.course_id = 'bench' GROUP BY l.id "
        "UNION ALL "
        f"SELECT l.id, l.display_name, l.cohort, m.module_id, m.position, {totals} "
        "FROM learners l CROSS JOIN modules m LEFT JOIN step_records s "
        "ON s.learner_id = l.id AND s.course_id = 'bench' AND s.module_id = m.module_id "
        "GROUP BY l.id, m.module_id"
        ") ORDER BY display_name, id, position"
    )


SQLITE3: str | None = shutil.which("sqlite3")
"""The sqlite3 command-line tool, when installed."""


def baseline_dump(path: Path, out: Path) -> int:
    """The export's rows as ``sqlite3 -csv`` prints them (or Python's csv, without the tool)."""
    if SQLITE3 is not None:
        with out.open("wb") as stream:
            subprocess.run([SQLITE3, "-csv", str(path), baseline_sql()], stdout=stream,
                           check=True)
        with out.open("rb") as stream:
            return sum(1 for _ in stream)
    db = sqlite3.connect(path)
    rows = 0
    with out.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        for row in db.execute(baseline_sql()):
            writer.writerow(row)
            rows += 1
    db.close()
    return rows


def our_export(path: Path, course_folder: Path, out: Path) -> int:
    course = load_course(course_folder)
    store = SQLiteStore(path)
    try:
        with out.open("w", encoding="utf-8", newline="") as stream:
            return write_csv(learner_reports(store, [course]), stream)
    finally:
        store.close()


def peak_memory(path: Path, course_folder: Path, out: Path) -> float:
    """Peak traced allocations (MiB) of one export."""
    tracemalloc.start()
    try:
        our_export(path, course_folder, out)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def run(repeats: int = 5) -> tuple[float, float]:
    """Return (our seconds, baseline seconds), best of ``repeats`` each, interleaved."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_course(folder / "course")
        big, small = folder / "big.sqlite3", folder / "small.sqlite3"
        fill(big, LEARNERS)
        fill(small, min(SMALL, LEARNERS))
        ours_out, base_out = folder / "ours.csv", folder / "base.csv"
        rows = our_export(big, folder / "course", ours_out)  # warm the course model once
        assert rows == baseline_dump(big, base_out) == LEARNERS * (MODULES + 1)
        if SQLITE3 is None:
            print("  export baseline: the sqlite3 tool is missing (apt-get install sqlite3); "
                  "using Python's sqlite3 and csv modules instead")
        ours, base = [], []
        for _ in range(repeats):
            base.append(timed(lambda: baseline_dump(big, base_out)))
            ours.append(timed(lambda: our_export(big, folder / "course", ours_out)))
        small_peak = peak_memory(small, folder / "course", ours_out)
        big_peak = peak_memory(big, folder / "course", ours_out)
        print(
            f"  export memory: peak {small_peak:.1f} MiB for {min(SMALL, LEARNERS):,} learners, "
            f"{big_peak:.1f} MiB for {LEARNERS:,} ({big_peak / small_peak:.2f}×; flat is ≈1×)"
        )
        return min(ours), min(base)
