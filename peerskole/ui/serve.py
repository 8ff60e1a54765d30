"""The trainee app in a browser, served by textual-serve (``peerskole serve``).

textual-serve starts one app process per browser tab, from a shell command line.
That line is built here from the same options plain ``peerskole`` takes, every
part quoted, so a course folder called ``kurser/$(rm -rf ~)`` stays a folder name.

Only a page this server handed out drives an app (:class:`Guard`, :class:`Tokens`):

- every request must name this server in its ``Host`` header (the bound address, its
  loopback equivalents, or ``--public-url``'s host), which defeats DNS rebinding;
- a WebSocket upgrade must come with the ``Origin`` of one of those addresses, so
  another site open in the same browser cannot connect;
- and with a token embedded in the page it was served with: single-use, and
  valid for :data:`TOKEN_LIFETIME` seconds after the page was served. Reloading
  the page (the "Start again" button does) gets a new one.

None of this is a login by itself; the app is started with ``--sign-in``, so each tab
asks for name, cohort and passphrase and shows no list of profiles
(:mod:`peerskole.ui.screens.sign_in`).

Each tab costs an app process (about 55 MB), so at most ``max_sessions`` run at once
(:func:`default_max_sessions`); a tab nobody has typed or clicked in for ``idle_minutes``
is closed, its app asked to quit as when the tab is closed, which saves its drafts.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import shlex
import sys
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final, TextIO
from urllib.parse import urlsplit

DEFAULT_HOST: Final = "127.0.0.1"
"""Only this machine can connect unless the coordinator asks for more."""

DEFAULT_PORT: Final = 8000
"""textual-serve's own default port."""

NO_AUTHENTICATION_WARNING: Final = """\
peerskole: warning: serving on {host}, so other machines can connect.
Each tab signs in with a name and a passphrase, but this server speaks plain HTTP: both
would cross the network readable, and anyone who can reach {host}:{port} may try names.
Put it behind a reverse proxy that uses HTTPS (best with the organisation's own login),
and let only that proxy reach this port. See "In a browser" in README.md.
"""

NO_PUBLIC_URL_WARNING: Final = """\
peerskole: warning: without --public-url, only requests addressed to {host}:{port} are
answered; a browser that opens this machine by another name or address is refused.
Give --public-url with the address trainees open (e.g. https://kursus.example.org).
"""


def is_local(host: str) -> bool:
    """Whether binding to ``host`` keeps the server reachable from this machine only.

    Args:
        host: the address or host name given to ``--host``.

    Returns:
        True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1).
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


TOKEN_LIFETIME: Final = 120.0
"""Seconds a page's connection token stays valid; the page connects as soon as it loads."""

MAX_TOKENS: Final = 10_000
"""Unused tokens kept at most; past that the oldest are forgotten (their pages reload)."""

LOOPBACK_NAMES: Final = ("localhost", "127.0.0.1", "[::1]")
"""The names a browser on this machine may use for a server bound to a loopback address."""

DEFAULT_PORTS: Final = {"http": 80, "https": 443}

WRONG_HOST: Final = ("This server answers only to its own address, not to {host}. "
                     "Open the address peerskole serve printed when it started.")
WRONG_ORIGIN: Final = ("Only peerskole's own page may connect to the app; this connection "
                       "came from {origin}. Open the address peerskole serve printed.")
NO_TOKEN: Final = ("This connection did not come with a page from this server, or its page "
                   "was already used. Reload the page.")


def _bracketed(host: str) -> str:
    """``host`` as it appears in a Host header or URL: an IPv6 address in brackets."""
    bare = host.strip("[]").lower()
    return f"[{bare}]" if ":" in bare else bare


def _authorities(host: str, port: int, scheme: str) -> set[str]:
    """The ways a Host header (or an origin after ``scheme://``) names ``host:port``."""
    name = _bracketed(host)
    forms = {f"{name}:{port}"}
    if DEFAULT_PORTS.get(scheme) == port:
        forms.add(name)
    return forms


class Guard:
    """Which Host and Origin headers a request to this server may carry.

    Args:
        host: the address the server is bound to (``--host``).
        port: the port it is bound to.
        public_url: ``--public-url``, the address browsers use behind a proxy.
    """

    def __init__(self, host: str, port: int, public_url: str | None = None) -> None:
        names = LOOPBACK_NAMES + (host,) if is_local(host) else (host,)
        hosts: set[str] = set()
        for name in names:
            hosts |= _authorities(name, port, "http")
        origins = {f"http://{authority}" for authority in hosts}
        if public_url is not None:
            parts = urlsplit(public_url)
            scheme = parts.scheme.lower() or "http"
            if parts.hostname:
                public_port = parts.port or DEFAULT_PORTS.get(scheme, 80)
                hosts |= _authorities(parts.hostname, public_port, scheme)
                # A browser leaves a default port out of the Origin it sends.
                name = _bracketed(parts.hostname)
                default = DEFAULT_PORTS.get(scheme) == public_port
                shown = name if default else f"{name}:{public_port}"
                origins.add(f"{scheme}://{shown}")
        self.hosts: Final = frozenset(hosts)
        """Host headers answered."""
        self.origins: Final = frozenset(origins)
        """Origin headers a WebSocket upgrade may carry."""

    def host_allowed(self, header: str | None) -> bool:
        """Whether a request whose Host header is ``header`` is meant for this server."""
        return header is not None and header.strip().lower() in self.hosts

    def origin_allowed(self, header: str | None) -> bool:
        """Whether a WebSocket upgrade with this Origin header comes from this server's page."""
        return header is not None and header.strip().lower() in self.origins


