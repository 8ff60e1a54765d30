"""A course certificate as an Open Badges 3.0 credential (JSON-LD), to be signed.

The credential follows the 1EdTech Open Badges 3.0 data model (a W3C Verifiable
Credential 2.0 of type ``OpenBadgeCredential``). Its issuer is the organisation's
signing key as a ``did:key`` (see :mod:`peerskole.export.badge_signature`, which signs
it); ``peerskole certificate --format openbadge`` writes it signed.

The achievement's description is plain text: the course's Markdown without its
markup, and without the notes it addresses to the trainee using the app (a
paragraph that opens with a bold label, such as the course's "**Om
støttekontakterne:**" about the placeholders under Støtte), which say nothing of
what was achieved. Its id is ``badge_achievement_base``/COURSE_ID when that
setting is set, else the course's xAPI activity IRI, so a badge and an LRS name
the course alike.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any, Final

from peerskole import settings
from peerskole.export.certificate import Certificate
from peerskole.export.records import instant

if TYPE_CHECKING:
    from peerskole.store.base import Store

CONTEXTS: Final[tuple[str, ...]] = (
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
)
"""JSON-LD contexts of an Open Badges 3.0 credential."""
NOTE_TO_TRAINEE: Final = re.compile(r"^(\*\*|__)[^*_\n]+?(:\s*\1|\1\s*:)")
"""A paragraph opening with a bold label ("**Om støttekontakterne:** …"): a note to the
trainee using the app, left out of a badge's description."""
_MARKUP: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # image: its alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # link: its text
    (re.compile(r"<[^>\n]+>"), ""),  # inline HTML
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),  # emphasis
    (re.compile(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),  # code
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])"), r"\1"),  # backslash escapes
)
"""Inline Markdown and what of it is kept as plain text."""
_LIST_ITEM: Final = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
"""The marker of a list item."""


def plain_description(markdown: str) -> str:
    """A course description as plain text for a badge.

    Paragraphs stay apart (a blank line), list items keep a line each ("- "), the
    lines of a paragraph are joined; headings, emphasis, links, code and HTML lose
    their markup; notes to the trainee (see :data:`NOTE_TO_TRAINEE`) are left out.
    """
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        lines = [re.sub(r"^\s{0,3}(#{1,6}\s+|>\s?)", "", line).strip()
                 for line in block.splitlines()]
        lines = [line for line in lines if line and not re.fullmatch(r"[-*_=\s]{3,}", line)]
        if not lines or NOTE_TO_TRAINEE.match(lines[0]):
            continue
        joined: list[str] = []
        for line in lines:
            if _LIST_ITEM.match(line):
                joined.append("- " + _LIST_ITEM.sub("", line))
            elif joined:  # the paragraph's (or the list item's) next line
                joined[-1] += " " + line
            else:
                joined.append(line)
        text = "\n".join(_inline(line) for line in joined)
        if text.strip():
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def _inline(text: str) -> str:
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def achievement_id(store: Store, course_id: str) -> str:
    """The achievement's id: ``badge_achievement_base``/COURSE_ID, else the xAPI course IRI."""
    from peerskole.export.xapi import XapiConfig

    base = (store.setting("", settings.BADGE_ACHIEVEMENT_BASE) or "").strip().rstrip("/")
    if base:
        return f"{base}/{course_id}"
    return XapiConfig.from_store(store).course_iri(course_id)


def open_badge(
    certificate: Certificate, issuer_id: str, achievement: str, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The certificate as an unsigned Open Badges 3.0 ``OpenBadgeCredential``.

    It is valid from the completion, or from ``now`` when that lies ahead: a module a
    coordinator recorded has a date alone, read as noon that day, and a badge made that
    morning would otherwise be refused by every verifier until noon.

    Args:
        certificate: what the credential states.
        issuer_id: the issuer's id, the ``did:key`` of the key that signs it.
        achievement: the achievement's id (see :func:`achievement_id`).
        now: the moment it is made (default: now).
    """
    completed = instant(certificate.completed_at)
    moment = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    modules = "\n".join(
        f"- {m.title} ({m.completed_on})" for m in certificate.modules
    )
    criteria = (
        f"Completed every module of {certificate.course_title} "
        f"(version {certificate.course_version}):\n{modules}"
    )
    return {
        "@context": list(CONTEXTS),
        "id": f"urn:uuid:{certificate.certificate_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{certificate.course_title}: {certificate.learner_name}",
        "issuer": {
            "id": issuer_id,
            "type": ["Profile"],
            "name": certificate.organisation,
        },
        "validFrom": min(completed, moment).isoformat(),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.learner_name,
                }
            ],
            "activityEndDate": completed.isoformat(),
            "achievement": {
                "id": achievement,
                "type": ["Achievement"],
                "achievementType": "CertificateOfCompletion",
                "name": certificate.course_title,
                "description": plain_description(certificate.course_description),
                "criteria": {"narrative": criteria},
                "version": certificate.course_version,
                "inLanguage": certificate.language,
                "humanCode": certificate.course_id,
            },
        },
    }
