"""The SQLite workspace: schema, migrations, transactions and audit log.

The workspace is one SQLite file (standard library ``sqlite3``, WAL mode)
named by the environment variable ``ESS_GEO_DB`` (default
``data/workspace.sqlite``). It holds the actors, the territorial networks
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
from ess_geo.workspace import dberrors

__all__ = [
    "ACTOR_FIELDS",
    "DEFAULT_PATH",
    "MIGRATIONS",
    "NETWORK_KINDS",
    "NETWORK_STATUSES",
    "PLACEMENTS",
    "SCHEMA_VERSION",
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

NETWORK_KINDS: tuple[str, ...] = (
    "pole",
    "conseil_local",
    "comite_territorial",
    "collectif",
    "cluster",
    "autre",
)
NETWORK_STATUSES: tuple[str, ...] = ("actif", "en_projet", "inconnu")
PLACEMENTS: tuple[str, ...] = ("coordonnees", "commune", "code_postal")
"""How an actor was attached to its commune: by its coordinates, by its
commune code (position: a point of the commune), or by postal code and
commune name (same)."""
NETWORK_LEVELS: tuple[str, ...] = (
    "commune",
    "epci",
    "pays",
    "pnr",
    "departement",
    "region",
)

_FAMILIES_SQL = (
    "'association', 'cooperative', 'mutuelle', 'fondation', 'societe_commerciale'"
)


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


MIGRATIONS: tuple[str, ...] = (
    # 1: actors, networks, their perimeter and members, audit log.
    f"""
    CREATE TABLE actors (
        id INTEGER PRIMARY KEY,
        siret TEXT UNIQUE CHECK (siret IS NULL OR length(siret) = 14),
        nom TEXT NOT NULL CHECK (length(trim(nom)) > 0),
        categorie_juridique TEXT,
        famille TEXT NOT NULL CHECK (famille IN ({_FAMILIES_SQL})),
        naf TEXT,
        effectif INTEGER CHECK (effectif IS NULL OR effectif >= 0),
        tranche_effectif TEXT,
        adresse TEXT,
        code_postal TEXT,
        commune TEXT,
        code_commune TEXT NOT NULL,
        latitude REAL,
        longitude REAL,
        site_web TEXT,
        telephone TEXT,
        email TEXT,
        is_demo INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
        source TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX actors_code_commune ON actors (code_commune);
    CREATE INDEX actors_is_demo ON actors (is_demo);

    CREATE TABLE networks (
        id INTEGER PRIMARY KEY,
        nom TEXT NOT NULL UNIQUE CHECK (length(trim(nom)) > 0),
        kind TEXT NOT NULL CHECK (kind IN ({_sql_list(NETWORK_KINDS)})),
        region TEXT,
        status TEXT NOT NULL CHECK (status IN ({_sql_list(NETWORK_STATUSES)})),
        source TEXT,
        structure_accompagnatrice TEXT,
        annee_creation INTEGER,
        perimetre_exact INTEGER NOT NULL DEFAULT 1 CHECK (perimetre_exact IN (0, 1)),
        site_web TEXT,
        email TEXT,
        telephone TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );

    CREATE TABLE network_territories (
        network_id INTEGER NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
        level TEXT NOT NULL CHECK (level IN ({_sql_list(NETWORK_LEVELS)})),
        code TEXT NOT NULL,
        PRIMARY KEY (network_id, level, code)
    );

    CREATE TABLE network_members (
        network_id INTEGER NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
        actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
        PRIMARY KEY (network_id, actor_id)
    );
    CREATE INDEX network_members_actor ON network_members (actor_id);

    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    """,
    # 2: how each actor was placed, the change journal behind "undo"
    # (ess_geo.workspace.history), and the merge proposals of deduplication
    # (ess_geo.workspace.dedup).
    f"""
    ALTER TABLE actors ADD COLUMN placement TEXT
        CHECK (placement IS NULL OR placement IN ({_sql_list(PLACEMENTS)}));

    ALTER TABLE audit_log ADD COLUMN undone_by INTEGER REFERENCES audit_log (id);

    CREATE TABLE change_log (
        id INTEGER PRIMARY KEY,
        audit_id INTEGER REFERENCES audit_log (id),
        tbl TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
        rows TEXT NOT NULL
    );
    CREATE INDEX change_log_audit ON change_log (audit_id);

    CREATE TABLE merge_proposals (
        id INTEGER PRIMARY KEY,
        actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
        existing_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
        distance_m REAL NOT NULL CHECK (distance_m >= 0),
        status TEXT NOT NULL DEFAULT 'en_attente'
            CHECK (status IN ('en_attente', 'acceptee', 'refusee')),
        decided_by TEXT,
        decided_at TEXT,
        CHECK (actor_id <> existing_id),
        UNIQUE (actor_id, existing_id)
    );
    CREATE INDEX merge_proposals_existing ON merge_proposals (existing_id);
    """,
    # 3: the workspace's generation, a random id that every restore renews
    # (backup.restore): part of the revision, because a restored file may
    # carry an audit id already seen.
    """
    CREATE TABLE workspace_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    INSERT INTO workspace_meta (key, value)
        VALUES ('generation', lower(hex(randomblob(16))));
    """,
    # 4 (issue 13): the public's proposals (a new actor, a correction, a
    # network's contact) awaiting moderation (ess_geo.workspace.proposals);
    # the reference networks' own web sites, where their source is that site.
    """
    CREATE TABLE proposals (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL
            CHECK (kind IN ('acteur', 'correction', 'contact_reseau')),
        status TEXT NOT NULL DEFAULT 'en_attente'
            CHECK (status IN ('en_attente', 'acceptee', 'refusee')),
        actor_id INTEGER,
        network_id INTEGER,
        fields TEXT NOT NULL,
        message TEXT,
        contact_email TEXT,
        dedup_key TEXT NOT NULL,
        received INTEGER NOT NULL DEFAULT 1 CHECK (received >= 1),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        reason TEXT,
        decided_by TEXT,
        decided_at TEXT,
        result_id INTEGER
    );
    CREATE INDEX proposals_status ON proposals (status, dedup_key);
    UPDATE networks SET site_web = 'http://www.adess29.fr'
        WHERE nom = 'ADESS Cornouaille' AND site_web IS NULL;
    UPDATE networks SET site_web = 'https://horizons-solidaires.fr'
        WHERE nom = 'Horizons Solidaires' AND site_web IS NULL;
    UPDATE networks SET site_web = 'http://ecosolidaires.org'
        WHERE nom = 'ÉcoSolidaireS' AND site_web IS NULL;
    """,
    # 5 (issue 11): declared network inventories, one row per région: whether
    # its inventory of territorial networks is complete, at which level, who
    # declared it, on what source (ess_geo.workspace.inventories seeds them
    # from data/reference/inventaire_reseaux.csv).
    """
    CREATE TABLE network_inventories (
        region TEXT PRIMARY KEY,
        complet INTEGER NOT NULL DEFAULT 0 CHECK (complet IN (0, 1)),
        niveau TEXT,
        source TEXT,
        confiance TEXT,
        declared_by TEXT NOT NULL,
        declared_at TEXT NOT NULL
    );
    """,
)
"""Forward migrations: script ``i`` takes the schema from version ``i`` to ``i + 1``.

Never edit a released script; append a new one."""

SCHEMA_VERSION = len(MIGRATIONS)


def workspace_path() -> Path:
    """Path of the workspace: ``$ESS_GEO_DB``, else ``data/workspace.sqlite``."""
    return Path(os.environ.get("ESS_GEO_DB") or DEFAULT_PATH)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Apply the pending migrations; return the version the file had."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise WorkspaceError(
            f"L'espace de travail {path} est au schéma v{version}, plus récent "
            f"que cette version du logiciel (v{SCHEMA_VERSION}) : "
            "mettez ESS Territoires à jour."
        )
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


def connect(path: Path | str | None = None) -> sqlite3.Connection:
    """Open the workspace, creating and migrating it as needed (no demo seeding).

    Parameters
    ----------
    path : path-like, optional
        The SQLite file; default :func:`workspace_path`.

    Returns
    -------
    sqlite3.Connection
        In WAL mode, with foreign keys enforced, ``sqlite3.Row`` rows, and
        autocommit off only inside :func:`transaction`.

    Raises
    ------
    WorkspaceError
        If the file cannot be opened or is not a workspace.
    """
    path = Path(path) if path is not None else workspace_path()
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
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:  # busy beyond the timeout, disk…
        raise dberrors.workspace_error(exc) from exc
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.OperationalError):
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
    cursor = conn.execute(
        "INSERT INTO audit_log (at, who, action, detail) VALUES (?, ?, ?, ?)",
        (_now(), who, action, json.dumps(detail, ensure_ascii=False, default=str)),
    )
    return int(cursor.lastrowid)


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
    conn.executemany(sql, (record + extra for record in _records(actors, fields)))
    ids = list(range(last + 1, last + 1 + len(actors)))
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
    frame = pd.read_sql_query(
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
    frame = pd.read_sql_query(
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
    return pd.read_sql_query(
        "SELECT network_id, level, code FROM network_territories "
        "ORDER BY network_id, level, code",
        conn,
        dtype={"code": "string"},
    )


def read_network_members(conn: sqlite3.Connection) -> pd.DataFrame:
    """Memberships: ``network_id``, ``actor_id``."""
    return pd.read_sql_query(
        "SELECT network_id, actor_id FROM network_members "
        "ORDER BY network_id, actor_id",
        conn,
    )


def read_audit_log(conn: sqlite3.Connection, limit: int = 100) -> pd.DataFrame:
    """The most recent audit rows, newest first, ``detail`` decoded."""
    frame = pd.read_sql_query(
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
