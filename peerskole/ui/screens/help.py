"""The keys, and how the program is used."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from peerskole.ui.access import peerskole_app


class HelpScreen(ModalScreen[None]):
    """Lists every key the trainee can use."""

    # Keys in one column, what they do in the next: a description that wraps stays
    # under its own column instead of starting again under the keys.
    DEFAULT_CSS = """
    #help-keys {
        grid-size: 2;
        grid-columns: auto 1fr;
        grid-rows: auto;
        grid-gutter: 0 2;
        height: auto;
    }
    .help-key {
        text-style: bold;
    }
    """

    BINDINGS = [("escape", "dismiss", "")]

    def compose(self) -> ComposeResult:
        t = peerskole_app(self).t
        rows = [
            ("F1", t("tip.help")),
            ("F2 / Ctrl+B", t("tip.support")),
            ("F3", t("tip.theme")),
            ("F4", t("tip.language")),
            ("F5", t("help.passphrase")),
            ("Ctrl+P", t("help.palette")),
            ("Ctrl+L", t("tip.switch_learner")),
            # Keys with a name are named in the trainee's language (Mellemrum, Space).
            (t("help.key_focus"), t("help.focus")),
            (t("help.key_activate"), t("help.activate")),
            (t("help.key_arrows"), t("help.arrows")),
            (t("help.key_next"), t("tip.next")),
            (t("help.key_previous"), t("tip.previous")),
            (t("help.key_escape"), t("tip.overview")),
            ("Ctrl+Q", t("tip.quit")),
        ]
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(t("help.title"), classes="dialog-title")
            yield Static(t("help.intro"))
            yield Static(t("help.keys"), classes="section-title")
            with Grid(id="help-keys"):
                for key, text in rows:
                    yield Static(key, classes="help-key", markup=False)
                    yield Static(text, classes="help-text", markup=False)
            yield Button(t("help.close"), id="close", variant="primary")

    def on_button_pressed(self) -> None:
        self.dismiss()
