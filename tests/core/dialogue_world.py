"""A store with an instructor and trainees whose reflections are shared or private.

Shared by the instructor, dialogue and privacy tests (both backends).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from peerskole import privacy
from peerskole.instructors import InstructorKey, add_instructor, unlock_instructor
from peerskole.privacy import ProfileKey
from peerskole.store.base import Instructor
from peerskole.store.sql import SQLStore

COURSE, MODULE, STEP = "mini", "first", "own-experience"
"""Where the reflections are (the mini sample course's reflection step)."""
INSTRUCTOR_PASSPHRASE: Final = "underviserens lange passphrase"
LEARNER_PASSPHRASE: Final = "elevens egen lange passphrase"
SHARED_TEXT: Final = "Jeg delte gerne, hvordan jeg lyttede uden at rådgive."
PRIVATE_MARKER: Final = "Hemmelig tanke om min mor på hospitalet i 2019"
"""Written in reflections their trainee keeps private: no instructor function may show it."""
REPLY_MARKER: Final = "Tak, Åse – lavendelblå zebrafinker svarer din underviser"
"""An instructor's reply: sealed everywhere it is kept."""


@dataclass
class DialogueWorld:
    store: SQLStore
    instructor: Instructor
    key: InstructorKey
    protected: str
    """A trainee with a passphrase: one reflection shared, one private."""
    protected_key: ProfileKey
    open_profile: str
    """A trainee without a passphrase: one reflection shared, one private."""


def protect(store: SQLStore, learner_id: str, passphrase: str = LEARNER_PASSPHRASE) -> ProfileKey:
    key = privacy.new_key(learner_id, passphrase)
    privacy.rekey(store, learner_id, None, key)
    return key


def make_world(store: SQLStore) -> DialogueWorld:
    instructor = add_instructor(store, "Ulla Underviser", INSTRUCTOR_PASSPHRASE)
    key = unlock_instructor(store, instructor, INSTRUCTOR_PASSPHRASE)
    protected = store.add_learner("Åse", "hold-1").id
    protected_key = protect(store, protected)
    open_profile = store.add_learner("Bo", "hold-1").id
    for learner_id, profile_key in ((protected, protected_key), (open_profile, None)):
        store.save_reflection(learner_id, COURSE, MODULE, STEP, SHARED_TEXT, True,
                              if_settings=privacy.key_settings(profile_key))
        place = privacy.TextPlace(learner_id, COURSE, MODULE, "private-step", "reflection")
        store.save_reflection(learner_id, COURSE, MODULE, "private-step",
                              privacy.conceal(profile_key, PRIVATE_MARKER, place), False,
                              if_settings=privacy.key_settings(profile_key))
    return DialogueWorld(store, instructor, key, protected, protected_key, open_profile)
