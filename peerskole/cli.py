"""The ``peerskole`` command.

Without a subcommand it opens the trainee app. Each subcommand imports what it
needs when it runs, so ``peerskole --help`` and start-up stay fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peerskole import __version__
from peerskole.safe_text import json_escaped, visible

if TYPE_CHECKING:
    from peerskole.course.model import Course
    from peerskole.store.base import Store

DESCRIPTION = """\
peerskole: training for peer-support workers at the terminal.

Without a command, opens the trainee app on the bundled course.
"""

EPILOG = """\
examples:
  peerskole                              open the trainee app
  peerskole --lang en                    open it in English
  peerskole --plain                      line by line, for screen readers (also TERM=dumb)
  peerskole preview kurser/mit-kursus    preview a course while you edit it
  peerskole serve                        serve the app to browsers at http://127.0.0.1:8000
  peerskole validate courses/            check every course under courses/
  peerskole new course kurser/mit-kursus start a new course from a scaffold
  peerskole schema module -o module.schema.json
  peerskole export --format csv --excel -o hold.csv   coordinators: see docs/exports.md
"""


DATABASE_URL_HELP = (
    "keep progress in this shared PostgreSQL database, postgresql://USER@HOST:PORT/DB "
    "(default: $PEERSKOLE_DATABASE_URL; without either, SQLite in the data folder). "
    "Keep the password out of it (others can see a command line): use PGPASSWORD or "
    "~/.pgpass"
)


def _formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


def _date(text: str) -> dt.date:
    """An argparse type: a date in a form the app reads everywhere, or how to write one."""
    from peerskole.i18n import Translator, parse_date

    day = parse_date(text)
    if day is None:
        raise argparse.ArgumentTypeError(
            f'"{text}" is not a date; write it as {Translator("en").date_forms()}'
        )
    return day


def _past_date(text: str) -> dt.date:
    """Like :func:`_date`, and not after today."""
    day = _date(text)
    if day > dt.date.today():
        raise argparse.ArgumentTypeError(f"{text} is in the future")
    return day


def _clock(text: str) -> str:
    """An argparse type: a time of day as HH:MM (9:00 is read as 09:00)."""
    try:
        return dt.datetime.strptime(text.strip(), "%H:%M").strftime("%H:%M")
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'"{text}" is not a time of day; write it as HH:MM, e.g. 09:00') from None


def _minutes(text: str) -> int:
    """An argparse type: a positive whole number of minutes."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f'"{text}" is not a number of minutes, e.g. 180')
    return int(text)


Handler = Callable[[argparse.Namespace], int]
"""What runs a command: it takes the parsed arguments and returns the exit status."""


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    description: str,
    examples: Sequence[str],
    run: Handler | None = None,
    parents: Sequence[argparse.ArgumentParser] = (),
    usage: str | None = None,
) -> argparse.ArgumentParser:
    """Add a subcommand with its one-line summary, its description and its examples.

    Args:
        commands: where to add it (``add_subparsers()`` of the parent command).
        name: the subcommand's name.
        summary: the line shown in the parent's list of commands.
        description: what ``--help`` says first.
        examples: command lines shown under "examples:" (one, or several).
        run: what runs it, for a command without subcommands of its own.
        parents: parsers whose options it shares.
        usage: the usage line(s), when argparse's own would not say how it is used.
    """
    label = "example:" if len(examples) == 1 else "examples:"
    parser = commands.add_parser(
        name, help=summary, description=description,
        epilog="\n".join([label, *(f"  {line}" for line in examples)]),
        formatter_class=_formatter, parents=list(parents), usage=usage,
    )
    if run is not None:
        parser.set_defaults(run=run)
    return parser


def _store_options(keep_earlier: bool) -> argparse.ArgumentParser:
    """Where progress is kept: shared by the app and every command that reads or writes it.

    Args:
        keep_earlier: for a subcommand: a value given before it (``peerskole --data-dir D
            export``) is kept unless given again after it (``peerskole export --data-dir D``).
    """
    default: Any = argparse.SUPPRESS if keep_earlier else None
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--data-dir", type=Path, metavar="DIR", default=default,
        help="where progress is kept (default: the platform's data folder, or "
        "$PEERSKOLE_DATA_DIR)",
    )
    options.add_argument("--database-url", metavar="URL", default=default,
                         help=DATABASE_URL_HELP)
    return options


def _app_options(keep_earlier: bool) -> argparse.ArgumentParser:
    """The app's own options, shared by ``peerskole`` itself and ``peerskole serve``.

    Args:
        keep_earlier: as for :func:`_store_options`.
    """
    from peerskole.i18n import LANGUAGES

    default: Any = argparse.SUPPRESS if keep_earlier else None
    options = argparse.ArgumentParser(add_help=False, parents=[_store_options(keep_earlier)])
    options.add_argument(
        "--course", type=Path, metavar="DIR", default=default,
        help="open this course folder directly (default: the installed and known "
        "courses, the trainee choosing when there are several)",
    )
    options.add_argument("--lang", choices=LANGUAGES, default=default,
                         help=f"language of the app ({', '.join(LANGUAGES)})")
    return options


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    parser = argparse.ArgumentParser(
        prog="peerskole", description=DESCRIPTION, epilog=EPILOG, formatter_class=_formatter,
        parents=[_app_options(keep_earlier=False)],
    )
    parser.add_argument("--version", action="version", version=f"peerskole {__version__}")
    parser.add_argument(
        "--plain", action="store_true",
        help="plain mode for screen readers and braille displays: numbered choices, line "
        "by line, no boxes or colours (chosen by itself when TERM=dumb)",
    )
    # `peerskole serve` starts each tab's app with it: sign in by name and passphrase.
    parser.add_argument("--sign-in", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(run=_run_app)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = _command(
        commands, "validate", "check course folders and report every problem",
        "Check course folders and report every problem as FILE:LINE:COL.\n"
        "Exit status 0 when every course is valid, 1 when any has problems.",
        ["peerskole validate", "peerskole validate courses/mit-kursus --json"],
        run=_validate,
    )
    validate.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH",
        help="a course folder, or a folder of course folders (default: every known course)",
    )
    validate.add_argument("--json", action="store_true", help="print the result as JSON")

    schema = _command(
        commands, "schema", "print the JSON Schema of the course format",
        "Print the JSON Schema of course.toml (course) or of a module file "
        "(module), with the field docs as descriptions, for editors such as taplo.",
        ["peerskole schema course -o schemas/course.schema.json", "peerskole schema module"],
        run=_schema,
    )
    schema.add_argument("part", nargs="?", choices=("course", "module"), default="course")
    schema.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")

    preview = _command(
        commands, "preview", "open a course as a throwaway trainee; reloads when a file is saved",
        "Open COURSE_DIR in the app with a throwaway learner whose progress is "
        "forgotten on exit. The course reloads when you save a file; problems are shown in "
        "the app.",
        ["peerskole preview kurser/mit-kursus",
         "peerskole preview kurser/mit-kursus --module samtaler --step maja"],
        run=_preview,
    )
    preview.add_argument("folder", type=Path, metavar="COURSE_DIR")
    preview.add_argument("--module", metavar="ID", help="start in this module (even a locked one)")
    preview.add_argument("--step", metavar="ID", help="start at this step")

    new = _command(
        commands, "new", "scaffold a new course or module",
        "Write a valid, commented course or module to fill in.",
        ["peerskole new course kurser/mit-kursus --title 'Mit kursus'",
         "peerskole new module kurser/mit-kursus aktiv-lytning"],
    )
    what = new.add_subparsers(dest="what", metavar="WHAT", required=True)
    new_course = _command(
        what, "course", "a new course folder with one module",
        "Create DIR with course.toml, one module and editor schemas.",
        ["peerskole new course kurser/mit-kursus --title 'Mit kursus'"],
        run=_new_course,
    )
    new_course.add_argument("folder", type=Path, metavar="DIR")
    new_course.add_argument("--id", dest="course_id", help="course id (default: DIR's name)")
    new_course.add_argument("--title", help="course title")
    new_module = _command(
        what, "module", "a new module in a course",
        "Add a module file to COURSE_DIR/modules and list it in course.toml.",
        ["peerskole new module kurser/mit-kursus aktiv-lytning"],
        run=_new_module,
    )
    new_module.add_argument("folder", type=Path, metavar="COURSE_DIR")
    new_module.add_argument("module_id", metavar="ID")
    new_module.add_argument("--title", help="module title")
    _add_serve_command(commands)
    _add_coordinator_commands(commands)
    _add_instructor_commands(commands)
    _add_supervisor_commands(commands)
    _add_report_commands(commands)
    _add_course_commands(commands)
    return parser


