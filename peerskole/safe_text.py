"""Which characters may reach a terminal: one rule for names, course text and output.

An ESC (or any C0/C1 control) in text drawn on a terminal can move the cursor,
rewrite the screen or worse; bidirectional overrides and line separators can make
a name or a sentence read as something else. A name is refused when it holds one;
a course file is reported; what reached the store another way is shown with each
such character replaced.
"""

from __future__ import annotations

import re
from typing import Final

_BIDI_AND_SEPARATORS: Final = r"\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
LINE_FORBIDDEN: Final = re.compile(rf"[\x00-\x1f\x7f-\x9f{_BIDI_AND_SEPARATORS}]")
"""What one line of text (a name, a cohort, a cell printed in a table) may not hold:
every C0 and C1 control (tab and line breaks too), direction marks and overrides,
line and paragraph separators."""
TEXT_FORBIDDEN: Final = re.compile(rf"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI_AND_SEPARATORS}]")
"""What text of several lines (a reading, a feedback) may not hold: the same, but for
tab, line feed and carriage return."""


def forbidden_character(text: str, *, lines: bool = False) -> str | None:
    """The first character text may not hold, written as "U+001B"; None when clean.

    Args:
        text: the text to check.
        lines: the text may hold tabs and line breaks (see :data:`TEXT_FORBIDDEN`).
    """
    found = (TEXT_FORBIDDEN if lines else LINE_FORBIDDEN).search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def visible(text: str, replacement: str = "\ufffd") -> str:
    """One line of text as it may be drawn: each forbidden character replaced."""
    return LINE_FORBIDDEN.sub(replacement, text)


_JSON_UNESCAPED: Final = re.compile(rf"[\x7f-\x9f{_BIDI_AND_SEPARATORS}]")
"""What :func:`json.dumps` with ``ensure_ascii=False`` leaves raw of :data:`LINE_FORBIDDEN`:
it escapes every C0 control itself, but not DEL, the C1 controls (U+009B starts a
control sequence on some terminals) nor direction overrides."""


def json_escaped(document: str) -> str:
    """A JSON document with every character a terminal could act on written as ``\\uXXXX``.

    The data read back is unchanged: such characters occur only inside JSON strings,
    where the escape means the same character.
    """
    return _JSON_UNESCAPED.sub(lambda found: f"\\u{ord(found.group()):04x}", document)
