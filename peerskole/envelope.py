"""Sealing a text to the holders of X25519 keys: the dialogue on shared reflections.

A message of a reflection's dialogue is kept in two copies (see peerskole.dialogue):
one sealed to the learner's exchange key, one to the instructors' keys. Each copy is
an envelope:

* the text is encrypted once with a fresh random content key (AES-256-GCM, random
  12-byte nonce), the associated data naming the message (its id, place and author),
  so a copy moved to another message fails to open;
* the content key is wrapped for each recipient: a fresh ephemeral X25519 key pair,
  ECDH with the recipient's public key, HKDF-SHA256 (salt: both public keys) to a
  key-encryption key, AES-256-GCM over the content key with the recipient's id bound in.

Only a holder of a recipient's private key can open it; the database sees base64. A
recipient can hand the content key on to further recipients (:func:`add_recipients`)
without anyone else's private key.

``cryptography`` is imported inside the functions that need it.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

PREFIX: Final = "env1:"
"""How a sealed envelope starts in the store; the digit is the format version."""
NONCE_BYTES: Final = 12
"""AES-GCM nonce length, random for each encryption."""
KEY_BYTES: Final = 32
"""Content key, key-encryption key and X25519 key length."""
WRAP_LABEL: Final = b"peerskole message key v1"
"""HKDF info of the key-encryption key."""
LEARNER: Final = "learner"
"""The recipient id of the learner's copy of a message."""


class EnvelopeError(Exception):
    """An envelope could not be opened: damaged, or not sealed to this recipient."""


def message_context(message_id: str, course_id: str, module_id: str, step_id: str) -> bytes:
    """The associated data a message's copies are bound to: its id and the reflection's place.

    Not the learner's id: a merge of two profiles hands a dialogue to the kept profile,
    and the instructors' copy (which nobody but an instructor can re-seal) must open there.
    """
    return json.dumps(["peerskole/message/1", message_id, course_id, module_id, step_id],
                      ensure_ascii=True).encode("ascii")


def is_envelope(value: str) -> bool:
    """Whether a stored value is a sealed envelope (rather than readable text)."""
    return value.startswith(PREFIX)


def new_private_key() -> X25519PrivateKey:
    """A fresh random X25519 private key."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    return X25519PrivateKey.generate()


def private_key_from(raw: bytes) -> X25519PrivateKey:
    """The X25519 private key of 32 raw bytes (e.g. derived by HKDF)."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    return X25519PrivateKey.from_private_bytes(raw)


def private_bytes(key: X25519PrivateKey) -> bytes:
    """The 32 raw bytes of a private key (to seal it under a passphrase's key)."""
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


def public_text(key: X25519PrivateKey) -> str:
    """The public key of a private key, as kept in the store (base64)."""
    return b64(key.public_key().public_bytes_raw())


def seal(text: str, recipients: Mapping[str, str], context: bytes) -> str:
    """An envelope of text that each recipient can open.

    Args:
        text: what to seal.
        recipients: recipient id → public key (as :func:`public_text` gives it).
        context: the associated data the text is bound to (the message's id and place).

    Raises:
        EnvelopeError: when a public key is not one.
    """
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    content_key = os.urandom(KEY_BYTES)
    nonce = os.urandom(NONCE_BYTES)
    body = nonce + AESGCM(content_key).encrypt(
        nonce, text.encode("utf-8", "surrogatepass"), context)
    wraps = {rid: _wrap(content_key, rid, public, context)
             for rid, public in recipients.items()}
    return _pack(body, wraps)


def open_envelope(token: str, recipient_id: str, key: X25519PrivateKey, context: bytes) -> str:
    """The text of an envelope, opened by one of its recipients.

    Raises:
        EnvelopeError: when it is damaged, not sealed to this recipient, or bound to
            another context.
    """
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    body, wraps = _unpack(token)
    content_key = _unwrap(wraps, recipient_id, key, context)
    try:
        plain = AESGCM(content_key).decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], context)
        return plain.decode("utf-8", "surrogatepass")
    except (InvalidTag, UnicodeDecodeError) as error:
        raise EnvelopeError("The message is damaged or belongs elsewhere.") from error


