"""Links in course text open only for web, mail and phone schemes."""

from __future__ import annotations

import pytest

from peerskole.course.links import may_open


@pytest.mark.parametrize(
    "url",
    ["https://www.livslinien.dk", "http://example.org/a?b=c", "mailto:kursus@example.org",
     "tel:+4570201201", "HTTPS://EXAMPLE.ORG", " https://example.org "],
)
def test_web_mail_and_phone_links_open(url: str) -> None:
    assert may_open(url)


@pytest.mark.parametrize(
    "url",
    ["ssh://evil.example", "file:///etc/passwd", "javascript:alert(1)", "vscode://x/y",
     "/usr/bin/xterm", "relative/page.md", "", "http://[::1", "smb://share/x"],
)
def test_every_other_link_is_refused(url: str) -> None:
    assert not may_open(url)
