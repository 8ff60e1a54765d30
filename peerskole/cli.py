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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from peerskole import __version__

DESCRIPTION = """\
peerskole: training for peer-support workers at the terminal.

Without a command, opens the trainee app on the bundled course.
"""

EPILOG = """\
examples:
  peerskole                              open the trainee app
  peerskole --lang en                    open it in English
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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    parser = argparse.ArgumentParser(
        prog="peerskole", description=DESCRIPTION, epilog=EPILOG, formatter_class=_formatter
    )
    parser.add_argument("--version", action="version", version=f"peerskole {__version__}")
    parser.add_argument(
        "--course", type=Path, metavar="DIR",
        help="the course folder to open (default: the bundled course)",
    )
    parser.add_argument(
        "--data-dir", type=Path, metavar="DIR",
        help="where progress is kept (default: the platform's data folder, or "
        "$PEERSKOLE_DATA_DIR)",
    )
    parser.add_argument("--lang", choices=("da", "en"), help="language of the app (da, en)")
    parser.add_argument("--database-url", metavar="URL", help=DATABASE_URL_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check course folders and report every problem",
        description="Check course folders and report every problem as FILE:LINE:COL.\n"
        "Exit status 0 when every course is valid, 1 when any has problems.",
        epilog="examples:\n  peerskole validate\n  peerskole validate courses/mit-kursus --json",
        formatter_class=_formatter,
    )
    validate.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="a course folder, or a folder of course folders (default: every known course)",
    )
    validate.add_argument("--json", action="store_true", help="print the result as JSON")

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of the course format",
        description="Print the JSON Schema of course.toml (course) or of a module file "
        "(module), with the field docs as descriptions, for editors such as taplo.",
        epilog="examples:\n  peerskole schema course -o schemas/course.schema.json\n"
        "  peerskole schema module",
        formatter_class=_formatter,
    )
    schema.add_argument("part", nargs="?", choices=("course", "module"), default="course")
    schema.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")

    preview = commands.add_parser(
        "preview",
        help="open a course as a throwaway trainee; reloads when a file is saved",
        description="Open COURSE_DIR in the app with a throwaway learner whose progress is "
        "forgotten on exit. The course reloads when you save a file; problems are shown in "
        "the app.",
        epilog="example:\n  peerskole preview kurser/mit-kursus",
        formatter_class=_formatter,
    )
    preview.add_argument("folder", type=Path, metavar="COURSE_DIR")

    new = commands.add_parser(
        "new",
        help="scaffold a new course or module",
        description="Write a valid, commented course or module to fill in.",
        epilog="examples:\n  peerskole new course kurser/mit-kursus --title 'Mit kursus'\n"
        "  peerskole new module kurser/mit-kursus aktiv-lytning",
        formatter_class=_formatter,
    )
    what = new.add_subparsers(dest="what", metavar="WHAT", required=True)
    new_course = what.add_parser(
        "course",
        help="a new course folder with one module",
        description="Create DIR with course.toml, one module and editor schemas.",
        epilog="example:\n  peerskole new course kurser/mit-kursus --title 'Mit kursus'",
        formatter_class=_formatter,
    )
    new_course.add_argument("folder", type=Path, metavar="DIR")
    new_course.add_argument("--id", dest="course_id", help="course id (default: DIR's name)")
    new_course.add_argument("--title", help="course title")
    new_module = what.add_parser(
        "module",
        help="a new module in a course",
        description="Add a module file to COURSE_DIR/modules and list it in course.toml.",
        epilog="example:\n  peerskole new module kurser/mit-kursus aktiv-lytning",
        formatter_class=_formatter,
    )
    new_module.add_argument("folder", type=Path, metavar="COURSE_DIR")
    new_module.add_argument("module_id", metavar="ID")
    new_module.add_argument("--title", help="module title")
    _add_serve_command(commands)
    _add_coordinator_commands(commands)
    return parser


def _port(text: str) -> int:
    """An argparse type: a TCP port number."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f'"{text}" is not a port; give a number from 1 to 65535')
    return int(text)