def _port(text: str) -> int:
    """An argparse type: a TCP port number."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f'"{text}" is not a port; give a number from 1 to 65535')
    return int(text)


def _add_serve_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``peerskole serve``: the trainee app in a browser."""
    serve = _command(
        commands, "serve", "serve the trainee app to web browsers (textual-serve)",
        "Serve the trainee app to web browsers: each browser tab gets its own\n"
        "app, the same as plain 'peerskole' with the same options. Listens on 127.0.0.1\n"
        "(this machine only) unless --host says otherwise. Each tab signs in with\n"
        "name, cohort and passphrase and lists nobody's profile. To let other machines\n"
        "in, put it behind a reverse proxy with HTTPS (see README: In a browser).",
        ["peerskole serve                       then open http://127.0.0.1:8000",
         "peerskole serve --port 8080 --course kurser/mit-kursus --lang en",
         "peerskole serve --host 0.0.0.0 --public-url https://kursus.example.org",
         "                                      (behind an HTTPS proxy only)",
         "peerskole serve --max-sessions 30 --idle-minutes 20"],
        run=_serve, parents=[_app_options(keep_earlier=True)],
    )
    serve.add_argument("--host", default="127.0.0.1", metavar="ADDRESS",
                       help="the address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, metavar="PORT",
                       help="the port to listen on (default: 8000)")
    serve.add_argument("--public-url", metavar="URL",
                       help="the address browsers use when a proxy sits in front "
                       "(default: http://ADDRESS:PORT); requests for any other address "
                       "are refused")
    serve.add_argument("--max-sessions", type=_positive_int, metavar="N",
                       help="browser tabs served at once (default: 15 per processor core, "
                       "fewer when memory is short: about 60 MB each); more get a page "
                       "saying it is full")
    serve.add_argument("--instructor", action="store_true",
                       help="serve the instructor's view instead of the trainee app (each "
                       "tab signs in with an instructor's own passphrase)")
    serve.add_argument("--idle-minutes", type=_positive_number, default=30.0, metavar="MIN",
                       help="close a tab nobody has typed in or clicked for this long, its "
                       "drafts saved first (default: 30)")


def _positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f'"{text}" is not a whole number of at least 1')
    return int(text)


