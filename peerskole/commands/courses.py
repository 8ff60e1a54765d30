"""The course library's commands: ``peerskole course install|list|remove`` and the
organisation's support contacts (``peerskole settings contacts FILE.toml``).

A course installed in the store reaches every machine on the same database, every
``serve`` tab and every coordinator command; it takes the place of a folder or bundled
course with the same id (see :mod:`peerskole.course.library`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from peerskole.commands.coordinator import _now, _store, recorded_by, shown
from peerskole.errors import UserError

if TYPE_CHECKING:
    from peerskole.course.library import KnownCourse
    from peerskole.store.base import Store


def course_install(args: argparse.Namespace) -> int:
    """``peerskole course install DIR``: validate a course folder and keep it in the store."""
    from peerskole.course.files import UnreadableCourseFile
    from peerskole.course.library import content_hash, course_files_of, known_courses
    from peerskole.course.loader import check_course
    from peerskole.store.base import InstalledCourse

    folder: Path = args.folder
    course, problems = check_course(folder)
    if course is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"peerskole: {shown(str(folder))} was not installed: fix the {len(problems)} "
              "problem(s) above (check with peerskole validate) and install it again.",
              file=sys.stderr)
        return 1
    try:
        files = course_files_of(folder)
    except (UnreadableCourseFile, UnicodeDecodeError) as error:
        # Changed since it was checked a moment ago.
        raise UserError(f"{shown(str(folder))} changed while it was installed ({error}); "
                        "install it again.") from None
    digest = content_hash(files)
    with _store(args, create=True) as store:
        before = {k.id: k for k in known_courses(store)}
        for installed in store.installed_courses(course.id):
            if installed.version != course.version:
                continue
            if installed.content_hash == digest:
                print(f"{shown(course.id)} version {shown(course.version)} is installed "
                      f"already, with these same files (since {installed.installed_at[:10]}, "
                      f"by {shown(installed.installed_by)}); nothing changed.")
                return 0
            raise UserError(
                f"{shown(course.id)} version {shown(course.version)} is installed already, "
                f"with other files (since {installed.installed_at[:10]}). A version is "
                "installed once, so trainees' records keep meaning what they meant: raise "
                f'version in {shown(str(folder / "course.toml"))} (e.g. "'
                f'{_next_version(course.version)}") and install it again.'
            )
        stored, added = store.install_course(
            InstalledCourse(course.id, course.version, course.title, digest, _now(),
                            recorded_by()),
            files,
        )
        if not added and stored.content_hash != digest:
            raise UserError(f"{shown(course.id)} version {shown(course.version)} was just "
                            "installed with other files from elsewhere; raise its version "
                            "and install it again.")
        print(f"Installed {shown(course.id)} version {shown(course.version)} "
              f"({len(files)} files) in {store.where}.")
        earlier = before.get(course.id)
        if earlier is not None and earlier.source != "installed":
            print(f"It takes the place of the {earlier.source} course with the same id in "
                  f"{shown(str(earlier.folder))}.")
        elif earlier is not None:
            print(f"Learners who begin now get version {shown(course.version)}; records "
                  f"keep the version they were made on ({', '.join(earlier.versions)} "
                  "stay installed).")
    return 0


def _next_version(version: str) -> str:
    """The version after ``version`` with its last number raised: "1.0" → "1.1"."""
    parts = version.split(".")
    if parts and parts[-1].isdigit():
        parts[-1] = str(int(parts[-1]) + 1)
    return ".".join(parts)


def _open_if_there(args: argparse.Namespace) -> Store | None:
    """The store, or None when there is no database yet (nothing is installed)."""
    from peerskole.store.base import StoreError
    from peerskole.store.opening import open_store

    try:
        return open_store(getattr(args, "data_dir", None), must_exist=True)
    except StoreError as error:
        if error.problem == "not_found":
            return None
        raise


def _title(known: KnownCourse) -> str | None:
    """The course's title; None when the course has problems."""
    from peerskole.course.loader import check_course

    course, _ = check_course(known.folder)
    return course.title if course is not None else None


_NO_TITLE = "(has problems: see peerskole validate)"


def _course_list_json(rows: list[tuple[KnownCourse, str | None, int]]) -> None:
    """``course list --json``: one object per course, for tools."""
    import json

    print(json.dumps({"courses": [
        {
            "id": known.id,
            "title": title,
            "valid": title is not None,
            "versions": list(known.versions),
            "learners": learners,
            "source": known.source,
            "folder": None if known.source == "installed" else str(known.folder),
            "replaces": [{"source": source, "folder": str(folder)}
                         for source, folder in known.replaces],
        }
        for known, title, learners in rows
    ]}, ensure_ascii=False, indent=2))


