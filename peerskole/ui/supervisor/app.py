"""``peerskole supervisor``: the app a praktik supervisor signs trainees' hours off with."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from peerskole.i18n import Translator
from peerskole.safe_text import visible
from peerskole.ui.textual_compat import keep_no_break_spaces
from peerskole.ui.themes import CALM, HIGH_CONTRAST
from peerskole.ui.translate import translate_bindings

if TYPE_CHECKING:
    from peerskole.praktik import SupervisorKey
    from peerskole.store.base import Store


class SupervisorApp(App[None]):
    """The supervisor signs in, then approves, returns or revokes praktik entries.

    Args:
        store: the open store (the command opens it and closes it after).
        language: "da" or "en".
        key: a supervisor already signed in (tests); None asks who is there first.
    """

    CSS_PATH = Path(__file__).parent.parent / "app.tcss"
    TITLE = "peerskole"
    ENABLE_COMMAND_PALETTE = False  # every action has its key or button on screen
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "key.quit", tooltip="tip.quit", priority=True),
        Binding("f3", "toggle_contrast", "key.theme", tooltip="tip.theme", show=False),
    ]

    def __init__(self, store: Store, language: str = "da",
                 key: SupervisorKey | None = None) -> None:
        super().__init__()
        keep_no_break_spaces()
        self.store = store
        self.t = Translator(language)
        self.register_theme(CALM)
        self.register_theme(HIGH_CONTRAST)
        self.theme = CALM.name
        translate_bindings(self, self.t)
        self.sub_title = self.t("supervisor.title")
        self.key = key

    def on_mount(self) -> None:
        if self.key is not None:
            self.signed_in(self.key)
            return
        from peerskole.ui.supervisor.sign_in import SupervisorSignIn

        self.push_screen(SupervisorSignIn())

    def signed_in(self, key: SupervisorKey) -> None:
        """Open the list of praktik entries for the supervisor who signed in."""
        from peerskole.ui.supervisor.queue import QueueScreen

        self.key = key
        self.sub_title = visible(key.supervisor.name, "?")
        if len(self.screen_stack) > 1:
            self.switch_screen(QueueScreen())
        else:
            self.push_screen(QueueScreen())

    def signed_key(self) -> SupervisorKey:
        if self.key is None:
            raise RuntimeError("the supervisor's view was used before signing in")
        return self.key

    def on_unmount(self) -> None:
        if self.key is not None:
            self.key.forget()  # the private key leaves memory with the app

    def action_toggle_contrast(self) -> None:
        self.theme = HIGH_CONTRAST.name if self.theme == CALM.name else CALM.name
