"""A classroom in a browser: N tabs against one ``peerskole serve`` ÷ a bare Textual app.

Each tab is a real WebSocket client speaking textual-serve's protocol, as the page's
JavaScript does: it fetches the page (peerskole's carries a one-time token), opens
the socket with the terminal's size, and reads the app's output. All N open at once;
then every tab types digits into the first screen's text field at a steady pace.

Measured, for peerskole and, in the same run, for a bare Textual app with one text
field served by textual-serve the same way (the baseline):

- the time until the last tab is interactive: its first keystroke echoed;
- key-to-echo latency (p50, p95) while all type: from sending a key until the app's
  output shows the last three digits typed (a new triple each time, so a cursor blink
  or an earlier frame cannot pass for the echo);
- memory per tab: the resident memory of every app process under the server, summed,
  divided by N (proportional set size where the kernel gives it, so shared libraries
  count once).

Targets for N = 30 on a 2-core machine: the last tab interactive within 10 s, p95 echo
under 150 ms, under 60 MB per tab. ``python benchmarks/run.py serve``; ``TABS=5`` in
the environment for fewer tabs.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

NAME = "serve (N tabs)"
TARGET = 3.0
"""For the ratio of the time until the last tab is interactive; the absolute targets are
printed beside it."""
TABS: int = int(os.environ.get("TABS", "30"))
KEYS: Final = 12
"""Keys each tab types once every tab is interactive."""
PACE: Final = 0.25
"""Seconds between one tab's keys: a fast typist, N of them at once."""
ROOT: Final = Path(__file__).resolve().parent.parent
SOCKET_URL: Final = re.compile(r'data-session-websocket-url="([^"]+)"')
BASELINE_APP: Final = '''\
import os, time
from textual.app import App
from textual.widgets import Input
time.sleep(float(os.environ.get("BASELINE_DELAY", "0")))

class Bare(App):
    def compose(self):
        yield Input(placeholder="name")

Bare().run()
'''
BASELINE_SERVER: Final = '''\
import sys
from textual_serve.server import Server
Server(sys.argv[1], host="127.0.0.1", port=int(sys.argv[2])).serve()
'''