def _add_serve_command(commands: argparse._SubParsersAction[Any]) -> None:
    """``peerskole serve``: the trainee app in a browser."""
    serve = commands.add_parser(
        "serve",
        help="serve the trainee app to web browsers (textual-serve)",
        description="Serve the trainee app to web browsers: each browser tab gets its own\n"
        "app, the same as plain 'peerskole' with the same options. Listens on 127.0.0.1\n"
        "(this machine only) unless --host says otherwise. textual-serve has no login:\n"
        "to let other machines in, put it behind a reverse proxy that asks for one.",
        epilog="examples:\n"
        "  peerskole serve                       then open http://127.0.0.1:8000\n"
        "  peerskole serve --port 8080 --course kurser/mit-kursus --lang en\n"
        "  peerskole serve --host 0.0.0.0 --public-url https://kursus.example.org\n"
        "                                        (behind a proxy with a login only)",
        formatter_class=_formatter,
    )
    serve.add_argument("--host", default="127.0.0.1", metavar="ADDRESS",
                       help="the address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, metavar="PORT",
                       help="the port to listen on (default: 8000)")
    serve.add_argument("--public-url", metavar="URL",
                       help="the address browsers use when a proxy sits in front "
                       "(default: http://ADDRESS:PORT)")
    # The app's own options, also after 'serve'; SUPPRESS keeps a value given before it.
    serve.add_argument("--course", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                       help="the course folder to open (default: the bundled course)")
    serve.add_argument("--data-dir", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                       help="where progress is kept (default: the platform's data folder, "
                       "or $PEERSKOLE_DATA_DIR)")
    serve.add_argument("--lang", choices=("da", "en"), default=argparse.SUPPRESS,
                       help="language of the app (da, en)")
    serve.add_argument("--database-url", metavar="URL", default=argparse.SUPPRESS,
                       help=DATABASE_URL_HELP)