def _positive_number(text: str) -> float:
    """An argparse type: a number above 0 (minutes may be a fraction)."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f'"{text}" is not a number above 0')
    return value


def _coordinator(name: str) -> Handler:
    """What runs a coordinator's command: ``name`` in :mod:`peerskole.commands.coordinator`.

    That module is imported when the command runs, not when the parser is built.
    """

    def run(args: argparse.Namespace) -> int:
        from peerskole.commands import coordinator

        return coordinator.run(getattr(coordinator, name), args)

    return run


def _add_coordinator_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """The coordinator's commands: learners, cohorts, records, exports, certificates."""
    store = [_store_options(keep_earlier=True)]  # --data-dir and --database-url after them
    learner = _command(
        commands, "learner", "add, list, rename, move, merge or erase learners",
        "Add, list, rename, move, merge or erase learners (trainees). Renaming, moving and "
        "merging keep their progress, and each change is kept: learner history.",
        ["peerskole learner add 'Åse Hansen' --cohort hold-2026",
         "peerskole learner list --cohort hold-2026", "peerskole learner erase 3f9c2a1b7d4e"],
    )
    learner_do = learner.add_subparsers(dest="what", metavar="WHAT", required=True)
    learner_add = _command(
        learner_do, "add", "add a learner and print their id",
        "Add a learner and print their id (the id is what other commands take).",
        ["peerskole learner add 'Åse Hansen' --cohort hold-2026"],
        run=_coordinator("learner_add"), parents=store,
    )
    learner_add.add_argument("name", metavar="NAME", help="the learner's name")
    learner_add.add_argument("--cohort", metavar="CODE", help="the learner's cohort (hold)")
    learner_add.add_argument("--same-name", action="store_true",
                             help="add them although the cohort has a learner of that name")
    learner_list = _command(
        learner_do, "list", "list learners with their ids",
        "List learners: id, name, cohort and the date they were added.",
        ["peerskole learner list", "peerskole learner list --cohort hold-2026"],
        run=_coordinator("learner_list"), parents=store,
    )
    learner_list.add_argument("--cohort", metavar="CODE", help="only this cohort")
    learner_erase = _command(
        learner_do, "erase", "erase everything about a learner (right to erasure)",
        "Erase a learner and everything kept about them: progress, reflections, "
        "practice logs, recorded completions, issued certificates and settings. Asks you "
        "to type the learner's id or name first.",
        ["peerskole learner erase 3f9c2a1b7d4e",
         "peerskole learner erase 3f9c2a1b7d4e --yes   (in a script)"],
        run=_coordinator("learner_erase"), parents=store,
    )
    learner_erase.add_argument("learner", metavar="LEARNER", help="the learner's id")
    learner_erase.add_argument("--yes", action="store_true", help="do not ask to confirm")
    learner_rename = _command(
        learner_do, "rename", "give a learner another name (progress is kept)",
        "Give a learner another name. Their progress stays with them; the change is kept "
        "with who made it and when (learner history).",
        ["peerskole learner rename 3f9c2a1b7d4e 'Åse Marie Hansen'"],
        run=_coordinator("learner_rename"), parents=store,
    )
    learner_rename.add_argument("learner", metavar="LEARNER", help="the learner's id")
    learner_rename.add_argument("name", metavar="NAME", help="the new name")
    learner_rename.add_argument("--same-name", action="store_true",
                                help="rename them although the cohort has a learner of that "
                                "name")
    learner_move = _command(
        learner_do, "move", "put a learner in another cohort (progress is kept)",
        "Put a learner in another cohort, or in none. Their progress stays with them; the "
        "change is kept with who made it and when (learner history).",
        ["peerskole learner move 3f9c2a1b7d4e --cohort hold-2027",
         "peerskole learner move 3f9c2a1b7d4e --no-cohort"],
        run=_coordinator("learner_move"), parents=store,
    )
    learner_move.add_argument("learner", metavar="LEARNER", help="the learner's id")
    learner_move.add_argument("--cohort", metavar="CODE", help="the cohort they go to")
    learner_move.add_argument("--no-cohort", action="store_true",
                              help="take them out of their cohort")
    learner_move.add_argument("--same-name", action="store_true",
                              help="move them although that cohort has a learner of that name")
    learner_merge = _command(
        learner_do, "merge", "merge two profiles of one person into one",
        "Merge OTHER into KEEP when one person has two profiles: OTHER's progress, "
        "reflections, practice logs, recorded completions and history go to KEEP, combined "
        "by the completion rule where both worked on a step (the earliest completion, the "
        "best quiz attempt, all the time and log entries count); the resume position set "
        "last is kept. Then OTHER is deleted. All in one transaction. Asks you to type "
        "OTHER's id first. Refused, with what to do, when both wrote a reflection on one "
        "step (unless --join-reflections) or when a passphrase seals the texts.",
        ["peerskole learner merge 3f9c2a1b7d4e 8d1e0c55a2b9",
         "peerskole learner merge 3f9c2a1b7d4e 8d1e0c55a2b9 --join-reflections --yes"],
        run=_coordinator("learner_merge"), parents=store,
    )
    learner_merge.add_argument("keep", metavar="KEEP", help="the id of the profile to keep")
    learner_merge.add_argument("other", metavar="OTHER",
                               help="the id of the profile merged into it and deleted")
    learner_merge.add_argument("--join-reflections", action="store_true",
                               help="where both wrote a reflection on one step, keep both "
                               "texts in one, KEEP's first")
    learner_merge.add_argument("--yes", action="store_true", help="do not ask to confirm")
    learner_history = _command(
        learner_do, "history", "list the renames, moves and merges of a learner",
        "List what coordinators changed about a learner's profile: renamed, moved to "
        "another cohort, another profile merged into it; with who, when, from and to.",
        ["peerskole learner history 3f9c2a1b7d4e"],
        run=_coordinator("learner_history"), parents=store,
    )
    learner_history.add_argument("learner", metavar="LEARNER", help="the learner's id")

    cohort = _command(
        commands, "cohort", "list cohorts",
        "List cohorts (hold) and how many learners each has.", ["peerskole cohort list"],
    )
    cohort_do = cohort.add_subparsers(dest="what", metavar="WHAT", required=True)
    _command(
        cohort_do, "list", "list cohorts and their learner counts",
        "List cohorts and how many learners each has.", ["peerskole cohort list"],
        run=_coordinator("cohort_list"), parents=store,
    )
    cohort_show = _command(
        cohort_do, "show", "each learner of a cohort: module, %% done, last activity, stalled",
        "Show each learner of a cohort: the module they are in, how much of the course is "
        "done, when they last did anything and how many days ago, time on task, and "
        "STALLED when they have not finished and nothing happened for longer than the "
        "stalled_after_days setting (default 14). Figures only, never what a learner wrote.",
        ["peerskole cohort show hold-2026", "peerskole cohort show hold-2026 --needs-attention",
         "peerskole cohort show hold-2026 --json"],
        run=_report("cohort_show"), parents=store,
    )
    cohort_show.add_argument("cohort", metavar="CODE", help="the cohort (hold)")
    cohort_show.add_argument("--course", metavar="ID",
                             help="the course (default: the only known course)")
    cohort_show.add_argument(
        "--needs-attention", action="store_true",
        help="only learners who need attention: stalled, or unable to meet the attendance "
             "requirement")
    cohort_show.add_argument("--stalled", action="store_true",
                             help="only stalled learners (not those only short of attendance)")
    cohort_show.add_argument("--json", action="store_true", help="JSON for tools")

    session = _command(
        commands, "session", "plan, list and cancel a cohort's classroom sessions",
        "Plan a cohort's classroom sessions, list them with their ids, and cancel one "
        "(kept with who cancelled it, when and why; a cancelled session counts for nothing).",
        ["peerskole session add hold-2026 peer-grundforloeb --date 2026-09-01 --start 09:00 "
         "--minutes 180 --title 'Aktiv lytning'", "peerskole session list --cohort hold-2026"],
    )
    session_do = session.add_subparsers(dest="what", metavar="WHAT", required=True)
    session_add = _command(
        session_do, "add", "plan one session and print its id",
        "Plan one classroom session for a cohort and print its id.",
        ["peerskole session add hold-2026 peer-grundforloeb --date 1.9.2026 --start 09:00 "
         "--minutes 180 --title 'Aktiv lytning' --place 'Lokale 2'"],
        run=_coordinator("session_add"), parents=store,
    )
    session_add.add_argument("cohort", metavar="COHORT", help="the cohort's code")
    session_add.add_argument("course", metavar="COURSE", help="the course id")
    session_add.add_argument("--date", type=_date, required=True, metavar="DATE",
                             help="the day, e.g. 2026-09-01 or 1.9.2026")
    session_add.add_argument("--start", type=_clock, required=True, metavar="HH:MM",
                             help="the start time, e.g. 09:00")
    session_add.add_argument("--minutes", type=_minutes, required=True, metavar="N",
                             help="how long it lasts, in minutes")
    session_add.add_argument("--title", required=True, metavar="TEXT", help="what it is about")
    session_add.add_argument("--place", default="", metavar="TEXT", help="where it is held")
    session_list = _command(
        session_do, "list", "list planned sessions with their ids",
        "List planned sessions by date: id, cohort, course, date, start, minutes, title, "
        "place, and who cancelled a cancelled one, when and why.",
        ["peerskole session list --cohort hold-2026"],
        run=_coordinator("session_list"), parents=store,
    )
    session_list.add_argument("--cohort", metavar="COHORT", help="only this cohort's")
    session_list.add_argument("--course", metavar="COURSE", help="only this course's")
    session_cancel = _command(
        session_do, "cancel", "cancel a session (it then counts for nothing)",
        "Cancel a planned session. It stays in the list with who cancelled it, when and why.",
        ["peerskole session cancel 7 --note 'Underviser syg'"],
        run=_coordinator("session_cancel"), parents=store,
    )
    session_import = _command(
        session_do, "import", "plan many sessions from a CSV file",
        "Plan sessions from a CSV file with the columns cohort, course_id, date (e.g. "
        "2026-09-01 or 1.9.2026), start (HH:MM), minutes, title and, if wanted, place; "
        "',' or ';' separated, UTF-8 (Excel's CSV UTF-8 too). Every row is checked first; "
        "nothing is written unless every row is valid.",
        ["peerskole session import sessions.csv"],
        run=_coordinator("session_import"), parents=store,
    )
    session_import.add_argument("file", type=Path, metavar="FILE.csv")
    session_cancel.add_argument("id", type=int, metavar="ID",
                                help="the session's id (session list)")
    session_cancel.add_argument("--note", required=True, metavar="TEXT",
                                help="why it is cancelled (kept with the session)")
    attendance = _command(
        commands, "attendance", "import a session register",
        "Record who attended classroom sessions. Every entry is kept with who recorded it "
        "and when; a learner's latest entry for a session counts.",
        ["peerskole attendance import register.csv"],
    )
    attendance_do = attendance.add_subparsers(dest="what", metavar="WHAT", required=True)
    attendance_import = _command(
        attendance_do, "import", "record a register from a CSV file",
        "Record attendance from a CSV file with the columns session_id, learner_id, status "
        "(present, late, left_early, absent, excused, or til stede, forsinket, gik tidligt, "
        "fraværende, afbud) and minutes (missed, for late or left early); ',' or ';' "
        "separated, UTF-8. Nothing is written unless every row is valid.",
        ["peerskole attendance import register.csv"],
        run=_coordinator("attendance_import"), parents=store,
    )
    attendance_import.add_argument("file", type=Path, metavar="FILE.csv")
    records = _command(
        commands, "records", "record, list and revoke completions done outside the app",
        "Record module completions done outside the app (on paper, in class), "
        "kept with who recorded them, when and why; list them, and revoke a mistake.",
        ["peerskole records mark 3f9c2a1b7d4e peer-grundforloeb aktiv-lytning --note 'På holdet'",
         "peerskole records import completions.csv"],
    )
    records_do = records.add_subparsers(dest="what", metavar="WHAT", required=True)
    mark = _command(
        records_do, "mark", "record one module as completed",
        "Record that a learner completed a module outside the app.",
        ["peerskole records mark 3f9c2a1b7d4e peer-grundforloeb aktiv-lytning "
         "--completed-on 2026-03-01 --note 'Gennemført på papir på holdet'"],
        run=_coordinator("records_mark"), parents=store,
    )
    mark.add_argument("learner", metavar="LEARNER", help="the learner's id")
    mark.add_argument("course", metavar="COURSE", help="the course id")
    mark.add_argument("module", metavar="MODULE", help="the module id")
    mark.add_argument("--completed-on", type=_past_date, metavar="DATE",
                      help="the date it was completed, e.g. 2026-03-01 or 1.3.2026 "
                      "(default: today)")
    mark.add_argument("--note", required=True, metavar="TEXT",
                      help="why it is recorded by hand (kept with the record)")
    listed = _command(
        records_do, "list", "list recorded completions with their ids",
        "List the completions coordinators recorded: id, learner, course, module, date, "
        "who recorded it, when and why. Revoked ones only with --revoked.",
        ["peerskole records list --learner 3f9c2a1b7d4e",
         "peerskole records list --course peer-grundforloeb --revoked"],
        run=_coordinator("records_list"), parents=store,
    )
    listed.add_argument("--learner", metavar="LEARNER", help="only this learner's")
    listed.add_argument("--course", metavar="COURSE", help="only this course's")
    listed.add_argument("--revoked", action="store_true",
                        help="also revoked ones, with who revoked them, when and why")
    revoke = _command(
        records_do, "revoke", "revoke a recorded completion (it then counts for nothing)",
        "Revoke a completion recorded by mistake. It stays in the store with who revoked "
        "it, when and why, and no export counts it. To correct a date, revoke the record "
        "and mark the module again.",
        ["peerskole records revoke 7 --note 'Forkert modul'"],
        run=_coordinator("records_revoke"), parents=store,
    )
    revoke.add_argument("id", type=int, metavar="ID", help="the record's id (records list)")
    revoke.add_argument("--note", required=True, metavar="TEXT",
                        help="why it is revoked (kept with the record)")
    import_ = _command(
        records_do, "import", "record many completions from a CSV file",
        "Record completions from a CSV file with the columns learner_id, "
        "course_id, module_id, completed_on (e.g. 2026-03-01 or 1.3.2026) and note; ',' or "
        "';' separated, UTF-8. Every row is checked first; nothing is written unless every "
        "row is valid.",
        ["peerskole records import completions.csv"],
        run=_coordinator("records_import"), parents=store,
    )
    import_.add_argument("file", type=Path, metavar="FILE.csv")

    export = _command(
        commands, "export", "export who completed what, as CSV, JSON or xAPI",
        "Export learners' progress: one row per learner and module (CSV), the "
        "same records as JSON, or xAPI statements (JSON lines, or sent to an LRS with "
        "--lrs). Private reflections and practice logs are never exported. The columns "
        "and fields are described in docs/exports.md.",
        ["peerskole export --format csv --excel --cohort hold-2026 -o hold.csv",
         "peerskole export --format json --since 2026-01-01 -o records.json",
         "PEERSKOLE_LRS_USERNAME=u PEERSKOLE_LRS_PASSWORD=p \\",
         "  peerskole export --format xapi --lrs https://lrs.example.org/xAPI/"],
        run=_coordinator("export"), parents=store,
    )
    export.add_argument("--format", choices=("csv", "json", "xapi"), default="csv",
                        help="csv (default), json or xapi")
    export.add_argument("--course", metavar="ID", help="only this course (default: every "
                        "known course)")
    export.add_argument("--cohort", metavar="CODE", help="only this cohort's learners")
    export.add_argument("--since", type=_date, metavar="DATE",
                        help="only what happened on or after DATE (e.g. 2026-03-01 or 1.3.2026)")
    export.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write to FILE (default: standard output)")
    export.add_argument("--excel", action="store_true",
                        help="CSV for Danish Excel: BOM, ';', decimal comma, dates")
    export.add_argument("--include-shared-reflections", action="store_true",
                        help="add reflections learners chose to share (CSV, JSON)")
    export.add_argument("--lrs", metavar="URL", help="send the xAPI statements to this "
                        "LRS; credentials from PEERSKOLE_LRS_USERNAME/PEERSKOLE_LRS_PASSWORD")

    certificate = _command(
        commands, "certificate",
        "course certificates as PDF (or an Open Badge); verify or revoke one by its id",
        "Write a one-page PDF certificate for a learner who completed a course: their\n"
        "name, the course and version, each module with its date and learning goals, the\n"
        "time on task when known, the issuing organisation (the 'organisation' setting,\n"
        "else the course's), a signature line (certificate_signer) and a logo\n"
        "(certificate_logo). Every certificate is recorded, so its id can be verified.\n\n"
        "  --participation  a statement of the modules completed, for a learner who has\n"
        "                   not finished (clearly titled as not a course certificate)\n"
        "  --cohort CODE    one PDF for each learner of the cohort who completed the\n"
        "                   course, and who did not; exit status 0 only when all did\n"
        "  verify ID        was it issued from this database, to whom, for what, when?\n"
        "                   exit status 0 when valid, 1 when unknown or revoked\n"
        "  revoke ID        revoke it, with --note saying why\n"
        "  --format openbadge  an Open Badges 3.0 credential signed with the organisation's\n"
        "                   key instead of a PDF (a JWT; see peerskole badge)",
        ["peerskole certificate 3f9c2a1b7d4e peer-grundforloeb -o bevis.pdf",
         "peerskole certificate 3f9c2a1b7d4e peer-grundforloeb --participation "
         "-o deltagelse.pdf",
         "peerskole certificate --cohort hold-2026 peer-grundforloeb -o beviser/",
         "peerskole certificate verify 0f3c1a52-3f0e-4a1e-9d55-5e0b8c2a7d11",
         "peerskole certificate revoke 0f3c1a52-3f0e-4a1e-9d55-5e0b8c2a7d11 "
         "--note 'Udstedt ved en fejl'",
         "peerskole certificate 3f9c2a1b7d4e peer-grundforloeb --format openbadge "
         "-o badge.jwt"],
        run=_coordinator("certificate"), parents=store,
        usage="peerskole certificate LEARNER COURSE [-o FILE] [--participation] [options]\n"
        "       peerskole certificate --cohort CODE [COURSE] -o FOLDER [--participation]\n"
        "       peerskole certificate verify ID\n"
        "       peerskole certificate revoke ID --note TEXT",
    )
    certificate.add_argument("first", nargs="?", metavar="LEARNER",
                             help="the learner's id (with --cohort: the course id; or "
                             "verify, revoke)")
    certificate.add_argument("second", nargs="?", metavar="COURSE",
                             help="the course id (after verify or revoke: the certificate id)")
    certificate.add_argument("-o", "--output", type=Path, metavar="FILE",
                             help="write to FILE (required for a PDF); with --cohort, the "
                             "folder to write the PDFs in")
    certificate.add_argument("--format", choices=("pdf", "openbadge"), default="pdf",
                             help="pdf (default) or openbadge")
    certificate.add_argument("--organisation", metavar="NAME",
                             help="the issuing organisation, this time only")
    certificate.add_argument("--cohort", metavar="CODE",
                             help="every learner of this cohort (upper or lower case alike)")
    certificate.add_argument("--participation", action="store_true",
                             help="a statement of participation for a learner who has not "
                             "finished (with --cohort: for each of those)")
    certificate.add_argument("--note", metavar="TEXT",
                             help="with revoke: why it is revoked (kept with the record)")

    badge = _command(
        commands, "badge", "check a signed Open Badge, or show the key that signs yours",
        "Check a signed Open Badge (peerskole certificate --format openbadge), or show "
        "the public half of the organisation's signing key, to publish.",
        ["peerskole badge verify badge.jwt", "peerskole badge key"],
    )
    badge_do = badge.add_subparsers(dest="what", metavar="WHAT", required=True)
    verify = _command(
        badge_do, "verify", "check a badge's signature and say what it states",
        "Check a signed Open Badge: its form, its Ed25519 signature and what an Open "
        "Badge must state; then print who was awarded what, by whom and when. Exit "
        "status 0 when it is valid, 1 (with the reason) when it is not. Needs no "
        "database: the key is in the badge.",
        ["peerskole badge verify badge.jwt"],
        run=_coordinator("badge_verify"),
    )
    verify.add_argument("file", type=Path, metavar="FILE",
                        help="the badge (a .jwt file), or - for standard input")
    _command(
        badge_do, "key", "show the public key badges are signed with (made on first use)",
        "Show the organisation's badge signing key: its did:key, fingerprint and public "
        "JWK, to publish so others can tell your badges are yours. The key is made if "
        "there is none yet; the private key is never shown.",
        ["peerskole badge key"],
        run=_coordinator("badge_key"), parents=store,
    )

    settings = _command(
        commands, "settings",
        "show or change coordinator settings (organisation, xAPI addresses)",
        "Show or change installation-wide settings: organisation (issuer on "
        "certificates), certificate_signer and certificate_logo (the signature line and "
        "logo of certificates), xapi_homepage and xapi_activity_base (addresses in xAPI "
        "statements), badge_achievement_base (base of Open Badge achievement ids).",
        ["peerskole settings set organisation 'Recovery-skolen Aarhus'",
         "peerskole settings get"],
    )
    settings_do = settings.add_subparsers(dest="what", metavar="WHAT", required=True)
    from peerskole.settings import COORDINATOR_SETTINGS

    keys = tuple(COORDINATOR_SETTINGS)
    settings_set = _command(
        settings_do, "set", "change a setting ('' clears it)",
        "Change a setting; an empty value clears it.",
        ["peerskole settings set organisation 'Recovery-skolen Aarhus'"],
        run=_coordinator("settings_set"), parents=store,
    )
    settings_set.add_argument("key", choices=keys, metavar="KEY", help=", ".join(keys))
    settings_set.add_argument("value", metavar="VALUE")
    settings_get = _command(
        settings_do, "get", "show a setting, or all of them",
        "Show a setting, or every coordinator setting.",
        ["peerskole settings get organisation"],
        run=_coordinator("settings_get"), parents=store,
    )
    settings_get.add_argument("key", nargs="?", choices=keys, metavar="KEY",
                              help=", ".join(keys))
    contacts = _command(
        settings_do, "contacts",
        "set the organisation's support contacts from a TOML file",
        "Set the organisation's own support contacts from a small TOML file: each a\n"
        "[[contacts]] table with name, and phone, hours and note. They show first in\n"
        "every course's support dialog, below the emergency number 112, on every machine\n"
        "using this database. Problems are reported as FILE:LINE and change nothing.",
        ["peerskole settings contacts kontakter.toml", "peerskole settings contacts --clear"],
        run=_courses("settings_contacts"), parents=store,
    )
    contacts.add_argument("file", nargs="?", type=Path, metavar="FILE.toml")
    contacts.add_argument("--clear", action="store_true",
                          help="remove them (each course shows its own contacts)")


