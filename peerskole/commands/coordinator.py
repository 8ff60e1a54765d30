"""The coordinator's commands: learners, cohorts, records, exports, certificates, settings.

Each handler takes the parsed arguments and returns the exit status. Failures a
coordinator can fix (an unknown id, a broken course, a busy database) are a
sentence on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import getpass
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NoReturn

from peerskole.errors import UserError
from peerskole.safe_text import forbidden_character, visible
from peerskole.settings import (
    CERTIFICATE_LOGO,
    COORDINATOR_SETTINGS,
    STALLED_AFTER,
    URL_SETTINGS,
)

if TYPE_CHECKING:
    from peerskole.course.model import Course, Module
    from peerskole.export.certificate import Certificate
    from peerskole.export.records import CourseReport, LearnerReport
    from peerskole.store.base import Learner, PrivateText, Store

UNKNOWN_USER: Final = "ukendt"
"""``recorded_by`` when the operating system cannot say who is running peerskole."""
def run(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a handler, turning every failure a person can act on into a message."""
    from peerskole.course.problems import CourseError
    from peerskole.store.base import StoreError

    try:
        return handler(args)
    except CourseError as error:
        print(error.report(), file=sys.stderr)
        print("peerskole: the course above has problems; fix them (check with "
              "peerskole validate) and try again.", file=sys.stderr)
    except (StoreError, UserError) as error:
        print(f"peerskole: {error}", file=sys.stderr)
    return 1


@contextmanager
def _store(args: argparse.Namespace, create: bool = False) -> Iterator[Store]:
    """The store the command works on.

    Args:
        args: the command's arguments (``--data-dir``).
        create: make the database when there is none; a command that reads, or that
            works on learners already added, says there is none instead.
    """
    from peerskole.store.opening import open_store

    store = open_store(getattr(args, "data_dir", None), must_exist=not create)
    for notice in store.notices:
        print(f"peerskole: warning: {notice}", file=sys.stderr)
    try:
        yield store
    finally:
        store.close()


def _store_for_courses(args: argparse.Namespace, course_id: str | None) -> Store:
    """The store a command that reads courses works on (it may hold installed ones).

    Where there is no database yet, the folder courses are checked first, so a broken
    course is reported as it was before the store was asked (the course is what to fix).

    Raises:
        CourseError: a course folder has problems and there is no database.
        StoreError: when the store cannot be opened.
    """
    from peerskole.course.library import load_courses
    from peerskole.store.base import StoreError
    from peerskole.store.opening import open_store

    try:
        store = open_store(getattr(args, "data_dir", None), must_exist=True)
    except StoreError as error:
        if error.problem == "not_found":
            load_courses(course_id, None)
        raise
    for notice in store.notices:
        print(f"peerskole: warning: {notice}", file=sys.stderr)
    return store


def _learner(store: Store, learner_id: str) -> Learner:
    from peerskole.store.base import StoreError

    try:
        return store.learner(learner_id)
    except StoreError as error:
        if error.problem == "not_found":
            raise UserError(
                f'There is no learner with id "{learner_id}" in {store.where}. '
                "List learners and their ids with: peerskole learner list (and --data-dir "
                "or PEERSKOLE_DATABASE_URL if the learners are kept elsewhere)"
            ) from None
        raise


def _course(course_id: str, store: Store) -> Course:
    """The course with this id, installed in ``store`` or in a folder (one lookup)."""
    from peerskole.course.library import load_courses

    return load_courses(course_id, store)[0]


def _module(course: Course, module_id: str) -> Module:
    try:
        return course.module(module_id)
    except KeyError:
        ids = ", ".join(m.id for m in course.modules)
        raise UserError(
            f'Course "{course.id}" has no module "{module_id}". Its modules: {ids}.'
        ) from None


def shown(text: str) -> str:
    """Text safe to print on a terminal: controls (escapes, tabs) and direction overrides as ``?``.

    The characters the app refuses in a name (see :mod:`peerskole.safe_text`).
    """
    return visible(text, "?")


def recorded_by() -> str:
    """Who is recording: the operating system's user name, or "ukendt"."""
    try:
        return getpass.getuser() or UNKNOWN_USER
    except Exception:  # getpass raises KeyError or OSError by platform
        return UNKNOWN_USER


def _now() -> str:
    from peerskole.store.base import now

    return now()


# --- learners and cohorts -----------------------------------------------------------


def _checked_name(text: str, what: str = "add the learner") -> str:
    """A learner's name as given, or why it cannot be one (as the app's name field)."""
    from peerskole.store.base import NAME_MAX

    name = text.strip()
    if not name:
        raise UserError("A learner needs a name: peerskole learner add \"Åse Hansen\"")
    _check_text("name", name, NAME_MAX, what)
    return name


def _checked_cohort(text: str | None, what: str = "add the learner") -> str | None:
    """A cohort code as given (None for none), or why it cannot be one."""
    from peerskole.store.base import COHORT_MAX, cohort_code

    cohort = (text or "").strip() or None
    _check_text("cohort", cohort or "", COHORT_MAX, what)
    return cohort_code(cohort)


def _check_text(what: str, text: str, longest: int, action: str) -> None:
    from peerskole.store.base import control_character

    # As in the app: a control character (an ESC, a line break, a direction override)
    # could drive a coordinator's terminal or disguise a name in every later listing.
    found = control_character(text)
    if found:
        raise UserError(f"The {what} holds a control character ({found}); type it "
                        "again with ordinary characters only.")
    if len(text) > longest:
        raise UserError(f"The {what} is {len(text)} characters long; the app holds at "
                        f"most {longest}. Shorten it and {action} again.")


