"""Map a path in a parsed TOML document back to a line and column.

``tomllib`` gives no positions and pydantic gives field paths, so when a course
file has problems we scan its text once more and record where each key, table
header and array element starts. The scan assumes the text is valid TOML (it
only runs after ``tomllib`` accepted it) and is only done for files that have
problems, so the happy path never pays for it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

PathKey = tuple[str | int, ...]

_SCALAR_END = frozenset(",]}\n#\r")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "e": "\x1b"}


class TomlLocator:
    """Positions of keys, tables and array elements in one TOML text.

    Args:
        text: a document that ``tomllib`` parsed without error.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._line_starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self._line_starts.append(index + 1)
        self._positions: dict[PathKey, int] = {}
        self._array_tables: dict[PathKey, int] = {}
        self._i = 0
        try:
            self._scan()
        except IndexError:
            # The text ended inside a construct; keep what was found so far.
            pass

    def position(self, path: Sequence[str | int]) -> tuple[int, int]:
        """Return (line, column), both from 1, of the deepest known part of path."""
        key = tuple(path)
        for length in range(len(key), 0, -1):
            offset = self._positions.get(key[:length])
            if offset is not None:
                return self.line_col(offset)
        return (1, 1)

    def line_col(self, offset: int) -> tuple[int, int]:
        """Return (line, column), both from 1, of a character offset."""
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    # --- scanning ---------------------------------------------------------

    def _record(self, path: PathKey, offset: int) -> None:
        self._positions.setdefault(path, offset)

    def _skip_space(self, newlines: bool) -> None:
        text, n = self._text, len(self._text)
        while self._i < n:
            char = text[self._i]
            if char in " \t" or (newlines and char in "\r\n"):
                self._i += 1
            elif char == "#":
                while self._i < n and text[self._i] != "\n":
                    self._i += 1
            else:
                return

    def _scan(self) -> None:
        text, n = self._text, len(self._text)
        table: PathKey = ()
        while True:
            self._skip_space(newlines=True)
            if self._i >= n:
                return
            start = self._i
            if text.startswith("[[", self._i):
                self._i += 2
                keys = self._parse_key("]")
                self._i += 2
                table = self._resolve(keys, array=True)
                self._record(table[:-1], start)  # The array itself: its first entry.
                self._record(table, start)
            elif text[self._i] == "[":
                self._i += 1
                keys = self._parse_key("]")
                self._i += 1
                table = self._resolve(keys, array=False)
                self._record(table, start)
            else:
                keys = self._parse_key("=")
                self._i += 1
                path = table + tuple(keys)
                self._record(path, start)
                self._skip_space(newlines=False)
                self._parse_value(path)

    def _resolve(self, keys: list[str], array: bool) -> PathKey:
        concrete: PathKey = ()
        for number, key in enumerate(keys):
            concrete = concrete + (key,)
            if array and number == len(keys) - 1:
                count = self._array_tables.get(concrete, 0)
                self._array_tables[concrete] = count + 1
                concrete = concrete + (count,)
            elif concrete in self._array_tables:
                concrete = concrete + (self._array_tables[concrete] - 1,)
        return concrete

    def _parse_key(self, terminator: str) -> list[str]:
        """Parse a (dotted) key up to the terminator, leaving _i on it."""
        text = self._text
        keys: list[str] = []
        while True:
            self._skip_space(newlines=False)
            char = text[self._i]
            if char == '"':
                keys.append(self._read_basic_string())
            elif char == "'":
                end = text.index("'", self._i + 1)
                keys.append(text[self._i + 1 : end])
                self._i = end + 1
            else:
                start = self._i
                while text[self._i] not in " \t.=]" and text[self._i] != terminator:
                    self._i += 1
                keys.append(text[start : self._i])
            self._skip_space(newlines=False)
            if text[self._i] == ".":
                self._i += 1
                continue
            return keys

    def _read_basic_string(self) -> str:
        text = self._text
        self._i += 1
        chars: list[str] = []
        while text[self._i] != '"':
            if text[self._i] == "\\":
                self._i += 1
                escape = text[self._i]
                width = {"u": 4, "U": 8}.get(escape)
                if width:  # a key such as "\u001b…" is found by the character it names
                    digits = text[self._i + 1 : self._i + 1 + width]
                    try:
                        chars.append(chr(int(digits, 16)))
                    except ValueError:
                        chars.append(escape)
                    else:
                        self._i += width
                    self._i += 1
                    continue
                chars.append(_ESCAPES.get(escape, escape))
                self._i += 1
                continue
            chars.append(text[self._i])
            self._i += 1
        self._i += 1
        return "".join(chars)

    def _parse_value(self, path: PathKey) -> None:
        text = self._text
        char = text[self._i]
        if text.startswith('"""', self._i) or text.startswith("'''", self._i):
            quote = text[self._i]
            self._i += 3
            while not text.startswith(quote * 3, self._i):
                if quote == '"' and text[self._i] == "\\":
                    self._i += 1
                self._i += 1
            self._i += 3
            # Up to two quotes may directly precede the closing delimiter.
            while self._i < len(text) and text[self._i] == quote:
                self._i += 1
        elif char == '"':
            self._read_basic_string()
        elif char == "'":
            self._i = text.index("'", self._i + 1) + 1
        elif char == "[":
            self._i += 1
            index = 0
            while True:
                self._skip_space(newlines=True)
                if text[self._i] == "]":
                    self._i += 1
                    return
                self._record(path + (index,), self._i)
                self._parse_value(path + (index,))
                self._skip_space(newlines=True)
                if text[self._i] == ",":
                    self._i += 1
                    index += 1
        elif char == "{":
            self._i += 1
            while True:
                self._skip_space(newlines=False)
                if text[self._i] == "}":
                    self._i += 1
                    return
                start = self._i
                keys = self._parse_key("=")
                self._i += 1
                inner = path + tuple(keys)
                self._record(inner, start)
                self._skip_space(newlines=False)
                self._parse_value(inner)
                self._skip_space(newlines=False)
                if text[self._i] == ",":
                    self._i += 1
        else:
            while self._i < len(text) and text[self._i] not in _SCALAR_END:
                self._i += 1
