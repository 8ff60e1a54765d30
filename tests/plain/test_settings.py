"""Plain mode's settings: the language, and setting, changing and removing the profile's
passphrase, as the app's dialog does — the trainee's text sealed and opened with it."""

from __future__ import annotations

from pathlib import Path

from peerskole.course.model import Course
from peerskole.i18n import Translator
from peerskole.privacy import (
    MIN_PASSPHRASE_LENGTH,
    TextPlace,
    new_key,
    protection,
    rekey,
    reveal,
    unlock,
)
from peerskole.store.base import Store
from tests.plain.conftest import run

DA, EN = Translator("da"), Translator("en")
SETTINGS = "4"
"""The settings' number on the overview of the mini course: after its two modules and
praktik."""


def test_a_passphrase_is_set_and_the_language_switched_from_the_overview(
    course: Course, store: Store, data_dir: Path
) -> None:
    anne = store.add_learner("Anne")
    store.save_reflection(anne.id, course.id, "first", "own-experience", "Min tekst", False)
    result = run(data_dir, [
        "1", SETTINGS, "2",  # Anne, the settings, set a passphrase
        "kort", "kort",  # too short
        "en lang kode 123", "en anden kode",  # not the same twice
        "en lang kode 123", "en lang kode 123",
        "1",  # Language: English
        "4",  # back to the overview (language, change, remove, back)
    ])
    out = result.output
    assert result.status == 0, out[-1500:]
    assert DA("plain.settings") in out
    assert DA("passphrase.too_short", minimum=MIN_PASSPHRASE_LENGTH) in out
    assert DA("passphrase.mismatch") in out
    assert out.index(DA("passphrase.mismatch")) < out.index(DA("passphrase.done_set"))
    assert "en lang kode 123" not in out and "kort" not in out
    assert EN("plain.language_now") in out
    assert out.rstrip().endswith(EN("plain.bye"))
    assert out.count(EN("plain.overview", title=course.title)) == 1
    params = protection(store, anne.id)
    assert params is not None
    saved = store.reflection(anne.id, course.id, "first", "own-experience")
    assert saved is not None and saved.text.startswith("enc1:")
    key = unlock(params, anne.id, "en lang kode 123")
    place = TextPlace(anne.id, course.id, "first", "own-experience", "reflection", "")
    assert reveal(key, saved.text, place) == "Min tekst"
    assert store.setting("", "language") == "en"
    # The next start speaks English.
    again = run(data_dir, ["1", "en lang kode 123"])
    assert EN("plain.unlocked") in again.output


def test_a_passphrase_is_changed_after_a_wrong_current_one_and_then_removed(
    course: Course, store: Store, data_dir: Path
) -> None:
    anne = store.add_learner("Anne")
    rekey(store, anne.id, None, new_key(anne.id, "gammel kode 123"))
    first = run(data_dir, ["1", "gammel kode 123", SETTINGS, "2",
                           "forkert kode", "gammel kode 123",  # the current one, wrong first
                           "ny kode 45678", "ny kode 45678"])
    assert DA("passphrase.current_wrong") in first.output
    assert DA("passphrase.done_changed") in first.output
    params = protection(store, anne.id)
    assert params is not None
    unlock(params, anne.id, "ny kode 45678")  # opens with the new one

    second = run(data_dir, ["1", "ny kode 45678", SETTINGS, "3", "ny kode 45678", "tilbage"])
    assert DA("passphrase.done_removed") in second.output
    assert protection(store, anne.id) is None
    third = run(data_dir, ["1"])
    assert DA("plain.unlocked") not in third.output
    assert DA("plain.overview", title=course.title) in third.output
