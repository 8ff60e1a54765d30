"""What only the PostgreSQL store does, on a real server: choosing it, and its messages."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from peerskole.store import StoreError
from peerskole.store.opening import open_store
from peerskole.store.postgres import PostgresStore
from peerskole.store.sqlite import SQLiteStore
from tests.postgres_server import PASSWORD, PostgresServer, free_port


def assert_plain(message: str, *must: str) -> None:
    """A sentence a person can act on: no traceback, no password, the given words."""
    assert "Traceback" not in message and "psycopg" not in message
    assert PASSWORD not in message
    assert message.endswith((".", ")")), message
    for word in must:
        assert word in message, (word, message)


def test_open_store_picks_postgres_for_a_postgresql_url(
    postgres_schema_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PEERSKOLE_DATABASE_URL", postgres_schema_url)
    store = open_store(tmp_path / "data")
    assert isinstance(store, PostgresStore)
    learner = store.add_learner("Åse")
    store.close()
    assert not (tmp_path / "data").exists()  # no SQLite file on the side
    again = open_store(database_url=postgres_schema_url)  # as --database-url passes it
    assert again.learner(learner.id) == learner
    again.close()
    monkeypatch.delenv("PEERSKOLE_DATABASE_URL")
    assert isinstance(open_store(tmp_path / "data"), SQLiteStore)


def test_a_url_that_is_not_postgresql_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEERSKOLE_DATABASE_URL", "mysql://u:secret@db/peerskole")
    with pytest.raises(StoreError) as caught:
        open_store()
    assert_plain(str(caught.value), "postgresql://")
    assert "secret" not in str(caught.value)


def test_an_unreachable_server_names_host_and_port() -> None:
    port = free_port()  # nobody listens there
    with pytest.raises(StoreError) as caught:
        PostgresStore(f"postgresql://peerskole:{PASSWORD}@127.0.0.1:{port}/peerskole")
    assert caught.value.problem == "unavailable"
    assert_plain(str(caught.value), f"127.0.0.1:{port}", "Check that the server is running")


def test_a_wrong_password_says_so_without_the_password(postgres_url: str) -> None:
    if PASSWORD not in postgres_url:
        pytest.skip("PEERSKOLE_TEST_DATABASE_URL: the test server's password is not known")
    wrong = postgres_url.replace(PASSWORD, PASSWORD + "x")
    with pytest.raises(StoreError) as caught:
        PostgresStore(wrong)
    assert_plain(str(caught.value), '"peerskole"', "password is wrong")
    assert PASSWORD + "x" not in str(caught.value)


def test_a_missing_database_says_how_to_create_it(postgres_url: str) -> None:
    missing = postgres_url.rsplit("/", 1)[0] + "/no_such_database"
    with pytest.raises(StoreError) as caught:
        PostgresStore(missing)
    assert_plain(str(caught.value), '"no_such_database"', "For an organisation")


def test_a_malformed_url_is_a_plain_error() -> None:
    with pytest.raises(StoreError) as caught:
        PostgresStore(f"postgresql://peerskole:{PASSWORD}@127.0.0.1:5432/db?nonsense=%zz")
    assert_plain(str(caught.value), "postgresql://USER@HOST:PORT/DATABASE")


def test_a_row_held_by_another_program_gives_a_calm_message(postgres_schema_url: str) -> None:
    store = PostgresStore(postgres_schema_url)
    learner = store.add_learner("Åse")
    store._connect().execute("SET lock_timeout = 100")
    other = psycopg.connect(postgres_schema_url, autocommit=True)
    other.execute("BEGIN")
    other.execute("LOCK TABLE settings IN EXCLUSIVE MODE")  # another program mid-write
    with pytest.raises(StoreError) as caught:
        store.set_setting(learner.id, "theme", "dark")
    assert caught.value.problem == "locked"
    assert_plain(str(caught.value), "Your work is kept")
    other.execute("ROLLBACK")
    store.set_setting(learner.id, "theme", "dark")  # and it works once free
    assert store.setting(learner.id, "theme") == "dark"
    other.close()
    store.close()


@pytest.fixture
def server(restartable_postgres: PostgresServer) -> Iterator[PostgresServer]:
    """The restartable server, running again after the test whatever happened."""
    yield restartable_postgres
    if not (restartable_postgres.data / "postmaster.pid").exists():
        restartable_postgres.start()


def test_a_write_while_the_server_is_away_fails_plainly_and_works_when_it_is_back(
    server: PostgresServer,
) -> None:
    store = PostgresStore(server.url)
    learner = store.add_learner("Åse")
    server.stop()
    with pytest.raises(StoreError) as caught:
        store.save_reflection(learner.id, "k", "m", "r", "mine ord", shared=False)
    assert caught.value.problem == "unavailable"
    assert_plain(str(caught.value), f"127.0.0.1:{server.port}", "Check that the server")
    with pytest.raises(StoreError):  # reads too, and still plainly
        store.reflection(learner.id, "k", "m", "r")
    server.start()
    # The same store, without reopening: it finds the server again.
    store.save_reflection(learner.id, "k", "m", "r", "mine ord", shared=False)
    text = store.reflection(learner.id, "k", "m", "r")
    assert text is not None and text.text == "mine ord"
    store.close()


def test_a_connection_the_server_dropped_while_idle_is_replaced(server: PostgresServer) -> None:
    store = PostgresStore(server.url)
    learner = store.add_learner("Åse")
    server.stop()
    server.start()  # the store's connection is now dead, and it does not know yet
    store.set_setting(learner.id, "theme", "dark")  # no error: a fresh connection
    assert store.setting(learner.id, "theme") == "dark"
    store.close()


def test_threads_share_one_store(postgres_schema_url: str) -> None:
    """The app reads on its UI thread while a worker writes: one connection, in turn."""
    store = PostgresStore(postgres_schema_url)
    learner = store.add_learner("Åse").id
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(50):
                store.set_setting(learner, f"k{n}-{i}", str(i))
                store.setting(learner, f"k{n}-{i}")
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.learner_data_counts(learner)["settings"] == 200
    store.close()


def test_connection_settings_the_url_gives_win_over_peerskoles(postgres_schema_url: str) -> None:
    store = PostgresStore(postgres_schema_url)
    assert store._read(lambda db: db.execute("SHOW application_name").fetchone()[0]) == (
        "peerskole")
    parameters = store._connect().info.get_parameters()  # what libpq connected with
    assert parameters["keepalives_idle"] == "15" and parameters["tcp_user_timeout"] == "30000"
    store.close()
    mine = PostgresStore(postgres_schema_url + "&application_name=kursus-site-2")
    assert mine._read(lambda db: db.execute("SHOW application_name").fetchone()[0]) == (
        "kursus-site-2")
    mine.close()
