"""A reflection: a prompt, private writing that saves itself, and a choice to share it."""

from __future__ import annotations

from typing import Final

from textual import events, on
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Checkbox, Markdown, Static, TextArea

from peerskole.progress import word_count
from peerskole.session import StepData
from peerskole.ui.steps.base import SaveSoon, StepView
from peerskole.ui.widgets.reflection_dialogue import ReflectionDialogue
from peerskole.ui.widgets.writing_area import WritingArea

EDITOR_ROWS: Final = range(4, 11)
"""How tall the editor may be, frame included: as tall as the pane leaves room for under
the prompt and above the word count, within this range. A longer text scrolls inside it,
so the prompt and the count stay in sight while the trainee writes."""


class ShareCheckbox(Checkbox):
    """A checkbox that shows its state by shape, not colour alone: ▐X▌ on, ▐ ▌ off.

    Textual's checkbox draws the same X in both states and tells them apart by
    colour only, which some trainees cannot see.
    """

    BUTTON_INNER = " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()


class ReflectionView(StepView):
    """The prompt and guidance, a private text area that saves as the trainee types.

    The draft is sent up (as :class:`StepView.ReflectionChanged`) a moment after
    the last keystroke (and every half second while the typing goes on), when the
    text loses focus, when the share choice changes, and in :meth:`flush` when the
    trainee leaves. The text itself is never logged.
    """

    DEFAULT_CSS = """
    ReflectionView {
        & .reflection-guidance {
            color: $text-muted;
        }
        & #privacy {
            height: auto;
            border-left: wide $accent;
            padding: 0 1;
        }
        & #reflection-text {
            height: 10;
        }
        & .reflection-guidance {
            margin: 1 0 0 0;
        }
        & #word-count, & #autosave {
            height: auto;
            padding: 0 1;
        }
        & #autosave {
            color: $text-muted;
        }
        /* Borderless, so the whole label fits beside the sidebar at 80 columns;
           focus is shown by an underline as well as the cursor colour. */
        & #share {
            margin: 0 0 1 0;
            border: none;
            padding: 0 0 0 1;
            &:focus > .toggle--label {
                text-style: bold underline;
            }
        }
    }
    """

    def __init__(self, data: StepData) -> None:
        super().__init__(data)
        saved = data.reflection
        self._text = saved.text if saved else ""
        self._shared = saved.shared if saved else False
        # What was last sent up (or loaded): nothing is sent unless it differs.
        self._sent = (self._text, self._shared)
        self._edited = False
        self._save_soon = SaveSoon(self, self._send)
        self._typed = False  # the editor holds text not yet taken into self._text
        self._count_shown = ""

    def compose(self) -> ComposeResult:
        step = self.data.step
        assert step.kind == "reflection"
        t = self.t
        # Text sealed with a key this session does not have is shown as a message, and
        # nothing here can change it: saving would write over the sealed text.
        locked = self.data.unreadable
        # What the trainee works with comes first, kept in view together (keep_in_view):
        # the question, the text and how far it has come; the rest follows underneath.
        # No container holds the three, for speed: each key's messages would pass through
        # it (see stop_cursor_moves_here).
        yield Markdown(step.prompt, classes="reflection-prompt")
        if locked:
            yield Static(t("reflection.unreadable"), id="unreadable", markup=False)
        self._editor = WritingArea(
            self._text,
            soft_wrap=True,
            tab_behavior="focus",  # Tab moves on, as everywhere else in the app
            placeholder=t("reflection.placeholder"),
            id="reflection-text",
            read_only=locked,
        )
        yield self._editor
        self._count_shown = self._word_count_text()
        yield Static(self._count_shown, id="word-count", markup=False)
        yield Static(t("reflection.autosave"), id="autosave", markup=False)
        if step.guidance:
            yield Markdown(step.guidance, classes="reflection-guidance")
        # The privacy note and the choice that changes it sit together, so a change
        # of mind shows at once in words next to the box.
        yield Static(self._privacy_text(), id="privacy", markup=False)
        yield ShareCheckbox(t("reflection.share"), self._shared, id="share", disabled=locked)

    def on_mount(self) -> None:
        # A draft is continued: the cursor after the text, not before it.
        editor = self.query_one("#reflection-text", TextArea)
        editor.move_cursor(editor.document.end)

    def main_control(self) -> Widget | None:
        return self.query_one("#reflection-text", TextArea)

    def fit(self, rows: int) -> None:
        prompt = self.query_one(".reflection-prompt", Markdown)
        count = self.query_one("#word-count", Static)
        room = rows - prompt.outer_size.height - count.outer_size.height
        height = min(max(room, EDITOR_ROWS[0]), EDITOR_ROWS[-1])
        editor = self.query_one("#reflection-text", TextArea)
        if editor.styles.height is None or editor.styles.height.value != height:
            editor.styles.height = height

    def fitted(self) -> bool:
        editor = self.query_one("#reflection-text", TextArea)
        wanted = editor.styles.height
        return wanted is None or editor.virtual_region.height == wanted.value

    def arrive(self, rows: int) -> Widget | None:
        editor = self.query_one("#reflection-text", TextArea)
        self.keep_in_view(editor)
        return editor

    def keep_in_view(self, focused: Widget) -> None:
        if focused is self.query_one("#reflection-text", TextArea):
            # The question and the word count with the text; the text first if all
            # three cannot fit (a very long prompt on a very short terminal). The count
            # first, then the question: when the three fit, bringing the question into
            # view leaves the count in it; when not, the question's top is shown.
            for part in (self.query_one("#word-count"), self.query_one(".reflection-prompt")):
                part.scroll_visible(animate=False, immediate=True)
        focused.scroll_visible(animate=False, immediate=True)

    # --- what the trainee does ----------------------------------------------------------

    @on(TextArea.Changed, "#reflection-text")
    def save_soon_after_typing(self, event: TextArea.Changed) -> None:
        """Note the change; the text is taken, counted and sent a moment later (SaveSoon).

        Nothing here grows with the text: taking it (joining the editor's lines) and
        counting its words on every key cost about a tenth of the editor's own work on
        the key in a 5,000-word text (benchmarks/bench_keystrokes.py, 1.22 → 1.11 in CPU
        time), and the count need not change within the half second.
        """
        event.stop()  # nothing above the view listens (see stop_cursor_moves_here)
        self._typed = True
        self._save_soon.changed()

    @on(TextArea.SelectionChanged)
    def stop_cursor_moves_here(self, event: TextArea.SelectionChanged) -> None:
        """End the editor's report of a cursor move here: nothing above the view listens.

        Only for speed. Each key sends it and the change up to the app, and every
        container on the way handles both in turn (five more than around a bare editor):
        stopped here, typing in a long reflection went from 1.65 to 1.24 times the bare
        editor's time (benchmarks/bench_keystrokes.py, medians of five runs), and with
        the editor the view's own child (no container between them) to 0.99.
        """
        event.stop()

    @on(events.DescendantBlur, "#reflection-text")
    def save_on_leaving_the_text(self) -> None:
        # Leaving the text is a natural pause: send now rather than wait for the timer.
        self._send()

    @on(Checkbox.Changed, "#share")
    def save_share_choice(self, event: Checkbox.Changed) -> None:
        self._shared = event.value
        self.query_one("#privacy", Static).update(self._privacy_text())
        for section in self.query(ReflectionDialogue):
            section.set_shared(event.value)
        self._send()

    def flush(self) -> None:
        """Send the reflection as it stands, if it was edited; called when the trainee leaves.

        It is sent even when unchanged since the last send: a message posted while
        the screen was closing (the text losing focus as the trainee goes back to the
        overview) never arrives, whereas the module screen records this one at once.
        """
        self._send(again=self._edited)

    # --- helpers ---------------------------------------------------------------------------

    def _send(self, again: bool = False) -> None:
        self._save_soon.cancel()
        if self._typed:
            self._typed = False
            self._text = self._editor.text  # still there when the view is being removed
            self._show_word_count()
        current = (self._text, self._shared)
        if (current == self._sent and not again) or self.data.unreadable:
            return
        self._sent, self._edited = current, True
        self.report(self.ReflectionChanged(self._text, self._shared))

    def _show_word_count(self) -> None:
        """Update the count when it changed (typing paused, or the text is sent).

        A new number in the same message keeps its one line, so it is drawn without
        a layout pass: in a long text, laying out the screen on every keystroke
        would cost more than the typing itself.
        """
        text = self._word_count_text()
        if text == self._count_shown:
            return
        same_message = self._count_shown.startswith("✓") == text.startswith("✓")
        self._count_shown = text
        self.query_one("#word-count", Static).update(text, layout=not same_message)

    def _privacy_text(self) -> str:
        return self.t("reflection.shared" if self._shared else "reflection.private")

    def _word_count_text(self) -> str:
        step = self.data.step
        assert step.kind == "reflection"
        count = word_count(self._text)
        # The same threshold as progress.step_done: any text counts when min_words is 0.
        minimum = max(step.min_words, 1)
        noun = self.t("reflection.word_one" if count == 1 else "reflection.word_many")
        if count >= minimum:
            return self.t("reflection.words_enough", count=count, noun=noun)
        return self.t("reflection.words_short", count=count, noun=noun, minimum=minimum)
