"""The app on a real PostgreSQL server that stops mid-session and comes back.

The server is stopped under the running app (Pilot) while the trainee writes a
reflection: the app says plainly that it could not save, the text stays in the
editor and in the write queue, and once the server is back it is saved. Moving
to another step meanwhile (a read) is refused plainly, without a crash.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static, TextArea

from peerskole.store.postgres import PostgresStore
from peerskole.ui.textual_compat import exception, notifications
from tests.postgres_server import PostgresServer, drop_schema, new_schema, with_schema
from tests.ui.conftest import (
    SIZE,
    flush_writes,
    make_app,
    open_step,
    start_as_new_learner,
    until,
    wait_for_workers,
)

SENTENCE = "Min ven lyttede til mig"
MODULE, STEP = "first", "own-experience"


@pytest.fixture
def server_url(
    restartable_postgres: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A fresh schema on the restartable server, named in PEERSKOLE_DATABASE_URL."""
    server = restartable_postgres
    schema = new_schema(server.url)
    url = with_schema(server.url, schema)
    monkeypatch.setenv("PEERSKOLE_DATABASE_URL", url)
    yield url
    if not (server.data / "postmaster.pid").exists():
        server.start()
    drop_schema(server.url, schema)


async def test_text_written_while_the_server_is_away_is_kept_and_saved_when_it_returns(
    restartable_postgres: PostgresServer, server_url: str, data_dir: Path
) -> None:
    server = restartable_postgres
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        assert isinstance(app.store, PostgresStore)
        assert app.session is not None and app.writes is not None
        learner_id = app.session.learner.id
        screen = await open_step(app, pilot, MODULE, STEP)
        await flush_writes(app)

        server.stop()
        try:
            await pilot.click("#reflection-text")
            await pilot.press(*SENTENCE)
            # Beyond the debounce: the draft is sent, and fails, and the trainee is told.
            await until(pilot, lambda: any(
                n.message.startswith("Ikke gemt endnu: peerskole cannot reach the PostgreSQL "
                                     f"server at 127.0.0.1:{server.port}.")
                and n.message.endswith("Din tekst er bevaret og gemmes, så snart det kan "
                                       "lade sig gøre.")
                for n in notifications(app)
            ), "the notice that the server is away", timeout=20)
            assert app.writes.pending >= 1  # kept in memory, not dropped
            assert screen.query_one("#reflection-text", TextArea).text == SENTENCE

            # Moving on needs a read, which fails too: said plainly, and no crash.
            screen.action_next_step()
            await until(pilot, lambda: any(
                n.message.startswith("Kunne ikke hente det fra databasen: peerskole cannot "
                                     "reach the PostgreSQL server") for n in notifications(app)
            ), "the notice that the step could not be read", timeout=20)
            assert app.is_running and app.screen is screen
            assert screen.current.id == STEP  # still on the step that is shown
            assert "Din erfaring" in str(screen.query_one("#step-heading", Static).render())
            assert screen.query_one("#reflection-text", TextArea).text == SENTENCE
        finally:
            server.start()

        # The write queue tries again on its own; nobody has to type anything.
        assert app.writes.flush(timeout=20)
        await until(pilot, lambda: "Gemt" in [n.message for n in notifications(app)],
                    "the notice that it is saved")
        screen.action_next_step()  # and moving on works again
        await wait_for_workers(app, pilot)
        assert screen.view is not None and screen.view.data.step.id != STEP

    check = PostgresStore(server_url)  # a fresh connection: what the server holds
    saved = check.reflection(learner_id, "mini", MODULE, STEP)
    assert saved is not None and saved.text == SENTENCE
    check.close()


async def test_any_read_that_fails_mid_session_is_said_plainly_not_a_crash(
    restartable_postgres: PostgresServer, server_url: str, data_dir: Path
) -> None:
    server = restartable_postgres
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot)
        assert app.store is not None
        server.stop()
        try:
            # What any screen's worker does: read the store, here while it is away.
            worker = app.run_worker(app.store.learners, thread=True)
            await until(pilot, lambda: any(
                n.message.startswith("Kunne ikke hente det fra databasen: peerskole cannot "
                                     "reach the PostgreSQL server") for n in notifications(app)
            ), "the notice that the read failed", timeout=20)
            assert worker.state.name == "ERROR"
            assert app.is_running and exception(app) is None
        finally:
            server.start()
        assert [x.display_name for x in app.store.learners()] == ["Åse"]  # and back
