"""TomlLocator finds where keys, tables and array elements start."""

from __future__ import annotations

import tomllib

from peerskole.course.locate import TomlLocator

DOC = '''\
# comment with [brackets] and = signs
title = "a # not a comment"
"quoted key" = 1
nested.dotted = 'x'
text = """
[[steps]]
not = "a table"
"""
list = [
  1,
  { a = 1, b = [2, 3] },
]

[[steps]]
id = "one"

[[steps.options]]
text = "first"

[[steps.options]]
text = "second"

[[steps]]
id = "two"

[[steps.options]]
text = "only"

[completion]
required = ["one"]
'''


def test_positions_of_every_construct() -> None:
    tomllib.loads(DOC)  # the locator assumes valid TOML
    at = TomlLocator(DOC).position
    assert at(["title"]) == (2, 1)
    assert at(["quoted key"]) == (3, 1)
    assert at(["nested", "dotted"]) == (4, 1)
    assert at(["text"]) == (5, 1)
    assert at(["list", 1]) == (11, 3)
    assert at(["list", 1, "b", 1]) == (11, 20)
    assert at(["steps"]) == (14, 1)
    assert at(["steps", 0, "id"]) == (15, 1)
    assert at(["steps", 0, "options", 1, "text"]) == (21, 1)
    assert at(["steps", 1]) == (23, 1)
    assert at(["steps", 1, "options", 0]) == (26, 1)
    assert at(["completion", "required", 0]) == (30, 13)


def test_unknown_paths_fall_back_to_the_deepest_known_part() -> None:
    at = TomlLocator(DOC).position
    assert at(["steps", 1, "missing"]) == (23, 1)
    assert at(["nothing"]) == (1, 1)
