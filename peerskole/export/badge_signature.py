"""Signed Open Badges: VC-JOSE with Ed25519, the issuer's key, and checking a badge.

A signed badge is a JSON Web Signature in compact form (``header.payload.signature``,
one line of text), as *Securing Verifiable Credentials using JOSE and COSE* and the
Open Badges 3.0 "VC-JWT" proof format describe it:

- the header is ``{"alg": "EdDSA", "typ": "vc+jwt", "cty": "vc", "kid": …, "jwk": …}``:
  Ed25519, the verification method of the issuer's ``did:key`` as ``kid``, and the
  same public key as a JWK for verifiers that read keys from the header;
- the payload is the ``OpenBadgeCredential`` itself (VC 2.0 data model, its members
  at the top level), with the registered claims ``iss`` (the issuer's id), ``jti`` (the
  credential's id) and ``nbf`` (its ``validFrom``) that JWT libraries check.

The issuer's id is a ``did:key``: the public key is in the badge, so anyone can check
the signature with any JOSE library and nothing from us; that the key is the
organisation's, they learn from where the organisation publishes it
(``peerskole badge key``).

Chosen over Data Integrity ``eddsa-rdfc-2022`` because that needs RDF canonicalisation
with every JSON-LD context bundled (no network at verification), where a JWS needs
only the bytes as written: a verifier checks exactly what was signed.

``cryptography`` is imported only inside the functions that sign or verify.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from peerskole.errors import UserError
from peerskole.export.records import ExportError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from peerskole.store.base import Store

ALGORITHM: Final = "EdDSA"
"""The JOSE ``alg`` of every badge peerskole signs, and the only one it accepts."""
MEDIA_TYPE: Final = "vc+jwt"
"""The JOSE ``typ`` of a credential secured as a JWT (VC-JOSE-COSE)."""
CONTENT_TYPE: Final = "vc"
"""The JOSE ``cty``: the payload is a verifiable credential."""
ACCEPTED_TYPES: Final = frozenset({MEDIA_TYPE, "JWT", "application/vc+jwt"})
"""``typ`` values a badge may carry (other issuers write "JWT")."""
VC_CONTEXT: Final = "https://www.w3.org/ns/credentials/v2"
"""The first ``@context`` of a VC 2.0 credential."""
BADGE_TYPES: Final = frozenset({"OpenBadgeCredential", "AchievementCredential"})
"""The types that make a verifiable credential an Open Badge (the second an alias)."""
MAX_BADGE_BYTES: Final = 1024 * 1024
"""Larger than any badge: a bigger file is refused before it is read whole."""
ED25519_MULTICODEC: Final = b"\xed\x01"
"""The multicodec prefix of an Ed25519 public key in a ``did:key``."""
BASE58_ALPHABET: Final = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
"""The base58btc alphabet of multibase ``z`` strings."""


class BadgeInvalid(UserError):
    """A badge that does not verify; the message says why, as a sentence."""


@dataclass(frozen=True)
class IssuerKey:
    """The organisation's signing key and the names of its public half."""

    private: Ed25519PrivateKey
    did: str
    """The issuer's id: ``did:key:z6Mk…``, the public key itself."""
    public_jwk: dict[str, str]
    """The public key as a JWK (``kty`` OKP, ``crv`` Ed25519, ``x``)."""

    @property
    def verification_method(self) -> str:
        """The ``kid`` of its signatures: the did:key's one verification method."""
        return verification_method(self.did)

    @property
    def thumbprint(self) -> str:
        """The RFC 7638 SHA-256 thumbprint of the public JWK, to compare by eye."""
        return jwk_thumbprint(self.public_jwk)


@dataclass(frozen=True)
class VerifiedBadge:
    """What a badge whose signature and structure check out states."""

    issuer_id: str
    issuer_name: str
    thumbprint: str
    recipient: str
    achievement_id: str
    achievement_name: str
    achievement_version: str
    valid_from: str
    credential_id: str


