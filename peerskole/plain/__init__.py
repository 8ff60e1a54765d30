"""Plain mode: peerskole line by line, for screen readers and braille displays.

Numbered choices, text printed once and never redrawn, no boxes, colours or cursor
movement. It runs over the same core as the terminal app (the session, the progress
rules, the store), so a trainee can move between the two and continue. It never
imports textual (an import-linter contract says so).
"""

from __future__ import annotations

import os


def plain_wanted(asked: bool) -> bool:
    """Whether ``peerskole`` should run in plain mode.

    Asked for with ``--plain``, or chosen for a terminal that says it can draw nothing
    (``TERM=dumb``), but never in a browser tab of ``peerskole serve``: textual-serve
    starts each tab's app with its web driver named in the environment.
    (Here, not in plain.app, so the terminal app's start pays for no more than this.)
    """
    if asked:
        return True
    return os.environ.get("TERM") == "dumb" and not os.environ.get("TEXTUAL_DRIVER")
