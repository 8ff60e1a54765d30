"""Plain mode's praktik: the trainee's entries with where each stands, logging a new one
and correcting one the supervisor sent back, line by line over the same core
(peerskole.praktik) as the app's praktik screen."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Final

from peerskole.i18n import format_hours, parse_date
from peerskole.plain.console import Back, Console

if TYPE_CHECKING:
    from peerskole.i18n import Translator
    from peerskole.praktik import LearnerPraktik
    from peerskole.session import Session

KNOWN_PROBLEMS: Final = ("date", "minutes", "day_full", "place", "what", "supervisor",
                         "approved", "stale")
"""The praktik problems with a sentence of their own (else praktik.problem.other)."""


def walk_praktik(console: Console, session: Session) -> None:
    """The praktik entries and what can be done with them, until the trainee goes back."""
    from peerskole.praktik import changeable, learner_praktik
    from peerskole.privacy import PrivacyError
    from peerskole.store.base import StoreError

    while True:
        t = console.t
        console.say(t("praktik.title"))
        console.say(t("praktik.intro"))
        try:
            entries = learner_praktik(session.store, session.learner.id, session.key,
                                      session.course.id)
        except (StoreError, PrivacyError) as error:
            console.say(t("praktik.read_failed", reason=str(error)))
            return
        _say_entries(console, entries)
        correctable = [e for e in entries if e.state in ("returned", "revoked")
                       and changeable(e.state)]
        options = [t("plain.praktik_log")]
        if correctable:
            options.append(t("plain.praktik_correct"))
        options.append(t("plain.settings_back"))
        try:
            chosen = console.choose(options)
        except Back:
            return
        if chosen == len(options) - 1:
            return
        try:
            if chosen == 0:
                _write(console, session, None)
            else:
                _write(console, session, _chosen_entry(console, correctable))
        except Back:
            continue  # nothing was sent: the list again


def _chosen_entry(console: Console, entries: list[LearnerPraktik]) -> LearnerPraktik:
    t = console.t
    which = console.choose([_entry_line(t, e) for e in entries],
                           lead=lambda: console.say(t("plain.praktik_which")))
    assert which is not None
    return entries[which]


def _hours(t: Translator, minutes: int) -> str:
    return t("praktik.hours_value", hours=format_hours(minutes, t.language))


def _entry_line(t: Translator, entry: LearnerPraktik) -> str:
    from peerskole.notices import state_text

    return (f"{t.date(dt.date.fromisoformat(entry.done_on))} · {_hours(t, entry.minutes)} · "
            f"{entry.place} · {entry.supervisor_name}: {state_text(t, entry)}")


def _say_entries(console: Console, entries: list[LearnerPraktik]) -> None:
    t = console.t
    if not entries:
        console.say(t("praktik.none"))
        return
    for entry in entries:
        console.say(_entry_line(t, entry))
    approved = sum(e.minutes for e in entries if e.state == "approved")
    waiting = sum(e.minutes for e in entries if e.state == "waiting")
    console.say(t("praktik.summary", approved=_hours(t, approved), waiting=_hours(t, waiting)))


def _write(console: Console, session: Session, old: LearnerPraktik | None) -> None:
    """Ask for an entry (a correction keeps what Enter keeps) and send it for approval.

    Raises:
        Back: the trainee went back; nothing was sent.
    """
    from peerskole.praktik import PraktikError, change_praktik, log_praktik, parse_hours
    from peerskole.privacy import PrivacyError
    from peerskole.store.base import StoreError

    t = console.t
    supervisors = session.store.supervisors()
    if not supervisors:
        console.say(t("praktik.no_supervisors"))
        return
    console.say(t("praktik.form_edit_title" if old else "praktik.form_title"))
    today = dt.date.today()

    def ask(label: str, kept: str | None) -> str:
        answer = console.ask(label if kept is None else
                             f"{label}. {t('plain.field_keep', value=kept)}")
        return kept if kept is not None and not answer else answer

    while True:
        shown = t.date(dt.date.fromisoformat(old.done_on)) if old else t.date(today)
        day = parse_date(ask(t("praktik.date", example=t.date(today)), shown))
        if day is not None:
            break
        console.say(t("praktik.bad_date", forms=t.date_forms()))
    while True:
        try:
            minutes = parse_hours(ask(t("praktik.hours"), format_hours(old.minutes, t.language)
                                      if old else None))
            break
        except PraktikError:
            console.say(t("praktik.problem.minutes"))
    place = ask(t("praktik.place"), old.place if old else None)
    if old:
        console.say(t("plain.field_now", value=old.what))
        console.say(t("plain.field_keep_text"))
    lines = console.ask_text(t("praktik.what"))
    what = "\n".join(lines) if lines or not old else old.what
    if len(supervisors) == 1:
        [supervisor] = supervisors
    else:
        which = console.choose([s.name for s in supervisors],
                               lead=lambda: console.say(t("praktik.supervisor")))
        assert which is not None
        supervisor = supervisors[which]
    show = console.choose([t("plain.yes"), t("plain.no")],
                          lead=lambda: console.say(t("praktik.show"))) == 0
    try:
        if old is None:
            log_praktik(session.store, session.learner.id, session.key, session.course.id,
                        done_on=day.isoformat(), minutes=minutes, place=place, what=what,
                        supervisor_id=supervisor.id, show_text=show, today=today)
        else:
            change_praktik(session.store, session.learner.id, session.key, old.id,
                           done_on=day.isoformat(), minutes=minutes, place=place, what=what,
                           supervisor_id=supervisor.id, show_text=show, today=today)
    except PraktikError as error:
        key = (f"praktik.problem.{error.problem}" if error.problem in KNOWN_PROBLEMS
               else "praktik.problem.other")
        console.say(t(key, reason=str(error)))
        console.say(t("plain.answer_kept"))
        console.say(what)
        return
    except (StoreError, PrivacyError) as error:
        console.say(t("praktik.problem.other", reason=str(error)))
        console.say(t("plain.answer_kept"))
        console.say(what)
        return
    console.say(t("praktik.sent", name=supervisor.name))
