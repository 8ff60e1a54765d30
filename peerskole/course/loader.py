"""Load a course folder, reporting every problem in it at once.

Each problem says ``file:line:column``, the field path and, where it helps, what
to do. Nothing but :class:`~peerskole.course.problems.CourseError` leaves
:func:`load_course`, whatever bytes are on disk.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel, ValidationError

from peerskole.course.branching import END, following, path_problems
from peerskole.course.files import CourseFolder, UnreadableCourseFile
from peerskole.course.kinds import STEP_KINDS
from peerskole.course.locate import TomlLocator
from peerskole.course.model import (
    BUILT_IN_LOG_FIELDS,
    FORMAT_VERSION,
    Course,
    CourseManifest,
    Module,
    Practice,
    Quiz,
    Reading,
    Reflection,
    Scenario,
    SelfAssessment,
)
from peerskole.course.problems import CourseError, Problem, field_path
from peerskole.safe_text import forbidden_character

MANIFEST_NAME: Final = "course.toml"
"""File name of a course's manifest."""
MODULES_DIR: Final = "modules"
"""Folder, inside a course folder, that holds one TOML file per module."""
MAX_DEPTH: Final = 16
"""Deepest nesting of tables and lists a course file may have; the format needs seven
(``steps[1].turns[1].responses[1].feedback``). Deeper data would exhaust Python's
recursion in the checks that walk it."""

_STEP_MODELS: Final[dict[str, type[BaseModel]]] = {
    "reading": Reading,
    "quiz": Quiz,
    "scenario": Scenario,
    "reflection": Reflection,
    "self_assessment": SelfAssessment,
    "practice": Practice,
}
_BRACKET_RUN: Final = re.compile(r"=[ \t]*(?:[\[{][ \t\r\n]*){%d}" % (MAX_DEPTH + 1))
"""A value that opens more than :data:`MAX_DEPTH` lists or tables at once."""
_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


# --- Reading files ---------------------------------------------------------------


@dataclass
class _SourceFile:
    """One parsed TOML file, and where its problems go."""

    path: Path
    text: str
    data: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    control_characters: list[tuple[tuple[str | int, ...], str, str]] = field(
        default_factory=list
    )
    """Where a text or field name holds a control character: path, message, hint."""
    _locator: TomlLocator | None = None

    def at(self, path: Sequence[str | int]) -> tuple[int, int]:
        if self._locator is None:
            self._locator = TomlLocator(self.text)
        return self._locator.position(path)

    def value_text(self, path: Sequence[str | int]) -> str:
        """A one-line value as written after its ``key =`` ("1.10", not 1.1); "" if unsure."""
        line, _ = self.at(path)
        lines = self.text.splitlines()
        if not 0 < line <= len(lines) or not path or not isinstance(path[-1], str):
            return ""
        found = re.match(r"[^=]*=[ \t]*([^#\s,\]}]+)", lines[line - 1])
        return found.group(1) if found else ""

    def report(self, path: Sequence[str | int], message: str, hint: str = "") -> None:
        line, column = self.at(path)
        self.problems.append(Problem(self.path, line, column, message, field_path(path), hint))


def _read_toml(path: Path, folder: CourseFolder, problems: list[Problem]) -> _SourceFile | None:
    """Read and parse one TOML file; on failure add a problem and return None."""
    found = forbidden_character(path.name)
    if found:
        problems.append(Problem(
            path, 1, 1, f"the file name contains a control character ({found})",
            hint="rename the file using letters, digits and hyphens",
        ))
        return None
    try:
        raw = folder.read(path)
    except UnreadableCourseFile as error:
        problems.append(Problem(path, 1, 1, str(error)))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(
            Problem(
                path,
                line,
                column,
                f"the file is not UTF-8 text (byte 0x{raw[error.start]:02x} cannot be read)",
                hint="save the file as UTF-8 in your editor",
            )
        )
        return None
    text = text.removeprefix("\ufeff")  # Some Windows editors add a byte-order mark.
    # tomllib reads nested brackets by recursion: thousands of them would use up the
    # stack before it gives up, so a run of them is refused before parsing.
    opening = _BRACKET_RUN.search(text)
    if opening:
        line = text.count("\n", 0, opening.start()) + 1
        column = opening.start() - (text.rfind("\n", 0, opening.start()) + 1) + 1
        problems.append(_too_deep_problem(path, line, column))
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        problems.append(_syntax_problem(path, text, error))
        return None
    except RecursionError:
        problems.append(_too_deep_problem(path, 1, 1))
        return None
    if not data:
        problems.append(_empty_problem(path))
        return None
    deep, control_characters = _walk(data)
    if deep is not None:
        try:
            line, column = TomlLocator(text).position(deep)
        except RecursionError:
            line, column = 1, 1
        problems.append(_too_deep_problem(path, line, column))
        return None
    return _SourceFile(path, text, data, control_characters=control_characters)