def _refuse_same_name(
    store: Store, name: str, cohort: str | None, allowed: bool, learner_id: str = ""
) -> None:
    """Ask for --same-name when the cohort already has a learner of that name."""
    from peerskole.store.base import cohort_code, same_name

    code = cohort_code(cohort)
    same = [x for x in store.learners(code)
            if same_name(x.display_name, name) and x.cohort == code and x.id != learner_id]
    if same and not allowed:
        where = f' in cohort "{shown(code)}"' if code else ""
        ids = ", ".join(x.id for x in same)
        hint = ("If this is another person, add them with --same-name" if not learner_id
                else "If they are other people, run it again with --same-name; if one "
                "person has two profiles, merge them: peerskole learner merge KEEP OTHER")
        raise UserError(f"There is already a learner named {shown(name)}{where} ({ids}). "
                        f"{hint}; to see them: peerskole learner list")


def learner_add(args: argparse.Namespace) -> int:
    name = _checked_name(args.name)
    cohort = _checked_cohort(args.cohort)
    with _store(args, create=True) as store:
        _refuse_same_name(store, name, cohort, args.same_name)
        learner = store.add_learner(name, cohort)
    print(learner.id)
    return 0


def learner_rename(args: argparse.Namespace) -> int:
    name = _checked_name(args.name, "rename the learner")
    with _store(args) as store:
        learner = _learner(store, args.learner)
        if learner.display_name == name:
            print(f"{shown(name)} ({learner.id}) already has that name; nothing changed.",
                  file=sys.stderr)
            return 0
        _refuse_same_name(store, name, learner.cohort, args.same_name, learner.id)
        store.rename_learner(learner.id, name, recorded_by(), _now())
    print(f"Renamed {learner.id}: {shown(learner.display_name)} → {shown(name)}. Their "
          "progress is kept; the change is in: peerskole learner history " + learner.id)
    return 0


def learner_move(args: argparse.Namespace) -> int:
    if args.no_cohort == bool(args.cohort):
        raise UserError("Say where the learner goes: --cohort CODE, or --no-cohort to take "
                        "them out of every cohort.")
    cohort = None if args.no_cohort else _checked_cohort(args.cohort, "move the learner")
    if not args.no_cohort and cohort is None:
        raise UserError("--cohort needs a code, e.g. --cohort hold-2026 (or use --no-cohort).")
    with _store(args) as store:
        learner = _learner(store, args.learner)
        if learner.cohort == cohort:
            where = f'in cohort "{shown(cohort)}"' if cohort else "in no cohort"
            print(f"{shown(learner.display_name)} ({learner.id}) is already {where}; "
                  "nothing changed.", file=sys.stderr)
            return 0
        _refuse_same_name(store, learner.display_name, cohort, args.same_name, learner.id)
        store.move_learner(learner.id, cohort, recorded_by(), _now())
    before = f'"{shown(learner.cohort)}"' if learner.cohort else "no cohort"
    after = f'"{shown(cohort)}"' if cohort else "no cohort"
    print(f"Moved {shown(learner.display_name)} ({learner.id}): {before} → {after}. Their "
          "progress is kept.")
    return 0


JOINED_MARK: Final = "——— Fra profilen {id}, skrevet {date} ———"
"""The line between two reflections on one step joined by a merge (the learner reads it
in the app, in Danish): the merged profile's id and the date its text was saved."""


def learner_merge(args: argparse.Namespace) -> int:
    from peerskole.progress import merged_record
    from peerskole.store.base import LearnerMerge, ReflectionText, StoredReflection

    with _store(args) as store:
        keep = _learner(store, args.keep)
        other = _learner(store, args.other)
        if keep.id == other.id:
            raise UserError("KEEP and OTHER are the same profile; give the ids of two "
                            "profiles of one person (peerskole learner list).")
        from peerskole.privacy import EXCHANGE_SETTING, SETTING_KEY

        counts = store.learner_data_counts(other.id)
        keep_key, other_key = (store.setting(x.id, SETTING_KEY) for x in (keep, other))
        private = sum(counts[k] for k in ("reflections", "practice_entries", "practice_drafts",
                                          "reflection_messages", "praktik_entries"))
        refusal = _privacy_refusal(keep, other, keep_key, other_key) if private else None
        if refusal:
            raise UserError(refusal)
        print(f"This merges {_who(other)} into {_who(keep)}: everything kept about "
              f"{other.id} ({_describe_counts(counts, profile=False)}) goes to {keep.id}, "
              f"combined by the completion rule where both have worked on a step; then "
              f"{other.id} is deleted. {keep.id} keeps its name and cohort.")
        if not args.yes:
            print(f"Type the id of the profile that goes ({other.id}) to confirm: ", end="",
                  flush=True)
            if sys.stdin.readline().strip() != other.id:
                print("Nothing was merged.", file=sys.stderr)
                return 1
        joined: list[str] = []

        def reflection(mine: StoredReflection, theirs: StoredReflection) -> ReflectionText:
            where = f"{mine.course_id}/{mine.module_id}/{mine.step_id}"
            if not args.join_reflections:
                raise UserError(
                    f"Both profiles have a reflection on {where}. Nothing was merged. Run "
                    "it again with --join-reflections to keep both texts in one, "
                    f"{keep.id}'s first (the other's follows under a line saying where it "
                    "comes from); or ask the learner to copy what they want kept into one "
                    "profile's reflection and clear the other's in the app.")
            joined.append(where)
            a, b = mine.reflection, theirs.reflection
            mark = JOINED_MARK.format(id=other.id, date=b.updated_at[:10])
            # Shared only if both were: a private text never becomes readable by joining.
            return ReflectionText(f"{a.text.rstrip()}\n\n{mark}\n{b.text}",
                                  a.shared and b.shared, max(a.updated_at, b.updated_at))

        def draft(course: str, module: str, step: str) -> NoReturn:
            raise UserError(
                f"Both profiles have an unsaved practice-log entry on {course}/{module}/"
                f"{step}. Nothing was merged. Ask the learner to save or clear one of them "
                "in the app, then merge again.")

        def moved_text(item: PrivateText) -> str:
            # Asked again of each text, in the merge's transaction: a text written since
            # the question above moves only if it may (if_settings holds the keys still).
            problem = _privacy_refusal(keep, other, keep_key, other_key, item)
            if problem:
                raise UserError(problem)
            return item.value

        rules = LearnerMerge(
            step_record=merged_record, reflection=reflection, moved_text=moved_text,
            draft=draft, unmoved_settings=frozenset({SETTING_KEY, EXCHANGE_SETTING}),
            if_settings={keep.id: {SETTING_KEY: keep_key}, other.id: {SETTING_KEY: other_key}},
        )
        moved = store.merge_learners(keep.id, other.id, rules, recorded_by(), _now())
    print(f"Merged {_who(other)} into {_who(keep)}: moved "
          f"{_describe_counts(moved, profile=False)}; "
          f"{moved['step_records_combined']} step record(s) both had were combined by the "
          "completion rule" + (f"; reflections joined on {', '.join(joined)}" if joined else "")
          + f". The profile {other.id} no longer exists; {keep.id} holds it all.")
    return 0


