"""Two backends, one query text: SQLite (embedded default) and PostgreSQL.

The workspace's SQL is written once, in the portable subset both engines
share, with ``?`` placeholders (never values formatted in). On SQLite it
runs as written on a ``sqlite3.Connection``. On PostgreSQL (``ESS_GEO_DB``
set to a ``postgresql://`` URL) a :class:`PgConnection` wraps a psycopg 3
connection and adapts each statement's *text* once (cached) before sending
it with the same parameters:

- ``?`` placeholders become ``%s`` (and a literal ``%`` becomes ``%%``);
- ``INSERT OR IGNORE`` becomes ``INSERT … ON CONFLICT DO NOTHING``;
- ``x IS NOT ?`` (null-safe comparison) becomes ``x IS DISTINCT FROM %s``;
- ``json_each(?)`` over a JSON array of ids becomes the set-returning
  function ``ess_json_ids(%s)`` (created with the schema);
- ``BEGIN IMMEDIATE`` becomes ``BEGIN`` plus a transaction-level advisory
  lock, so that writers queue one after the other as on SQLite;
- ``lower(hex(randomblob(16)))`` becomes a random 32-digit hexadecimal id.

Schema scripts (:data:`ess_geo.workspace.store.MIGRATIONS`) are adapted by
:func:`pg_script`: ``INTEGER PRIMARY KEY`` keeps SQLite's allocation (the
next id is ``max(id) + 1``, given by a trigger when no id is given), ``REAL``
becomes ``DOUBLE PRECISION`` and foreign keys become deferrable (undo
defers them as SQLite's ``PRAGMA defer_foreign_keys`` does). The schema
version lives in ``PRAGMA user_version`` on SQLite and in a one-row table
``schema_version`` on PostgreSQL; audit ids come from the sequence
``workspace_revision`` there, so that every server sees a new revision
after another server's write.

The few operations that differ beyond the text (columns of a table,
deferring foreign keys, bulk inserts with ``COPY``…) are functions of this
module taking either connection.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

import pandas as pd

from ess_geo.errors import WorkspaceError

__all__ = [
    "LOCK_TIMEOUT_MS",
    "POSTGRES_SCHEMES",
    "WRITE_LOCK",
    "Connection",
    "PgConnection",
    "Row",
    "bulk_cache",
    "columns",
    "connect_pg",
    "copy_rows",
    "database_errors",
    "defer_foreign_keys",
    "integrity_errors",
    "is_postgres",
    "is_url",
    "migrate_pg",
    "operational_errors",
    "pg_script",
    "pg_sql",
    "pg_upgrade_script",
    "read_sql",
    "redact",
    "spatial_index_built_after",
    "truncate",
    "user_version",
]

POSTGRES_SCHEMES: tuple[str, ...] = ("postgresql://", "postgres://")
"""How a PostgreSQL workspace is named (``ESS_GEO_DB``)."""

WRITE_LOCK = 0x455353_0001
"""Advisory lock key every PostgreSQL write transaction holds (one writer)."""
LOCK_TIMEOUT_MS = 30_000
"""Longest wait for a lock (another server's write), as SQLite's timeout."""
_MIGRATE_LOCK = 0x455353_0002
"""Advisory lock key of schema migrations (servers starting together)."""


_URL = re.compile(r"^[a-zA-Z][\w+.-]*://")


def is_url(target: object) -> bool:
    """Whether a workspace name looks like a URL (``scheme://…``).

    Examples
    --------
    >>> is_url("postgresql://u@h/db"), is_url("data/w.sqlite")
    (True, False)
    """
    return isinstance(target, str) and _URL.match(target) is not None


def is_postgres(target: object) -> bool:
    """Whether a workspace name or connection is PostgreSQL.

    Examples
    --------
    >>> is_postgres("postgresql://u@h:5432/db"), is_postgres("w.sqlite")
    (True, False)
    """
    if isinstance(target, PgConnection):
        return True
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


# -- query text --------------------------------------------------------------

_TOKENS = re.compile(
    r"""'(?:[^']|'')*'"""  # string literal
    r'''|"[^"]*"'''  # quoted identifier
    r"|--[^\n]*"  # comment
    r"|json_each\(\?\)"
    r"|\bIS\s+NOT\s+\?"
    r"|lower\(hex\(randomblob\(16\)\)\)"
    r"|\?|%",
    re.IGNORECASE,
)


