"""1,000 keystrokes into a 5,000-word reflection in our app ÷ the same into a bare TextArea app.

Both run headless with Pilot at the same terminal size, in this one process,
interleaved. Ours is the real app resumed at the sample course's reflection with
the long text already saved; the time runs from the first key to the last draft
being in the database (the autosave's cost included, its quiet wait not).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import TextArea

NAME = "keystrokes"
TARGET = 1.2
REPO = Path(__file__).resolve().parent.parent
COURSE = REPO / "tests" / "sample-courses" / "mini"
MODULE, STEP = "first", "own-experience"
SIZE = (80, 24)
WORDS = 5000
KEYS = 1000

_VOCABULARY = ("jeg", "lyttede", "til", "min", "ven", "og", "hun", "sagde", "næsten", "ingenting",
               "men", "det", "hjalp", "at", "blive", "hørt", "uden", "råd", "både", "før", "efter")


def long_text(words: int | None = None) -> str:
    """A reflection of paragraphs of about a hundred words each."""
    words = WORDS if words is None else words
    chosen = [_VOCABULARY[(i * 7) % len(_VOCABULARY)] for i in range(words)]
    paragraphs = [" ".join(chosen[i:i + 100]) + "." for i in range(0, words, 100)]
    return "\n\n".join(paragraphs)


def keystrokes(count: int | None = None) -> list[str]:
    """Letters and spaces, as Pilot key names."""
    count = KEYS if count is None else count
    sentence = "jeg skriver videre om det der skete "
    return ["space" if c == " " else c for c in (sentence * (count // len(sentence) + 1))[:count]]


class BareTextArea(App[None]):
    def compose(self) -> ComposeResult:
        yield TextArea(long_text(), soft_wrap=True)


async def _bare() -> float:
    app = BareTextArea()
    async with app.run_test(size=SIZE) as pilot:
        area = app.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.pause()
        start = time.perf_counter()
        await pilot.press(*keystrokes())
        elapsed = time.perf_counter() - start
        assert len(area.text) == len(long_text()) + KEYS
    return elapsed


async def _ours(data_dir: Path) -> float:
    from peerskole.ui.app import PeerskoleApp
    from peerskole.ui.screens.module import ModuleScreen

    app = PeerskoleApp(COURSE, data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):  # the store, then the course, load in workers
            await pilot.pause(0.05)
            if app.course is not None and app.writes is not None:
                break
        await pilot.press("enter")  # the only profile: resumes at the reflection
        for _ in range(100):
            await pilot.pause(0.05)
            screen = app.screen
            if isinstance(screen, ModuleScreen) and screen.view is not None:
                break
        assert isinstance(screen, ModuleScreen) and screen.view is not None
        area = screen.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.pause()
        start = time.perf_counter()
        await pilot.press(*keystrokes())
        screen.record_unsent()  # the last draft, without waiting for the quiet moment
        assert app.writes is not None and app.writes.flush(timeout=30)
        elapsed = time.perf_counter() - start
        assert len(area.text) == len(long_text()) + KEYS
    return elapsed


def _prepare(data_dir: Path) -> None:
    """A learner whose 5,000-word reflection is saved and who was last at it."""
    from peerskole.store.base import Position, open_store

    store = open_store(data_dir)
    learner = next(iter(store.learners()), None) or store.add_learner("Bench")
    store.save_reflection(learner.id, "mini", MODULE, STEP, long_text(), False)
    store.set_position(learner.id, "mini", Position(MODULE, STEP))
    store.close()


def run(repeats: int = 1) -> tuple[float, float]:
    """Return (our median seconds, bare median seconds).

    One pair takes about two minutes here: Pilot waits for each key's screen update,
    so the time is mostly drawing, alike on both sides.
    """
    ours, bare = [], []
    with tempfile.TemporaryDirectory() as data:
        for _ in range(repeats):
            bare.append(asyncio.run(_bare()))
            _prepare(Path(data))  # afresh: the last run saved a longer text
            ours.append(asyncio.run(_ours(Path(data))))
    return statistics.median(ours), statistics.median(bare)
