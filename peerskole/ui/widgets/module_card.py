"""One module on the overview: title, progress bar, state in words, and what locks it."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import ProgressBar, Static

from peerskole.course.model import Module
from peerskole.i18n import Translator
from peerskole.progress import ModuleStatus
from peerskole.ui.textual_compat import notifications
from peerskole.ui.translate import translate_bindings

NextStep = Literal["start", "continue"]
"""How the card of the module to go on with invites the trainee in."""


class ModuleCard(Widget, can_focus=True):
    """A focusable card; Enter or a click opens the module, or, when it is locked, says
    which modules open it.

    Up and Down move to the card above and below (the overview's actions): inside the
    scrolling overview they would otherwise scroll it a line.
    """

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
    ModuleCard .card-title, ModuleCard .card-next {
        text-style: bold;
    }
    ModuleCard ProgressBar {
        width: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space", "open", "key.open", tooltip="tip.open", id="open",
                key_display="Enter"),
        # On a locked card "open" is dimmed and not run, and the same keys come here.
        Binding("enter,space", "say_locked", show=False),
        Binding("down,j", "screen.next_card", "", show=False),
        Binding("up,k", "screen.previous_card", "", show=False),
    ]

    class Opened(Message):
        """The trainee asked to open this module."""

        def __init__(self, module: Module) -> None:
            super().__init__()
            self.module = module

    def __init__(
        self,
        module: Module,
        status: ModuleStatus,
        blockers: list[str],
        t: Translator,
        next_step: NextStep | None = None,
        waiting_for_after: tuple[str, ...] = (),
        *,
        previewed: list[str] | None = None,
    ) -> None:
        """Args:
        module: the module.
        status: the learner's status in it.
        blockers: the titles of the modules still to complete before it opens.
        t: the UI's language.
        next_step: set on the module to go on with: whether to start or continue it.
        waiting_for_after: titles of its self-assessments rated "before", "after" to come.
        previewed: in an instructor's preview, the titles of the modules a trainee must
            complete before this one opens; the card opens all the same, marked as preview.
        """
        super().__init__(id=f"module-{module.id}")
        self.module = module
        self.status = status
        self.blockers = blockers
        self.t = t
        self.next_step = next_step
        self.waiting_for_after = waiting_for_after
        self.previewed = previewed or []
        self.set_class(bool(blockers), "locked")
        translate_bindings(self, t)

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
        for title in self.waiting_for_after:
            yield Static(f"{title}: {t('state.before_saved')}", classes="card-waiting",
                         markup=False)
        if self.next_step is not None:
            key = "overview.start_here" if self.next_step == "start" else "overview.continue_here"
            yield Static(t(key), classes="card-next")
        if self.blockers:
            yield Static(
                t("overview.locked", modules=", ".join(self.blockers)), classes="card-locked",
                markup=False,
            )
        if self.previewed:
            yield Static(
                t("overview.preview_locked", modules=", ".join(self.previewed)),
                classes="card-preview", markup=False,
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A locked module does not open: the footer shows its Enter dimmed, and Enter
        # says what opens it instead.
        if action == "open":
            return None if self.blockers else True
        if action == "say_locked":
            return bool(self.blockers)
        return True

    def action_open(self) -> None:
        if not self.blockers:
            self.post_message(self.Opened(self.module))

    def action_say_locked(self) -> None:
        """Say which modules to complete first: a locked card does not just ignore Enter."""
        if not self.blockers:
            return
        message = self.t("overview.locked_notice", module=self.module.title,
                         modules=", ".join(self.blockers))
        if any(shown.message == message for shown in notifications(self.app)):
            return  # said already, and still on screen: pressing again adds nothing
        self.notify(message, markup=False, timeout=8)

    def on_click(self) -> None:
        self.focus()
        if self.blockers:
            self.action_say_locked()
        else:
            self.action_open()
