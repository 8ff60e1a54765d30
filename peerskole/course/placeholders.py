"""Placeholder text a course still holds: the scaffold's "(skriv et læringsmål)" and the
"Udfyldes af uddannelsesstedet" an organisation is meant to replace.

Warnings, not problems: a course with them still validates and opens, but a trainee
would read "Udfyldes" where a phone number belongs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from peerskole.course.problems import Problem

PLACEHOLDER: Final = re.compile(
    r"\((?:skriv|write) (?:et|en|a|an)\b[^)]*\)"  # the scaffold's "(skriv et læringsmål)"
    r"|\"Udfyldes\b[^\"]*\""                      # a value that is only "Udfyldes …"
    r"|\((?:[^()\"]*\s)?udfyldes\b[^()\"]*\)",    # "(udfyldes)" in a name
    re.IGNORECASE,
)
"""Text the scaffold or the bundled course leaves for the organisation to fill in."""


def placeholder_warnings(folder: Path) -> list[Problem]:
    """Each placeholder left in a course folder's files, at its file:line.

    Call it on a folder that validates (its files have been read safely once).
    """
    from peerskole.course.files import CourseFolder, UnreadableCourseFile
    from peerskole.course.loader import MANIFEST_NAME, MODULES_DIR

    reader = CourseFolder(folder)
    warnings: list[Problem] = []
    for path in [folder / MANIFEST_NAME, *sorted((folder / MODULES_DIR).glob("*.toml"))]:
        try:
            text = reader.read(path).decode("utf-8", errors="replace")
        except UnreadableCourseFile:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            for found in PLACEHOLDER.finditer(line):
                warnings.append(Problem(
                    path, number, found.start() + 1,
                    f"placeholder text left: {found.group()}",
                    hint="replace it with the real text before trainees see it",
                ))
    return warnings
