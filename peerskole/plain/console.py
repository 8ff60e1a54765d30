"""Lines in, lines out: what plain mode prints and reads, and its commands.

Everything printed passes through :meth:`Console.say`, which replaces every character
a terminal could act on (peerskole.safe_text), so course text, names and the
trainee's own words never reach the terminal raw. Course Markdown is printed as
plain text (:func:`plain_text`).
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Sequence
from typing import Final, TextIO

from peerskole.i18n import Translator
from peerskole.progress import IDLE_AFTER_SECONDS
from peerskole.safe_text import TEXT_FORBIDDEN

COMMANDS: Final = ("help", "support", "repeat", "back", "quit")
"""The commands understood at every prompt, by their UI-string key ``plain.cmd.NAME``."""

END_OF_TEXT: Final = "."
"""A line with only this ends a text typed over several lines (a reflection, a log field)."""


class Back(Exception):
    """The trainee asked to go back (the previous step, the overview, the profiles)."""


class Quit(Exception):
    """The trainee asked to quit; everything written is saved first."""


class EndOfInput(Quit):
    """The input ended (Ctrl+D, or the end of a script): quit as if asked to."""


_LINK: Final = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_EMPHASIS: Final = re.compile(r"(\*\*|__|\*|`)")
_HEADING: Final = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
_QUOTE: Final = re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE)


def plain_text(markdown: str) -> str:
    """Course Markdown as text to be read aloud: no emphasis marks, links as "text (url)".

    Headings, lists and paragraphs keep their lines; what would be drawn (stars,
    backticks, hashes) is left out, since a screen reader would speak it.
    """
    text = _LINK.sub(lambda m: f"{m[1]} ({m[2]})" if m[1] and m[2] != m[1] else m[2] or m[1],
                     markdown)
    text = _HEADING.sub("", text)
    text = _QUOTE.sub("", text)
    text = _EMPHASIS.sub("", text)
    return text.strip("\n")


def clean(text: str) -> str:
    """Text as it may be printed: every control character but tab and line breaks,
    and every direction override, replaced by U+FFFD."""
    return TEXT_FORBIDDEN.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


class Console:
    """Reads the trainee's lines and prints peerskole's, in the UI's language.

    Args:
        t: the UI's language.
        stdin: where lines are read from (standard input unless given).
        stdout: where text is printed (standard output unless given).
    """

    def __init__(self, t: Translator, stdin: TextIO | None = None,
                 stdout: TextIO | None = None) -> None:
        self.t = t
        self._in = stdin if stdin is not None else sys.stdin
        self._out = stdout if stdout is not None else sys.stdout
        self._shown: Callable[[], None] | None = None
        self.on_help: Callable[[], None] = lambda: None
        """Prints the help; set by plain mode."""
        self.on_support: Callable[[], None] = lambda: None
        """Prints the support contacts; set by plain mode once the course is known."""
        self.before_prompt: Callable[[], None] = lambda: None
        """Called before each prompt (plain mode asks a changed passphrase there)."""
        self._active = 0.0

    # --- printing ---------------------------------------------------------------------

    def say(self, text: str = "") -> None:
        """Print text (several lines allowed), cleaned of control characters."""
        self._out.write(clean(text) + "\n")
        self._out.flush()

    def markdown(self, text: str) -> None:
        """Print course Markdown as plain text."""
        self.say(plain_text(text))

    def show(self, printed: Callable[[], None]) -> None:
        """Print something the "repeat" command prints again (a question, a step)."""
        self._shown = printed
        printed()

    # --- reading ---------------------------------------------------------------------------

    def _read(self) -> str:
        started = time.monotonic()
        line = self._in.readline()
        # Time on task: a long wait for an answer counts only up to where it turns idle.
        self._active += min(time.monotonic() - started, IDLE_AFTER_SECONDS)
        if not line:
            raise EndOfInput()
        return line.rstrip("\r\n")

    def take_seconds(self) -> int:
        """Whole seconds of active time since last taken (for time on task)."""
        seconds = int(self._active)
        self._active -= seconds
        return seconds

    def command(self, line: str) -> str | None:
        """The command a line names in the UI's language ("hjælp", "help"), or None."""
        word = line.strip().lower()
        for name in COMMANDS:
            if word == self.t(f"plain.cmd.{name}"):
                return name
        return None

    def _obey(self, name: str) -> None:
        if name == "help":
            self.on_help()
        elif name == "support":
            self.on_support()
        elif name == "repeat":
            if self._shown is not None:
                self._shown()
        elif name == "back":
            raise Back()
        else:
            raise Quit()

    def ask(self, prompt: str) -> str:
        """Print a prompt and read one line; commands are carried out on the way.

        Raises:
            Back, Quit: the trainee asked for it (EndOfInput when the input ended).
        """
        while True:
            self.before_prompt()
            self.say(prompt)
            line = self._read()
            name = self.command(line)
            if name is None:
                return line.strip()
            self._obey(name)

    def ask_text(self, intro: str | None = None,
                 each_line: Callable[[list[str]], None] | None = None) -> list[str]:
        """Read lines of text until a line with only "."; each line is handed on as typed.

        A line with only a command word is that command, as at any prompt.

        Args:
            intro: what to print first (how to end the text is said after it).
            each_line: called with the lines so far after each one, to keep a draft.
        """
        if intro:
            self.say(intro)
        self.say(self.t("plain.text_how", end=END_OF_TEXT))
        lines: list[str] = []
        while True:
            line = self._read()
            if line.strip() == END_OF_TEXT:
                return lines
            name = self.command(line)
            if name is not None:
                self._obey(name)
                continue
            lines.append(line)
            if each_line is not None:
                each_line(lines)

    def choose(self, options: Sequence[str], prompt: str | None = None,
               allow_none: str | None = None,
               lead: Callable[[], None] | None = None) -> int | None:
        """Print numbered options and read the number of one.

        Args:
            options: the options, printed "1. …", "2. …".
            lead: prints what the options answer (a question); "repeat" prints it too.
            prompt: what to ask (the UI's "Skriv et tal" unless given).
            allow_none: when given, what an empty line does (said after the options);
                an empty line then returns None.

        Returns:
            The index of the option chosen; None for an empty line when allowed.
        """
        def printed() -> None:
            if lead is not None:
                lead()
            for number, option in enumerate(options, 1):
                self.say(f"{number}. {option}")
            if allow_none:
                self.say(self.t("plain.enter_for", what=allow_none))

        self.show(printed)
        while True:
            answer = self.ask(prompt or self.t("plain.choose", last=len(options)))
            if not answer and allow_none:
                return None
            if answer.isdigit() and 1 <= int(answer) <= len(options):
                return int(answer) - 1
            self.say(self.t("plain.not_a_choice", last=len(options)))

    def choose_many(self, options: Sequence[str],
                    lead: Callable[[], None] | None = None) -> list[int]:
        """Print numbered options and read the numbers of one or more ("1 3", "1,3")."""
        def printed() -> None:
            if lead is not None:
                lead()
            for number, option in enumerate(options, 1):
                self.say(f"{number}. {option}")

        self.show(printed)
        while True:
            answer = self.ask(self.t("plain.choose_many", last=len(options)))
            parts = [p for p in re.split(r"[\s,;]+", answer) if p]
            if parts and all(p.isdigit() and 1 <= int(p) <= len(options) for p in parts):
                return sorted({int(p) - 1 for p in parts})
            self.say(self.t("plain.not_choices", last=len(options)))

    def wait_for_enter(self, what: str) -> None:
        """Ask for Enter (any line) before going on to ``what``."""
        self.ask(self.t("plain.enter_for", what=what))

    def secret(self, prompt: str) -> str:
        """Read a passphrase: not echoed at a terminal; a line like any other from a script.

        Commands are understood too (a passphrase has at least eight characters, and
        no command word has that many).
        """
        if self._in is sys.stdin and sys.stdin.isatty():
            import getpass

            try:
                line = getpass.getpass(clean(prompt) + " ", stream=self._out)
            except EOFError:
                raise EndOfInput() from None
        else:
            self.say(prompt)
            line = self._read()
        name = self.command(line)
        if name is not None:
            self._obey(name)
            return ""
        return line
