"""Send xAPI statements to a Learning Record Store (LRS), in batches, and say what happened.

Plain ``urllib``: a POST of up to :data:`BATCH_SIZE` statements to the LRS's
``statements`` resource with ``X-Experience-API-Version`` and HTTP Basic auth.
What can be retried (429, 5xx, a dropped connection) is retried a bounded number
of times with growing waits. A batch the LRS turns down is sent again one
statement at a time, so one bad statement does not sink a hundred good ones: a
409 Conflict then means "already stored" (skipped), any other 4xx is refused
with the LRS's own words.
"""

from __future__ import annotations

import base64
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from peerskole.export.records import ExportError
from peerskole.export.xapi import XAPI_VERSION

BATCH_SIZE: Final = 100
"""Statements a POST carries."""
ATTEMPTS: Final = 5
"""Tries of one POST before its statements count as failed."""
FIRST_WAIT_SECONDS: Final = 0.5
"""Wait before the first retry; each later wait doubles."""
LONGEST_WAIT_SECONDS: Final = 30.0
"""Cap on any wait, including one an LRS asks for with Retry-After."""
TIMEOUT_SECONDS: Final = 30.0
"""How long to wait for the LRS to answer one POST."""
RETRY_STATUSES: Final = frozenset({408, 429, 500, 502, 503, 504})
"""HTTP statuses worth trying again."""
USERNAME_ENV: Final = "PEERSKOLE_LRS_USERNAME"
"""Environment variable holding the LRS user name (Basic auth)."""
PASSWORD_ENV: Final = "PEERSKOLE_LRS_PASSWORD"
"""Environment variable holding the LRS password (Basic auth)."""
MESSAGES_KEPT: Final = 20
"""Refusal messages kept for the summary; the rest are counted, not shown."""


class LrsError(ExportError):
    """The LRS cannot be used as configured (address, credentials); nothing more is sent."""


