"""``peerskole instructor``: add, list and remove instructors; read the inbox and reply.

A coordinator adds and removes instructors; an instructor signs in with their own
passphrase (a prompt, or the first line of standard input with
``--passphrase-stdin``) to read the reflections trainees shared and answer them. A
reply is read from standard input, never from the command line (which others on the
computer can see). Messages are Danish by default, English with ``--lang en``.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from peerskole.commands.coordinator import _store, shown
from peerskole.errors import UserError
from peerskole.i18n import Translator

if TYPE_CHECKING:
    from collections.abc import Callable

    from peerskole.course.model import Course
    from peerskole.instructors import InstructorKey
    from peerskole.store.base import Instructor, Store


def _t(args: argparse.Namespace) -> Translator:
    return Translator(getattr(args, "lang", None) or "da")


def _problem(t: Translator, error: Exception, **values: object) -> UserError:
    """A core error as a sentence in the command's language."""
    from peerskole.dialogue import MESSAGE_MAX, DialogueError
    from peerskole.instructors import InstructorError
    from peerskole.privacy import MIN_PASSPHRASE_LENGTH, PrivacyError
    from peerskole.store.base import StoreError

    if isinstance(error, PrivacyError):
        return UserError(t(f"instructor.error.{error.problem}", seconds=error.wait,
                           min=MIN_PASSPHRASE_LENGTH, **values)
                         if error.problem in ("wait", "wrong_passphrase", "too_short",
                                              "too_long", "damaged", "unavailable")
                         else str(error))
    if isinstance(error, DialogueError):
        key = "too_long_message" if error.problem == "too_long" else error.problem
        return UserError(t(f"instructor.error.{key}", max=MESSAGE_MAX))
    if isinstance(error, InstructorError):
        return UserError(t(f"instructor.error.{error.problem}", **values))
    if isinstance(error, StoreError) and error.problem == "stale":
        return UserError(t("instructor.error.stale"))
    return UserError(str(error))


def _passphrase(args: argparse.Namespace, prompt: str) -> str:
    if args.passphrase_stdin:
        line = sys.stdin.readline()
        if not line.strip():
            raise UserError(_t(args)("instructor.no_passphrase"))
        return line.rstrip("\r\n")
    return getpass.getpass(prompt)


def instructor_add(args: argparse.Namespace) -> int:
    """``peerskole instructor add NAME``."""
    from peerskole.instructors import InstructorError, add_instructor
    from peerskole.privacy import MIN_PASSPHRASE_LENGTH, PrivacyError

    t = _t(args)
    name = args.name
    passphrase = _passphrase(args, t("instructor.new_passphrase", name=shown(name),
                                     min=MIN_PASSPHRASE_LENGTH))
    if not args.passphrase_stdin and getpass.getpass(
            t("instructor.repeat_passphrase")) != passphrase:
        raise UserError(t("instructor.mismatch"))
    with _store(args, create=True) as store:
        try:
            made = add_instructor(store, name, passphrase)
        except (InstructorError, PrivacyError) as error:
            raise _problem(t, error, who=shown(name)) from None
    print(t("instructor.added", name=shown(made.name), id=made.id))
    return 0


def instructor_list(args: argparse.Namespace) -> int:
    """``peerskole instructor list``."""
    t = _t(args)
    with _store(args) as store:
        found = store.instructors(include_removed=args.all)
    if not found:
        print(t("instructor.none"), file=sys.stderr)
        return 0
    print(t("instructor.list_header"))
    for i in found:
        print("\t".join((i.id, shown(i.name), i.created_at[:10], (i.removed_at or "")[:10])))
    return 0


def _instructor(store: Store, t: Translator, who: str | None) -> Instructor:
    from peerskole.instructors import InstructorError, find_instructor

    if who is None:
        standing = store.instructors()
        if len(standing) == 1:
            return standing[0]
        if not standing:
            raise UserError(t("instructor.none"))
        raise UserError(t("instructor.choose", names=", ".join(shown(i.name) for i in standing)))
    try:
        return find_instructor(store, who)
    except InstructorError as error:
        raise _problem(t, error, who=shown(who)) from None


