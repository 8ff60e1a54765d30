"""Whatever control characters a course puts in file names, keys and values, what
``peerskole validate`` prints holds none of them raw (plain and ``--json``)."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerskole.cli import main
from peerskole.safe_text import LINE_FORBIDDEN
from tests.conftest import SAMPLE_COURSE

HOSTILE_CHARACTERS = st.sampled_from(
    [chr(c) for c in range(0x20)] + [chr(c) for c in range(0x7F, 0xA0)]
    + ["\u200e", "\u200f", "\u2028", "\u2029", "\u202a", "\u202e", "\u2066", "\u2069"]
)
HOSTILE_TEXT = st.lists(
    st.one_of(HOSTILE_CHARACTERS, st.sampled_from(list("ab]0;[2J=.\"'\\ æ"))),
    min_size=1, max_size=12,
).map("".join)
FILE_NAME = HOSTILE_TEXT.map(lambda s: s.replace("/", "").replace("\x00", "") + ".toml")


def toml_string(text: str) -> str:
    """Text as a TOML basic string: JSON's escapes (\\uXXXX, \\n, \\") are TOML's too."""
    return json.dumps(text, ensure_ascii=True)


def run_validate(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        main(["validate", *args])
    return out.getvalue() + err.getvalue()


def raw_controls(output: str) -> list[str]:
    """Each character a terminal would act on, but line feed and tab."""
    return [f"U+{ord(c):04X}" for c in LINE_FORBIDDEN.findall(output) if c not in "\n\t"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(folder_name=HOSTILE_TEXT, file_name=FILE_NAME, key=HOSTILE_TEXT, value=HOSTILE_TEXT)
def test_no_control_character_reaches_the_terminal(
    folder_name: str, file_name: str, key: str, value: str
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / folder_name.replace("/", "").replace("\x00", "")
        if folder == Path(scratch) or folder.name in (".", ".."):
            folder = Path(scratch) / "course"
        shutil.copytree(SAMPLE_COURSE, folder)
        (folder / "modules" / file_name).write_text(
            f"id = {toml_string(value)}\ntitle = {toml_string(value)}\n"
            f"requires = [{toml_string(value)}]\n{toml_string(key)} = {toml_string(value)}\n",
            encoding="utf-8",
        )
        first = folder / "modules" / "01-first.toml"
        first.write_text(first.read_text(encoding="utf-8").replace(
            'id = "first"', f"id = {toml_string(value)}", 1), encoding="utf-8")
        for args in ((str(folder),), ("--json", str(folder))):
            output = run_validate(*args)
            assert raw_controls(output) == [], (args, output)