@dataclass
class LrsSummary:
    """What became of the statements sent."""

    sent: int = 0
    """Stored by the LRS now."""
    skipped: int = 0
    """Already stored (same id) before this export."""
    refused: int = 0
    """Turned down by the LRS (4xx), with its reasons in ``messages``."""
    failed: int = 0
    """Not delivered: the LRS kept failing or could not be reached."""
    messages: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every statement is now in the LRS."""
        return not (self.refused or self.failed)

    def note(self, message: str) -> None:
        if len(self.messages) < MESSAGES_KEPT:
            self.messages.append(message)

    def __str__(self) -> str:
        text = (
            f"{self.sent} sent, {self.skipped} skipped (already stored), "
            f"{self.refused} refused, {self.failed} failed"
        )
        shown = "".join(f"\n  {m}" for m in self.messages)
        return text + shown


def statements_url(endpoint: str) -> str:
    """The statements resource of an LRS endpoint (``…/xAPI/`` → ``…/xAPI/statements``).

    Raises:
        LrsError: when ``endpoint`` is not an http(s) address.
    """
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LrsError(
            f'"{endpoint}" is not an LRS address. Pass its xAPI endpoint, e.g. '
            "--lrs https://lrs.example.org/xAPI/"
        )
    path = parts.path.rstrip("/")
    if not path.endswith("/statements"):
        path += "/statements"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def credentials_from_environment() -> tuple[str, str] | None:
    """(user, password) from :data:`USERNAME_ENV` and :data:`PASSWORD_ENV`, if set."""
    username = os.environ.get(USERNAME_ENV)
    password = os.environ.get(PASSWORD_ENV)
    if username is None and password is None:
        return None
    return (username or "", password or "")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # urllib would follow a 301/302 by turning the POST into a GET and dropping
    # the statements; an LRS that moved must be named by its new address instead.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class _GaveUp(Exception):
    """A POST failed every attempt."""


class LrsClient:
    """Posts statements to one LRS.

    Args:
        endpoint: the LRS's xAPI endpoint or its statements resource.
        credentials: (user, password) for HTTP Basic auth, or None.
        batch_size: statements a POST carries.
        attempts: tries of one POST.
        sleep: how to wait between tries (tests pass a no-op).
    """

    def __init__(
        self,
        endpoint: str,
        credentials: tuple[str, str] | None = None,
        *,
        batch_size: int = BATCH_SIZE,
        attempts: int = ATTEMPTS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = statements_url(endpoint)
        self.batch_size = max(batch_size, 1)
        self.attempts = max(attempts, 1)
        self._sleep = sleep
        self._headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "X-Experience-API-Version": XAPI_VERSION,
            "User-Agent": "peerskole",
        }
        if credentials is not None:
            token = base64.b64encode(":".join(credentials).encode("utf-8")).decode("ascii")
            self._headers["Authorization"] = f"Basic {token}"
        self._opener = urllib.request.build_opener(_NoRedirect)

    def send(
        self,
        statements: Iterable[dict[str, Any]],
        on_batch: Callable[[LrsSummary], None] | None = None,
    ) -> LrsSummary:
        """Send every statement, a batch at a time; return what became of them.

        Raises:
            LrsError: when the LRS refuses the credentials or is not at that address;
                the summary of what was sent before is in the message.
        """
        summary = LrsSummary()
        batch: list[dict[str, Any]] = []
        for statement in statements:
            batch.append(statement)
            if len(batch) >= self.batch_size:
                self._send(batch, summary)
                batch = []
                if on_batch is not None:
                    on_batch(summary)
        if batch:
            self._send(batch, summary)
            if on_batch is not None:
                on_batch(summary)
        return summary

    def _send(self, batch: Sequence[dict[str, Any]], summary: LrsSummary) -> None:
        try:
            status, body = self._post(batch)
        except _GaveUp as error:
            summary.failed += len(batch)
            summary.note(str(error))
            return
        except LrsError as error:
            raise LrsError(f"{error}\nBefore that: {summary}") from None
        if status == 200:
            stored = _ids(body)
            wanted = {s["id"] for s in batch}
            new = len(wanted & stored) if stored is not None else len(batch)
            summary.sent += new
            summary.skipped += len(batch) - new
        elif status == 204:
            summary.skipped += len(batch)
        elif 400 <= status < 500 and len(batch) > 1:
            for statement in batch:  # find which ones the LRS objects to
                self._send([statement], summary)
        elif status == 409:
            summary.skipped += 1
        else:
            summary.refused += len(batch)
            summary.note(f"statement {batch[0]['id']}: {status} {_reason(body)}")

    def _post(self, batch: Sequence[dict[str, Any]]) -> tuple[int, bytes]:
        data = json.dumps(list(batch), ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(self.url, data=data, headers=self._headers,
                                         method="POST")
        problem = ""
        for attempt in range(self.attempts):
            wait = FIRST_WAIT_SECONDS * 2**attempt
            try:
                with self._opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                    return int(response.status), response.read()
            except urllib.error.HTTPError as error:
                body = error.read()
                status = error.code
                if status in (401, 403):
                    raise LrsError(
                        f"The LRS at {self.url} refused the credentials ({status} "
                        f"{_reason(body)}). Set {USERNAME_ENV} and {PASSWORD_ENV}."
                    ) from None
                if status == 404:
                    raise LrsError(
                        f"{self.url} is not an xAPI statements resource (404). Pass the "
                        "LRS's xAPI endpoint, e.g. --lrs https://lrs.example.org/xAPI/"
                    ) from None
                if 300 <= status < 400:
                    moved = error.headers.get("Location", "another address")
                    raise LrsError(
                        f"The LRS at {self.url} redirects to {moved}; pass that address "
                        "with --lrs."
                    ) from None
                if status not in RETRY_STATUSES:
                    return status, body
                problem = f"{status} {_reason(body)}"
                wait = _retry_after(error.headers.get("Retry-After"), wait)
            except (urllib.error.URLError, OSError) as error:
                reason = getattr(error, "reason", error)
                problem = f"cannot reach the LRS: {reason}"
            if attempt + 1 < self.attempts:
                self._sleep(min(wait, LONGEST_WAIT_SECONDS))
        raise _GaveUp(
            f"{len(batch)} statement(s) not delivered after {self.attempts} tries ({problem})."
        )


def _ids(body: bytes) -> set[str] | None:
    try:
        ids = json.loads(body)
    except ValueError:
        return None
    if isinstance(ids, list) and all(isinstance(i, str) for i in ids):
        return set(ids)
    return None


def _reason(body: bytes) -> str:
    """The LRS's own explanation, short: its JSON ``detail``/``message``, or the text."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        return text[:300]
    if isinstance(data, dict):
        for key in ("detail", "message", "error"):
            if key in data:
                detail = data[key]
                return (detail if isinstance(detail, str) else json.dumps(
                    detail, ensure_ascii=False))[:300]
    return text[:300]


def _retry_after(header: str | None, default: float) -> float:
    if header is None:
        return default
    try:
        return max(float(header), 0.0)
    except ValueError:
        return default  # an HTTP date: rare from an LRS; our own backoff will do