def _walk(
    data: dict[str, Any],
) -> tuple[tuple[str | int, ...] | None, list[tuple[tuple[str | int, ...], str, str]]]:
    """One walk through parsed data, for what a hostile file may hold.

    Walks with a list, not by recursion: the data may nest a thousand levels.

    Returns:
        The path to the first value nested deeper than :data:`MAX_DEPTH` (None when
        there is none), and where a text or field name holds a control character (an
        ESC could drive the trainee's terminal, a direction override make a text read
        as something else), each with its message and hint.
    """
    found: list[tuple[tuple[str | int, ...], str, str]] = []
    pending: list[tuple[object, tuple[str | int, ...]]] = [(data, ())]
    while pending:
        value, path = pending.pop()
        if isinstance(value, str):
            character = forbidden_character(value, lines=True)
            if character:
                found.append((path, f"the text contains a control character ({character})",
                              "remove it; only line breaks and tabs are allowed in text"))
            continue
        if len(path) > MAX_DEPTH:
            # Follow it to its end: a [table.header] is located by its full path.
            while isinstance(value, (dict, list)) and value:
                first: str | int = next(iter(value)) if isinstance(value, dict) else 0
                inner = value[first]  # type: ignore[index]
                if not isinstance(inner, (dict, list)):
                    break
                value, path = inner, (*path, first)
            return path, found
        if isinstance(value, dict):
            for key, inner in value.items():
                character = forbidden_character(key)
                if character:
                    found.append((
                        (*path, key),
                        f"the field name contains a control character ({character})",
                        "remove it; field names are plain words such as title",
                    ))
                pending.append((inner, (*path, key)))
        elif isinstance(value, list):
            pending.extend((inner, (*path, index)) for index, inner in enumerate(value))
    # Reported in the order of the file, as the recursive walk before did.
    found.reverse()
    return None, found


def _empty_problem(path: Path) -> Problem:
    """One problem for a file with nothing in it, instead of a "missing" for every field."""
    if path.name == MANIFEST_NAME:
        hint = "start a course with: peerskole new course DIR"
    else:
        hint = ("write the module in it: id, title, goals, minutes and its [[steps]] "
                "(docs/course-format.md has an example)")
    return Problem(path, 1, 1, "the file is empty (or holds only comments)", hint=hint)


def _too_deep_problem(path: Path, line: int, column: int) -> Problem:
    return Problem(
        path, line, column,
        f"tables or lists are nested more than {MAX_DEPTH} levels deep here, deeper "
        "than any course needs",
        hint="check the dots in this [table] header or the brackets in this value",
    )


def _syntax_problem(path: Path, text: str, error: tomllib.TOMLDecodeError) -> Problem:
    message = str(error.args[0]) if error.args else str(error)
    found = _TOML_POSITION.search(message)
    line, column = 1, 1
    if found:
        message = message[: found.start()]
        if found.group(1):
            line, column = int(found.group(1)), int(found.group(2))
        else:
            line = text.count("\n") + 1
            column = len(text) - (text.rfind("\n") + 1) + 1
    message = message[:1].lower() + message[1:]
    hint = "check quotes, brackets and '=' on this line or the one before"
    if "'\\n'" in message:
        hint = "a text may be missing its closing quote on this line"
    lines = text.splitlines()
    this_line = lines[line - 1] if 0 < line <= len(lines) else ""
    if message.startswith("unterminated string") and not found or (
        found and not found.group(1) and message.startswith("unterminated string")
    ):
        opened = _unclosed_multiline(text)
        if opened is not None:
            line, column, quotes = opened
            return Problem(
                path, line, column,
                f"TOML syntax: the text opened with {quotes} here is never closed",
                hint=f"end it with {quotes} where the text ends",
            )
    if message.startswith("cannot overwrite a value"):
        twice = _set_twice(lines, line)
        if twice is not None:
            key, first, header = twice
            hint = "remove one of them"
            if header and (key in Module.model_fields or key in CourseManifest.model_fields):
                hint += (f"; keys written after a {header} header belong to that table, so a "
                         "key meant for the whole file goes above the first such header")
            return Problem(
                path, line, column,
                f'"{key}" is set twice in this table (first on line {first})', hint=hint,
            )
    if any(quote in this_line for quote in _TYPOGRAPHIC_QUOTES):
        hint = ("this line has typographic quotes (“ ” „ ‘ ’ « »), as a word processor "
                'writes them; TOML needs straight quotes: "…"')
    return Problem(path, line, column, f"TOML syntax: {message}", hint=hint)


