"""Scaffolds for new courses and modules: valid, commented files to fill in."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Final

from peerskole.course.loader import MANIFEST_NAME, MODULES_DIR
from peerskole.course.model import FORMAT_VERSION, SLUG_PATTERN
from peerskole.course.schema import SCHEMA_FILES, json_schema

SCHEMA_DIR: Final = "schemas"
"""Folder inside a scaffolded course that holds the editor schemas."""


class ScaffoldError(Exception):
    """A scaffold could not be written; the message says why and what to do."""


COURSE_TEMPLATE: Final = '''\
#:schema {schema_dir}/course.schema.json
# The manifest of a peerskole course. Check it with: peerskole validate {folder}
# The format is described in docs/course-format.md.

format_version = {format_version}
# Stable id: progress is kept under it, so never change it once trainees start.
id = "{course_id}"
title = "{title}"
# Raise the version whenever you change the content.
version = "0.1"
language = "da"
organisation = "Uddannelsesstedet (udfyldes)"
description = """
Skriv et par linjer om, hvad kurset handler om, og hvem det er til.
"""

# Module ids in the order trainees meet them. Each names a file in modules/.
# Add a module with: peerskole new module {folder} ID
modules = ["{module_id}"]

# Who a trainee can reach if the material stirs something up.
# Fill in your own contacts; keep the emergency number.
[[support]]
name = "Din underviser"
phone = "Udfyldes af uddannelsesstedet"
hours = "Udfyldes"
note = "Tal med din underviser, hvis noget i materialet rører ved noget svært."

[[support]]
name = "Alarmcentralen"
phone = "112"
note = "Ved akut fare for liv eller helbred."
emergency = true
'''

MODULE_TEMPLATE: Final = '''\
#:schema ../{schema_dir}/module.schema.json
# A peerskole module. Every step needs a stable id: progress is kept under it.
id = "{module_id}"
title = "{title}"
goals = [
  "Efter modulet kan du ... (skriv et læringsmål).",
]
minutes = 45
# Ids of modules that must be complete before this one opens.
requires = []

# Leave [completion] out to require every step, or list the required step ids:
# [completion]
# required_steps = ["laesning", "quiz"]

# Asked at the start of the module and again at its end, so growth shows.
[[steps]]
kind = "self_assessment"
id = "selvvurdering"
title = "Hvor står du?"
statements = [
  "Jeg kan ... (skriv et udsagn, deltageren vurderer fra 1 til 5).",
]

[[steps]]
kind = "reading"
id = "laesning"
title = "Læs"
text = """
## Overskrift