def _courses(name: str) -> Handler:
    """What runs a course library command: ``name`` in :mod:`peerskole.commands.courses`."""

    def run(args: argparse.Namespace) -> int:
        from peerskole.commands import coordinator, courses

        return coordinator.run(getattr(courses, name), args)

    return run


def _add_course_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``peerskole course``: the course library kept in the store."""
    store = [_store_options(keep_earlier=True)]
    course = _command(
        commands, "course", "install, list or remove courses in the course library",
        "The course library: courses kept in the store, so every machine on the same\n"
        "database, every serve tab and every coordinator command has the same courses and\n"
        "the exact version a trainee worked on. An installed course takes the place of a\n"
        "PEERSKOLE_COURSES folder or bundled course with the same id.",
        ["peerskole course install kurser/mit-kursus", "peerskole course list",
         "peerskole course remove mit-kursus"],
    )
    course_do = course.add_subparsers(dest="what", metavar="WHAT", required=True)
    install = _command(
        course_do, "install", "validate a course folder and install it",
        "Validate COURSE_DIR and keep every file of it in the store under its version.\n"
        "Installing the same version again with the same files changes nothing; with\n"
        "other files it is refused: raise version in course.toml first.",
        ["peerskole course install kurser/mit-kursus"],
        run=_courses("course_install"), parents=store,
    )
    install.add_argument("folder", type=Path, metavar="COURSE_DIR")
    course_list = _command(
        course_do, "list", "list the courses: id, title, versions, learners, from where",
        "List every course peerskole can open: id, title, installed versions, how many\n"
        "learners have records in it, and where it comes from (installed, folder or\n"
        "bundled), and what an installed course takes the place of.",
        ["peerskole course list", "peerskole course list --json"],
        run=_courses("course_list"), parents=store,
    )
    course_list.add_argument("--json", action="store_true", help="JSON for tools")
    remove = _command(
        course_do, "remove", "remove an installed course (every version)",
        "Remove every installed version of a course. Refused while learners have records\n"
        "in it, unless --even-with-records. A folder or bundled course with the same id is\n"
        "used again.",
        ["peerskole course remove mit-kursus"],
        run=_courses("course_remove"), parents=store,
    )
    remove.add_argument("course_id", metavar="ID")
    remove.add_argument("--even-with-records", action="store_true",
                        help="remove it although learners have records in it")


def _instructor(name: str) -> Handler:
    """What runs ``peerskole instructor WHAT``: ``name`` in
    :mod:`peerskole.commands.instructors`, imported when it runs."""

    def run(args: argparse.Namespace) -> int:
        from peerskole.commands import coordinator, instructors

        return coordinator.run(getattr(instructors, name), args)

    return run


def _instructor_view(args: argparse.Namespace) -> int:
    """``peerskole instructor`` without WHAT: the instructor's view in the terminal."""
    from peerskole.commands import coordinator, instructors

    def show(store: Store, courses: list[Course], language: str) -> None:
        from peerskole.ui.instructor.app import InstructorApp

        InstructorApp(store, courses, language=language).run()

    return coordinator.run(lambda a: instructors.instructor_view(a, show), args)


