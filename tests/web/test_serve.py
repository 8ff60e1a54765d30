"""``peerskole serve`` as a trainee meets it: a real server, a real headless Chromium.

The server runs as a subprocess on 127.0.0.1; Playwright drives Debian's
``chromium`` (never a downloaded browser). textual-serve draws the app into an
xterm.js canvas, so the screen is read from xterm's own buffer: a script added
before the page loads keeps a handle on textual-serve's terminal client.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from peerskole.ui.serve import app_command, is_local
from tests.conftest import REPO_DIR, SAMPLE_COURSE
from tests.web.conftest import (
    CHROMIUM_ARGS,
    KEEP_TERMINAL,
    READ_SCREEN,
    Served,
    free_port,
    wait_for_screen,
)


def test_a_browser_shows_the_app_and_a_key_press_moves_it_on(
    chromium: Path, serve: Callable[..., Served], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    # A course folder whose name the shell would run if it were not quoted.
    course = tmp_path / "kursus $(touch PWNED) 'a\"b"
    shutil.copytree(SAMPLE_COURSE, course)
    data = tmp_path / "data med mellemrum"
    port = free_port()
    served = serve(
        "--port", str(port), "--data-dir", str(data), "--course", str(course), "--lang", "en"
    )
    served.wait_until_listening(port)
    origin = f"http://127.0.0.1:{port}/"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 700})
            page.add_init_script(KEEP_TERMINAL)
            response = page.goto(origin)
            assert response is not None and response.ok
            # Under serve the app signs in: nobody's name is listed.
            first = wait_for_screen(page, "Type your name, your cohort code")
            assert "Sign in" in first  # --lang en reached the app

            page.locator(".xterm-helper-textarea").focus()
            page.keyboard.type("Åse Hansen")
            page.keyboard.press("Enter")  # on to the cohort code, left empty
            wait_for_focus_below(page, "Cohort code")
            page.keyboard.press("Enter")
            wait_for_focus_below(page, "Passphrase")
            page.keyboard.type("blåbær og måne")
            page.keyboard.press("Enter")
            wait_for_screen(page, "There is no profile of that name")
            page.keyboard.type("blåbær og måne")  # the passphrase again creates the profile
            page.keyboard.press("Enter")

            overview = wait_for_screen(page, "0 / 7 steps")
            assert "Åse Hansen" in overview
            assert "Minikursus" in overview  # the course folder, odd name and all
            assert "Sign in" not in overview
        finally:
            browser.close()

    assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()
    # The profile went to --data-dir, where the coordinator's commands find it.
    listed = subprocess.run(
        [sys.executable, "-m", "peerskole", "--data-dir", str(data), "learner", "list"],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO_DIR)},
    )
    assert "Åse Hansen" in listed.stdout, listed.stdout + listed.stderr

    out, err = served.output()
    assert f"http://127.0.0.1:{port}" in out
    assert "warning" not in err.lower()
    assert served.stop() == 0


def wait_for_focus_below(page: object, label: str, indent: int = 1) -> None:
    """Wait until the field under ``label`` has the focus (Textual draws it a heavy border).

    Enter moves on once the screen has handled it; keys typed before then would still
    go to the field before.

    Args:
        indent: columns from the field's left edge to the label: the trainee's sign-in
            draws its labels one column in, the instructor's at the field's edge.
    """
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.wait_for_function(
        f"""([label, indent]) => {{
            const rows = ({READ_SCREEN})().split("\\n");
            const at = rows.findIndex((row) => row.includes(label));
            if (at < 0 || at + 1 >= rows.length) return false;
            return rows[at + 1].charAt(rows[at].indexOf(label) - indent) === "\u250f";
        }}""", arg=[label, indent], timeout=20_000)


def test_the_instructors_view_in_a_browser_behind_its_own_sign_in(
    chromium: Path, serve: Callable[..., Served], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    from peerskole.instructors import add_instructor
    from peerskole.store.sqlite import SQLiteStore

    data = tmp_path / "data"
    data.mkdir()
    store = SQLiteStore(data / "peerskole.sqlite3")
    store.add_learner("Bo Ibsen", "hold-1")
    add_instructor(store, "Ulla Underviser", "ullas egen lange kode")
    store.close()
    port = free_port()
    served = serve("--port", str(port), "--data-dir", str(data), "--course",
                   str(SAMPLE_COURSE), "--lang", "en", "--instructor")
    served.wait_until_listening(port)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 700})
            page.add_init_script(KEEP_TERMINAL)
            response = page.goto(f"http://127.0.0.1:{port}/")
            assert response is not None and response.ok
            first = wait_for_screen(page, "Instructor – sign in")
            assert "Bo Ibsen" not in first  # nothing of the cohort before signing in
            page.locator(".xterm-helper-textarea").focus()
            # Keys typed before the screen has focused its name field would be lost.
            wait_for_focus_below(page, "Your name (or id)", indent=0)
            page.keyboard.type("Ulla Underviser")
            page.keyboard.press("Enter")  # on to the passphrase
            wait_for_focus_below(page, "Your passphrase", indent=0)
            page.keyboard.type("ullas egen lange kode")
            page.keyboard.press("Enter")
            cohort = wait_for_screen(page, "Bo Ibsen", timeout_ms=60_000)
            assert "Instructor – the cohort" in cohort
        finally:
            browser.close()
    assert served.stop() == 0


def test_another_address_than_localhost_warns_about_no_authentication(
    serve: Callable[..., Served], tmp_path: Path
) -> None:
    port = free_port()
    served = serve(
        "--host", "0.0.0.0", "--port", str(port), "--course", str(SAMPLE_COURSE)
    )
    served.wait_until_listening(port)
    assert served.stop() == 0
    _, err = served.output()
    assert "warning" in err
    assert "0.0.0.0" in err
    assert "plain HTTP" in err
    assert "reverse proxy that uses HTTPS" in err
    # Only requests for 0.0.0.0:PORT are answered: the coordinator learns to name the address.
    assert "without --public-url" in err


def test_a_port_in_use_is_a_sentence_not_a_traceback(serve: Callable[..., Served]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        served = serve("--port", str(port), "--course", str(SAMPLE_COURSE))
        status = served.process.wait(timeout=30)
    _, err = served.output()
    assert status == 1
    assert f"cannot listen on 127.0.0.1:{port}" in err
    assert "Traceback" not in err


def test_the_app_command_quotes_every_argument(tmp_path: Path) -> None:
    course = tmp_path / "a; rm -rf ~ $(x) `y` 'z'"
    command = app_command(course, tmp_path / "da ta", "en", ["--database-url", "postgresql://a b"])
    assert shlex.split(command) == [
        sys.executable, "-m", "peerskole", "--course", str(course.resolve()),
        "--data-dir", str((tmp_path / "da ta").resolve()), "--lang", "en",
        "--database-url", "postgresql://a b",
    ]


@pytest.mark.parametrize(("host", "local"), [
    ("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True), ("::1", True),
    ("[::1]", True), ("0.0.0.0", False), ("::", False), ("192.0.2.7", False),
    ("kursus.example.org", False),
])
def test_only_loopback_addresses_count_as_local(host: str, local: bool) -> None:
    assert is_local(host) is local


def test_the_public_url_is_where_the_page_sends_the_browser(serve: Callable[..., Served]) -> None:
    from urllib.request import urlopen

    port = free_port()
    served = serve("--port", str(port), "--course", str(SAMPLE_COURSE),
                   "--public-url", "https://kursus.example.org")
    served.wait_until_listening(port)
    with urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
        page = response.read().decode("utf-8")
    assert 'data-session-websocket-url="wss://kursus.example.org/ws/' in page
    assert "https://kursus.example.org/static/js/textual.js" in page


def test_serve_instructor_runs_the_instructors_view(tmp_path: Path) -> None:
    from peerskole.ui.serve import instructor_command

    command = instructor_command(tmp_path / "da ta", "en")
    assert shlex.split(command) == [
        sys.executable, "-m", "peerskole", "instructor",
        "--data-dir", str((tmp_path / "da ta").resolve()), "--lang", "en",
    ]