def recipients(token: str) -> set[str]:
    """The ids an envelope is sealed to (no key needed: they are not secret)."""
    return set(_unpack(token)[1])


def add_recipients(
    token: str, recipient_id: str, key: X25519PrivateKey, context: bytes,
    more: Mapping[str, str],
) -> str:
    """The envelope sealed to further recipients too, by one who can open it.

    Raises:
        EnvelopeError: as :func:`open_envelope`.
    """
    body, wraps = _unpack(token)
    content_key = _unwrap(wraps, recipient_id, key, context)
    for rid, public in more.items():
        wraps[rid] = _wrap(content_key, rid, public, context)
    return _pack(body, wraps)


def _wrap_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES,
                salt=ephemeral_public + recipient_public, info=WRAP_LABEL).derive(shared)


def _wrap_data(recipient_id: str, context: bytes) -> bytes:
    return json.dumps([recipient_id], ensure_ascii=True).encode("ascii") + context


def _wrap(content_key: bytes, recipient_id: str, public: str, context: bytes) -> str:
    from cryptography.hazmat.primitives.asymmetric.x25519 import (
        X25519PrivateKey,
        X25519PublicKey,
    )
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        raw = unb64(public)
        recipient = X25519PublicKey.from_public_bytes(raw)
    except ValueError as error:
        raise EnvelopeError(f"The public key of {recipient_id} is damaged.") from error
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    kek = _wrap_key(ephemeral.exchange(recipient), ephemeral_public, raw)
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(kek).encrypt(nonce, content_key, _wrap_data(recipient_id, context))
    return b64(ephemeral_public + nonce + sealed)


def _unwrap(
    wraps: Mapping[str, str], recipient_id: str, key: X25519PrivateKey, context: bytes
) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    wrap = wraps.get(recipient_id)
    if wrap is None:
        raise EnvelopeError("The message was not sealed to this key.")
    try:
        raw = unb64(wrap)
        ephemeral_public = raw[:KEY_BYTES]
        nonce = raw[KEY_BYTES:KEY_BYTES + NONCE_BYTES]
        shared = key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        kek = _wrap_key(shared, ephemeral_public, key.public_key().public_bytes_raw())
        return AESGCM(kek).decrypt(nonce, raw[KEY_BYTES + NONCE_BYTES:],
                                   _wrap_data(recipient_id, context))
    except (ValueError, InvalidTag) as error:
        raise EnvelopeError("The message's key is damaged or not this key's.") from error


def _pack(body: bytes, wraps: Mapping[str, str]) -> str:
    data = {"v": 1, "body": b64(body), "to": dict(sorted(wraps.items()))}
    return PREFIX + b64(json.dumps(data, sort_keys=True).encode("ascii"))


def _unpack(token: str) -> tuple[bytes, dict[str, str]]:
    try:
        if not is_envelope(token):
            raise ValueError("not an envelope")
        data = json.loads(unb64(token[len(PREFIX):]))
        if not isinstance(data, dict) or data.get("v") != 1:
            raise ValueError("unknown format")
        body, wraps = unb64(data["body"]), data["to"]
        if not isinstance(wraps, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in wraps.items()
        ) or len(body) < NONCE_BYTES + 16:
            raise ValueError("damaged")
    except (ValueError, KeyError, TypeError, RecursionError) as error:
        raise EnvelopeError("The message is damaged.") from error
    return body, dict(wraps)


def b64(data: bytes) -> str:
    """URL-safe base64 text of bytes."""
    return base64.urlsafe_b64encode(data).decode("ascii")


def unb64(text: object) -> bytes:
    """The bytes of URL-safe base64 text.

    Raises:
        ValueError: when it is not that.
    """
    if not isinstance(text, str):
        raise ValueError("not text")
    try:
        return base64.urlsafe_b64decode(text.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError) as error:
        raise ValueError("not base64") from error
