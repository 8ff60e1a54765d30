"""A link clicked in course Markdown opens only for http, https, mailto and tel."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Markdown

from peerskole.ui.app import PeerskoleApp
from peerskole.ui.textual_compat import notifications
from tests.ui.conftest import SIZE, make_app, start_as_new_learner


@pytest.mark.parametrize(
    ("href", "opens"),
    [("ssh://evil.example", False), ("file:///etc/passwd", False),
     ("https://www.livslinien.dk", True), ("tel:70201201", True)],
)
async def test_a_clicked_link_opens_only_for_safe_schemes(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, href: str, opens: bool
) -> None:
    opened: list[str] = []
    # The browser (or $BROWSER) is reached through Textual's App.open_url.
    monkeypatch.setattr(App, "open_url", lambda self, url, *, new_tab=True: opened.append(url))
    app: PeerskoleApp = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        markdown = app.screen.query(Markdown).first()
        markdown.post_message(Markdown.LinkClicked(markdown, href))
        await pilot.pause()
        await pilot.pause()
        assert opened == ([href] if opens else [])
        said = [str(n.message) for n in notifications(app)]
        if opens:
            assert not any("åbnes ikke" in m for m in said), said
        else:
            assert any(href in m and "åbnes ikke" in m for m in said), said
