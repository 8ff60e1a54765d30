"""Where peerskole keeps and finds things.

Every path comes from here, built on platformdirs with an environment override.
Nothing is created at import time; callers create what they write to.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

APP_NAME: Final = "peerskole"
"""Name of the application's folders in the platform's data and config places."""
DATA_DIR_ENV: Final = "PEERSKOLE_DATA_DIR"
"""Environment variable that overrides where progress is stored."""
COURSES_ENV: Final = "PEERSKOLE_COURSES"
"""Environment variable naming extra folders of courses, separated like PATH."""


def data_dir() -> Path:
    """The folder that holds the learner database (not created here)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def bundled_courses_dir() -> Path:
    """The courses shipped with peerskole.

    In an installed wheel they sit inside the package; in a source checkout
    (editable install, tests) they are the repository's ``courses/`` folder.
    """
    package = Path(__file__).resolve().parent
    installed = package / "_courses"
    if installed.is_dir():
        return installed
    return package.parent / "courses"


def course_roots() -> list[Path]:
    """Folders that hold course folders: the bundled ones, then any from the environment."""
    roots = [bundled_courses_dir()]
    extra = os.environ.get(COURSES_ENV, "")
    roots.extend(Path(p).expanduser() for p in extra.split(os.pathsep) if p)
    return roots


def course_dirs_in(root: Path) -> list[Path]:
    """The course folders (each holding ``course.toml``) a course root names: itself, or
    those in it."""
    if (root / "course.toml").is_file():
        return [root]
    if root.is_dir():
        return sorted(p.parent for p in root.glob("*/course.toml"))
    return []


def known_course_dirs() -> list[Path]:
    """Every course folder under the course roots (which of two with one id is used:
    :func:`peerskole.course.library.known_courses`)."""
    found: list[Path] = []
    for root in course_roots():
        found.extend(course_dirs_in(root))
    return found