_TYPOGRAPHIC_QUOTES: Final = "“”„‘’«»‚"
_KEY_AT_START: Final = re.compile(r"""^[ \t]*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)[ \t]*=""")
_HEADER: Final = re.compile(r"^[ \t]*(\[\[?)[ \t]*([^\]]*?)[ \t]*\]")


def _set_twice(lines: list[str], line: int) -> tuple[str, int, str] | None:
    """The key set a second time on ``line`` (from 1), the line of its first setting in the
    same table, and the ``[[array]]`` header the table starts with ("" for none)."""
    if not 0 < line <= len(lines):
        return None
    found = _KEY_AT_START.match(lines[line - 1])
    if found is None:
        return None
    key = found.group(1).strip("\"'")
    for number in range(line - 1, 0, -1):
        above = lines[number - 1]
        header = _HEADER.match(above)
        if header:
            return None  # not set before in this table (a dotted or inline form instead)
        earlier = _KEY_AT_START.match(above)
        if earlier and earlier.group(1).strip("\"'") == key:
            start = number
            for back in range(number - 1, 0, -1):
                table = _HEADER.match(lines[back - 1])
                if table:
                    opened = table.group(1) == "[["
                    return key, start, f"[[{table.group(2)}]]" if opened else ""
            return key, start, ""
    return None


def _unclosed_multiline(text: str) -> tuple[int, int, str] | None:
    """Where a multi-line text (\"\"\" or ''') opens and never closes: line, column, quotes.

    Follows the file's strings just enough to know which quotes open and which close:
    comments, one-line strings and escaped quotes are stepped over.
    """
    i, size = 0, len(text)
    while i < size:
        char = text[i]
        if char == "#":
            end = text.find("\n", i)
            i = size if end < 0 else end
        elif text.startswith(('"""', "'''"), i):
            quotes = text[i:i + 3]
            j = i + 3
            while True:
                end = text.find(quotes, j)
                if end < 0:
                    line = text.count("\n", 0, i) + 1
                    return line, i - (text.rfind("\n", 0, i) + 1) + 1, quotes
                if quotes == '"""' and _escaped(text, end):
                    j = end + 1
                    continue
                i = end + 3
                while i < size and text[i] == quotes[0]:
                    i += 1  # up to two quotes may end the text itself
                break
        elif char in "\"'":
            j = i + 1
            while j < size and text[j] not in (char, "\n"):
                j += 2 if char == '"' and text[j] == "\\" else 1
            i = j + 1
        else:
            i += 1
    return None


def _escaped(text: str, index: int) -> bool:
    """Whether the character at ``index`` follows an odd run of backslashes."""
    run = 0
    while index - run - 1 >= 0 and text[index - run - 1] == "\\":
        run += 1
    return run % 2 == 1


# --- Turning pydantic errors into problems ------------------------------------------


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (dt.date, dt.time)):
        return "a date or time"
    return type(value).__name__


_EXPECTED: Final = {
    "string_type": "text in quotes",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list in [brackets]",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "dict_type": "a table",
}

_MISSING_HINTS: Final = {
    "format_version": f"add format_version = {FORMAT_VERSION} at the top of course.toml",
    "feedback": "every option needs feedback that says why it is right or wrong",
    "principle": "name the listening or peer principle this response keeps or breaks",
    "quality": 'set quality = "best", "acceptable" or "poor"',
    "id": "give it a short, stable id such as \"aktiv-lytning\"; never change it once used",
    "support": "add at least one [[support]] contact with a name and phone or url",
    "classroom_hours": "write the hours of classroom teaching the programme plans, "
                       "e.g. classroom_hours = 78",
}