def _who(learner: Learner) -> str:
    cohort = f', cohort "{shown(learner.cohort)}"' if learner.cohort else ""
    return f"{shown(learner.display_name)} ({learner.id}{cohort})"


def _privacy_refusal(
    keep: Learner, other: Learner, keep_key: str | None, other_key: str | None,
    item: PrivateText | None = None,
) -> str | None:
    """Why the other's private text (``item``, or any) cannot move to the kept profile.

    A sealed text is bound to its profile (privacy.TextPlace), so it cannot be moved
    without its passphrase; and readable text moved into a profile with a passphrase
    would sit there unsealed. A shared reflection is readable in any profile.

    Args:
        keep, other: the two profiles.
        keep_key, other_key: their passphrase settings (None: no passphrase).
        item: one text of the other's; None asks about all of them.
    """
    from peerskole.envelope import is_envelope
    from peerskole.privacy import is_token

    sealed = item is not None and (is_token(item.value) or is_envelope(item.value))
    if item is not None and item.kind == "reflection" and item.shared and not sealed:
        return None
    if other_key or sealed:
        return (f"{_who(other)} keeps its reflections and practice logs sealed with its own "
                "passphrase, and they cannot be moved to another profile without it. Nothing "
                f"was merged. Ask the learner to open {other.id} in the app and remove its "
                f"passphrase, then merge again (they can then set one on {keep.id}, which "
                "protects all of it).")
    if keep_key:
        return (f"{_who(keep)} has a passphrase, and the reflections and practice logs of "
                f"{other.id} would sit in it unsealed. Nothing was merged. Ask the learner "
                f"to open {keep.id} in the app and remove its passphrase, merge, and then set "
                "it again (which seals all of it).")
    return None


def learner_history(args: argparse.Namespace) -> int:
    with _store(args) as store:
        learner = _learner(store, args.learner)
        changes = store.learner_changes(learner.id)
    if not changes:
        print(f"{_who(learner)} has not been renamed, moved or merged since it was added on "
              f"{learner.created_at[:10]}.", file=sys.stderr)
        return 0
    print("WHEN\tBY\tCHANGE\tFROM\tTO\tDETAIL")
    for c in changes:
        print("\t".join((c.changed_at[:16], shown(c.changed_by), c.change, shown(c.from_value),
                         shown(c.to_value), shown(c.detail))))
    return 0


def learner_list(args: argparse.Namespace) -> int:
    with _store(args) as store:
        learners = store.learners(args.cohort)
    if not learners:
        where = f' in cohort "{args.cohort}"' if args.cohort else ""
        hint = "peerskole cohort list" if args.cohort else 'peerskole learner add "Navn"'
        print(f"No learners{where}. ({hint})", file=sys.stderr)
        return 0
    rows = [("ID", "NAME", "COHORT", "ADDED")] + [
        (x.id, shown(x.display_name), shown(x.cohort or ""), x.created_at[:10])
        for x in learners
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) +
              "  " + row[3])
    return 0


def learner_erase(args: argparse.Namespace) -> int:
    with _store(args) as store:
        learner = _learner(store, args.learner)
        counts = store.learner_data_counts(learner.id)
        what = _describe_counts(counts)
        print(f"This erases {shown(learner.display_name)} ({learner.id}) and everything kept "
              f"about them: {what}. It cannot be undone.")
        if not args.yes:
            print("Type the learner's id or name to confirm: ", end="", flush=True)
            answer = sys.stdin.readline()
            if answer.strip() not in (learner.id, learner.display_name.strip()):
                print("Nothing was erased.", file=sys.stderr)
                return 1
        store.erase_learner(learner.id)
    print(f"Erased {shown(learner.display_name)} ({learner.id}): {what}.")
    return 0


def _describe_counts(counts: dict[str, int], profile: bool = True) -> str:
    words = {  # singular, plural
        "step_records": ("step record", "step records"),
        "positions": ("resume position", "resume positions"),
        "reflections": ("reflection", "reflections"),
        "practice_entries": ("practice log entry", "practice log entries"),
        "practice_drafts": ("unsaved practice log entry", "unsaved practice log entries"),
        "manual_completions": ("completion recorded by a coordinator",
                               "completions recorded by a coordinator"),
        "certificates": ("issued certificate", "issued certificates"),
        "settings": ("personal setting", "personal settings"),
        "learner_changes": ("change to the profile", "changes to the profile"),
        "reflection_messages": ("message of a dialogue with an instructor",
                                "messages of dialogues with instructors"),
        "attendance": ("entry in a session register", "entries in session registers"),
        "praktik_entries": ("praktik entry", "praktik entries"),
    }
    parts = []
    for key, (one, many) in words.items():
        n = counts.get(key, 0)
        parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts) + (", and the profile" if profile else "")


