"""``peerskole supervisor add`` and ``list`` as a coordinator meets them, on both backends."""

from __future__ import annotations

import getpass
import io
from pathlib import Path

import pytest

from peerskole.cli import main
from peerskole.praktik import find_supervisor, unlock_supervisor
from peerskole.store.sql import SQLStore
from tests.core.conftest import Backend

PASSPHRASE = "vejlederens lange kodeord"


@pytest.fixture(autouse=True)
def cli_finds(backend: Backend, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The command line opens this backend's database."""
    for name, value in backend.env.items():
        monkeypatch.setenv(name, value)


def cli(monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        return main(list(args))
    except SystemExit as exited:
        return int(exited.code or 0)


def test_a_coordinator_adds_and_lists_supervisors(
    store: SQLStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = iter([PASSPHRASE, PASSPHRASE])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(typed))
    assert cli(monkeypatch, "supervisor", "add", "Sif Vejleder") == 0
    out = capsys.readouterr().out
    assert "Sif Vejleder" in out and PASSPHRASE not in out
    made = find_supervisor(store, "sif vejleder")
    unlock_supervisor(store, made, PASSPHRASE)  # the passphrase typed opens it
    assert cli(monkeypatch, "supervisor", "list") == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[1].split("\t")[:2] == [made.id, "Sif Vejleder"]


def test_two_different_passphrases_add_nobody(
    store: SQLStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = iter([PASSPHRASE, "noget andet helt"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(typed))
    assert cli(monkeypatch, "supervisor", "add", "Sif") != 0
    assert "ikke ens" in capsys.readouterr().err
    assert store.supervisors() == []


def test_a_name_twice_and_a_short_passphrase_are_refused_in_words(
    store: SQLStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(monkeypatch, "supervisor", "add", "Sif", "--passphrase-stdin",
               stdin=PASSPHRASE + "\n") == 0
    capsys.readouterr()
    assert cli(monkeypatch, "supervisor", "add", "SIF", "--passphrase-stdin",
               stdin=PASSPHRASE + "\n") != 0
    assert "allerede en vejleder" in capsys.readouterr().err
    assert cli(monkeypatch, "supervisor", "add", "Bo", "--lang", "en", "--passphrase-stdin",
               stdin="kort\n") != 0
    assert "at least" in capsys.readouterr().err
    assert [s.name for s in store.supervisors()] == ["Sif"]


def test_the_view_without_supervisors_says_how_to_add_one(
    store: SQLStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(monkeypatch, "supervisor") != 0
    assert "peerskole supervisor add" in capsys.readouterr().err


@pytest.mark.parametrize("what", ["add", "list"])
def test_every_supervisor_command_has_help_with_an_example(
    what: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["supervisor", what, "--help"])
    assert exited.value.code == 0
    assert f"peerskole supervisor {what}" in capsys.readouterr().out
