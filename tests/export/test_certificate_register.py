"""Issued certificates are kept: verified and revoked by id, issued for a whole cohort.

The store's side runs on SQLite and PostgreSQL in tests/core/test_store.py; here the
commands, on the SQLite world and (verify) on a real PostgreSQL server.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from peerskole.store.sqlite import SQLiteStore
from tests.export.conftest import World, run_cli

ID = re.compile(r"\(id ([0-9a-f-]{36})\)")


def issue(world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str],
          learner: str | None = None, *extra: str) -> str:
    """Issue a certificate; return its id."""
    out = tmp_path / "bevis.pdf"
    assert run_cli("certificate", learner or world.done, "mini", "-o", str(out),
                   "--organisation", "Recovery-skolen", *extra) == 0
    found = ID.search(capsys.readouterr().err)
    assert found
    return found[1]


def test_issued_certificate_verifies_and_revokes(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("peerskole.commands.coordinator.recorded_by", lambda: "mette")
    certificate_id = issue(world, tmp_path, capsys)
    # The same completion, the same id (and issued again, no second row).
    assert issue(world, tmp_path, capsys) == certificate_id
    with world.db() as db:
        assert db.execute("SELECT count(*) FROM certificates").fetchone()[0] == 1

    assert run_cli("certificate", "verify", certificate_id) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"GENUINE: certificate {certificate_id}")
    for expected in ("Ærø Åse", world.done, "Minikursus (mini), version 1.0",
                     "by Recovery-skolen (recorded by mette)", "valid (not revoked)"):
        assert expected in said, expected
    # As printed on the badge too, and in capitals.
    assert run_cli("certificate", "verify", f"urn:uuid:{certificate_id.upper()}") == 0
    capsys.readouterr()

    assert run_cli("certificate", "revoke", certificate_id) == 1
    assert "--note" in capsys.readouterr().err
    monkeypatch.setattr("peerskole.commands.coordinator.recorded_by", lambda: "leder")
    assert run_cli("certificate", "revoke", certificate_id, "--note", "Udstedt ved en fejl") == 0
    assert "revoked by leder" in capsys.readouterr().out
    assert run_cli("certificate", "verify", certificate_id) == 1
    said = capsys.readouterr().out
    assert said.startswith("REVOKED:") and "by leder: Udstedt ved en fejl" in said
    assert run_cli("certificate", "revoke", certificate_id, "--note", "Igen") == 1
    assert "already revoked" in capsys.readouterr().err

    # Revoked stays revoked: the same completion is not issued again.
    out = tmp_path / "igen.pdf"
    assert run_cli("certificate", world.done, "mini", "-o", str(out),
                   "--organisation", "O") == 1
    err = capsys.readouterr().err
    assert "was revoked" in err and "Udstedt ved en fejl" in err
    assert not out.exists()


def test_unknown_and_malformed_ids(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("certificate", "verify", "0f3c1a52-3f0e-4a1e-9d55-5e0b8c2a7d11") == 1
    assert capsys.readouterr().out.startswith("NOT FOUND:")
    assert run_cli("certificate", "verify", "bevis-42") == 1
    assert "is not a certificate id" in capsys.readouterr().err
    assert run_cli("certificate", "revoke", "0f3c1a52-3f0e-4a1e-9d55-5e0b8c2a7d11",
                   "--note", "x") == 1
    assert "nothing was revoked" in capsys.readouterr().err


def test_erasure_takes_the_certificates_with_it(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    certificate_id = issue(world, tmp_path, capsys)
    assert run_cli("learner", "erase", world.done, "--yes") == 0
    assert "1 issued certificate" in capsys.readouterr().out
    assert run_cli("certificate", "verify", certificate_id) == 1
    assert "NOT FOUND" in capsys.readouterr().out


def test_statement_of_participation_is_recorded_as_such(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    statement = issue(world, tmp_path, capsys, world.manual, "--participation")
    assert run_cli("certificate", "verify", statement) == 0
    said = capsys.readouterr().out
    assert "statement of participation" in said and "(not a course certificate)" in said
    # Nothing completed, or everything: a sentence saying so.
    out = tmp_path / "x.pdf"
    assert run_cli("certificate", world.idle, "mini", "--participation", "-o", str(out),
                   "--organisation", "O") == 1
    assert "completed no module" in capsys.readouterr().err
    assert run_cli("certificate", world.done, "mini", "--participation", "-o", str(out),
                   "--organisation", "O") == 1
    assert "issue the course certificate instead" in capsys.readouterr().err
    assert run_cli("certificate", world.manual, "mini", "--participation",
                   "--format", "openbadge") == 2


def test_cohort_certificates(
    world: World, store: SQLiteStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "beviser"
    # Upper case names the same cohort; the one course known is taken.
    assert run_cli("certificate", "--cohort", "HOLD-1", "-o", str(folder),
                   "--organisation", "O") == 1
    out, err = capsys.readouterr()
    assert 'Cohort "hold-1", course mini: 1 of 4 learner(s) got a course certificate' in out
    files = sorted(p.name for p in folder.iterdir())
    assert files == [f"aeroe-aase-{world.done}.pdf"]
    lines = out.splitlines()
    assert any(line.split()[0] == "certificate" and world.done in line for line in lines)
    refused = next(line for line in lines if world.partial in line)
    assert refused.split()[:2] == ["not", "issued"]
    assert 'still to do: "Første modul", "Andet modul"' in refused
    assert "--participation" in err

    assert run_cli("certificate", "--cohort", "hold-1", "mini", "-o", str(folder),
                   "--organisation", "O", "--participation") == 1
    out = capsys.readouterr().out
    assert f"cai-{world.manual}-deltagelse.pdf" in {p.name for p in folder.iterdir()}
    assert any(line.split()[0] == "participation" and world.manual in line
               for line in out.splitlines())
    with sqlite3.connect(world.data_dir / "peerskole.sqlite3") as db:
        kinds = db.execute("SELECT kind, count(*) FROM certificates GROUP BY kind "
                           "ORDER BY kind").fetchall()
    assert kinds == [("certificate", 1), ("participation", 1)]

    # Names a file system could stumble on become plain, and the id keeps them apart.
    from peerskole.commands.coordinator import _file_stem

    stems = {_file_stem(store.learner(i)) for i in world.hostile.values()}
    assert len(stems) == len(world.hostile)
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", stem) for stem in stems), stems
    formula = world.hostile['=HYPERLINK("http://x","y")']
    assert f"hyperlink-http-x-y-{formula}" in stems
    same = store.add_learner("Ærø Åse", "hold-1")
    assert _file_stem(same) != _file_stem(store.learner(world.done))

    # Everyone completed: exit status 0.
    alone = store.add_learner("Eva Ørsted", "Hold-3")
    from peerskole.store.base import ManualCompletion

    store.add_manual_completions([
        ManualCompletion(alone.id, "mini", module, "2026-02-01", "På holdet", "k",
                         "2026-02-02T09:00:00+00:00") for module in ("first", "second")])
    assert run_cli("certificate", "--cohort", "hold-3", "-o", str(tmp_path / "h3"),
                   "--organisation", "O") == 0
    assert [p.name for p in (tmp_path / "h3").iterdir()] == [f"eva-oersted-{alone.id}.pdf"]
    capsys.readouterr()


def test_cohort_mistakes_are_said(world: World, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("certificate", "--cohort", "hold-9", "-o", str(tmp_path / "x"),
                   "--organisation", "O") == 1
    assert 'There are no learners in cohort "hold-9"' in capsys.readouterr().err
    assert run_cli("certificate", "--cohort", "hold-1") == 2
    assert "-o FOLDER" in capsys.readouterr().err
    afile = tmp_path / "a.pdf"
    afile.write_bytes(b"")
    assert run_cli("certificate", "--cohort", "hold-1", "-o", str(afile),
                   "--organisation", "O") == 1
    assert "is a file" in capsys.readouterr().err
    assert run_cli("certificate", world.done) == 2
    assert "name the learner and the course" in capsys.readouterr().err


def test_verify_against_postgres(postgres_schema_url: str, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from peerskole.store.base import StepUpdate
    from peerskole.store.postgres import PostgresStore

    store = PostgresStore(postgres_schema_url)
    learner = store.add_learner("Åse", "hold-pg")
    store.update_step(learner.id, "mini", "1.0", "second", "read",
                      StepUpdate(facts={"opened": True}, done=True))
    store.close()
    url = ["--database-url", postgres_schema_url]
    out = tmp_path / "pg.pdf"
    assert run_cli("certificate", learner.id, "mini", "--participation", "-o", str(out),
                   "--organisation", "O", *url) == 0
    found = ID.search(capsys.readouterr().err)
    assert found
    assert run_cli("certificate", "verify", found[1], *url) == 0
    assert "GENUINE" in capsys.readouterr().out
    assert run_cli("certificate", "revoke", found[1], "--note", "Fejl", *url) == 0
    assert run_cli("certificate", "verify", found[1], *url) == 1
    assert "REVOKED" in capsys.readouterr().out
