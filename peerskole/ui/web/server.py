"""textual-serve's server with peerskole's page, and only that page's connections let in.

The rules themselves (which Host and Origin headers, which tokens) are in
:mod:`peerskole.ui.serve`; this module applies them to textual-serve's aiohttp app.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp.typedefs import Handler
from textual_serve.server import Server, to_int

from peerskole.i18n import Translator
from peerskole.ui.serve import NO_TOKEN, WRONG_HOST, WRONG_ORIGIN, Guard, Tokens

TEMPLATES: Final = Path(__file__).resolve().parent
"""This folder, where page.html is."""


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
    """

    def __init__(self, command: str, host: str, port: int, public_url: str | None,
                 language: str) -> None:
        super().__init__(command, host=host, port=port, title="peerskole",
                         public_url=public_url, templates_path=TEMPLATES)
        self.translate = Translator(language)
        self.guard = Guard(host, port, public_url)
        self.tokens = Tokens()

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
        """peerskole's page, with a fresh token in its WebSocket address."""
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
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "static_url": f"{base}/static/",
            "websocket_url": socket_url,
            "nonce": nonce,
        }
        response = aiohttp_jinja2.render_template("page.html", request, context)
        # The browser itself holds the page to this server's addresses; no other site
        # may frame it and trick a trainee into typing into it; the page is made for
        # one load (its token), so no cache keeps it.
        response.headers["Content-Security-Policy"] = content_policy(
            origin_of(base), origin_of(socket_url), nonce)
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """The app's WebSocket, for this server's own page with an unused token only."""
        origin = request.headers.get("Origin")
        if not self.guard.origin_allowed(origin):
            raise web.HTTPForbidden(text=WRONG_ORIGIN.format(origin=repr(origin or "nowhere")))
        if not self.tokens.redeem(request.match_info["token"]):
            raise web.HTTPForbidden(text=NO_TOKEN)
        return await super().handle_websocket(request)

    async def refuse_websocket(self, request: web.Request) -> web.StreamResponse:
        """A WebSocket without a token: textual-serve's own address, refused."""
        raise web.HTTPForbidden(text=NO_TOKEN)