def cohort_list(args: argparse.Namespace) -> int:
    with _store(args) as store:
        cohorts = store.cohorts()
    if not cohorts:
        print('No cohorts yet. Add a learner to one with: peerskole learner add "Navn" '
              "--cohort CODE", file=sys.stderr)
        return 0
    width = max(len("COHORT"), *(len(shown(code)) for code, _ in cohorts))
    print(f"{'COHORT'.ljust(width)}  LEARNERS")
    for code, count in cohorts:
        print(f"{shown(code).ljust(width)}  {count}")
    return 0


# --- records ------------------------------------------------------------------------


def _note(text: str | None, missing: str) -> str:
    """A coordinator's note of why, trimmed: refused when empty (saying ``missing``) or
    when it holds a control character."""
    note = (text or "").strip()
    if not note:
        raise UserError(missing)
    found = forbidden_character(note)
    if found:
        raise UserError(f"The note holds a control character ({found}); type it again with "
                        "ordinary characters only.")
    return note


def records_mark(args: argparse.Namespace) -> int:
    from peerskole.store.base import ManualCompletion

    note = _note(args.note, "--note must say why the completion is recorded by hand.")
    completed_on: dt.date = args.completed_on or dt.date.today()
    with _store(args) as store:
        learner = _learner(store, args.learner)
        course = _course(args.course, store)
        module = _module(course, args.module)
        standing = [c for c in store.manual_completions(learner.id, course.id)
                    if c.module_id == module.id]
        if standing:
            # One standing record a module: a second would not count (the earliest does),
            # so a correction is a revocation, with its reason, and a new record.
            first = standing[0]
            raise UserError(
                f'"{module.title}" is already recorded as completed for '
                f"{shown(learner.display_name)} on {first.completed_on} (id {first.id}, by "
                f"{shown(first.recorded_by)}). To correct it, revoke that record first: "
                f"peerskole records revoke {first.id} --note \"why\""
            )
        who = recorded_by()
        store.add_manual_completions([ManualCompletion(
            learner.id, course.id, module.id, completed_on.isoformat(), note, who, _now()
        )])
    print(f'Recorded: {shown(learner.display_name)} ({learner.id}) completed "{module.title}" '
          f"({course.id}/{module.id}) on {completed_on.isoformat()}; recorded by {who}.")
    return 0


def records_list(args: argparse.Namespace) -> int:
    with _store(args) as store:
        if args.learner:
            _learner(store, args.learner)  # an unknown id is said, not listed as nothing
        completions = [
            c for c in store.recorded_completions(args.learner, args.course)
            if args.revoked or c.revoked_at is None
        ]
    if not completions:
        print("No recorded completions" + (" (add --revoked to see revoked ones)."
                                            if not args.revoked else "."), file=sys.stderr)
        return 0
    print("ID\tLEARNER\tCOURSE\tMODULE\tCOMPLETED_ON\tRECORDED_BY\tRECORDED_AT\tNOTE"
          + ("\tREVOKED" if args.revoked else ""))
    for c in completions:
        cells = [str(c.id), c.learner_id, c.course_id, c.module_id, c.completed_on,
                 shown(c.recorded_by), c.recorded_at[:16], shown(c.note)]
        if args.revoked:
            cells.append(f"{c.revoked_at[:16]} by {shown(c.revoked_by or '')}: "
                         f"{shown(c.revoke_note or '')}" if c.revoked_at else "")
        print("\t".join(cells))
    return 0


def records_revoke(args: argparse.Namespace) -> int:
    note = _note(args.note, "--note must say why the recorded completion is revoked.")
    who = recorded_by()
    with _store(args) as store:
        revoked = store.revoke_manual_completion(args.id, who, _now(), note)
    print(f"Revoked record {revoked.id}: {revoked.learner_id} {revoked.course_id}/"
          f"{revoked.module_id} completed on {revoked.completed_on}; revoked by {who}. "
          "Exports no longer count it.")
    return 0


def records_import(args: argparse.Namespace) -> int:
    from peerskole.export.records_import import read_completions

    with _store(args) as store:
        courses: dict[str, Course] = {}

        def course_by_id(course_id: str) -> Course:
            if course_id not in courses:
                courses[course_id] = _course(course_id, store)
            return courses[course_id]

        plan = read_completions(args.file, store, course_by_id, recorded_by(), _now())
        store.add_manual_completions(plan.new)
    already = f"; {plan.already_recorded} already recorded, left as they were" if (
        plan.already_recorded) else ""
    print(f"Imported {len(plan.new)} completion(s) from {args.file}{already}.")
    return 0


# --- classroom sessions ------------------------------------------------------------


def session_add(args: argparse.Namespace) -> int:
    from peerskole.store.base import ClassSession, cohort_code

    title = _note(args.title, "--title must say what the session is about.")
    cohort = cohort_code(args.cohort)
    if not cohort:
        raise UserError("COHORT must be a cohort's code, e.g. hold-2026.")
    with _store(args) as store:
        course = _course(args.course, store)
        [added] = store.add_class_sessions([ClassSession(
            cohort, course.id, args.date.isoformat(), args.start, args.minutes, title,
            args.place.strip(), recorded_by(), _now())])
    print(f"Planned session {added.id}: {added.cohort} {added.course_id} {added.held_on} "
          f"{added.starts_at}, {added.minutes} min, \"{shown(added.title)}\".")
    return 0


