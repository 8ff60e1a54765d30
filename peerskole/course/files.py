"""Read a course file as untrusted input: only a regular file inside the course folder,
never more than :data:`MAX_FILE_BYTES`, never waiting.

A course may come from another organisation. A link ``modules/zero.toml → /dev/zero``
would otherwise be read until memory runs out, a FIFO would make the loader wait for
ever, and a link to a file elsewhere on the machine would be read and shown (under
``serve``, to people at other computers).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Final

MAX_FILE_BYTES: Final = 1_000_000
"""Largest course file peerskole reads (1 MB): many times the largest module written so far."""
MAX_FILE_SIZE_SHOWN: Final = "1 MB"
""":data:`MAX_FILE_BYTES` as a message names it."""


class UnreadableCourseFile(Exception):
    """A course file that is not read; the message says why, as a sentence part."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_course_file(path: Path, folder: Path) -> bytes:
    """The bytes of one course file, read only if it is safe to (see :class:`CourseFolder`)."""
    return CourseFolder(folder).read(path)


class CourseFolder:
    """Reads the files of one course folder, each only if it is safe to.

    Args:
        folder: the course folder; nothing outside it is read.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._real_dirs: dict[Path, Path] = {}

    def _real_dir(self, directory: Path) -> Path:
        # Resolved once a folder: resolving costs a system call a path component.
        real = self._real_dirs.get(directory)
        if real is None:
            real = self._real_dirs[directory] = directory.resolve(strict=True)
        return real

    def read(self, path: Path) -> bytes:
        """The bytes of one course file.

        Args:
            path: the file, inside the folder (it may be a link to a file inside it).

        Raises:
            UnreadableCourseFile: when the file is outside the folder, not a regular
                file, larger than :data:`MAX_FILE_BYTES` or cannot be read.
        """
        try:
            root = self._real_dir(self.folder)
            info = os.lstat(path)  # lstat never waits, not even on a FIFO
            if stat.S_ISLNK(info.st_mode):
                target = path.resolve(strict=True)
                info = os.stat(target)
            else:
                target = self._real_dir(path.parent) / path.name
        except (OSError, RuntimeError) as error:  # RuntimeError: a loop of links
            reason = getattr(error, "strerror", None) or "it is a link that leads nowhere"
            raise UnreadableCourseFile(f"cannot read the file: {reason}") from None
        if not target.is_relative_to(root):
            raise UnreadableCourseFile(
                "the file is a link to a file outside the course folder, which peerskole "
                "does not read; copy the file into the course folder instead"
            )
        return _read_regular(target, info)


def _read_regular(target: Path, info: os.stat_result) -> bytes:
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableCourseFile(
            f"the file is {_kind(info.st_mode)}, not a text file; peerskole reads only "
            "regular files in a course folder"
        )
    if info.st_size > MAX_FILE_BYTES:
        raise UnreadableCourseFile(_too_large())
    # O_NONBLOCK: should the file have been swapped for a FIFO since the stat, the
    # open still returns at once, and the fstat below refuses it; O_NOFOLLOW: nor is
    # a link put in its place followed.
    flags = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
             | getattr(os, "O_BINARY", 0))
    try:
        descriptor = os.open(target, flags)
    except OSError as error:
        raise UnreadableCourseFile(f"cannot read the file: {error.strerror}") from None
    try:
        opened = os.fstat(descriptor)
        if not stat.S_ISREG(opened.st_mode):
            raise UnreadableCourseFile(
                f"the file is {_kind(opened.st_mode)}, not a text file; peerskole reads "
                "only regular files in a course folder"
            )
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(descriptor, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise UnreadableCourseFile(f"cannot read the file: {error.strerror}") from None
    finally:
        os.close(descriptor)
    if size > MAX_FILE_BYTES:
        raise UnreadableCourseFile(_too_large())
    return b"".join(chunks)


def _too_large() -> str:
    return (
        f"the file is larger than {MAX_FILE_SIZE_SHOWN}, the most peerskole reads from one "
        "course file; split the module into smaller modules"
    )
