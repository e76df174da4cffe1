"""Declared network inventories: whether a région's list of networks is complete.

A gap is only a gap where the inventory is complete (DESIGN.md, data
principle 9): outside the régions whose inventory of territorial networks
is declared complete, a territory without a known network may only have an
unrecorded one. Each région has one declaration in the workspace (table
``network_inventories``): complete or not, at which level, who declared
it, on what source. The declarations are seeded from
``data/reference/inventaire_reseaux.csv`` (Bretagne complete at the pays
level, the others not) and staff change them on the Données page; every
change is journaled and can be undone (:mod:`ess_geo.workspace.history`).
"""

from __future__ import annotations

import functools
import getpass
import sqlite3
from datetime import UTC, datetime

import pandas as pd

from ess_geo import paths
from ess_geo.errors import WorkspaceError
from ess_geo.geo import geography
from ess_geo.workspace import dialect, store
from ess_geo.workspace.history import Journal

__all__ = [
    "CAHIER_2011",
    "DECLARE_ACTION",
    "INVENTORY_PATH",
    "MAX_SOURCE_CHARS",
    "REFERENCE_WHO",
    "complete_regions",
    "declare_inventory",
    "ensure_inventories",
    "inventory_table",
    "read_inventories",
    "reference_inventories",
    "seed_inventories",
]

INVENTORY_PATH = paths.REFERENCE_DIR / "inventaire_reseaux.csv"
"""The reference declarations, with their sources (SOURCES.md, section 15)."""

REFERENCE_WHO = "tables de référence"
"""``declared_by`` of the declarations seeded from :data:`INVENTORY_PATH`."""

DECLARE_ACTION = "inventaire.declaration"
"""Audit action of a staff declaration."""

MAX_SOURCE_CHARS = 500
"""Longest source text of a declaration."""

CAHIER_2011 = (
    "Le cahier du CNCRES de 2011 comptait environ quarante réseaux territoriaux "
    "de l'ESS dans huit régions."
)
"""What the one national count said (French), for the pages."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@functools.cache
def reference_inventories() -> pd.DataFrame:
    """The reference declarations, one row per région.

    Returns
    -------
    pandas.DataFrame
        ``region`` (INSEE code), ``complet`` (bool), ``niveau``, ``source``,
        ``confiance`` (empty text where not given).
    """
    table = pd.read_csv(
        INVENTORY_PATH, dtype=str, keep_default_na=False, encoding="utf-8"
    )
    return pd.DataFrame(
        {
            "region": table["region_code"],
            "complet": table["inventaire"].eq("complet"),
            "niveau": table["niveau"],
            "source": table["source"],
            "confiance": table["confiance"],
        }
    )


def seed_inventories(conn: sqlite3.Connection) -> int:
    """Add the reference declaration of every région that has none.

    Call it inside the caller's transaction. Existing declarations are kept.

    Returns
    -------
    int
        Declarations added.
    """
    now = _now()
    before = conn.execute("SELECT count(*) FROM network_inventories").fetchone()[0]
    conn.executemany(
        "INSERT INTO network_inventories "
        "(region, complet, niveau, source, confiance, declared_by, declared_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (region) DO NOTHING",
        [
            (
                r.region,
                int(r.complet),
                r.niveau,
                r.source,
                r.confiance,
                REFERENCE_WHO,
                now,
            )
            for r in reference_inventories().itertuples(index=False)
        ],
    )
    after = conn.execute("SELECT count(*) FROM network_inventories").fetchone()[0]
    return int(after - before)


def ensure_inventories(conn: sqlite3.Connection) -> int:
    """Seed the missing reference declarations, audited (for older workspaces).

    Does nothing, and writes nothing, when every région has a declaration.

    Returns
    -------
    int
        Declarations added.
    """
    count = conn.execute("SELECT count(*) FROM network_inventories").fetchone()[0]
    if count >= len(reference_inventories()):
        return 0
    with store.transaction(conn):
        added = seed_inventories(conn)
        if added:
            store.audit(conn, "inventaire.reference", {"regions": added})
    return added


def read_inventories(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every région with its declaration (not declared: incomplete).

    Returns
    -------
    pandas.DataFrame
        Indexed by région code, every région of the geography: ``nom``,
        ``complet`` (bool), ``niveau``, ``source``, ``confiance``,
        ``declared_by``, ``declared_at`` (missing where none).
    """
    stored = dialect.read_sql(
        "SELECT region, complet, niveau, source, confiance, declared_by, "
        "declared_at FROM network_inventories ORDER BY region",
        conn,
        dtype={"region": str},
        index_col="region",
    )
    regions = geography.territories("region")[["nom"]]
    out = regions.join(stored)
    out["complet"] = out["complet"].fillna(0).astype(int).astype(bool)
    return out


