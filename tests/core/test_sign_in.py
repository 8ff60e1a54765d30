"""Signing in by name, cohort and passphrase (peerskole.privacy.open_by_name and friends)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from peerskole import privacy
from peerskole.privacy import PrivacyError
from peerskole.store.base import same_name
from peerskole.store.sqlite import SQLiteStore

PASSPHRASE = "blåbær og måne"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore(tmp_path / "data" / "p.sqlite3")
    yield s
    s.close()


def test_names_are_one_name_whatever_their_case_spaces_and_composition() -> None:
    assert same_name("Åse Hansen", " åse HANSEN ")
    assert same_name("A\u030ase", "\u00c5se")  # å typed as a + ring, or as one letter
    assert not same_name("Åse Hansen", "Åse Hansen2")


def test_two_people_of_one_name_each_open_their_own(store: SQLiteStore) -> None:
    first, _ = privacy.create_protected(store, "Åse Hansen", "hold-1", PASSPHRASE)
    second, _ = privacy.create_protected(store, "åse hansen", "Hold-1", "en helt anden")
    opened = privacy.open_by_name(store, "ÅSE HANSEN", "HOLD-1", "en helt anden")
    assert opened.outcome == "opened" and opened.learner == second and opened.key is not None
    opened = privacy.open_by_name(store, "Åse Hansen", "hold-1", PASSPHRASE)
    assert opened.learner == first
    # The same name in another cohort, or in none, is another profile.
    assert privacy.open_by_name(store, "Åse Hansen", "hold-2", PASSPHRASE).outcome == "new"
    assert privacy.open_by_name(store, "Åse Hansen", None, PASSPHRASE).outcome == "new"


def test_a_wrong_passphrase_is_counted_and_opens_nothing(store: SQLiteStore) -> None:
    learner, _ = privacy.create_protected(store, "Bo", None, PASSPHRASE)
    for tries in range(1, privacy.FREE_TRIES + 1):
        with pytest.raises(PrivacyError) as caught:
            privacy.open_by_name(store, "bo", "", "forkert gæt", clock=lambda: 1000.0)
        assert caught.value.problem == "wrong_passphrase"
        assert caught.value.wait == privacy.try_delay(tries)
    with pytest.raises(PrivacyError) as caught:
        privacy.open_by_name(store, "bo", "", PASSPHRASE, clock=lambda: 1001.0)
    assert caught.value.problem == "wait" and caught.value.wait > 0
    assert store.learners() == [learner]


def test_an_unprotected_profile_is_found_and_protected(store: SQLiteStore) -> None:
    learner = store.add_learner("Bo", None)
    found = privacy.open_by_name(store, "BO", None, PASSPHRASE)
    assert found.outcome == "unprotected" and found.learner == learner and found.key is None
    privacy.protect_profile(store, learner, PASSPHRASE)
    assert privacy.open_by_name(store, "bo", None, PASSPHRASE).outcome == "opened"
    with pytest.raises(PrivacyError) as caught:  # set meanwhile in another tab
        privacy.protect_profile(store, learner, "en helt anden")
    assert caught.value.problem == "stale"


def test_a_short_passphrase_creates_no_profile(store: SQLiteStore) -> None:
    with pytest.raises(PrivacyError) as caught:
        privacy.create_protected(store, "Bo", None, "kort")
    assert caught.value.problem == "too_short"
    assert store.learners() == []
