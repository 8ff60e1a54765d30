"""Running plain mode on scripted input, against a real SQLite store in tmp_path."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from peerskole.course.loader import check_course
from peerskole.course.model import Course
from peerskole.ordering import step_orders
from peerskole.plain.app import run_plain
from peerskole.store.base import Learner, Store
from peerskole.store.opening import open_store
from tests.conftest import SAMPLE_COURSE


@dataclass
class Run:
    """What a run of plain mode printed, and how it ended."""

    status: int
    output: str


def run(data_dir: Path, lines: Sequence[str], language: str | None = None,
        course: Path = SAMPLE_COURSE) -> Run:
    """Run plain mode with these lines as its input; the input then ends (as Ctrl+D)."""
    out = io.StringIO()
    script = io.StringIO("".join(f"{line}\n" for line in lines))
    status = run_plain(course, data_dir=data_dir, language=language, stdin=script, stdout=out)
    return Run(status, out.getvalue())


@pytest.fixture
def course() -> Course:
    loaded, problems = check_course(SAMPLE_COURSE)
    assert loaded is not None, problems
    return loaded


@pytest.fixture
def data_dir(isolated_paths: Path) -> Path:
    return isolated_paths


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    opened = open_store(data_dir)
    yield opened
    opened.close()


def shown_place(course: Course, learner: Learner, module_id: str, step_id: str,
                index: int, option: int) -> str:
    """The number plain mode shows an option (or response) under, for this learner."""
    module = course.module(module_id)
    orders = step_orders(module.step(step_id), learner.id, course.id, module.id)
    return str(orders[index].index(option) + 1)