def _strip_tags(loc: Sequence[str | int]) -> tuple[str | int, ...]:
    """Drop the step-kind tags pydantic puts after a step's index."""
    out: list[str | int] = []
    for index, part in enumerate(loc):
        if (
            isinstance(part, str)
            and part in _STEP_MODELS
            and index >= 2
            and isinstance(loc[index - 1], int)
            and loc[index - 2] == "steps"
        ):
            continue
        out.append(part)
    return tuple(out)


def _model_at(root: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class that holds the fields at a (tagged) pydantic location."""
    current: type[BaseModel] | None = root
    for part in loc:
        if isinstance(part, int):
            continue
        if current is Module and part == "steps":
            current = None  # Resolved by the kind tag that follows.
            continue
        if current is None:
            current = _STEP_MODELS.get(part)
            if current is None:
                return None
            continue
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _inner_model(info.annotation)
        if current is None:
            return None
    return current


def _inner_model(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None


def _data_at(data: object, path: Sequence[str | int]) -> object:
    """The parsed value at a field path, or None where the path leads nowhere."""
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"?' if close else ""


def _translate(source: _SourceFile, root: type[BaseModel], error: Any) -> None:
    loc: tuple[str | int, ...] = tuple(error["loc"])
    path = _strip_tags(loc)
    kind: str = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    name = str(path[-1]) if path and isinstance(path[-1], str) else ""

    if kind == "missing":
        hint = _MISSING_HINTS.get(name, "")
        if name == "feedback" and "responses" in path:
            hint = "every response needs feedback that says why it helps or hinders"
        source.report(path, f'required field "{name}" is missing', hint)
    elif kind == "extra_forbidden":
        model = _model_at(root, loc[:-1])
        allowed = sorted(model.model_fields) if model else []
        hint = _did_you_mean(name, allowed) or (
            "allowed here: " + ", ".join(allowed) if allowed else ""
        )
        if len(path) >= 3 and isinstance(path[1], int) and name in root.model_fields:
            # `requires = […]` written below a [[sources]] table belongs to that table.
            whole = "module" if root is Module else "course"
            hint = (f'"{name}" is a field of the {whole}, but written after a [[{path[0]}]] '
                    f"table it belongs to that table: move it above the first [[{path[0]}]]")
        source.report(path, f'unknown field "{name}"', hint)
    elif kind == "union_tag_invalid":
        shown = str(ctx.get("tag", value))
        hint = _did_you_mean(shown, STEP_KINDS) or "kinds: " + ", ".join(STEP_KINDS)
        source.report((*path, "kind"), f'unknown step kind "{shown}"', hint)
    elif kind == "union_tag_not_found":
        step = _data_at(source.data, path)
        known = {name for model in _STEP_MODELS.values() for name in model.model_fields}
        misspelt = [key for key in (step if isinstance(step, dict) else {})
                    if key not in known and _did_you_mean(key, ["kind"])]
        if misspelt:
            source.report((*path, misspelt[0]), f'unknown field "{misspelt[0]}"',
                          'did you mean "kind"? Every step needs kind = "reading", "quiz", …')
        else:
            source.report(path, 'this step has no "kind"', "kinds: " + ", ".join(STEP_KINDS))
    elif kind == "string_pattern_mismatch" and name in ("id", "modules", "requires") or (
        kind == "string_pattern_mismatch" and path and isinstance(path[-1], int)
    ):
        source.report(
            path,
            f'"{value}" is not a valid id',
            'use lowercase letters a-z, digits and single hyphens, e.g. "aktiv-lytning"',
        )
    elif kind == "string_pattern_mismatch" and name == "version":
        source.report(path, f'"{value}" is not a version', 'write it like "1.0" or "1.2.0"')
    elif kind == "string_pattern_mismatch" and name == "language":
        source.report(path, f'"{value}" is not a language tag', 'write "da" or "en"')
    elif kind in _EXPECTED:
        hint = ""
        if kind == "string_type" and isinstance(value, (int, float)) and not isinstance(
            value, bool
        ):
            written = source.value_text(path) or str(value)
            hint = f'write it in quotes: {name or "value"} = "{written}"'
        source.report(path, f"expected {_EXPECTED[kind]}, found {_describe(value)}", hint)
    elif kind == "too_short" and name == "required_steps":
        source.report(path, "an empty list would count the module complete before anything "
                      "is done", "list the steps that must be done, or leave required_steps "
                      "out to require every step")
    elif kind == "too_short" and isinstance(value, list):
        least = ctx.get("min_length", 1)
        items = "item" if least == 1 else "items"
        source.report(path, f"needs at least {least} {items}, found {len(value)}")
    elif kind == "string_too_short":
        source.report(path, "must not be empty")
    elif kind in ("greater_than_equal", "less_than_equal"):
        bound = ctx.get("ge", ctx.get("le"))
        word = "at least" if kind == "greater_than_equal" else "at most"
        source.report(path, f"must be {word} {bound}, found {value}")
    elif kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        choices = re.findall(r"'([^']*)'", expected)
        hint = _did_you_mean(str(value), choices) if isinstance(value, str) else ""
        source.report(path, f"must be one of {expected}, found {value!r}", hint)
    else:
        source.report(path, str(error.get("msg", "invalid value")))


def _validate(source: _SourceFile, model: type[BaseModel]) -> Any:
    try:
        return model.model_validate(source.data)
    except ValidationError as error:
        errors = error.errors(include_url=False)
    # A misspelt required key shows up twice, as missing and as unknown; the
    # "did you mean" on the unknown one says it all, so drop the missing one.
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    explained: set[tuple[Any, ...]] = set()
    for e in errors:
        if e["type"] == "extra_forbidden":
            loc = tuple(e["loc"])
            siblings = [str(m[-1]) for m in missing if m[:-1] == loc[:-1]]
            close = difflib.get_close_matches(str(loc[-1]), siblings, n=1, cutoff=0.6)
            if close:
                explained.add((*loc[:-1], close[0]))
    for item in errors:
        if not (item["type"] == "missing" and tuple(item["loc"]) in explained):
            _translate(source, model, item)
    return None


# --- Checks across fields and files ----------------------------------------------------


def _list_of_dicts(value: object) -> list[tuple[int, dict[str, Any]]]:
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _check_control_characters(source: _SourceFile) -> None:
    """Report the control characters the walk after parsing found (see :func:`_walk`)."""
    for path, message, hint in source.control_characters:
        source.report(path, message, hint)


def _check_module_content(source: _SourceFile) -> None:
    """Checks pydantic cannot express; they run on the raw data, so they
    report even when other parts of the file have problems."""
    data = source.data
    seen_steps: dict[str, int] = {}
    for index, step in _list_of_dicts(data.get("steps")):
        step_id = step.get("id")
        if isinstance(step_id, str):
            if step_id in seen_steps:
                first_line, _ = source.at(("steps", seen_steps[step_id], "id"))
                source.report(
                    ("steps", index, "id"),
                    f'step id "{step_id}" is used twice in this module '
                    f"(first on line {first_line})",
                    "every step in a module needs its own id",
                )
            else:
                seen_steps[step_id] = index
        kind = step.get("kind")
        if kind == "quiz":
            _check_quiz(source, index, step)
        elif kind == "scenario":
            _check_scenario(source, index, step)
        elif kind == "practice":
            _check_log_fields(source, index, step)

    _check_formerly(
        source, [(("steps", index), step) for index, step in _list_of_dicts(data.get("steps"))],
        "step", set(seen_steps),
    )

    completion = data.get("completion")
    if isinstance(completion, dict) and isinstance(completion.get("required_steps"), list):
        for index, wanted in enumerate(completion["required_steps"]):
            if isinstance(wanted, str) and wanted not in seen_steps:
                source.report(
                    ("completion", "required_steps", index),
                    f'no step in this module has id "{wanted}"',
                    _did_you_mean(wanted, seen_steps) or "list ids of this module's steps",
                )


def _check_formerly(
    source: _SourceFile,
    owners: list[tuple[tuple[str | int, ...], dict[str, Any]]],
    what: str,
    current: set[str],
    listed: dict[str, str] | None = None,
) -> None:
    """A former id (``formerly``) must not be a current id, nor be listed twice: progress
    recorded under it would belong to two steps (or modules).

    Args:
        owners: where each module or step is in the file, and its data.
        what: "step" or "module", for the messages.
        current: the current ids of the steps of this module (or of every module).
        listed: former ids seen so far → where ("for step "x" on line 4"), to check
            across files.
    """
    seen = {} if listed is None else listed
    for at, owner in owners:
        formerly = owner.get("formerly")
        owner_id = owner.get("id")
        for index, old in enumerate(formerly if isinstance(formerly, list) else []):
            if not isinstance(old, str):
                continue
            path = (*at, "formerly", index)
            if old == owner_id or old in current:
                whose = ("its own current id" if old == owner_id
                         else f"the current id of another {what}")
                source.report(
                    path, f'former id "{old}" is {whose}',
                    f"progress is kept under current ids: list only ids this {what} had "
                    "before it was renamed",
                )
            elif old in seen:
                source.report(
                    path,
                    f'former id "{old}" is listed twice (first {seen[old]})',
                    f"progress recorded under it can count for one {what} only: "
                    "remove it from one of them",
                )
            else:
                where = f"line {source.at(path)[0]}"
                if listed is not None:
                    where = f"{source.path.name}, {where}"
                seen[old] = f'for {what} "{owner_id}", {where}'



def _check_quiz(source: _SourceFile, step_index: int, step: dict[str, Any]) -> None:
    for q_index, question in _list_of_dicts(step.get("questions")):
        options = _list_of_dicts(question.get("options"))
        correct = [o for _, o in options if o.get("correct") is True]
        path = ("steps", step_index, "questions", q_index)
        if options and not correct:
            source.report(
                (*path, "options"),
                "no option is marked correct",
                "add correct = true to the right option",
            )
        elif len(correct) > 1 and question.get("multiple") is not True:
            source.report(
                (*path, "options"),
                f"{len(correct)} options are marked correct in a single-choice question",
                "set multiple = true on the question, or mark only one option correct",
            )


def _check_scenario(source: _SourceFile, step_index: int, step: dict[str, Any]) -> None:
    turns_raw = step.get("turns")
    turns = _list_of_dicts(turns_raw)
    for t_index, turn in turns:
        responses = _list_of_dicts(turn.get("responses"))
        if responses and not any(r.get("quality") == "best" for _, r in responses):
            source.report(
                ("steps", step_index, "turns", t_index, "responses"),
                'no response has quality = "best"',
                "mark the response that best keeps the principle being taught",
            )
    if not isinstance(turns_raw, list) or len(turns) != len(turns_raw):
        return  # the turns are not all tables; the model check says so
    _check_scenario_paths(source, step_index, [turn for _, turn in turns])


def _check_scenario_paths(
    source: _SourceFile, step_index: int, turns: list[dict[str, Any]]
) -> None:
    """Turn ids unique, every ``next`` naming a turn, every turn reached, every path able
    to end: by the rule the app follows (:mod:`peerskole.course.branching`)."""
    at = ("steps", step_index, "turns")
    ids: dict[str, int] = {}
    for t_index, turn in enumerate(turns):
        turn_id = turn.get("id")
        if not isinstance(turn_id, str):
            continue
        if turn_id == END:
            source.report((*at, t_index, "id"), f'a turn cannot have the id "{END}"',
                          f'next = "{END}" ends the scenario; give the turn another id')
        elif turn_id in ids:
            first_line, _ = source.at((*at, ids[turn_id], "id"))
            source.report(
                (*at, t_index, "id"),
                f'turn id "{turn_id}" is used twice in this scenario (first on line {first_line})',
                "every turn in a scenario needs its own id",
            )
        else:
            ids[turn_id] = t_index
    steps: list[list[int | None]] = []
    for t_index, turn in enumerate(turns):
        leads: list[int | None] = []
        for r_index, response in _list_of_dicts(turn.get("responses")):
            target = response.get("next")
            if not isinstance(target, str):
                target = None
            elif target != END and target not in ids:
                source.report(
                    (*at, t_index, "responses", r_index, "next"),
                    f'no turn in this scenario has id "{target}"',
                    _did_you_mean(target, [*ids, END]) or (
                        f'give the turn it should lead to id = "{target}", or write '
                        f'next = "{END}" to end the scenario'),
                )
                target = END  # reported: checked further as if it ended
            leads.append(following(t_index, len(turns), target, ids))
        steps.append(leads)
    found = path_problems(steps)

    def name(t_index: int) -> str:
        turn_id = turns[t_index].get("id")
        return f'turn {t_index + 1} ("{turn_id}")' if isinstance(turn_id, str) else (
            f"turn {t_index + 1}")

    for t_index in found.unreachable:
        turn_id = turns[t_index].get("id")
        source.report(
            (*at, t_index),
            f"{name(t_index)} is never reached: no path from the first turn leads to it",
            (f'set next = "{turn_id}" on a response that should lead to it'
             if isinstance(turn_id, str) else
             'give it an id and set next = "<its id>" on a response that should lead to it')
            + ", or remove the turn",
        )
    for cycle in found.trapped:
        names = " → ".join(name(t) for t in (*cycle, cycle[0]))
        source.report(
            (*at, cycle[0]),
            f"these turns loop with no way out, so the scenario never ends: {names}",
            f'let a response in the loop lead out of it, to a later turn or next = "{END}"',
        )


def _check_log_fields(source: _SourceFile, step_index: int, step: dict[str, Any]) -> None:
    seen: set[str] = set()
    for f_index, log_field in _list_of_dicts(step.get("log_fields")):
        field_id = log_field.get("id")
        if isinstance(field_id, str):
            if field_id in seen:
                source.report(
                    ("steps", step_index, "log_fields", f_index, "id"),
                    f'log field id "{field_id}" is used twice in this step',
                )
            seen.add(field_id)
            if "label" not in log_field and field_id not in BUILT_IN_LOG_FIELDS:
                source.report(
                    ("steps", step_index, "log_fields", f_index),
                    f'log field "{field_id}" has no label',
                    "give it a label, or use a built-in id the app labels itself: "
                    + ", ".join(BUILT_IN_LOG_FIELDS),
                )


_ID_LINE: Final = re.compile(r'^[ \t]*id[ \t]*=[ \t]*"([^"\n]*)"', re.MULTILINE)


def _guess_module_id(path: Path, folder: CourseFolder) -> str | None:
    """The id a module file that cannot be parsed seems to hold: its first ``id = "…"``."""
    try:
        text = folder.read(path).decode("utf-8", errors="replace")
    except UnreadableCourseFile:
        return None
    found = _ID_LINE.search(text)
    return found.group(1) if found else None


def _check_course(
    manifest: _SourceFile, modules: list[_SourceFile], unreadable: list[str | None]
) -> None:
    """Checks between the manifest and the module files.

    Args:
        unreadable: for each module file that could not be parsed, the id it seems
            to hold (None when not even that can be read). Such a file may hold a
            listed id: that id is not also reported as having no file.
    """
    seemingly_held = {module_id for module_id in unreadable if module_id is not None}
    # When some unreadable file shows no id at all, any listed id might be in it.
    all_known = None not in unreadable
    listed_raw = manifest.data.get("modules")
    listed: list[str] = (
        [m for m in listed_raw if isinstance(m, str)] if isinstance(listed_raw, list) else []
    )
    first_listed: dict[str, int] = {}
    for index, module_id in enumerate(listed_raw if isinstance(listed_raw, list) else []):
        if not isinstance(module_id, str):
            continue
        if module_id in first_listed:
            manifest.report(("modules", index), f'module "{module_id}" is listed twice')
        else:
            first_listed[module_id] = index

    by_id: dict[str, _SourceFile] = {}
    for source in modules:
        module_id = source.data.get("id")
        if not isinstance(module_id, str):
            continue
        if module_id in by_id:
            other = by_id[module_id]
            other_line, _ = other.at(("id",))
            source.report(
                ("id",),
                f'module id "{module_id}" is also used by {other.path.name} (line {other_line})',
                "each module file needs its own id",
            )
            line, _ = source.at(("id",))
            other.report(
                ("id",),
                f'module id "{module_id}" is also used by {source.path.name} (line {line})',
                "each module file needs its own id",
            )
            continue
        by_id[module_id] = source
        if module_id not in first_listed:
            source.report(
                ("id",),
                f'module "{module_id}" is not listed in course.toml "modules"',
                "add its id to the list where it belongs in the order",
            )

    former: dict[str, str] = {}
    for source in modules:
        _check_formerly(source, [((), source.data)], "module", {*by_id, *first_listed}, former)

    for module_id, index in first_listed.items():
        if module_id not in by_id and module_id not in seemingly_held and all_known:
            hint = _did_you_mean(module_id, by_id) or (
                f'create it with: peerskole new module {manifest.path.parent} {module_id}'
            )
            manifest.report(
                ("modules", index),
                f'no file in {MODULES_DIR}/ has id = "{module_id}"',
                hint,
            )

    graph: dict[str, list[str]] = {}
    for module_id, source in by_id.items():
        requires = source.data.get("requires")
        graph[module_id] = []
        for index, wanted in enumerate(requires if isinstance(requires, list) else []):
            if not isinstance(wanted, str):
                continue
            if wanted == module_id:
                source.report(("requires", index), "a module cannot require itself")
            elif wanted not in by_id and wanted not in seemingly_held and (
                all_known or wanted not in first_listed
            ):
                source.report(
                    ("requires", index),
                    f'requires unknown module "{wanted}"',
                    _did_you_mean(wanted, by_id) or "known modules: " + ", ".join(listed),
                )
            elif wanted in by_id:
                graph[module_id].append(wanted)
    for cycle in _cycles(graph):
        source = by_id[cycle[0]]
        requires = source.data["requires"]
        source.report(
            ("requires", requires.index(cycle[1])),
            "circular prerequisites: " + " → ".join((*cycle, cycle[0])),
            "remove one of these requirements so the modules can be opened in order",
        )


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each elementary cycle found by depth-first search, once."""
    found: list[list[str]] = []
    seen_sets: set[frozenset[str]] = set()
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt) :]
                if frozenset(cycle) not in seen_sets:
                    seen_sets.add(frozenset(cycle))
                    found.append(cycle)
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [])
    return found


