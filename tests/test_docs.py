"""The examples in docs/course-format.md form a valid course with every step kind."""

from __future__ import annotations

import re
from pathlib import Path

from peerskole.course.kinds import STEP_KINDS
from peerskole.course.loader import load_course
from tests.conftest import REPO_DIR

EXAMPLE = re.compile(r"<!-- example: (\S+) -->\n```toml\n(.*?)```", re.S)


def test_format_doc_examples_are_a_valid_course_with_every_kind(tmp_path: Path) -> None:
    doc = (REPO_DIR / "docs" / "course-format.md").read_text(encoding="utf-8")
    files: dict[str, str] = {}
    for name, block in EXAMPLE.findall(doc):
        files[name] = files.get(name, "") + block + "\n"
    assert "course.toml" in files
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    course = load_course(tmp_path)
    kinds = {step.kind for module in course.modules for step in module.steps}
    assert kinds == set(STEP_KINDS)
    assert course.module("refleksion-og-praksis").requires == ["aktiv-lytning"]


def test_format_doc_documents_every_field() -> None:
    from peerskole.course.model import CourseManifest, Module

    doc = (REPO_DIR / "docs" / "course-format.md").read_text(encoding="utf-8")
    for model in (CourseManifest, Module):
        for name in model.model_fields:
            assert f"`{name}`" in doc or f"`[{name}]`" in doc or f"`[[{name}]]`" in doc, name
