"""Start-up to the first interactive screen ÷ a bare Textual app that exits on mount.

Both run headless in fresh interpreters, interleaved, so the interpreter's own
start and machine noise fall on both sides alike. Both read byte-compiled
modules: Textual's were compiled when pip installed it, and ours are compiled here
first, as pip does when it installs peerskole (an editable install in an
environment with PYTHONDONTWRITEBYTECODE set would otherwise compile every one of
our modules from source on every start, which no installed copy does).

"Interactive" means the "who are you?" screen shows the learner list read from
the database and the app is free to answer a key (the course goes on loading in
a worker meanwhile; the key bar and the "create" button follow a moment later).
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NAME = "start-up"
TARGET = 1.3
REPO = Path(__file__).resolve().parent.parent

BARE = """
import time
from textual.app import App
class Bare(App):
    def on_mount(self):
        self.call_after_refresh(self.shown)
    def shown(self):
        print(time.time(), flush=True)
        self.exit()
Bare().run(headless=True)
"""

OURS = """
import sys
import time
from pathlib import Path
from peerskole.locations import known_course_dirs
from peerskole.ui.app import PeerskoleApp
from peerskole.ui.screens.learner import LearnerScreen

shown = LearnerScreen._show_learners

def show_then_exit(self, learners):
    shown(self, learners)
    self.app.call_after_refresh(lambda: (print(time.time(), flush=True), self.app.exit()))

LearnerScreen._show_learners = show_then_exit
courses = known_course_dirs() or [Path("tests/sample-courses/mini")]
PeerskoleApp(courses[0], data_dir=Path(sys.argv[1])).run(headless=True)
"""


def _time(code: str, *args: str) -> float:
    """Seconds from launching the interpreter to the moment the screen is interactive.

    The child prints the wall-clock time of that moment; waiting for the process to
    end would also count workers still finishing behind an interactive screen.
    """
    start = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, cwd=REPO, capture_output=True,
        text=True, env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    return float(done.stdout.split()[-1]) - start


def run(repeats: int = 15) -> tuple[float, float]:
    """Return (our median seconds, bare median seconds).

    Fifteen interleaved pairs: on a shared two-core machine seven left the ratio
    swinging by ±0.15 from run to run.
    """
    compileall.compile_dir(REPO / "peerskole", quiet=1)
    with tempfile.TemporaryDirectory() as data:
        _time(OURS, data)  # create the database once, as on every start but the first
        ours, bare = [], []
        for _ in range(repeats):
            bare.append(_time(BARE))
            ours.append(_time(OURS, data))
    return statistics.median(ours), statistics.median(bare)
