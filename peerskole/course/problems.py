"""Problems found in course files, and the one error type the loader raises."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from peerskole.safe_text import visible


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a course file, with where it is and what to do."""

    file: Path
    """The file the problem is in."""
    line: int
    """Line of the problem, counting from 1."""
    column: int
    """Column of the problem, counting from 1."""
    message: str
    """What is wrong, in a sentence."""
    field: str = ""
    """Path of the field, e.g. ``steps[2].options`` (counting from 1)."""
    hint: str = ""
    """What to do about it, where a hint helps."""

    def __str__(self) -> str:
        """The problem on one line, as terminals and editors read them.

        A file name, field name or value from a course is echoed here, and a course
        is untrusted: every character that could drive a terminal (an ESC starting
        an OSC 52 clipboard write, a title change, a screen clear) or disguise the
        text (a direction override) is shown replaced (see
        :func:`peerskole.safe_text.visible`). ``--json`` keeps the exact text.
        """
        where = f"{self.file}:{self.line}:{self.column}: "
        field = f"{self.field}: " if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        return visible(f"{where}{field}{self.message}{hint}")

    def as_dict(self) -> dict[str, object]:
        """The problem as plain data, for ``--json``."""
        return {
            "file": str(self.file),
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
        }


class CourseError(Exception):
    """A course could not be loaded; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(
            sorted(problems, key=lambda p: (str(p.file), p.line, p.column))
        )
        super().__init__(self.report())

    def report(self) -> str:
        """All problems, one a line, the way terminals and editors read them."""
        return "\n".join(str(p) for p in self.problems)


def field_path(path: Sequence[str | int]) -> str:
    """Show a data path the way an instructor counts: ``steps[2].options``.

    Array positions count from 1, matching the order of ``[[steps]]`` in the file.
    """
    shown = ""
    for part in path:
        if isinstance(part, int):
            shown += f"[{part + 1}]"
        else:
            shown += f".{part}" if shown else part
    return shown
