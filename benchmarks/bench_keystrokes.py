"""1,000 keystrokes into a 5,000-word reflection in our app ÷ the same into a bare TextArea app.

Both run headless at the same terminal size, in this one process, interleaved.
Ours is the real app resumed at the sample course's reflection with the long text
already saved. The keys arrive as a fast typist's (or a paste's) would: all at
once from the terminal driver, without Pilot's wait for the screen after each
one, which took about 60 ms a key on both sides and so hid what our handlers
cost. The time runs from the first key to the moment the editor holds them all and
the last key's handlers have run, and for ours on to the last draft being in the
database (the autosave's cost included, its quiet wait not).

Both run with tooltips, as in a terminal (Textual's test mode leaves them out): without
the screen's tooltip, Textual looks for it on every key and fails, spelling out every
child of the screen in its error, which cost ours a screen of many parts about 5 %.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import tempfile
import time
from pathlib import Path

from textual import events
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


def keystroke_text(count: int | None = None) -> str:
    """What the keystrokes type: letters and spaces."""
    count = KEYS if count is None else count
    sentence = "jeg skriver videre om det der skete "
    return (sentence * (count // len(sentence) + 1))[:count]


def keystrokes(count: int | None = None) -> list[str]:
    """The keystrokes, as key names."""
    return ["space" if c == " " else c for c in keystroke_text(count)]


class BareTextArea(App[None]):
    """The editor alone, as large as the reflection's editor is in our app.

    The editor's own work on a key (wrapping the edited paragraph, drawing its
    lines) grows with a narrower editor; at the same size it is the same on both
    sides, and what is left is ours: the app's handlers and its screen around it.
    """

    def __init__(self, size: tuple[int, int]) -> None:
        super().__init__()
        self.editor_size = size

    def compose(self) -> ComposeResult:
        area = TextArea(long_text(), soft_wrap=True)
        area.styles.width, area.styles.height = self.editor_size
        yield area


async def _type(app: App[None], area: TextArea, expected: int) -> float:
    """Send every key at once, as the terminal would; seconds until the editor has them.

    Args:
        app: the running app.
        area: the focused editor the keys go into.
        expected: the editor's length once every key has arrived.
    """
    driver = app._driver  # how a terminal's keys reach the app; Pilot.press sends them there too
    assert driver is not None
    # The collector out of the timed window, on both sides alike: a full collection
    # costs 0.1-0.3 s in this process (it grows with what earlier runs left) and fell in
    # whichever side crossed the threshold, moving the ratio by up to 0.4.
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        for key in keystrokes():
            event = events.Key(key, " " if key == "space" else key)
            event.set_sender(app)
            driver.send_message(event)
        while len(area.text) < expected:
            await asyncio.sleep(0.001)
        return time.perf_counter() - start
    finally:
        gc.enable()


async def _bare(editor_size: tuple[int, int]) -> float:
    app = BareTextArea(editor_size)
    async with app.run_test(size=SIZE, tooltips=True) as pilot:
        area = app.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.pause()
        typed = await _type(app, area, len(long_text()) + KEYS)
        after_typing = time.perf_counter()
        await pilot.pause()  # the last key's handlers, as on our side
        elapsed = typed + time.perf_counter() - after_typing
        assert area.text.endswith(keystroke_text())
    return elapsed


async def _ours(data_dir: Path) -> tuple[float, tuple[int, int]]:
    """Our seconds, and the size of the reflection's editor they were typed into."""
    from peerskole.ui.app import PeerskoleApp
    from peerskole.ui.screens.module import ModuleScreen

    app = PeerskoleApp(COURSE, data_dir=data_dir)
    async with app.run_test(size=SIZE, tooltips=True) as pilot:
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
        typed = await _type(app, area, len(long_text()) + KEYS)
        # Timed from the end of typing, not from before _type: the collection it runs
        # first (0.07-0.13 s here) is out of the window on the bare side too.
        after_typing = time.perf_counter()
        await pilot.pause()  # the last key's handlers
        screen.record_unsent()  # the last draft, without waiting for the quiet moment
        assert app.writes is not None and app.writes.flush(timeout=30)
        elapsed = typed + time.perf_counter() - after_typing
        assert area.text.endswith(keystroke_text())
    return elapsed, (area.outer_size.width, area.outer_size.height)


def _prepare(data_dir: Path) -> None:
    """A learner whose 5,000-word reflection is saved and who was last at it."""
    from peerskole.store.base import Position
    from peerskole.store.opening import open_store

    store = open_store(data_dir)
    learner = next(iter(store.learners()), None) or store.add_learner("Bench")
    store.save_reflection(learner.id, "mini", MODULE, STEP, long_text(), False)
    store.set_position(learner.id, "mini", Position(MODULE, STEP))
    store.close()


def run(repeats: int = 11) -> tuple[float, float]:
    """Return (our median seconds, bare median seconds).

    One pair takes a few seconds. The pairs alternate which side goes first, so a
    side is not always measured in the wake of the other; eleven of them, as seven
    moved the ratio by 0.3 between two runs a minute apart on a busy machine.
    """
    ours, bare = [], []
    with tempfile.TemporaryDirectory() as data:
        editor_size = SIZE  # set by the first pair, which runs ours first
        for n in range(repeats):
            _prepare(Path(data))  # afresh: the last run saved a longer text
            if n % 2:  # the size our last run measured
                bare.append(asyncio.run(_bare(editor_size)))
            seconds, editor_size = asyncio.run(_ours(Path(data)))
            ours.append(seconds)
            if not n % 2:
                bare.append(asyncio.run(_bare(editor_size)))
    return statistics.median(ours), statistics.median(bare)
