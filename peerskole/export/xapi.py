"""xAPI 1.0.3 statements, one JSON object a line, for a Learning Record Store.

Who: the learner as a pseudonymous account (their id, never their name). What:
ADL verbs on the course, its modules and their steps as activities. When: the
time the record was made, with its time zone. Each statement's id is a UUID v5
of what it states, so the same record always yields the same id and sending an
export twice stores nothing twice.

Statements carry no private text: not a reflection (shared or not), not a
practice log. What is done is decided by :mod:`peerskole.progress`.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, TextIO

from peerskole import settings
from peerskole.course.kinds import step_kind
from peerskole.export.records import CourseReport, LearnerReport, instant
from peerskole.progress import attended_sessions, comparable_time, step_done

if TYPE_CHECKING:
    from peerskole.course.model import Course, Module, Step
    from peerskole.progress import ProgrammeFacts, StepRecord
    from peerskole.store.base import Store

XAPI_VERSION: Final = "1.0.3"
"""The xAPI version the statements follow (sent as ``X-Experience-API-Version`` too)."""
DEFAULT_BASE: Final = "https://peerskole.invalid"
"""Default account home page and activity IRI base (``.invalid`` never resolves)."""
HOMEPAGE_SETTING: Final = settings.XAPI_HOMEPAGE
"""Store setting (scope "") for the learners' account ``homePage``."""
ACTIVITY_BASE_SETTING: Final = settings.XAPI_ACTIVITY_BASE
"""Store setting (scope "") for the base of course, module and step activity IRIs."""
STATEMENT_NAMESPACE: Final = uuid.UUID("1e667805-6ac4-46eb-a8d6-5597e6b6d618")
"""UUID v5 namespace of statement ids. Never change it: ids would stop matching."""
VERB_BASE: Final = "http://adlnet.gov/expapi/verbs/"
"""ADL's verb vocabulary."""
ACTIVITY_TYPE_BASE: Final = "http://adlnet.gov/expapi/activities/"
"""ADL's activity type vocabulary."""
PROGRESS_EXTENSION: Final = "https://w3id.org/xapi/cmi5/result/extensions/progress"
"""cmi5's result extension for percent done (an integer 0-100)."""


@dataclass(frozen=True, slots=True)
class XapiConfig:
    """Where statements point: the learners' account home page and the activity IRIs.

    Kept as store settings rather than options, because changing either changes
    every statement: an LRS would see new learners and new activities.
    """

    homepage: str = DEFAULT_BASE
    activity_base: str = DEFAULT_BASE

    @classmethod
    def from_store(cls, store: Store) -> XapiConfig:
        """The configuration saved with ``peerskole settings set``, or the defaults."""
        homepage = store.setting("", HOMEPAGE_SETTING) or DEFAULT_BASE
        base = store.setting("", ACTIVITY_BASE_SETTING) or DEFAULT_BASE
        return cls(homepage.rstrip("/") or DEFAULT_BASE, base.rstrip("/") or DEFAULT_BASE)

    def course_iri(self, course_id: str) -> str:
        return f"{self.activity_base}/courses/{course_id}"

    def module_iri(self, course_id: str, module_id: str) -> str:
        return f"{self.course_iri(course_id)}/modules/{module_id}"

    def step_iri(self, course_id: str, module_id: str, step_id: str) -> str:
        return f"{self.module_iri(course_id, module_id)}/steps/{step_id}"

    def session_iri(self, course_id: str, session_id: int) -> str:
        return f"{self.course_iri(course_id)}/sessions/{session_id}"

    def praktik_iri(self, course_id: str, entry_id: str) -> str:
        return f"{self.course_iri(course_id)}/praktik/{entry_id}"

    @property
    def approved_extension(self) -> str:
        """Result extension: when a supervisor approved the praktik (ISO 8601)."""
        return f"{self.activity_base}/xapi/extensions/approved-at"

    @property
    def coordinator_extension(self) -> str:
        """Result extension marking a completion a coordinator recorded by hand."""
        return f"{self.activity_base}/xapi/extensions/recorded-by-coordinator"


def write_xapi(
    reports: Iterable[LearnerReport],
    stream: TextIO,
    config: XapiConfig,
    since: dt.datetime | None = None,
) -> int:
    """Write statements as JSON lines as the reports arrive; return statements written."""
    count = 0
    for statement in statements(reports, config, since):
        stream.write(json.dumps(statement, ensure_ascii=False, sort_keys=True))
        stream.write("\n")
        count += 1
    return count


