"""The organisation's own support contacts, shown first in every course's support dialog.

An organisation writes them once in a small TOML file and installs it with
``peerskole settings contacts FILE.toml``; they are kept in the store's settings (as
JSON under :data:`CONTACTS_SETTING`), so every machine on a shared database shows the
same. The emergency number (112) is always shown above them.

```toml
[[contacts]]
name = "Recovery-skolen Aarhus"
phone = "12 34 56 78"
hours = "Hverdage 9-15"
note = "Ring hvis noget i kurset har rørt ved noget svært."
```
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Final

from peerskole.course.model import SupportContact
from peerskole.course.problems import Problem
from peerskole.safe_text import forbidden_character

CONTACTS_SETTING: Final = "support_contacts"
"""The installation-wide setting holding the organisation's contacts, as JSON."""

CONTACT_FIELDS: Final = ("name", "phone", "hours", "note")
"""The fields a contact may have; name is required."""

EMERGENCY: Final = SupportContact(name="Alarmcentralen", phone="112", emergency=True)
"""The emergency number, shown first when a course names none of its own."""

MAX_CONTACTS: Final = 20
"""The most contacts a file may hold (a dialog, not a directory)."""

_HEADER: Final = re.compile(r"^[ \t]*\[\[[ \t]*contacts[ \t]*\]\]", re.MULTILINE)


def _line_of(text: str, index: int, key: str | None) -> int:
    """The line of the ``index``-th ``[[contacts]]`` table (or of ``key`` in it)."""
    headers = [m.start() for m in _HEADER.finditer(text)]
    if index >= len(headers):
        return 1
    start = headers[index]
    end = headers[index + 1] if index + 1 < len(headers) else len(text)
    line = text.count("\n", 0, start) + 1
    if key is not None:
        found = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*=", text[start:end], re.MULTILINE)
        if found:
            return line + text.count("\n", start, start + found.start())
    return line


def parse_contacts(text: str, path: Path) -> tuple[list[SupportContact], list[Problem]]:
    """The contacts in a contacts file's text, and every problem with them (file:line).

    Returns:
        The contacts (empty when there is any problem) and the problems found.
    """
    problems: list[Problem] = []
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+), column (\d+)", str(error))
        line, column = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
        message = str(error).split(" (at ")[0]
        return [], [Problem(path, line, column, f"this is not valid TOML: {message}")]
    except RecursionError:
        return [], [Problem(path, 1, 1, "the file is nested too deeply to read")]
    for key in data:
        if key != "contacts":
            problems.append(Problem(path, 1, 1, f'unknown key "{key}"',
                                    hint="write each contact as a [[contacts]] table"))
    raw = data.get("contacts")
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(path, 1, 1, "no contacts",
                                hint='write each as [[contacts]] with name = "…" and '
                                'phone, hours or note'))
        return [], problems
    if len(raw) > MAX_CONTACTS:
        problems.append(Problem(path, _line_of(text, MAX_CONTACTS, None), 1,
                                f"more than {MAX_CONTACTS} contacts",
                                hint="keep the few a trainee should call"))
    contacts: list[SupportContact] = []
    for index, entry in enumerate(raw):
        where = f"contacts[{index + 1}]"
        if not isinstance(entry, dict):
            problems.append(Problem(path, _line_of(text, index, None), 1,
                                    "a contact is a table of name, phone, hours and note",
                                    field=where))
            continue
        good = True
        for key, value in entry.items():
            line = _line_of(text, index, key)
            if key not in CONTACT_FIELDS:
                problems.append(Problem(path, line, 1, f'unknown field "{key}"', field=where,
                                        hint="a contact has " + ", ".join(CONTACT_FIELDS)))
                good = False
            elif not isinstance(value, str):
                problems.append(Problem(path, line, 1, f"{key} must be text in quotes",
                                        field=f"{where}.{key}"))
                good = False
            elif forbidden_character(value):
                problems.append(Problem(
                    path, line, 1,
                    f"{key} holds the character {forbidden_character(value)}, which "
                    "could disguise it or drive a terminal", field=f"{where}.{key}"))
                good = False
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem(path, _line_of(text, index, None), 1,
                                    "this contact has no name", field=where,
                                    hint='add name = "…"'))
            good = False
        if good:
            contacts.append(SupportContact(**{k: v.strip() for k, v in entry.items()}))
    problems.sort(key=lambda p: (p.line, p.column))
    return ([] if problems else contacts), problems


def contacts_json(contacts: list[SupportContact]) -> str:
    """Contacts as kept in the settings."""
    return json.dumps([c.model_dump(exclude_defaults=True) for c in contacts],
                      ensure_ascii=False)


def stored_contacts(value: str | None) -> list[SupportContact]:
    """The contacts a setting holds; none when it is unset or unreadable."""
    if not value:
        return []
    try:
        return [SupportContact(**entry) for entry in json.loads(value)]
    except (ValueError, TypeError):
        return []


def dialog_contacts(
    course_contacts: list[SupportContact], organisation: list[SupportContact]
) -> tuple[list[SupportContact], list[SupportContact]]:
    """What a support dialog shows: the emergency contacts, then the rest in order.

    The course's emergency contacts (112 when it names none), then the organisation's
    contacts, then the course's other contacts. Without contacts of the organisation,
    the course's own as it lists them.
    """
    emergency = [c for c in course_contacts if c.emergency]
    own = [c for c in course_contacts if not c.emergency]
    if not emergency and organisation:
        emergency = [EMERGENCY]
        # A course that lists 112 without marking it: shown once, at the top.
        own = [c for c in own if (c.phone or "").replace(" ", "") != EMERGENCY.phone]
    return emergency, list(organisation) + own