def instructor_remove(args: argparse.Namespace) -> int:
    """``peerskole instructor remove ID|NAME``."""
    from peerskole.instructors import remove_instructor

    t = _t(args)
    with _store(args) as store:
        instructor = _instructor(store, t, args.instructor)
        if not args.yes:
            print(t("instructor.confirm_remove"), end="", flush=True)
            typed = sys.stdin.readline().strip()
            if typed not in (instructor.id, instructor.name):
                print(t("instructor.not_removed"), file=sys.stderr)
                return 1
        removed = remove_instructor(store, instructor)
    print(t("instructor.removed", name=shown(removed.name), id=removed.id))
    return 0


def _sign_in(args: argparse.Namespace, store: Store, t: Translator) -> InstructorKey:
    from peerskole.instructors import InstructorError, unlock_instructor
    from peerskole.privacy import PrivacyError

    instructor = _instructor(store, t, args.as_instructor)
    passphrase = _passphrase(args, t("instructor.passphrase", name=shown(instructor.name)))
    try:
        return unlock_instructor(store, instructor, passphrase)
    except (PrivacyError, InstructorError) as error:
        raise _problem(t, error, name=shown(instructor.name), who=shown(instructor.name)
                       ) from None


def _lines(text: str, indent: str = "    ") -> list[str]:
    """Text a trainee wrote, line by line, safe for a terminal."""
    return [indent + shown(line) for line in text.splitlines() or [""]]


def instructor_inbox(args: argparse.Namespace) -> int:
    """``peerskole instructor inbox``: shared reflections, newest first, with their dialogue."""
    from peerskole.dialogue import for_instructor, share_with_newer_instructors
    from peerskole.instructors import inbox

    t = _t(args)
    with _store(args) as store:
        key = _sign_in(args, store, t)
        try:
            # Instructors added since a message was written can read it from now on.
            share_with_newer_instructors(store, key)
            items = inbox(store, key, args.cohort)
            if args.unread:
                items = [item for item in items if item.unread]
            if not items:
                print(t("instructor.inbox_empty"), file=sys.stderr)
                return 0
            for item in items:
                mark = t("instructor.inbox_new") if item.unread else "-"
                cohort = f" ({shown(item.cohort)})" if item.cohort else ""
                print(t("instructor.inbox_item", mark=mark, date=item.updated_at[:10],
                        name=shown(item.learner_name), cohort=cohort, learner=item.learner_id,
                        place=shown(f"{item.course_id}/{item.module_id}/{item.step_id}")))
                thread = for_instructor(store, key, item.learner_id, item.course_id,
                                        item.module_id, item.step_id)
                print("\n".join(_lines(thread.reflection)))
                for m in thread.messages:
                    who = (shown(m.instructor_name or "?") if m.author == "instructor"
                           else t("instructor.author_learner"))
                    print(f"    — {who}, {m.created_at[:16].replace('T', ' ')}:")
                    print("\n".join(_lines(m.text or t("instructor.unreadable"), "      ")))
                print()
        finally:
            key.forget()
    unread = sum(1 for item in items if item.unread)
    print(t("instructor.inbox_summary", count=len(items), unread=unread), file=sys.stderr)
    return 0


def instructor_reply(args: argparse.Namespace) -> int:
    """``peerskole instructor reply LEARNER COURSE/MODULE/STEP``: the reply on stdin."""
    from peerskole.dialogue import DialogueError, reply
    from peerskole.store.base import StoreError

    t = _t(args)
    parts = args.step.split("/")
    if len(parts) != 3 or not all(parts):
        raise UserError(t("instructor.bad_place"))
    course_id, module_id, step_id = parts
    with _store(args) as store:
        learner = store.learner(args.learner)
        key = _sign_in(args, store, t)
        try:
            if sys.stdin.isatty():
                print(t("instructor.reply_prompt", name=shown(learner.display_name)),
                      file=sys.stderr)
            text = sys.stdin.read()
            try:
                reply(store, key, learner.id, course_id, module_id, step_id, text.strip("\n"))
            except (DialogueError, StoreError) as error:
                raise _problem(t, error) from None
        finally:
            key.forget()
    print(t("instructor.replied", name=shown(learner.display_name)))
    return 0


def instructor_view(
    args: argparse.Namespace, show: Callable[[Store, list[Course], str], None]
) -> int:
    """``peerskole instructor``: the instructor's view, behind its sign-in.

    Args:
        show: runs the view on the open store with the courses, in the language (the
            front end; the commands do not know it).
    """
    from peerskole.course.library import load_courses

    t = _t(args)
    with _store(args) as store:
        if not store.instructors():
            raise UserError(t("instructor.none"))
        show(store, load_courses(getattr(args, "course", None), store), t.language)
    return 0