Skriv læsestoffet her i Markdown.
"""

[[steps]]
kind = "quiz"
id = "quiz"
title = "Quiz"
# Percentage of questions answered fully right needed to pass.
pass_mark = 80

[[steps.questions]]
text = "Skriv spørgsmålet her."

# Every option needs feedback: why it is right or wrong.
[[steps.questions.options]]
text = "Det rigtige svar"
correct = true
feedback = "Forklar, hvorfor det er rigtigt."

[[steps.questions.options]]
text = "Et forkert svar"
feedback = "Forklar, hvorfor det ikke holder."

[[steps]]
kind = "scenario"
id = "scenarie"
title = "En samtale"
situation = "Beskriv situationen: hvor er I, og hvem er personen?"

# A response leads to the following turn, or to the turn its next names
# (next = "end" ends the conversation); after the last turn it ends by itself.
[[steps.turns]]
id = "start"
speaker = "Navn"
says = "Hvad personen siger."

# quality is "best", "acceptable" or "poor"; principle names what is kept or broken.
[[steps.turns.responses]]
text = "Et svar, der lytter."
quality = "best"
principle = "Åbent spørgsmål"
feedback = "Forklar, hvorfor svaret hjælper."
next = "lytter"

[[steps.turns.responses]]
text = "Et svar, der giver råd."
quality = "poor"
principle = "Vejspærring: at give råd"
feedback = "Forklar, hvorfor svaret lukker samtalen."
next = "efter-raad"

[[steps.turns]]
id = "lytter"
speaker = "Navn"
says = "Hvad personen siger, når der bliver lyttet."

[[steps.turns.responses]]
text = "Et svar, der bliver ved med at lytte."
quality = "best"
principle = "Følelsesrefleksion"
feedback = "Forklar, hvorfor svaret hjælper."
next = "end"

[[steps.turns.responses]]
text = "Et svar, der skifter emne."
quality = "poor"
principle = "Vejspærring: at aflede"
feedback = "Forklar, hvorfor svaret lukker samtalen."
next = "end"

[[steps.turns]]
id = "efter-raad"
speaker = "Navn"
says = "Hvad personen siger efter et råd."

[[steps.turns.responses]]
text = "Et svar, der retter op."
quality = "best"
principle = "Reparere en vejspærring"
feedback = "Forklar, hvorfor svaret hjælper."

[[steps.turns.responses]]
text = "Et svar, der giver endnu et råd."
quality = "poor"
principle = "Vejspærring: at give råd"
feedback = "Forklar, hvorfor svaret lukker samtalen."

[[steps]]
kind = "reflection"
id = "refleksion"
title = "Refleksion"
prompt = "Skriv et spørgsmål, deltageren reflekterer privat over."
guidance = "Skriv gerne, hvad der kan hjælpe med at komme i gang."
min_words = 30

[[steps]]
kind = "practice"
id = "praksis"
title = "Øvelse"
assignment = "Beskriv en øvelse, deltageren laver væk fra skærmen, og logger bagefter."

[[sources]]
citation = "Forfatter (år): Titel."
'''


def _check_slug(value: str, what: str) -> None:
    if not re.fullmatch(SLUG_PATTERN, value):
        raise ScaffoldError(
            f'"{value}" is not a valid {what} id: use lowercase letters a-z, digits and '
            'single hyphens, e.g. "aktiv-lytning"'
        )


def _write_schemas(folder: Path) -> None:
    target = folder / SCHEMA_DIR
    target.mkdir(parents=True, exist_ok=True)
    for part, name in SCHEMA_FILES.items():
        text = json.dumps(json_schema(part), indent=2, ensure_ascii=False) + "\n"
        (target / name).write_text(text, encoding="utf-8")


def new_course(folder: Path, course_id: str | None = None, title: str | None = None) -> Path:
    """Write a new, valid course with one module into an empty or new folder.

    Returns:
        The path of the new ``course.toml``.

    Raises:
        ScaffoldError: when the folder has files already or an id is invalid.
    """
    if course_id is None:
        course_id = folder.resolve().name.lower()
        if not re.fullmatch(SLUG_PATTERN, course_id):
            raise ScaffoldError(
                f'the folder name "{folder.resolve().name}" is not a valid course id: give '
                f"one with --id, e.g. peerskole new course {_shell_word(str(folder))} "
                f"--id {_suggest_slug(folder.resolve().name)}"
            )
    _check_slug(course_id, "course")
    if folder.exists() and any(folder.iterdir()):
        raise ScaffoldError(f"{folder} is not empty: choose a new folder for the course")
    module_id = "introduktion"
    try:
        (folder / MODULES_DIR).mkdir(parents=True, exist_ok=True)
        _write_schemas(folder)
        manifest = folder / MANIFEST_NAME
        manifest.write_text(
            COURSE_TEMPLATE.format(
                schema_dir=SCHEMA_DIR,
                folder=folder,
                format_version=FORMAT_VERSION,
                course_id=course_id,
                title=_toml_text(title or "Nyt kursus"),
                module_id=module_id,
            ),
            encoding="utf-8",
        )
        _write_module(folder, module_id, "Introduktion", number=1)
    except OSError as error:
        raise ScaffoldError(f"cannot write to {folder}: {error.strerror}") from error
    return manifest


def new_module(folder: Path, module_id: str, title: str | None = None) -> tuple[Path, bool]:
    """Add a module file to a course and list it last in ``course.toml``.

    A module listed already but with no file (what ``validate`` reports, with this
    command as its hint) gets its file, and the list is left as it is.

    Returns:
        The path of the new module file, and whether the module was newly listed.

    Raises:
        ScaffoldError: when the course is missing, the id is taken or invalid.
    """
    import tomlkit

    _check_slug(module_id, "module")
    manifest_path = folder / MANIFEST_NAME
    if not manifest_path.is_file():
        raise ScaffoldError(
            f"{folder} has no {MANIFEST_NAME}: create a course first with "
            f"`peerskole new course {folder}`"
        )
    try:
        # newline="": a manifest written with CRLF line ends is written back with them.
        with manifest_path.open(encoding="utf-8", newline="") as stream:
            original = stream.read()
        document = tomlkit.parse(original)
    except (UnicodeDecodeError, tomlkit.exceptions.ParseError) as error:
        raise ScaffoldError(
            f"{manifest_path} cannot be read ({error}); run `peerskole validate {folder}`"
        ) from error
    modules = document.get("modules")
    if not isinstance(modules, list):
        raise ScaffoldError(f'{manifest_path} has no "modules" list; add modules = []')
    existing = sorted((folder / MODULES_DIR).glob("*.toml"))
    listed = module_id in modules
    if listed and module_id in _module_ids(existing):
        raise ScaffoldError(f'module "{module_id}" is already listed in {manifest_path} and '
                            f"has its file in {MODULES_DIR}/")
    newline = "\r\n" if "\r\n" in original else "\n"
    path = _write_module(folder, module_id, title or module_id.replace("-", " ").capitalize(),
                         number=len(existing) + 1, newline=newline)
    if not listed:  # listed already without a file: the file is what was missing
        modules.append(module_id)
        text = tomlkit.dumps(document)
        if newline == "\r\n":
            text = re.sub(r"(?<!\r)\n", "\r\n", text)
        with manifest_path.open("w", encoding="utf-8", newline="") as stream:
            stream.write(text)
    return path, not listed


def _module_ids(paths: list[Path]) -> set[str]:
    """The ids the module files hold (files that cannot be read hold none)."""
    import tomllib

    ids = set()
    for path in paths:
        try:
            value = tomllib.loads(path.read_text(encoding="utf-8")).get("id")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
            continue
        if isinstance(value, str):
            ids.add(value)
    return ids


def _suggest_slug(name: str) -> str:
    """A valid id made from a folder name: "Mit Kursus" → "mit-kursus"."""
    import unicodedata

    folded = name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    ascii_only = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-") or "mit-kursus"


def _shell_word(text: str) -> str:
    """A path as it would be typed in a shell."""
    import shlex

    return shlex.quote(text)


def _write_module(
    folder: Path, module_id: str, title: str, number: int, newline: str = "\n"
) -> Path:
    path = folder / MODULES_DIR / f"{number:02d}-{module_id}.toml"
    if path.exists():
        raise ScaffoldError(f"{path} exists already")
    path.parent.mkdir(parents=True, exist_ok=True)
    schema_dir = _manifest_schema_dir(folder)
    if schema_dir is None:
        schema_dir = SCHEMA_DIR
        if not (folder / SCHEMA_DIR).is_dir():
            _write_schemas(folder)
    path.write_text(
        MODULE_TEMPLATE.format(schema_dir=schema_dir, module_id=module_id, title=_toml_text(title)),
        encoding="utf-8", newline=newline,
    )
    return path


def _manifest_schema_dir(folder: Path) -> str | None:
    """The schema folder ``course.toml``'s ``#:schema`` line points to, relative to the course.

    A course that already names its schemas (the bundled ones point into the
    repository's ``schemas/``) gets modules that point to the same place.
    """
    try:
        with (folder / MANIFEST_NAME).open(encoding="utf-8") as manifest:
            first = manifest.readline().strip()
    except (OSError, UnicodeDecodeError):
        return None
    match = re.fullmatch(r"#:schema\s+(\S+)/course\.schema\.json", first)
    if match is None or "://" in match.group(1):
        return None
    return match.group(1)


def _toml_text(value: str) -> str:
    """Escape text for a basic TOML string."""
    return json.dumps(value, ensure_ascii=False)[1:-1]
