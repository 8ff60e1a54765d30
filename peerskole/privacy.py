"""Passphrase-protected profiles: a learner's private text, encrypted at rest.

A learner may set a passphrase. From then on their reflections and practice-log
entries reach the store only as tokens (``enc1:`` followed by base64), sealed
with a key derived from the passphrase; completion records (word counts, entry
counts, quiz results) stay readable, so coordinators' exports work as before.

The scheme, in one place:

* Key derivation: Argon2id with a random 16-byte salt per profile and the
  parameters in :class:`KdfParams` (OWASP's minimum, see below). The 32-byte
  result is split by HKDF-Expand (SHA-256) into an encryption key and a check
  value; the check value is stored, so a wrong passphrase is told apart without
  decrypting any text, and the encryption key is never stored.
* Encryption: AES-256-GCM with a fresh random 12-byte nonce for every value.
  The associated data names the learner, course, module, step, kind and field a
  value belongs to, so a token moved to another place (another learner's row,
  another step) fails to open instead of showing up there.
* The salt, the parameters and the check value live in the store's settings,
  scope = the learner's id, key :data:`SETTING_KEY`. Every private write names the
  setting it was sealed under, and the store refuses it once the setting changed
  (a passphrase changed in another window; see :func:`key_settings`).
* Wrong passphrase tries are counted in the store (:func:`unlock_profile`), so every
  window waits alike after :data:`FREE_TRIES` of them.

There is no back door: a forgotten passphrase means the private text cannot be
read again by anyone. A reflection the learner shares with their instructor is
stored readable (the instructor's export has no passphrase); un-sharing it seals
it again.

``cryptography`` is imported inside the functions that need it: the CLI and the
app's first screen must not pay for it.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from peerskole.store.base import Learner, PrivateText, Store

TOKEN_PREFIX: Final = "enc1:"
"""How a sealed value starts in the store; the digit is the format version."""
SETTING_KEY: Final = "privacy.kdf"
"""Learner-scoped setting holding the salt, KDF parameters and check value (JSON)."""
EXCHANGE_SETTING: Final = "privacy.exchange"
"""Learner-scoped setting holding the public half of the profile's exchange key
(X25519, base64): instructors seal their replies to it (see :meth:`ProfileKey.exchange_key`)."""
MIN_PASSPHRASE_LENGTH: Final = 8
"""Shortest passphrase accepted, in characters."""
MAX_PASSPHRASE_LENGTH: Final = 1024
"""Longest passphrase accepted, in characters (bounds the work a prompt can cause)."""

# OWASP Password Storage Cheat Sheet, section "Argon2id": "use Argon2id with a
# minimum configuration of 19 MiB of memory, an iteration count of 2, and 1
# degree of parallelism" (m=19456 KiB, t=2, p=1). The parameters are stored with
# every profile, so raising them later leaves existing profiles readable.
ARGON2_MEMORY_KIB: Final = 19456
"""Argon2id memory cost in KiB (OWASP minimum: 19 MiB)."""
ARGON2_ITERATIONS: Final = 2
"""Argon2id time cost (passes over memory); OWASP minimum with 19 MiB."""
ARGON2_LANES: Final = 1
"""Argon2id degree of parallelism; OWASP: 1."""
SALT_BYTES: Final = 16
"""Random salt per profile."""
NONCE_BYTES: Final = 12
"""AES-GCM nonce, random per sealed value."""
KEY_BYTES: Final = 32
"""AES-256 key and check value length."""
TAG_BYTES: Final = 16
"""AES-GCM authentication tag length."""

# Bounds on parameters read back from the store: a damaged or hostile settings
# row must not make opening a profile take minutes or gigabytes.
_MAX_MEMORY_KIB: Final = 1024 * 1024
_MAX_ITERATIONS: Final = 64
_MAX_LANES: Final = 16

FREE_TRIES: Final = 5
"""Wrong passphrase tries allowed in a row before each further one must wait."""
FIRST_WAIT_SECONDS: Final = 30
"""The wait after FREE_TRIES wrong tries; it doubles with each further wrong one."""
MAX_WAIT_SECONDS: Final = 15 * 60
"""The longest wait between two tries."""

PrivacyProblem = Literal[
    "wrong_passphrase", "too_short", "too_long", "damaged", "unavailable", "wait", "stale"
]


class PrivacyError(Exception):
    """A passphrase or a sealed value could not be used; ``problem`` says why.

    The message is a sentence a person can act on; the UI translates by
    ``problem``. It never contains the passphrase or any private text.
    """

    def __init__(self, problem: PrivacyProblem, message: str, wait: int = 0) -> None:
        super().__init__(message)
        self.problem: PrivacyProblem = problem
        self.wait = wait
        """Seconds before the next passphrase try is allowed ("wait", and a wrong
        passphrase that used up the free tries); 0 when it may come at once."""


@dataclass(frozen=True)
class KdfParams:
    """How a profile's key is derived from its passphrase, and the check value."""

    salt: bytes
    """Random per profile; a new one each time the passphrase is set or changed."""
    check: bytes
    """HKDF-Expand of the Argon2id output under a label of its own; tells a wrong
    passphrase without decrypting any text."""
    memory_kib: int = ARGON2_MEMORY_KIB
    """Argon2id memory cost in KiB."""
    iterations: int = ARGON2_ITERATIONS
    """Argon2id time cost."""
    lanes: int = ARGON2_LANES
    """Argon2id parallelism."""

    def to_setting(self) -> str:
        """The JSON text kept in the learner's settings."""
        return json.dumps(
            {
                "kdf": "argon2id",
                "m": self.memory_kib,
                "t": self.iterations,
                "p": self.lanes,
                "salt": _b64(self.salt),
                "check": _b64(self.check),
                "cipher": "aes-256-gcm",
            },
            sort_keys=True,
        )

    @classmethod
    def from_setting(cls, text: str) -> KdfParams:
        """Read the settings text back.

        Raises:
            PrivacyError: "damaged" when it is not what :meth:`to_setting` writes.
        """
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("kdf") != "argon2id" or (
                data.get("cipher") != "aes-256-gcm"
            ):
                raise ValueError("unknown scheme")
            memory, iterations, lanes = data["m"], data["t"], data["p"]
            for value in (memory, iterations, lanes):
                if type(value) is not int:
                    raise ValueError("not a whole number")
            if not (8 * lanes <= memory <= _MAX_MEMORY_KIB and 1 <= iterations <= _MAX_ITERATIONS
                    and 1 <= lanes <= _MAX_LANES):
                raise ValueError("out of range")
            salt, check = _unb64(data["salt"]), _unb64(data["check"])
            if len(salt) < 8 or len(check) != KEY_BYTES:
                raise ValueError("wrong length")
        except (ValueError, KeyError, TypeError, RecursionError) as error:
            raise PrivacyError(
                "damaged",
                "The passphrase settings of this profile are damaged, so its private text "
                "cannot be opened. Restore the database from a backup.",
            ) from error
        return cls(salt, check, memory, iterations, lanes)


