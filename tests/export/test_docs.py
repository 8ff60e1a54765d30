"""docs/exports.md documents every CSV column, and its JSON example has the real shape."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from peerskole.export.csv_export import COLUMNS, SHARED_REFLECTIONS_COLUMN
from tests.conftest import REPO_DIR
from tests.export.conftest import World, run_cli

DOC = REPO_DIR / "docs" / "exports.md"


def section(title: str) -> str:
    """The text of the docs' section ``## title``, up to the next."""
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", DOC.read_text("utf-8"),
                      re.S | re.M)
    assert found is not None, title
    return found.group(1)


def test_every_csv_column_is_a_row_of_the_table() -> None:
    rows = re.findall(r"^\| `(\w+)` \|", section("CSV"), re.M)
    assert rows == [*COLUMNS, SHARED_REFLECTIONS_COLUMN]


def shape(value: Any) -> Any:
    """The keys of every object, nested as in ``value``; a list as the union of its items.

    A value that is null in one place and an object in another counts as the object.
    """
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        merged: Any = "value"
        for item in value:
            merged = union(merged, shape(item))
        return [merged]
    return "value"


def union(a: Any, b: Any) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        return {key: union(a.get(key, "value"), b.get(key, "value")) for key in a | b}
    if isinstance(a, list) and isinstance(b, list):
        return [union(a[0], b[0])]
    return b if a == "value" else a


def test_the_json_example_has_the_shape_of_a_real_export(world: World, tmp_path: Path) -> None:
    example = re.search(r"<!-- json-example -->\n```json\n(.*?)```", DOC.read_text("utf-8"),
                        re.S)
    assert example is not None
    out = tmp_path / "out.json"
    assert run_cli("export", "--format", "json", "--course", "mini", "-o", str(out)) == 0
    real = json.loads(out.read_text(encoding="utf-8"))
    assert shape(json.loads(example.group(1))) == shape(real)
