"""The course overview: every module with its progress, and what unlocks the locked ones."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Collapsible, Footer, Markdown, ProgressBar, Static

from peerskole.progress import locked_by, minutes_left
from peerskole.store.base import visible_name
from peerskole.ui.session import Session
from peerskole.ui.translate import translate_bindings
from peerskole.ui.widgets.module_card import ModuleCard

if TYPE_CHECKING:
    from peerskole.ui.app import PeerskoleApp


class OverviewScreen(Screen[None]):
    """Course title, overall progress and a card per module."""

    DEFAULT_CSS = """
    #overview {
        padding: 0 2;
    }
    #who, #overall, #time-left {
        height: auto;
    }
    #overall-bar {
        margin: 0 0 1 0;
    }
    #about {
        margin: 0;
        padding: 0;
        border: none;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "app.focus_next", "", show=False),
        Binding("up,k", "app.focus_previous", "", show=False),
        Binding("f5", "app.passphrase", "key.passphrase", tooltip="tip.passphrase",
                id="passphrase"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._composed_fresh = True

    def compose(self) -> ComposeResult:
        app = cast("PeerskoleApp", self.app)
        t = app.t
        translate_bindings(self, t)
        course = self.session.course
        status = self.session.status()
        with VerticalScroll(id="overview", can_focus=False):
            yield Static(course.title, classes="screen-title", markup=False)
            # What the course is and who it is for, a click (or Enter) away: open, it
            # would push the modules down the screen.
            with Collapsible(title=t("overview.about"), id="about", collapsed=True):
                yield Markdown(course.manifest.description, id="description")
            yield Static(visible_name(self.session.learner.display_name), id="who",
                         markup=False)
            yield Static(
                t("overview.progress", done=status.done_steps, total=status.total_steps,
                  percent=status.percent),
                id="overall",
            )
            bar = ProgressBar(total=status.total_steps, show_eta=False, id="overall-bar")
            bar.progress = status.done_steps
            yield bar
            yield Static(
                t("overview.complete") if status.complete
                else t("overview.time_left", minutes=minutes_left(course, status)),
                id="time-left",
            )
            for module, module_status in zip(course.modules, status.modules, strict=True):
                blockers = [m.title for m in locked_by(course, module, status)]
                yield ModuleCard(module, module_status, blockers, t)
        yield Footer()

    def on_mount(self) -> None:
        self._focus_next_module()

    def on_screen_resume(self) -> None:
        if self._composed_fresh:
            # Shown for the first time: composing again would take the focus away from
            # the card for a moment, and an Enter pressed then would be lost.
            self._composed_fresh = False
            return
        # Progress made in a module shows when the trainee comes back.
        self.refresh(recompose=True)
        self.call_after_refresh(self._focus_next_module)

    def _focus_next_module(self) -> None:
        """Focus the first open module not yet complete (else the first)."""
        cards = list(self.query(ModuleCard))
        for card in cards:
            if not card.blockers and not card.status.complete:
                card.focus()
                return
        if cards:
            cards[0].focus()

    @on(ModuleCard.Opened)
    def open_module(self, event: ModuleCard.Opened) -> None:
        from peerskole.ui.screens.module import ModuleScreen

        self.app.push_screen(ModuleScreen(self.session, event.module))

    def retranslate(self) -> None:
        self.refresh(recompose=True)
