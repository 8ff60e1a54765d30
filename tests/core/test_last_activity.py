"""A learner's last activity ("who is stuck"): the rule, the day count, and both stores."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest

from peerskole.course.loader import load_course
from peerskole.export.records import DaysSince, course_report, local_date
from peerskole.progress import StepRecord, last_activity, newest_time
from peerskole.store.base import ManualCompletion, StepUpdate
from peerskole.store.sql import SQLStore
from tests.conftest import SAMPLE_COURSE


def record(module: str, step: str, started: str, completed: str | None,
           updated: str | None) -> StepRecord:
    return StepRecord(module, step, "1.0", {}, started, completed, 0, updated)


def test_the_last_write_to_a_step_is_the_activity_not_its_start() -> None:
    # Begun on the 1st, tried again and again until the 20th, never passed: not stuck
    # since the 1st.
    records = [record("first", "quiz", "2026-03-01T09:00:00+00:00", None,
                      "2026-03-20T15:00:00+00:00"),
               record("first", "intro", "2026-03-01T08:00:00+00:00",
                      "2026-03-01T08:10:00+00:00", "2026-03-01T08:10:00+00:00")]
    assert last_activity(records) == {"first": "2026-03-20T15:00:00+00:00"}


def test_a_record_without_its_last_write_falls_back_to_its_start_and_completion() -> None:
    records = [record("first", "intro", "2026-03-01T08:00:00+00:00",
                      "2026-03-02T08:10:00+00:00", None),
               record("second", "read", "2026-03-03T08:00:00+00:00", None, None)]
    assert last_activity(records) == {"first": "2026-03-02T08:10:00+00:00",
                                      "second": "2026-03-03T08:00:00+00:00"}


def test_a_coordinators_date_counts_as_noon_utc() -> None:
    morning = [record("first", "intro", "2026-03-01T08:00:00+00:00", None,
                      "2026-03-01T11:59:59+00:00")]
    assert last_activity(morning, {"first": "2026-03-01"}) == {"first": "2026-03-01"}
    afternoon = [record("first", "intro", "2026-03-01T08:00:00+00:00", None,
                        "2026-03-01T12:00:01+00:00")]
    assert last_activity(afternoon, {"first": "2026-03-01"}) == {
        "first": "2026-03-01T12:00:01+00:00"}
    assert last_activity([], {"second": "2026-02-01"}) == {"second": "2026-02-01"}
    assert newest_time(["2026-03-01T11:00:00+00:00", "2026-03-01", None]) == "2026-03-01"
    assert newest_time([None]) is None


@pytest.fixture
def copenhagen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This computer's time zone is Danish (summer time from 29 March 2026)."""
    monkeypatch.setenv("TZ", "Europe/Copenhagen")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_days_since_counts_local_calendar_days(copenhagen: None) -> None:
    days = DaysSince(dt.date(2026, 3, 30))
    assert days("2026-03-29T22:00:00+00:00") == 0  # 00:00 on the 30th, summer time
    assert days("2026-03-29T21:59:59+00:00") == 1  # 23:59 on the 29th
    assert days("2026-03-28T23:00:00+00:00") == 1  # 00:00 on the 29th, winter time
    assert days("2026-03-28T22:59:59+00:00") == 2
    assert days("2026-03-01") == 29  # a coordinator's date is that date
    assert days("2024-01-01T12:00:00+00:00") == 819  # beyond the days kept at hand
    assert days("2026-04-02T10:00:00+00:00") == 0  # a clock ahead elsewhere: never below 0
    # The same as reading each time as a date, over every hour of more than a year.
    start = dt.datetime(2025, 2, 1, 0, 30, tzinfo=dt.UTC)
    for hour in range(0, 24 * 430, 7):
        stamp = (start + dt.timedelta(hours=hour)).isoformat(timespec="seconds")
        expected = (dt.date(2026, 3, 30) - dt.date.fromisoformat(local_date(stamp))).days
        assert days(stamp) == max(0, expected), stamp


def test_both_stores_keep_the_last_write_and_exports_read_it(store: SQLStore) -> None:
    course = load_course(SAMPLE_COURSE)
    learner = store.add_learner("Åse", "hold-1").id
    args = (learner, "mini", "1.0", "first")
    store.update_step(*args, "intro", StepUpdate(facts={"read": True}, done=True,
                                                 at="2026-03-01T09:00:00+00:00"))
    store.update_step(*args, "quiz", StepUpdate(facts={"score": 0.0, "attempts": 1},
                                                at="2026-03-02T09:00:00+00:00"))
    stored = store.update_step(*args, "quiz", StepUpdate(
        facts={"score": 0.0, "attempts": 2}, add_seconds=60, at="2026-03-09T16:00:00+00:00"))
    assert stored.started_at == "2026-03-02T09:00:00+00:00"
    assert stored.updated_at == "2026-03-09T16:00:00+00:00"
    store.add_manual_completions([ManualCompletion(
        learner, "mini", "second", "2026-03-05", "På holdet", "kirsten",
        "2026-03-06T09:00:00+00:00")])

    (progress,) = store.learner_progress(["mini"])
    records = progress.records["mini"]
    assert {r.step_id: r.updated_at for r in records} == {
        "intro": "2026-03-01T09:00:00+00:00", "quiz": "2026-03-09T16:00:00+00:00"}
    assert store.step_records(learner, "mini") == records
    report = course_report(course, records, progress.manual["mini"])
    assert [m.last_activity for m in report.modules] == ["2026-03-09T16:00:00+00:00",
                                                         "2026-03-05"]
    assert report.last_activity == "2026-03-09T16:00:00+00:00"