def complete_regions(conn: sqlite3.Connection) -> list[str]:
    """Codes of the régions whose network inventory is declared complete."""
    table = read_inventories(conn)
    return table.index[table["complet"]].tolist()


def inventory_table(inventories: pd.DataFrame) -> pd.DataFrame:
    """The declarations as a table for people (French headers).

    Parameters
    ----------
    inventories : pandas.DataFrame
        :func:`read_inventories` output.

    Returns
    -------
    pandas.DataFrame
        Région, Code, Inventaire (complet, incomplet), Niveau, Source,
        Confiance, Déclaré par, Le (UTC).
    """
    return pd.DataFrame(
        {
            "Région": inventories["nom"],
            "Code": inventories.index,
            "Inventaire": inventories["complet"].map(
                {True: "complet", False: "incomplet"}
            ),
            "Niveau": inventories["niveau"].fillna(""),
            "Source": inventories["source"].fillna(""),
            "Confiance": inventories["confiance"].fillna(""),
            "Déclaré par": inventories["declared_by"].fillna(""),
            "Le (UTC)": inventories["declared_at"].fillna(""),
        }
    ).reset_index(drop=True)


def declare_inventory(
    conn: sqlite3.Connection,
    region: str,
    complete: bool,
    *,
    source: str,
    level: str = "",
    who: str | None = None,
) -> int:
    """Declare a région's network inventory complete or not (journaled, undoable).

    Parameters
    ----------
    conn : sqlite3.Connection
        Not in a transaction (this function opens one).
    region : str
        INSEE région code.
    complete : bool
        Whether every territorial network of the région is in the workspace.
    source : str
        On what the declaration rests (a list, a person, a date); required,
        at most :data:`MAX_SOURCE_CHARS` characters.
    level : str, optional
        The level at which it is complete (``pays``, ``epci``…).
    who : str, optional
        The staff member.

    Returns
    -------
    int
        The audit id (undo it from the journal).

    Raises
    ------
    WorkspaceError
        If the région is unknown, or the source empty or too long; nothing
        is written then.
    """
    regions = geography.territories("region")
    if region not in regions.index:
        raise WorkspaceError(
            f"Région « {str(region)[:20]} » inconnue : attendu un code INSEE de "
            f"région ({', '.join(regions.index)})."
        )
    source = " ".join(str(source or "").split())
    if not source:
        raise WorkspaceError(
            "Indiquez la source de la déclaration (une liste, une personne, une "
            "date) : sans elle, une déclaration ne peut pas être vérifiée."
        )
    if len(source) > MAX_SOURCE_CHARS:
        raise WorkspaceError(
            f"Source trop longue ({len(source)} caractères) : {MAX_SOURCE_CHARS} "
            "au plus."
        )
    level = " ".join(str(level or "").split())[:40]
    values = {
        "complet": int(bool(complete)),
        "niveau": level,
        "source": source,
        "confiance": "",
        "declared_by": who or getpass.getuser(),
        "declared_at": _now(),
    }
    with store.transaction(conn):
        journal = Journal(conn)
        exists = conn.execute(
            "SELECT 1 FROM network_inventories WHERE region = ?", (region,)
        ).fetchone()
        if exists:
            journal.update("network_inventories", (region,), values)
        else:
            journal.insert("network_inventories", [{"region": region, **values}])
        return journal.commit(
            DECLARE_ACTION,
            {
                "region": region,
                "nom": regions.at[region, "nom"],
                "complet": bool(complete),
                "niveau": level,
                "source": source,
            },
            who=who,
        )