def _add_instructor_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """``peerskole instructor``: the role that reads shared reflections and answers them."""
    from peerskole.i18n import LANGUAGES

    common = argparse.ArgumentParser(add_help=False, parents=[_store_options(keep_earlier=True)])
    common.add_argument("--lang", choices=LANGUAGES, default="da",
                        help=f"language of the messages ({', '.join(LANGUAGES)})")
    secret = argparse.ArgumentParser(add_help=False)
    secret.add_argument("--passphrase-stdin", action="store_true",
                        help="read the passphrase from the first line of standard input "
                        "instead of asking for it")
    signed_in = argparse.ArgumentParser(add_help=False, parents=[secret])
    signed_in.add_argument("--as", dest="as_instructor", metavar="NAME",
                           help="which instructor (name or id; needed when there are several)")
    instructor = _command(
        commands, "instructor", "add or remove instructors; read shared reflections and reply",
        "Without WHAT, open the instructor's view: sign in with your own passphrase, then "
        "follow a cohort (who is where, who needs attention, the outcome as charts), take "
        "the register of its planned sessions, and read and answer shared reflections. "
        "Instructors read the reflections trainees chose to share and answer them; the "
        "dialogue is sealed so that only the trainee and the instructors can read it "
        "(docs/security.md). A coordinator adds and removes instructors.",
        ["peerskole instructor", "peerskole instructor add 'Ulla Underviser'",
         "peerskole instructor inbox --unread"],
        run=_instructor_view, parents=[common],
    )
    instructor.add_argument("--course", metavar="ID",
                            help="the course to follow first (default: every known course)")
    # Without WHAT: the instructor's view (sign in, the cohort, the inbox, replies).
    do = instructor.add_subparsers(dest="what", metavar="WHAT", required=False)
    add = _command(
        do, "add", "add an instructor with a passphrase of their own",
        "Add an instructor. They get a passphrase of their own (asked for twice), which "
        "nobody can recover if it is forgotten.",
        ["peerskole instructor add 'Ulla Underviser'"],
        run=_instructor("instructor_add"), parents=[common, secret],
    )
    add.add_argument("name", metavar="NAME", help="the instructor's name, as trainees see it")
    listing = _command(
        do, "list", "list instructors", "List instructors: id, name, when added.",
        ["peerskole instructor list"], run=_instructor("instructor_list"), parents=[common],
    )
    listing.add_argument("--all", action="store_true", help="removed instructors too")
    remove = _command(
        do, "remove", "remove an instructor (they can no longer sign in)",
        "Remove an instructor: they can no longer sign in, and their sealed key is deleted. "
        "Their replies stay in the dialogues; new messages are not sealed to them.",
        ["peerskole instructor remove 'Ulla Underviser'"],
        run=_instructor("instructor_remove"), parents=[common],
    )
    remove.add_argument("instructor", metavar="ID|NAME")
    remove.add_argument("--yes", action="store_true", help="do not ask to confirm")
    inbox = _command(
        do, "inbox", "the reflections trainees shared, newest first, with their dialogue",
        "Sign in and show the reflections trainees shared, newest first (NEW: not yet "
        "answered, or the trainee answered since), each with its dialogue. A reflection "
        "whose sharing was withdrawn is not shown.",
        ["peerskole instructor inbox --unread", "peerskole instructor inbox --cohort hold-2026"],
        run=_instructor("instructor_inbox"), parents=[common, signed_in],
    )
    inbox.add_argument("--cohort", metavar="CODE", help="only this cohort's trainees")
    inbox.add_argument("--unread", action="store_true", help="only new ones")
    reply = _command(
        do, "reply", "reply to a shared reflection (the reply is read from standard input)",
        "Sign in and reply to a reflection a trainee shared. The reply is read from standard "
        "input (after the passphrase line with --passphrase-stdin), never from the command "
        "line, which others can see.",
        ["peerskole instructor reply 3f9c2a1b7d4e peer-grundforloeb/lytning/refleksion "
         "< svar.txt"],
        run=_instructor("instructor_reply"), parents=[common, signed_in],
    )
    reply.add_argument("learner", metavar="LEARNER", help="the trainee's id (as the inbox shows)")
    reply.add_argument("step", metavar="COURSE/MODULE/STEP", help="the reflection's step")


