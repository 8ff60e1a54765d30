"""Plain mode imports no textual, covers every step kind, prints nothing a terminal acts
on, and is chosen for a dumb terminal but never in a browser tab."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from peerskole.course.kinds import KINDS
from peerskole.i18n import Translator
from peerskole.plain import plain_wanted
from peerskole.plain.console import Console, plain_text
from peerskole.plain.steps import WALKS
from tests.conftest import REPO_DIR, SAMPLE_COURSE


@pytest.mark.parametrize(("argv", "term"), [(["--plain"], "xterm-256color"), ([], "dumb")])
def test_a_run_through_the_cli_loads_no_textual(
    data_dir: Path, argv: list[str], term: str
) -> None:
    """`peerskole --plain`, or `peerskole` on a dumb terminal, never imports textual."""
    code = (
        "import json, sys\n"
        "from peerskole.cli import main\n"
        f"status = main({[*argv, '--course', str(SAMPLE_COURSE)]!r})\n"
        "print(json.dumps({'status': status, 'modules': sorted(sys.modules)}))\n"
    )
    script = "1\nAnne\n\n\n3\n3\n\n\nafslut\n"
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_DRIVER"}
    env["TERM"] = term
    result = subprocess.run([sys.executable, "-c", code], input=script, capture_output=True,
                            text=True, cwd=REPO_DIR, check=True, timeout=120, env=env)
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["status"] == 0
    assert "Om at lytte" in result.stdout  # it did walk into the module
    loaded = set(report["modules"])
    assert "peerskole.plain.steps" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "rich")}
    assert not {m for m in loaded if m.startswith("peerskole.ui")}
    assert result.stderr == ""


def test_every_step_kind_has_a_walk() -> None:
    assert set(WALKS) == set(KINDS)


def test_control_characters_never_reach_the_terminal() -> None:
    out = io.StringIO()
    console = Console(Translator("da"), io.StringIO(), out)
    console.say("ryd\x1b[2J skærmen \x9b31m og \u202evendt\ttab\nny linje")
    console.markdown("**fed** [link](https://example.org) `kode`\x07")
    text = out.getvalue()
    assert not any(ch in text for ch in ("\x1b", "\x9b", "\u202e", "\x07"))
    assert "\ufffd[2J" in text
    assert "\ttab\nny linje" in text
    assert "fed link (https://example.org) kode" in text


def test_markdown_is_read_out_as_text() -> None:
    assert plain_text("# Overskrift\n\n> citat med *vægt*\n\n- punkt") == (
        "Overskrift\n\ncitat med vægt\n\n- punkt")


@pytest.mark.parametrize(
    ("asked", "term", "driver", "wanted"),
    [
        (True, "xterm-256color", None, True),
        (False, "dumb", None, True),
        (False, "xterm-256color", None, False),
        # A tab of `peerskole serve`: textual-serve names its web driver.
        (False, "dumb", "textual.drivers.web_driver:WebDriver", False),
    ],
)
def test_plain_mode_is_chosen_for_a_dumb_terminal_but_not_under_serve(
    monkeypatch: pytest.MonkeyPatch, asked: bool, term: str, driver: str | None,
    wanted: bool,
) -> None:
    monkeypatch.setenv("TERM", term)
    if driver is None:
        monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    else:
        monkeypatch.setenv("TEXTUAL_DRIVER", driver)
    assert plain_wanted(asked) is wanted