def course_list(args: argparse.Namespace) -> int:
    """``peerskole course list``: id, title, versions, learners and where each comes from."""
    from peerskole.course.library import known_courses

    store = _open_if_there(args)
    try:
        found = [
            (known, _title(known),
             store.learners_with_records(known.id) if store is not None else 0)
            for known in known_courses(store)
        ]
    finally:
        if store is not None:
            store.close()
    if args.json:
        _course_list_json(found)
        return 0
    rows: list[tuple[list[str], KnownCourse]] = []
    for known, title, learners in found:
        versions = ", ".join(known.versions) if known.versions else "-"
        where = "installed" if known.source == "installed" else (
            f"{known.source} {known.folder}")
        rows.append(([known.id, title or _NO_TITLE, versions, str(learners), where], known))
    if not rows:
        print("No courses. Install one with: peerskole course install DIR")
        return 0
    header = ("ID", "TITLE", "VERSIONS", "LEARNERS")
    widths = [max(len(header[i]), *(len(shown(r[i])) for r, _ in rows)) for i in range(4)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + "  FROM")
    for cells, known in rows:
        print("  ".join(shown(cells[i]).ljust(widths[i]) for i in range(4)) + "  "
              + shown(cells[4]))
        for source, folder in known.replaces:
            print(f"    takes the place of the {source} course in {shown(str(folder))}")
    return 0


def course_remove(args: argparse.Namespace) -> int:
    """``peerskole course remove ID``: remove every installed version of a course."""
    from peerskole.course.library import known_courses

    course_id: str = args.course_id
    with _store(args) as store:
        installed = store.installed_courses(course_id)
        if not installed:
            ids = ", ".join(sorted({i.course_id for i in store.installed_courses()}))
            raise UserError(f'No course "{shown(course_id)}" is installed in {store.where} '
                            f"(installed: {ids or 'none'}). See them with: peerskole course "
                            "list")
        holders = store.learners_with_records(course_id)
        if holders and not args.even_with_records:
            raise UserError(
                f"{holders} learner(s) have records in {shown(course_id)}; removing it "
                "leaves their records without the course they were made on. Export them "
                "first (peerskole export --course ID), then remove it with "
                "--even-with-records if you mean to."
            )
        count = store.remove_course(course_id)
        now_used = next((k for k in known_courses(store) if k.id == course_id), None)
    versions = ", ".join(i.version for i in installed)
    print(f"Removed {shown(course_id)} ({count} version(s): {versions}).")
    if now_used is not None:
        print(f"The {now_used.source} course in {shown(str(now_used.folder))} is used again "
              "in its place.")
    return 0


def settings_contacts(args: argparse.Namespace) -> int:
    """``peerskole settings contacts FILE.toml``: the organisation's support contacts."""
    from peerskole.course.contacts import CONTACTS_SETTING, contacts_json, parse_contacts

    path: Path = args.file
    if args.clear:
        with _store(args, create=True) as store:
            store.set_setting("", CONTACTS_SETTING, "")
        print("The organisation's support contacts are cleared; each course shows its own.")
        return 0
    if path is None:
        raise UserError("Name the contacts file: peerskole settings contacts kontakter.toml "
                        "(or --clear).")
    from peerskole.course.files import UnreadableCourseFile, read_course_file

    try:
        # By the rules for course files: a regular file only, never a device or a FIFO,
        # and never more than the size limit.
        text = read_course_file(path, path.parent).decode("utf-8")
    except UnreadableCourseFile as error:
        raise UserError(f"{shown(str(path))}: {error}") from None
    except UnicodeDecodeError:
        raise UserError(f"{shown(str(path))} is not UTF-8 text.") from None
    contacts, problems = parse_contacts(text, path)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print("peerskole: the contacts were not changed; fix the problem(s) above.",
              file=sys.stderr)
        return 1
    with _store(args, create=True) as store:
        store.set_setting("", CONTACTS_SETTING, contacts_json(contacts))
    names = ", ".join(shown(c.name) for c in contacts)
    print(f"{len(contacts)} support contact(s) set: {names}. They show first in every "
          "course's support dialog, below the emergency number 112.")
    return 0
