"""A separate process that uses the store, for the concurrency tests.

    python -m tests.core.store_worker record LEARNER_ID COUNT
    python -m tests.core.store_worker open
    python -m tests.core.store_worker unshare TEXT

It finds the store as the app does (open_store: PEERSKOLE_DATABASE_URL or
PEERSKOLE_DATA_DIR), prints "ready", waits for a line on standard input so that
every worker starts at the same moment, then does its work. Any error goes to
standard error and makes the exit status 1; the last line printed says what was done.
"""

from __future__ import annotations

import sys
import traceback


def main(argv: list[str]) -> int:
    from peerskole.store.base import StepUpdate
    from peerskole.store.opening import open_store

    command = argv[0]
    if command == "record":
        store = open_store()
        print("ready", flush=True)
        sys.stdin.readline()
        learner_id, count = argv[1], int(argv[2])
        for n in range(count):
            store.update_step(
                learner_id, "kursus", "1.0", f"modul-{n % 7}", f"trin-{n}",
                StepUpdate(facts={"score": float(n)}, add_seconds=1, done=True),
            )
        store.close()
        print(f"recorded {count}", flush=True)
        return 0
    if command == "open":
        print("ready", flush=True)
        sys.stdin.readline()
        from peerskole.store.sql import SQLStore

        store = open_store()  # migrates a fresh database
        assert isinstance(store, SQLStore)  # schema_version is not in the Store protocol
        version = store.schema_version()
        store.close()
        print(f"version {version}", flush=True)
        return 0
    if command == "unshare":
        return unshare(argv[1])
    raise SystemExit(f"unknown command {command}")


def unshare(text: str) -> int:
    """A protected profile shares a reflection, then keeps it private again.

    Prints "shared" and waits for a line, then "unshared" and waits for another (the
    test kills it meanwhile, so nothing it does on closing can help).
    """
    from peerskole import privacy
    from peerskole.store.opening import open_store

    store = open_store()
    learner = store.add_learner("Åse").id
    key = privacy.new_key(learner, "en god adgangskode")
    privacy.rekey(store, learner, None, key)
    place = privacy.TextPlace(learner, "mini", "first", "own-experience", "reflection")
    print("ready", flush=True)
    sys.stdin.readline()
    store.save_reflection(learner, "mini", "first", "own-experience", text, True,
                          if_settings=privacy.key_settings(key))
    print("shared", flush=True)
    sys.stdin.readline()
    store.save_reflection(learner, "mini", "first", "own-experience",
                          privacy.conceal(key, text, place), False,
                          if_settings=privacy.key_settings(key))
    print("unshared", flush=True)
    sys.stdin.readline()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Exception:  # the test reads the whole story from stderr
        traceback.print_exc()
        sys.exit(1)