def session_list(args: argparse.Namespace) -> int:
    with _store(args) as store:
        sessions = store.class_sessions(args.cohort, args.course)
    if not sessions:
        print("No planned sessions.", file=sys.stderr)
        return 0
    print("ID\tCOHORT\tCOURSE\tDATE\tSTART\tMINUTES\tTITLE\tPLACE\tCANCELLED")
    for c in sessions:
        cancelled = (f"{c.cancelled_at[:16]} by {shown(c.cancelled_by or '')}: "
                     f"{shown(c.cancel_reason or '')}" if c.cancelled_at else "")
        print("\t".join([str(c.id), c.cohort, c.course_id, c.held_on, c.starts_at,
                         str(c.minutes), shown(c.title), shown(c.place), cancelled]))
    return 0


def session_import(args: argparse.Namespace) -> int:
    from peerskole.export.sessions_import import read_sessions

    with _store(args) as store:
        sessions = read_sessions(args.file, lambda course_id: _course(course_id, store),
                                 recorded_by(), _now())
        store.add_class_sessions(sessions)
    print(f"Planned {len(sessions)} session(s) from {args.file}.")
    return 0


def attendance_import(args: argparse.Namespace) -> int:
    from peerskole.export.sessions_import import read_attendance

    with _store(args) as store:
        marks = read_attendance(args.file, store, recorded_by(), _now())
        store.record_attendance(marks)
    print(f"Recorded {len(marks)} register entr{'y' if len(marks) == 1 else 'ies'} "
          f"from {args.file}.")
    return 0


def session_cancel(args: argparse.Namespace) -> int:
    note = _note(args.note, "--note must say why the session is cancelled.")
    with _store(args) as store:
        cancelled = store.cancel_class_session(args.id, recorded_by(), note, _now())
    print(f"Cancelled session {cancelled.id}: {cancelled.cohort} {cancelled.held_on} "
          f"{cancelled.starts_at}, \"{shown(cancelled.title)}\" (by "
          f"{shown(cancelled.cancelled_by or '')}). It counts for nothing.")
    return 0


# --- exports ------------------------------------------------------------------------


def export(args: argparse.Namespace) -> int:
    from peerskole.course.library import load_courses
    from peerskole.export.meter import ProgressMeter
    from peerskole.export.records import learner_reports, start_of_day

    if args.excel and args.format != "csv":
        return _usage("--excel is for --format csv.")
    if args.lrs and args.format != "xapi":
        return _usage("--lrs sends xAPI statements: use it with --format xapi.")
    if args.include_shared_reflections and args.format == "xapi":
        print("peerskole: note: xAPI statements never carry reflections; "
              "--include-shared-reflections adds nothing to them.", file=sys.stderr)
    since = start_of_day(args.since) if args.since else None
    with contextlib.closing(_store_for_courses(args, args.course)) as store:
        courses = load_courses(args.course, store)
        if not courses:
            raise UserError("No courses found. Install one with: peerskole course install "
                            "DIR (or add a folder of courses with PEERSKOLE_COURSES).")
        total = store.count_learners(args.cohort)
        if total == 0:
            where = f'in cohort "{args.cohort}"' if args.cohort else "yet"
            print(f"peerskole: note: there are no learners {where} (see peerskole "
                  "cohort list); the export is empty.", file=sys.stderr)
        # No bar over an export printed on the same terminal (no -o, no --lrs).
        meter = ProgressMeter(total, enabled=bool(args.output or args.lrs)
                              or not sys.stdout.isatty())
        reports = learner_reports(
            store, courses, args.cohort,
            include_shared_reflections=args.include_shared_reflections and
            args.format != "xapi",
            on_learner=meter.advance,
        )
        try:
            if args.format == "xapi" and args.lrs:
                return _send_to_lrs(args, store, reports, since)
            message = _write_export(args, store, courses, reports, since)
        finally:
            meter.close()
    print(message, file=sys.stderr)
    return 0


def _write_export(
    args: argparse.Namespace, store: Store, courses: list[Course],
    reports: Iterator[LearnerReport], since: dt.datetime | None,
) -> str:
    from peerskole.export.output import text_output

    where = f" to {args.output}" if args.output else ""
    if args.format == "csv":
        from peerskole.export.csv_export import EXCEL, PLAIN, write_csv

        dialect = EXCEL if args.excel else PLAIN
        with text_output(args.output, dialect.encoding) as stream:
            rows = write_csv(reports, stream, excel=args.excel, since=since,
                             include_shared_reflections=args.include_shared_reflections)
        return f"Wrote {rows} row(s){where}."
    if args.format == "json":
        from peerskole.export.json_export import write_json

        with text_output(args.output) as stream:
            count = write_json(reports, stream, courses=courses, cohort=args.cohort,
                               since=since,
                               include_shared_reflections=args.include_shared_reflections)
        return f"Wrote {count} learner(s){where}."
    from peerskole.export.xapi import XapiConfig, write_xapi

    with text_output(args.output) as stream:
        count = write_xapi(reports, stream, XapiConfig.from_store(store), since)
    return f"Wrote {count} statement(s){where}."


def _send_to_lrs(
    args: argparse.Namespace, store: Store, reports: Iterator[LearnerReport],
    since: dt.datetime | None,
) -> int:
    import urllib.parse

    from peerskole.export.lrs import LrsClient, credentials_from_environment
    from peerskole.export.xapi import XapiConfig, statements

    credentials = credentials_from_environment()
    client = LrsClient(args.lrs, credentials)
    host = urllib.parse.urlsplit(client.url).hostname or ""
    if credentials and client.url.startswith("http:") and host not in (
            "localhost", "127.0.0.1", "::1"):
        print("peerskole: warning: sending the LRS password unencrypted over http; use an "
              "https address.", file=sys.stderr)
    stream = statements(reports, XapiConfig.from_store(store), since)
    if args.output:
        stream = _tee(stream, args.output)
    summary = client.send(stream)
    print(f"LRS {client.url}: {summary}")
    return 0 if summary.ok else 1