@dataclass
class Figures:
    last_interactive: float
    """Seconds from opening every tab at once until the last one echoed a key."""
    p50: float
    p95: float
    """Key-to-echo latency while every tab types, seconds."""
    mb_per_tab: float


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_listening(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


class Tab:
    """One browser tab: a socket, the app's output as it comes, the keys it typed."""

    def __init__(self) -> None:
        self.output = bytearray()
        self.changed = asyncio.Event()
        self.typed = ""

    async def until(self, text: bytes, timeout: float = 60) -> None:
        start = len(self.output)
        deadline = time.monotonic() + timeout
        while text not in self.output[max(0, start - 64):]:
            self.changed.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no echo of {text!r}")
            await asyncio.wait_for(self.changed.wait(), left)


async def open_tab(session: object, port: int, tab: Tab, ready: asyncio.Event,
                   latencies: list[float], opened: list[float]) -> None:
    import aiohttp

    assert isinstance(session, aiohttp.ClientSession)
    base = f"http://127.0.0.1:{port}/"
    async with session.get(base) as response:
        found = SOCKET_URL.search(await response.text())
    assert found is not None, "the page has no WebSocket address"
    url = found.group(1)
    if url.startswith("/"):
        url = f"ws://127.0.0.1:{port}{url}"
    url += ("&" if "?" in url else "?") + "width=80&height=24"
    async with session.ws_connect(url, origin=f"http://127.0.0.1:{port}",
                                  max_msg_size=0) as ws:

        async def read() -> None:
            async for message in ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    tab.output.extend(message.data)
                    tab.changed.set()

        reader = asyncio.create_task(read())
        await ws.send_json(["resize", {"width": 80, "height": 24}])
        # Interactive: the first key typed shows. Until then, type it again now and then
        # (a key sent before the app listens is lost, as in a browser).
        while True:
            await ws.send_json(["stdin", "7"])
            try:
                await tab.until(b"7", timeout=1.0)
                break
            except TimeoutError:
                continue
        tab.typed = "7"
        opened.append(time.monotonic())
        await ready.wait()
        rng = random.Random(id(tab))
        seen: set[str] = set()
        for _ in range(KEYS):
            while True:
                digit = str(rng.randrange(10))
                triple = (tab.typed + digit)[-3:]
                if len(triple) == 3 and triple not in seen:
                    break
            seen.add(triple)
            tab.typed += digit
            sent = time.monotonic()
            await ws.send_json(["stdin", digit])
            await tab.until(triple.encode())
            latencies.append(time.monotonic() - sent)
            await asyncio.sleep(PACE)
        reader.cancel()


def app_memory_mb(server_pid: int) -> float:
    """Proportional (else resident) memory of every process under the server, in MB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    total = 0.0
    stack = list(children.get(server_pid, []))
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        total += process_kb(pid) / 1024
    return total


def process_kb(pid: int) -> float:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        return float(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1))  # type: ignore[union-attr]
    except (OSError, AttributeError):
        pass
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        return float(re.search(r"^VmRSS:\s+(\d+)", status, re.M).group(1))  # type: ignore[union-attr]
    except (OSError, AttributeError):
        return 0.0


async def classroom(port: int, server_pid: int, tabs: int) -> Figures:
    import aiohttp

    latencies: list[float] = []
    opened: list[float] = []
    ready = asyncio.Event()
    timeout = aiohttp.ClientTimeout(total=None)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        start = time.monotonic()
        tasks = [asyncio.create_task(open_tab(session, port, Tab(), ready, latencies, opened))
                 for _ in range(tabs)]
        while len(opened) < tabs:
            await asyncio.sleep(0.05)
            for task in tasks:
                if task.done() and task.exception() is not None:
                    raise task.exception()  # type: ignore[misc]
        last = max(opened) - start
        memory = app_memory_mb(server_pid)
        ready.set()
        await asyncio.gather(*tasks)
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
    return Figures(last, statistics.median(latencies), p95, memory / tabs)


def served(argv: list[str], port: int, env: dict[str, str], tabs: int) -> Figures:
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_listening(port)
        return asyncio.run(classroom(port, process.pid, tabs))
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def peerskole_figures(folder: Path, tabs: int) -> Figures:
    port = free_port()
    env = {**os.environ, "PEERSKOLE_DATA_DIR": str(folder / "data"),
           "PYTHONPATH": str(ROOT)}
    env.pop("PEERSKOLE_DATABASE_URL", None)
    argv = [sys.executable, "-m", "peerskole", "serve", "--port", str(port),
            "--max-sessions", str(tabs)]
    if not _knows_max_sessions():
        argv = argv[:-2]
    return served(argv, port, env, tabs)


def _knows_max_sessions() -> bool:
    from peerskole.cli import build_parser

    return "--max-sessions" in build_parser()._subparsers._group_actions[0].choices[  # type: ignore[union-attr]
        "serve"].format_help()


def baseline_figures(folder: Path, tabs: int, delay: float = 0.0) -> Figures:
    app = folder / "bare_app.py"
    app.write_text(BASELINE_APP, encoding="utf-8")
    server = folder / "bare_server.py"
    server.write_text(BASELINE_SERVER, encoding="utf-8")
    port = free_port()
    env = {**os.environ, "BASELINE_DELAY": str(delay)}
    return served([sys.executable, str(server), f"{sys.executable} {app}", str(port)],
                  port, env, tabs)


def report(name: str, figures: Figures) -> None:
    print(f"  {name}: last tab interactive {figures.last_interactive:.2f} s, echo p50 "
          f"{figures.p50 * 1000:.0f} ms, p95 {figures.p95 * 1000:.0f} ms, "
          f"{figures.mb_per_tab:.1f} MB per tab")


def run(repeats: int = 1, tabs: int | None = None) -> tuple[float, float]:
    """(our seconds, baseline seconds) until the last of N tabs is interactive."""
    tabs = tabs or TABS
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = baseline_figures(folder, tabs)
        ours = peerskole_figures(folder, tabs)
    report(f"bare Textual app, {tabs} tabs", base)
    report(f"peerskole, {tabs} tabs", ours)
    print(f"  ratios: interactive {ours.last_interactive / base.last_interactive:.2f}, "
          f"echo p95 {ours.p95 / base.p95:.2f}, memory {ours.mb_per_tab / base.mb_per_tab:.2f}"
          f"; targets for 30 tabs: ≤ 10 s, p95 < 150 ms, < 60 MB per tab")
    return ours.last_interactive, base.last_interactive
