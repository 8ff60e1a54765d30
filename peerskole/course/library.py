"""Which courses peerskole knows, and which one is used when two share an id.

One lookup for the app, the exports, certificates, reports and preview: a course
installed in the store (``peerskole course install``) takes the place of a folder
under PEERSKOLE_COURSES, which takes the place of a bundled course with the same id.

The store is handed in as a :class:`CourseShelf` (the store layer sits beside this
one, not below it). An installed course is read from the store into a cache folder
under the data folder, named by the hash of its files, and loaded from there by the
same loader, with the same rules for untrusted files (regular files only, each under
the size limit). Course files are not sensitive; a learner's text never goes there.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal, Protocol

from peerskole.errors import UserError
from peerskole.safe_text import visible

if TYPE_CHECKING:
    from peerskole.course.model import Course

CourseSource = Literal["installed", "folder", "bundled"]
"""Where a known course comes from: the store, a PEERSKOLE_COURSES folder, or peerskole."""

CACHE_DIR: Final = "course-cache"
"""Folder under the data folder that installed courses are loaded from."""

_HASH: Final = re.compile(r"^[0-9a-f]{64}$")
_FILE_PATH: Final = re.compile(r"^(course\.toml|modules/[^/\\\x00]+\.toml)$")


class InstalledVersion(Protocol):
    """What this module reads of an installed version (a store's ``InstalledCourse``)."""

    @property
    def course_id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def content_hash(self) -> str: ...


class CourseShelf(Protocol):
    """The part of the store that holds installed courses."""

    def installed_courses(self, course_id: str | None = None) -> Sequence[InstalledVersion]: ...
    def course_files(self, course_id: str, version: str) -> Mapping[str, str]: ...


@dataclass(frozen=True)
class KnownCourse:
    """A course peerskole can open, and where it comes from."""

    id: str
    folder: Path
    """The folder it loads from (for an installed course, its cache folder)."""
    source: CourseSource
    version: str = ""
    """For an installed course, the version used (the latest installed)."""
    versions: tuple[str, ...] = ()
    """For an installed course, every version installed, oldest first."""
    replaces: tuple[tuple[CourseSource, Path], ...] = field(default=())
    """What it takes the place of: others with the same id, and where they are."""

    @property
    def where(self) -> str:
        """Where it comes from, for a person: "installed 1.2", "folder …", "bundled"."""
        if self.source == "installed":
            return f"installed {self.version}"
        return f"{self.source} {self.folder}"


def course_files_of(folder: Path) -> dict[str, str]:
    """The files of a course folder that make the course (path in it → text).

    The manifest and every module file, read by the loader's rules; call it on a
    folder that validates.
    """
    from peerskole.course.files import CourseFolder
    from peerskole.course.loader import MANIFEST_NAME, MODULES_DIR

    reader = CourseFolder(folder)
    paths = [folder / MANIFEST_NAME, *sorted((folder / MODULES_DIR).glob("*.toml"))]
    return {
        path.relative_to(folder).as_posix(): reader.read(path).decode("utf-8") for path in paths
    }


def content_hash(files: Mapping[str, str]) -> str:
    """SHA-256 over the paths and texts of a course's files, in path order."""
    digest = hashlib.sha256()
    for path in sorted(files):
        for part in (path, files[path]):
            data = part.encode("utf-8")
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
    return digest.hexdigest()


def _folder_courses() -> list[KnownCourse]:
    """The courses in folders: PEERSKOLE_COURSES first, then bundled; the first id wins."""
    from peerskole.locations import bundled_courses_dir, course_dirs_in, course_roots

    bundled = bundled_courses_dir()
    roots = [root for root in course_roots() if root != bundled] + [bundled]
    found: list[KnownCourse] = []
    by_id: dict[str, int] = {}
    for root in roots:
        source: CourseSource = "bundled" if root == bundled else "folder"
        for folder in course_dirs_in(root):
            course_id = _manifest_id(folder) or folder.name
            if course_id in by_id:
                index = by_id[course_id]
                winner = found[index]
                found[index] = KnownCourse(winner.id, winner.folder, winner.source,
                                           replaces=(*winner.replaces, (source, folder)))
                continue
            by_id[course_id] = len(found)
            found.append(KnownCourse(course_id, folder, source))
    return found


def known_courses(store: CourseShelf | None = None) -> list[KnownCourse]:
    """Every course peerskole can open, one per id: installed > folder > bundled.

    Args:
        store: where installed courses are; None: folders and bundled courses only.
    """
    folders = _folder_courses()
    if store is None:
        return folders
    versions: dict[str, list[InstalledVersion]] = {}
    for installed in store.installed_courses():
        versions.setdefault(installed.course_id, []).append(installed)
    courses: list[KnownCourse] = []
    for course_id, each in versions.items():
        latest = each[-1]
        replaced = tuple(
            (other.source, other.folder) for known in folders if known.id == course_id
            for other in (known, *[KnownCourse(known.id, p, s) for s, p in known.replaces])
        )
        courses.append(KnownCourse(
            course_id, installed_folder(store, latest), "installed", latest.version,
            tuple(v.version for v in each), replaced,
        ))
    courses.extend(known for known in folders if known.id not in versions)
    return sorted(courses, key=lambda c: c.id)


def installed_folder(store: CourseShelf, installed: InstalledVersion) -> Path:
    """The cache folder an installed version loads from, written from the store if needed.

    Raises:
        UserError: when the store holds something that is not a course's files.
    """
    from peerskole.locations import data_dir

    if not _HASH.match(installed.content_hash):
        raise UserError(f'The installed course "{visible(installed.course_id)}" has a '
                        "damaged record in the store; install it again.")
    cache = data_dir() / CACHE_DIR
    folder = cache / installed.content_hash
    if (folder / ".complete").is_file():
        return folder
    files = store.course_files(installed.course_id, installed.version)
    for path in files:
        if not _FILE_PATH.match(path) or ".." in path:
            raise UserError(f'The installed course "{visible(installed.course_id)}" '
                            f'holds a file "{visible(path)}" that is not a course file; '
                            "install it again.")
    if content_hash(files) != installed.content_hash:
        raise UserError(f'The installed course "{visible(installed.course_id)}" '
                        f"{visible(installed.version)} does not match its hash in the store; "
                        "install it again.")
    cache.mkdir(parents=True, exist_ok=True)
    # Written beside and renamed into place, so another process never loads a half.
    staging = Path(tempfile.mkdtemp(prefix=".install-", dir=cache))
    for path, text in files.items():
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
    (staging / ".complete").write_text(installed.version + "\n", encoding="utf-8")
    try:
        os.replace(staging, folder)
    except OSError:
        # Another process put the same files there first.
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
    return folder


def load_installed_version(
    store: CourseShelf, course_id: str, version: str
) -> Course | None:
    """One installed version of a course, loaded; None when that version is not installed."""
    from peerskole.course.loader import load_course

    for installed in store.installed_courses(course_id):
        if installed.version == version:
            return load_course(installed_folder(store, installed))
    return None


def load_courses(course_id: str | None = None, store: CourseShelf | None = None) -> list[Course]:
    """The known courses (see :func:`known_courses`), or the one asked for.

    Args:
        course_id: only the course with this id; None for every known course.
        store: where installed courses are; None: folders and bundled courses only.

    Raises:
        CourseError: when a course that is needed fails to load.
        UserError: when no known course has ``course_id``.
    """
    from peerskole.course.loader import load_course

    known = known_courses(store)
    wanted = [k for k in known if course_id is None or k.id == course_id]
    if course_id is not None and not wanted:
        ids = ", ".join(sorted(visible(k.id) for k in known))
        raise UserError(
            f'There is no course with id "{visible(course_id)}". Known courses: '
            f'{ids or "none"}. Install one with: peerskole course install DIR '
            "(or add a folder of courses with PEERSKOLE_COURSES)."
        )
    return [load_course(k.folder) for k in wanted]


def _manifest_id(folder: Path) -> str | None:
    """The ``id`` in a course folder's manifest, read cheaply; None when unreadable."""
    return _manifest_value(folder, "id")


def _manifest_value(folder: Path, key: str) -> str | None:
    """A text value in a course folder's manifest, read cheaply; None when unreadable."""
    import tomllib

    from peerskole.course.files import UnreadableCourseFile, read_course_file

    try:
        raw = read_course_file(folder / "course.toml", folder)
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnreadableCourseFile, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return None
    value = data.get(key)
    return value if isinstance(value, str) else None


def manifest_id(folder: Path) -> str | None:
    """The ``id`` in a course folder's manifest; None when it cannot be read."""
    return _manifest_value(folder, "id")


def manifest_title(folder: Path) -> str | None:
    """The ``title`` in a course folder's manifest, read cheaply; None when unreadable."""
    return _manifest_value(folder, "title")