# --- Entry points -------------------------------------------------------------------------


def check_course(folder: Path | str) -> tuple[Course | None, list[Problem]]:
    """Load a course folder and collect every problem.

    Returns:
        The course (None when there were problems) and the problems found.
    """
    folder = Path(folder)
    problems: list[Problem] = []
    manifest_path = folder / MANIFEST_NAME
    if not folder.is_dir() or not (manifest_path.exists() or manifest_path.is_symlink()):
        if folder.is_dir():
            what = f"has no {MANIFEST_NAME}"
        elif folder.exists():
            what = "is a file, not a folder"
        else:
            what = "does not exist"
        problems.append(
            Problem(
                manifest_path if folder.is_dir() else folder,
                1,
                1,
                f"this course folder {what}",
                hint=f"a course is a folder with {MANIFEST_NAME}; create one with "
                "`peerskole new course DIR`",
            )
        )
        return None, problems

    reader = CourseFolder(folder)
    manifest_source = _read_toml(manifest_path, reader, problems)
    if manifest_source is not None:
        declared = manifest_source.data.get("format_version")
        if isinstance(declared, int) and declared > FORMAT_VERSION:
            manifest_source.report(
                ("format_version",),
                f"this course is written for course format {declared}, but this peerskole "
                f"reads format {FORMAT_VERSION} at most",
                "upgrade peerskole to open it: pip install --upgrade peerskole",
            )
            return None, problems + manifest_source.problems

    module_paths = sorted((folder / MODULES_DIR).glob("*.toml"))
    sources: list[_SourceFile] = []
    unreadable: list[str | None] = []  # the id each unreadable module file seems to hold
    for module_path in module_paths:
        source = _read_toml(module_path, reader, problems)
        if source is None:
            unreadable.append(_guess_module_id(module_path, reader))
        else:
            sources.append(source)

    manifest: CourseManifest | None = None
    if manifest_source is not None:
        manifest = _validate(manifest_source, CourseManifest)
        _check_control_characters(manifest_source)
    modules: dict[str, Module] = {}
    for source in sources:
        module = _validate(source, Module)
        _check_module_content(source)
        _check_control_characters(source)
        if module is not None:
            modules[module.id] = module
    if manifest_source is not None:
        _check_course(manifest_source, sources, unreadable)

    for checked in [manifest_source, *sources]:
        if checked is not None:
            problems.extend(checked.problems)
    if problems or manifest is None:
        return None, sorted(problems, key=lambda p: (str(p.file), p.line, p.column))
    ordered = tuple(modules[module_id] for module_id in manifest.modules)
    return Course(manifest=manifest, modules=ordered, folder=str(folder)), []


def load_course(folder: Path | str) -> Course:
    """Load and check a course folder.

    Raises:
        CourseError: with every problem found, when there is any.
    """
    course, problems = check_course(folder)
    if course is None:
        raise CourseError(problems)
    return course
