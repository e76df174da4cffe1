"""Seeding a workspace with the demo: fictitious actors and network members.

The demo actors come from :mod:`ess_geo.actors.demo` (pure generation); this
module writes them to a workspace, adds the reference networks of
``data/reference/networks_seed.csv`` that are missing and gives each one 10 to
30 fictitious members drawn from its own perimeter. :func:`open_workspace`
does it once, the first time a workspace is opened.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ess_geo import formats
from ess_geo.actors import demo
from ess_geo.errors import WorkspaceError
from ess_geo.workspace import inventories, networks, store

__all__ = [
    "DEMO_SIZE_ENV",
    "MAX_DEMO_SIZE",
    "demo_size",
    "draw_network_members",
    "needs_seeding",
    "open_workspace",
    "seed_workspace",
]

DEMO_SIZE_ENV = "ESS_GEO_DEMO_SIZE"
"""Environment variable: number of actors of the demo seeded at first start.

Unset: the full calibrated demo (:data:`ess_geo.actors.demo.DEFAULT_SIZE`).
A smaller number gives the same demo scaled down (every région's
establishments and jobs in the same proportions); the test suite uses it so
that each test server starts on 30,000 actors instead of 300,000."""

MAX_DEMO_SIZE = 3_000_000
"""Largest demo accepted from :data:`DEMO_SIZE_ENV`."""


_SEED_CACHE_KIB = -131_072
"""SQLite page cache while seeding (negative: KiB), 128 MiB."""


def demo_size() -> int:
    """The demo's size: :data:`DEMO_SIZE_ENV` when set, else the full demo.

    Raises
    ------
    WorkspaceError
        If the variable is not a whole number between 1 and
        :data:`MAX_DEMO_SIZE`.
    """
    text = os.environ.get(DEMO_SIZE_ENV, "").strip()
    if not text:
        return demo.DEFAULT_SIZE
    if not text.isdigit() or not 1 <= int(text) <= MAX_DEMO_SIZE:
        raise WorkspaceError(
            f"{DEMO_SIZE_ENV} vaut « {text[:40]} » : attendu un nombre entier "
            f"d'acteurs entre 1 et {formats.number(MAX_DEMO_SIZE)} (laissez-la "
            "vide pour la démonstration complète)."
        )
    return int(text)


def needs_seeding(conn: sqlite3.Connection) -> bool:
    """Whether the workspace was never seeded nor written (first start)."""
    return conn.execute("SELECT 1 FROM audit_log LIMIT 1").fetchone() is None


def open_workspace(
    path: Path | str | None = None, progress: Callable[[str], None] | None = None
) -> sqlite3.Connection:
    """Open the workspace and seed it with the demo dataset the first time.

    A workspace is seeded once, when it has never been seeded nor received
    any actor: deleting every actor later does not bring the demo back.
    ``progress`` receives French messages while the demo is built.
    """
    conn = store.connect(path)
    try:
        if needs_seeding(conn):
            seed_workspace(conn, size=demo_size(), progress=progress)
        else:
            inventories.ensure_inventories(conn)  # workspaces of schema < 4
    except BaseException:
        conn.close()
        raise
    return conn


def draw_network_members(
    actors: pd.DataFrame, territories: pd.DataFrame, seed: int = demo.DEFAULT_SEED
) -> pd.DataFrame:
    """Draw 10 to 30 member actors per network from its own perimeter.

    Parameters
    ----------
    actors : pandas.DataFrame
        Indexed by actor id, with ``code_commune``.
    territories : pandas.DataFrame
        Declared perimeters: ``nom`` (network), ``level``, ``code``.
    seed : int
        Random seed.

    Returns
    -------
    pandas.DataFrame
        ``nom`` and ``actor_id``. A network whose perimeter holds fewer
        actors than drawn gets all of them.
    """
    rng = np.random.default_rng(seed)
    perimeter = networks.expand_perimeter(territories)
    in_perimeter = perimeter.merge(
        actors[["code_commune"]].rename_axis("actor_id").reset_index(),
        left_on="commune",
        right_on="code_commune",
    )
    low, high = demo.MEMBERS_PER_NETWORK
    rows = []
    for name in territories["nom"].drop_duplicates():
        candidates = np.sort(
            in_perimeter.loc[in_perimeter["nom"] == name, "actor_id"].unique()
        )
        wanted = min(int(rng.integers(low, high + 1)), len(candidates))
        chosen = rng.choice(candidates, size=wanted, replace=False) if wanted else []
        rows.extend({"nom": name, "actor_id": int(a)} for a in sorted(chosen))
    return pd.DataFrame(rows, columns=["nom", "actor_id"])


def seed_workspace(
    conn: sqlite3.Connection,
    size: int = demo.DEFAULT_SIZE,
    seed: int = demo.DEFAULT_SEED,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Replace the demo actors of a workspace and give the networks demo members.

    Real (non-demo) actors are left untouched. Networks of the reference list
    that are missing are added, and the reference network inventories of the
    régions that have none. Runs as one audited transaction.

    Parameters
    ----------
    conn : sqlite3.Connection
        An open workspace.
    size : int, default 299,932 (the calibrated demo)
    seed : int, default 2011
    progress : callable, optional
        Receives a French message at each step (generation, writing).

    Returns
    -------
    dict
        Counts: ``actors``, ``networks_added``, ``members``.
    """
    say = progress or (lambda _message: None)
    say(f"Génération de {formats.number(size)} acteurs fictifs calibrés…")
    actors = demo.generate_actors(size, seed)
    say("Écriture de l'espace de travail (une transaction)…")
    if isinstance(conn, sqlite3.Connection):
        # A larger page cache for the bulk write: the random inserts into the
        # indexes stay in memory (about a third less work for 300,000 rows).
        conn.execute(f"PRAGMA cache_size = {_SEED_CACHE_KIB}")
    seed_networks, seed_territories = networks.read_networks_csv(networks.SEED_PATH)
    with store.transaction(conn):
        removed = conn.execute("DELETE FROM actors WHERE is_demo = 1").rowcount
        ids = store.insert_actors(conn, actors, source="demo", is_demo=True)
        existing = {
            row[0]: row[1] for row in conn.execute("SELECT nom, id FROM networks")
        }
        new = seed_networks[~seed_networks["nom"].isin(list(existing))]
        added = store.insert_networks(
            conn, new, seed_territories[seed_territories["nom"].isin(new["nom"])]
        )
        existing.update(added)
        inventories.seed_inventories(conn)
        members = draw_network_members(actors.set_axis(ids), seed_territories, seed)
        conn.executemany(
            "INSERT INTO network_members (network_id, actor_id) VALUES (?, ?) "
            "ON CONFLICT DO NOTHING",
            [(existing[n], a) for n, a in members.itertuples(index=False)],
        )
        counts = {
            "actors": len(ids),
            "networks_added": len(added),
            "members": len(members),
        }
        store.audit(
            conn,
            "demo.seed",
            {**counts, "removed_demo_actors": removed, "size": size, "seed": seed},
        )
    return counts