def _token(match: re.Match) -> str:
    text = match.group(0)
    lowered = text.lower()
    if text == "?":
        return "%s"
    if lowered == "json_each(?)":
        return "ess_json_ids(%s)"
    if lowered.startswith("is"):
        return "IS DISTINCT FROM %s"
    if lowered.startswith("lower(hex("):
        return "md5(random()::text || clock_timestamp()::text)"
    # A literal percent sign, also inside strings: psycopg reads % everywhere.
    return text.replace("%", "%%")


def _script_token(match: re.Match) -> str:
    text = match.group(0)
    if text.lower().startswith("lower(hex("):
        return "md5(random()::text || clock_timestamp()::text)"
    return text


@lru_cache(maxsize=4096)
def pg_sql(sql: str) -> str:
    """A statement's text for PostgreSQL (placeholders and the few SQLite idioms).

    The statement is then always sent with a parameter tuple (maybe empty).

    Examples
    --------
    >>> pg_sql("SELECT a FROM t WHERE a = ? AND b LIKE 'x%?'")
    "SELECT a FROM t WHERE a = %s AND b LIKE 'x%%?'"
    >>> pg_sql("SELECT id FROM t WHERE id IS NOT ? AND x IS NOT NULL")
    'SELECT id FROM t WHERE id IS DISTINCT FROM %s AND x IS NOT NULL'
    >>> pg_sql("INSERT OR IGNORE INTO t (a) VALUES (?)")
    'INSERT INTO t (a) VALUES (%s) ON CONFLICT DO NOTHING'
    >>> pg_sql("SELECT 100 % 7, value FROM json_each(?)")
    'SELECT 100 %% 7, value FROM ess_json_ids(%s)'
    """
    text = _TOKENS.sub(_token, sql)
    ignore = _OR_IGNORE.match(text)
    if ignore:
        # SQLite's INSERT OR IGNORE (prefer the portable ON CONFLICT DO NOTHING).
        body = text[ignore.end() :].rstrip().rstrip(";")
        returning = re.search(r"\bRETURNING\b", body, re.IGNORECASE)
        cut = returning.start() if returning else len(body)
        text = f"INSERT INTO {body[:cut].rstrip()} ON CONFLICT DO NOTHING"
        text += f" {body[cut:]}" if returning else ""
    return text


_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\s+", re.IGNORECASE)