def _supervisor(name: str) -> Handler:
    """What runs ``peerskole supervisor WHAT``: ``name`` in
    :mod:`peerskole.commands.supervisors`, imported when it runs."""

    def run(args: argparse.Namespace) -> int:
        from peerskole.commands import coordinator, supervisors

        return coordinator.run(getattr(supervisors, name), args)

    return run


def _supervisor_view(args: argparse.Namespace) -> int:
    """``peerskole supervisor`` without WHAT: the supervisor's view in the terminal."""
    from peerskole.commands import coordinator, supervisors

    def show(store: Store, language: str) -> None:
        from peerskole.ui.supervisor.app import SupervisorApp

        SupervisorApp(store, language=language).run()

    return coordinator.run(lambda a: supervisors.supervisor_view(a, show), args)


def _add_supervisor_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """``peerskole supervisor``: the role that signs off trainees' praktik hours."""
    from peerskole.i18n import LANGUAGES

    common = argparse.ArgumentParser(add_help=False, parents=[_store_options(keep_earlier=True)])
    common.add_argument("--lang", choices=LANGUAGES, default="da",
                        help=f"language of the messages ({', '.join(LANGUAGES)})")
    supervisor = _command(
        commands, "supervisor", "add or list praktik supervisors; sign off praktik hours",
        "Without WHAT, open the supervisor's view: sign in with your own passphrase, then "
        "approve the praktik trainees asked you to sign off, return it with a comment, or "
        "revoke an approval with a reason. Only approved hours count. A supervisor reads "
        "what a trainee did only if the trainee chose to show it to them "
        "(docs/security.md). A coordinator adds supervisors.",
        ["peerskole supervisor", "peerskole supervisor add 'Sif Vejleder'"],
        run=_supervisor_view, parents=[common],
    )
    do = supervisor.add_subparsers(dest="what", metavar="WHAT", required=False)
    add = _command(
        do, "add", "add a supervisor with a passphrase of their own",
        "Add a praktik supervisor. They get a passphrase of their own (asked for twice), "
        "which nobody can recover if it is forgotten.",
        ["peerskole supervisor add 'Sif Vejleder'"],
        run=_supervisor("supervisor_add"), parents=[common],
    )
    add.add_argument("name", metavar="NAME", help="the supervisor's name, as trainees see it")
    add.add_argument("--passphrase-stdin", action="store_true",
                     help="read the passphrase from the first line of standard input "
                     "instead of asking for it")
    listing = _command(
        do, "list", "list supervisors", "List supervisors: id, name, when added.",
        ["peerskole supervisor list"], run=_supervisor("supervisor_list"), parents=[common],
    )
    listing.add_argument("--all", action="store_true", help="removed supervisors too")


