"""Which courses peerskole knows: the bundled ones and those under PEERSKOLE_COURSES."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from peerskole.errors import UserError
from peerskole.safe_text import visible

if TYPE_CHECKING:
    from peerskole.course.model import Course


def load_courses(course_id: str | None = None) -> list[Course]:
    """The known courses (``peerskole.locations.known_course_dirs``), or the one asked for.

    Args:
        course_id: only the course with this id; None for every known course.

    Raises:
        CourseError: when a course that is needed fails to load.
        UserError: when no known course has ``course_id``.
    """
    from peerskole.course.loader import load_course
    from peerskole.locations import known_course_dirs

    courses: list[Course] = []
    for folder in known_course_dirs():
        if course_id is not None:
            manifest_id = _manifest_id(folder)
            wanted = manifest_id == course_id or (manifest_id is None and folder.name == course_id)
            if not wanted:
                continue  # not the one asked for: don't pay for loading it, nor fail on it
        course = load_course(folder)
        # The same id twice (a copy under PEERSKOLE_COURSES): the first root wins, as in
        # the app, so records are never counted twice.
        if all(known.id != course.id for known in courses):
            courses.append(course)
    if course_id is not None and not courses:
        known = ", ".join(sorted(visible(_manifest_id(f) or f.name) for f in known_course_dirs()))
        raise UserError(
            f'There is no course with id "{visible(course_id)}". Known courses: {known or "none"}. '
            "Add a folder of courses with PEERSKOLE_COURSES."
        )
    return courses


def _manifest_id(folder: Path) -> str | None:
    """The ``id`` in a course folder's manifest, read cheaply; None when unreadable."""
    import tomllib

    from peerskole.course.files import UnreadableCourseFile, read_course_file

    try:
        raw = read_course_file(folder / "course.toml", folder)
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnreadableCourseFile, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return None
    value = data.get("id")
    return value if isinstance(value, str) else None