def _tee(statements: Iterator[dict[str, Any]], path: Path) -> Iterator[dict[str, Any]]:
    """Pass statements on while writing them to ``path`` as JSON lines."""
    from peerskole.export.output import text_output

    with text_output(path) as stream:
        for statement in statements:
            stream.write(json.dumps(statement, ensure_ascii=False, sort_keys=True) + "\n")
            yield statement


def _usage(message: str) -> int:
    print(f"peerskole export: error: {message}", file=sys.stderr)
    return 2


# --- certificates -------------------------------------------------------------------


def certificate(args: argparse.Namespace) -> int:
    """``certificate LEARNER COURSE``, ``certificate --cohort CODE [COURSE]``,
    ``certificate verify ID`` and ``certificate revoke ID --note``."""
    if args.first == "verify":
        return certificate_verify(args)
    if args.first == "revoke":
        return certificate_revoke(args)
    if args.note is not None:
        return _usage_certificate("--note is for revoking: peerskole certificate revoke ID "
                                  '--note "why"')
    if args.participation and args.format != "pdf":
        return _usage_certificate("a statement of participation is a PDF: leave out --format")
    if args.cohort is not None:
        return _cohort_certificates(args)
    if args.first is None or args.second is None:
        return _usage_certificate("name the learner and the course: peerskole certificate "
                                  "LEARNER COURSE -o bevis.pdf (or --cohort CODE -o FOLDER)")
    if args.format == "pdf" and args.output is None:
        return _usage_certificate("a PDF needs a file: add -o certificate.pdf")
    with _store(args) as store:
        learner = _learner(store, args.first)
        course = _course(args.second, store)
        issuing = _CertificateIssuing(store, args)
        facts = issuing.issue(learner, course, participation=args.participation)
        if args.format == "pdf":
            data = issuing.pdf(facts)
        else:
            from peerskole.export.badge_signature import issuer_key, sign_badge
            from peerskole.export.openbadge import achievement_id, open_badge

            key, made = issuer_key(store)
            badge = open_badge(facts, key.did, achievement_id(store, course.id))
            data = (sign_badge(badge, key) + "\n").encode("ascii")
            if made:
                print(f"peerskole: made the organisation's badge signing key, kept in "
                      f"{_issuer_key_place(store)}. Publish its public half so others can "
                      "tell your badges from anyone else's: peerskole badge key",
                      file=sys.stderr)
    from peerskole.export.output import binary_output

    with binary_output(args.output) as stream:
        stream.write(data)
    if args.output:
        what = ("statement of participation" if facts.kind == "participation"
                else "certificate")
        print(f"Wrote the {what} of {shown(learner.display_name)} for {course.id} "
              f"to {args.output} (id {facts.certificate_id}).", file=sys.stderr)
    return 0


class _CertificateIssuing:
    """Issuing certificates from one store: the settings read once, each one recorded."""

    def __init__(self, store: Store, args: argparse.Namespace) -> None:
        from peerskole.settings import CERTIFICATE_LOGO, CERTIFICATE_SIGNER

        self.store = store
        self.organisation_override: str | None = args.organisation
        self.signer = store.setting("", CERTIFICATE_SIGNER) or ""
        self.logo: bytes | None = None
        logo = (store.setting("", CERTIFICATE_LOGO) or "").strip()
        if logo and args.format == "pdf":
            from peerskole.export.certificate import read_logo

            self.logo = read_logo(Path(logo))
        self.issued_by = recorded_by()

    def report(self, learner: Learner, course: Course) -> CourseReport:
        from peerskole.export.records import course_report, learner_programme

        return course_report(
            course,
            self.store.step_records(learner.id, course.id),
            self.store.manual_completions(learner.id, course.id),
            programme=learner_programme(self.store, course, learner),
        )

    def _as_worked_on(self, learner: Learner, report: CourseReport) -> CourseReport:
        """The report on the course version the learner completed it on, where the store
        has that version installed: a certificate lists the modules and goals as they
        were then, not as a later version words them."""
        from peerskole.course.library import load_installed_version
        from peerskole.export.records import course_report

        version = report.status.completed_version
        if not version or version == report.course.version:
            return report
        then = load_installed_version(self.store, report.course.id, version)
        if then is None:
            return report
        again = course_report(then, report.records,
                              self.store.manual_completions(learner.id, then.id),
                              programme=report.programme)
        return again if again.status.complete else report

    def issue(self, learner: Learner, course: Course, *, participation: bool = False,
              report: CourseReport | None = None) -> Certificate:
        """The certificate (or statement) of a learner, recorded in the store.

        Raises:
            ExportError: when the course is not complete (or, for a statement, when no
                module is), or the certificate was revoked.
        """
        import dataclasses

        from peerskole.export.certificate import (
            certificate_for,
            issuing_organisation,
            participation_for,
        )
        from peerskole.export.records import ExportError, local_date
        from peerskole.store.base import IssuedCertificate

        report = self._as_worked_on(learner, report or self.report(learner, course))
        organisation = issuing_organisation(self.store, report, self.organisation_override)
        make = participation_for if participation else certificate_for
        facts = make(learner, report, organisation, signer=self.signer)
        issued = self.store.record_certificate(IssuedCertificate(
            facts.certificate_id, learner.id, facts.learner_name, course.id, facts.course_title,
            facts.course_version, facts.kind, facts.completed_at, organisation, _now(),
            self.issued_by,
        ))
        if issued.revoked_at:
            raise ExportError(
                f"The {_kind_text(issued.kind)} {issued.id} of "
                f"{shown(learner.display_name)} was revoked on {issued.revoked_at[:10]} by "
                f"{shown(issued.revoked_by or '')} ({shown(issued.revoke_note or '')}); it is "
                "not issued again. If the record it stood on was wrong, correct the record: "
                "a changed completion gives a new certificate."
            )
        # Dated the day it was first issued: the same certificate, the same paper.
        return dataclasses.replace(facts, issued_on=local_date(issued.issued_at))

    def pdf(self, facts: Certificate) -> bytes:
        from peerskole.export.certificate import render_pdf

        return render_pdf(facts, self.logo)


