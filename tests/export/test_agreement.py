"""The trainee's screen and every export agree, for any records (a property test).

The app's session decides what a trainee has done while she works; the exports
decide it again from the store for coordinators. Both must call the one rule in
``peerskole.progress``: over random step facts, times on task and completions
recorded by coordinators, what the live session reports, what a session reopened
later reports, and what the report, the CSV, the JSON and the xAPI statements
say are the same, module by module.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from peerskole.course.loader import load_course
from peerskole.course.model import Course
from peerskole.export.csv_export import write_csv
from peerskole.export.json_export import write_json
from peerskole.export.records import instant, learner_reports
from peerskole.export.xapi import XapiConfig, write_xapi
from peerskole.progress import CourseStatus
from peerskole.session import Session, WriteQueue
from peerskole.store.base import ManualCompletion, Store
from peerskole.store.sqlite import SQLiteStore
from tests.conftest import SAMPLE_COURSE


@cache
def sample_course() -> Course:
    return load_course(SAMPLE_COURSE)


def step_keys() -> list[tuple[str, str]]:
    return [(m.id, s.id) for m in sample_course().modules for s in m.steps]


FACTS = st.fixed_dictionaries({}, optional={
    # Every fact any step kind's done test reads, so each kind is sometimes done.
    "opened": st.booleans(),
    "read": st.booleans(),
    "score": st.floats(0, 100, allow_nan=False),
    "attempts": st.integers(0, 3),
    "turns_answered": st.integers(0, 3),
    "ended": st.booleans(),
    "words": st.integers(0, 20),
    "before": st.lists(st.integers(1, 5), min_size=2, max_size=2),
    "after": st.lists(st.integers(1, 5), min_size=2, max_size=2),
    "entries": st.integers(0, 2),
})


@dataclass(frozen=True)
class Work:
    """What a trainee did on one step: new facts, then time on task."""

    step: int
    facts: dict[str, Any]
    seconds: int


WORK = st.builds(Work, st.integers(0, len(step_keys()) - 1),
                 st.just({}) | FACTS, st.integers(0, 400))
"""A visit with no new facts yet (opened, nothing answered) is as likely as any facts."""
MARKS = st.lists(
    st.tuples(st.sampled_from(["first", "second"]),
              st.dates().map(lambda d: d.replace(year=2026).isoformat())),
    max_size=3,
)


@contextmanager
def running(queue: WriteQueue) -> Iterator[None]:
    thread = threading.Thread(target=queue.run, daemon=True)
    thread.start()
    try:
        yield
    finally:
        assert queue.flush(timeout=10)
        queue.close()
        thread.join(timeout=10)


def per_module(status: CourseStatus) -> dict[str, tuple[Any, ...]]:
    return {
        m.module_id: (m.status, m.complete, m.manual, m.done_steps, m.quiz_score,
                      m.completed_at, m.started_at)
        for m in status.modules
    }


def exported(store: Store, course: Course) -> dict[str, dict[str, tuple[Any, ...]]]:
    """What each export says of the one learner's modules."""
    [report] = list(learner_reports(store, [course]))
    says: dict[str, dict[str, tuple[Any, ...]]] = {
        "report": per_module(report.courses[0].status)
    }
    text = io.StringIO()
    write_csv(learner_reports(store, [course]), text)
    rows = [r for r in csv.DictReader(io.StringIO(text.getvalue())) if r["row_type"] == "module"]
    says["csv"] = {
        r["module_id"]: (r["module_status"], r["completed"] or None,
                         r["completed_manually"] == "yes",
                         float(r["quiz_score"]) if r["quiz_score"] else None)
        for r in rows
    }
    text = io.StringIO()
    write_json(learner_reports(store, [course]), text, courses=[course])
    [learner] = json.loads(text.getvalue())["learners"]
    says["json"] = {
        m["module_id"]: (m["module_status"], m["completed_manually"], m["steps_done"],
                         m["quiz_score"], m["completed"], m["started"])
        for m in learner["courses"][0]["modules"]
    }
    text = io.StringIO()
    write_xapi(learner_reports(store, [course]), text, XapiConfig())
    completed = {
        s["object"]["id"]: s["timestamp"]
        for s in map(json.loads, text.getvalue().splitlines())
        if s["verb"]["id"].endswith("/completed")
    }
    iri = XapiConfig().module_iri
    says["xapi"] = {m.id: (completed.get(iri(course.id, m.id)),) for m in course.modules}
    return says


def expected(status: CourseStatus, course: Course) -> dict[str, dict[str, tuple[Any, ...]]]:
    """The same, as the session's status says it should be."""
    modules = {m.module_id: m for m in status.modules}
    score = {k: (None if m.quiz_score is None else round(m.quiz_score, 1))
             for k, m in modules.items()}
    return {
        "report": per_module(status),
        "csv": {k: (m.status, m.completed_at, m.manual, score[k]) for k, m in modules.items()},
        "json": {k: (m.status, m.manual, m.done_steps, m.quiz_score, m.completed_at,
                     m.started_at) for k, m in modules.items()},
        "xapi": {
            k: (instant(m.completed_at).isoformat() if m.complete and m.completed_at else None,)
            for k, m in modules.items()
        },
    }


@contextmanager
def clock_ticking_a_minute_a_reading() -> Iterator[None]:
    """Every reading of the clock a minute after the last, so no two times agree by luck."""
    readings = itertools.count()

    def now() -> str:
        moment = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC) + dt.timedelta(minutes=next(readings))
        return moment.isoformat(timespec="seconds")

    with mock.patch("peerskole.store.base.now", now), mock.patch("peerskole.store.sql.now", now):
        yield


READ = step_keys().index(("second", "read"))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(work=st.lists(WORK, max_size=16), marks=MARKS)
# A step visited, then done later: its completion time is the later one.
@example(work=[Work(READ, {}, 10), Work(READ, {"opened": True, "read": True}, 10)], marks=[])
def test_the_session_and_every_export_say_the_same(work: list[Work], marks: list[Any]) -> None:
    course = sample_course()
    keys = step_keys()
    with tempfile.TemporaryDirectory() as folder, clock_ticking_a_minute_a_reading():
        store = SQLiteStore(Path(folder) / "p.sqlite3")
        try:
            learner = store.add_learner("Åse")
            store.add_manual_completions([
                ManualCompletion(learner.id, course.id, module_id, on, "på papir", "k",
                                 f"{on}T12:00:00+00:00")
                for module_id, on in marks
            ])
            queue = WriteQueue(store)
            live = Session(store, course, learner, queue)
            live.reload()
            with running(queue):
                for item in work:
                    module_id, step_id = keys[item.step % len(keys)]
                    module = course.module(module_id)
                    live.update(module, module.step(step_id), facts=item.facts,
                                add_seconds=item.seconds)
            reopened = Session(store, course, learner, WriteQueue(store))
            reopened.reload()
            says = exported(store, course)
        finally:
            store.close()
    # A session reopened from the store and every export: exactly the same.
    assert says == expected(reopened.status(), course)
    # And what the trainee saw while she worked is what was stored, times included.
    assert per_module(live.status()) == per_module(reopened.status())
