"""A limit on tabs and an idle close: a real ``peerskole serve`` and real WebSocket clients.

Small numbers through the options (one tab, an idle time of a few seconds) keep the
tests fast; the rules themselves are the ones any limit and any idle time follow.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable

import aiohttp
import pytest

from peerskole.ui.serve import (
    CLOSE_FULL,
    CLOSE_IDLE,
    MEMORY_PER_SESSION,
    SESSIONS_PER_CORE,
    default_max_sessions,
)
from tests.conftest import SAMPLE_COURSE
from tests.web.conftest import Served, free_port
from tests.web.test_guard import page_socket_url

OTHER_HOSTS = re.compile(r"""(?:https?:)?//(?!127\.0\.0\.1:\d+/)[^\s"'<>]+""")


def start(serve: Callable[..., Served], *options: str) -> str:
    """Start ``peerskole serve`` with ``options``; its address."""
    port = free_port()
    served = serve("--port", str(port), "--course", str(SAMPLE_COURSE), *options)
    served.wait_until_listening(port)
    return f"http://127.0.0.1:{port}"


async def open_tab(session: aiohttp.ClientSession, origin: str) -> aiohttp.ClientWebSocketResponse:
    """A tab: its page, then its WebSocket, once the app has drawn something."""
    url = await page_socket_url(session, origin + "/")
    socket = await session.ws_connect(url + "?width=80&height=24", origin=origin)
    message = await socket.receive(timeout=30)
    assert message.type == aiohttp.WSMsgType.BINARY, message
    return socket


async def closed_with(socket: aiohttp.ClientWebSocketResponse, timeout: float) -> int | None:
    """Read the app's output until the server closes the connection; the close code."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        message = await socket.receive(timeout=left)
        if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                            aiohttp.WSMsgType.CLOSING):
            return socket.close_code
    raise AssertionError(f"the connection was still open after {timeout} s")


async def status_of(session: aiohttp.ClientSession, url: str) -> tuple[int, str, str]:
    async with session.get(url) as response:
        return response.status, await response.text(), response.headers.get("Retry-After", "")


async def wait_for_status(session: aiohttp.ClientSession, url: str, status: int,
                          timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while (await status_of(session, url))[0] != status:
        assert time.monotonic() < deadline, f"{url} never answered {status}"
        await asyncio.sleep(0.1)


async def test_past_the_limit_a_calm_page_says_it_is_full(serve: Callable[..., Served]) -> None:
    origin = start(serve, "--max-sessions", "1", "--lang", "en")
    async with aiohttp.ClientSession() as session:
        # A page served while there was room, connecting once there is none.
        late_url = await page_socket_url(session, origin + "/")
        first = await open_tab(session, origin)

        status, page, retry = await status_of(session, origin + "/")
        assert status == 503
        assert retry.isdigit()
        assert '<html lang="en">' in page
        assert "Every place on this server is in use right now" in page
        assert 'href="' + origin + '/"' in page  # "Try again" reloads this server's page
        assert "<script" not in page
        assert OTHER_HOSTS.findall(page) == []  # nothing from any other host

        late = await session.ws_connect(late_url + "?width=80&height=24", origin=origin)
        assert await closed_with(late, timeout=10) == CLOSE_FULL

        # The first tab closes: its app quits and its place is free again.
        await first.close()
        await wait_for_status(session, origin + "/", 200)
        again = await open_tab(session, origin)
        await again.close()


async def test_the_full_page_speaks_danish_by_default(serve: Callable[..., Served]) -> None:
    origin = start(serve, "--max-sessions", "1")
    async with aiohttp.ClientSession() as session:
        tab = await open_tab(session, origin)
        status, page, _ = await status_of(session, origin + "/")
        await tab.close()
    assert status == 503
    assert '<html lang="da">' in page
    assert "Alle pladser på denne server er i brug lige nu" in page


async def test_an_idle_tab_is_closed_and_its_page_told_why(serve: Callable[..., Served]) -> None:
    # 0.05 minutes: three seconds without a key or a click.
    origin = start(serve, "--max-sessions", "1", "--idle-minutes", "0.05", "--lang", "en")
    async with aiohttp.ClientSession() as session:
        status, page, _ = await status_of(session, origin + "/")
        assert status == 200
        # What the page shows when the server closes for idleness, in the page's language.
        assert f'"{CLOSE_IDLE}": "The page was not used for 0.05' in page
        assert "What you had written is saved" in page

        tab = await open_tab(session, origin)
        # Typing keeps it open: a key a second for longer than the idle time.
        for _ in range(5):
            await tab.send_json(["stdin", "a"])
            last_key = time.monotonic()
            await asyncio.sleep(1)
        assert not tab.closed
        assert await closed_with(tab, timeout=30) == CLOSE_IDLE
        assert time.monotonic() - last_key >= 3  # three seconds after the last key, not before
        # The app has quit: its place is free for the next tab.
        await wait_for_status(session, origin + "/", 200)


@pytest.mark.parametrize(("cores", "memory", "expected"), [
    (2, 24 * 1024**3, 2 * SESSIONS_PER_CORE),  # this machine: the cores decide
    (8, 10 * MEMORY_PER_SESSION, 10),  # little memory decides
    (4, None, 4 * SESSIONS_PER_CORE),  # memory unknown
    (1, 0, 1),  # never none
])
def test_the_default_limit_follows_cores_and_memory(
    cores: int, memory: int | None, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("peerskole.ui.serve.available_memory", lambda: memory)
    assert default_max_sessions(cores) == expected
    assert default_max_sessions(cores, memory) == expected


def test_the_options_refuse_what_is_no_limit(capsys: pytest.CaptureFixture[str]) -> None:
    from peerskole.cli import build_parser

    args = build_parser().parse_args(["serve", "--max-sessions", "3", "--idle-minutes", "0.5"])
    assert (args.max_sessions, args.idle_minutes) == (3, 0.5)
    defaults = build_parser().parse_args(["serve"])
    assert (defaults.max_sessions, defaults.idle_minutes) == (None, 30.0)
    for option, value in (("--max-sessions", "0"), ("--max-sessions", "-2"),
                          ("--idle-minutes", "0"), ("--idle-minutes", "nan"),
                          ("--idle-minutes", "inf")):
        with pytest.raises(SystemExit):
            build_parser().parse_args(["serve", option, value])
        assert value in capsys.readouterr().err
