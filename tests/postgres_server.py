"""A real, throwaway PostgreSQL server for the tests (nothing is mocked).

:class:`PostgresServer` runs ``initdb`` into a fresh temporary folder and starts the
server with ``pg_ctl`` on 127.0.0.1 and a free port, its unix socket in that folder,
a password login for the user ``peerskole``. initdb refuses to run as root, so as
root (CI, containers) the server runs as the ``postgres`` user.

``PEERSKOLE_TEST_DATABASE_URL`` points the tests at an existing server instead:
each test then works in its own schema of that database, which is dropped after.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

PASSWORD = "pw-" + uuid.uuid4().hex
"""The throwaway server's password; tests check it never shows in a message."""

USER = "peerskole"
DATABASE = "peerskole_test"


def postgres_bin() -> Path | None:
    """The folder of the newest installed PostgreSQL's server programs, if any."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit()
        else 0,
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """One PostgreSQL server in a temporary folder; :meth:`stop` and :meth:`start` at will."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="peerskole-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            # The server's user needs the folder; pytest's tmp folders are root-only.
            shutil.chown(self.folder, "postgres", "postgres")
        os.chmod(self.folder, 0o700)
        password_file = self.folder / "password"
        password_file.write_text(PASSWORD + "\n")
        if self._as_postgres:
            shutil.chown(password_file, "postgres", "postgres")
        self._run(
            "initdb", "-D", str(self.data), "-U", USER, f"--pwfile={password_file}",
            "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )
        password_file.unlink()

    @property
    def url(self) -> str:
        return f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{DATABASE}"

    def _run(self, program: str, *args: str) -> None:
        argv = [str(self.bin / program), *args]
        if self._as_postgres:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        result = subprocess.run(argv, capture_output=True, text=True, cwd=self.folder)
        if result.returncode != 0:
            log = self.folder / "server.log"
            raise RuntimeError(
                f"{program} failed ({result.returncode}): {result.stderr.strip()}\n"
                + (log.read_text() if log.exists() else "")
            )

    def start(self) -> None:
        # fsync off: a throwaway server need not survive a power cut, and tests run
        # faster. Everything else is as a real server runs.
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} "
            "-c fsync=off -c full_page_writes=off -c max_connections=100"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
                  "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def create_database(self) -> None:
        import psycopg

        url = self.url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")

    def remove(self) -> None:
        try:
            self.stop()
        except RuntimeError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


def with_schema(url: str, schema: str) -> str:
    """The URL with the schema first on the search path, so its tables land there."""
    options = quote(f"-c search_path={schema}", safe="")
    return f"{url}{'&' if '?' in url else '?'}options={options}"


def new_schema(url: str) -> str:
    """Create an empty schema in the database at url; return its name."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    return name


def drop_schema(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
