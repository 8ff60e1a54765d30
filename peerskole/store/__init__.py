"""Where progress lives: a small interface and its backends. Never imports textual."""

from peerskole.store.base import (
    Learner,
    PracticeEntry,
    ReflectionText,
    Store,
    StoreError,
)
from peerskole.store.opening import open_store

__all__ = ["Learner", "PracticeEntry", "ReflectionText", "Store", "StoreError", "open_store"]
