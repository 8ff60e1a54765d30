"""Only the trainee's own browser drives the app: Host, Origin and token checks.

Real HTTP requests and real WebSocket clients (aiohttp's) against a real running
``peerskole serve``; a browser would send the same headers, and cannot forge them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import aiohttp
import pytest

from peerskole.ui.serve import Guard, Tokens
from tests.conftest import SAMPLE_COURSE
from tests.web.conftest import Served, free_port

SOCKET_URL = re.compile(r'data-session-websocket-url="([^"]+)"')


@pytest.fixture
def port(serve: Callable[..., Served]) -> int:
    """The port of a running ``peerskole serve`` on 127.0.0.1."""
    number = free_port()
    served = serve("--port", str(number), "--course", str(SAMPLE_COURSE))
    served.wait_until_listening(number)
    return number


async def page_socket_url(session: aiohttp.ClientSession, url: str,
                          host: str | None = None) -> str:
    """The WebSocket address, token and all, in the page at ``url``."""
    headers = {"Host": host} if host else {}
    async with session.get(url, headers=headers) as response:
        assert response.status == 200
        found = SOCKET_URL.search(await response.text())
    assert found is not None
    return found.group(1)


async def refusal(session: aiohttp.ClientSession, url: str,
                  **options: str | dict[str, str]) -> tuple[int, str]:
    """Try a WebSocket upgrade that should be refused: its status and the text with it."""
    headers = options.pop("headers", {})
    assert isinstance(headers, dict)
    async with session.get(url.replace("ws:", "http:", 1), headers={
        "Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", **headers,
    }) as response:
        return response.status, await response.text()


async def app_answers(session: aiohttp.ClientSession, url: str, origin: str) -> bool:
    """Whether a WebSocket to ``url`` from ``origin`` opens and the app starts drawing."""
    try:
        async with session.ws_connect(url + "?width=80&height=24", origin=origin) as socket:
            message = await socket.receive(timeout=30)
            return message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT)
    except aiohttp.WSServerHandshakeError:
        return False


async def test_the_page_s_own_origin_and_token_open_the_app_once(port: int) -> None:
    origin = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        url = await page_socket_url(session, origin + "/")
        assert url.startswith(f"ws://127.0.0.1:{port}/ws/")
        assert await app_answers(session, url, origin)
        # The token is used up: the same address again is refused.
        assert not await app_answers(session, url, origin)
        status, text = await refusal(session, url, headers={"Origin": origin})
        assert status == 403
        assert "Reload the page" in text
        # A second page gets a token of its own.
        again = await page_socket_url(session, origin + "/")
        assert again != url
        assert await app_answers(session, again, origin)


async def test_a_page_opened_as_localhost_connects_from_that_origin(port: int) -> None:
    async with aiohttp.ClientSession() as session:
        url = await page_socket_url(session, f"http://localhost:{port}/")
        assert await app_answers(session, url, f"http://localhost:{port}")


@pytest.mark.parametrize("origin", [
    "http://evil.example", "http://127.0.0.1", "http://127.0.0.1:1", "https://127.0.0.1:{port}",
    "null",
])
async def test_another_origin_is_refused(port: int, origin: str) -> None:
    own = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        url = await page_socket_url(session, own + "/")
        status, text = await refusal(session, url, headers={"Origin": origin.format(port=port)})
        assert status == 403
        assert "Only peerskole's own page may connect" in text
        # Refused before the token was looked at: the page itself still connects.
        assert await app_answers(session, url, own)


async def test_an_upgrade_without_origin_is_refused(port: int) -> None:
    async with aiohttp.ClientSession() as session:
        url = await page_socket_url(session, f"http://127.0.0.1:{port}/")
        status, text = await refusal(session, url)  # aiohttp sends no Origin of its own
        assert status == 403
        assert "Only peerskole's own page may connect" in text


@pytest.mark.parametrize("path", ["/ws", "/ws/", "/ws/made-up-token"])
async def test_an_upgrade_without_a_token_from_a_page_is_refused(port: int, path: str) -> None:
    origin = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        await page_socket_url(session, origin + "/")  # a token exists, but is not this one
        status, text = await refusal(session, f"ws://127.0.0.1:{port}{path}",
                                     headers={"Origin": origin})
        assert status == 403
        assert "Reload the page" in text
        assert not await app_answers(session, f"ws://127.0.0.1:{port}{path}", origin)


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1:1", ""])
async def test_a_request_for_another_host_is_refused(port: int, host: str) -> None:
    """DNS rebinding: evil.example resolving to 127.0.0.1 sends Host: evil.example."""
    async with aiohttp.ClientSession() as session:
        for path in ("/", "/static/js/textual.js", "/ws/x"):
            async with session.get(f"http://127.0.0.1:{port}{path}",
                                   headers={"Host": host.format(port=port)}) as response:
                assert response.status == 421
                text = await response.text()
                assert "answers only to its own address" in text
                assert "<" not in text  # a sentence, not a page


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}",
                                  "[::1]:{port}"])
async def test_a_request_for_this_server_is_answered(port: int, host: str) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}/",
                               headers={"Host": host.format(port=port)}) as response:
            assert response.status == 200
            assert "<title>peerskole</title>" in await response.text()


async def test_behind_a_proxy_the_public_url_s_host_and_origin_are_the_page_s(
    serve: Callable[..., Served],
) -> None:
    number = free_port()
    served = serve("--port", str(number), "--course", str(SAMPLE_COURSE),
                   "--public-url", "https://kursus.example.org")
    served.wait_until_listening(number)
    local = f"http://127.0.0.1:{number}"
    async with aiohttp.ClientSession() as session:
        # A proxy may pass the browser's Host on, or its own upstream one.
        url = await page_socket_url(session, local + "/", host="kursus.example.org")
        assert url.startswith("wss://kursus.example.org/ws/")
        socket_here = url.replace("wss://kursus.example.org", f"ws://127.0.0.1:{number}")
        status, _ = await refusal(session, socket_here, headers={"Origin": "http://evil.example"})
        assert status == 403
        assert await app_answers(session, socket_here, "https://kursus.example.org")
        async with session.get(local + "/", headers={"Host": "other.example.org"}) as response:
            assert response.status == 421


def test_the_allowed_hosts_and_origins() -> None:
    guard = Guard("127.0.0.1", 8000)
    assert guard.hosts == {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}
    assert guard.origins == {"http://127.0.0.1:8000", "http://localhost:8000",
                             "http://[::1]:8000"}
    assert not guard.host_allowed(None)
    assert not guard.origin_allowed(None)

    public = Guard("0.0.0.0", 8000, "https://Kursus.Example.org/")
    assert public.hosts == {"0.0.0.0:8000", "kursus.example.org", "kursus.example.org:443"}
    assert public.origins == {"http://0.0.0.0:8000", "https://kursus.example.org"}
    assert public.host_allowed("KURSUS.example.org")
    assert not public.host_allowed("localhost:8000")  # not bound to loopback

    assert Guard("::1", 80).hosts >= {"[::1]:80", "[::1]", "localhost"}
    assert "http://kursus.example.org:8443" in Guard("::", 8000,
                                                     "http://kursus.example.org:8443").origins


def test_a_token_opens_once_and_only_for_a_while() -> None:
    now = [100.0]
    tokens = Tokens(lifetime=60, limit=3, clock=lambda: now[0])
    first, second = tokens.issue(), tokens.issue()
    assert first != second and len(first) >= 40
    assert tokens.redeem(first)
    assert not tokens.redeem(first)
    assert not tokens.redeem("")
    now[0] += 60
    assert not tokens.redeem(second)  # expired
    # Past the limit the oldest unused token is forgotten.
    oldest, *rest = [tokens.issue() for _ in range(4)]
    assert not tokens.redeem(oldest)
    assert all(tokens.redeem(token) for token in rest)