@dataclass(frozen=True)
class TextPlace:
    """Where a private value belongs; bound to its ciphertext as associated data."""

    learner_id: str
    course_id: str
    module_id: str
    step_id: str
    kind: Literal["reflection", "practice", "praktik"]
    """A reflection, a practice-log value, or a praktik entry's "what I did" (then
    module_id is empty and step_id is the entry's id)."""
    field: str = ""
    """The practice-log field id; "what" for praktik; empty for a reflection."""

    def associated_data(self) -> bytes:
        # A JSON list is unambiguous whatever the ids contain.
        return json.dumps(
            ["peerskole/1", self.learner_id, self.course_id, self.module_id, self.step_id,
             self.kind, self.field],
            ensure_ascii=True,
        ).encode("ascii")


class ProfileKey:
    """A learner's unlocked encryption key; lives in memory only while they work.

    Args:
        learner_id: whose key it is; every value it seals is bound to this id.
        key: the AES-256 key.
        params: how it was derived (kept with the profile).
    """

    def __init__(self, learner_id: str, key: bytes, params: KdfParams) -> None:
        self.learner_id = learner_id
        self._key: bytes | None = key
        self.params = params

    def __repr__(self) -> str:
        return f"ProfileKey(learner_id={self.learner_id!r})"  # never the key itself

    @property
    def expected_settings(self) -> dict[str, str | None]:
        """What the store must hold for text sealed with this key to be written.

        Every set or change of the passphrase stores a new salt and check value, so
        a session whose key is no longer the profile's is refused (see rekey).
        """
        return {SETTING_KEY: self.params.to_setting()}

    def seal(self, text: str, place: TextPlace) -> str:
        """Encrypt text for place; a new random nonce every time."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._check_owner(place)
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self._unlocked()).encrypt(
            nonce, text.encode("utf-8", "surrogatepass"), place.associated_data()
        )
        return TOKEN_PREFIX + _b64(nonce + sealed)

    def open(self, token: str, place: TextPlace) -> str:
        """Decrypt a token sealed for place.

        Raises:
            PrivacyError: "damaged" when the token is not one, was sealed with
                another key, or belongs to another place.
        """
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._check_owner(place)
        damaged = PrivacyError(
            "damaged",
            "A piece of private text could not be opened: it is damaged, or it was written "
            "with another passphrase.",
        )
        if not is_token(token):
            raise damaged
        try:
            raw = _unb64(token[len(TOKEN_PREFIX):])
        except ValueError as error:
            raise damaged from error
        if len(raw) < NONCE_BYTES + TAG_BYTES:
            raise damaged
        try:
            plain = AESGCM(self._unlocked()).decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], place.associated_data()
            )
            return plain.decode("utf-8", "surrogatepass")
        except (InvalidTag, UnicodeDecodeError) as error:
            raise damaged from error

    def exchange_key(self) -> X25519PrivateKey:
        """The profile's X25519 exchange key, derived (HKDF-Expand) from its text key.

        Never stored: it exists while the profile is open. Its public half is published
        in the learner's settings (:data:`EXCHANGE_SETTING`), so instructors can seal a
        reply the learner alone of all learners can open; a new passphrase gives a new
        one, and :func:`rekey` seals the learner's copies of the dialogue again.
        """
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

        from peerskole.envelope import private_key_from

        raw = HKDFExpand(algorithm=hashes.SHA256(), length=KEY_BYTES,
                         info=b"peerskole exchange key v1").derive(self._unlocked())
        return private_key_from(raw)

    def exchange_public(self) -> str:
        """The public half of :meth:`exchange_key`, as kept in the store."""
        from peerskole.envelope import public_text

        return public_text(self.exchange_key())

    def forget(self) -> None:
        """Drop the key as its profile is closed (the next trainee takes the computer).

        Sealing or opening with it fails from then on, loudly: nothing can be stored
        readable, or read, through a profile that was locked again.
        """
        self._key = None

    def _unlocked(self) -> bytes:
        if self._key is None:
            raise RuntimeError("the key of a closed profile was used")
        return self._key

    def _check_owner(self, place: TextPlace) -> None:
        if place.learner_id != self.learner_id:
            raise PrivacyError("damaged", "This text belongs to another profile.")


def is_token(value: str) -> bool:
    """Whether a stored value is a sealed token (rather than readable text)."""
    return value.startswith(TOKEN_PREFIX)


def check_new_passphrase(passphrase: str) -> None:
    """Refuse a passphrase too short or too long to set.

    Raises:
        PrivacyError: "too_short" or "too_long".
    """
    length = len(_normalise(passphrase))
    if length < MIN_PASSPHRASE_LENGTH:
        raise PrivacyError(
            "too_short",
            f"Choose a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters; a few "
            "words you will remember work well.",
        )
    if length > MAX_PASSPHRASE_LENGTH:
        raise PrivacyError(
            "too_long", f"Choose a passphrase of at most {MAX_PASSPHRASE_LENGTH} characters."
        )


def derive(passphrase: str, params: KdfParams) -> tuple[bytes, bytes]:
    """The encryption key and the check value for a passphrase.

    Slow on purpose (Argon2id): call it from a worker thread.

    Raises:
        PrivacyError: "too_long" for a passphrase over the limit, "unavailable"
            when this computer's cryptography library cannot derive keys.
    """
    if len(passphrase) > MAX_PASSPHRASE_LENGTH * 4:
        raise PrivacyError(
            "too_long", f"A passphrase has at most {MAX_PASSPHRASE_LENGTH} characters."
        )
    try:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
        from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand
    except ImportError as error:  # an old cryptography, or none
        raise PrivacyError(
            "unavailable",
            "Passphrases need the Python package cryptography 44 or newer. Ask whoever "
            "installed peerskole to upgrade it.",
        ) from error
    try:
        master = Argon2id(
            salt=params.salt,
            length=KEY_BYTES,
            iterations=params.iterations,
            lanes=params.lanes,
            memory_cost=params.memory_kib,
        ).derive(_normalise(passphrase).encode("utf-8", "surrogatepass"))
    except MemoryError as error:
        raise PrivacyError(
            "unavailable", "This computer has too little free memory to open the profile."
        ) from error

    def expand(label: bytes) -> bytes:
        return HKDFExpand(algorithm=hashes.SHA256(), length=KEY_BYTES, info=label).derive(master)

    return expand(b"peerskole text key v1"), expand(b"peerskole passphrase check v1")


def new_key(learner_id: str, passphrase: str) -> ProfileKey:
    """A fresh key (new random salt) for a passphrase being set.

    Raises:
        PrivacyError: when the passphrase is too short or too long.
    """
    check_new_passphrase(passphrase)
    salt = os.urandom(SALT_BYTES)
    key, check = derive(passphrase, KdfParams(salt, b"\0" * KEY_BYTES))
    return ProfileKey(learner_id, key, KdfParams(salt, check))


def protection(store: Store, learner_id: str) -> KdfParams | None:
    """The profile's passphrase settings; None when it has no passphrase.

    Raises:
        PrivacyError: "damaged" when the settings cannot be read.
        StoreError: when the store cannot be read.
    """
    text = store.setting(learner_id, SETTING_KEY)
    return KdfParams.from_setting(text) if text else None


def unlock(params: KdfParams, learner_id: str, passphrase: str) -> ProfileKey:
    """The profile's key, if passphrase is the right one.

    Raises:
        PrivacyError: "wrong_passphrase" (nothing is decrypted to find out).
    """
    import hmac

    key, check = derive(passphrase, params)
    if not hmac.compare_digest(check, params.check):
        raise PrivacyError(
            "wrong_passphrase", "That passphrase does not open this profile. Try again."
        )
    return ProfileKey(learner_id, key, params)


def key_settings(key: ProfileKey | None) -> dict[str, str | None]:
    """The settings a private write of a session with this key depends on.

    None (no passphrase) expects none: a session that has not seen a passphrase
    being set elsewhere must not write readable text into a protected profile.
    """
    return key.expected_settings if key is not None else {SETTING_KEY: None}


# --- a role's key pair under its own passphrase (instructors, supervisors) -------------


@dataclass(frozen=True)
class RoleKeys:
    """What the store keeps of a role's key pair: how its passphrase is checked, the public
    key, and the private key sealed under the passphrase's key."""

    kdf: str
    """The KDF setting (:meth:`KdfParams.to_setting`)."""
    public_key: str
    sealed_private_key: str


