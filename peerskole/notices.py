"""What a trainee is told, in words, by every front end (the app and plain mode).

A module just completed and what it opened, why a passphrase did not open a profile,
and how a support contact reads. Plain text in the UI's language; no UI toolkit.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from peerskole.i18n import Translator
from peerskole.progress import CourseStatus, ProgrammeStanding, unlocked_between
from peerskole.safe_text import visible

if TYPE_CHECKING:
    from peerskole.course.model import Course, Module, SupportContact
    from peerskole.praktik import LearnerPraktik
    from peerskole.privacy import PrivacyError


def completion_notice(
    t: Translator, course: Course, module: Module, before: CourseStatus, after: CourseStatus
) -> str | None:
    """The notice for a module that is complete at ``after`` and was not at ``before``.

    Returns:
        None when the module did not just become complete.
    """
    if before.module(module.id).complete or not after.module(module.id).complete:
        return None
    if after.complete:
        return f"{t('module.complete')} {t('overview.complete')}"
    if after.modules_complete:
        return f"{t('module.complete')} {t('overview.modules_done_programme_open')}"
    opened = unlocked_between(course, before, after)
    if not opened:
        return t("module.complete")
    return t("module.complete_unlocked", modules=", ".join(m.title for m in opened))


def wait_text(seconds: int, t: Translator) -> str:
    """ "Prøv igen om 30 sekunder." in the UI's language; minutes from two minutes on."""
    if seconds >= 120:
        return t("passphrase.wait_minutes", minutes=-(-seconds // 60))
    if seconds == 1:
        return t("passphrase.wait_one_second")
    return t("passphrase.wait_seconds", seconds=seconds)


def explain(error: PrivacyError, t: Translator) -> str:
    """What to tell the trainee about a PrivacyError, in their language."""
    from peerskole.privacy import MAX_PASSPHRASE_LENGTH, MIN_PASSPHRASE_LENGTH

    if error.problem == "wrong_passphrase":
        if error.wait > 0:
            return f"{t('passphrase.wrong_wait')} {wait_text(error.wait, t)}"
        return t("passphrase.wrong")
    if error.problem == "wait":
        return f"{t('passphrase.too_many')} {wait_text(error.wait, t)}"
    if error.problem == "stale":
        return t("passphrase.changed_elsewhere")
    if error.problem == "too_short":
        return t("passphrase.too_short", minimum=MIN_PASSPHRASE_LENGTH)
    if error.problem == "too_long":
        return t("passphrase.too_long", maximum=MAX_PASSPHRASE_LENGTH)
    if error.problem == "unavailable":
        return t("passphrase.unavailable", reason=str(error))
    return t("passphrase.damaged", reason=str(error))


def describe_contact(contact: SupportContact, t: Translator) -> str:
    """A support contact as lines of text: an emergency number on its first line."""
    if contact.emergency and contact.phone:
        lines = [f"{contact.name}: {contact.phone}"]  # the number on its first line
        lines += [v for v in (contact.email, contact.url) if v]
    else:
        lines = [contact.name]
        lines += [v for v in (contact.phone, contact.email, contact.url) if v]
    if contact.hours:
        lines.append(t("support.hours", hours=contact.hours))
    if contact.note:
        lines.append(contact.note)
    return "\n".join(lines)


def programme_lines(t: Translator, programme: ProgrammeStanding | None) -> list[tuple[str, str]]:
    """What a trainee is told of the programme: their classroom hours and approved praktik
    against what is required, and what remains, as (id, text) lines; none for a course
    without a programme. The figures are the completion rule's; the front ends only show
    these lines."""
    if programme is None:
        return []
    from peerskole.export.cohort import hours

    def said(minutes: int) -> str:
        return hours(minutes, t("unit.hours_short"), t("unit.minutes_short"), "\u00a0")

    classroom = programme.classroom
    words = ("overview.classroom_met" if classroom.met else "overview.classroom"
             if classroom.attended_minutes else "overview.classroom_none")
    lines = [("classroom-hours", t(words, attended=said(classroom.attended_minutes),
                                   required=said(classroom.required_minutes),
                                   missing=said(classroom.missing_minutes)))]
    if programme.praktik_required_minutes:
        words = "overview.praktik_met" if programme.praktik_met else "overview.praktik"
        lines.append(("praktik-hours", t(words, approved=said(programme.praktik.minutes),
                                         required=said(programme.praktik_required_minutes),
                                         missing=said(programme.missing_praktik_minutes))))
    return lines


def local_time(stamp: str) -> str:
    """An ISO 8601 instant as local date and time ("03.12.2026 14:05")."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return visible(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone().strftime("%d.%m.%Y %H:%M")


def state_text(t: Translator, entry: LearnerPraktik) -> str:
    """Where a praktik entry stands, in words (with the supervisor's comment when it has
    one), for the trainee."""
    return t(f"praktik.state.{entry.state}", note=visible(entry.note, ""))
