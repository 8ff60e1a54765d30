"""The parts of textual-serve (and of Textual's web driver) peerskole's server relies on
that textual-serve does not promise to keep, in one place.

textual-serve documents its :class:`~textual_serve.server.Server` and nothing else; the
tab limit and the idle close need the app process of each tab, so peerskole starts it
itself with textual-serve's :class:`~textual_serve.app_service.AppService`, as
``Server.handle_websocket`` does. ``tests/web/test_serve_compat.py`` checks each name
here still exists and means what peerskole takes it to mean, so an upgrade that moves
one fails there, by name.

Kept apart from :mod:`peerskole.ui.textual_compat`: that one is imported by every app
process, and this one brings aiohttp with it.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Final

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager
from textual_serve.server import Server

QUIT: Final[dict[str, str | None | int | bool]] = {"type": "quit"}
"""The meta packet that asks a tab's app to quit: Textual's WebDriver posts ``ExitApp``
for it, as when the tab is closed (the app's screens are unmounted, which records their
drafts, and the app waits for its writes)."""


class TabApp(AppService):
    """textual-serve's app process for one tab, noting when the trainee last typed or clicked.

    Args:
        command: the app's command line.
        write_bytes: sends the app's output to the browser.
        write_str: sends a text message to the browser.
        close: closes the browser's connection (the app has exited).
        download_manager: the server's (for files the app delivers).
        debug: textual-serve's debug mode.
    """

    def __init__(self, command: str, *, write_bytes: Callable[[bytes], Awaitable[None]],
                 write_str: Callable[[str], Awaitable[None]],
                 close: Callable[[], Awaitable[None]], download_manager: DownloadManager,
                 debug: bool = False) -> None:
        super().__init__(command, write_bytes=write_bytes, write_str=write_str, close=close,
                         download_manager=download_manager, debug=debug)
        self.last_input = time.monotonic()
        """When the browser last sent a key or a mouse event (monotonic seconds)."""

    async def send_bytes(self, data: bytes) -> bool:
        """Pass keys and mouse events to the app (every one counts as activity)."""
        self.last_input = time.monotonic()
        return await super().send_bytes(data)

    async def ask_to_quit(self) -> bool:
        """Ask the app to quit, as textual-serve does when its tab closes."""
        return await self.send_meta(dict(QUIT))


async def relay(server: Server, websocket: web.WebSocketResponse, app: TabApp) -> None:
    """Pass the browser's messages to the app until the connection closes.

    textual-serve's own loop (``Server._process_messages``), so keys, resizes, pings and
    focus changes mean what they mean in textual-serve.
    """
    await server._process_messages(websocket, app)
