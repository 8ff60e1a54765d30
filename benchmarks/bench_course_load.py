"""Load and validate a generated course of 200 modules × 25 steps ÷ tomllib alone."""

from __future__ import annotations

import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

from peerskole.course.loader import load_course

NAME = "course load"
TARGET = 3.0
MODULES = 200
STEPS = 25

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

STEP_TEMPLATES = [
    '[[steps]]\nkind = "reading"\nid = "s{n}"\ntitle = "Læs {n}"\n'
    'text = """\n## Overskrift\n\nAktiv lytning handler om at forstå, før man svarer. {n}\n"""\n',
    '[[steps]]\nkind = "quiz"\nid = "s{n}"\ntitle = "Quiz {n}"\n'
    '[[steps.questions]]\ntext = "Hvilket er åbent?"\n'
    '[[steps.questions.options]]\ntext = "Hvordan var det?"\ncorrect = true\nfeedback = "Ja."\n'
    '[[steps.questions.options]]\ntext = "Var det svært?"\nfeedback = "Ja/nej-spørgsmål."\n',
    '[[steps]]\nkind = "scenario"\nid = "s{n}"\ntitle = "Scenarie {n}"\nsituation = "Gangen."\n'
    '[[steps.turns]]\nspeaker = "Maja"\nsays = "Jeg orker ikke."\n'
    '[[steps.turns.responses]]\ntext = "Det lyder tungt."\nquality = "best"\n'
    'principle = "Refleksion"\nfeedback = "Spejler."\n'
    '[[steps.turns.responses]]\ntext = "Gå en tur."\nquality = "poor"\n'
    'principle = "Råd"\nfeedback = "Lukker."\n',
    '[[steps]]\nkind = "reflection"\nid = "s{n}"\ntitle = "Refleksion {n}"\n'
    'prompt = "Hvornår følte du dig lyttet til?"\nmin_words = 20\n',
    '[[steps]]\nkind = "self_assessment"\nid = "s{n}"\ntitle = "Selvvurdering {n}"\n'
    'statements = ["Jeg kan lytte.", "Jeg kan spejle."]\n',
    '[[steps]]\nkind = "practice"\nid = "s{n}"\ntitle = "Øvelse {n}"\n'
    'assignment = "Hold en samtale."\n',
]


def write_course(folder: Path) -> list[Path]:
    (folder / "modules").mkdir(parents=True)
    ids = [f"m{i:03d}" for i in range(MODULES)]
    (folder / "course.toml").write_text(
        MANIFEST.format(modules=", ".join(f'"{i}"' for i in ids)), encoding="utf-8"
    )
    for number, module_id in enumerate(ids):
        requires = f'requires = ["{ids[number - 1]}"]\n' if number else ""
        steps = "\n".join(
            STEP_TEMPLATES[n % len(STEP_TEMPLATES)].format(n=n) for n in range(STEPS)
        )
        (folder / "modules" / f"{module_id}.toml").write_text(
            f'id = "{module_id}"\ntitle = "Modul {number}"\ngoals = ["Mål."]\nminutes = 30\n'
            f"{requires}\n{steps}",
            encoding="utf-8",
        )
    return sorted(folder.rglob("*.toml"))


def best_of(repeats: int, func: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def run(repeats: int = 5) -> tuple[float, float]:
    """Return (our seconds, baseline seconds), best of `repeats` each, interleaved."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bench"
        files = write_course(folder)

        def parse_only() -> None:
            for path in files:
                tomllib.loads(path.read_bytes().decode("utf-8"))

        def load() -> None:
            course = load_course(folder)
            assert len(course.modules) == MODULES

        load()  # warm pydantic's validators once, as a running app would have
        ours, base = [], []
        for _ in range(repeats):
            base.append(best_of(1, parse_only))
            ours.append(best_of(1, load))
        return min(ours), min(base)