# --- the issuer's key ----------------------------------------------------------------


def issuer_key(store: Store) -> tuple[IssuerKey, bool]:
    """The store's issuer key, made and kept on first use.

    Returns:
        The key, and whether it was made now.

    Raises:
        StoreError: when the key cannot be read or kept, or others may read its file.
        ExportError: when what is kept is not an Ed25519 key.
    """
    pem = store.badge_issuer_key()
    made = False
    if pem is None:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        fresh = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode("ascii")
        pem = store.keep_badge_issuer_key(fresh)
        made = pem == fresh
    return _load_key(pem, store.where), made


def _load_key(pem: str, where: str) -> IssuerKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        private = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    except (ValueError, TypeError):
        private = None
    if not isinstance(private, Ed25519PrivateKey):
        raise ExportError(
            f"The badge signing key kept with {where} is damaged or is not an Ed25519 key. "
            "Restore it from a backup; if it is lost, remove it so that a new one is made, "
            "and publish the new key (peerskole badge key)."
        )
    raw = private.public_key().public_bytes(serialization.Encoding.Raw,
                                            serialization.PublicFormat.Raw)
    return IssuerKey(private, did_key(raw), public_jwk(raw))


def did_key(public: bytes) -> str:
    """The ``did:key`` of a raw 32-byte Ed25519 public key."""
    return "did:key:z" + _base58_encode(ED25519_MULTICODEC + public)


def verification_method(did: str) -> str:
    """The id of a did:key's one verification method: ``did#fragment``."""
    return f"{did}#{did.removeprefix('did:key:')}"


def public_jwk(public: bytes) -> dict[str, str]:
    """A raw Ed25519 public key as a JWK."""
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(public)}


def jwk_thumbprint(jwk: dict[str, str]) -> str:
    """RFC 7638 thumbprint (SHA-256, base64url) of an OKP JWK."""
    canonical = json.dumps({k: jwk[k] for k in ("crv", "kty", "x")}, separators=(",", ":"),
                           sort_keys=True)
    return _b64url(hashlib.sha256(canonical.encode("ascii")).digest())


def public_key_of_did(did: str) -> bytes | None:
    """The raw Ed25519 public key a ``did:key`` names, or None if it names none."""
    if not did.startswith("did:key:z"):
        return None
    decoded = _base58_decode(did.removeprefix("did:key:z"))
    if decoded is None or len(decoded) != 34 or not decoded.startswith(ED25519_MULTICODEC):
        return None
    return decoded[2:]


# --- signing -------------------------------------------------------------------------


def sign_badge(credential: dict[str, Any], key: IssuerKey) -> str:
    """The credential signed by ``key``, as a compact JWS (one line, no new line).

    Args:
        credential: an unsigned ``OpenBadgeCredential`` whose issuer id is ``key.did``.
    """
    issuer = credential["issuer"]
    if (issuer["id"] if isinstance(issuer, dict) else issuer) != key.did:
        raise ValueError("the credential names another issuer than the key")
    header = {"alg": ALGORITHM, "typ": MEDIA_TYPE, "cty": CONTENT_TYPE,
              "kid": key.verification_method, "jwk": key.public_jwk}
    claims = dict(credential)
    claims["iss"] = key.did
    claims["jti"] = credential["id"]
    start = _instant(credential["validFrom"])
    if start is None:
        raise ValueError("the credential's validFrom is not an ISO 8601 time")
    claims["nbf"] = int(start.timestamp())
    signing_input = f"{_b64url(_json_bytes(header))}.{_b64url(_json_bytes(claims))}"
    signature = key.private.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{_b64url(signature)}"


# --- verifying -----------------------------------------------------------------------


