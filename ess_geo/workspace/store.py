"""The workspace: schema, migrations, transactions and audit log.

The workspace is one SQLite file (standard library ``sqlite3``, WAL mode)
named by the environment variable ``ESS_GEO_DB`` (default
``data/workspace.sqlite``), or a PostgreSQL database when ``ESS_GEO_DB`` is
a ``postgresql://`` URL (psycopg 3; the same SQL text, adapted by
:mod:`ess_geo.workspace.dialect`). It holds the actors, the territorial networks
(their perimeter and members) and an audit log of every change. It is
created on first use and migrated forward to :data:`SCHEMA_VERSION`;
:func:`ess_geo.workspace.seeding.open_workspace` also seeds it with the demo
dataset the first time.

Every write goes through :func:`transaction` and records an audit row in
the same transaction: a change lands whole, with its trace, or not at all.
The workspace's :func:`revision` (its generation and last audit id) changes
with every write and never comes back, even when a backup is restored.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import secrets
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from ess_geo import paths
from ess_geo.actors import ACTOR_COLUMNS
from ess_geo.errors import WorkspaceError
from ess_geo.workspace import dberrors, dialect
from ess_geo.workspace.schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
)

__all__ = [
    "ACTOR_FIELDS",
    "DEFAULT_PATH",
    "Revision",
    "audit",
    "connect",
    "has_demo_actors",
    "insert_actors",
    "insert_networks",
    "read_actors",
    "read_audit_log",
    "read_network_members",
    "read_network_territories",
    "read_networks",
    "renew_generation",
    "revision",
    "transaction",
    "update_networks",
    "workspace_path",
]

DEFAULT_PATH = paths.DATA_DIR / "workspace.sqlite"


def workspace_path() -> Path | str:
    """The workspace: ``$ESS_GEO_DB``, else ``data/workspace.sqlite``.

    Returns
    -------
    pathlib.Path or str
        A SQLite file, or a ``postgresql://`` URL (a string, never a file
        name).

    Raises
    ------
    WorkspaceError
        If ``ESS_GEO_DB`` is a URL of another kind than PostgreSQL.
    """
    return workspace_target(os.environ.get("ESS_GEO_DB") or DEFAULT_PATH)


def workspace_target(target: Path | str) -> Path | str:
    """A workspace name as given: a PostgreSQL URL kept as such, else a path.

    Raises
    ------
    WorkspaceError
        If it is a URL but not a PostgreSQL one (never taken for a file name).
    """
    if dialect.is_postgres(target):
        return str(target)
    if dialect.is_url(target):
        raise WorkspaceError(
            f"Espace de travail « {dialect.redact(str(target))} » : seules les "
            "adresses postgresql://utilisateur@hôte/base et les chemins de "
            "fichier SQLite sont acceptés (variable ESS_GEO_DB)."
        )
    return Path(target)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _migrate(conn: dialect.Connection, path: Path | str) -> int:
    """Apply the pending migrations; return the version the workspace had."""
    version = dialect.user_version(conn)
    if version > SCHEMA_VERSION:
        raise WorkspaceError(
            f"L'espace de travail {_display(path)} est au schéma v{version}, plus "
            f"récent que cette version du logiciel (v{SCHEMA_VERSION}) : "
            "mettez ESS Territoires à jour."
        )
    if isinstance(conn, dialect.PgConnection):
        if version < SCHEMA_VERSION:
            dialect.migrate_pg(conn, MIGRATIONS, version)
        return version
    for target in range(version + 1, SCHEMA_VERSION + 1):
        # executescript() commits first; wrap each step explicitly so that a
        # failing migration leaves the file at its previous version.
        script = MIGRATIONS[target - 1]
        try:
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {target};\nCOMMIT;"
            )
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return version


def _display(path: Path | str) -> str:
    """A workspace name for messages (a URL's password hidden)."""
    return dialect.redact(str(path))


def _refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a SQLite file that holds tables but is no workspace (issue 15).

    A workspace at version 0 is an empty file; tables there mean another
    program's database, which must not be converted and filled.
    """
    if conn.execute("PRAGMA user_version").fetchone()[0]:
        return
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite!_%' "
            "ESCAPE '!' ORDER BY name LIMIT 6"
        )
    ]
    if names:
        conn.close()
        shown = ", ".join(names[:5]) + ("…" if len(names) > 5 else "")
        raise WorkspaceError(
            f"{path} est une base SQLite qui n'est pas un espace de travail ESS "
            f"Territoires (elle contient : {shown}) : elle n'est pas modifiée. "
            "Désignez un autre fichier (variable ESS_GEO_DB)."
        )


def connect(path: Path | str | None = None) -> dialect.Connection:
    """Open the workspace, creating and migrating it as needed (no demo seeding).

    Parameters
    ----------
    path : path-like or str, optional
        The SQLite file, or a ``postgresql://`` URL; default
        :func:`workspace_path`.

    Returns
    -------
    sqlite3.Connection or dialect.PgConnection
        SQLite: in WAL mode, with foreign keys enforced, ``sqlite3.Row``
        rows. Both: autocommit off only inside :func:`transaction`.

    Raises
    ------
    WorkspaceError
        If the file or database cannot be opened or is not a workspace.
    """
    path = workspace_target(path) if path is not None else workspace_path()
    if isinstance(path, str):
        pg = dialect.connect_pg(path)
        try:
            _migrate(pg, path)
        except dialect.database_errors() as exc:
            pg.close()
            raise WorkspaceError(
                f"Impossible de préparer l'espace de travail {_display(path)} : "
                f"{str(exc).strip()}. Vérifiez que la base est un espace ESS "
                "Territoires et que l'extension PostGIS y est installée "
                "(CREATE EXTENSION postgis)."
            ) from exc
        except BaseException:
            pg.close()
            raise
        return pg
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=30
        )
        conn.row_factory = sqlite3.Row
        _refuse_foreign(conn, path)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        _migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(
            f"Impossible d'ouvrir l'espace de travail {path} : {exc}. "
            "Vérifiez que le fichier est une base ESS Territoires "
            "(variable ESS_GEO_DB)."
        ) from exc
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run a block as one write transaction: committed whole or rolled back.

    ``BEGIN IMMEDIATE`` takes the write lock at the start, so concurrent
    writers queue instead of failing half-way. A database error (busy beyond
    the timeout, disk full, I/O error) rolls back and becomes a
    :class:`~ess_geo.errors.WorkspaceError` in French
    (:mod:`ess_geo.workspace.dberrors`).
    """
    operational = dialect.operational_errors()
    try:
        conn.execute("BEGIN IMMEDIATE")
    except operational as exc:  # busy beyond the timeout, disk…
        raise dberrors.workspace_error(exc) from exc
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, operational):
            raise dberrors.workspace_error(exc) from exc
        raise


