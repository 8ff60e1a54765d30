"""JSON Schemas of the course format, for editors (taplo, Even Better TOML)."""

from __future__ import annotations

from typing import Any, Final, Literal

from peerskole.course.model import CourseManifest, Module

SchemaPart = Literal["course", "module"]
SCHEMA_FILES: Final[dict[SchemaPart, str]] = {
    "course": "course.schema.json",
    "module": "module.schema.json",
}
"""File name of each part's schema."""
_DRAFT: Final = "http://json-schema.org/draft-07/schema#"


def json_schema(part: SchemaPart) -> dict[str, Any]:
    """The JSON Schema of ``course.toml`` ("course") or of a module file ("module").

    Field docstrings become descriptions. Steps are matched on ``kind`` with
    if/then rather than pydantic's discriminated ``oneOf``, so an editor can say
    which key of which step is wrong instead of "not valid under any schema".
    """
    model = CourseManifest if part == "course" else Module
    schema = model.model_json_schema()
    if part == "module":
        _steps_by_kind(schema)
    return {
        "$schema": _DRAFT,
        "$id": f"https://peerskole.invalid/schema/{SCHEMA_FILES[part]}",
        **schema,
    }


def _steps_by_kind(schema: dict[str, Any]) -> None:
    items = schema["properties"]["steps"]["items"]
    mapping: dict[str, str] = items["discriminator"]["mapping"]
    schema["properties"]["steps"]["items"] = {
        "type": "object",
        "required": ["kind"],
        "properties": {
            "kind": {
                "description": "The kind of step.",
                "enum": list(mapping),
            }
        },
        "allOf": [
            {
                "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                "then": {"$ref": ref},
            }
            for kind, ref in mapping.items()
        ],
    }
