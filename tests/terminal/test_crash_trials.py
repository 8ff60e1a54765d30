"""Issue 7's crash trials: SIGKILL while a trainee types loses at most the last second.

One learner, one reflection, twenty trials. Each trial starts the app (the one
before was killed), resumes at the reflection, checks the end of the text the last
trial left is on screen, and types a new text after it (where the cursor starts: a
draft is continued) at a steady rate, remembering when each character was sent; then it SIGKILLs
the app at a random moment (while typing, or in the quiet after it). The store
must then hold the last trial's text intact, followed by a prefix of what was
typed, at least as long as what was typed by one second before the kill; and the
reading step completed before the trials must still be complete.

Keys only, no bound keys while typing: Textual handles a binding (say F7, select
all) when the key has bubbled up to the app, which can be after the letters
typed just behind it reached the text, so its effect would land out of order.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from tests.terminal.conftest import (
    create_learner_and_open_reflection,
    focus_text,
    resume_at_reflection,
    start_app,
    stored_records,
    stored_reflection,
)
from tests.terminal.tmux import Terminal, text_area_text

pytestmark = pytest.mark.terminal

TRIALS = 20
CHARS_PER_SECOND = 12.0
"""A brisk typist; steady, so only a deadline (not a pause) can get the draft saved."""
LOSS_ALLOWED = 1.0
"""Seconds of typing before the kill that may be lost (issue 7)."""
PLACEHOLDER = "Skriv her – med dine egne ord."
"""What an empty reflection shows."""
WORDS = ("jeg", "lyttede", "rolig", "hørte", "min", "ven", "sagde", "næsten", "ingenting",
         "og", "det", "hjalp", "både", "før", "efter", "øvelsen")


def trial_text(rng: random.Random, trial: int, length: int = 36) -> str:
    """Words to type in one trial, ending in a space so the texts stay apart."""
    words = [f"{trial}."]
    while len(" ".join(words)) < length:
        words.append(rng.choice(WORDS))
    return " ".join(words)[: length - 1] + " "


def shows(screen: str, text: str) -> bool:
    """Whether the reflection on screen shows the end of text (its last lines at least).

    The editor opens with the cursor after the text, scrolled to show it.
    """
    shown = text_area_text(screen)
    if not text:
        return shown == PLACEHOLDER
    words = " ".join(text.split())
    return words.endswith(shown) and len(shown) >= min(30, len(words))


def test_sigkill_while_typing_loses_at_most_the_last_second(
    terminal: Terminal, tmp_path: Path
) -> None:
    seed = int(os.environ.get("PEERSKOLE_CRASH_SEED", time.time_ns() % 100_000))
    rng = random.Random(seed)
    data = tmp_path / "data"
    start_app(terminal, data)
    create_learner_and_open_reflection(terminal, "Kim")
    terminal.wait_until(lambda: "intro" in stored_records(data), "the reading step's record")
    completed = {k: r.completed_at for k, r in stored_records(data).items() if r.completed_at}
    assert "intro" in completed  # passing the reading step completed it

    previous = ""  # what the store held after the last trial
    for trial in range(1, TRIALS + 1):
        where = f"trial {trial} (PEERSKOLE_CRASH_SEED={seed})"
        if trial > 1:
            start_app(terminal, data)
            resume_at_reflection(terminal, "Kim")
            so_far = previous
            terminal.wait_until(lambda: shows(terminal.screen(), so_far),  # noqa: B023
                                f"the text so far on screen, {where}, ending "
                                f"{' '.join(so_far.split())[-80:]!r}")
        focus_text(terminal)

        text = trial_text(rng, trial)
        kill_after = rng.uniform(0.1, len(text) / CHARS_PER_SECOND + 0.8)
        sent: list[tuple[float, int]] = []  # (time the key had been sent, characters so far)
        start = time.monotonic()
        for count, char in enumerate(text, 1):
            due = start + (count - 1) / CHARS_PER_SECOND
            if due >= start + kill_after:
                break
            time.sleep(max(0.0, due - time.monotonic()))
            terminal.type(char)
            sent.append((time.monotonic(), count))
        time.sleep(max(0.0, start + kill_after - time.monotonic()))
        before_kill = terminal.screen()
        killed_at = terminal.kill()

        _, reflection = stored_reflection(data)
        stored = reflection.text if reflection else ""
        typed = text[: sent[-1][1]] if sent else ""
        must_have = max((n for at, n in sent if at <= killed_at - LOSS_ALLOWED), default=0)
        assert stored.startswith(previous), f"{where}: the text before was damaged: {stored!r}"
        new = stored[len(previous):]
        assert typed.startswith(new), f"{where}: stored {new!r} after it, typed {typed!r}"
        assert len(new) >= must_have, (
            f"{where}: lost more than the last second: stored {new!r} after it, but "
            f"{text[:must_have]!r} was typed {LOSS_ALLOWED} s before the kill; the screen "
            f"then:\n{before_kill}"
        )
        records = stored_records(data)
        for step_id, completed_at in completed.items():
            assert records[step_id].completed_at == completed_at, f"{where}: {step_id} lost"
        previous = stored
