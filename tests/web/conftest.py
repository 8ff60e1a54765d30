"""Fixtures for the browser tests: a real ``peerskole serve`` and Debian's chromium."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO_DIR, unavailable

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# textual-serve's client sets `this.fitAddon` once, in the constructor that also
# creates the xterm Terminal; this setter remembers that client on `window`.
KEEP_TERMINAL = """
Object.defineProperty(Object.prototype, "fitAddon", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "fitAddon", {value, writable: true, configurable: true});
    window.__textualClient = this;
  },
});
"""

# The visible rows of the terminal, as text, or "" before the terminal exists.
READ_SCREEN = """() => {
  const client = window.__textualClient;
  if (!client || !client.terminal) return "";
  const terminal = client.terminal;
  const buffer = terminal.buffer.active;
  const rows = [];
  for (let y = 0; y < terminal.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""


@pytest.fixture
def chromium() -> Path:
    """Debian's chromium; its absence fails in CI rather than skipping quietly."""
    if not CHROMIUM.exists():
        message = (f"{CHROMIUM} is missing: install it with `apt-get install -y chromium` "
                   "(scripts/check.sh does this)")
        unavailable(message)
    return CHROMIUM


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Served:
    """A running ``peerskole serve`` and what it printed."""

    def __init__(self, process: subprocess.Popen[bytes], out: Path, err: Path) -> None:
        self.process = process
        self.out = out
        self.err = err

    def output(self) -> tuple[str, str]:
        return (self.out.read_text(encoding="utf-8", errors="replace"),
                self.err.read_text(encoding="utf-8", errors="replace"))

    def wait_until_listening(self, port: int, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                out, err = self.output()
                pytest.fail(f"peerskole serve exited with {self.process.returncode}:\n{out}{err}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        out, err = self.output()
        pytest.fail(f"peerskole serve did not answer on port {port} in {timeout} s:\n{out}{err}")

    def stop(self) -> int:
        """Stop the server and every app process it started; return its exit status."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        return self.process.returncode


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Served]]:
    """Start ``peerskole serve ARGS...``; every server started is stopped afterwards."""
    started: list[Served] = []

    def start(*args: str) -> Served:
        n = len(started)
        out, err = tmp_path / f"serve{n}.out", tmp_path / f"serve{n}.err"
        env = {**os.environ, "PYTHONPATH": str(REPO_DIR), "COLUMNS": "200"}
        with out.open("wb") as out_file, err.open("wb") as err_file:
            process = subprocess.Popen(
                [sys.executable, "-m", "peerskole", "serve", *args],
                stdin=subprocess.DEVNULL, stdout=out_file, stderr=err_file, env=env,
                # Its own process group, so stopping it also stops the app processes.
                start_new_session=True,
            )
        served = Served(process, out, err)
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


def wait_for_screen(page: object, text: str, timeout_ms: int = 20_000) -> str:
    """Wait until the terminal shows ``text``; return the whole screen."""
    from playwright.sync_api import Page
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    assert isinstance(page, Page)
    try:
        page.wait_for_function(f"(text) => ({READ_SCREEN})().includes(text)", arg=text,
                               timeout=timeout_ms)
    except PlaywrightTimeout:
        pytest.fail(f"the page never showed {text!r}; the screen was:\n"
                    f"{page.evaluate(READ_SCREEN)}")
    screen: str = page.evaluate(READ_SCREEN)
    return screen
