"""The trainee app in a browser, served by textual-serve (``peerskole serve``).

textual-serve starts one app process per browser tab, from a shell command line.
That line is built here from the same options plain ``peerskole`` takes, every
part quoted, so a course folder called ``kurser/$(rm -rf ~)`` stays a folder name.
"""

from __future__ import annotations

import ipaddress
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final, TextIO

DEFAULT_HOST: Final = "127.0.0.1"
"""Only this machine can connect unless the coordinator asks for more."""

DEFAULT_PORT: Final = 8000
"""textual-serve's own default port."""

NO_AUTHENTICATION_WARNING: Final = """\
peerskole: warning: serving on {host}, so other machines can connect.
textual-serve has no login of its own: anyone who can reach {host}:{port} opens the app and
every trainee's profile in it. Put it behind a reverse proxy that asks for a login
(and uses HTTPS), and let only that proxy reach this port. See "In a browser" in README.md.
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


def serve(
    command: str,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    public_url: str | None = None,
    stderr: TextIO | None = None,
) -> None:
    """Serve ``command`` to browsers until interrupted (Ctrl+C or SIGTERM).

    Args:
        command: from :func:`app_command`.
        host: the address to listen on.
        port: the port to listen on.
        public_url: the address browsers use, when a proxy sits in front.
        stderr: where the warning for a non-local address goes (default: sys.stderr).
    """
    if not is_local(host):
        print(NO_AUTHENTICATION_WARNING.format(host=host, port=port), end="",
              file=stderr or sys.stderr, flush=True)
    from textual_serve.server import Server

    Server(command, host=host, port=port, title="peerskole", public_url=public_url).serve()
