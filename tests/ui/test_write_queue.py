"""The write queue: in order, latest draft wins, and nothing lost while the database is locked."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from peerskole.session import WriteQueue
from peerskole.store.base import Store, StoreError
from peerskole.store.sqlite import SQLiteStore
from peerskole.ui.textual_compat import notifications
from tests.ui.conftest import SIZE, flush_writes, make_app, open_step, start_as_new_learner, until


def run_queue(queue: WriteQueue) -> threading.Thread:
    thread = threading.Thread(target=queue.run, daemon=True)
    thread.start()
    return thread


def test_writes_run_in_order_and_keyed_writes_coalesce(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "p.sqlite3")
    learner = store.add_learner("Åse")
    queue = WriteQueue(store)
    seen: list[str] = []
    gate = threading.Event()
    queue.submit(lambda s: gate.wait(5))  # hold the worker while we queue more

    def draft(n: int) -> Callable[[Store], None]:
        def write(s: Store) -> None:
            seen.append(f"draft {n}")
            s.set_setting(learner.id, "draft", str(n))
        return write

    for n in range(5):
        queue.submit(draft(n), key="draft")
    queue.submit(lambda s: seen.append(f"after, draft {s.setting(learner.id, 'draft')}"))
    thread = run_queue(queue)
    gate.set()
    assert queue.flush(timeout=5)
    # Only the newest draft was written, and still before the write queued after it.
    assert seen == ["draft 4", "after, draft 4"]
    assert store.setting(learner.id, "draft") == "4"
    queue.close()
    thread.join(timeout=5)
    assert not thread.is_alive()  # closed and empty: the worker ends


def test_a_locked_database_keeps_the_write_until_it_is_free(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    store = SQLiteStore(path)
    learner = store.add_learner("Åse")
    store._db.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    errors: list[StoreError] = []
    saved = threading.Event()
    queue = WriteQueue(store)
    queue.on_error = errors.append
    queue.on_saved = saved.set
    queue.submit(lambda s: s.save_reflection(learner.id, "k", "m", "r", "min tekst", False))
    thread = run_queue(queue)
    assert not queue.flush(timeout=1.0)  # still pending, not dropped
    assert errors and errors[0].problem == "locked"
    other.execute("ROLLBACK")
    assert queue.flush(timeout=10)
    assert saved.is_set()
    text = store.reflection(learner.id, "k", "m", "r")
    assert text is not None and text.text == "min tekst"
    queue.close()
    thread.join(timeout=5)


async def test_the_app_says_calmly_when_saving_fails_and_when_it_works_again(
    data_dir: Path,
) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        await flush_writes(app)
        assert isinstance(app.store, SQLiteStore)
        app.store._db.execute("PRAGMA busy_timeout = 50")
        other = sqlite3.connect(data_dir / "peerskole.sqlite3", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        await open_step(app, pilot, "first", "intro")
        await until(pilot, lambda: any(
            n.message.startswith("Ikke gemt endnu: Databasen med dine fremskridt bruges lige "
                                 "nu af et andet program.")
            for n in notifications(app)
        ), "the notice that the database is busy")
        other.execute("ROLLBACK")
        await flush_writes(app)
        await until(pilot, lambda: "Gemt" in [n.message for n in notifications(app)],
                    "the notice that it is saved")
    assert app.session is not None
    records = SQLiteStore(data_dir / "peerskole.sqlite3").step_records(
        app.session.learner.id, "mini"
    )
    assert [r.step_id for r in records] == ["intro"]
