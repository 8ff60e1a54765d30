"""Sending statements to a Learning Record Store: a real Ralph LRS, and a scripted one.

The real one is Ralph 5.1.0 (ralph-malph, in the test extra) started on
127.0.0.1 with its filesystem backend in a temporary folder. Ralph 5.1.0's
filesystem backend opens its statements file in create mode, so it refuses
every write after the first; the fixture starts Ralph's app with that backend's
write mode set to append (``FSLRSBackend.default_operation_type = APPEND``),
which is the only change made to Ralph.

The scripted one (a stdlib HTTP server, also on 127.0.0.1) answers what a test
tells it to, for retries, refusals and bad credentials.
"""

from __future__ import annotations

import base64
import http.server
import importlib.util
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from peerskole.export.lrs import LrsClient, LrsError
from peerskole.export.records import learner_reports
from peerskole.export.xapi import XapiConfig, statements
from peerskole.store.sqlite import SQLiteStore
from tests.conftest import unavailable
from tests.export.conftest import World, run_cli

# ASCII: FastAPI 0.114 (under Ralph) decodes Basic credentials as ASCII only.
USER, PASSWORD = "koordinator", "hemmeligt-5ecret"
RALPH_START_SECONDS = 60.0
"""Longest wait for Ralph to answer its heartbeat."""

