"""``learner rename``, ``move``, ``merge`` and ``history`` as a coordinator meets them."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from peerskole.export.records import course_report
from peerskole.store.base import StepUpdate
from peerskole.store.sqlite import SQLiteStore
from tests.conftest import REPO_DIR
from tests.export.conftest import PRIVATE_MARKER, SHARED_MARKER, World, run_cli


def test_rename_and_move_check_as_add_does_and_keep_history(
    world: World, store: SQLiteStore, capsys: pytest.CaptureFixture[str]
) -> None:
    before = store.step_records(world.done, "mini")
    assert run_cli("learner", "rename", world.done, "Å" * 81) == 1
    assert ("The name is 81 characters long; the app holds at most 80. Shorten it and rename "
            "the learner again.") in capsys.readouterr().err
    assert run_cli("learner", "rename", world.done, "Ærø\x1b[2J") == 1
    err = capsys.readouterr().err
    assert "The name holds a control character (U+001B)" in err and "\x1b" not in err
    # Bo Ibsen is in hold-1 too: the same name there asks for --same-name.
    assert run_cli("learner", "rename", world.done, "bo ibsen") == 1
    assert (f'There is already a learner named bo ibsen in cohort "hold-1" ({world.partial}).'
            in capsys.readouterr().err)
    assert run_cli("learner", "rename", world.done, "Ærø Åse Hansen") == 0
    assert "Ærø Åse → Ærø Åse Hansen" in capsys.readouterr().out

    assert run_cli("learner", "move", world.done) == 1
    assert "--cohort CODE, or --no-cohort" in capsys.readouterr().err
    assert run_cli("learner", "move", world.done, "--cohort", "h" * 41) == 1
    assert "The cohort is 41 characters long" in capsys.readouterr().err
    assert run_cli("learner", "move", world.done, "--cohort", "HOLD-9") == 0
    assert 'Moved Ærø Åse Hansen' in capsys.readouterr().out
    assert store.learner(world.done).cohort == "hold-9"
    assert run_cli("learner", "move", world.done, "--no-cohort") == 0
    capsys.readouterr()
    assert store.learner(world.done).cohort is None
    assert store.step_records(world.done, "mini") == before  # progress untouched

    assert run_cli("learner", "history", world.done) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert rows[0] == ["WHEN", "BY", "CHANGE", "FROM", "TO", "DETAIL"]
    assert [r[2:5] for r in rows[1:]] == [["rename", "Ærø Åse", "Ærø Åse Hansen"],
                                          ["move", "hold-1", "hold-9"], ["move", "hold-9", ""]]
    assert run_cli("learner", "history", world.idle) == 0
    assert "has not been renamed, moved or merged" in capsys.readouterr().err


def test_merge_asks_first_refuses_two_reflections_then_joins_them(
    world: World, store: SQLiteStore, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Bo Ibsen (partial) is another profile of Ærø Åse (done): both wrote on own-experience.
    monkeypatch.setattr("sys.stdin", io.StringIO("nej\n"))
    assert run_cli("learner", "merge", world.done, world.partial) == 1
    captured = capsys.readouterr()
    assert f"Type the id of the profile that goes ({world.partial}) to confirm" in captured.out
    assert "Nothing was merged." in captured.err
    assert run_cli("learner", "merge", world.done, world.partial, "--yes") == 1
    assert ("Both profiles have a reflection on mini/first/own-experience. Nothing was merged. "
            "Run it again with --join-reflections") in capsys.readouterr().err
    assert store.learner(world.partial)  # nothing changed
    assert run_cli("learner", "merge", world.done, world.done, "--yes") == 1
    assert "KEEP and OTHER are the same profile" in capsys.readouterr().err

    monkeypatch.setattr("sys.stdin", io.StringIO(f"{world.partial}\n"))
    assert run_cli("learner", "merge", world.done, world.partial, "--join-reflections") == 0
    out = capsys.readouterr().out
    assert f"The profile {world.partial} no longer exists; {world.done} holds it all." in out
    assert "reflections joined on mini/first/own-experience" in out
    assert world.partial not in {x.id for x in store.learners()}
    text = store.reflection(world.done, "mini", "first", "own-experience")
    assert text is not None
    assert text.text.startswith(PRIVATE_MARKER) and text.text.endswith(SHARED_MARKER)
    assert f"——— Fra profilen {world.partial}, skrevet " in text.text
    assert not text.shared  # Ærø's was private: joining never makes it readable
    quiz = {r.step_id: r for r in store.step_records(world.done, "mini")}["quiz"]
    assert quiz.facts["attempts"] == 3 and quiz.facts["score"] == 100.0
    assert run_cli("learner", "history", world.done) == 0
    assert f"merge\t{world.partial}\t{world.done}\tname: Bo Ibsen; cohort: hold-1" in (
        capsys.readouterr().out)


def test_merge_completes_in_every_export_what_two_profiles_each_began(
    world: World, store: SQLiteStore, capsys: pytest.CaptureFixture[str]
) -> None:
    # Dorte (idle) read the second module's only step in another profile.
    other = store.add_learner("Dorte", "hold-2").id
    store.update_step(other, "mini", "1.0", "second", "read",
                      StepUpdate(facts={"read": True}, done=True))
    before = course_report(world.course, store.step_records(world.idle, "mini"), [])
    assert not before.status.module("second").complete
    assert run_cli("learner", "merge", world.idle, other, "--yes") == 0
    capsys.readouterr()
    after = course_report(world.course, store.step_records(world.idle, "mini"), [])
    assert after.status.module("second").complete
    assert run_cli("export", "--format", "csv", "--cohort", "hold-1") == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if world.idle in line]
    assert any(",second," in row and "completed" in row for row in rows), rows


def test_merge_refuses_text_sealed_under_a_passphrase(
    world: World, store: SQLiteStore, capsys: pytest.CaptureFixture[str]
) -> None:
    from peerskole.privacy import new_key, rekey

    other = store.add_learner("Åse", "hold-1").id
    store.add_practice_entry(other, "mini", "first", "practice-talk", {"what": "privat"})
    rekey(store, other, None, new_key(other, "lang hemmelig frase"))
    assert run_cli("learner", "merge", world.idle, other, "--yes") == 1
    err = capsys.readouterr().err
    assert (f"Åse ({other}, cohort \"hold-1\") keeps its reflections and practice logs sealed "
            "with its own passphrase") in err
    assert f"Ask the learner to open {other} in the app and remove its passphrase" in err
    assert store.practice_entries(other, "mini", "first", "practice-talk")  # still there

    # Readable text into a profile with a passphrase would sit there unsealed: refused too.
    keep = store.add_learner("Bo", "hold-3").id
    plain = store.add_learner("Bo", "hold-3").id
    store.save_reflection(plain, "mini", "first", "own-experience", "tekst", shared=False)
    rekey(store, keep, None, new_key(keep, "en anden lang frase"))
    assert run_cli("learner", "merge", keep, plain, "--yes") == 1
    assert "has a passphrase, and the reflections and practice logs of" in (
        capsys.readouterr().err)
    # Without private text to move, a passphrase is no obstacle (and stays KEEP's own).
    empty = store.add_learner("Bo", "hold-3").id
    assert run_cli("learner", "merge", keep, empty, "--yes") == 0


def test_merge_on_postgresql_with_the_url_after_the_command(
    postgres_schema_url: str, isolated_paths: Path
) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR)}

    def peerskole(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "peerskole", *args], capture_output=True,
                              text=True, env=env, timeout=60)

    ids = []
    for cohort in ("hold-1", "hold-2"):
        added = peerskole("learner", "add", "Åse", "--cohort", cohort,
                          "--database-url", postgres_schema_url)
        assert added.returncode == 0, added.stderr
        ids.append(added.stdout.strip())
    merged = peerskole("learner", "merge", *ids, "--yes", "--database-url", postgres_schema_url)
    assert merged.returncode == 0, merged.stderr
    assert f"The profile {ids[1]} no longer exists" in merged.stdout
    history = peerskole("learner", "history", ids[0], "--database-url", postgres_schema_url)
    assert f"merge\t{ids[1]}\t{ids[0]}" in history.stdout
    assert not (isolated_paths / "peerskole.sqlite3").exists()
