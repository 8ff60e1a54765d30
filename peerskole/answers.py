"""What a trainee's answers on a step mean, for every front end (the app and plain mode).

Saved step state comes back from JSON and maybe from an earlier version of the course;
these functions read it back as far as it still fits. Typed practice-log entries are
checked here, and log fields get their labels here, so the terminal app and plain mode
say the same. No UI toolkit is imported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final

from peerskole.i18n import Translator, parse_date

if TYPE_CHECKING:
    from peerskole.course.model import LogField, Quality, Quiz

# --- quiz ----------------------------------------------------------------------------


def normalised_answers(quiz: Quiz, raw: object) -> dict[int, list[int]]:
    """The saved answers that still fit the quiz: question index → chosen option indexes.

    Saved state comes from JSON and from an earlier version of the course, so
    anything that no longer fits (a removed question or option) is left out.

    Args:
        quiz: the quiz step.
        raw: ``state["answers"]`` as saved: question index as a string → list of ints.
    """
    answers: dict[int, list[int]] = {}
    if not isinstance(raw, Mapping):
        return answers
    for key, chosen in raw.items():
        try:
            index = int(key)
        except (TypeError, ValueError):
            continue
        if not 0 <= index < len(quiz.questions) or not isinstance(chosen, list):
            continue
        question = quiz.questions[index]
        picked = sorted({
            c for c in chosen
            if isinstance(c, int) and not isinstance(c, bool) and 0 <= c < len(question.options)
        })
        if not question.multiple:
            picked = picked[:1]
        if picked:
            answers[index] = picked
    return answers


def quiz_state(answers: Mapping[int, list[int]], submitted: bool) -> dict[str, object]:
    """A quiz's state as saved: answers keyed by the question index as a string (JSON)."""
    return {
        "answers": {str(index): list(chosen) for index, chosen in sorted(answers.items())},
        "submitted": submitted,
    }


def percent(score: float) -> str:
    """A score as a trainee reads it: a whole percent."""
    return f"{score:.0f}"


def listed(numbers: list[int], t: Translator) -> str:
    """Numbers in words: "2", "1 og 3", "1, 2 og 4"."""
    words = [str(n) for n in numbers]
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {t('quiz.and')} {words[-1]}"


# --- scenario ------------------------------------------------------------------------

QUALITY_KEYS: Final[dict[Quality, str]] = {
    "best": "scenario.quality_best",
    "acceptable": "scenario.quality_acceptable",
    "poor": "scenario.quality_poor",
}
"""The words (with a symbol: ★ ◐ ✗) for each quality; never colour alone."""


# --- self-assessment -------------------------------------------------------------------

SCALE: Final = range(1, 6)
"""The ratings a statement can get; the same range progress.step_done accepts."""

DRAFT_KEY: Final = "unsaved_ratings"
"""Key in the step's saved state of ratings chosen and not yet saved with "Gem"."""


def valid_ratings(value: object, expected: int) -> list[int] | None:
    """The ratings when they are one 1–5 int per statement (as progress requires), else None."""
    if (
        isinstance(value, list)
        and len(value) == expected
        and all(isinstance(r, int) and not isinstance(r, bool) and r in SCALE for r in value)
    ):
        return list(value)
    return None


def unsaved_ratings(
    state: Mapping[str, object], phase: str, expected: int
) -> list[int | None] | None:
    """Ratings chosen in this phase and not saved yet (kept with the step's state)."""
    draft = state.get(DRAFT_KEY)
    if not isinstance(draft, Mapping) or draft.get("phase") != phase:
        return None
    ratings = draft.get("ratings")
    if not isinstance(ratings, list) or len(ratings) != expected:
        return None
    return [r if isinstance(r, int) and not isinstance(r, bool) and r in SCALE else None
            for r in ratings]


# --- practice log --------------------------------------------------------------------------

WHOLE_NUMBER: Final = re.compile(r"\d+")
"""Minutes as the log accepts them: digits only, no sign or decimals."""

BUILT_IN_LABELS: Final[dict[str, str]] = {
    "date": "practice.field_date",
    "duration": "practice.field_duration",
    "what-happened": "practice.field_what_happened",
    "what-i-noticed": "practice.field_what_i_noticed",
}
"""The UI string of each built-in log field's label (course.model.BUILT_IN_LOG_FIELDS)."""


def field_label(field: LogField, t: Translator) -> str:
    """A log field's label: the author's own words, else the app's for a built-in field."""
    if field.label is not None:
        return field.label
    key = BUILT_IN_LABELS.get(field.id)
    # The loader asks for a label on any other field; a model built in code may lack one.
    return t(key) if key is not None else field.id


def shown_date(value: str, t: Translator) -> str:
    """A stored date (year-month-day) in the UI language's form; other text as it is."""
    day = parse_date(value)
    return t.date(day) if day is not None else value


def shown_entry(
    values: Mapping[str, str], fields: Sequence[LogField], t: Translator
) -> list[tuple[str, str, bool]]:
    """A log entry as a front end shows it: (label, value, long text?) per filled field.

    The course's fields in order, then values of fields the course no longer has,
    under their id; minutes and dates in the UI language's form.
    """
    labels = {field.id: field for field in fields}
    ids = [f.id for f in fields] + [key for key in values if key not in labels]
    shown: list[tuple[str, str, bool]] = []
    for field_id in ids:
        value = values.get(field_id, "").strip()
        if not value:
            continue
        field = labels.get(field_id)
        label = field_label(field, t) if field else field_id
        if field is not None and field.type == "minutes":
            value = t("practice.minutes_value", minutes=value)
        elif field is not None and field.type == "date":
            value = shown_date(value, t)
        shown.append((label, value, field is not None and field.type == "long_text"))
    return shown


def default_value(field: LogField, t: Translator) -> str:
    """What a field of a blank form holds: today for a date (as the UI writes dates),
    else nothing."""
    return t.date(dt.date.today()) if field.type == "date" else ""


def check_entry(
    fields: list[LogField], raw: Mapping[str, str], t: Translator
) -> tuple[dict[str, str], dict[str, str]]:
    """Check a new log entry as typed.

    Args:
        fields: the step's log fields.
        raw: field id → text as typed.
        t: translator for the error messages.

    Returns:
        The values to store (tidied: dates as ISO, minutes as a plain number) and,
        per field id, what is wrong in words; no errors means the entry can be saved.
    """
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for field in fields:
        text = raw.get(field.id, "").strip()
        if not text:
            if field.required:
                errors[field.id] = t("practice.required")
            values[field.id] = ""
        elif field.type == "date":
            date = parse_date(text)
            if date is None:
                errors[field.id] = t("practice.bad_date", forms=t.date_forms())
            else:
                values[field.id] = date.isoformat()
        elif field.type == "minutes":
            if WHOLE_NUMBER.fullmatch(text):
                values[field.id] = str(int(text))
            else:
                errors[field.id] = t("practice.bad_minutes")
        else:
            values[field.id] = text
    return values, errors
