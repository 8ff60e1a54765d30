"""Envelopes: a text sealed to X25519 keys opens for its recipients only, in its place only."""

from __future__ import annotations

import pytest

from peerskole import envelope
from peerskole.envelope import EnvelopeError

CONTEXT = envelope.message_context("m1", "kursus", "modul", "trin")


def test_each_recipient_opens_it_and_nobody_else() -> None:
    a, b, c = (envelope.new_private_key() for _ in range(3))
    token = envelope.seal("Hej Åse", {"a": envelope.public_text(a),
                                      "b": envelope.public_text(b)}, CONTEXT)
    assert "Hej" not in token and envelope.is_envelope(token)
    assert envelope.recipients(token) == {"a", "b"}
    assert envelope.open_envelope(token, "a", a, CONTEXT) == "Hej Åse"
    assert envelope.open_envelope(token, "b", b, CONTEXT) == "Hej Åse"
    for rid, key in (("c", c), ("a", c), ("a", b)):
        with pytest.raises(EnvelopeError):
            envelope.open_envelope(token, rid, key, CONTEXT)


def test_it_does_not_open_in_another_place() -> None:
    key = envelope.new_private_key()
    token = envelope.seal("tekst", {"a": envelope.public_text(key)}, CONTEXT)
    for elsewhere in (envelope.message_context("m2", "kursus", "modul", "trin"),
                      envelope.message_context("m1", "kursus", "modul", "andet")):
        with pytest.raises(EnvelopeError):
            envelope.open_envelope(token, "a", key, elsewhere)


def test_a_new_recipient_can_be_added_by_one_who_can_open_it() -> None:
    a, b = envelope.new_private_key(), envelope.new_private_key()
    token = envelope.seal("tekst", {"a": envelope.public_text(a)}, CONTEXT)
    with pytest.raises(EnvelopeError):
        envelope.add_recipients(token, "b", b, CONTEXT, {"b": envelope.public_text(b)})
    more = envelope.add_recipients(token, "a", a, CONTEXT, {"b": envelope.public_text(b)})
    assert envelope.open_envelope(more, "b", b, CONTEXT) == "tekst"


@pytest.mark.parametrize("token", ["", "env1:", "env1:!!", "env1:e30=", "enc1:abc", "tekst"])
def test_broken_envelopes_are_damaged(token: str) -> None:
    with pytest.raises(EnvelopeError):
        envelope.open_envelope(token, "a", envelope.new_private_key(), CONTEXT)


def test_a_flipped_bit_is_detected() -> None:
    key = envelope.new_private_key()
    token = envelope.seal("tekst", {"a": envelope.public_text(key)}, CONTEXT)
    body, wraps = envelope._unpack(token)
    flipped = bytes([body[0], body[1] ^ 1]) + body[2:]
    with pytest.raises(EnvelopeError):
        envelope.open_envelope(envelope._pack(flipped, wraps), "a", key, CONTEXT)
