"""The coordinator's commands as a coordinator meets them: help, lists, erasure, failures."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from peerskole.cli import main
from peerskole.store.base import DATABASE_NAME
from peerskole.store.opening import open_store
from peerskole.store.sqlite import SQLiteStore
from tests.conftest import BROKEN_COURSES, REPO_DIR, SAMPLE_COURSE
from tests.export.conftest import World, run_cli

COMMANDS = [
    ["learner"], ["learner", "add"], ["learner", "list"], ["learner", "erase"],
    ["learner", "rename"], ["learner", "move"], ["learner", "merge"], ["learner", "history"],
    ["cohort"], ["cohort", "list"], ["records"], ["records", "mark"], ["records", "import"],
    ["export"], ["certificate"], ["settings"], ["settings", "set"], ["settings", "get"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*args, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "example" in out
    assert "peerskole " in out.split("example", 1)[1]


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR), "PEERSKOLE_COURSES": str(SAMPLE_COURSE)}
    return subprocess.run([sys.executable, "-m", "peerskole", *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=60)


def test_learners_and_cohorts_from_the_command_line(isolated_paths: Path) -> None:
    added = run("learner", "add", "Åse Hansen", "--cohort", "hold-1")
    assert added.returncode == 0, added.stderr
    learner_id = added.stdout.strip()
    assert len(learner_id) == 12
    refused = run("learner", "add", "Bo\x1b[31m", "--cohort", "hold-2")
    assert refused.returncode == 1
    assert "The name holds a control character (U+001B)" in refused.stderr
    assert run("learner", "add", "Bo", "--cohort", "hold\u202e-2").returncode == 1
    # A name that reached the store another way is still listed harmlessly.
    store = open_store()
    store.add_learner("Bo\x1b[31m", "hold-2")
    store.add_learner("Cai\u202eevil", "hold-2")
    store.close()
    listed = run("learner", "list")
    assert learner_id in listed.stdout and "Åse Hansen" in listed.stdout
    assert "\x1b" not in listed.stdout and "Bo?[31m" in listed.stdout
    assert "\u202e" not in listed.stdout and "Cai?evil" in listed.stdout
    assert "Bo" not in run("learner", "list", "--cohort", "hold-1").stdout
    cohorts = run("cohort", "list").stdout.splitlines()
    assert cohorts[0].split() == ["COHORT", "LEARNERS"]
    assert cohorts[1].split() == ["hold-1", "1"] and cohorts[2].split() == ["hold-2", "2"]


def test_a_command_that_reads_makes_no_database_where_there_is_none(
    isolated_paths: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mistyped = tmp_path / "dat"
    for args in (["learner", "list"], ["cohort", "list"], ["export", "--course", "mini"],
                 ["settings", "get"], ["learner", "erase", "x", "--yes"],
                 ["records", "list"], ["certificate", "x", "mini", "-o", "x.pdf"],
                 ["learner", "rename", "x", "Åse"], ["learner", "move", "x", "--no-cohort"],
                 ["learner", "merge", "x", "y", "--yes"], ["learner", "history", "x"]):
        assert run_cli(*args, "--data-dir", str(mistyped)) == 1
        assert f"There is no peerskole database in {mistyped}." in capsys.readouterr().err
    assert not mistyped.exists()
    assert run_cli("learner", "add", "Åse", "--data-dir", str(mistyped)) == 0  # adding makes one
    assert (mistyped / "peerskole.sqlite3").exists()


def test_empty_lists_say_what_to_do(isolated_paths: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    open_store().close()
    assert run_cli("learner", "list") == 0
    assert "peerskole learner add" in capsys.readouterr().err
    assert run_cli("cohort", "list") == 0
    assert "--cohort CODE" in capsys.readouterr().err
    assert run_cli("learner", "add", "  ") == 1
    assert "needs a name" in capsys.readouterr().err


def test_a_name_longer_than_the_app_holds_is_refused_with_the_limit(
    isolated_paths: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("learner", "add", "Å" * 10_000) == 1
    assert "The name is 10000 characters long; the app holds at most 80." in (
        capsys.readouterr().err
    )
    assert run_cli("learner", "add", "Åse", "--cohort", "h" * 41) == 1
    assert "The cohort is 41 characters long; the app holds at most 40." in (
        capsys.readouterr().err
    )
    assert run_cli("learner", "add", "Å" * 80) == 0


def test_a_second_learner_of_the_same_name_in_a_cohort_needs_saying_so(
    isolated_paths: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("learner", "add", "Åse Hansen", "--cohort", "hold-1") == 0
    first = capsys.readouterr().out.strip()
    assert run_cli("learner", "add", "åse hansen", "--cohort", "hold-1") == 1
    err = capsys.readouterr().err
    assert f'There is already a learner named åse hansen in cohort "hold-1" ({first})' in err
    assert "--same-name" in err
    assert run_cli("learner", "add", "Åse Hansen", "--cohort", "hold-2") == 0  # another hold
    assert run_cli("learner", "add", "Åse Hansen", "--cohort", "hold-1", "--same-name") == 0
    capsys.readouterr()
    assert run_cli("learner", "list", "--cohort", "hold-1") == 0
    assert capsys.readouterr().out.count("Åse Hansen") == 2


def test_erase_asks_first_then_removes_everything(
    world: World, store: SQLiteStore, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("nej\n"))
    assert run_cli("learner", "erase", world.done) == 1
    assert "Nothing was erased" in capsys.readouterr().err
    assert store.learner(world.done)

    monkeypatch.setattr("sys.stdin", io.StringIO("Ærø Åse\n"))
    assert run_cli("learner", "erase", world.done) == 0
    out = capsys.readouterr().out
    assert "Type the learner's id or name to confirm" in out
    assert ("Erased Ærø Åse" in out and "7 step records" in out and "1 reflection," in out
            and "1 practice log entry" in out
            and "0 completions recorded by a coordinator," in out)
    assert store.learners("hold-1") and world.done not in {x.id for x in store.learners()}
    db = world.db()  # look at every table directly, not through the store
    for table in ("step_records", "reflections", "practice_entries", "positions",
                  "manual_completions"):
        count = db.execute(f"SELECT count(*) FROM {table} WHERE learner_id = ?",
                           (world.done,)).fetchone()[0]
        assert count == 0, table
    assert db.execute("SELECT count(*) FROM settings WHERE scope = ?",
                      (world.done,)).fetchone()[0] == 0
    db.close()


def test_erase_with_yes_and_by_id_in_a_script(world: World, isolated_paths: Path) -> None:
    result = run("learner", "erase", world.manual, "--yes")
    assert result.returncode == 0, result.stderr
    assert "1 completion recorded by a coordinator" in result.stdout
    assert run("learner", "erase", world.partial).returncode == 1  # no answer on stdin
    assert run("learner", "erase", world.partial, stdin=f"{world.partial}\n").returncode == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["learner", "erase", "nope", "--yes"],
         'There is no learner with id "nope" in {data}/peerskole.sqlite3. List'),
        (["certificate", "nope", "mini", "-o", "x.pdf"], 'There is no learner with id "nope"'),
        (["export", "--course", "nope"], 'There is no course with id "nope". Known courses:'),
        (["records", "import", "nope.csv"], "nope.csv does not exist"),
    ],
)
def test_unknown_ids_exit_1_with_a_sentence(
    isolated_paths: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    open_store().close()  # a database, without the learner or course asked for
    result = run(*args)
    assert result.returncode == 1
    assert message.format(data=isolated_paths) in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_dates_and_flag_mixes_exit_2(isolated_paths: Path) -> None:
    result = run("export", "--course", "mini", "--since", "3/13/2026")
    assert result.returncode == 2
    assert '"3/13/2026" is not a date; write it as 2026-03-01, 1.3.2026' in result.stderr
    for args, message in [
        (["--format", "json", "--excel"], "--excel is for --format csv"),
        (["--format", "csv", "--lrs", "http://127.0.0.1:9/xAPI"], "use it with --format xapi"),
    ]:
        result = run("export", "--course", "mini", *args)
        assert result.returncode == 2 and message in result.stderr


def test_a_broken_course_is_reported_not_exported(
    isolated_paths: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PEERSKOLE_COURSES", str(BROKEN_COURSES / "misspelt-key"))
    assert run_cli("export") == 1
    err = capsys.readouterr().err
    assert "misspelt-key/modules/a.toml:4:1: minuttes" in err and "peerskole validate" in err
    assert "Traceback" not in err


def test_a_damaged_database_is_a_sentence(isolated_paths: Path) -> None:
    isolated_paths.mkdir(parents=True)
    (isolated_paths / DATABASE_NAME).write_bytes(b"this is not a database" * 100)
    result = run("export", "--course", "mini")
    assert result.returncode == 1
    assert "is damaged or is not a peerskole database" in result.stderr
    assert "Traceback" not in result.stderr


def test_settings(isolated_paths: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("settings", "set", "organisation", "Recovery-skolen Ærø") == 0
    assert run_cli("settings", "get", "organisation") == 0
    assert "organisation = Recovery-skolen Ærø" in capsys.readouterr().out
    assert run_cli("settings", "get") == 0
    assert "xapi_homepage (not set)" in capsys.readouterr().out
    assert run_cli("settings", "set", "organisation", "") == 0
    assert run_cli("settings", "set", "theme", "dark") == 2  # not a coordinator setting


def test_progress_bar_only_on_a_terminal(world: World, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from peerskole.export.meter import ProgressMeter

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    shown = Terminal()
    meter = ProgressMeter(3, stream=shown)
    for _ in range(3):
        meter.advance()
    meter.close()
    assert "[##############################] 3/3 learners" in shown.getvalue()

    quiet = io.StringIO()
    meter = ProgressMeter(3, stream=quiet)
    meter.advance()
    meter.close()
    assert quiet.getvalue() == ""


def export_with_stderr_on(terminal: bool, out: Path | None) -> tuple[int, str]:
    """Run ``peerskole export`` in a subprocess with stderr a real pseudo-terminal or a pipe.

    Without ``out``, the CSV goes to standard output, on the same terminal.
    """
    import pty

    env = {**os.environ, "PYTHONPATH": str(REPO_DIR), "PEERSKOLE_COURSES": str(SAMPLE_COURSE)}
    command = [sys.executable, "-m", "peerskole", "export", "--course", "mini"]
    if out is not None:
        command += ["-o", str(out)]
    if not terminal:
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
        return result.returncode, result.stderr
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL if out else follower,
                               stderr=follower, env=env)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    return process.wait(timeout=60), seen.decode("utf-8", "replace")


def test_export_draws_a_progress_bar_on_a_terminal_only(world: World, tmp_path: Path) -> None:
    status, shown = export_with_stderr_on(True, tmp_path / "tty.csv")
    assert status == 0
    assert "\r[##############################] 10/10 learners" in shown
    assert "Wrote 30 row(s)" in shown
    assert (tmp_path / "tty.csv").read_bytes().count(b"\r\n") == 31  # header + 30 rows

    status, piped = export_with_stderr_on(False, tmp_path / "pipe.csv")
    assert status == 0
    assert "learners" not in piped and "[#" not in piped
    assert piped.strip() == f"Wrote 30 row(s) to {tmp_path / 'pipe.csv'}."


def test_no_progress_bar_over_an_export_printed_on_the_terminal(
    world: World, tmp_path: Path
) -> None:
    status, shown = export_with_stderr_on(True, None)
    assert status == 0
    assert "learner_id,learner_name" in shown and "Ærø Åse" in shown  # the CSV itself
    assert "learners" not in shown.replace("Wrote", "") and "[#" not in shown
