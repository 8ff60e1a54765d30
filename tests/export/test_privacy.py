"""A trainee's private words reach no export; shared ones only where documented, when asked."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from peerskole.store.sqlite import SQLiteStore
from tests.conftest import import_or_unavailable
from tests.export.conftest import PRIVATE_MARKER, SHARED_MARKER, World, run_cli

pypdf = import_or_unavailable(
    "pypdf", "pypdf (the test extra) reads the PDF's text: pip install -e '.[test]'"
)


def every_output(world: World, tmp_path: Path, *extra: str) -> dict[str, str]:
    """Every export format of everyone, plus the certificate and badge of the one who finished."""
    outputs: dict[str, str] = {}
    for name, args in {
        "csv": ["--format", "csv"],
        "excel": ["--format", "csv", "--excel"],
        "json": ["--format", "json"],
        "xapi": ["--format", "xapi"],
    }.items():
        out = tmp_path / f"{name}{len(extra)}.out"
        assert run_cli("export", "--course", "mini", *args, *extra, "-o", str(out)) == 0
        outputs[name] = out.read_text(encoding="utf-8-sig")
    pdf = tmp_path / f"bevis{len(extra)}.pdf"
    assert run_cli("certificate", world.done, "mini", "-o", str(pdf), "--organisation", "O") == 0
    outputs["certificate"] = "\n".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
    outputs["certificate-bytes"] = pdf.read_bytes().decode("latin-1")
    badge = tmp_path / f"badge{len(extra)}.jwt"
    assert run_cli("certificate", world.done, "mini", "--format", "openbadge",
                   "--organisation", "O", "-o", str(badge)) == 0
    # A signed badge is base64url: what it states is read from its decoded parts.
    outputs["openbadge"] = "\n".join(
        base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("utf-8", "replace")
        for part in badge.read_text(encoding="ascii").strip().split(".")
    )
    return outputs


def test_private_reflections_and_practice_logs_reach_no_export(
    world: World, tmp_path: Path
) -> None:
    for name, text in every_output(world, tmp_path).items():
        assert PRIVATE_MARKER not in text, name
        assert "hemmelige" not in text, name
        assert SHARED_MARKER not in text, f"{name} holds a shared reflection it was not asked for"


def test_shared_reflections_only_when_asked_and_only_where_documented(
    world: World, tmp_path: Path
) -> None:
    outputs = every_output(world, tmp_path, "--include-shared-reflections")
    for name, text in outputs.items():
        assert PRIVATE_MARKER not in text, name
    assert SHARED_MARKER in outputs["csv"]
    assert SHARED_MARKER in outputs["excel"]
    assert SHARED_MARKER in outputs["json"]
    for name in ("xapi", "certificate", "certificate-bytes", "openbadge"):
        assert SHARED_MARKER not in outputs[name], name
    assert "shared_reflections" in outputs["csv"].splitlines()[0]


PRAKTIK_MARKER = "Jeg sad hos en beboer, der havde det svært efter indlæggelsen"
"""What a trainee did in praktik: private as practice text, in no export whatever it is
asked for, shown to the supervisor or not, approved or not."""


def test_praktik_text_reaches_no_export(
    world: World, store: SQLiteStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from peerskole.praktik import add_supervisor, decide, log_praktik, unlock_supervisor

    sif = add_supervisor(store, "Sif Vejleder", "vejlederens lange kodeord")
    key = unlock_supervisor(store, sif, "vejlederens lange kodeord")
    for learner, shown in ((world.done, True), (world.done, False), (world.partial, True)):
        entry = log_praktik(store, learner, None, "mini", done_on="2026-02-20", minutes=180,
                            place="Bostedet Lyngly", what=PRAKTIK_MARKER,
                            supervisor_id=sif.id, show_text=shown)
        decide(store, key, entry.id, "approved")
    assert store.approved_praktik_minutes("mini") == {world.done: 360, world.partial: 180}
    outputs = {**every_output(world, tmp_path),
               **{f"{k}+shared": v for k, v in every_output(
                   world, tmp_path, "--include-shared-reflections").items()}}
    for command in (["cohort", "show", "hold-1", "--course", "mini"],
                    ["report", "outcomes", "--course", "mini"],
                    ["learner", "list"], ["supervisor", "list"]):
        assert run_cli(*command) == 0, command
        captured = capsys.readouterr()
        outputs[" ".join(command)] = captured.out + captured.err
    for name, text in outputs.items():
        assert PRAKTIK_MARKER not in text, name
        assert "svært efter indlæggelsen" not in text, name
