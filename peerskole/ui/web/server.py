"""textual-serve's server with peerskole's page, and only that page's connections let in.

The rules themselves (which Host and Origin headers, which tokens, how many tabs) are in
:mod:`peerskole.ui.serve`; this module applies them to textual-serve's aiohttp app. Each
tab's app process is started here (see :mod:`peerskole.ui.web.serve_compat`), so the
server knows how many run and when each was last used.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp.typedefs import Handler
from textual_serve.server import Server, to_int

from peerskole.i18n import Translator
from peerskole.ui.serve import (
    CLOSE_FULL,
    CLOSE_IDLE,
    DEFAULT_IDLE_MINUTES,
    NO_TOKEN,
    WRONG_HOST,
    WRONG_ORIGIN,
    Guard,
    Tokens,
    default_max_sessions,
)
from peerskole.ui.web.serve_compat import TabApp, relay

TEMPLATES: Final = Path(__file__).resolve().parent
"""This folder, where page.html is."""

QUIT_GRACE_SECONDS: Final = 20.0
"""How long an idle tab's app has to save and quit before its connection is closed anyway."""

RETRY_AFTER_SECONDS: Final = 60
"""What the "full" page's Retry-After header suggests."""

log = logging.getLogger("peerskole.serve")


class Tab:
    """One browser tab's connection and app process.

    Args:
        websocket: the tab's connection.
    """

    def __init__(self, websocket: web.WebSocketResponse) -> None:
        self.websocket = websocket
        self.idle = False
        """True once the tab is being closed for being idle."""

    async def close(self) -> None:
        """Close the connection; the close code tells the page when it was for idleness."""
        if self.idle:
            await self.websocket.close(code=CLOSE_IDLE, message=b"idle")
        else:
            await self.websocket.close()


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of ``url``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_policy(origin: str, socket_origin: str, nonce: str) -> str:
    """The page's Content-Security-Policy: nothing from or to any other host.

    Args:
        origin: where the page's script, styles and fonts are (the public URL's origin).
        socket_origin: the origin of its WebSocket address.
        nonce: the page's own, on its two scripts.
    """
    own = f"'self' {origin}"
    return "; ".join([
        f"default-src {own}",
        f"script-src {own} 'nonce-{nonce}'",
        # xterm.js styles its elements inline.
        f"style-src {own} 'unsafe-inline'",
        f"img-src {own} data: blob:",
        f"font-src {own} data:",
        f"connect-src {own} {socket_origin}",
        f"worker-src {own} blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ])


class PeerskoleServer(Server):
    """textual-serve's :class:`Server` with peerskole's page, Host and Origin checks and tokens.

    Args:
        command: the app's command line (see :func:`peerskole.ui.serve.app_command`).
        host: the address to listen on.
        port: the port to listen on.
        public_url: the address browsers use, when a proxy sits in front.
        language: the page's language.
        max_sessions: tabs served at once; a page past that says it is full.
        idle_seconds: a tab without a key or a click this long is closed.
    """

    def __init__(self, command: str, host: str, port: int, public_url: str | None,
                 language: str, max_sessions: int | None = None,
                 idle_seconds: float = DEFAULT_IDLE_MINUTES * 60) -> None:
        super().__init__(command, host=host, port=port, title="peerskole",
                         public_url=public_url, templates_path=TEMPLATES)
        self.translate = Translator(language)
        self.guard = Guard(host, port, public_url)
        self.tokens = Tokens()
        self.max_sessions = max_sessions or default_max_sessions()
        self.idle_seconds = idle_seconds
        self.tabs: set[Tab] = set()
        """The tabs whose app runs now (or is still quitting)."""

    @property
    def full(self) -> bool:
        """Whether every place is taken."""
        return len(self.tabs) >= self.max_sessions

    async def _make_app(self) -> web.Application:
        """textual-serve's routes, with the WebSocket under a token and no folder listings."""
        app = web.Application(middlewares=[self.check_host])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws/{token}", self.handle_websocket, name="websocket"),
            web.get("/ws", self.refuse_websocket),
            web.get("/ws/", self.refuse_websocket),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, show_index=False, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def check_host(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Answer only requests addressed to this server (no DNS rebinding)."""
        host = request.headers.get("Host")
        if not self.guard.host_allowed(host):
            return web.Response(status=421, text=WRONG_HOST.format(host=repr(host or "")))
        return await handler(request)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """peerskole's page, with a fresh token in its WebSocket address; or, when every
        place is taken, a calm page saying so (503)."""
        if self.full:
            return self.full_page(request)
        router = request.app.router
        base = self.public_url.rstrip("/")
        token = self.tokens.issue()
        socket_url = base + str(router["websocket"].url_for(token=token))
        scheme, rest = socket_url.split(":", 1)
        socket_url = ("wss:" if scheme == "https" else "ws:") + rest
        nonce = secrets.token_urlsafe(16)
        t = self.translate
        context = {
            "language": t.language,
            "title": t("app.title"),
            "intro": t("web.intro"),
            "noscript": t("web.noscript"),
            "start": t("web.start"),
            "ended": t("web.ended"),
            "restart": t("web.restart"),
            "close_messages": {
                str(CLOSE_IDLE): t("web.idle", minutes=f"{self.idle_seconds / 60:g}"),
                str(CLOSE_FULL): t("web.full"),
            },
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "static_url": f"{base}/static/",
            "websocket_url": socket_url,
            "nonce": nonce,
        }
        response = aiohttp_jinja2.render_template("page.html", request, context)
        # The browser itself holds the page to this server's addresses; no other site
        # may frame it and trick a trainee into typing into it; the page is made for
        # one load (its token), so no cache keeps it.
        self._protect(response, content_policy(origin_of(base), origin_of(socket_url), nonce))
        return response

    def full_page(self, request: web.Request) -> web.StreamResponse:
        """The page for when every place is taken: 503, and a link to try again."""
        t = self.translate
        base = self.public_url.rstrip("/")
        context = {
            "language": t.language,
            "title": t("app.title"),
            "heading": t("web.full_title"),
            "message": t("web.full"),
            "again": t("web.try_again"),
            "again_url": f"{base}/",
            "static_url": f"{base}/static/",
        }
        response = aiohttp_jinja2.render_template("notice.html", request, context, status=503)
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        self._protect(response, content_policy(origin_of(base), origin_of(base),
                                               secrets.token_urlsafe(16)))
        return response

    @staticmethod
    def _protect(response: web.StreamResponse, policy: str) -> None:
        response.headers["Content-Security-Policy"] = policy
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """The app's WebSocket, for this server's own page with an unused token only."""
        origin = request.headers.get("Origin")
        if not self.guard.origin_allowed(origin):
            raise web.HTTPForbidden(text=WRONG_ORIGIN.format(origin=repr(origin or "nowhere")))
        if not self.tokens.redeem(request.match_info["token"]):
            raise web.HTTPForbidden(text=NO_TOKEN)
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        if self.full:
            # Full since its page was served: the page says so, with a button to retry.
            await websocket.close(code=CLOSE_FULL, message=b"full")
            return websocket
        tab = Tab(websocket)
        self.tabs.add(tab)  # no await since the check: no other tab can take the place
        try:
            await self.run_tab(request, tab)
        finally:
            self.tabs.discard(tab)
        return websocket

    async def run_tab(self, request: web.Request, tab: Tab) -> None:
        """Run one tab's app until the tab or the app closes (textual-serve's own steps,
        with the app's last input watched)."""
        websocket = tab.websocket
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        app: TabApp | None = None
        try:
            app = TabApp(self.command, write_bytes=websocket.send_bytes,
                         write_str=websocket.send_str, close=tab.close,
                         download_manager=self.download_manager, debug=self.debug)
            await app.start(width, height)
            watch = asyncio.create_task(self.close_when_idle(tab, app))
            try:
                await relay(self, websocket, app)
            finally:
                watch.cancel()
                await app.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            if app is not None:
                await app.stop()

    async def close_when_idle(self, tab: Tab, app: TabApp) -> None:
        """Ask the app to quit once nobody has typed or clicked for ``idle_seconds``.

        The app quits as when its tab is closed (drafts recorded, writes saved); its
        exit closes the connection with :data:`CLOSE_IDLE`, so the page says why.
        """
        while (left := app.last_input + self.idle_seconds - time.monotonic()) > 0:
            await asyncio.sleep(left)
        tab.idle = True
        await app.ask_to_quit()
        await asyncio.sleep(QUIT_GRACE_SECONDS)
        await tab.close()  # the app did not close it: the page is told all the same

    async def refuse_websocket(self, request: web.Request) -> web.StreamResponse:
        """A WebSocket without a token: textual-serve's own address, refused."""
        raise web.HTTPForbidden(text=NO_TOKEN)
