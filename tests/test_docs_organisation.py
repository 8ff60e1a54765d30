"""README's "For an organisation" works as written, on a real PostgreSQL server."""

from __future__ import annotations

import os
import re
import subprocess

import psycopg
import pytest

from peerskole.store.postgres import PostgresStore
from tests.conftest import REPO_DIR
from tests.postgres_server import PostgresServer


def section() -> str:
    readme = (REPO_DIR / "README.md").read_text(encoding="utf-8")
    return readme.split("## For an organisation", 1)[1].split("\n## ", 1)[0]


def test_the_setup_and_backup_in_the_readme_work(
    restartable_postgres: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = restartable_postgres
    text = section()
    [sql] = re.findall(r"```sql\n(.*?)```", text, re.S)
    # The README's names, made unique so the test can run on a server that has them.
    role, password = "org_readme_test", "pw-for-the-readme-test"
    sql = re.sub(r"\bpeerskole\b", role, sql).replace("a-long-random-password", password)
    admin = server.url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {role}")
        conn.execute(f"DROP DATABASE IF EXISTS {role}_restored")
        conn.execute(f"DROP ROLE IF EXISTS {role}")
        for statement in filter(str.strip, sql.split(";")):
            conn.execute(statement)  # as an administrator would, in psql
        conn.execute(f"CREATE DATABASE {role}_restored OWNER {role} TEMPLATE template0")

    url = f"postgresql://{role}@127.0.0.1:{server.port}/{role}"
    monkeypatch.setenv("PGPASSWORD", password)  # the README's way, not in the URL
    env = dict(os.environ)
    store = PostgresStore(url)  # the user made above may create peerskole's tables
    learner = store.add_learner("Åse", "hold-1")
    store.save_reflection(learner.id, "k", "m", "r", "min tekst", shared=False)
    store.close()
    assert "pg_dump --format=custom" in text and "pg_restore --no-owner" in text
    dump = server.folder / "peerskole.dump"
    subprocess.run([str(server.bin / "pg_dump"), "--format=custom", f"--file={dump}", url],
                   check=True, env=env, capture_output=True)
    subprocess.run([str(server.bin / "pg_restore"), "--no-owner",
                    f"--dbname={url}_restored", str(dump)],
                   check=True, env=env, capture_output=True)
    restored = PostgresStore(f"{url}_restored")
    assert restored.learner(learner.id) == learner
    saved = restored.reflection(learner.id, "k", "m", "r")
    assert saved is not None and saved.text == "min tekst"
    restored.close()
