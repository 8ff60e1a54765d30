"""The course format as frozen pydantic models.

A course is a folder: a manifest ``course.toml`` (:class:`CourseManifest`) and
one TOML file per module under ``modules/`` (:class:`Module`). The docstring
under every field becomes its description in the JSON Schema that instructors
see in their editor, so each one is written for an instructor.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

FORMAT_VERSION: Final = 1
"""The newest course format this version of peerskole reads."""

SLUG_PATTERN: Final = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
"""Ids are lowercase slugs: letters a-z, digits and single hyphens."""

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1)]
"""Text that must not be empty (Markdown where the field says so)."""


class _Strict(BaseModel):
    """Base for every course model: immutable, unknown keys rejected."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        # Strict: "40" is not a number of minutes and "yes" is not true. TOML has a
        # type for each, and the editor's schema check (taplo) refuses them too.
        strict=True,
        use_attribute_docstrings=True,
        hide_input_in_errors=True,
    )


# --- Manifest ---------------------------------------------------------------


class SupportContact(_Strict):
    """Someone a trainee can reach if the material stirs something up."""

    name: Text
    """Who or what this is, e.g. "Din underviser" or "Psykiatriens akuttelefon"."""
    phone: str | None = None
    """Phone number, written as it should be dialled."""
    email: str | None = None
    """E-mail address."""
    url: str | None = None
    """Web address with more information."""
    hours: str | None = None
    """When the contact can be reached, e.g. "Hverdage 9-15"."""
    note: str | None = None
    """One or two sentences on when to use this contact."""
    emergency: bool = False
    """Whether this is the number to call in acute danger (112): shown first, in view
    without scrolling, wherever the support contacts are shown."""


class Programme(_Strict):
    """What a trainee must attend away from the screen: classroom hours and praktik."""

    classroom_hours: int = Field(ge=1)
    """Hours of classroom teaching the programme plans, e.g. 78 (13 weeks of two 3-hour
    sessions)."""
    classroom_weeks: int | None = Field(default=None, ge=1)
    """Weeks the classroom teaching runs over, e.g. 13 (for the overview; not counted)."""
    min_attendance_percent: int = Field(default=100, ge=1, le=100)
    """Share of the classroom hours a trainee must attend, in per cent (1-100), e.g. 80:
    of the hours of the cohort's sessions not cancelled, never of fewer than
    classroom_hours; leave out to require every hour."""
    praktik_hours: int | None = Field(default=None, ge=1)
    """Hours of praktik (placement) a supervisor must approve; leave out for none."""
    praktik_weeks: int | None = Field(default=None, ge=1)
    """Weeks the praktik runs over, e.g. 13 (for the overview; not counted)."""
    followup_sessions: int = Field(default=0, ge=0)
    """Follow-up sessions (opfølgningsdage) during the praktik; 0 for none."""

    @property
    def required_classroom_minutes(self) -> int:
        """The least a trainee must attend: the share of the classroom hours, rounded up
        to a whole minute (more when the sessions held add up to more hours; see
        :func:`peerskole.progress.required_attendance`)."""
        return -(-self.classroom_hours * 60 * self.min_attendance_percent // 100)


class CourseManifest(_Strict):
    """``course.toml``: what the course is and the order of its modules."""

    format_version: int = Field(ge=1)
    """Version of the course format this course is written for (currently 1)."""
    id: Slug
    """Stable id of the course. Progress is kept under it: never change it once used."""
    title: Text
    """Title shown to trainees and on certificates."""
    version: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+){0,2}$")]
    """Version of the course content, e.g. "1.0" or "1.2.0"; raise it when content changes."""
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")]
    """Language of the content as a language tag, e.g. "da" or "en"."""
    description: Text
    """A short Markdown description shown on the course overview."""
    organisation: str | None = None
    """The organisation offering the course (shown on certificates)."""
    modules: list[Slug] = Field(min_length=1)
    """Module ids in the order trainees meet them; each names a file in modules/."""
    support: list[SupportContact] = Field(min_length=1)
    """Who a trainee can reach if the material stirs something up."""
    programme: Programme | None = None
    """The programme around the course: classroom hours, minimum attendance, praktik and
    follow-up sessions. Leave out for a course that is only the steps on screen."""