def new_role_keys(passphrase: str, key_data: bytes) -> RoleKeys:
    """A new key pair for a role, its private key sealed under the passphrase (Argon2id:
    slow on purpose) and bound to ``key_data`` (who it belongs to).

    Raises:
        PrivacyError: for a passphrase too short or too long.
    """
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from peerskole import envelope

    check_new_passphrase(passphrase)
    salt = os.urandom(SALT_BYTES)
    key, check = derive(passphrase, KdfParams(salt, b"\0" * KEY_BYTES))
    private = envelope.new_private_key()
    nonce = os.urandom(NONCE_BYTES)
    sealed = nonce + AESGCM(key).encrypt(nonce, envelope.private_bytes(private), key_data)
    return RoleKeys(KdfParams(salt, check).to_setting(), envelope.public_text(private),
                    envelope.b64(sealed))


def open_role_keys(
    kdf: str, sealed_private_key: str, passphrase: str, key_data: bytes, *,
    start_try: Callable[[int, Callable[[int], int]], tuple[int, int]],
    clear_tries: Callable[[], None], at: int, who: str,
) -> X25519PrivateKey:
    """A role's private key, opened with its passphrase; guessing slowed for everyone as
    for profiles (the store counts the tries: ``start_try``, ``clear_tries``).

    Args:
        who: "this instructor", "this supervisor": how the messages name the role.

    Raises:
        PrivacyError: "wait" (nothing tried), "wrong_passphrase" (``wait`` says how long
            before the next try), "damaged" (the stored key cannot be opened).
        StoreError: when the store cannot be read or written.
    """
    import hmac

    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from peerskole import envelope

    params = KdfParams.from_setting(kdf)
    wait, failures = start_try(at, try_delay)
    if wait > 0:
        raise PrivacyError("wait", f"Too many wrong passphrases. Try again in {wait} seconds.",
                           wait)
    key, check = derive(passphrase, params)
    if not hmac.compare_digest(check, params.check):
        raise PrivacyError("wrong_passphrase",
                           f"That passphrase does not open {who}. Try again.",
                           try_delay(failures))
    clear_tries()
    try:
        raw = envelope.unb64(sealed_private_key)
        private = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], key_data)
        return envelope.private_key_from(private)
    except (ValueError, InvalidTag) as error:
        raise PrivacyError("damaged", f"The key of {who} is damaged. A coordinator can "
                           f"remove {who} and add them again.") from error