def audit(
    conn: sqlite3.Connection, action: str, detail: dict, who: str | None = None
) -> int:
    """Record a change in the audit log (call it inside the change's transaction).

    Parameters
    ----------
    conn : sqlite3.Connection
    action : str
        Short verb such as ``"demo.seed"``, ``"import"``, ``"actor.update"``.
    detail : dict
        What changed, JSON-serialisable (file name, counts, ids…).
    who : str, optional
        The person or process; default the system user name.

    Returns
    -------
    int
        The audit row id: the ``audit_id`` of the workspace's new
        :func:`revision`.
    """
    who = who or getpass.getuser()
    (audit_id,) = conn.execute(
        "INSERT INTO audit_log (at, who, action, detail) VALUES (?, ?, ?, ?) "
        "RETURNING id",
        (_now(), who, action, json.dumps(detail, ensure_ascii=False, default=str)),
    ).fetchone()
    return int(audit_id)


class Revision(NamedTuple):
    """A state of the workspace: what pages key their caches on.

    Two reads give the same revision only if no write happened in between.
    """

    generation: str
    """Random id of the workspace's line of history, renewed by every restore."""
    audit_id: int
    """The last audit id (0 for a workspace never written)."""


def revision(conn: sqlite3.Connection) -> Revision:
    """The workspace's revision: it changes with every write, and never repeats.

    Every write records an audit row, which moves ``audit_id``. A restore
    brings back an older file, whose last audit id may have been seen
    already; it renews the ``generation`` (:func:`renew_generation`), so the
    revision after a restore differs from every revision before it.
    """
    (generation,) = conn.execute(
        "SELECT value FROM workspace_meta WHERE key = 'generation'"
    ).fetchone()
    (audit_id,) = conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()
    return Revision(str(generation), int(audit_id))


def renew_generation(conn: sqlite3.Connection) -> str:
    """Give the workspace a new random generation (call it inside a transaction).

    For writes that replace the workspace's content with another line of
    history, such as restoring a backup.

    Returns
    -------
    str
        The new generation (32 hexadecimal digits).
    """
    generation = secrets.token_hex(16)
    conn.execute(
        "UPDATE workspace_meta SET value = ? WHERE key = 'generation'", (generation,)
    )
    return generation