def _kind_text(kind: str) -> str:
    return "statement of participation" if kind == "participation" else "certificate"


def _cohort_certificates(args: argparse.Namespace) -> int:
    """One PDF a learner of the cohort who completed the course, and who did not, and why."""
    from peerskole.export.certificate import missing_text
    from peerskole.export.records import ExportError
    from peerskole.store.base import cohort_code

    if args.format != "pdf":
        return _usage_certificate("--cohort writes PDF certificates: leave out --format")
    if args.second is not None:
        return _usage_certificate("with --cohort, name the course only: peerskole "
                                  "certificate --cohort CODE COURSE -o FOLDER")
    if args.output is None:
        return _usage_certificate("--cohort needs a folder for the PDFs: add -o FOLDER")
    code = cohort_code(args.cohort)
    folder: Path = args.output
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder} is a file; -o with --cohort takes a folder to write the "
                        "certificates in (it is made when missing).")
    with _store(args) as store:
        learners = store.learners(code) if code else []
        if not learners:
            raise UserError(f'There are no learners in cohort "{shown(args.cohort)}" in '
                            f"{store.where}. See the cohorts with: peerskole cohort list")
        course = _course(args.first, store) if args.first else _only_course(store)
        issuing = _CertificateIssuing(store, args)
        folder.mkdir(parents=True, exist_ok=True)
        rows: list[tuple[str, str, str]] = []  # outcome, learner, file or reason
        certified = 0
        for learner in learners:
            who = f"{shown(learner.display_name)} ({learner.id})"
            report = issuing.report(learner, course)
            complete = report.status.complete
            done = sum(1 for m in report.modules if m.status.complete)
            reason = missing_text(report)
            if not complete and not (args.participation and done):
                rows.append(("not issued", who, reason))
                continue
            try:
                facts = issuing.issue(learner, course, participation=not complete,
                                      report=report)
            except ExportError as error:
                rows.append(("not issued", who, str(error)))
                continue
            suffix = "-deltagelse" if facts.kind == "participation" else ""
            path = folder / f"{_file_stem(learner)}{suffix}.pdf"
            path.write_bytes(issuing.pdf(facts))
            if complete:
                certified += 1
                rows.append(("certificate", who, str(path)))
            else:
                rows.append(("participation", who, f"{path} ({reason})"))
    print(f'Cohort "{shown(code or "")}", course {course.id}: {certified} of {len(learners)} '
          f"learner(s) got a course certificate, in {folder}.")
    width = max(len(outcome) for outcome, _, _ in rows)
    for outcome, who, detail in rows:
        print(f"  {outcome.ljust(width)}  {who}: {detail}")
    if certified < len(learners) and not args.participation:
        print("For those who have not finished, add --participation for a statement of the "
              "modules they have completed.", file=sys.stderr)
    return 0 if certified == len(learners) else 1


def _only_course(store: Store) -> Course:
    from peerskole.course.library import load_courses

    courses = load_courses(None, store)
    if len(courses) == 1:
        return courses[0]
    ids = ", ".join(c.id for c in courses) or "none"
    raise UserError(f"Name the course: peerskole certificate --cohort CODE COURSE -o FOLDER "
                    f"(known courses: {ids}).")


def _file_stem(learner: Learner) -> str:
    """A file name for a learner's certificate: their name in plain letters, and their id
    (unique, and safe on every file system)."""
    import re
    import unicodedata

    name = learner.display_name.casefold()
    for letter, plain in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("ß", "ss")):
        name = name.replace(letter, plain)
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^a-z0-9]+", "-", name).strip("-")[:40].strip("-")
    return f"{name}-{learner.id}" if name else learner.id


def _certificate_id(text: str | None) -> str:
    import uuid

    if not text:
        raise UserError("Give the certificate id printed on it: peerskole certificate "
                        "verify ID")
    try:
        return str(uuid.UUID(text.strip().removeprefix("urn:uuid:")))
    except ValueError:
        raise UserError(f'"{shown(text)}" is not a certificate id; it looks like '
                        "0f3c1a52-3f0e-4a1e-9d55-5e0b8c2a7d11 (printed at the foot of the "
                        "certificate).") from None


def certificate_verify(args: argparse.Namespace) -> int:
    """Whether a certificate id was issued by this store, to whom, for what, and if revoked."""
    certificate_id = _certificate_id(args.second)
    with _store(args) as store:
        issued = store.issued_certificate(certificate_id)
        where = store.where
    if issued is None:
        print(f"NOT FOUND: no certificate with id {certificate_id} was issued from {where}. "
              "Either it is not genuine, it was issued from another database, or its learner "
              "has since been erased.")
        return 1
    state = ("REVOKED" if issued.revoked_at else "GENUINE")
    print(f"{state}: {_kind_text(issued.kind)} {issued.id}, issued from {where}")
    print(f"  to:      {shown(issued.learner_name)} (learner {issued.learner_id})")
    print(f"  for:     {shown(issued.course_title)} ({issued.course_id}), version "
          f"{shown(issued.course_version)}"
          + (" (not a course certificate)" if issued.kind == "participation" else ""))
    print(f"  issued:  {issued.issued_at[:10]} by {shown(issued.organisation)} "
          f"(recorded by {shown(issued.issued_by)})")
    if issued.revoked_at:
        print(f"  revoked: {issued.revoked_at[:10]} by {shown(issued.revoked_by or '')}: "
              f"{shown(issued.revoke_note or '')}")
        return 1
    print("  status:  valid (not revoked)")
    return 0