def try_delay(failures: int) -> int:
    """Seconds to wait before the next passphrase try after this many wrong ones."""
    if failures < FREE_TRIES:
        return 0
    return int(min(FIRST_WAIT_SECONDS * 2 ** min(failures - FREE_TRIES, 32), MAX_WAIT_SECONDS))


def unlock_profile(
    store: Store, params: KdfParams, learner_id: str, passphrase: str,
    clock: Callable[[], float] | None = None,
) -> ProfileKey:
    """The profile's key, if passphrase is right, with guessing slowed for everyone.

    Each try is counted in the store before the key is derived, so parallel windows
    and processes share the count (see Store.start_passphrase_try); after
    FREE_TRIES wrong ones each further try waits, twice as long each time up to
    MAX_WAIT_SECONDS. The right passphrase resets the count.

    Args:
        store: where the count is kept.
        params: the profile's passphrase settings.
        learner_id: whose profile.
        passphrase: what was typed.
        clock: now, in seconds since the epoch (time.time unless a test sets it).

    Raises:
        PrivacyError: "wait" (nothing tried; ``wait`` says how long) or
            "wrong_passphrase" (``wait`` says how long before the next try).
        StoreError: when the store cannot be written.
    """
    at = int((clock or time.time)())
    wait, failures = store.start_passphrase_try(learner_id, at, try_delay)
    if wait > 0:
        raise PrivacyError(
            "wait", f"Too many wrong passphrases. Try again in {wait} seconds.", wait
        )
    try:
        key = unlock(params, learner_id, passphrase)
    except PrivacyError as error:
        error.wait = try_delay(failures)
        raise
    store.clear_passphrase_tries(learner_id)
    publish_exchange_key(store, key)
    return key


