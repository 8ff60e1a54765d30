"""The JSON Schemas: current, documented, and understood by the real taplo."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from peerskole.course.schema import SCHEMA_FILES, json_schema
from tests.conftest import REPO_DIR

# The one installed with the test extras, next to this Python, even when .venv/bin
# is not on PATH.
TAPLO = shutil.which("taplo", path=str(Path(sys.executable).parent)) or shutil.which("taplo")


@pytest.mark.parametrize("part", ["course", "module"])
def test_shipped_schema_is_current(part: str) -> None:
    shipped = json.loads((REPO_DIR / "schemas" / SCHEMA_FILES[part]).read_text(encoding="utf-8"))
    assert shipped == json_schema(part), (  # type: ignore[arg-type]
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
def test_every_field_has_a_description(part: str) -> None:
    missing = [name for name, text in _descriptions(json_schema(part)) if not text]  # type: ignore[arg-type]
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
