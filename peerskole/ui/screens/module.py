"""A module: its goals, its steps with their state, and the current step."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar, Final

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Collapsible, OptionList, Static
from textual.widgets.option_list import Option

from peerskole.course.kinds import step_kind
from peerskole.course.model import Module, SelfAssessment, Step
from peerskole.progress import (
    CONTENT_NOTE_STARTED,
    IDLE_AFTER_SECONDS,
    CourseStatus,
    content_note_pending,
    locked_by,
    ratings_saved,
)
from peerskole.session import Session, StepData
from peerskole.store.base import StoreError
from peerskole.ui.access import answer_from_thread, peerskole_app
from peerskole.ui.steps.base import StepMessage, StepView
from peerskole.ui.translate import translate_bindings
from peerskole.ui.widgets.content_notice import ContentNotice
from peerskole.ui.widgets.fitted_footer import FittedFooter

if TYPE_CHECKING:
    from peerskole.ui.app import PeerskoleApp

FLUSH_SECONDS = 15
"""How often time on task is written while the trainee stays on one step."""

SHORT_TERMINAL_ROWS: Final = 30
"""Below this many rows the module's goals start folded: open, they push the step out of
sight (at 80×24 the pane has 19 rows)."""

NARROW_COLUMNS: Final = 70
"""Below this many columns the step list is hidden: beside it the step had too little
width (at 60 columns a row of 1–5 ratings was cut). "Trin N af M" still says where the
trainee is, and the buttons below move between steps. The footer leaves out Esc (the
overview) too: at 60 columns it cut the support key (F2)."""


class ModuleScreen(Screen[None]):
    """Works through one module's steps, one at a time."""

    HORIZONTAL_BREAKPOINTS = [
        (0, "-narrow"), (NARROW_COLUMNS, "-normal"),
    ]

    DEFAULT_CSS = """
    #module-body {
        height: 1fr;
    }
    #sidebar {
        width: 30;
        padding: 0 1;
    }
    ModuleScreen.-narrow #sidebar {
        display: none;
    }
    #steps {
        height: 1fr;
        border: none;
        padding: 0;
    }
    #step-pane {
        width: 1fr;
        padding: 0 1;
    }
    .step-heading {
        text-style: bold;
        margin: 1 0;
        height: auto;
    }
    #step-host {
        height: auto;
    }
    #nav {
        height: 3;
        padding: 0 1;
    }
    #step-of {
        width: 1fr;
        content-align: center middle;
        height: 3;
    }
    """

    # The step keys are Ctrl+↓ and Ctrl+↑: no letter (it would be typed in a text) and no
    # plain arrow (it moves within an answer's options). They take priority, so they move
    # on from inside a text or a list as well, and are never typed. Ctrl+PgDn and Ctrl+PgUp
    # do the same for terminals that keep Ctrl+arrows for themselves (macOS's, say); as
    # priority bindings they also come before the step pane's sideways paging.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+down", "next_step", "key.next", tooltip="tip.next", id="next",
                priority=True),
        Binding("ctrl+up", "previous_step", "key.previous", tooltip="tip.previous",
                id="previous", priority=True),
        Binding("ctrl+pagedown", "next_step", show=False, priority=True),
        Binding("ctrl+pageup", "previous_step", show=False, priority=True),
        Binding("escape", "overview", "key.overview", tooltip="tip.overview", id="overview"),
    ]

    def __init__(self, session: Session, module: Module, step_id: str | None = None,
                 show_replies: bool = False) -> None:
        super().__init__()
        self.session = session
        self.module = module
        self._reply_step = step_id if show_replies else None
        """Opened to read a reply on this step: its unread replies are scrolled into view."""
        self.current: Step = (
            module.step(step_id) if step_id
            else session.last_step(module) or session.first_step(module)
        )
        self.view: StepView | None = None
        self._laid_out: StepView | None = None
        """The view last arrived at: mounted, composed and laid out."""
        self._seconds = 0
        self._since_flush = 0
        self._status: CourseStatus | None = None  # as last shown, to tell a completion
        self._turn = 0
        """Counts the steps opened: a view loaded for an earlier turn is not shown."""

    @property
    def peer_app(self) -> PeerskoleApp:
        return peerskole_app(self)

    # --- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        t = self.peer_app.t
        translate_bindings(self, t)
        yield Static(self.module.title, classes="screen-title", id="module-title", markup=False)
        with Horizontal(id="module-body"):
            with Vertical(id="sidebar"):
                yield Static(t("module.steps"), classes="section-title")
                yield OptionList(id="steps")
            with VerticalScroll(id="step-pane"):
                with Collapsible(title=t("module.goals"), id="goals",
                                 collapsed=self._started() or self._short()):
                    yield Static("\n".join(f"• {g}" for g in self.module.goals), markup=False)
                # The title comes from the course file: shown as text, never as markup.
                yield Static("", id="step-heading", classes="step-heading", markup=False)
                yield Vertical(id="step-host")
        with Horizontal(id="nav"):
            yield Button(f"← {t('key.previous')}", id="previous")
            yield Static("", id="step-of")
            yield Button(f"{t('key.next')} →", id="next", variant="primary")
        # The command palette (Ctrl+P) stays a key away without its place in the footer:
        # at 80 columns it pushed the support key (F2) off the end. Below 70 columns Esc
        # (the overview) leaves it too, so help (F1) and support (F2) are drawn whole;
        # Esc still works, and F1 lists it.
        yield FittedFooter(lesser={"overview"}, narrow_below=NARROW_COLUMNS,
                           show_command_palette=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer shows only keys that do something: no "previous" on the first step."""
        if action == "previous_step":
            return self.module.steps.index(self.current) > 0
        return True

    def _started(self) -> bool:
        return any(self.session.record(self.module, s) for s in self.module.steps)

    def _short(self) -> bool:
        return self.app.size.height < SHORT_TERMINAL_ROWS

    def on_mount(self) -> None:
        self.watch(self.app, "language", self.retranslate, init=False)
        blockers = locked_by(self.session.course, self.module, self.session.status())
        if blockers:
            titles = ", ".join(m.title for m in blockers)
            if not self.session.preview:
                self.query_one("#step-host").mount(
                    Static(self.peer_app.t("module.locked", modules=titles), markup=False)
                )
                return
            # An instructor's preview opens it, saying what locks it for trainees.
            self.query_one("#step-pane").mount(
                Static(self.peer_app.t("module.preview_locked", modules=titles),
                       id="preview-mark", markup=False),
                before="#step-heading",
            )
        self._status = self.session.status()
        self.ticking = self.set_interval(1.0, self._tick)
        """The clock of time on task, one tick a second."""
        self.show_step(self.current)

    # --- the step list --------------------------------------------------------------

    def _refresh_step_list(self) -> None:
        t = self.peer_app.t
        options = self.query_one("#steps", OptionList)
        highlighted = self.module.steps.index(self.current)
        options.clear_options()
        for step in self.module.steps:
            done = self.session.done(self.module, step)
            word = t(self._state_key(step, done))
            if step is self.current:
                # Where the trainee is, and whether that step is done yet.
                mark, word = "▶", f"{t('state.current')} · {word}"
            else:
                mark = "✓" if done else "·"
            # State is said in a symbol and a word, never by colour alone.
            # Non-breaking spaces keep the second line indented when the list wraps.
            kind = t(step_kind(step.kind).label_key)
            label = Content(f"{mark} {step.title}\n\u00a0\u00a0{kind} · {word}")
            options.add_option(Option(label, id=step.id))
        options.highlighted = highlighted
        number = highlighted + 1
        self.query_one("#step-of", Static).update(
            t("module.step_of", n=number, total=len(self.module.steps))
        )
        self.query_one("#previous", Button).disabled = number == 1

    @on(OptionList.OptionSelected, "#steps")
    def choose_step(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and event.option.id != self.current.id:
            self.show_step(self.module.step(event.option.id))

    # --- moving between steps ------------------------------------------------------------

    def show_step(self, step: Step) -> None:
        """Leave the current step (saving what it holds) and open another."""
        if self.view is not None:
            self._record_unsent(self.view)
            self._flush_seconds()
            if step is not self.current:
                # The goals were shown on the way in; from here on they would push
                # each step down the pane. They stay a click (or Enter) away.
                self.query_one("#goals", Collapsible).collapsed = True
        self.current = step
        phase = self.session.phase(self.module, step)
        self.session.move_to(self.module, step, phase)
        self._show_heading(step)
        self._refresh_step_list()
        self.refresh_bindings()  # "previous" comes and goes with the first step
        self._turn += 1
        self.load_step(step, phase, self._turn)

    def _show_heading(self, step: Step) -> None:
        """The step's kind and title above it ("Quiz: Hvad er aktiv lytning?")."""
        kind = self.peer_app.t(step_kind(step.kind).label_key)
        self.query_one("#step-heading", Static).update(f"{kind}: {step.title}")

    @work(thread=True, exclusive=True, group="load-step")
    def load_step(self, step: Step, phase: str, turn: int) -> None:
        """Read what the trainee left on this step, then show it."""
        try:
            data = self.session.step_data(self.module, step, self.peer_app.t, phase,
                                          self.session.others_done(self.module, step))
        except StoreError as error:
            answer_from_thread(self, self._load_failed, turn, error)
            return
        # Awaited on the app's loop, so the view is mounted when this worker ends.
        answer_from_thread(self, self._mount_view, data, turn)

    def _load_failed(self, turn: int, error: StoreError) -> None:
        """The store did not answer: stay on the step that is shown, and say so.

        The trainee's text there is untouched; moving on works once the store answers.
        """
        if turn != self._turn:
            return  # the trainee moved on meanwhile
        if self.view is not None:
            shown = self.view.data
            self.current = shown.step
            self.session.move_to(self.module, shown.step, shown.phase)
            self._show_heading(shown.step)
            self._refresh_step_list()
        self.peer_app.notify(self.peer_app.t("store.read_failed", reason=str(error)),
                             severity="warning", timeout=10, markup=False)

    async def _mount_view(self, data: StepData, turn: int) -> None:
        if turn != self._turn:
            return  # the trainee moved on while this loaded
        from peerskole.ui.steps.registry import view_for

        host = self.query_one("#step-host")
        leaving, self.view, self._laid_out = self.view, None, None
        if leaving is not None:
            # The view being left took keys while this step loaded: record what it
            # holds once more, so nothing typed meanwhile goes with it. No longer
            # self.view, it is not fitted or focused while its parts are removed
            # (a call queued for it would find them gone).
            self._record_unsent(leaving)
        await host.remove_children()
        if self.focused is not None and not self.focused.is_attached:
            # Textual sets the focus a widget asks for later, from the app's queue: one
            # of the old view's controls can be given it while the view is removed.
            # Focus left on a removed widget keeps every key from the screen.
            self.set_focus(None)
        if turn != self._turn:
            return  # moved on again while the last view was removed: that turn shows its own
        self.query_one("#step-pane", VerticalScroll).scroll_home(animate=False)
        if content_note_pending(data.step, self.session.record(self.module, data.step)):
            # The trainee sees what the step touches on, and chooses, before it starts.
            notice = ContentNotice(data.step, self.peer_app.t)
            await host.mount(notice)
            self.call_after_refresh(self._focus_notice, notice)
            return
        view = self.view = view_for(data)
        await host.mount(view)
        if data.step.kind == "reflection" and not data.unreadable and not self.session.preview:
            # The dialogue reads and writes through the session itself (the step view
            # never does): it sits under the reflection, shown once it has messages.
            from peerskole.ui.widgets.reflection_dialogue import ReflectionDialogue

            shared = data.reflection.shared if data.reflection else False
            await view.mount(ReflectionDialogue(
                self.session, self.module, data.step, shared, self.peer_app.t,
                reveal=data.step.id == self._reply_step))
        self.call_after_refresh(self._arrive, view)

    def _focus_notice(self, notice: ContentNotice) -> None:
        if notice.is_attached:
            notice.start_button.focus()

    @on(ContentNotice.Started)
    def start_noted_step(self, event: ContentNotice.Started) -> None:
        """Record that the note was seen and the step chosen, then open the step."""
        event.stop()
        step = event.step
        if step is not self.current:
            return  # a notice left behind by a move; its step is no longer shown
        record = self.session.record(self.module, step)
        facts = dict(record.facts) if record else {}
        self.session.update(self.module, step, facts={**facts, CONTENT_NOTE_STARTED: True})
        self._turn += 1
        self.load_step(step, self.session.phase(self.module, step), self._turn)

    @on(ContentNotice.Skipped)
    def skip_noted_step(self, event: ContentNotice.Skipped) -> None:
        """Go on to the next step, leaving this one as it was."""
        event.stop()
        if event.step is self.current:
            self.action_next_step()

    def _arrive(self, view: StepView) -> None:
        """Focus the step's main control, in view, so the keyboard works on it at once."""
        if view is not self.view or not view.is_attached:
            return  # the trainee moved on meanwhile
        self._laid_out = view  # composed and laid out: from now on it can be fitted
        view.fit(self._pane_rows())
        # Fitting may change heights: scroll once they are laid out.
        self.call_after_refresh(view.when_fitted, lambda: self._focus_on_arrival(view))

    def _focus_on_arrival(self, view: StepView) -> None:
        if view is not self.view or not view.is_attached:
            return
        control = view.arrive(self._pane_rows())
        if control is None:
            # Nothing to answer yet: the pane takes the keys, and the arrows read on.
            self.query_one("#step-pane", VerticalScroll).focus(scroll_visible=False)
        else:
            control.focus(scroll_visible=False)
        if self.current.id == self._reply_step:
            # Arriving scrolls to the step's control: the reply asked for comes back.
            from peerskole.ui.widgets.reflection_dialogue import ReflectionDialogue

            for section in view.query(ReflectionDialogue):
                section.reveal()

    def _pane_rows(self) -> int:
        """How many rows of the step the pane shows at once."""
        return self.query_one("#step-pane", VerticalScroll).scrollable_content_region.height

    def set_focus(
        self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False
    ) -> None:
        """Focus a widget; one of the step's controls is scrolled into view by its step.

        The step knows what belongs with a control (a question above its options):
        Textual's own scroll would show the control alone, and would animate, so a
        scroll of the step's after it would come too late.
        """
        view = self.view
        if (scroll_visible and widget is not None and widget is not self.focused
                and view is not None and view is self._laid_out and view in widget.ancestors):
            super().set_focus(widget, scroll_visible=False, from_app_focus=from_app_focus)
            if self.focused is widget:
                self.call_after_refresh(self._show_focused)
            return
        super().set_focus(widget, scroll_visible, from_app_focus)

    def _show_focused(self) -> None:
        """Scroll the focused control into view with what belongs with it (as the focus
        moves to it, and after the terminal changed size)."""
        focused = self.focused
        pane = self.query_one("#step-pane", VerticalScroll)
        if (focused is not None and pane in focused.ancestors and self.view is not None
                and self.view is self._laid_out):
            self.view.keep_in_view(focused)

    def on_resize(self) -> None:
        if self.is_mounted and self._short():
            self.query_one("#goals", Collapsible).collapsed = True
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        # Not a view still being mounted: a resize can come before its parts exist.
        if self.view is not None and self.view is self._laid_out and self.view.is_attached:
            self.view.fit(self._pane_rows())
            self.call_after_refresh(self.view.when_fitted, self._show_focused)
        else:
            self.call_after_refresh(self._show_focused)

    def action_next_step(self) -> None:
        following = self.session.step_after(self.module, self.current)
        if following is None:
            self.action_overview()
        else:
            self.show_step(following)

    def action_previous_step(self) -> None:
        index = self.module.steps.index(self.current)
        if index > 0:
            self.show_step(self.module.steps[index - 1])

    def action_overview(self) -> None:
        self.app.pop_screen()

    @on(Button.Pressed, "#next")
    def next_pressed(self) -> None:
        self.action_next_step()

    @on(Button.Pressed, "#previous")
    def previous_pressed(self) -> None:
        self.action_previous_step()

    # --- what the step views report -----------------------------------------------------

    @on(StepView.Progressed)
    @on(StepView.ReflectionChanged)
    @on(StepView.PracticeLogged)
    @on(StepView.PracticeDraftChanged)
    def record_step_message(self, event: StepMessage) -> None:
        event.stop()
        before = self._done_states()
        self._record(event)
        # A draft saved while the trainee types rarely changes what the list shows;
        # rebuilding it (and laying out the screen) twice a second would slow typing.
        if self._done_states() != before:
            self._refresh_step_list()
            self._tell_completion()

    def _tell_completion(self) -> None:
        """Say so, calmly, when the module has just become complete, and what it opened."""
        from peerskole.ui.completion import completion_notice

        before, self._status = self._status, self.session.status()
        if before is not None:
            notice = completion_notice(self.peer_app.t, self.session.course, self.module,
                                       before, self._status)
            if notice is not None:
                self.peer_app.notify(notice, timeout=12, markup=False)

    def _done_states(self) -> list[str]:
        """What the step list says of each step's state (as message keys)."""
        return [self._state_key(step, self.session.done(self.module, step))
                for step in self.module.steps]

    def _state_key(self, step: Step, done: bool) -> str:
        if not done and isinstance(step, SelfAssessment):
            if ratings_saved(step, self.session.record(self.module, step))[0]:
                return "state.before_saved"  # work done, not a step still to do
        return "state.done" if done else "state.todo"

    def _record(self, message: StepMessage) -> None:
        """Record what a step view sent, against the step it is about.

        That is not always the current step: a view's last draft is recorded as the
        trainee moves on.
        """
        step = message.step or self.current
        if isinstance(message, StepView.Progressed):
            self.session.update(self.module, step, facts=message.facts, state=message.state)
        elif isinstance(message, StepView.ReflectionChanged):
            self.session.save_reflection(self.module, step, message.text, message.shared)
        elif isinstance(message, StepView.PracticeLogged):
            self.session.add_practice_entry(self.module, step, message.values)
        elif isinstance(message, StepView.PracticeDraftChanged):
            self.session.save_practice_draft(self.module, step, message.values)

    def record_unsent(self) -> None:
        """Record what the open step holds and has not sent yet, and the time on it
        (before quitting or switching profile)."""
        if self.view is not None:
            self._record_unsent(self.view)
        self._flush_seconds()

    def _record_unsent(self, view: StepView) -> None:
        """Record at once what a view being left has not sent yet (see StepView.flushed)."""
        for message in view.flushed():
            self._record(message)
        self._tell_completion()  # leaving a reading can complete the module

    # --- time on task ---------------------------------------------------------------------

    def _tick(self) -> None:
        if time.monotonic() - self.peer_app.last_activity < IDLE_AFTER_SECONDS:
            self._seconds += 1
        self._since_flush += 1
        if self._since_flush >= FLUSH_SECONDS:
            self._flush_seconds()

    def _flush_seconds(self) -> None:
        self._since_flush = 0
        if self._seconds:
            seconds, self._seconds = self._seconds, 0
            self.session.update(self.module, self.current, add_seconds=seconds)

    def on_unmount(self) -> None:
        if self.view is not None:
            self._record_unsent(self.view)
        self._flush_seconds()

    def retranslate(self, language: str) -> None:
        """Show the screen in the language the app now speaks."""
        self.refresh(recompose=True)
        self.call_after_refresh(self.show_step, self.current)
