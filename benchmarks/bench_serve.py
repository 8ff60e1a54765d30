"""A classroom in browsers: N tabs open ``peerskole serve`` at once, then all type.

Each tab is a real WebSocket client speaking textual-serve's protocol, as the page's
script does: it loads the page, takes the (tokened) WebSocket address from it,
connects with the page's own Origin, sends its size, and types through ``stdin``
envelopes. What the app sends back is read into a small model of the terminal
(absolute cursor moves and text; other escape sequences ignored), so an echo is
seen on the screen, not guessed from raw bytes, where digits abound in escapes.

The baseline is a bare Textual app with one focused Input, served by textual-serve's
own Server the same way, in the same run. Figures:

- the time from opening every tab until the last one echoes a key ("interactive");
- key-to-echo latency p50/p95 while every tab types (one key at a time each, a
  pause between keys, as people type);
- memory per tab: the PSS of every process under the server, over the tab count.

``TABS`` (default 30) sets the number of tabs; ``BASELINE_DELAY`` seconds delays
the bare app's start (the test uses it to see that the benchmark can move).

The interactive probe types one "¤" at a time until one shows (keys that arrive
before the first screen is mounted are lost, so more than one may land). Typed
keys are digits chosen so that the last three characters of the field after each
key never showed in it before: the screen shows that tail only once the key is in.

Measured 2026-12-03 on the shared two-core machine (other work running), N = 30, two
runs: last tab interactive 13.6 / 12.2 s (bare 5.7 / 6.1), echo p50 73 / 70 ms
(bare 6), p95 407 / 438 ms (bare 18 / 19), 36.8 MB a tab (bare 23.2). Where it goes,
per app process: start-up takes 0.60 s of CPU against the bare app's 0.24 s, of which
about 0.19 s is the course, loaded after the sign-in screen is drawn (importing the
pydantic course model about 0.17 s, reading the course 0.03 s), about 0.05 s importing
peerskole's UI, and the rest composing and styling the larger screen. A key costs
about 8 ms of CPU against 3.5 ms: Textual's Input sets its ``virtual_size`` (a layout
reactive) on every change, so every key reflows the whole screen, and the sign-in
screen's nested ``height: auto`` rows and footer cost more to arrange than one Input.
Thirty tabs typing four keys a second then keep both cores near full, and echoes queue.
"""

from __future__ import annotations

import asyncio
import codecs
import compileall
import contextlib
import html
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

NAME = "serve: last tab interactive"
TARGET = 2.0
"""Ours over the bare app's time until the last tab is interactive."""

REPO = Path(__file__).resolve().parent.parent
COURSE = REPO / "courses" / "peer-grundforloeb"
WIDTH, HEIGHT = 80, 24
KEYS = 30
"""Keys each tab types (the name field holds 80; probes take some)."""
PAUSE = 0.25
"""Seconds a tab waits after an echo before its next key (about four keys a second)."""
PROBE_EVERY = 0.25
MAX_PROBES = 40
KEY_TIMEOUT = 20.0
START_TIMEOUT = 90.0

SOCKET_URL = re.compile(r'data-session-websocket-url="([^"]+)"')
PROBE = "¤"

BARE_APP = """
import os, time
time.sleep(float(os.environ.get("BASELINE_DELAY") or 0))
from textual.app import App
from textual.widgets import Input

class Bare(App):
    def compose(self):
        yield Input(max_length=80)

    def on_mount(self):
        self.query_one(Input).focus()

Bare().run()
"""

BARE_SERVER = """
import sys
from textual_serve.server import Server
Server(sys.argv[1], host="127.0.0.1", port=int(sys.argv[2])).serve()
"""

# CSI, OSC (ended by BEL or ST), other two-byte escapes; then control characters.
TOKEN = re.compile(
    r"\x1b\[([0-?]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[ -/]*[0-~]"
    r"|[\x00-\x1f\x7f]"
)
INCOMPLETE = re.compile(r"\x1b(\[[0-?]*[ -/]*|\][^\x07\x1b]*|[ -/]*)?$")


