"""Seeding a workspace with the demo: fictitious actors and network members.

The demo actors come from :mod:`ess_geo.actors.demo` (pure generation); this
module writes them to a workspace, adds the reference networks of
``data/reference/networks_seed.csv`` that are missing and gives each one 10 to
30 fictitious members drawn from its own perimeter. :func:`open_workspace`
does it once, the first time a workspace is opened.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd

from ess_geo.actors import demo
from ess_geo.workspace import networks, store

__all__ = ["draw_network_members", "open_workspace", "seed_workspace"]


def open_workspace(path: Path | str | None = None) -> sqlite3.Connection:
    """Open the workspace and seed it with the demo dataset the first time.

    A workspace is seeded once, when it has never been seeded nor received
    any actor: deleting every actor later does not bring the demo back.
    """
    conn = store.connect(path)
    seeded = conn.execute("SELECT 1 FROM audit_log LIMIT 1").fetchone()
    if seeded is None:
        seed_workspace(conn)
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
) -> dict[str, int]:
    """Replace the demo actors of a workspace and give the networks demo members.

    Real (non-demo) actors are left untouched. Networks of the reference list
    that are missing are added. Runs as one audited transaction.

    Parameters
    ----------
    conn : sqlite3.Connection
        An open workspace.
    size : int, default 30,000
    seed : int, default 2011

    Returns
    -------
    dict
        Counts: ``actors``, ``networks_added``, ``members``.
    """
    actors = demo.generate_actors(size, seed)
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