ACTOR_FIELDS: tuple[str, ...] = (
    *(column for column in ACTOR_COLUMNS if column != "reseaux"),
    "placement",
)
"""Stored actor columns: the canonical ones (memberships live in their own
table) and ``placement``, how the actor was placed."""


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    """``INSERT INTO table (columns) VALUES (?, …)`` for constant column names."""
    placeholders = ", ".join("?" * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608


def _records(frame: pd.DataFrame, fields: tuple[str, ...]) -> list[tuple]:
    """Rows as tuples of Python values, missing values as None."""
    from ess_geo._arrow import column_lists

    return list(zip(*column_lists(frame[list(fields)]), strict=True))


def insert_actors(
    conn: sqlite3.Connection,
    actors: pd.DataFrame,
    *,
    source: str,
    is_demo: bool = False,
) -> list[int]:
    """Insert actors (inside the caller's transaction) and return their ids.

    Parameters
    ----------
    conn : sqlite3.Connection
    actors : pandas.DataFrame
        Columns among :data:`ess_geo.actors.ACTOR_COLUMNS`; ``nom``,
        ``famille`` and ``code_commune`` are required.
    source : str
        Where they come from (``"demo"``, a file name…).
    is_demo : bool, default False
        Mark them as fictitious demo actors.

    Returns
    -------
    list of int
        Row ids, in the order of ``actors``.
    """
    now = _now()
    fields = tuple(f for f in ACTOR_FIELDS if f in actors.columns)
    columns = (*fields, "is_demo", "source", "created_at", "updated_at")
    sql = _insert_sql("actors", columns)
    extra = (int(is_demo), source, now, now)
    # Inside a write transaction, rowids are allocated as max(id) + 1 in turn,
    # so the new ids are the next len(actors) integers.
    last = conn.execute("SELECT coalesce(max(id), 0) FROM actors").fetchone()[0]
    ids = list(range(last + 1, last + 1 + len(actors)))
    if isinstance(conn, dialect.PgConnection):
        # The write lock of the transaction keeps max(id) ours: COPY the rows
        # with their ids, as SQLite would have allocated them.
        dialect.copy_rows(
            conn,
            "actors",
            ("id", *columns),
            (
                (i, *record, *extra)
                for i, record in zip(ids, _records(actors, fields), strict=True)
            ),
        )
    else:
        conn.executemany(sql, (record + extra for record in _records(actors, fields)))
    if conn.execute("SELECT coalesce(max(id), 0) FROM actors").fetchone()[0] != (
        ids[-1] if ids else last
    ):
        raise WorkspaceError(
            "Insertion d'acteurs incohérente : identifiants inattendus, "
            "rien n'a été écrit."
        )
    return ids


_NETWORK_FIELDS: tuple[str, ...] = (
    "nom",
    "kind",
    "region",
    "status",
    "source",
    "structure_accompagnatrice",
    "annee_creation",
    "perimetre_exact",
    "site_web",
    "email",
    "telephone",
)


def insert_networks(
    conn: sqlite3.Connection,
    networks: pd.DataFrame,
    territories: pd.DataFrame,
    members: pd.DataFrame | None = None,
) -> dict[str, int]:
    """Insert networks with their perimeter and members.

    Call it inside the caller's transaction.

    Parameters
    ----------
    conn : sqlite3.Connection
    networks : pandas.DataFrame
        One row per network: ``nom``, ``kind``, ``status`` required; the other
        network columns optional.
    territories : pandas.DataFrame
        ``nom`` (of the network), ``level``, ``code``: the declared perimeter.
    members : pandas.DataFrame, optional
        ``nom`` (of the network), ``actor_id``.

    Returns
    -------
    dict
        Network name -> id.
    """
    now = _now()
    fields = tuple(f for f in _NETWORK_FIELDS if f in networks.columns)
    columns = (*fields, "created_at", "updated_at")
    sql = _insert_sql("networks", columns) + " RETURNING id"
    ids = {}
    for record in _records(networks, fields):
        ids[record[0]] = conn.execute(sql, (*record, now, now)).fetchone()[0]
    conn.executemany(
        "INSERT INTO network_territories (network_id, level, code) VALUES (?, ?, ?)",
        [
            (ids[n], level, code)
            for n, level, code in _records(territories, ("nom", "level", "code"))
        ],
    )
    if members is not None:
        conn.executemany(
            "INSERT INTO network_members (network_id, actor_id) VALUES (?, ?)",
            [
                (ids[n], int(actor))
                for n, actor in _records(members, ("nom", "actor_id"))
            ],
        )
    return ids


def update_networks(
    conn: sqlite3.Connection, networks: pd.DataFrame, territories: pd.DataFrame
) -> dict[str, int]:
    """Update existing networks, found by name, and replace their perimeter.

    Call it inside the caller's transaction. Members are kept.

    Parameters
    ----------
    conn : sqlite3.Connection
    networks : pandas.DataFrame
        One row per network: ``nom`` (an existing network) and the network
        columns to overwrite; columns absent from the frame are left as
        they are.
    territories : pandas.DataFrame
        ``nom`` (of the network), ``level``, ``code``: the new perimeter of
        each network of ``networks``.

    Returns
    -------
    dict
        Network name -> id.

    Raises
    ------
    WorkspaceError
        If a name is not a network of the workspace (nothing is changed
        then, provided the caller rolls back).
    """
    now = _now()
    fields = tuple(f for f in _NETWORK_FIELDS if f in networks.columns and f != "nom")
    assignments = ", ".join(f"{f} = ?" for f in (*fields, "updated_at"))
    sql = f"UPDATE networks SET {assignments} WHERE nom = ? RETURNING id"  # noqa: S608
    ids = {}
    for record in _records(networks, ("nom", *fields)):
        row = conn.execute(sql, (*record[1:], now, record[0])).fetchone()
        if row is None:
            raise WorkspaceError(
                f"Réseau « {record[0]} » absent de l'espace de travail : "
                "impossible de le mettre à jour."
            )
        ids[record[0]] = row[0]
    conn.executemany(
        "DELETE FROM network_territories WHERE network_id = ?",
        [(i,) for i in ids.values()],
    )
    conn.executemany(
        "INSERT INTO network_territories (network_id, level, code) VALUES (?, ?, ?)",
        [
            (ids[n], level, code)
            for n, level, code in _records(territories, ("nom", "level", "code"))
        ],
    )
    return ids


def read_actors(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every actor, indexed by id, with its fields, ``is_demo`` and ``source``."""
    frame = dialect.read_sql(
        f"SELECT id, {', '.join(ACTOR_FIELDS)}, is_demo, source "  # noqa: S608
        "FROM actors ORDER BY id",
        conn,
        index_col="id",
        dtype={
            "siret": "string",
            "categorie_juridique": "string",
            "code_postal": "string",
            "code_commune": "string",
            "tranche_effectif": "string",
        },
    )
    frame["effectif"] = frame["effectif"].astype("Int64")
    frame["is_demo"] = frame["is_demo"].astype(bool)
    return frame


def read_networks(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every network, indexed by id, with its member count."""
    frame = dialect.read_sql(
        f"""SELECT n.id, {", ".join("n." + f for f in _NETWORK_FIELDS)},
                   (SELECT count(*) FROM network_members m
                    WHERE m.network_id = n.id) AS membres
            FROM networks n ORDER BY n.id""",  # noqa: S608
        conn,
        index_col="id",
    )
    frame["perimetre_exact"] = frame["perimetre_exact"].astype(bool)
    return frame


def read_network_territories(conn: sqlite3.Connection) -> pd.DataFrame:
    """Declared perimeters: ``network_id``, ``level``, ``code``."""
    return dialect.read_sql(
        "SELECT network_id, level, code FROM network_territories "
        "ORDER BY network_id, level, code",
        conn,
        dtype={"code": "string"},
    )


def read_network_members(conn: sqlite3.Connection) -> pd.DataFrame:
    """Memberships: ``network_id``, ``actor_id``."""
    return dialect.read_sql(
        "SELECT network_id, actor_id FROM network_members "
        "ORDER BY network_id, actor_id",
        conn,
    )


def read_audit_log(conn: sqlite3.Connection, limit: int = 100) -> pd.DataFrame:
    """The most recent audit rows, newest first, ``detail`` decoded."""
    frame = dialect.read_sql(
        "SELECT id, at, who, action, detail FROM audit_log ORDER BY id DESC LIMIT ?",
        conn,
        params=(limit,),
    )
    frame["detail"] = frame["detail"].map(json.loads)
    return frame


def has_demo_actors(conn: sqlite3.Connection) -> bool:
    """Whether fictitious demo actors are in the workspace (pages show a banner)."""
    return (
        conn.execute("SELECT 1 FROM actors WHERE is_demo = 1 LIMIT 1").fetchone()
        is not None
    )
