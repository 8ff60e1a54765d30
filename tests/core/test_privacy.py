"""Passphrase-protected profiles: key derivation, sealing, and re-keying a real store.

The re-keying tests run on both backends (tests/core/conftest.py's ``store``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from peerskole import privacy
from peerskole.privacy import KdfParams, PrivacyError, TextPlace
from peerskole.store.sql import SQLStore
from peerskole.store.sqlite import SQLiteStore


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore(tmp_path / "data" / "p.sqlite3")
    yield s
    s.close()


PLACE = TextPlace("l1", "kursus", "m1", "s1", "reflection")


def test_parameters_are_owasp_minimum_or_stronger() -> None:
    key = privacy.new_key("l1", "korrekt hest batteri")
    params = KdfParams.from_setting(key.params.to_setting())
    assert params == key.params
    assert params.memory_kib >= 19456 and params.iterations >= 2 and params.lanes == 1
    assert len(params.salt) == 16
    assert json.loads(key.params.to_setting())["kdf"] == "argon2id"


def test_salt_is_new_each_time() -> None:
    a = privacy.new_key("l1", "korrekt hest batteri")
    b = privacy.new_key("l1", "korrekt hest batteri")
    assert a.params.salt != b.params.salt and a.params.check != b.params.check


def test_unlock_with_right_and_wrong_passphrase() -> None:
    key = privacy.new_key("l1", "korrekt hest batteri")
    token = key.seal("Jeg var indlagt i 2019.", PLACE)
    again = privacy.unlock(key.params, "l1", "korrekt hest batteri")
    assert again.open(token, PLACE) == "Jeg var indlagt i 2019."
    with pytest.raises(PrivacyError) as caught:
        privacy.unlock(key.params, "l1", "korrekt hest batteri!")
    assert caught.value.problem == "wrong_passphrase"


def test_passphrase_is_unicode_normalised() -> None:
    composed, decomposed = "bl\u00e5b\u00e6r og m\u00e5ne", "bla\u030ab\u00e6r og ma\u030ane"
    key = privacy.new_key("l1", composed)
    privacy.unlock(key.params, "l1", decomposed)


def test_every_seal_has_its_own_nonce() -> None:
    key = privacy.new_key("l1", "korrekt hest batteri")
    assert key.seal("samme", PLACE) != key.seal("samme", PLACE)


@pytest.mark.parametrize(
    "elsewhere",
    [
        TextPlace("l1", "kursus", "m1", "s2", "reflection"),
        TextPlace("l1", "kursus", "m2", "s1", "reflection"),
        TextPlace("l1", "andet", "m1", "s1", "reflection"),
        TextPlace("l1", "kursus", "m1", "s1", "practice", ""),
        TextPlace("l1", "kursus", "m1", "s1", "practice", "note"),
    ],
)
def test_a_token_does_not_open_in_another_place(elsewhere: TextPlace) -> None:
    key = privacy.new_key("l1", "korrekt hest batteri")
    token = key.seal("privat", PLACE)
    with pytest.raises(PrivacyError) as caught:
        key.open(token, elsewhere)
    assert caught.value.problem == "damaged"


def test_a_token_does_not_open_for_another_learner() -> None:
    mine = privacy.new_key("l1", "korrekt hest batteri")
    # Same passphrase and salt for another learner: the learner id is still bound.
    assert mine._key is not None
    theirs = privacy.ProfileKey("l2", mine._key, mine.params)
    token = mine.seal("privat", PLACE)
    with pytest.raises(PrivacyError):
        theirs.open(token, TextPlace("l2", "kursus", "m1", "s1", "reflection"))


@pytest.mark.parametrize("token", ["enc1:", "enc1:!!!", "enc1:AAAA", "plain", "enc1:" + "A" * 60])
def test_broken_tokens_are_damaged(token: str) -> None:
    key = privacy.new_key("l1", "korrekt hest batteri")
    with pytest.raises(PrivacyError) as caught:
        key.open(token, PLACE)
    assert caught.value.problem == "damaged"


def test_a_flipped_bit_is_detected() -> None:
    key = privacy.new_key("l1", "korrekt hest batteri")
    token = key.seal("privat", PLACE)
    raw = bytearray(privacy._unb64(token[5:]))
    raw[-1] ^= 1
    with pytest.raises(PrivacyError):
        key.open("enc1:" + privacy._b64(bytes(raw)), PLACE)


@pytest.mark.parametrize("text", ["kort", "", "       "])
def test_short_passphrases_are_refused(text: str) -> None:
    with pytest.raises(PrivacyError) as caught:
        privacy.new_key("l1", text)
    assert caught.value.problem == "too_short"


@pytest.mark.parametrize(
    "setting",
    ["", "{}", "[]", "null", '{"kdf": "argon2id"}',
     '{"kdf":"argon2id","cipher":"aes-256-gcm","m":99999999999,"t":2,"p":1,'
     '"salt":"AAAAAAAAAAAAAAAAAAAAAA==","check":"' + "A" * 44 + '"}'],
)
def test_damaged_settings_are_reported(setting: str) -> None:
    with pytest.raises(PrivacyError) as caught:
        KdfParams.from_setting(setting)
    assert caught.value.problem == "damaged"


def _fill(store: SQLStore, learner_id: str, key: privacy.ProfileKey | None) -> None:
    r1 = TextPlace(learner_id, "kursus", "m1", "r1", "reflection")
    store.save_reflection(learner_id, "kursus", "m1", "r1",
                          privacy.conceal(key, "Min hemmelige refleksion", r1), False)
    store.save_reflection(learner_id, "kursus", "m1", "r2", "Delt med underviseren", True)
    values = {"what": "Samtale med Bo", "minutes": "15"}
    store.add_practice_entry(
        learner_id, "kursus", "m2", "p1",
        {name: privacy.conceal(key, v, TextPlace(learner_id, "kursus", "m2", "p1", "practice",
                                                  name))
         for name, v in values.items()},
    )


def _read(store: SQLStore, learner_id: str, key: privacy.ProfileKey | None) -> dict[str, str]:
    found: dict[str, str] = {}
    for step in ("r1", "r2"):
        saved = store.reflection(learner_id, "kursus", "m1", step)
        assert saved is not None
        found[step] = privacy.reveal(
            key, saved.text, TextPlace(learner_id, "kursus", "m1", step, "reflection"),
            saved.shared,
        )
    (entry,) = store.practice_entries(learner_id, "kursus", "m2", "p1")
    for name, value in entry.values.items():
        found[name] = privacy.reveal(
            key, value, TextPlace(learner_id, "kursus", "m2", "p1", "practice", name)
        )
    return found


EXPECTED = {"r1": "Min hemmelige refleksion", "r2": "Delt med underviseren",
            "what": "Samtale med Bo", "minutes": "15"}


def _raw_text(store: SQLStore, learner_id: str) -> str:
    """Every private text of a learner as the database holds it (sealed or not)."""
    rows = store._read(lambda db: db.execute(
        "SELECT text FROM reflections WHERE learner_id = ? UNION ALL "
        "SELECT fields FROM practice_entries WHERE learner_id = ?",
        (learner_id, learner_id)).fetchall())
    return "\n".join(r[0] for r in rows)


def test_set_change_and_remove_a_passphrase(store: SQLStore) -> None:
    learner = store.add_learner("Åse")
    other = store.add_learner("Bo")
    _fill(store, learner.id, None)
    _fill(store, other.id, None)
    assert privacy.protection(store, learner.id) is None

    first = privacy.new_key(learner.id, "første passphrase")
    assert privacy.rekey(store, learner.id, None, first) == 4
    params = privacy.protection(store, learner.id)
    assert params is not None and params == first.params
    raw = _raw_text(store, learner.id)
    assert "Min hemmelige refleksion" not in raw and "Samtale med Bo" not in raw
    assert "Delt med underviseren" in raw  # shared: the instructor's export reads it
    assert _read(store, learner.id, privacy.unlock(params, learner.id, "første passphrase")) \
        == EXPECTED
    assert _read(store, other.id, None) == EXPECTED  # another learner untouched

    second = privacy.new_key(learner.id, "anden passphrase")
    privacy.rekey(store, learner.id, first, second)
    with pytest.raises(PrivacyError):
        params_now = privacy.protection(store, learner.id)
        assert params_now is not None
        privacy.unlock(params_now, learner.id, "første passphrase")
    assert _read(store, learner.id, second) == EXPECTED

    privacy.rekey(store, learner.id, second, None)
    assert privacy.protection(store, learner.id) is None
    assert store.setting(learner.id, privacy.SETTING_KEY) is None
    assert _read(store, learner.id, None) == EXPECTED
    assert "Min hemmelige refleksion" in _raw_text(store, learner.id)


def test_rekey_with_the_wrong_old_key_changes_nothing(store: SQLStore) -> None:
    learner = store.add_learner("Åse")
    right = privacy.new_key(learner.id, "første passphrase")
    privacy.rekey(store, learner.id, None, right)
    _fill(store, learner.id, right)
    wrong = privacy.new_key(learner.id, "en helt anden")
    before = _raw_text(store, learner.id)
    with pytest.raises(PrivacyError) as caught:
        privacy.rekey(store, learner.id, wrong, None)
    # Told before any text is opened: the wrong key is not the one the store holds.
    assert caught.value.problem == "stale"
    assert _raw_text(store, learner.id) == before
    assert privacy.protection(store, learner.id) == right.params


def test_a_text_written_under_the_new_key_meanwhile_is_kept(store: SQLStore) -> None:
    """A draft queued after the change may reach the store before it (same queue key)."""
    learner = store.add_learner("Åse")
    new = privacy.new_key(learner.id, "første passphrase")
    _fill(store, learner.id, new)
    privacy.rekey(store, learner.id, None, new)
    assert _read(store, learner.id, new) == EXPECTED


def test_erasing_a_learner_removes_the_passphrase_settings(store: SQLStore) -> None:
    learner = store.add_learner("Åse")
    privacy.rekey(store, learner.id, None, privacy.new_key(learner.id, "første passphrase"))
    store.erase_learner(learner.id)
    assert store.setting(learner.id, privacy.SETTING_KEY) is None


def test_secure_delete_is_on(sqlite_store: SQLiteStore) -> None:
    assert sqlite_store._db.execute("PRAGMA secure_delete").fetchone()[0] == 1