def verify_badge(data: bytes, now: dt.datetime | None = None) -> VerifiedBadge:
    """Check a signed badge: its form, its signature and what it must state.

    Args:
        data: the file's bytes, as read.
        now: the time to check validity against (default: now).

    Raises:
        BadgeInvalid: with a sentence saying why it is not a valid badge.
    """
    if len(data) > MAX_BADGE_BYTES:
        raise BadgeInvalid(f"It is {len(data):,} bytes long, far longer than a badge; it is "
                           "not a signed badge.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadgeInvalid(
            f"It is not text (byte 0x{data[error.start]:02X} at position {error.start}); a "
            "signed badge is one line of text (peerskole certificate … --format openbadge)."
        ) from None
    token = text.strip()
    if not token:
        raise BadgeInvalid("It is empty; a signed badge is one line of text.")
    if token.startswith("{"):
        raise BadgeInvalid(
            "It is JSON, not a signed badge: a signed badge is a JSON Web Signature "
            "(three base64url parts joined by dots). An unsigned credential has no proof "
            "to check."
        )
    parts = token.split(".")
    if len(parts) != 3:
        raise BadgeInvalid(
            f"It has {len(parts)} part(s) separated by dots where a signed badge has three "
            "(header, credential, signature): the file may be cut short or not a badge."
        )
    # The header first: an unsigned ("none") or otherwise signed token is said as such,
    # whatever its signature part holds.
    header = _json_object(_b64url_decode(parts[0], "header"), "header")
    algorithm = header.get("alg")
    if algorithm != ALGORITHM:
        raise BadgeInvalid(
            f"It is signed with the algorithm {_quoted(algorithm)}; peerskole accepts only "
            "EdDSA (Ed25519) signatures, so it cannot vouch for this badge."
        )
    payload = _json_object(_b64url_decode(parts[1], "credential"), "credential")
    if not parts[2]:
        raise BadgeInvalid("It has no signature.")
    signature = _b64url_decode(parts[2], "signature")
    if "crit" in header:
        raise BadgeInvalid("Its header marks extensions as critical (crit) that peerskole "
                           "does not know, so it cannot check it.")
    if "typ" in header and header["typ"] not in ACCEPTED_TYPES:
        raise BadgeInvalid(f"Its header says it is a {_quoted(header['typ'])}, not a "
                           "verifiable credential (vc+jwt).")
    issuer_id, issuer_name = _issuer(payload)
    public = public_key_of_did(issuer_id)
    if public is None:
        raise BadgeInvalid(
            f"Its issuer {_quoted(issuer_id)} is not an Ed25519 did:key, so the badge does "
            "not carry the key it was signed with; peerskole checks badges that do."
        )
    kid = header.get("kid")
    if kid is not None and (not isinstance(kid, str) or kid.split("#")[0] != issuer_id):
        raise BadgeInvalid("Its header names another signing key (kid) than its issuer's.")
    if "jwk" in header and header["jwk"] != public_jwk(public):
        raise BadgeInvalid("Its header carries another public key (jwk) than its issuer's.")
    _check_signature(public, f"{parts[0]}.{parts[1]}".encode("ascii"), signature)
    return _statement(payload, issuer_id, issuer_name, public, now or dt.datetime.now(dt.UTC))


def _check_signature(public: bytes, signed: bytes, signature: bytes) -> None:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key: Ed25519PublicKey = Ed25519PublicKey.from_public_bytes(public)
    try:
        key.verify(signature, signed)
    except InvalidSignature:
        raise BadgeInvalid(
            "Its signature does not match its content: it was changed after it was signed, "
            "or it was not signed with its issuer's key."
        ) from None


def _issuer(payload: dict[str, Any]) -> tuple[str, str]:
    issuer = payload.get("issuer")
    if isinstance(issuer, str):
        return issuer, ""
    if isinstance(issuer, dict) and isinstance(issuer.get("id"), str):
        name = issuer.get("name")
        return issuer["id"], name if isinstance(name, str) else ""
    raise BadgeInvalid("The credential names no issuer (issuer.id).")


