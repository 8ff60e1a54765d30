"""peerskole's page under ``peerskole serve``: its own, and nothing fetched from elsewhere.

A real server and Debian's headless chromium (through Playwright, which speaks the
DevTools protocol): every request the page makes, the WebSocket included, is recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import SAMPLE_COURSE
from tests.web.conftest import CHROMIUM_ARGS, KEEP_TERMINAL, Served, free_port, wait_for_screen


def open_page(chromium: Path, url: str, screen_text: str) -> tuple[list[str], dict[str, str]]:
    """Load ``url`` until the app shows ``screen_text``; every URL requested, and the page."""
    from playwright.sync_api import ConsoleMessage, Request, WebSocket, sync_playwright

    requested: list[str] = []
    refused: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1000, "height": 700})

            def record(request: Request) -> None:
                requested.append(request.url)

            def record_socket(socket: WebSocket) -> None:
                requested.append(socket.url)

            def record_console(message: ConsoleMessage) -> None:
                if "Content Security Policy" in message.text:
                    refused.append(message.text)

            # On the context, so requests from workers and other frames count too.
            context.on("request", record)
            page = context.new_page()
            page.on("websocket", record_socket)
            page.on("console", record_console)
            page.add_init_script(KEEP_TERMINAL)
            response = page.goto(url)
            assert response is not None and response.ok
            wait_for_screen(page, screen_text)
            # Fonts load when text first needs them; let every load settle.
            page.wait_for_load_state("networkidle")
            page.evaluate("document.fonts.ready.then(() => true)")
            seen: dict[str, str] = page.evaluate("""() => ({
                lang: document.documentElement.lang,
                title: document.title,
                text: document.querySelector(".intro-dialog").textContent,
                fonts: [...document.fonts].filter(f => f.status === "loaded")
                    .map(f => f.family).join(","),
            })""")
        finally:
            browser.close()
    # The page's own policy blocked nothing it needs (it would have said so here).
    assert not refused, refused
    return requested, seen


def test_the_page_is_peerskoles_and_every_request_goes_to_the_server(
    chromium: Path, serve: Callable[..., Served]
) -> None:
    port = free_port()
    served = serve("--port", str(port), "--course", str(SAMPLE_COURSE))
    served.wait_until_listening(port)

    requested, seen = open_page(chromium, f"http://127.0.0.1:{port}/", "Skriv dit navn")

    own = (f"http://127.0.0.1:{port}/", f"ws://127.0.0.1:{port}/")
    elsewhere = [url for url in requested if not url.startswith(own)]
    assert not elsewhere, f"the page asked other hosts: {elsewhere}"
    assert any(url.startswith(f"ws://127.0.0.1:{port}/ws/") for url in requested)
    # The terminal's font came from the server's own copy, and is in use.
    assert any(url.endswith("/static/fonts/RobotoMono-VariableFont_wght.ttf") for url in requested)
    assert "Roboto Mono" in seen["fonts"]
    # Danish by default, under peerskole's own name.
    assert seen["lang"] == "da"
    assert seen["title"] == "peerskole"
    assert "Et kursus for peer-medarbejdere" in seen["text"]
    assert "Textual" not in seen["text"]


def test_the_page_is_in_the_language_serve_was_given(
    chromium: Path, serve: Callable[..., Served]
) -> None:
    port = free_port()
    served = serve("--port", str(port), "--course", str(SAMPLE_COURSE), "--lang", "en")
    served.wait_until_listening(port)

    # textual.js would fetch a ?ping= address first: a link cannot make the page call out.
    requested, seen = open_page(chromium, f"http://localhost:{port}/?ping=http://evil.example/",
                                "Type your name, your cohort code")

    # Opened as localhost, the page connects to the address serve printed: both are its own.
    elsewhere = [url for url in requested
                 if not url.startswith((f"http://localhost:{port}/",
                                        f"http://127.0.0.1:{port}/", f"ws://127.0.0.1:{port}/"))]
    assert not elsewhere, f"the page asked other hosts: {elsewhere}"
    assert seen["lang"] == "en"
    assert "A course for peer-support workers" in seen["text"]


def test_the_page_is_not_framed_by_other_sites_nor_cached(serve: Callable[..., Served]) -> None:
    from urllib.request import urlopen

    port = free_port()
    served = serve("--port", str(port), "--course", str(SAMPLE_COURSE))
    served.wait_until_listening(port)
    with urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
        headers = response.headers
        page = response.read().decode("utf-8")
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert f"default-src 'self' http://127.0.0.1:{port};" in policy
    assert f"connect-src 'self' http://127.0.0.1:{port} ws://127.0.0.1:{port};" in policy
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cache-Control"] == "no-store"
    # Nothing in the page names another host (the stock page links Google Fonts).
    assert "googleapis" not in page and "https://" not in page


def test_a_tab_closed_for_idleness_says_so_calmly(
    chromium: Path, serve: Callable[..., Served]
) -> None:
    from playwright.sync_api import sync_playwright

    port = free_port()
    served = serve("--port", str(port), "--course", str(SAMPLE_COURSE), "--lang", "en",
                   "--idle-minutes", "0.05")
    served.wait_until_listening(port)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 700})
            page.add_init_script(KEEP_TERMINAL)
            page.goto(f"http://127.0.0.1:{port}/")
            wait_for_screen(page, "Sign in")
            message = page.locator(".closed-dialog .message")
            message.wait_for(state="visible", timeout=30_000)
            text = message.inner_text()
        finally:
            browser.close()
    assert "The page was not used for 0.05" in text
    assert "What you had written is saved" in text
