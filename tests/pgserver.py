"""A throw-away PostgreSQL 15 + PostGIS server for the tests and benchmarks.

Debian's binaries (``postgresql-15-postgis-3``) in a temporary directory, on
a free loopback port, run as the ``postgres`` system user when we are root
(PostgreSQL refuses to run as root; CI runs as root), trust authentication
on the loopback only, durability off (a test server).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

BIN = Path(os.environ.get("ESS_PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "ess"
DATABASE = "ess_test"


def available() -> bool:
    """Whether the PostgreSQL binaries and PostGIS are installed."""
    return (BIN / "pg_ctl").exists() and any(
        Path("/usr/share/postgresql/15/extension").glob("postgis.control")
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class PostgresServer:
    """A running server: :meth:`url` of a database, :meth:`reset` between tests."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder = folder
        self.port = port

    def url(self, database: str = DATABASE) -> str:
        """Connection URL of a database of this server."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str, database: str = "postgres") -> None:
        """Run statements as the superuser, outside any transaction."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self, name: str) -> str:
        """A new database with PostGIS (in its own schema) ready; its URL."""
        self.admin(f'CREATE DATABASE "{name}"')
        self.admin(
            "CREATE SCHEMA postgis; CREATE EXTENSION postgis SCHEMA postgis; "
            f'ALTER DATABASE "{name}" SET search_path = public, postgis',
            database=name,
        )
        return self.url(name)

    def reset(self, name: str = DATABASE) -> str:
        """Empty a database (its public schema) for the next test; its URL."""
        self.admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        )
        self.admin(
            "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;",
            database=name,
        )
        return self.url(name)


@contextlib.contextmanager
def running() -> Iterator[PostgresServer]:
    """Start a server in a temporary directory; stop and remove it at the end."""
    folder = Path(tempfile.mkdtemp(prefix="ess-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    run = {"check": True, "capture_output": True, "text": True}
    subprocess.run(
        _as_owner(
            [
                str(BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale",
                "C.UTF-8",
            ]
        ),
        **run,
    )
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    log = folder / "server.log"
    subprocess.run(
        _as_owner(
            [
                str(BIN / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(log),
                "-w",
                "-t",
                "60",
                "start",
            ]
        ),
        **run,
    )
    server = PostgresServer(folder, port)
    try:
        server.create_database(DATABASE)
        yield server
    finally:
        subprocess.run(
            _as_owner([str(BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)