class Terminal:
    """Enough of a terminal to read what Textual draws: cells moved to and written."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.cells = [[" "] * width for _ in range(height)]
        self.x = self.y = 0
        self._decode = codecs.getincrementaldecoder("utf-8")("replace").decode
        self._pending = ""

    def feed(self, data: bytes) -> None:
        text = self._pending + self._decode(data)
        cut = INCOMPLETE.search(text)
        if cut:
            text, self._pending = text[:cut.start()], text[cut.start():]
        else:
            self._pending = ""
        at = 0
        for match in TOKEN.finditer(text):
            self._write(text[at:match.start()])
            at = match.end()
            token = match.group(0)
            if match.group(2) is not None:
                self._control(match.group(1), match.group(2))
            elif token == "\r":
                self.x = 0
            elif token == "\n":
                self.y = min(self.y + 1, self.height - 1)
            elif token == "\b":
                self.x = max(self.x - 1, 0)
        self._write(text[at:])

    def _control(self, params: str, final: str) -> None:
        numbers = [int(p) if p.isdigit() else 0 for p in params.split(";")]
        first = numbers[0] or 1
        if final in "Hf":
            row = first
            column = (numbers[1] if len(numbers) > 1 else 0) or 1
            self.y, self.x = min(row, self.height) - 1, min(column, self.width) - 1
        elif final == "G":
            self.x = min(first, self.width) - 1
        elif final == "C":
            self.x = min(self.x + first, self.width - 1)
        elif final == "D":
            self.x = max(self.x - first, 0)
        elif final == "J" and params in ("2", "3"):
            self.cells = [[" "] * self.width for _ in range(self.height)]

    def _write(self, text: str) -> None:
        row = self.cells[self.y]
        for char in text:
            if self.x >= self.width:
                break
            row[self.x] = char
            self.x += 1
            if unicodedata.east_asian_width(char) in "WF" and self.x < self.width:
                row[self.x] = ""
                self.x += 1

    def shows(self, text: str) -> bool:
        return any(text in "".join(row) for row in self.cells)

    def blank(self) -> bool:
        return all(not "".join(row).strip() for row in self.cells)

    def screen(self) -> str:
        return "\n".join("".join(row).rstrip() for row in self.cells)


def typed_digits(count: int, rng: random.Random) -> str:
    """``count`` digits in which every three in a row are new (so is each tail after "¤")."""
    seen: set[str] = set()
    digits = ""
    while len(digits) < count:
        choices = [d for d in "0123456789" if (digits[-2:] + d) not in seen]
        digit = rng.choice(choices)
        digits += digit
        if len(digits) >= 3:
            seen.add(digits[-3:])
    return digits


@dataclass
class Tab:
    """One browser tab: its connection, its terminal, its figures."""

    number: int
    terminal: Terminal = field(default_factory=lambda: Terminal(WIDTH, HEIGHT))
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    closed: bool = False
    interactive: float | None = None
    latencies: list[float] = field(default_factory=list)

    async def until(self, wanted: str | None, timeout: float) -> float | None:
        """Wait until the screen shows ``wanted`` (None: anything); its time, or None."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if (not self.terminal.blank()) if wanted is None else self.terminal.shows(wanted):
                return time.perf_counter()
            if self.closed:
                raise RuntimeError(f"tab {self.number}: the connection closed; the screen "
                                   f"was:\n{self.terminal.screen()}")
            left = deadline - loop.time()
            if left <= 0:
                return None
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), left)


async def read(tab: Tab, socket: object) -> None:
    import aiohttp

    assert isinstance(socket, aiohttp.ClientWebSocketResponse)
    async for message in socket:
        if message.type == aiohttp.WSMsgType.BINARY:
            tab.terminal.feed(message.data)
            tab.changed.set()
    tab.closed = True
    tab.changed.set()


async def send(socket: object, text: str) -> None:
    import aiohttp

    assert isinstance(socket, aiohttp.ClientWebSocketResponse)
    await socket.send_str(json.dumps(["stdin", text]))