def _report(name: str) -> Handler:
    """What runs a report: ``name`` in :mod:`peerskole.commands.reports`, imported when it
    runs, with the coordinator's commands' handling of failures."""

    def run(args: argparse.Namespace) -> int:
        from peerskole.commands import coordinator, reports

        return coordinator.run(getattr(reports, name), args)

    return run


def _add_report_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``peerskole report``: anonymised figures about groups of learners, for funders."""
    report = _command(
        commands, "report", "anonymised figures for funders (outcome report)",
        "Figures about groups of learners, never about one learner.",
        ["peerskole report outcomes --course peer-grundforloeb --format csv --excel "
         "-o udbytte.csv"],
    )
    report_do = report.add_subparsers(dest="what", metavar="WHAT", required=True)
    outcomes = _command(
        report_do, "outcomes", "self-assessment before and after, practice logs, time on task",
        "An anonymised outcome report of one course: for the whole course and each "
        "cohort (or only --cohort), how many began and completed it and each module and "
        "their time on task, each self-assessment's ratings before and after (per "
        "statement and in total: n, means, change) and practice-log counts. No names and "
        "no text learners wrote; a group or figure of fewer than 5 learners says "
        "\"fewer than 5\" instead. Fields and the rule: docs/exports.md. With --format png "
        "or svg, a chart of one group (the cohort, or the whole course): each "
        "self-assessment's statements before and after, time on task and practice per "
        "module; a suppressed figure is a gap marked \"fewer than 5\".",
        ["peerskole report outcomes --course peer-grundforloeb --format csv --excel "
         "-o udbytte.csv",
         "peerskole report outcomes --course peer-grundforloeb --cohort hold-2026 "
         "--format json",
         "peerskole report outcomes --cohort hold-2026 --format png -o udbytte.png"],
        run=_report("report_outcomes"), parents=[_store_options(keep_earlier=True)],
    )
    outcomes.add_argument("--course", metavar="ID",
                          help="the course (default: the only known course)")
    outcomes.add_argument("--cohort", metavar="CODE",
                          help="only this cohort (default: the whole course and each cohort)")
    outcomes.add_argument("--format", choices=("csv", "json", "png", "svg"), default=None,
                          help="csv (default), json, or a chart as png or svg (needs -o; "
                               "default: from -o's suffix)")
    outcomes.add_argument("--excel", action="store_true",
                          help="CSV for Danish Excel: BOM, ';', decimal comma")
    outcomes.add_argument("-o", "--output", type=Path, metavar="FILE",
                          help="write to FILE (default: standard output)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    _answer_in_any_terminal()
    for argument in argv:
        problem = _not_text(argument)
        if problem:
            print(f"peerskole: {problem}", file=sys.stderr)
            return 2
    args = build_parser().parse_args(argv)
    if getattr(args, "database_url", None):
        # For the whole process, so every store opened finds it, and the app processes
        # `peerskole serve` starts inherit it rather than carry it on their command line.
        os.environ["PEERSKOLE_DATABASE_URL"] = args.database_url
    if getattr(args, "data_dir", None):
        # Likewise: what is kept beside the database (the cache installed courses load
        # from, peerskole.course.library) goes in the data folder given.
        from peerskole.locations import DATA_DIR_ENV

        os.environ[DATA_DIR_ENV] = str(Path(args.data_dir).expanduser().resolve())
    run: Handler = args.run
    try:
        return run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (e.g. `head`) stopped reading: not worth a traceback. Point stdout
        # at devnull so Python's flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _answer_in_any_terminal() -> None:
    """Let what a command prints reach a terminal that is not UTF-8, e.g. Latin-1.

    A name the terminal cannot show (a "✓", an arrow) is printed as "?" instead of
    ending the command with a UnicodeEncodeError; exports write UTF-8 bytes of their
    own (peerskole.export.output), so this touches only what is said to a person.
    Python's standard error already escapes such characters.
    """
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None and encoding not in ("utf8", "utf_8"):
        reconfigure(errors="replace")


def _not_text(argument: str) -> str | None:
    """Why a command-line argument cannot be used as text, or None when it can.

    Bytes that are not UTF-8 (a name typed in a Latin-1 terminal) reach Python as
    lone surrogates, which no file or database can store.
    """
    try:
        argument.encode("utf-8")
    except UnicodeEncodeError as error:
        raw = argument.encode("utf-8", "surrogateescape")[error.start:error.end]
        shown = argument.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        return (f'the argument "{visible(shown, "?")}" is not UTF-8 text (byte '
                f"0x{raw[0]:02X}); set the terminal to UTF-8 and type it again")
    return None


def _expand(paths: Sequence[Path]) -> list[Path]:
    from peerskole.course.loader import MANIFEST_NAME
    from peerskole.locations import known_course_dirs

    if not paths:
        return known_course_dirs()
    folders: list[Path] = []
    for path in paths:
        if path.is_dir() and not (path / MANIFEST_NAME).exists():
            inner = sorted(p.parent for p in path.glob(f"*/{MANIFEST_NAME}"))
            folders.extend(inner or [path])
        else:
            folders.append(path)
    return folders


def _known_for_validate(args: argparse.Namespace) -> list[Any]:
    """The known courses, installed ones too when a database is there already (validate
    never makes one)."""
    from peerskole.course.library import known_courses
    from peerskole.errors import UserError
    from peerskole.store.base import StoreError
    from peerskole.store.opening import open_store

    try:
        store = open_store(getattr(args, "data_dir", None), must_exist=True)
    except StoreError:
        return known_courses(None)
    try:
        return known_courses(store)
    except (StoreError, UserError, OSError):  # a damaged install must not stop a check
        return known_courses(None)
    finally:
        store.close()


def _which_is_used(folder: Path, course_id: str, known: Sequence[Any]) -> str | None:
    """What to say when another course has the same id as ``folder``'s, or None."""
    here = folder.resolve()
    for other in known:
        if other.id != course_id:
            continue
        if other.source != "installed" and other.folder.resolve() == here:
            if not other.replaces:
                return None
            taken = "; ".join(f"the {s} course in {p}" for s, p in other.replaces)
            return f"note: this course takes the place of {taken} (same id \"{course_id}\")"
        return (f"note: another course has the id \"{course_id}\": {other.where} is used in "
                "this one's place (installed > PEERSKOLE_COURSES folders > bundled)"
                + ("; install this one with: peerskole course install "
                   f"{folder}" if other.source == "installed" else ""))
    return None


