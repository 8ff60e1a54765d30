"""Which links in course text may be opened: one rule for every place that opens one."""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

OPENABLE_SCHEMES: Final = frozenset({"http", "https", "mailto", "tel"})
"""Schemes a link in a course may open. A course is untrusted: ``ssh://``, ``file:``,
a custom handler or a bare path would hand whatever it names to the browser or the
desktop, which may run a program."""


def may_open(url: str) -> bool:
    """Whether a link from course text may be opened.

    Args:
        url: the link as written in the course (a Markdown ``[text](url)``).
    """
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:  # e.g. an unbalanced "[" in the host part
        return False
    return scheme in OPENABLE_SCHEMES
