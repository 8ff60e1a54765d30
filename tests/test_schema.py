"""The JSON Schemas: current, documented, and understood by the real taplo."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Final

import pytest

from peerskole.course.schema import SCHEMA_FILES, SchemaPart, json_schema
from tests.conftest import BROKEN_COURSES, REPO_DIR

# The one installed with the test extras, next to this Python, even when .venv/bin
# is not on PATH.
TAPLO = shutil.which("taplo", path=str(Path(sys.executable).parent)) or shutil.which("taplo")


@pytest.mark.parametrize("part", ["course", "module"])
def test_shipped_schema_is_current(part: SchemaPart) -> None:
    shipped = json.loads((REPO_DIR / "schemas" / SCHEMA_FILES[part]).read_text(encoding="utf-8"))
    assert shipped == json_schema(part), (
        f"run: peerskole schema {part} -o schemas/{SCHEMA_FILES[part]}"
    )


def _descriptions(node: object) -> list[tuple[str, object]]:
    """(property name, description) for every property in a schema."""
    found: list[tuple[str, object]] = []
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            found.append((name, prop.get("description")))
        for key, value in node.items():
            if key != "if":  # conditions match on kind; they define no field
                found.extend(_descriptions(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_descriptions(value))
    return found


@pytest.mark.parametrize("part", ["course", "module"])
def test_every_field_has_a_description(part: SchemaPart) -> None:
    missing = [name for name, text in _descriptions(json_schema(part)) if not text]
    assert missing == []


def test_shipped_course_files_name_their_schema() -> None:
    for manifest in (REPO_DIR / "courses").glob("*/course.toml"):
        first = manifest.read_text(encoding="utf-8").splitlines()[0]
        assert first == "#:schema ../../schemas/course.schema.json", manifest
        for module in (manifest.parent / "modules").glob("*.toml"):
            first = module.read_text(encoding="utf-8").splitlines()[0]
            assert first == "#:schema ../../../schemas/module.schema.json", module


def taplo(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    assert TAPLO, "taplo is installed with the test extras"
    return subprocess.run([TAPLO, "check", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def test_taplo_accepts_the_shipped_courses() -> None:
    files = [str(p) for p in (REPO_DIR / "courses").rglob("*.toml")]
    assert files
    result = taplo(*files, cwd=REPO_DIR)
    assert result.returncode == 0, result.stderr


def test_taplo_reports_a_misspelt_key_in_a_broken_copy(tmp_path: Path) -> None:
    course = next((REPO_DIR / "courses").glob("*/course.toml")).parent
    copy = tmp_path / "courses" / course.name
    shutil.copytree(course, copy)
    shutil.copytree(REPO_DIR / "schemas", tmp_path / "schemas")
    module = sorted((copy / "modules").glob("*.toml"))[0]
    module.write_text(module.read_text(encoding="utf-8").replace("minutes =", "minuts =", 1),
                      encoding="utf-8")
    result = taplo(str(module), cwd=tmp_path)
    assert result.returncode != 0
    assert "'minuts' was unexpected" in result.stderr


def test_taplo_uses_the_repository_config_for_sample_courses() -> None:
    result = taplo(cwd=REPO_DIR)
    assert result.returncode == 0, result.stderr
    assert "found files" in result.stderr


SCHEMA_CASES: Final = (
    "empty-and-missing-fields", "invalid-ids", "misspelt-key", "quiz-option-without-feedback",
    "scenario-response-without-feedback", "step-without-kind", "text-for-numbers-and-flags",
    "unknown-step-kind", "wrong-types", "required-steps-empty",
    "programme-misspelt-key", "programme-out-of-range", "programme-without-classroom-hours",
    "programme-wrong-types",
)
"""Broken courses whose every problem is one of the schema's own (a type, a key, a
missing field): taplo, with the shipped schemas, refuses the same files. The other
cases are problems only the loader can see (an unknown module, a cycle, two ids)."""


def taplo_refuses(folder: Path) -> set[str]:
    """The files of a course that taplo refuses against the shipped schemas."""
    refused = set()
    for path in sorted(folder.rglob("*.toml")):
        part: SchemaPart = "course" if path.name == "course.toml" else "module"
        schema = (REPO_DIR / "schemas" / SCHEMA_FILES[part]).as_uri()
        result = taplo("--no-auto-config", "--colors", "never", "--schema", schema,
                       str(path), cwd=folder)
        if result.returncode != 0:
            refused.add(path.relative_to(folder).as_posix())
    return refused


@pytest.mark.parametrize(
    "case", sorted(p for p in BROKEN_COURSES.iterdir() if (p / "course.toml").is_file()),
    ids=lambda p: p.name,
)
def test_taplo_and_validate_agree_on_the_broken_corpus(case: Path) -> None:
    """taplo never refuses a file that validate accepts; on the schema's own cases they
    refuse the same files (so "40" minutes or correct = "yes" is refused by both)."""
    reported = {
        line.split(":", 1)[0]
        for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    }
    refused = taplo_refuses(case)
    assert refused <= reported
    if case.name in SCHEMA_CASES:
        assert refused == reported


@pytest.mark.parametrize("folder", sorted((REPO_DIR / "tests" / "sample-courses").iterdir()),
                         ids=lambda p: p.name)
def test_taplo_and_validate_accept_the_sample_courses(folder: Path) -> None:
    from peerskole.course.loader import check_course

    assert check_course(folder)[1] == []
    assert taplo_refuses(folder) == set()