def _validate(args: argparse.Namespace) -> int:
    from peerskole.course.loader import check_course
    from peerskole.course.placeholders import placeholder_warnings

    as_json: bool = args.json
    folders = _expand(args.paths)
    known = _known_for_validate(args)
    results = []
    for folder in folders:
        course, problems = check_course(folder)
        warnings = placeholder_warnings(folder) if course is not None else []
        note = _which_is_used(folder, course.id, known) if course is not None else None
        results.append((folder, course, problems, warnings, note))
    if as_json:
        payload = [
            {
                "course": str(folder),
                "ok": not problems,
                "problems": [p.as_dict() for p in problems],
                "warnings": [w.as_dict() for w in warnings],
                **({"note": note} if note else {}),
            }
            for folder, _, problems, warnings, note in results
        ]
        print(json_escaped(json.dumps(payload, ensure_ascii=False, indent=2)))
    else:
        if not folders:
            print("No courses found.", file=sys.stderr)
        for folder, course, problems, warnings, note in results:
            if course is not None:
                steps = sum(len(m.steps) for m in course.modules)
                print(f"ok  {visible(str(folder))} ({len(course.modules)} modules, {steps} steps)")
                if note:
                    print(f"    {visible(note)}")
                for warning in warnings:
                    print(f"warning: {warning}")
            for problem in problems:
                print(problem)
        bad = sum(1 for _, _, problems, _, _ in results if problems)
        count = sum(len(problems) for _, _, problems, _, _ in results)
        if bad:
            print(f"\n{count} problem(s) in {bad} course(s).", file=sys.stderr)
    return 1 if any(problems for _, _, problems, _, _ in results) or not folders else 0


def _schema(args: argparse.Namespace) -> int:
    from peerskole.course.schema import json_schema

    output: Path | None = args.output
    text = json.dumps(json_schema(args.part), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
        return 0
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        print(f"Cannot write {output}: {error.strerror}", file=sys.stderr)
        return 1
    print(f"Wrote {output}")
    return 0


def _new_course(args: argparse.Namespace) -> int:
    from peerskole.course.scaffold import ScaffoldError, new_course

    try:
        path = new_course(args.folder, args.course_id, args.title)
    except ScaffoldError as error:
        print(f"peerskole: {visible(str(error))}", file=sys.stderr)
        return 1
    print(f"Created {visible(str(path))}. Check it with: peerskole validate "
          f"{visible(str(args.folder))}")
    return 0


def _new_module(args: argparse.Namespace) -> int:
    from peerskole.course.scaffold import ScaffoldError, new_module

    try:
        path, listed = new_module(args.folder, args.module_id, args.title)
    except ScaffoldError as error:
        print(f"peerskole: {visible(str(error))}", file=sys.stderr)
        return 1
    shown, manifest = visible(str(path)), visible(str(args.folder / "course.toml"))
    if listed:
        print(f"Created {shown} and listed it in {manifest}.")
    else:
        print(f"Created {shown}; {manifest} lists it already.")
    return 0


def _run_app(args: argparse.Namespace) -> int:
    # Without --course, the app finds the courses itself (installed ones too, which
    # need the store) and lets the trainee choose when there are several.
    course: Path | None = args.course
    from peerskole.plain import plain_wanted

    if plain_wanted(getattr(args, "plain", False)):
        from peerskole.plain.app import run_plain

        return run_plain(course, data_dir=args.data_dir, language=args.lang)
    from peerskole.ui.app import PeerskoleApp

    PeerskoleApp(course, data_dir=args.data_dir, language=args.lang,
                 sign_in=args.sign_in).run()
    return 0


def _serve(args: argparse.Namespace) -> int:
    course: Path | None = args.course  # None: each tab finds the courses, as the app does
    if course is not None and not course.is_dir():
        print(f"peerskole: {course} {_not_a_folder(course)}; pass a course with --course DIR",
              file=sys.stderr)
        return 1
    from peerskole.i18n import LANGUAGES
    from peerskole.ui.serve import app_command, instructor_command, serve

    # Each tab's app inherits this process's environment, where main() put the
    # database URL: it may hold a password, so it stays out of the command line,
    # which ps and the log show.
    if args.instructor:
        command = instructor_command(args.data_dir, args.lang)
    else:
        command = app_command(course, args.data_dir, args.lang, ["--sign-in"])
    try:
        serve(command, host=args.host, port=args.port, public_url=args.public_url,
              language=args.lang or LANGUAGES[0], max_sessions=args.max_sessions,
              idle_minutes=args.idle_minutes)
    except OSError as error:
        print(f"peerskole: cannot listen on {args.host}:{args.port}: "
              f"{error.strerror or error}. Choose another --port or --host.", file=sys.stderr)
        return 1
    return 0


def _not_a_folder(path: Path) -> str:
    return "is a file, not a folder" if path.exists() else "does not exist"


def _preview(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    if not folder.is_dir():
        print(f"peerskole: {folder} {_not_a_folder(folder)}", file=sys.stderr)
        return 1
    from peerskole.ui.preview import run_preview, start_position

    start = None
    if args.module or args.step:
        from peerskole.course.loader import check_course

        course, _ = check_course(folder)
        # A course with problems opens on them; where to start is checked once it loads.
        if course is not None:
            from peerskole.errors import UserError
            from peerskole.safe_text import visible

            try:
                start = start_position(course, args.module, args.step)
            except UserError as error:
                print(f"peerskole: {visible(str(error))}", file=sys.stderr)
                return 2
        elif args.module:
            from peerskole.store.base import Position

            start = Position(args.module, args.step or "")
    run_preview(folder, args.lang, start)
    return 0