async def run_tab(tab: Tab, base: str, start: float, everyone_in: asyncio.Barrier,
                  all_typed: asyncio.Event, digits: str) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.get(base + "/") as response:
            page = await response.text()
            if response.status != 200:
                raise RuntimeError(f"tab {tab.number}: page answered {response.status}")
        found = SOCKET_URL.search(page)
        assert found is not None, "no WebSocket address in the page"
        url = html.unescape(found.group(1))
        async with session.ws_connect(f"{url}?width={WIDTH}&height={HEIGHT}",
                                      origin=base) as ws:
            reader = asyncio.create_task(read(tab, ws))
            try:
                await ws.send_str(json.dumps(["resize", {"width": WIDTH, "height": HEIGHT}]))
                await ws.send_str(json.dumps(["focus"]))
                if await tab.until(None, START_TIMEOUT) is None:
                    raise RuntimeError(f"tab {tab.number}: nothing drawn in {START_TIMEOUT} s")
                for _ in range(MAX_PROBES):
                    await send(ws, PROBE)
                    shown = await tab.until(PROBE, PROBE_EVERY)
                    if shown is not None:
                        tab.interactive = shown - start
                        break
                else:
                    raise RuntimeError(f"tab {tab.number}: no echo after {MAX_PROBES} keys; "
                                       f"the screen was:\n{tab.terminal.screen()}")
                await everyone_in.wait()
                await asyncio.sleep(random.uniform(0, PAUSE))
                value = PROBE
                for digit in digits:
                    value += digit
                    sent = time.perf_counter()
                    await send(ws, digit)
                    shown = await tab.until(value[-3:], KEY_TIMEOUT)
                    if shown is None:
                        raise RuntimeError(f"tab {tab.number}: {digit!r} not echoed in "
                                           f"{KEY_TIMEOUT} s; the screen was:\n"
                                           f"{tab.terminal.screen()}")
                    tab.latencies.append(shown - sent)
                    await asyncio.sleep(PAUSE)
                await everyone_in.wait()  # all have typed: memory is measured now
                await all_typed.wait()
            finally:
                reader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reader


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def descendants(root: int) -> list[int]:
    """Every process below ``root``, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def pss(pid: int) -> int:
    """Proportional set size of a process in bytes (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@dataclass
class Figures:
    last_interactive: float
    p50: float
    p95: float
    memory_per_tab: float


def wait_listening(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server not listening: {log.read_text(errors='replace')[-2000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and every app under it (their own process group)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            break
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # apps still quitting after the server


def measure(argv: list[str], tabs: int, work: Path, name: str) -> Figures:
    port = free_port()
    log = work / f"{name}.log"
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200"}
    with log.open("wb") as out:
        process = subprocess.Popen([*argv, "--port", str(port)] if name == "ours" else
                                   [*argv, str(port)], cwd=REPO, env=env,
                                   stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                   start_new_session=True)
    try:
        wait_listening(process, port, log)
        return asyncio.run(_classroom(f"http://127.0.0.1:{port}", tabs, process.pid))
    except BaseException as error:
        raise RuntimeError(f"{name}: {error}\nserver log:\n"
                           f"{log.read_text(errors='replace')[-3000:]}") from error
    finally:
        stop(process)


async def _classroom(base: str, tabs: int, server: int) -> Figures:
    rng = random.Random(15)
    everyone_in = asyncio.Barrier(tabs + 1)
    all_typed = asyncio.Event()
    group = [Tab(n) for n in range(tabs)]
    start = time.perf_counter()
    runs = [asyncio.create_task(run_tab(tab, base, start, everyone_in, all_typed,
                                        typed_digits(KEYS, rng)))
            for tab in group]
    waiting = asyncio.ensure_future(everyone_in.wait())
    memory = 0
    try:
        for phase in ("interactive", "typed"):
            done, _ = await asyncio.wait([waiting, *runs], return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task is not waiting:
                    task.result()  # a tab failed: say why
                    raise RuntimeError("a tab ended early")
            if phase == "interactive":
                waiting = asyncio.ensure_future(everyone_in.wait())
        memory = sum(pss(pid) for pid in descendants(server))
        all_typed.set()
        await asyncio.gather(*runs)
    finally:
        for task in runs:
            task.cancel()
        await asyncio.gather(*runs, return_exceptions=True)
    latencies = sorted(x for tab in group for x in tab.latencies)
    return Figures(
        last_interactive=max(tab.interactive or 0.0 for tab in group),
        p50=statistics.median(latencies),
        p95=latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))],
        memory_per_tab=memory / tabs,
    )


def classroom(tabs: int | None = None) -> tuple[Figures, Figures]:
    """Measure (ours, bare) for ``tabs`` tabs (default: ``TABS`` or 30)."""
    tabs = tabs or int(os.environ.get("TABS") or 30)
    compileall.compile_dir(REPO / "peerskole", quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        data = work / "data"
        bare = work / "bare_app.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        server = work / "bare_server.py"
        server.write_text(BARE_SERVER, encoding="utf-8")
        base = measure([sys.executable, str(server), f"{sys.executable} {bare}"],
                       tabs, work, "bare")
        ours = measure([sys.executable, "-m", "peerskole", "serve", "--course", str(COURSE),
                        "--data-dir", str(data), "--max-sessions", str(tabs),
                        "--idle-minutes", "60"], tabs, work, "ours")
    return ours, base


def report(tabs: int, ours: Figures, base: Figures) -> None:
    mb = 1024 * 1024
    rows = [
        ("last tab interactive (s)", ours.last_interactive, base.last_interactive, 10.0, 1),
        ("echo p50 (ms)", ours.p50 * 1000, base.p50 * 1000, None, 1),
        ("echo p95 (ms)", ours.p95 * 1000, base.p95 * 1000, 150.0, 1),
        ("memory per tab (MB)", ours.memory_per_tab / mb, base.memory_per_tab / mb, 60.0, 1),
    ]
    print(f"  {tabs} tabs          {'ours':>10}{'base':>10}{'ratio':>8}  target (N=30)")
    for label, mine, theirs, target, _ in rows:
        verdict = "" if target is None else f"< {target:g}  {'ok' if mine < target else 'OVER'}"
        print(f"  {label:<24}{mine:>10.2f}{theirs:>10.2f}{mine / theirs:>8.2f}  {verdict}")


def run() -> tuple[float, float]:
    """Return (our, the bare app's) seconds until the last tab is interactive."""
    tabs = int(os.environ.get("TABS") or 30)
    ours, base = classroom(tabs)
    report(tabs, ours, base)
    return ours.last_interactive, base.last_interactive