LAUNCHER = '''\
"""Start Ralph's LRS app for peerskole's tests (see tests/export/test_lrs.py)."""
import sys

from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

# Workaround: Ralph 5.1.0's filesystem backend writes in create mode by default,
# so every write after the first fails with "already exists". Append instead.
FSLRSBackend.default_operation_type = BaseOperationType.APPEND

import uvicorn  # noqa: E402
from ralph.api import app  # noqa: E402

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A Ralph LRS on 127.0.0.1: (xAPI endpoint, its statements file)."""
    if not all(importlib.util.find_spec(m) for m in ("ralph", "uvicorn", "fastapi", "bcrypt")):
        unavailable("Ralph LRS is not installed here; install the test extra: "
                    "pip install -e '.[test]' (it brings ralph-malph[lrs])")
    import bcrypt

    folder = tmp_path_factory.mktemp("ralph")
    (folder / "lrs").mkdir()
    (folder / "app").mkdir()
    password_hash = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
    (folder / "auth.json").write_text(json.dumps([{
        "username": USER, "hash": password_hash, "scopes": ["all"],
        "agent": {"mbox": "mailto:koordinator@example.org"},
    }]))
    (folder / "launch_ralph.py").write_text(LAUNCHER)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RALPH_")}
    env.update({
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "lrs"),
        "RALPH_AUTH_FILE": str(folder / "auth.json"),
        "RALPH_APP_DIR": str(folder / "app"),
        "RALPH_HISTORY_FILE": str(folder / "app" / "history.json"),
    })
    log = (folder / "ralph.log").open("w")
    process = subprocess.Popen(
        [sys.executable, str(folder / "launch_ralph.py"), str(port)],
        cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + RALPH_START_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"Ralph exited at start:\n{(folder / 'ralph.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{base}/__lbheartbeat__", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"Ralph did not start in {RALPH_START_SECONDS:.0f} s:\n"
                                f"{(folder / 'ralph.log').read_text()}")
                time.sleep(0.2)
        yield f"{base}/xAPI/", folder / "lrs" / "fs_lrs.jsonl"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEERSKOLE_LRS_USERNAME", USER)
    monkeypatch.setenv("PEERSKOLE_LRS_PASSWORD", PASSWORD)


def stored_ids(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [json.loads(line)["id"] for line in path.read_text().splitlines() if line.strip()]


def all_statements(store: SQLiteStore, world: World) -> list[dict[str, Any]]:
    return list(statements(learner_reports(store, [world.course]), XapiConfig()))


def test_export_to_ralph_then_again_stores_nothing_twice(
    world: World, ralph: tuple[str, Path], credentials: None, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    endpoint, lrs_file = ralph
    before = len(stored_ids(lrs_file))
    copy = tmp_path / "sent.jsonl"
    assert run_cli("export", "--format", "xapi", "--course", "mini", "--lrs", endpoint,
                   "-o", str(copy)) == 0
    out = capsys.readouterr().out
    sent = [json.loads(line)["id"] for line in copy.read_text().splitlines()]
    assert f"{len(sent)} sent, 0 skipped (already stored), 0 refused, 0 failed" in out
    assert stored_ids(lrs_file)[before:] == sent

    assert run_cli("export", "--format", "xapi", "--course", "mini", "--lrs", endpoint) == 0
    assert f"0 sent, {len(sent)} skipped (already stored)" in capsys.readouterr().out
    assert len(stored_ids(lrs_file)) == before + len(sent)


def test_batches_mixing_new_stored_and_conflicting_statements(
    world: World, store: SQLiteStore, ralph: tuple[str, Path],
) -> None:
    endpoint, lrs_file = ralph
    config = XapiConfig(homepage="https://batches.example.org")
    items = list(statements(learner_reports(store, [world.course]), config))
    client = LrsClient(endpoint, (USER, PASSWORD), batch_size=4)
    first = client.send(items[:5])
    assert (first.sent, first.skipped, first.refused) == (5, 0, 0)

    changed = dict(items[0], result={"completion": False})  # same id, other content: 409
    second = client.send([changed, *items[1:]])
    assert second.sent == len(items) - 5
    assert second.skipped == 5
    assert second.ok
    assert sorted(set(stored_ids(lrs_file)) & {s["id"] for s in items}) == sorted(
        s["id"] for s in items)


def test_wrong_password_is_a_sentence_not_a_traceback(
    world: World, ralph: tuple[str, Path], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PEERSKOLE_LRS_USERNAME", USER)
    monkeypatch.setenv("PEERSKOLE_LRS_PASSWORD", "forkert")
    assert run_cli("export", "--format", "xapi", "--course", "mini", "--lrs", ralph[0]) == 1
    err = capsys.readouterr().err
    assert "refused the credentials (401" in err
    assert "PEERSKOLE_LRS_USERNAME" in err and "Traceback" not in err


def test_ralph_refuses_an_invalid_statement_and_keeps_the_rest(
    world: World, store: SQLiteStore, ralph: tuple[str, Path],
) -> None:
    items = all_statements(store, world)[:3]
    broken = {key: value for key, value in items[1].items() if key != "object"}
    summary = LrsClient(ralph[0], (USER, PASSWORD)).send([items[0], broken, items[2]])
    assert (summary.sent, summary.refused) == (2, 1)
    assert not summary.ok
    assert summary.messages[0].startswith(f"statement {broken['id']}: 4")


# --- a scripted LRS ---------------------------------------------------------------


class Scripted(http.server.ThreadingHTTPServer):
    """Answers POSTs from a script: a list of (status, body, headers); records requests."""

    def __init__(self, script: list[tuple[int, Any, dict[str, str]]]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script = script
        self.requests: list[tuple[Message, Any]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/xAPI/"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: Scripted

    def do_POST(self) -> None:  # the name http.server calls
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append((self.headers, body))
        status, answer, headers = self.server.script.pop(0) if self.server.script else (
            200, "ids", {})
        if answer == "ids":
            answer = [s["id"] for s in body]
        data = json.dumps(answer).encode() if answer is not None else b""
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def scripted() -> Iterator[Scripted]:
    server = Scripted([])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def fake(n: int) -> list[dict[str, Any]]:
    return [{"id": f"00000000-0000-4000-8000-{i:012d}"} for i in range(n)]


def test_headers_auth_and_batches(scripted: Scripted) -> None:
    summary = LrsClient(scripted.url, ("ålborg", "pw"), batch_size=100).send(fake(250))
    assert (summary.sent, summary.skipped) == (250, 0)
    assert [len(body) for _, body in scripted.requests] == [100, 100, 50]
    headers = scripted.requests[0][0]
    assert headers["X-Experience-API-Version"] == "1.0.3"
    assert headers["Authorization"] == "Basic " + base64.b64encode(
        "ålborg:pw".encode()).decode()
    assert headers["Content-Type"].startswith("application/json")


def test_retries_what_can_be_retried(scripted: Scripted) -> None:
    waits: list[float] = []
    scripted.script = [(503, {"detail": "busy"}, {}), (429, None, {"Retry-After": "2"}),
                       (200, "ids", {})]
    summary = LrsClient(scripted.url, sleep=waits.append).send(fake(3))
    assert summary.sent == 3 and summary.ok
    assert waits == [0.5, 2.0]


def test_gives_up_after_bounded_tries(scripted: Scripted) -> None:
    waits: list[float] = []
    scripted.script = [(500, {"detail": "down"}, {})] * 5
    summary = LrsClient(scripted.url, sleep=waits.append).send(fake(2))
    assert (summary.sent, summary.failed) == (0, 2)
    assert len(waits) == 4 and "500 down" in summary.messages[0]


def test_204_means_already_stored(scripted: Scripted) -> None:
    scripted.script = [(204, None, {})]
    summary = LrsClient(scripted.url).send(fake(3))
    assert (summary.sent, summary.skipped) == (0, 3)


def test_a_refused_batch_is_sent_one_by_one(scripted: Scripted) -> None:
    scripted.script = [
        (400, {"detail": "one is bad"}, {}),
        (200, "ids", {}),
        (400, {"detail": "verb is not an IRI"}, {}),
        (409, {"detail": "exists"}, {}),
    ]
    items = fake(3)
    summary = LrsClient(scripted.url).send(items)
    assert (summary.sent, summary.refused, summary.skipped) == (1, 1, 1)
    assert summary.messages == [f"statement {items[1]['id']}: 400 verb is not an IRI"]


@pytest.mark.parametrize(
    ("status", "headers", "message"),
    [(401, {}, "refused the credentials (401"), (404, {}, "not an xAPI statements resource"),
     (302, {"Location": "https://new.example/xAPI/"}, "redirects to https://new.example")],
)
def test_misconfiguration_stops_with_a_sentence(
    scripted: Scripted, status: int, headers: dict[str, str], message: str
) -> None:
    scripted.script = [(status, {"detail": "no"}, headers)]
    with pytest.raises(LrsError, match=message.replace("(", r"\(")):
        LrsClient(scripted.url).send(fake(1))


def test_unreachable_lrs_counts_as_failed() -> None:
    waits: list[float] = []
    summary = LrsClient(f"http://127.0.0.1:{free_port()}/xAPI", attempts=3,
                        sleep=waits.append).send(fake(2))
    assert summary.failed == 2 and len(waits) == 2
    assert "cannot reach the LRS" in summary.messages[0]


@pytest.mark.parametrize("url", ["ftp://lrs.example/xAPI", "lrs.example/xAPI", ""])
def test_bad_address(url: str) -> None:
    with pytest.raises(LrsError, match="is not an LRS address"):
        LrsClient(url)
