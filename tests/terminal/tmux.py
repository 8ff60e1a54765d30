"""The real app in a real terminal: a detached tmux session driven key by key.

Each :class:`Terminal` runs its own tmux server (a private socket, no user
configuration), so tests never see or disturb anyone's tmux. The screen is read
with ``capture-pane``; waits poll it with a timeout, never a fixed sleep.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

WIDTH, HEIGHT = 80, 24
"""The smallest terminal the app must be usable in (issue 3)."""

SESSION = "app"

CONFIG = """\
set -g status off
set -g remain-on-exit on
set -g history-limit 0
set -g escape-time 0
set -s exit-empty off
"""
"""No status line (the pane is the whole 80×24), keep a dead pane to read, pass
Escape on at once, and keep the server when its last session ends (a restart would
otherwise race the old server shutting down: "server exited unexpectedly")."""


class Terminal:
    """One tmux server with one session in which a program runs.

    Args:
        workdir: a private folder for the socket and configuration.
        cwd: the folder the program starts in.
    """

    def __init__(self, workdir: Path, cwd: Path) -> None:
        self.socket = workdir / "tmux.sock"
        self.config = workdir / "tmux.conf"
        self.config.write_text(CONFIG, encoding="utf-8")
        self.cwd = cwd
        self.status_file = workdir / "exit-status"
        """Where the program's exit status is written when it ends."""

    def tmux(self, *args: str) -> str:
        """Run a tmux command against this server; return what it printed."""
        done = subprocess.run(
            ["tmux", "-u", "-S", str(self.socket), "-f", str(self.config), *args],
            capture_output=True, text=True, encoding="utf-8", timeout=10,
        )
        if done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args[:1])} failed: {done.stderr.strip()}")
        return done.stdout

    # --- the program --------------------------------------------------------------------

    def start(self, command: Sequence[str], env: dict[str, str] | None = None) -> None:
        """Start the program in a fresh 80×24 session (ending any previous one).

        A shell runs it and writes its exit status to a file (see :meth:`exit_status`).
        """
        self.end_session()
        self.status_file.unlink(missing_ok=True)
        extra = [f"-e{key}={value}" for key, value in (env or {}).items()]
        wrapped = ("sh", "-c", '"$@"; echo $? > "$STATUS_FILE"', "sh", *command)
        args = ("new-session", "-d", "-s", SESSION, "-x", str(WIDTH), "-y", str(HEIGHT),
                "-c", str(self.cwd), f"-eSTATUS_FILE={self.status_file}", *extra, "--",
                *wrapped)
        for attempt in range(3):
            try:
                self.tmux(*args)
                return
            except RuntimeError as error:
                # A server that was exiting as we connected: the next start makes a new one.
                if "exited unexpectedly" not in str(error) or attempt == 2:
                    raise
                time.sleep(0.2)

    def end_session(self) -> None:
        try:
            self.tmux("kill-session", "-t", SESSION)
        except RuntimeError:
            pass  # there was none

    def stop(self) -> None:
        """End the server and everything running in it."""
        try:
            self.tmux("kill-server")
        except RuntimeError:
            pass

    def pane(self, field: str) -> str:
        return self.tmux("display-message", "-p", "-t", SESSION, f"#{{{field}}}").strip()

    def cursor(self) -> tuple[int, int]:
        """Where the terminal's cursor is (0-based); Textual puts it in a focused text area."""
        x, y = self.pane("cursor_x"), self.pane("cursor_y")
        return int(x), int(y)

    def size(self) -> tuple[int, int]:
        return int(self.pane("pane_width")), int(self.pane("pane_height"))

    def program_pid(self) -> int:
        """The pid of the program: the pane's process, or its child when a shell ran it."""
        pane_pid = int(self.tmux("list-panes", "-t", SESSION, "-F", "#{pane_pid}").split()[0])
        if b"peerskole" in _cmdline(pane_pid):
            return pane_pid
        for child in _children(pane_pid):
            if b"peerskole" in _cmdline(child):
                return child
        raise AssertionError(f"no peerskole process under the pane (pid {pane_pid})")

    def exit_status(self, timeout: float = 30.0) -> int:
        """Wait for the program to end; return its exit status (128 + N for signal N).

        Read from the file the shell around it writes, not from tmux: on a busy machine
        tmux has shown a pane dead for 30 s without its exit status.
        """
        self.wait_until(lambda: self.status_file.exists() and self.status_file.read_text(),
                        "the program to end", timeout)
        return int(self.status_file.read_text())

    def kill(self) -> float:
        """SIGKILL the program and wait until it is gone.

        Returns:
            The monotonic time just before the signal was sent.
        """
        pid = self.program_pid()
        moment = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        self.wait_until(lambda: self.pane("pane_dead") == "1", "the program to die", 10)
        return moment

    # --- keys and mouse ------------------------------------------------------------------

    def keys(self, *keys: str) -> None:
        """Press named keys, e.g. "Enter", "Tab", "F7"."""
        self.tmux("send-keys", "-t", SESSION, *keys)

    def type(self, text: str) -> None:
        """Type text literally, as a person would."""
        self.tmux("send-keys", "-t", SESSION, "-l", text)

    def click(self, x: int, y: int) -> None:
        """Move the mouse to a cell (0-based) and click there, as SGR mouse reports.

        The move comes first, as from a real mouse: Textual learns from it which
        widget is under the pointer.
        """
        self.type(f"\x1b[<35;{x + 1};{y + 1}M")
        self.type(f"\x1b[<0;{x + 1};{y + 1}M")
        self.type(f"\x1b[<0;{x + 1};{y + 1}m")

    # --- the screen ------------------------------------------------------------------------

    def screen(self, styles: bool = False) -> str:
        """The text on screen; with styles, with its colours and attributes as escapes."""
        return self.tmux("capture-pane", "-p", *(["-e"] if styles else []), "-t", SESSION)

    def wait_until(
        self, condition: Callable[[], object], what: str, timeout: float = 15.0
    ) -> None:
        """Poll until condition() is true; fail with the screen when it never is."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the screen:\n{self.screen()}")
            time.sleep(0.03)

    def wait_for_change(self, before: str, timeout: float = 5.0, quiet: float = 0.15) -> str:
        """Wait until the styled screen differs from before, then until it stays still.

        A key's effects can be drawn over several frames (a focus highlight first,
        the footer's keys after), so one change alone does not mean it is done.
        Returns the styled screen.
        """
        self.wait_until(lambda: self.screen(styles=True) != before, "the screen to change",
                        timeout)
        last, still_since = self.screen(styles=True), time.monotonic()
        deadline = time.monotonic() + timeout
        while time.monotonic() - still_since < quiet and time.monotonic() < deadline:
            time.sleep(0.03)
            now = self.screen(styles=True)
            if now != last:
                last, still_since = now, time.monotonic()
        return last

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        """Wait until text is on screen; return the screen."""
        found: list[str] = []

        def shown() -> bool:
            found[:] = [self.screen()]
            return text in found[0]

        self.wait_until(shown, repr(text), timeout)
        return found[0]

    def wait_for_whole(self, text: str, timeout: float = 15.0) -> str:
        """Wait until text is on a screen that stays the same for a moment; return it.

        For asserting what is *not* on a screen: a frame the terminal has only partly
        drawn on a busy machine may still show lines of the one before.
        """
        found: list[str] = []

        def whole() -> bool:
            first = self.screen()
            if text not in first:
                return False
            time.sleep(0.3)
            found[:] = [self.screen()]
            return found[0] == first

        self.wait_until(whole, f"{text!r} on a screen drawn whole", timeout)
        return found[0]


# The editor's frame: Textual's tall edge, or the heavy line it has while focused.
TEXT_AREA_TOP = re.compile(r"▊▔{10,}▎|┏━{10,}┓")
TEXT_AREA_LINE = re.compile(r"[▊┃] (.*?) *[▎┃]")
SCROLLBAR = re.compile(r"\s*[▁▂▃▄▅▆▇█]+\s*$")


def text_area_box(screen: str) -> tuple[int, int]:
    """The cell of the first line inside the (only) text area on screen."""
    for row, line in enumerate(screen.splitlines()):
        found = TEXT_AREA_TOP.search(line)
        if found:
            return found.start() + 2, row + 1
    raise AssertionError(f"no text area on screen:\n{screen}")


def in_text_area(screen: str, cell: tuple[int, int]) -> bool:
    """Whether a cell is inside the text area on screen."""
    try:
        x, first = text_area_box(screen)
    except AssertionError:
        return False
    lines = screen.splitlines()
    last = first
    while last < len(lines) and TEXT_AREA_LINE.search(lines[last]):
        last += 1
    return first <= cell[1] < last and x <= cell[0] < x + 44


def text_area_text(screen: str) -> str:
    """The words in the text area on screen, wrapped lines joined by single spaces.

    Empty while there is no text area on screen.
    """
    lines = screen.splitlines()
    try:
        _, first = text_area_box(screen)
    except AssertionError:
        return ""
    words: list[str] = []
    for line in lines[first:]:
        found = TEXT_AREA_LINE.search(line)
        if not found:
            break
        # A long text has a scrollbar at the right edge inside the box.
        words.extend(SCROLLBAR.sub("", found.group(1)).split())
    return " ".join(words)


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _children(pid: int) -> list[int]:
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return children