def publish_exchange_key(store: Store, key: ProfileKey) -> None:
    """Publish the profile's exchange public key when the store lacks it.

    A profile protected before instructors' replies existed has none until it is next
    opened. Written only while the passphrase settings are still the key's, so a key
    changed meanwhile is never published.

    Raises:
        StoreError: when the store cannot be written (not "stale": then the profile has
            another key now, which publishes its own).
    """
    from peerskole.store.base import StoreError

    public = key.exchange_public()
    if store.setting(key.learner_id, EXCHANGE_SETTING) == public:
        return
    try:
        store.set_setting(key.learner_id, EXCHANGE_SETTING, public,
                          if_settings=key.expected_settings)
    except StoreError as error:
        if error.problem != "stale":
            raise


def rekey(
    store: Store, learner_id: str, old: ProfileKey | None, new: ProfileKey | None
) -> int:
    """Set, change or remove a profile's passphrase, re-sealing every private text.

    All in one store transaction: either every text and the settings change, or
    nothing does.

    Args:
        store: the store.
        learner_id: whose profile.
        old: the current key; None when the profile has no passphrase yet.
        new: the new key; None removes the passphrase (every text becomes readable).

    Returns:
        How many texts were rewritten.

    Raises:
        PrivacyError: "stale" when old is not the profile's current key (the
            passphrase changed elsewhere), "damaged" when a text cannot be opened
            with the old key (nothing is changed then).
        StoreError: when the store cannot be written (nothing is changed then).
    """
    for key in (old, new):
        if key is not None and key.learner_id != learner_id:
            raise PrivacyError("damaged", "That key belongs to another profile.")

    def rewrite(item: PrivateText) -> str:
        if item.kind == "message":
            return _rewrapped(item, old, new)
        place = place_of(learner_id, item)
        plain = _readable(item.value, place, old, new)
        if new is None or (item.kind == "reflection" and item.shared):
            return plain
        return new.seal(plain, place)

    from peerskole.store.base import StoreError

    setting = new.params.to_setting() if new is not None else None
    exchange = new.exchange_public() if new is not None else None
    try:
        return store.rewrite_private_text(learner_id, rewrite,
                                          {SETTING_KEY: setting, EXCHANGE_SETTING: exchange},
                                          if_settings=key_settings(old))
    except StoreError as error:
        if error.problem != "stale":
            raise
        # old is not the profile's key (any more): the passphrase was set, changed or
        # removed elsewhere since old was opened, and re-keying from it would lose text.
        raise PrivacyError(
            "stale",
            "The passphrase of this profile was changed elsewhere meanwhile, so nothing "
            "was changed here. Open the profile with its current passphrase first.",
        ) from error


