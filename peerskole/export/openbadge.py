"""A course certificate as an Open Badges 3.0 credential (JSON-LD), unsigned.

The credential follows the 1EdTech Open Badges 3.0 data model (a W3C Verifiable
Credential of type ``OpenBadgeCredential``). It carries no ``proof``: peerskole
holds no signing key. To make it verifiable, have it signed by the issuing
organisation's badge or wallet service; until then it is a well-formed,
machine-readable statement of the same facts as the PDF certificate.
"""

from __future__ import annotations

import uuid
from typing import Any, Final

from peerskole.export.certificate import Certificate
from peerskole.export.records import instant
from peerskole.export.xapi import XapiConfig

CONTEXTS: Final[tuple[str, ...]] = (
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
)
"""JSON-LD contexts of an Open Badges 3.0 credential."""
ISSUER_NAMESPACE: Final = uuid.UUID("a8c1a7a4-7f53-4f52-8d6e-0cfa3fd6a6f1")
"""UUID v5 namespace of issuer ids derived from the organisation's name."""


def open_badge(certificate: Certificate, config: XapiConfig | None = None) -> dict[str, Any]:
    """The certificate as an unsigned Open Badges 3.0 ``OpenBadgeCredential``.

    Args:
        certificate: what the credential states.
        config: the IRI base for the achievement (the course's xAPI activity IRI),
            so a badge and an LRS name the course alike.
    """
    config = config or XapiConfig()
    modules = "\n".join(
        f"- {m.title} ({m.completed_on})" for m in certificate.modules
    )
    criteria = (
        f"Completed every module of {certificate.course_title} "
        f"(version {certificate.course_version}):\n{modules}"
    )
    issuer_id = uuid.uuid5(ISSUER_NAMESPACE, certificate.organisation)
    return {
        "@context": list(CONTEXTS),
        "id": f"urn:uuid:{certificate.certificate_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{certificate.course_title}: {certificate.learner_name}",
        "issuer": {
            "id": f"urn:uuid:{issuer_id}",
            "type": ["Profile"],
            "name": certificate.organisation,
        },
        "validFrom": instant(certificate.completed_at).isoformat(),
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
            "activityEndDate": instant(certificate.completed_at).isoformat(),
            "achievement": {
                "id": config.course_iri(certificate.course_id),
                "type": ["Achievement"],
                "achievementType": "CertificateOfCompletion",
                "name": certificate.course_title,
                "description": certificate.course_description,
                "criteria": {"narrative": criteria},
                "version": certificate.course_version,
                "inLanguage": certificate.language,
                "humanCode": certificate.course_id,
            },
        },
    }
