"""Each part of textual-serve (and of Textual's web driver) that peerskole's server relies on
and textual-serve does not promise still exists and means what peerskole takes it to mean
(peerskole/ui/web/serve_compat.py). An upgrade that moves one fails here, by name."""

from __future__ import annotations

import inspect
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import WSMsgType
from textual.drivers.web_driver import WebDriver
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager
from textual_serve.server import Server

from peerskole.ui.web import serve_compat
from peerskole.ui.web.serve_compat import TabApp


async def nothing(*args: object) -> None:
    return None


class Recorded(TabApp):
    """A tab's app that records what reaches it instead of starting a process."""

    def __init__(self) -> None:
        super().__init__("true", write_bytes=nothing, write_str=nothing, close=nothing,
                         download_manager=DownloadManager())
        self.received: list[object] = []

    async def send_meta(self, data: dict[str, str | None | int | bool]) -> bool:
        self.received.append(data)
        return True


class Message:
    def __init__(self, envelope: list[object]) -> None:
        self.type = WSMsgType.TEXT
        self.data = json.dumps(envelope)

    def json(self) -> Any:
        return json.loads(self.data)


class Browser:
    """What textual.js sends, as aiohttp's WebSocketResponse hands it on."""

    def __init__(self, *envelopes: list[object]) -> None:
        self.envelopes = envelopes
        self.sent: list[object] = []

    def __aiter__(self) -> AsyncIterator[Message]:
        async def messages() -> AsyncIterator[Message]:
            for envelope in self.envelopes:
                yield Message(envelope)

        return messages()

    async def send_json(self, data: object) -> None:
        self.sent.append(data)


async def test_the_relay_passes_keys_sizes_pings_and_focus_as_textual_serve_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert inspect.iscoroutinefunction(Server._process_messages)
    assert list(inspect.signature(Server._process_messages).parameters) == [
        "self", "websocket", "app_service"]
    keys: list[bytes] = []

    async def to_stdin(self: AppService, data: bytes) -> bool:
        keys.append(data)
        return True

    monkeypatch.setattr(AppService, "send_bytes", to_stdin)
    app = Recorded()
    app.last_input = 0.0
    browser = Browser(["stdin", "å"], ["resize", {"width": 90, "height": 30}], ["ping", "7"],
                      ["blur"], ["focus"])
    server = Server("true")
    await serve_compat.relay(server, browser, app)  # type: ignore[arg-type]
    assert keys == ["å".encode()]  # through TabApp.send_bytes, which notes the time
    assert app.last_input > 0
    assert app.received == [{"type": "resize", "width": 90, "height": 30}, {"type": "blur"},
                            {"type": "focus"}]
    assert browser.sent == [["pong", "7"]]


async def test_asking_to_quit_is_the_meta_textual_s_web_driver_exits_on() -> None:
    app = Recorded()
    assert await app.ask_to_quit()
    assert app.received == [{"type": "quit"}]
    # Textual's WebDriver answers that meta by posting ExitApp, as for a closed tab.
    source = inspect.getsource(WebDriver.on_meta)
    assert 'packet_type == "quit"' in source
    assert "ExitApp()" in source.split('packet_type == "quit"', 1)[1].split("elif", 1)[0]


def test_the_app_service_takes_what_the_server_gives_it() -> None:
    parameters = inspect.signature(AppService.__init__).parameters
    for name in ("command", "write_bytes", "write_str", "close", "download_manager", "debug"):
        assert name in parameters, name
    for method, arguments in (("start", ["self", "width", "height"]), ("stop", ["self"]),
                              ("send_bytes", ["self", "data"]),
                              ("send_meta", ["self", "data"])):
        function = getattr(AppService, method)
        assert inspect.iscoroutinefunction(function), method
        assert list(inspect.signature(function).parameters) == arguments, method
    # The server's own attributes the tab's app is started with.
    server = Server("true")
    assert isinstance(server.download_manager, DownloadManager)
    assert server.debug is False