# --- Module parts -------------------------------------------------------------


class Source(_Strict):
    """A reference for facts a module teaches."""

    citation: Text
    """The reference as it would appear in a list, e.g. "Socialstyrelsen (2014): ...". """
    url: str | None = None
    """Where the source can be found, if it is online."""
    note: str | None = None
    """What the module takes from this source."""


class ModuleCompletion(_Strict):
    """When a module counts as complete."""

    required_steps: list[Slug] | None = Field(default=None, min_length=1)
    """Ids of the steps that must be done (at least one); leave out to require every step."""


class _StepBase(_Strict):
    id: Slug
    """Stable id of the step, unique in its module. Progress is kept under it."""
    formerly: list[Slug] = Field(default_factory=list)
    """Ids the step had before it was renamed: progress recorded under them counts for it."""
    title: Text
    """Short title shown in the module's list of steps."""
    content_note: Text | None = None
    """What the step touches on (e.g. "suicidtanker"), shown before the trainee starts it."""


class Reading(_StepBase):
    """Text to read."""

    kind: Literal["reading"]
    """The kind of step."""
    text: Text
    """The reading, in Markdown."""


class QuizOption(_Strict):
    """One answer option in a quiz question."""

    text: Text
    """The option as the trainee sees it."""
    correct: bool = False
    """Whether this option is right."""
    feedback: Text
    """Why this option is right or wrong, shown after answering."""


class QuizQuestion(_Strict):
    """One question in a quiz."""

    text: Text
    """The question, in Markdown."""
    multiple: bool = False
    """True when more than one option may be right and the trainee picks all that are."""
    options: list[QuizOption] = Field(min_length=2)
    """The answer options; each trainee sees them in an order of their own."""
    shuffle: StrictBool = True
    """False keeps the file order, where options refer to each other ("Alle ovenstående")."""


class Quiz(_StepBase):
    """Questions with feedback for every option, and a pass mark."""

    kind: Literal["quiz"]
    """The kind of step."""
    intro: str | None = None
    """Optional Markdown shown above the first question."""
    pass_mark: int = Field(default=80, ge=0, le=100)
    """Percentage of questions answered fully right needed to pass (0-100)."""
    questions: list[QuizQuestion] = Field(min_length=1)
    """The questions, in the order asked."""


Quality = Literal["best", "acceptable", "poor"]


class ScenarioResponse(_Strict):
    """A response the trainee can choose in a scenario turn."""

    text: Text
    """What the trainee would say or do."""
    quality: Quality
    """How well it serves the person: "best", "acceptable" or "poor"."""
    principle: Text
    """The listening or peer principle this response keeps or breaks."""
    feedback: Text
    """Why it helps or hinders, in Markdown."""
    reply: str | None = None
    """What the other person might say back (optional)."""
    next: Slug | None = None
    """The id of the turn this response leads to, or "end" to end the scenario; leave
    out to go on to the following turn (after the last turn the scenario ends)."""


class ScenarioTurn(_Strict):
    """One turn of a dialogue: someone speaks, the trainee chooses a response."""

    id: Slug | None = None
    """Id of the turn, unique in the scenario, for a response's ``next`` to name
    (needed only where a response leads here by ``next``; not "end")."""
    speaker: Text
    """Who is speaking, e.g. "Maja"."""
    says: Text
    """What they say."""
    responses: list[ScenarioResponse] = Field(min_length=2)
    """The responses to choose between; each trainee sees them in an order of their own."""
    shuffle: StrictBool = True
    """False keeps the file order, where responses refer to each other ("Begge dele")."""


class Scenario(_StepBase):
    """A dialogue situation with responses to choose and feedback on each."""

    kind: Literal["scenario"]
    """The kind of step."""
    situation: Text
    """The situation, in Markdown: where we are and who the person is."""
    turns: list[ScenarioTurn] = Field(min_length=1)
    """The turns of the dialogue, starting with the first; a response leads to the
    following turn unless its ``next`` names another turn or "end"."""


class Reflection(_StepBase):
    """A prompt for private writing."""

    kind: Literal["reflection"]
    """The kind of step."""
    prompt: Text
    """The question to reflect on, in Markdown."""
    guidance: str | None = None
    """Optional Markdown with help for getting started."""
    min_words: int = Field(default=0, ge=0)
    """Fewest words for the reflection to count as done (0: any text)."""


