"""A text progress bar for long exports, shown only on a terminal."""

from __future__ import annotations

import sys
import time
from typing import Final, TextIO

REDRAW_SECONDS: Final = 0.1
"""Least time between two redraws, so drawing never slows the export."""
BAR_WIDTH: Final = 30
"""Characters in the bar itself."""


class ProgressMeter:
    """Counts learners done and draws ``[#####-----] 120/400 learners`` on stderr.

    Draws nothing when the stream is not a terminal (a pipe, a log file, CI), so
    redirected output stays clean.

    Args:
        total: learners expected.
        label: what is counted.
        stream: where to draw; standard error by default.
        enabled: False to draw nothing anyway (e.g. when the export itself is
            printed on the same terminal).
    """

    def __init__(self, total: int, label: str = "learners", stream: TextIO | None = None,
                 enabled: bool = True):
        self.total = max(total, 0)
        self.label = label
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        self._shown = enabled and self.total > 0 and self._stream.isatty()
        self._drawn_at = 0.0

    def advance(self) -> None:
        """One more learner done."""
        self.done += 1
        if self._shown:
            now = time.monotonic()
            if now - self._drawn_at >= REDRAW_SECONDS or self.done >= self.total:
                self._drawn_at = now
                self._draw()

    def close(self) -> None:
        """End the bar's line, if one was drawn."""
        if self._shown and self._drawn_at:
            self._draw()
            self._stream.write("\n")
            self._stream.flush()

    def _draw(self) -> None:
        share = min(self.done / self.total, 1.0)
        filled = round(BAR_WIDTH * share)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self._stream.write(f"\r[{bar}] {self.done}/{self.total} {self.label}")
        self._stream.flush()
