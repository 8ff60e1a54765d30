"""One module on the overview: title, progress bar, state in words, and what locks it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.message import Message
from textual.widget import Widget
from textual.widgets import ProgressBar, Static

from peerskole.course.model import Module
from peerskole.i18n import Translator
from peerskole.progress import ModuleStatus


class ModuleCard(Widget, can_focus=True):
    """A focusable card; Enter or a click opens the module (when it is not locked)."""

    DEFAULT_CSS = """
    ModuleCard {
        height: auto;
        border: round $panel-lighten-2;
        padding: 0 1;
        margin: 1 0 0 0;
    }
    ModuleCard:focus {
        border: double $accent;
    }
    ModuleCard.locked {
        color: $text-muted;
    }
    ModuleCard .card-title {
        text-style: bold;
    }
    ModuleCard ProgressBar {
        width: 1fr;
    }
    """

    BINDINGS = [("enter,space", "open", "")]

    class Opened(Message):
        """The trainee asked to open this module."""

        def __init__(self, module: Module) -> None:
            super().__init__()
            self.module = module

    def __init__(
        self, module: Module, status: ModuleStatus, blockers: list[str], t: Translator
    ) -> None:
        super().__init__(id=f"module-{module.id}")
        self.module = module
        self.status = status
        self.blockers = blockers
        self.t = t
        self.set_class(bool(blockers), "locked")

    def compose(self) -> ComposeResult:
        t, status = self.t, self.status
        state = {
            "completed": t("overview.module_done"),
            "in_progress": t("overview.module_started"),
            "not_started": t("overview.module_new"),
        }[status.status]
        mark = "✓ " if status.complete else ""
        yield Static(f"{mark}{self.module.title}", classes="card-title", markup=False)
        bar = ProgressBar(total=status.total_steps, show_eta=False)
        bar.progress = status.done_steps
        yield bar
        line = f"{state} · {status.done_steps}/{status.total_steps} · " + t(
            "overview.minutes", minutes=self.module.minutes
        )
        yield Static(line, classes="card-state")
        if self.blockers:
            yield Static(
                t("overview.locked", modules=", ".join(self.blockers)), classes="card-locked",
                markup=False,
            )

    def action_open(self) -> None:
        if not self.blockers:
            self.post_message(self.Opened(self.module))

    def on_click(self) -> None:
        self.focus()
        self.action_open()