def _add_coordinator_commands(commands: argparse._SubParsersAction[Any]) -> None:
    """The coordinator's commands: learners, cohorts, records, exports, certificates."""
    learner = commands.add_parser(
        "learner",
        help="add, list or erase learners",
        description="Add, list or erase learners (trainees).",
        epilog="examples:\n  peerskole learner add 'Åse Hansen' --cohort hold-2026\n"
        "  peerskole learner list --cohort hold-2026\n  peerskole learner erase 3f9c2a1b7d4e",
        formatter_class=_formatter,
    )
    learner_do = learner.add_subparsers(dest="what", metavar="WHAT", required=True)
    learner_add = learner_do.add_parser(
        "add",
        help="add a learner and print their id",
        description="Add a learner and print their id (the id is what other commands take).",
        epilog="example:\n  peerskole learner add 'Åse Hansen' --cohort hold-2026",
        formatter_class=_formatter,
    )
    learner_add.add_argument("name", metavar="NAME", help="the learner's name")
    learner_add.add_argument("--cohort", metavar="CODE", help="the learner's cohort (hold)")
    learner_list = learner_do.add_parser(
        "list",
        help="list learners with their ids",
        description="List learners: id, name, cohort and the date they were added.",
        epilog="examples:\n  peerskole learner list\n  peerskole learner list --cohort hold-2026",
        formatter_class=_formatter,
    )
    learner_list.add_argument("--cohort", metavar="CODE", help="only this cohort")
    learner_erase = learner_do.add_parser(
        "erase",
        help="erase everything about a learner (right to erasure)",
        description="Erase a learner and everything kept about them: progress, reflections, "
        "practice logs, recorded completions and settings. Asks you to type the learner's id "
        "or name first.",
        epilog="examples:\n  peerskole learner erase 3f9c2a1b7d4e\n"
        "  peerskole learner erase 3f9c2a1b7d4e --yes   (in a script)",
        formatter_class=_formatter,
    )
    learner_erase.add_argument("learner", metavar="LEARNER", help="the learner's id")
    learner_erase.add_argument("--yes", action="store_true", help="do not ask to confirm")

    cohort = commands.add_parser(
        "cohort",
        help="list cohorts",
        description="List cohorts (hold) and how many learners each has.",
        epilog="example:\n  peerskole cohort list",
        formatter_class=_formatter,
    )
    cohort_do = cohort.add_subparsers(dest="what", metavar="WHAT", required=True)
    cohort_do.add_parser(
        "list",
        help="list cohorts and their learner counts",
        description="List cohorts and how many learners each has.",
        epilog="example:\n  peerskole cohort list",
        formatter_class=_formatter,
    )

    records = commands.add_parser(
        "records",
        help="record completions done outside the app",
        description="Record module completions done outside the app (on paper, in class), "
        "kept with who recorded them, when and why.",
        epilog="examples:\n  peerskole records mark 3f9c2a1b7d4e peer-grundforloeb "
        "aktiv-lytning --note 'På holdet'\n  peerskole records import completions.csv",
        formatter_class=_formatter,
    )
    records_do = records.add_subparsers(dest="what", metavar="WHAT", required=True)
    mark = records_do.add_parser(
        "mark",
        help="record one module as completed",
        description="Record that a learner completed a module outside the app.",
        epilog="example:\n  peerskole records mark 3f9c2a1b7d4e peer-grundforloeb "
        "aktiv-lytning --completed-on 2026-03-01 --note 'Gennemført på papir på holdet'",
        formatter_class=_formatter,
    )
    mark.add_argument("learner", metavar="LEARNER", help="the learner's id")
    mark.add_argument("course", metavar="COURSE", help="the course id")
    mark.add_argument("module", metavar="MODULE", help="the module id")
    mark.add_argument("--completed-on", type=_past_date, metavar="DATE",
                      help="the date it was completed, e.g. 2026-03-01 or 1.3.2026 "
                      "(default: today)")
    mark.add_argument("--note", required=True, metavar="TEXT",
                      help="why it is recorded by hand (kept with the record)")
    import_ = records_do.add_parser(
        "import",
        help="record many completions from a CSV file",
        description="Record completions from a CSV file with the columns learner_id, "
        "course_id, module_id, completed_on (e.g. 2026-03-01 or 1.3.2026) and note; ',' or ';' "
        "separated, UTF-8. Every row is checked first; nothing is written unless every row "
        "is valid.",
        epilog="example:\n  peerskole records import completions.csv",
        formatter_class=_formatter,
    )
    import_.add_argument("file", type=Path, metavar="FILE.csv")

    export = commands.add_parser(
        "export",
        help="export who completed what, as CSV, JSON or xAPI",
        description="Export learners' progress: one row per learner and module (CSV), the "
        "same records as JSON, or xAPI statements (JSON lines, or sent to an LRS with "
        "--lrs). Private reflections and practice logs are never exported. The columns "
        "and fields are described in docs/exports.md.",
        epilog="examples:\n  peerskole export --format csv --excel --cohort hold-2026 -o hold.csv"
        "\n  peerskole export --format json --since 2026-01-01 -o records.json\n"
        "  PEERSKOLE_LRS_USERNAME=u PEERSKOLE_LRS_PASSWORD=p \\\n"
        "    peerskole export --format xapi --lrs https://lrs.example.org/xAPI/",
        formatter_class=_formatter,
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

    certificate = commands.add_parser(
        "certificate",
        help="a course certificate as PDF (or an Open Badge)",
        description="Write a one-page PDF certificate for a learner who completed a course: "
        "name, course and version, modules with completion dates, total time and the "
        "issuing organisation (the 'organisation' setting, else the course's). With "
        "--format openbadge, an unsigned Open Badges 3.0 credential (JSON) instead.",
        epilog="examples:\n  peerskole certificate 3f9c2a1b7d4e peer-grundforloeb -o bevis.pdf\n"
        "  peerskole certificate 3f9c2a1b7d4e peer-grundforloeb --format openbadge "
        "-o badge.json",
        formatter_class=_formatter,
    )
    certificate.add_argument("learner", metavar="LEARNER", help="the learner's id")
    certificate.add_argument("course", metavar="COURSE", help="the course id")
    certificate.add_argument("-o", "--output", type=Path, metavar="FILE",
                             help="write to FILE (required for a PDF)")
    certificate.add_argument("--format", choices=("pdf", "openbadge"), default="pdf",
                             help="pdf (default) or openbadge")
    certificate.add_argument("--organisation", metavar="NAME",
                             help="the issuing organisation, this time only")

    settings = commands.add_parser(
        "settings",
        help="show or change coordinator settings (organisation, xAPI addresses)",
        description="Show or change installation-wide settings: organisation (issuer on "
        "certificates), xapi_homepage and xapi_activity_base (addresses in xAPI statements).",
        epilog="examples:\n  peerskole settings set organisation 'Recovery-skolen Aarhus'\n"
        "  peerskole settings get",
        formatter_class=_formatter,
    )
    settings_do = settings.add_subparsers(dest="what", metavar="WHAT", required=True)
    keys = ("organisation", "xapi_homepage", "xapi_activity_base")
    settings_set = settings_do.add_parser(
        "set",
        help="change a setting ('' clears it)",
        description="Change a setting; an empty value clears it.",
        epilog="example:\n  peerskole settings set organisation 'Recovery-skolen Aarhus'",
        formatter_class=_formatter,
    )
    settings_set.add_argument("key", choices=keys, metavar="KEY", help=", ".join(keys))
    settings_set.add_argument("value", metavar="VALUE")
    settings_get = settings_do.add_parser(
        "get",
        help="show a setting, or all of them",
        description="Show a setting, or every coordinator setting.",
        epilog="example:\n  peerskole settings get organisation",
        formatter_class=_formatter,
    )
    settings_get.add_argument("key", nargs="?", choices=keys, metavar="KEY",
                              help=", ".join(keys))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    if getattr(args, "database_url", None):
        import os

        # For the whole process, so every store opened finds it, and the app processes
        # `peerskole serve` starts inherit it rather than carry it on their command line.
        os.environ["PEERSKOLE_DATABASE_URL"] = args.database_url
    try:
        if args.command == "validate":
            return _validate(args.paths, as_json=args.json)
        if args.command == "schema":
            return _schema(args.part, args.output)
        if args.command == "new":
            return _new(args)
        if args.command == "preview":
            return _preview(args.folder, args.lang)
        if args.command == "serve":
            return _serve(args)
        if args.command in COORDINATOR_COMMANDS:
            return _coordinator(args)
        return _run_app(args.course, args.data_dir, args.lang)
    except KeyboardInterrupt:
        return 130


COORDINATOR_COMMANDS = ("learner", "cohort", "records", "export", "certificate", "settings")
"""Subcommands handled in :mod:`peerskole.commands.coordinator`."""


def _coordinator(args: argparse.Namespace) -> int:
    from peerskole.commands import coordinator

    name = args.command if args.command in ("export", "certificate") else (
        f"{args.command}_{args.what}"
    )
    handler = getattr(coordinator, name)
    return coordinator.run(handler, args)


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


def _validate(paths: Sequence[Path], as_json: bool) -> int:
    from peerskole.course.loader import check_course

    folders = _expand(paths)
    results = []
    for folder in folders:
        course, problems = check_course(folder)
        results.append((folder, course, problems))
    if as_json:
        payload = [
            {
                "course": str(folder),
                "ok": not problems,
                "problems": [p.as_dict() for p in problems],
            }
            for folder, _, problems in results
        ]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        if not folders:
            print("No courses found.", file=sys.stderr)
        for folder, course, problems in results:
            if course is not None:
                steps = sum(len(m.steps) for m in course.modules)
                print(f"ok  {folder} ({len(course.modules)} modules, {steps} steps)")
            for problem in problems:
                print(problem)
        bad = sum(1 for *_, problems in results if problems)
        count = sum(len(problems) for *_, problems in results)
        if bad:
            print(f"\n{count} problem(s) in {bad} course(s).", file=sys.stderr)
    return 1 if any(problems for *_, problems in results) or not folders else 0


def _schema(part: str, output: Path | None) -> int:
    from peerskole.course.schema import json_schema

    text = json.dumps(json_schema(part), indent=2, ensure_ascii=False) + "\n"  # type: ignore[arg-type]
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


def _new(args: argparse.Namespace) -> int:
    from peerskole.course.scaffold import ScaffoldError, new_course, new_module

    try:
        if args.what == "course":
            path = new_course(args.folder, args.course_id, args.title)
            print(f"Created {path}. Check it with: peerskole validate {args.folder}")
        else:
            path = new_module(args.folder, args.module_id, args.title)
            print(f"Created {path} and listed it in {args.folder / 'course.toml'}.")
    except ScaffoldError as error:
        print(f"peerskole: {error}", file=sys.stderr)
        return 1
    return 0


def _default_course() -> Path | None:
    from peerskole.locations import known_course_dirs

    courses = known_course_dirs()
    return courses[0] if courses else None


def _run_app(course: Path | None, data_dir: Path | None, lang: str | None) -> int:
    course = course or _default_course()
    if course is None:
        print("peerskole: no course found; pass one with --course DIR", file=sys.stderr)
        return 1
    from peerskole.ui.app import PeerskoleApp

    PeerskoleApp(course, data_dir=data_dir, language=lang).run()
    return 0


def _serve(args: argparse.Namespace) -> int:
    course = args.course or _default_course()
    if course is None:
        print("peerskole: no course found; pass one with --course DIR", file=sys.stderr)
        return 1
    if not course.is_dir():
        print(f"peerskole: {course} {_not_a_folder(course)}; pass a course with --course DIR",
              file=sys.stderr)
        return 1
    from peerskole.ui.serve import app_command, serve

    command = app_command(course, args.data_dir, args.lang)
    database_url = getattr(args, "database_url", None)
    if database_url:
        # Each tab's app inherits this process's environment. The URL may hold a
        # password, so it stays out of the command line, which ps and the log show.
        os.environ["PEERSKOLE_DATABASE_URL"] = database_url
    try:
        serve(command, host=args.host, port=args.port, public_url=args.public_url)
    except OSError as error:
        print(f"peerskole: cannot listen on {args.host}:{args.port}: "
              f"{error.strerror or error}. Choose another --port or --host.", file=sys.stderr)
        return 1
    return 0


def _not_a_folder(path: Path) -> str:
    return "is a file, not a folder" if path.exists() else "does not exist"


def _preview(folder: Path, lang: str | None) -> int:
    if not folder.is_dir():
        print(f"peerskole: {folder} {_not_a_folder(folder)}", file=sys.stderr)
        return 1
    from peerskole.ui.preview import run_preview

    run_preview(folder, lang)
    return 0
