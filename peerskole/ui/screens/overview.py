"""The course overview: every module with its progress, and what unlocks the locked ones."""

from __future__ import annotations

import dataclasses
from typing import ClassVar, Final

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Collapsible, Markdown, ProgressBar, Static

from peerskole import dialogue
from peerskole.dialogue import UnreadReplies
from peerskole.notices import programme_lines
from peerskole.progress import locked_by, minutes_left, next_module, waiting_for_after
from peerskole.session import Session
from peerskole.store.base import StoreError, visible_name
from peerskole.ui.access import answer_from_thread, peerskole_app
from peerskole.ui.translate import translate_bindings
from peerskole.ui.widgets.fitted_footer import FittedFooter
from peerskole.ui.widgets.module_card import ModuleCard, NextStep

PALETTE_KEY_COLUMNS: Final = 76
"""Below this many columns the footer leaves out Ctrl+P (the command palette): Textual
keeps it at the footer's right end, over the keys before it, and at 60 columns it hid
support (F2) and help (F1). Ctrl+P still works."""


class OverviewScreen(Screen[None]):
    """Course title, overall progress and a card per module."""

    DEFAULT_CSS = """
    #overview {
        padding: 0 2;
    }
    #who-row {
        height: auto;
    }
    #who {
        width: 1fr;
    }
    #who, #overall, #time-left, #next-module, #classroom-hours, #praktik-hours {
        height: auto;
    }
    #next-module {
        text-style: bold;
    }
    #replies-row {
        height: auto;
        border-left: wide $accent;
        padding: 0 1;
        margin: 0 0 1 0;
    }
    #replies-notice {
        width: 1fr;
        height: auto;
        text-style: bold;
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
        Binding("down,j", "next_card", "", show=False),
        Binding("up,k", "previous_card", "", show=False),
        Binding("f5", "app.passphrase", "key.passphrase", tooltip="tip.passphrase",
                id="passphrase"),
        # Shown as the button beside the name (the footer has no room left at 80 columns).
        Binding("f6", "open_praktik", "key.praktik", tooltip="tip.praktik", id="praktik",
                show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._composed_fresh = True
        self._unread: list[UnreadReplies] = []
        """The course's reflections with replies not yet read (the notice)."""

    def compose(self) -> ComposeResult:
        app = peerskole_app(self)
        t = app.t
        translate_bindings(self, t)
        course = self.session.course
        status = self.session.status()
        going_on = next_module(course, status)
        with VerticalScroll(id="overview", can_focus=False):
            yield Static(course.title, classes="screen-title", markup=False)
            # What the course is and who it is for, a click (or Enter) away: open, it
            # would push the modules down the screen.
            with Collapsible(title=t("overview.about"), id="about", collapsed=True):
                yield Markdown(course.manifest.description, id="description")
            with Horizontal(id="who-row"):
                yield Static(visible_name(self.session.learner.display_name), id="who",
                             markup=False)
                # The button names its key (Ctrl+L, the app's): at 80 columns the footer
                # has no room for it beside Support.
                yield Button(t("overview.switch_learner"), id="switch-learner", compact=True,
                             tooltip=t("tip.switch_learner"))
                yield Button(t("overview.praktik_button"), id="open-praktik", compact=True,
                             tooltip=t("tip.praktik"))
                if app.course_choices:  # several courses are set up here
                    yield Button(t("overview.switch_course"), id="switch-course",
                                 compact=True, tooltip=t("tip.switch_course"))
            with Horizontal(id="replies-row") as row:
                row.display = bool(self._unread)
                yield Static(self._replies_text(), id="replies-notice", markup=False)
                yield Button(t("replies.open"), id="open-reply", compact=True)
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
                else t("overview.modules_done_programme_open") if status.modules_complete
                else t("overview.time_left", minutes=minutes_left(course, status)),
                id="time-left",
            )
            # The classroom hours and approved praktik, and what remains (the rule's figures).
            for line_id, line in programme_lines(t, status.programme):
                yield Static(line, id=line_id, markup=False)
            next_step: NextStep = "start"
            if going_on is not None:
                if status.module(going_on.id).status == "in_progress":
                    next_step = "continue"
                words = "overview.next_start" if next_step == "start" else "overview.next_continue"
                yield Static(t(words, module=going_on.title), id="next-module", markup=False)
            records = self.session.records
            for module, module_status in zip(course.modules, status.modules, strict=True):
                blockers = [m.title for m in locked_by(course, module, status)]
                previewed: list[str] = []
                if self.session.preview:
                    # An instructor's preview opens a locked module, saying it is locked.
                    previewed, blockers = blockers, []
                waiting = tuple(s.title for s in waiting_for_after(module, records))
                yield ModuleCard(module, module_status, blockers, t,
                                 next_step if module is going_on else None, waiting,
                                 previewed=previewed)
        yield FittedFooter(lesser={"command_palette"}, narrow_below=PALETTE_KEY_COLUMNS)

    def on_mount(self) -> None:
        self.watch(self.app, "language", self.retranslate, init=False)
        self._show_top()
        self.check_replies()

    # --- replies from the instructors ------------------------------------------------------

    def _replies_text(self) -> str:
        count = sum(u.count for u in self._unread)
        words = "replies.notice_one" if count == 1 else "replies.notice_many"
        return peerskole_app(self).t(words, n=count)

    @work(thread=True, exclusive=True, group="unread-replies")
    def check_replies(self) -> None:
        """Count the replies not yet read on this course's reflections (no text is read)."""
        session = self.session
        try:
            unread = [u for u in dialogue.unread_replies(session.store, session.learner.id)
                      if u.course_id == session.course.id]
        except StoreError:
            return  # the notice waits for the next visit; nothing here is lost
        answer_from_thread(self, self._show_replies, unread)

    def _show_replies(self, unread: list[UnreadReplies]) -> None:
        from peerskole.progress import Renames

        course = self.session.course
        steps = {(m.id, s.id) for m in course.modules for s in m.steps}
        # A reflection written before a rename (formerly) keeps its dialogue where it was
        # written; the notice leads to the step it now belongs to.
        renames = Renames(course)
        renamed = [dataclasses.replace(u, module_id=key[0], step_id=key[1])
                   for u in unread for key in [renames.key(u.module_id, u.step_id)]]
        self._unread = [u for u in renamed if (u.module_id, u.step_id) in steps]
        self._sync_replies()
        # The answer may come while the screen is composed again (on coming back), to a
        # notice about to be replaced by one composed before it: once more when drawn.
        self.call_after_refresh(self._sync_replies)

    def _sync_replies(self) -> None:
        """Show the notice as self._unread says, on whichever notice is mounted now."""
        for notice in self.query("#replies-notice").results(Static):
            notice.update(self._replies_text())
        for row in self.query("#replies-row"):
            row.display = bool(self._unread)

    @on(Button.Pressed, "#open-reply")
    def open_reply(self) -> None:
        """Open the first reflection with a reply not yet read."""
        from peerskole.ui.screens.module import ModuleScreen

        if not self._unread:
            return
        first = self._unread[0]
        module = next(m for m in self.session.course.modules if m.id == first.module_id)
        self.app.push_screen(ModuleScreen(self.session, module, first.step_id,
                                          show_replies=True))

    def on_screen_resume(self) -> None:
        if self._composed_fresh:
            # Shown for the first time: composing again would take the focus away from
            # the card for a moment, and an Enter pressed then would be lost.
            self._composed_fresh = False
            return
        # Progress made in a module shows when the trainee comes back.
        self.refresh(recompose=True)
        self.call_after_refresh(self._show_top)
        self.check_replies()  # a reply read there no longer counts

    def _show_top(self) -> None:
        """Show the overview from its top (title, progress, time left, where to go on),
        with the focus on the card of the module to go on with (else the first card).

        The card takes the focus without scrolling to it: Enter opens it from here, and
        the line under the progress says which module that is.
        """
        if self.app.screen is not self:
            return  # closed meanwhile (the profile was switched on the way back)
        self._sync_replies()
        cards = list(self.query(ModuleCard))
        card = next((c for c in cards if c.next_step is not None), cards[0] if cards else None)
        if card is not None:
            card.focus(scroll_visible=False)
        self.query_one("#overview", VerticalScroll).scroll_home(animate=False)

    def _move_card(self, by: int) -> None:
        cards = list(self.query(ModuleCard))
        if not cards:
            return
        focused = self.focused
        index = cards.index(focused) if isinstance(focused, ModuleCard) else -1
        target = max(0, min(len(cards) - 1, index + by))
        if target == 0:
            # Above the first card are the course's title and progress: show them too.
            cards[0].focus(scroll_visible=False)
            self.query_one("#overview", VerticalScroll).scroll_home(animate=False)
        else:
            cards[target].focus()

    def action_next_card(self) -> None:
        """Move the focus to the card below."""
        self._move_card(1)

    def action_previous_card(self) -> None:
        """Move the focus to the card above."""
        self._move_card(-1)

    @on(Button.Pressed, "#switch-learner")
    async def switch_learner(self) -> None:
        await self.run_action("app.switch_learner")

    @on(Button.Pressed, "#open-praktik")
    def action_open_praktik(self) -> None:
        """Open the praktik log: entries, their sign-off, and a form for a new one."""
        from peerskole.ui.screens.praktik import PraktikScreen

        self.app.push_screen(PraktikScreen(self.session))

    @on(Button.Pressed, "#switch-course")
    async def switch_course(self) -> None:
        await self.run_action("app.switch_course")

    @on(ModuleCard.Opened)
    def open_module(self, event: ModuleCard.Opened) -> None:
        from peerskole.ui.screens.module import ModuleScreen

        self.app.push_screen(ModuleScreen(self.session, event.module))

    def retranslate(self, language: str) -> None:
        """Compose again in the new language, keeping the focused card and the scroll."""
        focused = self.focused
        card_id = focused.id if isinstance(focused, ModuleCard) else None
        scroll_y = self.query_one("#overview", VerticalScroll).scroll_y
        self.refresh(recompose=True)
        self.call_after_refresh(self._restore, card_id, scroll_y)

    def _restore(self, card_id: str | None, scroll_y: float) -> None:
        if card_id is not None:
            self.query_one(f"#{card_id}", ModuleCard).focus(scroll_visible=False)
        self.query_one("#overview", VerticalScroll).scroll_to(y=scroll_y, animate=False)