def statements(
    reports: Iterable[LearnerReport],
    config: XapiConfig,
    since: dt.datetime | None = None,
) -> Iterator[dict[str, Any]]:
    """Every statement of every learner, one learner at a time.

    Args:
        reports: learners and their standing.
        config: the account home page and activity IRI base.
        since: only statements whose timestamp is at or after this time.
    """
    for report in reports:
        for course_report in report.courses:
            for statement in course_statements(report.learner.id, course_report, config):
                if since is None or instant(statement["timestamp"]) >= since:
                    yield statement


def course_statements(
    learner_id: str, report: CourseReport, config: XapiConfig
) -> Iterator[dict[str, Any]]:
    """The statements of one learner in one course: steps, then modules, then the course.

    Verbs: a done step is ``experienced`` or ``answered``; a tried quiz ``passed``
    or ``failed`` with its score; a complete module (or course) ``completed``; a
    begun one ``progressed`` with the percent of its required steps done; a classroom
    session attended (a course with a programme) ``attended``; praktik a supervisor
    approved ``completed`` (a performance, with its hours and when it was approved). The
    course is ``completed`` by the one completion rule: its modules and its programme.
    """
    course = report.course
    by_key = {(r.module_id, r.step_id): r for r in report.records}
    statement = _StatementMaker(learner_id, course, config)
    for module_report in report.modules:
        module, status = module_report.module, module_report.status
        for step in module.steps:
            record = by_key.get((module.id, step.id))
            if record is not None:
                yield from statement.for_step(module, step, record)
        if status.complete and status.completed_at:
            result: dict[str, Any] = {
                "completion": True,
                "duration": _duration(status.seconds),
            }
            if status.manual:
                result["extensions"] = {config.coordinator_extension: True}
            yield statement.make(
                "completed", statement.module_activity(module), status.completed_at,
                result, parent=statement.course_activity(), revision=status.version,
            )
        elif status.started_at and module_report.last_activity:
            percent = (
                100 * status.required_done // status.required_total
                if status.required_total else 0
            )
            yield statement.make(
                "progressed", statement.module_activity(module), module_report.last_activity,
                {"completion": False, "extensions": {PROGRESS_EXTENSION: percent}},
                parent=statement.course_activity(), detail=str(percent),
            )
    if report.programme is not None:
        yield from statement.for_attendance(report.programme)
        yield from statement.for_praktik(report.programme)
    completed_at = report.status.completed_at
    if report.status.complete and completed_at:
        yield statement.make(
            "completed", statement.course_activity(), completed_at,
            {"completion": True, "duration": _duration(report.status.seconds)},
            revision=report.status.completed_version,
        )