class SelfAssessment(_StepBase):
    """Statements rated 1-5 at the start and again at the end of the module."""

    kind: Literal["self_assessment"]
    """The kind of step."""
    intro: str | None = None
    """Optional Markdown shown above the statements."""
    statements: list[Text] = Field(min_length=1)
    """Statements the trainee rates from 1 (passer slet ikke) to 5 (passer helt)."""


BUILT_IN_LOG_FIELDS: Final = ("date", "duration", "what-happened", "what-i-noticed")
"""Log field ids the app has its own label for, in the trainee's language."""


class LogField(_Strict):
    """A field in a practice log entry."""

    id: Slug
    """Stable id of the field, unique in the step."""
    label: Text | None = None
    """The label the trainee sees. Leave out for a built-in field (date, duration,
    what-happened, what-i-noticed): the app labels it in the trainee's language."""
    type: Literal["date", "minutes", "text", "long_text"] = "text"
    """The kind of value: "date", "minutes", "text" (one line) or "long_text"."""
    required: bool = True
    """Whether an entry needs this field filled in."""


DEFAULT_LOG_FIELDS: Final = (
    LogField(id="date", type="date"),
    LogField(id="duration", type="minutes"),
    LogField(id="what-happened", type="long_text"),
    LogField(id="what-i-noticed", type="long_text"),
)
"""The log fields a practice step gets when it names none."""


class Practice(_StepBase):
    """An assignment done away from the screen, and a log of it."""

    kind: Literal["practice"]
    """The kind of step."""
    assignment: Text
    """The assignment, in Markdown."""
    log_fields: list[LogField] = Field(default_factory=lambda: list(DEFAULT_LOG_FIELDS))
    """Fields of a log entry; leave out for date, duration, what happened, what I noticed."""
    min_entries: int = Field(default=1, ge=0)
    """How many log entries make the step done."""


Step = Annotated[
    Reading | Quiz | Scenario | Reflection | SelfAssessment | Practice,
    Field(discriminator="kind"),
]
"""One class a kind of step; every kind is registered in :mod:`peerskole.course.kinds`."""


class Module(_Strict):
    """A module file in ``modules/``: goals, steps, completion rule and sources."""

    id: Slug
    """Stable id of the module. Progress is kept under it: to rename it, list the old id
    in ``formerly``."""
    formerly: list[Slug] = Field(default_factory=list)
    """Ids the module had before it was renamed: progress recorded under them counts for it."""
    title: Text
    """Title shown to trainees."""
    goals: list[Text] = Field(min_length=1)
    """Learning goals: what the trainee can do after the module."""
    minutes: int = Field(ge=1)
    """Estimated minutes to work through the module."""
    requires: list[Slug] = Field(default_factory=list)
    """Ids of modules that must be complete before this one opens."""
    completion: ModuleCompletion = Field(default_factory=ModuleCompletion)
    """Which steps must be done for the module to be complete."""
    steps: list[Step] = Field(min_length=1)
    """The steps, in order."""
    sources: list[Source] = Field(default_factory=list)
    """References for the facts this module teaches."""

    def step(self, step_id: str) -> Step:
        """Return the step with this id.

        Raises:
            KeyError: when the module has no such step.
        """
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    @property
    def required_step_ids(self) -> tuple[str, ...]:
        """Ids of the steps the completion rule requires, in step order."""
        wanted = self.completion.required_steps
        return tuple(s.id for s in self.steps if wanted is None or s.id in wanted)


class Course(BaseModel):
    """A loaded, checked course: the manifest and its modules in order."""

    model_config = ConfigDict(frozen=True)

    manifest: CourseManifest
    modules: tuple[Module, ...]
    folder: str
    """The folder the course was loaded from."""

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def title(self) -> str:
        return self.manifest.title

    @property
    def version(self) -> str:
        return self.manifest.version

    def module(self, module_id: str) -> Module:
        """Return the module with this id.

        Raises:
            KeyError: when the course has no such module.
        """
        for module in self.modules:
            if module.id == module_id:
                return module
        raise KeyError(module_id)