_REFERENCES = re.compile(
    r"(REFERENCES\s+\w+\s*\([^)]*\)(?:\s+ON\s+DELETE\s+(?:CASCADE|SET\s+NULL))?)",
    re.IGNORECASE,
)
_CREATE_TABLE = re.compile(
    r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s*\(\s*id\s+INTEGER\s+PRIMARY\s+KEY",
    re.IGNORECASE,
)


def pg_script(script: str) -> str:
    """A schema script (SQLite dialect) for PostgreSQL.

    Tables whose key is ``id INTEGER PRIMARY KEY`` get SQLite's allocation
    (``max(id) + 1`` when no id is given); ``REAL`` is a double; foreign
    keys are deferrable.
    """
    text = _TOKENS.sub(_script_token, script)
    text = re.sub(r"\bREAL\b", "DOUBLE PRECISION", text)
    text = _REFERENCES.sub(r"\1 DEFERRABLE INITIALLY IMMEDIATE", text)
    triggers = [
        f"CREATE TRIGGER {table}_next_id BEFORE INSERT ON {table} "
        "FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION ess_next_id();"
        for table in _CREATE_TABLE.findall(script)
    ]
    return text + "\n" + "\n".join(triggers)


_PG_FUNCTIONS = """
CREATE OR REPLACE FUNCTION ess_next_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'audit_log' THEN
        NEW.id := nextval('workspace_revision');
    ELSE
        EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM %I', TG_TABLE_NAME)
            INTO NEW.id;
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION ess_json_ids(text) RETURNS TABLE (value bigint)
    LANGUAGE sql IMMUTABLE AS
    $$ SELECT x::bigint FROM json_array_elements_text($1::json) AS x $$;
CREATE SEQUENCE IF NOT EXISTS workspace_revision;
CREATE TABLE IF NOT EXISTS schema_version (
    version integer NOT NULL
);
"""

_PG_POSTGIS = """
CREATE EXTENSION IF NOT EXISTS postgis;
ALTER TABLE actors ADD COLUMN IF NOT EXISTS geom geometry(Point, 4326)
    GENERATED ALWAYS AS (
        CASE WHEN longitude IS NOT NULL AND latitude IS NOT NULL
             THEN ST_SetSRID(ST_MakePoint(longitude, latitude), 4326) END
    ) STORED;
CREATE INDEX IF NOT EXISTS actors_geom ON actors USING gist (geom);
SELECT setval('workspace_revision',
              greatest((SELECT coalesce(max(id), 0) FROM audit_log), 1),
              (SELECT count(*) > 0 FROM audit_log));
"""
"""Applied after every migration run on PostgreSQL (idempotent): the
actors' positions as a PostGIS point (kept in sync by the database, a
generated column) with a GiST index, and the revision sequence past the
last audit id."""


# -- PostgreSQL connection ------------------------------------------------------


class Row(tuple):
    """A row readable by position and by column name, like ``sqlite3.Row``."""

    __slots__ = ()
    _index: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        """A value by position or by column name."""
        if key.__class__ is str:
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        """Column names, in order."""
        return list(self._index)


def _row_factory(cursor: Any) -> Any:
    names = [c.name for c in cursor.description or ()]
    index = {name: i for i, name in enumerate(names)}
    return type("Row", (Row,), {"__slots__": (), "_index": index})


def _bool_dumper() -> type:
    """Python booleans as the integers 0/1 that the schema stores (as SQLite)."""
    from psycopg.adapt import Dumper
    from psycopg.postgres import types

    class BoolAsInt(Dumper):
        oid = types["int4"].oid

        def dump(self, obj: bool) -> bytes:
            return b"1" if obj else b"0"

    return BoolAsInt


class _Cursor:
    """A psycopg cursor that takes SQLite-dialect text (what pandas drives)."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence = ()) -> _Cursor:
        self._cursor.execute(pg_sql(sql), tuple(params or ()))
        return self

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)

    def __iter__(self) -> Iterator:
        return iter(self._cursor)


class PgConnection:
    """A PostgreSQL workspace connection with ``sqlite3.Connection``'s interface.

    ``execute``/``executemany`` take the SQLite-dialect text of the library
    (``?`` placeholders), return psycopg cursors whose rows read by position
    and name. Autocommit outside :func:`ess_geo.workspace.store.transaction`,
    as the SQLite connection is.

    Parameters
    ----------
    url : str
        ``postgresql://user[:password]@host[:port]/db``.
    """

    def __init__(self, url: str) -> None:
        import psycopg
        from psycopg.types.numeric import FloatLoader

        self.url = url
        # A write waits for another one 30 s at most, as SQLite's timeout.
        self._conn = psycopg.connect(
            url, autocommit=True, options=f"-c lock_timeout={LOCK_TIMEOUT_MS}"
        )
        self._conn.adapters.register_loader("numeric", FloatLoader)
        self._conn.adapters.register_dumper(bool, _bool_dumper())
        with contextlib.suppress(psycopg.Error):
            # The journal's large JSON values compress several times faster
            # with lz4 than with the default pglz (when the server has it).
            self._conn.execute("SET default_toast_compression = lz4")

    @property
    def raw(self) -> Any:
        """The psycopg connection."""
        return self._conn

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open."""
        from psycopg.pq import TransactionStatus

        return self._conn.info.transaction_status != TransactionStatus.IDLE

    def _cursor(self) -> Any:
        cursor = self._conn.cursor()
        cursor.row_factory = _row_factory
        return cursor

    def execute(self, sql: str, params: Sequence | None = None) -> Any:
        """Run one statement (SQLite-dialect text) and return its cursor."""
        if sql.strip().upper() == "BEGIN IMMEDIATE":
            cursor = self._cursor()
            cursor.execute("BEGIN")
            try:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            except BaseException:
                # As SQLite's BEGIN IMMEDIATE: no transaction when it fails.
                self._conn.execute("ROLLBACK")
                raise
            return cursor
        cursor = self._cursor()
        cursor.execute(pg_sql(sql), tuple(params or ()))
        return cursor

    def executemany(self, sql: str, seq: Iterable[Sequence]) -> Any:
        """Run one statement for each parameter tuple."""
        cursor = self._cursor()
        cursor.executemany(pg_sql(sql), seq)
        return cursor

    def executescript(self, script: str) -> None:
        """Run several statements without parameters."""
        self._conn.execute(script)

    def cursor(self) -> _Cursor:
        """A DB-API cursor taking SQLite-dialect text (for pandas)."""
        return _Cursor(self._cursor())

    def commit(self) -> None:
        """Commit (nothing to do in autocommit mode outside a transaction)."""
        if self.in_transaction:
            self._conn.execute("COMMIT")

    def rollback(self) -> None:
        """Roll back the open transaction, if any."""
        if self.in_transaction:
            self._conn.execute("ROLLBACK")

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


Connection = sqlite3.Connection | PgConnection
"""A workspace connection, either backend."""


def database_errors() -> tuple[type[Exception], ...]:
    """The exception classes of a failing database call, both backends."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a requirement
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


def operational_errors() -> tuple[type[Exception], ...]:
    """The exception classes of a database that cannot do its job (busy, down…)."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover
        return (sqlite3.OperationalError,)
    return (sqlite3.OperationalError, psycopg.OperationalError)


def integrity_errors() -> tuple[type[Exception], ...]:
    """The exception classes of a violated constraint, both backends."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover
        return (sqlite3.IntegrityError,)
    return (sqlite3.IntegrityError, psycopg.errors.IntegrityError)


# -- operations that differ beyond the text ----------------------------------------


def columns(conn: Connection, table: str) -> tuple[str, ...]:
    """The writable columns of a table, in order (generated ones left out)."""
    if isinstance(conn, PgConnection):
        rows = conn.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? "
            "AND is_generated = 'NEVER' ORDER BY ordinal_position",
            (table,),
        ).fetchall()
        return tuple(r[0] for r in rows)
    rows = conn.execute(
        "SELECT name FROM pragma_table_info(?) ORDER BY cid", (table,)
    ).fetchall()
    return tuple(r[0] for r in rows)


def defer_foreign_keys(conn: Connection) -> None:
    """Check foreign keys at commit only, for the rest of the transaction."""
    if isinstance(conn, PgConnection):
        conn.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        conn.execute("PRAGMA defer_foreign_keys = ON")


@contextlib.contextmanager
def bulk_cache(conn: Connection, kib: int) -> Iterator[None]:
    """A larger page cache for a bulk write (SQLite; nothing on PostgreSQL)."""
    if isinstance(conn, PgConnection):
        yield
        return
    cache = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    conn.execute(f"PRAGMA cache_size = {-int(kib)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {cache}")


_SPATIAL_INDEX = "CREATE INDEX IF NOT EXISTS actors_geom ON actors USING gist (geom)"
"""The actors' GiST index, as the schema creates it (``_PG_POSTGIS``)."""


@contextlib.contextmanager
def spatial_index_built_after(conn: Connection, *, empty: bool) -> Iterator[None]:
    """Bulk-load an empty actors table, its GiST index built once at the end.

    On PostgreSQL, when no actor is stored before the new ones (``empty``:
    a first import, the demo replaced), the index is dropped for the block
    and built in one go after it, in the caller's transaction (a failure
    rolls it all back, index included): several times cheaper than keeping
    it up to date row by row. Other servers' readers of the actors wait for
    the transaction meanwhile. Nothing on SQLite or when actors stay.
    """
    if not empty or not isinstance(conn, PgConnection):
        yield
        return
    conn.execute("DROP INDEX IF EXISTS actors_geom")
    yield
    conn.execute(_SPATIAL_INDEX)


def copy_rows(
    conn: PgConnection, table: str, names: Sequence[str], rows: Iterable[Sequence]
) -> int:
    """Write rows with PostgreSQL's ``COPY`` (inside the caller's transaction).

    ``table`` and ``names`` are constants of the library, never user text.
    """
    count = 0
    cursor = conn.raw.cursor()
    statement = f"COPY {table} ({', '.join(names)}) FROM STDIN"
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def truncate(conn: PgConnection, tables: Sequence[str]) -> None:
    """Empty tables at once with ``TRUNCATE`` (inside the caller's transaction).

    ``tables`` are constants of the library: the table and every table
    referencing it (PostgreSQL refuses otherwise, nothing is emptied that
    was not named). Other servers' readers of these tables wait until the
    transaction ends (an ``ACCESS EXCLUSIVE`` lock).
    """
    conn.execute(f"TRUNCATE {', '.join(tables)}")


def read_sql(
    sql: str,
    conn: Connection,
    *,
    params: Sequence = (),
    index_col: str | None = None,
    dtype: dict | None = None,
) -> pd.DataFrame:
    """A query's rows as a frame, on either backend.

    The conversions of ``pandas.read_sql_query`` (the same inference of
    each column's type from the values, ``dtype`` then ``index_col``
    applied), without its warning that a psycopg connection is no
    SQLAlchemy one: the rows come from a plain cursor.
    """
    if isinstance(conn, PgConnection):
        cursor = conn.raw.cursor()
        cursor.execute(pg_sql(sql), tuple(params))
    else:
        cursor = conn.cursor()
        cursor.row_factory = None  # plain tuples
        cursor.execute(sql, tuple(params))
    names = [d[0] for d in cursor.description]
    frame = pd.DataFrame.from_records(
        cursor.fetchall(), columns=names, coerce_float=True
    )
    if dtype:
        frame = frame.astype(dtype)
    if index_col is not None:
        frame = frame.set_index(index_col)
    return frame


# -- schema --------------------------------------------------------------------


def user_version(conn: Connection) -> int:
    """The schema version of the workspace (0 for an empty database)."""
    if isinstance(conn, PgConnection):
        exists = conn.execute("SELECT to_regclass('schema_version')").fetchone()[0]
        if exists is None:
            return 0
        row = conn.execute("SELECT version FROM schema_version").fetchone()
        return 0 if row is None else int(row[0])
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate_pg(conn: PgConnection, migrations: Sequence[str], version: int) -> None:
    """Apply the pending migrations on PostgreSQL, one transaction each.

    Two servers starting together queue on an advisory lock; each step
    re-reads the version under the lock.
    """
    for target in range(version + 1, len(migrations) + 1):
        with _pg_transaction(conn, _MIGRATE_LOCK):
            conn.executescript(_PG_FUNCTIONS)
            current = user_version(conn)
            if current >= target:
                continue
            conn.executescript(pg_script(migrations[target - 1]))
            if target == len(migrations):
                conn.executescript(_PG_POSTGIS)
            conn.execute("DELETE FROM schema_version")
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (target,))


