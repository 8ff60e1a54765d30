"""A practice-log entry being written: kept, replaced, cleared by its entry, re-sealed, erased.

Each test runs on both backends (tests/core/conftest.py): SQLite and a real PostgreSQL server.
"""

from __future__ import annotations

from peerskole import privacy
from peerskole.privacy import TextPlace
from peerskole.store.base import Store


def test_a_draft_is_kept_replaced_and_deleted(store: Store) -> None:
    learner = store.add_learner("Åse").id
    assert store.practice_draft(learner, "k", "m", "p") is None
    store.save_practice_draft(learner, "k", "m", "p", {"what": "Vi talte", "minutes": ""})
    store.save_practice_draft(learner, "k", "m", "p", {"what": "Vi talte om søvn"})
    store.save_practice_draft(learner, "k", "m", "other", {"what": "Et andet trin"})
    assert store.practice_draft(learner, "k", "m", "p") == {"what": "Vi talte om søvn"}
    store.save_practice_draft(learner, "k", "m", "p", {})  # nothing left to keep
    assert store.practice_draft(learner, "k", "m", "p") is None
    assert store.practice_draft(learner, "k", "m", "other") == {"what": "Et andet trin"}


def test_saving_the_entry_deletes_its_draft_in_the_same_write(store: Store) -> None:
    learner = store.add_learner("Åse").id
    store.save_practice_draft(learner, "k", "m", "p", {"what": "Vi talte om søvn"})
    store.add_practice_entry(learner, "k", "m", "p", {"what": "en anden vej ind"})
    # An entry added another way (an import, say) leaves the trainee's draft alone.
    assert store.practice_draft(learner, "k", "m", "p") == {"what": "Vi talte om søvn"}
    store.add_practice_entry(learner, "k", "m", "p", {"what": "Vi talte om søvn"},
                             from_draft=True)
    assert store.practice_draft(learner, "k", "m", "p") is None
    assert [e.values["what"] for e in store.practice_entries(learner, "k", "m", "p")] == [
        "en anden vej ind", "Vi talte om søvn",
    ]


def _place(learner: str, field: str) -> TextPlace:
    return TextPlace(learner, "kursus", "m2", "p1", "practice", field)


def test_a_passphrase_change_reseals_the_draft(store: Store) -> None:
    learner = store.add_learner("Åse").id
    typed = {"what": "Samtale med Bo om indlæggelsen", "minutes": "15"}
    store.save_practice_draft(learner, "kursus", "m2", "p1", typed)
    first = privacy.new_key(learner, "første passphrase")
    assert privacy.rekey(store, learner, None, first) == 2
    raw = store.practice_draft(learner, "kursus", "m2", "p1")
    assert raw is not None and set(raw) == {"what", "minutes"}
    assert all(privacy.is_token(value) for value in raw.values())
    assert "indlæggelsen" not in repr(raw)

    second = privacy.new_key(learner, "anden passphrase")
    privacy.rekey(store, learner, first, second)
    raw = store.practice_draft(learner, "kursus", "m2", "p1")
    assert raw is not None
    assert {name: privacy.reveal(second, value, _place(learner, name))
            for name, value in raw.items()} == typed

    privacy.rekey(store, learner, second, None)  # the passphrase removed: readable again
    assert store.practice_draft(learner, "kursus", "m2", "p1") == typed
