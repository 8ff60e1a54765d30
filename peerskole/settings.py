"""The installation-wide settings a coordinator may set, in one place.

Stored in the store's settings table under the empty scope; read by the exports
and the certificate, set with ``peerskole settings set``.
"""

from __future__ import annotations

from typing import Final

ORGANISATION: Final = "organisation"
"""The organisation named as issuer on certificates."""
CERTIFICATE_SIGNER: Final = "certificate_signer"
"""Name and title printed under the signature line of certificates."""
CERTIFICATE_LOGO: Final = "certificate_logo"
"""A PNG or JPEG file: the organisation's logo at the top of certificates."""
XAPI_HOMEPAGE: Final = "xapi_homepage"
"""``homePage`` of learners' xAPI accounts."""
XAPI_ACTIVITY_BASE: Final = "xapi_activity_base"
"""Base of xAPI activity IRIs."""
BADGE_ACHIEVEMENT_BASE: Final = "badge_achievement_base"
"""Base of Open Badge achievement ids (BASE/COURSE_ID)."""
STALLED_AFTER: Final = "stalled_after_days"
"""Days without activity after which an unfinished learner is shown as stalled."""

COORDINATOR_SETTINGS: Final[dict[str, str]] = {
    ORGANISATION: "the organisation named as issuer on certificates",
    CERTIFICATE_SIGNER: "name and title under the signature line of certificates "
                        "(e.g. 'Mette Holm, forstander')",
    CERTIFICATE_LOGO: "a PNG or JPEG file: the organisation's logo on certificates",
    XAPI_HOMEPAGE: "homePage of learners' xAPI accounts (default https://peerskole.invalid)",
    XAPI_ACTIVITY_BASE: "base of xAPI activity IRIs (default https://peerskole.invalid)",
    BADGE_ACHIEVEMENT_BASE: "base of Open Badge achievement ids, BASE/COURSE_ID (default: "
    "the course's xAPI activity IRI, XAPI_ACTIVITY_BASE/courses/COURSE_ID)",
    STALLED_AFTER: "days without activity after which a learner who has not finished is "
    "shown as stalled in cohort show (default 14)",
}
"""Every setting a coordinator may set, with what it is for."""
URL_SETTINGS: Final = frozenset({XAPI_HOMEPAGE, XAPI_ACTIVITY_BASE, BADGE_ACHIEVEMENT_BASE})
"""Settings whose value must be an http(s) address."""