def pg_upgrade_script(migrations: Sequence[str], version: int) -> str:
    """The schema changes taking a PostgreSQL workspace from ``version`` to the last.

    What :func:`migrate_pg` runs step by step, as one script for a caller's
    transaction (a restored older backup), the caller then setting
    ``schema_version``; empty when nothing is pending.
    """
    steps = []
    for target in range(version + 1, len(migrations) + 1):
        steps += [_PG_FUNCTIONS, pg_script(migrations[target - 1])]
        if target == len(migrations):
            steps.append(_PG_POSTGIS)
    return "\n".join(steps)


@contextlib.contextmanager
def _pg_transaction(conn: PgConnection, lock: int) -> Iterator[None]:
    conn.execute("BEGIN")
    try:
        conn.execute("SELECT pg_advisory_xact_lock(?)", (lock,))
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def connect_pg(url: str) -> PgConnection:
    """Open a PostgreSQL workspace connection (no migration).

    Raises
    ------
    WorkspaceError
        If the server cannot be reached or refuses the connection.
    """
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - psycopg is a requirement
        raise WorkspaceError(
            "PostgreSQL demandé (ESS_GEO_DB) mais le module psycopg est absent : "
            "installez les dépendances (requirements.txt)."
        ) from exc
    try:
        return PgConnection(url)
    except psycopg.Error as exc:
        raise WorkspaceError(
            f"Impossible de se connecter à la base PostgreSQL {redact(url)} : "
            f"{str(exc).strip()}. Vérifiez l'adresse (variable ESS_GEO_DB), "
            "le serveur et le mot de passe."
        ) from exc


def redact(url: str) -> str:
    """A URL with its password hidden, for messages and logs.

    Examples
    --------
    >>> redact("postgresql://ess:secret@db:5432/ess")
    'postgresql://ess:***@db:5432/ess'
    >>> redact("postgresql://ess@db/ess")
    'postgresql://ess@db/ess'
    """
    return re.sub(r"^([a-z]+://[^:/@]+):[^@]*@", r"\1:***@", url)