class _StatementMaker:
    """Builds one learner's statements in one course."""

    def __init__(self, learner_id: str, course: Course, config: XapiConfig) -> None:
        self.learner_id = learner_id
        self.course = course
        self.config = config
        self.actor = {
            "objectType": "Agent",
            "account": {"homePage": config.homepage, "name": learner_id},
        }
        self.language = course.manifest.language

    def course_activity(self) -> dict[str, Any]:
        return self._activity(self.config.course_iri(self.course.id), "course",
                              self.course.title)

    def module_activity(self, module: Module) -> dict[str, Any]:
        return self._activity(self.config.module_iri(self.course.id, module.id), "module",
                              module.title)

    def for_attendance(self, facts: ProgrammeFacts) -> Iterator[dict[str, Any]]:
        """``attended``, one per classroom session attended, with the minutes it counts as
        its duration (:func:`peerskole.progress.attended_sessions`), at the session's start
        (its local time in this computer's time zone)."""
        course = self.course_activity()
        for session, _, minutes in attended_sessions(facts.sessions, facts.marks,
                                                     facts.learner_id):
            start = dt.datetime.combine(dt.date.fromisoformat(session.held_on),
                                        dt.time.fromisoformat(session.starts_at)).astimezone()
            activity = self._activity(
                self.config.session_iri(self.course.id, session.id), "meeting", session.title)
            yield self.make("attended", activity, start.isoformat(),
                            {"completion": True, "duration": _duration(minutes * 60)},
                            parent=course, detail=str(minutes))

    def for_praktik(self, facts: ProgrammeFacts) -> Iterator[dict[str, Any]]:
        """``completed``, one per praktik entry whose latest decision is an approval (the
        entries the completion rule counts), dated on the day of the praktik, with its
        minutes as duration and the approval's time; never its place or what was done.
        An approval revoked later is not stated again (a record store keeps what it was
        sent)."""
        course = self.course_activity()
        for entry in facts.praktik.entries:
            activity = self._activity(self.config.praktik_iri(self.course.id, entry.entry_id),
                                      "performance", f"Praktik {entry.done_on}")
            yield self.make("completed", activity, comparable_time(entry.done_on),
                            {"completion": True, "success": True,
                             "duration": _duration(entry.minutes * 60),
                             "extensions": {self.config.approved_extension:
                                            instant(entry.approved_at).isoformat()}},
                            parent=course, detail=str(entry.minutes))

    def for_step(self, module: Module, step: Step, record: StepRecord) -> Iterator[dict[str, Any]]:
        kind = step_kind(step.kind)  # its verb and activity type; an unknown one fails
        activity = self._activity(
            self.config.step_iri(self.course.id, module.id, step.id),
            kind.xapi_activity, step.title,
        )
        parent = self.module_activity(module)
        done = step_done(step, record)
        if step.kind == "quiz":
            score = record.facts.get("score")
            if not isinstance(score, (int, float)) or isinstance(score, bool):
                return
            stamp = (record.completed_at if done else None) or record.started_at
            if not stamp:
                return
            raw = round(float(score), 2)
            yield self.make(
                kind.xapi_verb if done else "failed", activity, stamp,
                {
                    "score": {"scaled": round(raw / 100, 4), "raw": raw, "min": 0, "max": 100},
                    "success": done,
                    "completion": done,
                },
                parent=parent, detail=str(raw), revision=record.course_version,
            )
            return
        stamp = record.completed_at or record.started_at
        if done and stamp:
            yield self.make(kind.xapi_verb, activity, stamp,
                            {"completion": True}, parent=parent,
                            revision=record.course_version)

    def make(
        self,
        verb: str,
        activity: dict[str, Any],
        stamp: str,
        result: dict[str, Any],
        *,
        parent: dict[str, Any] | None = None,
        detail: str = "",
        revision: str | None = None,
    ) -> dict[str, Any]:
        """One statement; its id is a UUID v5 of learner, activity, verb, time, detail and
        the course version the work was done on (``revision``: the course's version now
        when None), so a statement made anew after a revision has an id of its own."""
        timestamp = instant(stamp).isoformat()
        revision = revision or self.course.version
        name = "\x1f".join(
            (self.config.homepage, self.learner_id, activity["id"], verb, timestamp, detail,
             revision)
        )
        context: dict[str, Any] = {
            "platform": "peerskole",
            "revision": revision,
            "language": self.language,
        }
        if parent is not None:
            activities: dict[str, Any] = {"parent": [{"id": parent["id"],
                                                      "objectType": "Activity"}]}
            course_iri = self.config.course_iri(self.course.id)
            if parent["id"] != course_iri:
                activities["grouping"] = [{"id": course_iri, "objectType": "Activity"}]
            context["contextActivities"] = activities
        return {
            "id": str(uuid.uuid5(STATEMENT_NAMESPACE, name)),
            "actor": self.actor,
            "verb": {"id": VERB_BASE + verb, "display": {"en-US": verb}},
            "object": activity,
            "result": result,
            "context": context,
            "timestamp": timestamp,
            "version": XAPI_VERSION,
        }

    def _activity(self, iri: str, kind: str, title: str) -> dict[str, Any]:
        return {
            "objectType": "Activity",
            "id": iri,
            "definition": {
                "type": ACTIVITY_TYPE_BASE + kind,
                "name": {self.language: title},
            },
        }


def _duration(seconds: int) -> str:
    """Seconds as an ISO 8601 duration, e.g. ``PT1H5M3S``."""
    hours, rest = divmod(max(seconds, 0), 3600)
    mins, secs = divmod(rest, 60)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if mins:
        text += f"{mins}M"
    if secs or text == "PT":
        text += f"{secs}S"
    return text
