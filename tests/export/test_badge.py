"""Signed Open Badges: checked by an independent JOSE library, the key kept private, bad files said.

jwcrypto (the test extra) is the verifier that is not ours: it checks the signature
with the public key the badge carries, and refuses it once one byte is changed.
"""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from peerskole.export.badge_signature import issuer_key, sign_badge, verify_badge
from peerskole.export.openbadge import plain_description
from peerskole.store.sqlite import ISSUER_KEY_NAME, SQLiteStore
from tests.conftest import REPO_DIR, import_or_unavailable
from tests.export.conftest import World, run_cli

jwcrypto_jwk = import_or_unavailable(
    "jwcrypto.jwk", "jwcrypto (the test extra) verifies badges independently: "
    "pip install -e '.[test]'"
)
jwcrypto_jws = import_or_unavailable("jwcrypto.jws", "jwcrypto (the test extra) is missing")
jwcrypto_common = import_or_unavailable("jwcrypto.common", "jwcrypto (the test extra) is missing")

ORGANISATION = "Recovery-skolen Ærø"


def b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and payload of a compact JWS, read without any check."""
    header, payload, _ = token.split(".")
    return json.loads(b64decode(header)), json.loads(b64decode(payload))


def make_badge(world: World, tmp_path: Path, name: str = "badge.jwt") -> str:
    out = tmp_path / name
    assert run_cli("certificate", world.done, "mini", "--format", "openbadge", "-o", str(out),
                   "--organisation", ORGANISATION) == 0
    text = out.read_text(encoding="ascii")
    assert text.endswith("\n") and text.count("\n") == 1  # one line
    return text.strip()


def independent_verify(token: str, public_jwk: dict[str, str]) -> dict[str, Any]:
    """Check the signature with jwcrypto; returns the payload it vouches for."""
    key = jwcrypto_jwk.JWK(**public_jwk)
    signed = jwcrypto_jws.JWS()
    signed.deserialize(token)
    signed.verify(key, alg="EdDSA")
    payload: dict[str, Any] = json.loads(signed.payload)
    return payload


def test_the_badge_is_a_signed_open_badge_3_credential(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token = make_badge(world, tmp_path)
    assert "made the organisation's badge signing key" in capsys.readouterr().err
    header, badge = parts(token)
    assert header["alg"] == "EdDSA" and header["typ"] == "vc+jwt" and header["cty"] == "vc"
    assert badge["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["id"].startswith("urn:uuid:") and badge["jti"] == badge["id"]
    issuer = badge["issuer"]
    assert issuer["id"].startswith("did:key:z6Mk") and badge["iss"] == issuer["id"]
    assert header["kid"] == f"{issuer['id']}#{issuer['id'].removeprefix('did:key:')}"
    assert issuer["type"] == ["Profile"] and issuer["name"] == ORGANISATION
    assert badge["validFrom"] == "2026-03-02T08:30:00+00:00"
    assert badge["nbf"] == 1772440200  # validFrom in seconds
    assert "proof" not in badge  # the JWS is the proof
    subject = badge["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"][0]["identityHash"] == "Ærø Åse"
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["id"] == "https://peerskole.invalid/courses/mini"  # the default
    assert achievement["name"] == "Minikursus" and achievement["version"] == "1.0"
    assert achievement["description"] == "Et lille kursus til test."
    assert "Første modul" in achievement["criteria"]["narrative"]

    # The same completion, the same credential id; the same key signs it.
    _, again = parts(make_badge(world, tmp_path, "again.jwt"))
    assert again["id"] == badge["id"] and again["issuer"]["id"] == issuer["id"]
    assert "made the" not in capsys.readouterr().err


def test_an_independent_library_verifies_it_and_refuses_one_changed_byte(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token = make_badge(world, tmp_path)
    capsys.readouterr()
    # The key as the organisation publishes it, and as the badge carries it.
    assert run_cli("badge", "key") == 0
    published = capsys.readouterr().out
    header, _ = parts(token)
    jwk_line = next(line for line in published.splitlines() if line.startswith("Public key"))
    public_jwk = json.loads(jwk_line.split(": ", 1)[1])
    assert public_jwk == header["jwk"]
    assert jwcrypto_jwk.JWK(**public_jwk).thumbprint() in published

    payload = independent_verify(token, public_jwk)
    assert payload["credentialSubject"]["identifier"][0]["identityHash"] == "Ærø Åse"

    head, body, signature = token.split(".")
    raw = bytearray(b64decode(body))
    at = raw.index("Ærø Åse".encode())
    raw[at + 4] ^= 0x01  # one byte of the credential: "Å" becomes another letter's bytes
    changed_payload = f"{head}.{b64encode(bytes(raw))}.{signature}"
    sig = bytearray(b64decode(signature))
    sig[10] ^= 0x01  # one byte of the signature
    changed_signature = f"{head}.{body}.{b64encode(bytes(sig))}"
    middle = len(token) // 2  # one byte of the file itself, inside the payload's text
    changed_file = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1:]
    for changed in (changed_payload, changed_signature, changed_file):
        with pytest.raises(jwcrypto_common.JWException):
            independent_verify(changed, public_jwk)
        forged = tmp_path / "changed.jwt"
        forged.write_text(changed + "\n", encoding="ascii")
        assert run_cli("badge", "verify", str(forged)) == 1
        assert "is not a valid badge" in capsys.readouterr().err

    good = tmp_path / "badge.jwt"
    assert run_cli("badge", "verify", str(good)) == 0
    out = capsys.readouterr().out
    for expected in ("a valid Open Badge", "Ærø Åse", "Minikursus (version 1.0)", ORGANISATION,
                     header["jwk"] and public_jwk["x"] and "did:key:z6Mk",
                     "2026-03-02T08:30:00+00:00", payload["id"]):
        assert expected in out, expected


def test_the_key_is_made_once_private_and_refused_when_others_may_read_it(
    world: World, store: SQLiteStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = world.data_dir / ISSUER_KEY_NAME
    assert not key_file.exists()
    token = make_badge(world, tmp_path)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    pem = key_file.read_text(encoding="ascii")
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    secret = pem.splitlines()[1]
    capsys.readouterr()
    assert run_cli("badge", "key") == 0
    shown = capsys.readouterr()
    assert secret not in shown.out + shown.err and "PRIVATE KEY" not in shown.out + shown.err
    assert str(key_file) in shown.out

    os.chmod(key_file, 0o644)
    out = tmp_path / "refused.jwt"
    assert run_cli("certificate", world.done, "mini", "--format", "openbadge", "-o", str(out),
                   "--organisation", ORGANISATION) == 1
    err = capsys.readouterr().err
    assert "may be read by other users" in err and f"chmod 600 {key_file}" in err
    assert "Traceback" not in err and secret not in err
    assert not out.exists()
    assert key_file.read_text(encoding="ascii") == pem  # refused, not replaced

    os.chmod(key_file, 0o600)
    again = make_badge(world, tmp_path, "again.jwt")
    assert parts(again)[1]["issuer"]["id"] == parts(token)[1]["issuer"]["id"]


def test_a_second_key_kept_at_the_same_time_loses_to_the_first(store: SQLiteStore) -> None:
    first, made = issuer_key(store)
    assert made
    other = SQLiteStore(store.path)
    try:
        # Another process that found no key and made its own: the first one is kept.
        assert other.keep_badge_issuer_key("not this one") == store.badge_issuer_key()
        second, made_again = issuer_key(other)
    finally:
        other.close()
    assert not made_again and second.did == first.did


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\xc5se \xff\xfe", "is not text (byte 0xC5 at position 0)"),
        (b"", "It is empty"),
        (b"hello world", "has 1 part(s)"),
        (b'{"@context": []}', "It is JSON, not a signed badge"),
        (b"a.b", "has 2 part(s)"),
        (b"!!!.???.***", "is not base64url"),
        (b"e30.e30.e30", "algorithm none"),
        (b"x" * (1024 * 1024 + 10), "far longer than a badge"),
    ],
)
def test_verify_says_why_garbage_is_no_badge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, reason: str
) -> None:
    path = tmp_path / "badge.jwt"
    path.write_bytes(content)
    assert run_cli("badge", "verify", str(path)) == 1
    captured = capsys.readouterr()
    assert "is not a valid badge" in captured.err and reason in captured.err, captured.err
    assert "Traceback" not in captured.err and captured.out == ""


def test_verify_says_why_a_tampered_or_cut_badge_fails(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token = make_badge(world, tmp_path)
    head, body, signature = token.split(".")
    header, payload = parts(token)

    def encoded(value: dict[str, Any]) -> str:
        return b64encode(json.dumps(value).encode())

    other_key_store = SQLiteStore(tmp_path / "other" / "peerskole.sqlite3")
    try:
        other, _ = issuer_key(other_key_store)
    finally:
        other_key_store.close()
    unsigned = {k: v for k, v in payload.items() if k not in ("iss", "jti", "nbf")}
    unsigned["issuer"] = dict(payload["issuer"], id=other.did)

    def forged(signing_input: str) -> str:
        return f"{signing_input}.{b64encode(other.private.sign(signing_input.encode()))}"

    cases = {
        "cut short": (token[: len(token) - 20], "signature does not match"),
        "cut in the payload": (token[: len(head) + 30], "has 2 part(s)"),
        "alg none": (f"{encoded(dict(header, alg='none'))}.{body}.", "algorithm \"none\""),
        "alg HS256": (f"{encoded(dict(header, alg='HS256'))}.{body}.{signature}",
                      "algorithm \"HS256\""),
        "another issuer in the same token": (
            f"{head}.{encoded(dict(payload, issuer=dict(payload['issuer'], id=other.did)))}."
            f"{signature}", "names another signing key"),
        "signed by another key, in the issuer's name": (
            forged(f"{head}.{encoded(dict(payload, name='Forfalsket'))}"),
            "signature does not match"),
        "not an open badge": (
            sign_badge(dict(unsigned, type=["VerifiableCredential"]), other),
            "it is not an Open Badge"),
        "not yet valid": (
            sign_badge(dict(unsigned, validFrom="2999-01-01T00:00:00+00:00"), other),
            "which has not come"),
        "expired": (
            sign_badge(dict(unsigned, validUntil="2026-03-03T00:00:00+00:00"), other),
            "It expired on 2026-03-03"),
    }
    for name, (text, reason) in cases.items():
        path = tmp_path / "case.jwt"
        path.write_text(text, encoding="ascii")
        assert run_cli("badge", "verify", str(path)) == 1, name
        err = capsys.readouterr().err
        assert reason in err, (name, err)
        assert "Traceback" not in err

    assert run_cli("badge", "verify", str(tmp_path / "missing.jwt")) == 1
    assert "Cannot read" in capsys.readouterr().err
    assert run_cli("badge", "verify", str(tmp_path)) == 1
    assert "Cannot read" in capsys.readouterr().err


def test_verify_badge_accepts_a_badge_signed_by_any_key_it_carries(store: SQLiteStore) -> None:
    key, _ = issuer_key(store)
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:1", "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": key.did, "type": ["Profile"], "name": "O"},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
            "id": "https://x.example/a", "type": ["Achievement"], "name": "A"}},
    }
    verified = verify_badge(sign_badge(credential, key).encode())
    assert verified.issuer_id == key.did and verified.thumbprint == key.thumbprint
    assert verified.recipient == "(not named)" and verified.achievement_name == "A"


def test_description_is_plain_text_without_the_note_on_support_contacts() -> None:
    import tomllib

    manifest = tomllib.loads((REPO_DIR / "courses" / "peer-grundforloeb" / "course.toml")
                             .read_text(encoding="utf-8"))
    text = plain_description(manifest["description"])
    assert text.startswith("Et grundforløb for dig, der har levede erfaringer")
    assert "ikke som erstatning for dem." in text
    for left_out in ("støttekontakt", "Kontaktpersonerne", "112", "**", "\n\n\n"):
        assert left_out not in text, left_out
    assert text.count("\n\n") == 1  # two paragraphs, each on one line
    assert plain_description(
        "# Kursus\n\nLær *aktiv* lytning med **øvelser**, [se mere](https://x.dk) og "
        "`kode`; snake_case bliver.\n\n- ét\n- to\n  fortsat\n\n__Bemærk:__ til den lærende"
    ) == ("Kursus\n\nLær aktiv lytning med øvelser, se mere og kode; snake_case bliver.\n\n"
          "- ét\n- to fortsat")


def test_achievement_id_comes_from_the_setting(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("settings", "set", "badge_achievement_base", "kursus.example.dk") == 1
    assert "must be an http(s) address" in capsys.readouterr().err
    assert run_cli("settings", "set", "xapi_activity_base", "https://lrs.example.dk/x") == 0
    achievement = parts(make_badge(world, tmp_path))[1]["credentialSubject"]["achievement"]
    assert achievement["id"] == "https://lrs.example.dk/x/courses/mini"
    assert run_cli("settings", "set", "badge_achievement_base",
                   "https://kursus.example.dk/badges/") == 0
    achievement = parts(make_badge(world, tmp_path))[1]["credentialSubject"]["achievement"]
    assert achievement["id"] == "https://kursus.example.dk/badges/mini"


def test_did_key_base58_matches_the_published_vectors() -> None:
    from peerskole.export.badge_signature import (
        _base58_decode,
        _base58_encode,
        did_key,
        public_key_of_did,
    )

    # draft-msporny-base58's examples: text, and leading zero bytes as leading "1"s.
    assert _base58_encode(b"Hello World!") == "2NEpo7TZRRrLZSi2U"
    assert _base58_encode(bytes.fromhex("0000287fb4cd")) == "11233QC4"
    assert _base58_decode("11233QC4") == bytes.fromhex("0000287fb4cd")
    public = bytes(range(32))
    assert did_key(public).startswith("did:key:z6Mk")  # Ed25519's multicodec 0xed01
    assert public_key_of_did(did_key(public)) == public
    assert public_key_of_did("did:key:z0OIl") is None  # not base58
    assert public_key_of_did("did:web:example.org") is None


def test_verify_reads_standard_input(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io
    import sys

    token = make_badge(world, tmp_path)
    capsys.readouterr()
    stdin = io.TextIOWrapper(io.BytesIO((token + "\n").encode("ascii")))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert run_cli("badge", "verify", "-") == 0
    assert "standard input: a valid Open Badge" in capsys.readouterr().out


def test_no_badge_for_a_statement_of_participation(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "badge.jwt"
    assert run_cli("certificate", world.partial, "mini", "--participation", "--format",
                   "openbadge", "-o", str(out), "--organisation", "O") == 2
    assert "a statement of participation is a PDF" in capsys.readouterr().err
    assert not out.exists()


def test_a_badge_for_a_module_recorded_today_is_valid_at_once(store: SQLiteStore) -> None:
    """A coordinator's record has a date alone, read as noon: a badge made that morning
    is valid from when it is made, not refused by verifiers until noon."""
    import datetime as dt

    from peerskole.export.certificate import Certificate, ModuleLine
    from peerskole.export.openbadge import open_badge

    day = dt.date.today() + dt.timedelta(days=1)  # noon of it is surely still ahead
    certificate = Certificate(
        "408f6d5a-351f-5cc6-81a3-867613f1a228", "abc", "Åse", "kursus", "Kurset", "1.0",
        "Om kurset.", "da", (ModuleLine("m", "Modul", day.isoformat(), True, ()),), 0,
        day.isoformat(), "Skolen", day.isoformat())
    key, _ = issuer_key(store)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    badge = open_badge(certificate, key.did, "https://x.example/a")
    assert before <= dt.datetime.fromisoformat(badge["validFrom"]) <= dt.datetime.now(dt.UTC)
    assert badge["credentialSubject"]["activityEndDate"].startswith(f"{day}T12:00")
    verified = verify_badge(sign_badge(badge, key).encode())  # valid now
    assert verified.recipient == "Åse"
    # An earned moment in the past stays the moment it is valid from.
    past = open_badge(certificate, key.did, "https://x.example/a",
                      now=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert past["validFrom"] == f"{day}T12:00:00+00:00"