class Tokens:
    """Connection tokens, one per page served: each opens one WebSocket, once.

    Args:
        lifetime: seconds a token stays valid after it is issued.
        limit: unused tokens kept at most; the oldest go first.
        clock: monotonic seconds (a parameter for tests).
    """

    def __init__(self, lifetime: float = TOKEN_LIFETIME, limit: int = MAX_TOKENS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._lifetime = lifetime
        self._limit = limit
        self._clock = clock
        self._expiry: OrderedDict[str, float] = OrderedDict()

    def issue(self) -> str:
        """A new token, for one page."""
        now = self._clock()
        while self._expiry and (next(iter(self._expiry.values())) <= now
                                or len(self._expiry) >= self._limit):
            self._expiry.popitem(last=False)
        token = secrets.token_urlsafe(32)
        self._expiry[token] = now + self._lifetime
        return token

    def redeem(self, token: str) -> bool:
        """Whether ``token`` is one issued here, unused and unexpired; it is used up either way."""
        expiry = self._expiry.pop(token, None)
        return expiry is not None and self._clock() < expiry


SESSIONS_PER_CORE: Final = 15
"""Tabs one processor core serves at once with room to spare (each idles most of the time)."""

MEMORY_PER_SESSION: Final = 60 * 1024 * 1024
"""Bytes of memory one tab's app process may take (about 55 MB measured)."""

DEFAULT_IDLE_MINUTES: Final = 30.0
"""Minutes without a key or a click after which a tab is closed."""

CLOSE_IDLE: Final = 4001
"""WebSocket close code: the tab was closed for being idle (the page says so)."""

CLOSE_FULL: Final = 4002
"""WebSocket close code: every place was taken when the tab connected."""


def available_memory() -> int | None:
    """Bytes of memory available to new processes (Linux's MemAvailable), if known."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return None


def default_max_sessions(cores: int | None = None, memory: int | None = None) -> int:
    """How many tabs to serve at once when ``--max-sessions`` is not given.

    :data:`SESSIONS_PER_CORE` per core, and no more than the available memory holds at
    :data:`MEMORY_PER_SESSION` each; at least one.

    Args:
        cores: processor cores this process may use (default: as the system says).
        memory: bytes available (default: :func:`available_memory`).
    """
    if cores is None:
        try:
            cores = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            cores = os.cpu_count() or 1
    limit = SESSIONS_PER_CORE * max(cores, 1)
    if memory is None:
        memory = available_memory()
    if memory is not None:
        limit = min(limit, memory // MEMORY_PER_SESSION)
    return max(limit, 1)


def app_command(
    course: Path | None,
    data_dir: Path | None,
    language: str | None,
    extra: Sequence[str] = (),
) -> str:
    """The shell command line that runs the trainee app for one browser tab.

    Args:
        course: ``--course``, made absolute; None for the bundled course.
        data_dir: ``--data-dir``, made absolute; None for the default.
        language: ``--lang``; None for the saved setting.
        extra: further options for plain ``peerskole``, as separate arguments.

    Returns:
        A command line for ``/bin/sh`` in which every argument is quoted.
    """
    # The same interpreter as this process, so the app runs from the same install.
    argv = [sys.executable, "-m", "peerskole"]
    if course is not None:
        argv += ["--course", str(course.resolve())]
    if data_dir is not None:
        argv += ["--data-dir", str(data_dir.resolve())]
    if language is not None:
        argv += ["--lang", language]
    argv += list(extra)
    return " ".join(shlex.quote(part) for part in argv)


def instructor_command(data_dir: Path | None, language: str | None) -> str:
    """The shell command line that runs the instructor's view for one browser tab.

    Each tab signs in with the instructor's own passphrase (``peerskole instructor``),
    wrong ones slowed across tabs by the store.
    """
    argv = [sys.executable, "-m", "peerskole", "instructor"]
    if data_dir is not None:
        argv += ["--data-dir", str(data_dir.resolve())]
    if language is not None:
        argv += ["--lang", language]
    return " ".join(shlex.quote(part) for part in argv)


def serve(
    command: str,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    public_url: str | None = None,
    language: str = "da",
    stderr: TextIO | None = None,
    max_sessions: int | None = None,
    idle_minutes: float = DEFAULT_IDLE_MINUTES,
) -> None:
    """Serve ``command`` to browsers until interrupted (Ctrl+C or SIGTERM).

    Args:
        command: from :func:`app_command`.
        host: the address to listen on.
        port: the port to listen on.
        public_url: the address browsers use, when a proxy sits in front.
        language: the page's language ("da" or "en").
        stderr: where the warning for a non-local address goes (default: sys.stderr).
        max_sessions: tabs served at once (default: :func:`default_max_sessions`).
        idle_minutes: a tab without a key or a click for this long is closed.
    """
    if not is_local(host):
        warning = NO_AUTHENTICATION_WARNING
        if public_url is None:
            warning += NO_PUBLIC_URL_WARNING
        print(warning.format(host=host, port=port), end="", file=stderr or sys.stderr,
              flush=True)
    from peerskole.ui.web.server import PeerskoleServer

    PeerskoleServer(command, host=host, port=port, public_url=public_url,
                    language=language,
                    max_sessions=max_sessions or default_max_sessions(),
                    idle_seconds=idle_minutes * 60).serve()