def place_of(learner_id: str, item: PrivateText) -> TextPlace:
    """The place a stored private text belongs to (a reflection or a practice value)."""
    if item.kind == "message":
        raise PrivacyError("damaged", "A message is sealed to a key, not to a place.")
    return TextPlace(learner_id, item.course_id, item.module_id, item.step_id, item.kind,
                     item.field)


def open_message_copy(key: ProfileKey | None, value: str, context: bytes) -> str:
    """The learner's copy of a dialogue message as they wrote or received it.

    Readable on a profile without a passphrase (like its other text); sealed to the
    profile's exchange key on one with.

    Raises:
        PrivacyError: "damaged" when it is sealed and this key cannot open it
            (or there is no key).
    """
    from peerskole.envelope import LEARNER, EnvelopeError, is_envelope, open_envelope

    if not is_envelope(value):
        return value
    if key is None:
        raise PrivacyError("damaged", "This message is sealed; open the profile to read it.")
    try:
        return open_envelope(value, LEARNER, key.exchange_key(), context)
    except EnvelopeError as error:
        raise PrivacyError(
            "damaged",
            "A message could not be opened: it is damaged, or it was sealed to another "
            "passphrase.",
        ) from error


def seal_message_copy(key: ProfileKey | None, text: str, context: bytes) -> str:
    """The learner's copy of a message to store: sealed to the exchange key when the
    profile has a passphrase, else the text as it is."""
    from peerskole.envelope import LEARNER, seal

    if key is None:
        return text
    return seal(text, {LEARNER: key.exchange_public()}, context)


def _rewrapped(item: PrivateText, old: ProfileKey | None, new: ProfileKey | None) -> str:
    """A learner's copy of a message, opened with the old key and sealed to the new one."""
    from peerskole.envelope import message_context

    context = message_context(item.field, item.course_id, item.module_id, item.step_id)
    plain: str | None = None
    for key in (old, new):
        try:
            plain = open_message_copy(key, item.value, context)
            break
        except PrivacyError:
            continue
    if plain is None:
        raise PrivacyError(
            "damaged",
            "A message of this profile could not be opened with the current passphrase, so "
            "the passphrase was not changed.",
        )
    return seal_message_copy(new, plain, context)


def reveal(key: ProfileKey | None, value: str, place: TextPlace, shared: bool = False) -> str:
    """A stored value as the learner wrote it.

    Readable values (an unprotected profile, a shared reflection) come back as
    they are.

    Raises:
        PrivacyError: "damaged" when a sealed value cannot be opened.
    """
    if key is None or shared or not is_token(value):
        return value
    return key.open(value, place)


def conceal(key: ProfileKey | None, text: str, place: TextPlace, shared: bool = False) -> str:
    """The value to store for text: sealed when the profile has a key and it is private."""
    if key is None or shared:
        return text
    return key.seal(text, place)


def _readable(
    value: str, place: TextPlace, old: ProfileKey | None, new: ProfileKey | None
) -> str:
    """The readable text of a stored value, whichever state it is in.

    A value written while the passphrase was being changed may already be under
    the new key (or readable, when it is being removed), so each is tried.
    """
    if not is_token(value):
        return value
    for key in (old, new):
        if key is not None:
            try:
                return key.open(value, place)
            except PrivacyError:
                continue
    if old is None:
        return value  # readable text that merely starts like a token
    raise PrivacyError(
        "damaged",
        "Some private text of this profile could not be opened with the current passphrase, "
        "so the passphrase was not changed.",
    )


# --- signing in by name (``peerskole serve``) -------------------------------------------
#
# In a browser no tab may see who else has a profile, nor open one without its
# passphrase: a trainee gives name, cohort and passphrase, and these functions decide.


