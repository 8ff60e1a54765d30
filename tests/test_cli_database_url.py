"""``--database-url`` and PEERSKOLE_DATABASE_URL: the commands on a real PostgreSQL server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from peerskole.cli import build_parser
from tests.conftest import REPO_DIR
from tests.postgres_server import PASSWORD, free_port

MODULE = "peer-stoette-recovery-haab"  # the bundled course's first module


def peerskole(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "peerskole", *args], cwd=REPO_DIR, capture_output=True,
        text=True, env={**os.environ, **(env or {})}, timeout=60,
    )


def test_commands_use_the_database_the_url_names(
    postgres_schema_url: str, isolated_paths: Path
) -> None:
    added = peerskole("--database-url", postgres_schema_url, "learner", "add", "Åse Hansen",
                      "--cohort", "hold-1")
    assert added.returncode == 0, added.stderr
    learner_id = added.stdout.split()[-1].strip(".")
    listed = peerskole("learner", "list", env={"PEERSKOLE_DATABASE_URL": postgres_schema_url})
    assert listed.returncode == 0, listed.stderr
    assert "Åse Hansen" in listed.stdout and learner_id in listed.stdout
    # Without either, the embedded SQLite store in the data folder: a different one,
    # which nobody made yet.
    local = peerskole("learner", "list")
    assert local.returncode == 1
    assert "There is no peerskole database in" in local.stderr
    assert "Åse Hansen" not in local.stdout
    assert not (isolated_paths / "peerskole.sqlite3").exists()


def test_an_unreachable_server_is_one_plain_line(isolated_paths: Path) -> None:
    port = free_port()
    result = peerskole("--database-url",
                       f"postgresql://peerskole:{PASSWORD}@127.0.0.1:{port}/peerskole",
                       "learner", "list")
    assert result.returncode == 1
    assert result.stderr.startswith("peerskole: peerskole cannot reach the PostgreSQL server "
                                    f"at 127.0.0.1:{port}.")
    assert "Traceback" not in result.stderr and PASSWORD not in result.stderr
    assert not isolated_paths.exists()  # no SQLite file made on the side


def test_serve_takes_the_url_too() -> None:
    args = build_parser().parse_args(["serve", "--database-url", "postgresql://db/peerskole"])
    assert args.database_url == "postgresql://db/peerskole"
    args = build_parser().parse_args(["--database-url", "postgresql://db/x", "serve"])
    assert args.database_url == "postgresql://db/x"  # given before 'serve', kept


def test_a_coordinator_records_and_exports_from_the_shared_database(
    postgres_schema_url: str,
) -> None:
    env = {"PEERSKOLE_DATABASE_URL": postgres_schema_url}
    added = peerskole("learner", "add", "Åse Hansen", "--cohort", "hold-1", env=env)
    learner_id = added.stdout.split()[-1]
    marked = peerskole("records", "mark", learner_id, "peer-grundforloeb", MODULE,
                       "--completed-on", "2026-03-01", "--note", "På papir", env=env)
    assert marked.returncode == 0, marked.stderr
    exported = peerskole("export", "--format", "csv", "--cohort", "hold-1", env=env)
    assert exported.returncode == 0, exported.stderr
    rows = [line for line in exported.stdout.splitlines() if learner_id in line]
    assert any(MODULE in row and "2026-03-01" in row for row in rows), exported.stdout


def test_the_data_folder_can_be_given_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from peerskole.cli import main
    from peerskole.store.sqlite import SQLiteStore

    elsewhere = tmp_path / "elsewhere"
    assert main(["learner", "add", "Åse", "--data-dir", str(elsewhere)]) == 0
    [learner] = SQLiteStore(elsewhere / "peerskole.sqlite3").learners()
    assert learner.display_name == "Åse"
    capsys.readouterr()
    for argv in (["--data-dir", str(elsewhere), "learner", "list"],
                 ["learner", "list", "--data-dir", str(elsewhere)]):
        assert main(argv) == 0
        assert learner.id in capsys.readouterr().out


@pytest.mark.parametrize("command", [["export"], ["certificate"], ["learner", "add"],
                                     ["records", "import"], ["settings", "get"]])
def test_every_store_command_says_it_takes_the_data_folder(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from peerskole.cli import main

    with pytest.raises(SystemExit):
        main([*command, "--help"])
    text = capsys.readouterr().out
    assert "--data-dir DIR" in text and "--database-url URL" in text
