"""Whatever is on disk, the loader answers with problems, never a traceback."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerskole.course.loader import check_course, load_course
from peerskole.course.problems import CourseError
from tests.conftest import SAMPLE_COURSE

FIELD_NAMES = [
    "id", "title", "kind", "steps", "questions", "options", "text", "correct", "feedback",
    "turns", "responses", "quality", "principle", "speaker", "says", "requires", "modules",
    "minutes", "goals", "format_version", "support", "statements", "log_fields",
    "completion", "required_steps", "pass_mark", "multiple", "name", "situation", "shuffle",
    "next", "formerly",
]

scalars = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["reading", "quiz", "scenario", "best", "poor", "first", "second",
                     "end", "start", "opens-up", "closes-down", "repair"]),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True),
    st.booleans(),
    st.dates(),
    st.datetimes(timezones=st.just(dt.timezone.utc)),
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(min_size=1, max_size=10))
toml_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(keys, inner, max_size=5),
    ),
    max_leaves=25,
)
documents = st.dictionaries(keys, toml_values, max_size=8)

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


BRANCHING_COURSE = SAMPLE_COURSE.parent / "branching"
"""A course whose scenario branches (turn ids, next, loops)."""


@contextmanager
def course_copy(source: Path = SAMPLE_COURSE) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "c"
        shutil.copytree(source, folder)
        yield folder


def assert_only_problems(folder: Path) -> None:
    course, problems = check_course(folder)
    assert (course is None) == bool(problems)
    for problem in problems:
        assert problem.line >= 1 and problem.column >= 1
        assert problem.message
    try:
        load_course(folder)
    except CourseError as error:
        assert error.problems
        assert error.report()


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes_as_module_file(data: bytes) -> None:
    with course_copy() as folder:
        (folder / "modules" / "01-first.toml").write_bytes(data)
        assert_only_problems(folder)


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes_as_manifest(data: bytes) -> None:
    with course_copy() as folder:
        (folder / "course.toml").write_bytes(data)
        assert_only_problems(folder)


@FUZZ
@given(documents, documents)
def test_arbitrary_toml_documents(module: dict[str, Any], manifest: dict[str, Any]) -> None:
    with course_copy() as folder:
        (folder / "modules" / "01-first.toml").write_text(tomli_w.dumps(module))
        (folder / "course.toml").write_text(tomli_w.dumps(manifest))
        assert_only_problems(folder)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(inner, (*prefix, index))


SAMPLE_MODULE = tomllib.loads(
    (SAMPLE_COURSE / "modules" / "01-first.toml").read_text(encoding="utf-8")
)
MODULE_PATHS = [p for p in _paths(SAMPLE_MODULE) if p]
BRANCHING_MODULE = tomllib.loads(
    (BRANCHING_COURSE / "modules" / "01-talk.toml").read_text(encoding="utf-8")
)
BRANCHING_PATHS = [p for p in _paths(BRANCHING_MODULE) if p]


@FUZZ
@given(
    st.lists(
        st.tuples(st.sampled_from(MODULE_PATHS), st.one_of(st.none(), toml_values)),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_valid_module(edits: list[tuple[tuple[Any, ...], Any]]) -> None:
    """Nearly valid files are the common case: delete or replace parts of a real one."""
    _mutate_and_check(SAMPLE_COURSE, "01-first.toml", SAMPLE_MODULE, edits)


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.sampled_from(BRANCHING_PATHS),
            st.one_of(st.none(), st.sampled_from(["end", "start", "repair", "nowhere"]),
                      toml_values),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_branching_module(edits: list[tuple[tuple[Any, ...], Any]]) -> None:
    """A branching scenario with its ids and nexts changed, removed or pointed elsewhere:
    problems (unreachable turns, loops without a way out, unknown turns), never a crash."""
    _mutate_and_check(BRANCHING_COURSE, "01-talk.toml", BRANCHING_MODULE, edits)


def _mutate_and_check(
    source: Path, name: str, module: dict[str, Any], edits: list[tuple[tuple[Any, ...], Any]]
) -> None:
    import copy

    data = copy.deepcopy(module)
    for path, value in edits:
        parent: Any = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            if value is None:
                del parent[path[-1]]
            else:
                parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit removed this path
    with course_copy(source) as folder:
        (folder / "modules" / name).write_text(tomli_w.dumps(data))
        assert_only_problems(folder)


def test_deeply_nested_arrays_are_a_problem_not_a_crash(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    shutil.copytree(SAMPLE_COURSE, folder)
    (folder / "modules" / "01-first.toml").write_text("x = " + "[" * 5000 + "]" * 5000)
    course, problems = check_course(folder)
    assert course is None
    assert problems


def test_an_unreadable_module_file_reports_only_itself(tmp_path: Path) -> None:
    """Ids in a file that cannot be parsed are unknown, not missing."""
    folder = tmp_path / "c"
    shutil.copytree(SAMPLE_COURSE, folder)
    (folder / "modules" / "01-first.toml").write_bytes(b"id = \xff")
    course, problems = check_course(folder)
    assert course is None
    assert [p.file.name for p in problems] == ["01-first.toml"]