SignInOutcome = Literal["opened", "new", "unprotected"]


@dataclass(frozen=True)
class SignIn:
    """What a sign-in with name, cohort and passphrase found."""

    outcome: SignInOutcome
    """"opened": the passphrase opened ``learner``'s profile (``key`` is its key);
    "new": there is no profile of that name in that cohort, so one may be created
    (:func:`create_protected`); "unprotected": ``learner`` has that name and no
    passphrase yet, so the one typed may be set (:func:`protect_profile`)."""
    learner: Learner | None = None
    """The profile opened, or the unprotected one found; None for "new"."""
    key: ProfileKey | None = None
    """The opened profile's key; None unless "opened"."""


def profiles_named(store: Store, name: str, cohort: str | None) -> list[Learner]:
    """The profiles of that name in that cohort (no cohort: those without one).

    Names are compared as :func:`peerskole.store.base.same_name` does, cohorts as
    :func:`peerskole.store.base.cohort_code`.
    """
    from peerskole.store.base import cohort_code, same_name

    code = cohort_code(cohort)
    return [learner for learner in store.learners(code)
            if learner.cohort == code and same_name(learner.display_name, name)]


def open_by_name(
    store: Store, name: str, cohort: str | None, passphrase: str,
    clock: Callable[[], float] | None = None,
) -> SignIn:
    """Open the profile that name, cohort and passphrase belong to.

    Every protected profile of that name in that cohort is tried with the passphrase
    through :func:`unlock_profile`, so wrong tries are counted in the store and slowed
    for every tab and window alike. Two people of one name in one cohort each open
    their own profile with their own passphrase.

    Args:
        store: the store.
        name: the name typed.
        cohort: the cohort code typed (None or "" for none).
        passphrase: the passphrase typed.
        clock: now, in seconds since the epoch (for tests).

    Returns:
        "opened" with the learner and key; else "unprotected" when a profile of that
        name has no passphrase yet, or "new" when there is no profile of that name.

    Raises:
        PrivacyError: "wrong_passphrase" when profiles of that name exist, all
            protected, and the passphrase opens none of them; "wait" when each of them
            must wait before the next try (``wait`` is the shortest wait).
        StoreError: when the store cannot be read or the try not counted.
    """
    found = profiles_named(store, name, cohort)
    unprotected: Learner | None = None
    refusals: list[PrivacyError] = []
    for learner in found:
        params = protection(store, learner.id)
        if params is None:
            unprotected = unprotected or learner
            continue
        try:
            key = unlock_profile(store, params, learner.id, passphrase, clock)
        except PrivacyError as error:
            if error.problem not in ("wrong_passphrase", "wait"):
                raise
            refusals.append(error)
            continue
        return SignIn("opened", learner, key)
    if unprotected is not None:
        return SignIn("unprotected", unprotected)
    if not refusals:
        return SignIn("new")
    wrong = [error for error in refusals if error.problem == "wrong_passphrase"]
    if wrong:
        # The wait the next try needs is the longest any of them counts.
        raise max(wrong, key=lambda error: error.wait)
    raise min(refusals, key=lambda error: error.wait)


def create_protected(
    store: Store, name: str, cohort: str | None, passphrase: str
) -> tuple[Learner, ProfileKey]:
    """A new profile, with its passphrase set from the start.

    Raises:
        PrivacyError: "too_short" or "too_long" (nothing is created then).
        StoreError: when the store cannot be written.
    """
    check_new_passphrase(passphrase)
    learner = store.add_learner(name, cohort)
    return learner, protect_profile(store, learner, passphrase)


def protect_profile(store: Store, learner: Learner, passphrase: str) -> ProfileKey:
    """Set the first passphrase of a profile that has none; its private text is sealed.

    Raises:
        PrivacyError: "too_short" or "too_long"; "stale" when a passphrase was set
            elsewhere meanwhile (nothing is changed then).
        StoreError: when the store cannot be written.
    """
    key = new_key(learner.id, passphrase)
    rekey(store, learner.id, None, key)
    return key


def _normalise(passphrase: str) -> str:
    # The same passphrase typed on another keyboard may compose "å" differently.
    return unicodedata.normalize("NFC", passphrase)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not text")
    try:
        return base64.urlsafe_b64decode(text.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError) as error:
        raise ValueError("not base64") from error

