"""The ``peerskole`` command.

Without a subcommand it opens the trainee app. Each subcommand imports what it
needs when it runs, so ``peerskole --help`` and start-up stay fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

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
  peerskole validate courses/            check every course under courses/
  peerskole new course kurser/mit-kursus start a new course from a scaffold
  peerskole schema module -o module.schema.json
"""


def _formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args.paths, as_json=args.json)
        if args.command == "schema":
            return _schema(args.part, args.output)
        if args.command == "new":
            return _new(args)
        if args.command == "preview":
            return _preview(args.folder, args.lang)
        return _run_app(args.course, args.data_dir, args.lang)
    except KeyboardInterrupt:
        return 130


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


def _preview(folder: Path, lang: str | None) -> int:
    if not folder.is_dir():
        print(f"peerskole: {folder} is not a folder", file=sys.stderr)
        return 1
    from peerskole.ui.preview import run_preview

    run_preview(folder, lang)
    return 0