def certificate_revoke(args: argparse.Namespace) -> int:
    """Revoke a certificate issued by mistake, with who, when and why."""
    certificate_id = _certificate_id(args.second)
    note = _note(args.note, 'Say why the certificate is revoked: peerskole certificate '
                 'revoke ID --note "why"')
    who = recorded_by()
    with _store(args) as store:
        issued = store.issued_certificate(certificate_id)
        if issued is None:
            raise UserError(f"No certificate with id {certificate_id} was issued from "
                            f"{store.where}; nothing was revoked.")
        if issued.revoked_at:
            raise UserError(f"Certificate {certificate_id} was already revoked on "
                            f"{issued.revoked_at[:10]} by {shown(issued.revoked_by or '')}.")
        revoked = store.revoke_certificate(certificate_id, who, _now(), note)
    print(f"Revoked the {_kind_text(revoked.kind)} {revoked.id} of "
          f"{shown(revoked.learner_name)} ({revoked.learner_id}) for {revoked.course_id}; "
          f"revoked by {who}. peerskole certificate verify now says it is revoked.")
    return 0


def _issuer_key_place(store: Store) -> str:
    """Where the store keeps the badge signing key, for messages."""
    from peerskole.store.sqlite import SQLiteStore

    if isinstance(store, SQLiteStore):
        return f"{store.issuer_key_path} (readable by you only)"
    return f"the organisation's database ({store.where})"


# --- badges -------------------------------------------------------------------------


def badge_verify(args: argparse.Namespace) -> int:
    from peerskole.export.badge_signature import MAX_BADGE_BYTES, BadgeInvalid, verify_badge

    name = "standard input" if str(args.file) == "-" else str(args.file)
    try:
        if str(args.file) == "-":
            data = sys.stdin.buffer.read(MAX_BADGE_BYTES + 1)
        else:
            with open(args.file, "rb") as stream:
                data = stream.read(MAX_BADGE_BYTES + 1)
    except OSError as error:
        raise UserError(f"Cannot read {shown(name)}: {error.strerror or error}.") from None
    try:
        badge = verify_badge(data)
    except BadgeInvalid as error:
        raise UserError(f"{shown(name)} is not a valid badge. {error}") from None
    version = f" (version {shown(badge.achievement_version)})" if badge.achievement_version else ""
    print(f"{shown(name)}: a valid Open Badge, signed with its issuer's key.")
    rows = (
        ("Awarded to", shown(badge.recipient)),
        ("Achievement", f"{shown(badge.achievement_name)}{version}"),
        ("Achievement id", shown(badge.achievement_id)),
        ("Issued by", shown(badge.issuer_name) or "(not named)"),
        ("Issuer key", shown(badge.issuer_id)),
        ("Fingerprint", badge.thumbprint),
        ("Valid from", badge.valid_from),
        ("Credential id", shown(badge.credential_id)),
    )
    for label, value in rows:
        print(f"  {label + ':':<16}{value}")
    print("The signature proves the badge is unchanged since that key signed it. That the key "
          "is the issuer's, compare its fingerprint with the one they publish (peerskole "
          "badge key).")
    return 0


def badge_key(args: argparse.Namespace) -> int:
    from peerskole.export.badge_signature import issuer_key

    with _store(args) as store:
        key, made = issuer_key(store)
        place = _issuer_key_place(store)
    if made:
        print(f"peerskole: made the organisation's badge signing key, kept in {place}.",
              file=sys.stderr)
    print(f"Issuer id (did:key): {key.did}")
    print(f"Verification method: {key.verification_method}")
    print(f"Fingerprint (JWK thumbprint, SHA-256): {key.thumbprint}")
    print(f"Public key (JWK): {json.dumps(key.public_jwk)}")
    print(f"The private key is kept in {place}; it is never shown. Publish the lines above "
          "(on your website, in your letters) so those who check a badge can tell it is yours.")
    return 0


def _usage_certificate(message: str) -> int:
    print(f"peerskole certificate: error: {message}", file=sys.stderr)
    return 2


# --- settings -----------------------------------------------------------------------


def settings_set(args: argparse.Namespace) -> int:
    key, value = args.key, args.value.strip()
    if key in URL_SETTINGS and value and not value.startswith(("http://", "https://")):
        raise UserError(f'{key} must be an http(s) address, e.g. https://kursus.example.dk; '
                        f'got "{shown(value)}".')
    if key == STALLED_AFTER and value and not (value.isdigit() and 0 < int(value) < 1000):
        raise UserError(f'{key} is a number of days from 1 to 999, e.g. 14; got "{shown(value)}".')
    if key == CERTIFICATE_LOGO and value:
        from peerskole.export.certificate import read_logo

        # Checked now, and kept as a full path: it is read later, from anywhere.
        logo = Path(value).expanduser().resolve()
        read_logo(logo)
        value = str(logo)
    with _store(args, create=True) as store:
        store.set_setting("", key, value)
    print(f"{key} = {value}" if value else f"{key} cleared")
    return 0


def settings_get(args: argparse.Namespace) -> int:
    with _store(args) as store:
        keys = [args.key] if args.key else list(COORDINATOR_SETTINGS)
        for key in keys:
            value = store.setting("", key) or ""
            print(f"{key} = {shown(value)}" if value else f"{key} (not set)")
    return 0