def _statement(payload: dict[str, Any], issuer_id: str, issuer_name: str, public: bytes,
               now: dt.datetime) -> VerifiedBadge:
    """What a correctly signed payload states, once it is checked to be an Open Badge."""
    context = payload.get("@context")
    if not isinstance(context, list) or not context or context[0] != VC_CONTEXT:
        raise BadgeInvalid(f"The credential's @context does not start with {VC_CONTEXT}: it "
                           "is not a VC 2.0 credential.")
    types = payload.get("type")
    if not isinstance(types, list) or "VerifiableCredential" not in types or not (
            BADGE_TYPES & set(types)):
        raise BadgeInvalid("The credential's type is not VerifiableCredential and "
                           "OpenBadgeCredential: it is not an Open Badge.")
    credential_id = payload.get("id")
    if not isinstance(credential_id, str) or not credential_id:
        raise BadgeInvalid("The credential has no id.")
    if payload.get("iss", issuer_id) != issuer_id:
        raise BadgeInvalid("Its iss claim names another issuer than the credential.")
    if payload.get("jti", credential_id) != credential_id:
        raise BadgeInvalid("Its jti claim names another credential id than the credential.")
    valid_from = payload.get("validFrom")
    start = _instant(valid_from) if isinstance(valid_from, str) else None
    if start is None:
        raise BadgeInvalid("The credential has no valid validFrom date.")
    if "nbf" in payload and payload["nbf"] != int(start.timestamp()):
        raise BadgeInvalid("Its nbf claim and its validFrom date disagree.")
    if start > now + dt.timedelta(minutes=5):
        raise BadgeInvalid(f"It is valid only from {start.isoformat()}, which has not come.")
    valid_until = payload.get("validUntil")
    if valid_until is not None:
        end = _instant(valid_until) if isinstance(valid_until, str) else None
        if end is None:
            raise BadgeInvalid("Its validUntil date cannot be read.")
        if end < now:
            raise BadgeInvalid(f"It expired on {end.isoformat()}.")
    subject = payload.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if not isinstance(subject, dict) or not isinstance(achievement, dict):
        raise BadgeInvalid("The credential states no achievement (credentialSubject."
                           "achievement).")
    return VerifiedBadge(
        issuer_id=issuer_id,
        issuer_name=issuer_name,
        thumbprint=jwk_thumbprint(public_jwk(public)),
        recipient=_recipient(subject),
        achievement_id=_text(achievement.get("id")),
        achievement_name=_text(achievement.get("name")),
        achievement_version=_text(achievement.get("version")),
        valid_from=start.isoformat(),
        credential_id=credential_id,
    )


def _recipient(subject: dict[str, Any]) -> str:
    for identity in subject.get("identifier") or ():
        if isinstance(identity, dict) and identity.get("hashed") is False:
            return _text(identity.get("identityHash"))
    return _text(subject.get("id")) or "(not named)"


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _quoted(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else "none" if value is None else str(value)


def _json_object(raw: bytes, name: str) -> dict[str, Any]:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadgeInvalid(f"Its {name} is not JSON: the file was cut short or changed.") from None
    if not isinstance(value, dict):
        raise BadgeInvalid(f"Its {name} is not a JSON object.")
    return value


def _instant(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _json_bytes(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(part: str, name: str) -> bytes:
    alphabet = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    if not part or not set(part) <= alphabet or len(part) % 4 == 1:
        raise BadgeInvalid(f"Its {name} is not base64url text: the file was cut short or "
                           "changed.")
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError):
        raise BadgeInvalid(f"Its {name} is not base64url text.") from None


def _base58_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    digits = ""
    while number:
        number, rest = divmod(number, 58)
        digits = BASE58_ALPHABET[rest] + digits
    leading = len(data) - len(data.lstrip(b"\0"))
    return BASE58_ALPHABET[0] * leading + digits


def _base58_decode(text: str) -> bytes | None:
    number = 0
    for char in text:
        index = BASE58_ALPHABET.find(char)
        if index < 0:
            return None
        number = number * 58 + index
    leading = len(text) - len(text.lstrip(BASE58_ALPHABET[0]))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * leading + body
