"""Deduplication: one actor under two rows, found and merged with a person's consent.

Two rules, applied when rows are imported into the workspace:

- same SIRET: the same establishment; the import updates the stored actor
  (:mod:`ess_geo.workspace.loading`);
- else the same normalised name (accents, case and punctuation ignored)
  within :data:`NAME_DISTANCE_M` metres, or :data:`DENSE_DISTANCE_M` in a
  commune of more than :data:`DENSE_POPULATION` inhabitants: a merge is
  *proposed*. Two actors that both have a SIRET, and different ones, are
  two establishments and never proposed.

A person then accepts a proposal (the stored actor is kept, its empty fields
are filled from the new one, which is removed, its network memberships
moving over) or rejects it (both stay, the pair is not proposed again).
Decisions go through the change journal: they are audited and can be undone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ess_geo import _arrow
from ess_geo.geo import geography
from ess_geo.io.placement import haversine_m
from ess_geo.workspace import dialect, history, store

__all__ = [
    "DENSE_DISTANCE_M",
    "DENSE_POPULATION",
    "MERGED_FIELDS",
    "NAME_DISTANCE_M",
    "decide",
    "find_duplicates",
    "name_keys",
    "pending_proposals",
    "proposals_table",
    "stored_actors",
    "threshold_m",
]

NAME_DISTANCE_M = 400.0
DENSE_DISTANCE_M = 100.0
DENSE_POPULATION = 100_000

MERGED_FIELDS: tuple[str, ...] = (
    "siret",
    "categorie_juridique",
    "naf",
    "effectif",
    "tranche_effectif",
    "adresse",
    "code_postal",
    "commune",
    "site_web",
    "telephone",
    "email",
)
"""Fields of the stored actor that a merge fills when they are empty."""


def name_keys(names: pd.Series) -> pd.Series:
    """Names folded for comparison, vectorised.

    Parameters
    ----------
    names : pandas.Series of str

    Returns
    -------
    pandas.Series of str
        Lower case, accents and punctuation removed, spaces collapsed; same
        index.

    Examples
    --------
    >>> name_keys(pd.Series(["L'Épicerie  Solidaire", "l'épicerie solidaire!"]))
    0    l epicerie solidaire
    1    l epicerie solidaire
    dtype: string
    """
    array = _arrow.arrow(names)
    array = pc.utf8_normalize(array, "NFKD")
    array = pc.replace_substring_regex(array, r"\p{Mn}+", "")
    array = pc.utf8_lower(array)
    array = pc.replace_substring_regex(array, r"[^\p{L}\p{N}]+", " ")
    array = pc.utf8_trim_whitespace(array)
    return _arrow.to_series(array, names.index)


def threshold_m(communes: pd.Series) -> np.ndarray:
    """Largest distance between two same-name actors to propose a merge.

    Parameters
    ----------
    communes : pandas.Series of str
        INSEE codes of the communes the actors are in.

    Returns
    -------
    numpy.ndarray of float
        :data:`DENSE_DISTANCE_M` in communes over :data:`DENSE_POPULATION`
        inhabitants, :data:`NAME_DISTANCE_M` elsewhere.
    """
    population = communes.map(geography.communes()["population"]).fillna(0)
    return np.where(
        population.to_numpy(dtype="float64") > DENSE_POPULATION,
        DENSE_DISTANCE_M,
        NAME_DISTANCE_M,
    )


def stored_actors(
    conn: sqlite3.Connection, *, include_demo: bool = True
) -> pd.DataFrame:
    """What deduplication compares new rows with: the stored actors, light.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``siret``, ``nom``, ``key`` (:func:`name_keys`),
        ``latitude``, ``longitude``, ``is_demo``.
    """
    frame = dialect.read_sql(
        "SELECT id, siret, nom, latitude, longitude, is_demo FROM actors "
        "WHERE is_demo = 0 OR ? = 1",
        conn,
        params=(int(include_demo),),
        dtype={"siret": "string", "nom": "string"},
    )
    frame["key"] = name_keys(frame["nom"])
    frame["is_demo"] = frame["is_demo"].astype(bool)
    return frame


def find_duplicates(new: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """Pairs (new actor, stored actor) to propose for merging.

    Parameters
    ----------
    new : pandas.DataFrame
        ``actor_id``, ``siret``, ``nom``, ``latitude``, ``longitude``,
        ``code_commune``.
    stored : pandas.DataFrame
        As :func:`stored_actors` returns.

    Returns
    -------
    pandas.DataFrame
        ``actor_id``, ``existing_id``, ``distance_m`` (rounded to the metre),
        sorted by ``actor_id`` then distance.
    """
    empty = pd.DataFrame(
        {
            "actor_id": pd.Series(dtype="int64"),
            "existing_id": pd.Series(dtype="int64"),
            "distance_m": pd.Series(dtype="float64"),
        }
    )
    if new.empty or stored.empty:
        return empty
    left = new[["actor_id", "siret", "latitude", "longitude", "code_commune"]].copy()
    left["key"] = name_keys(new["nom"])
    right = stored.rename(
        columns={
            "id": "existing_id",
            "siret": "siret_b",
            "latitude": "lat_b",
            "longitude": "lon_b",
        }
    )[["existing_id", "key", "siret_b", "lat_b", "lon_b"]]
    pairs = left.merge(right, on="key", how="inner")
    if pairs.empty:
        return empty
    distance = haversine_m(
        pairs["latitude"].to_numpy(dtype="float64"),
        pairs["longitude"].to_numpy(dtype="float64"),
        pairs["lat_b"].to_numpy(dtype="float64"),
        pairs["lon_b"].to_numpy(dtype="float64"),
    )
    limit = threshold_m(pairs["code_commune"])
    both_siret = pairs["siret"].notna() & pairs["siret_b"].notna()
    different = both_siret & (pairs["siret"] != pairs["siret_b"]).fillna(False)
    keep = (
        (distance <= limit)
        & ~different.to_numpy()
        & (pairs["actor_id"] != pairs["existing_id"]).to_numpy()
    )
    out = pd.DataFrame(
        {
            "actor_id": pairs["actor_id"].to_numpy(dtype="int64")[keep],
            "existing_id": pairs["existing_id"].to_numpy(dtype="int64")[keep],
            "distance_m": np.round(distance[keep]),
        }
    )
    return out.sort_values(["actor_id", "distance_m", "existing_id"], ignore_index=True)


def pending_proposals(conn: sqlite3.Connection) -> pd.DataFrame:
    """Merge proposals awaiting a decision, with both actors side by side.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``distance_m``, and for the new (``nouveau_``) and the
        stored (``existant_``) actor: ``id``, ``nom``, ``siret``,
        ``code_commune``, ``adresse``, ``source``.
    """
    return dialect.read_sql(
        """SELECT p.id, p.distance_m,
                  n.id AS nouveau_id, n.nom AS nouveau_nom, n.siret AS nouveau_siret,
                  n.code_commune AS nouveau_code_commune, n.adresse AS nouveau_adresse,
                  n.source AS nouveau_source,
                  e.id AS existant_id, e.nom AS existant_nom, e.siret AS existant_siret,
                  e.code_commune AS existant_code_commune,
                  e.adresse AS existant_adresse, e.source AS existant_source
           FROM merge_proposals p
           JOIN actors n ON n.id = p.actor_id
           JOIN actors e ON e.id = p.existing_id
           WHERE p.status = 'en_attente'
           ORDER BY p.id""",
        conn,
        dtype={"nouveau_siret": "string", "existant_siret": "string"},
    )


def _merge(journal: history.Journal, proposal: sqlite3.Row) -> None:
    conn = journal.conn
    new = conn.execute(
        "SELECT * FROM actors WHERE id = ?", (proposal["actor_id"],)
    ).fetchone()
    kept = conn.execute(
        "SELECT * FROM actors WHERE id = ?", (proposal["existing_id"],)
    ).fetchone()
    members = [
        r[0]
        for r in conn.execute(
            "SELECT network_id FROM network_members WHERE actor_id = ?", (new["id"],)
        )
    ]
    already = {
        r[0]
        for r in conn.execute(
            "SELECT network_id FROM network_members WHERE actor_id = ?", (kept["id"],)
        )
    }
    fill = {
        name: new[name]
        for name in MERGED_FIELDS
        if kept[name] is None and new[name] is not None
    }
    journal.delete_ids("actors", [new["id"]])
    if fill:
        fill["updated_at"] = store._now()
        journal.update("actors", (kept["id"],), fill)
    journal.insert(
        "network_members",
        [
            {"network_id": n, "actor_id": kept["id"]}
            for n in members
            if n not in already
        ],
    )


def decide(
    conn: sqlite3.Connection,
    proposal_ids: Iterable[int],
    *,
    accept: bool,
    who: str | None = None,
) -> int | None:
    """Accept (merge) or reject merge proposals, in one audited transaction.

    Parameters
    ----------
    conn : sqlite3.Connection
        Not in a transaction.
    proposal_ids : iterable of int
        Proposals to decide; those no longer pending (a merge decided just
        before removed the same new actor) are skipped.
    accept : bool
        Merge the new actor into the stored one, or keep both.
    who : str, optional
        The person deciding.

    Returns
    -------
    int or None
        The audit id, or ``None`` when no proposal was pending.
    """
    decided = []
    with store.transaction(conn):
        journal = history.Journal(conn)
        for proposal_id in proposal_ids:
            proposal = conn.execute(
                "SELECT * FROM merge_proposals WHERE id = ? AND status = 'en_attente'",
                (int(proposal_id),),
            ).fetchone()
            if proposal is None:
                continue
            if accept:
                _merge(journal, proposal)
            else:
                journal.update(
                    "merge_proposals",
                    (proposal["id"],),
                    {
                        "status": "refusee",
                        "decided_by": who or "",
                        "decided_at": store._now(),
                    },
                )
            decided.append(
                {
                    "proposition": proposal["id"],
                    "nouveau": proposal["actor_id"],
                    "existant": proposal["existing_id"],
                }
            )
        if not decided:
            return None
        return journal.commit(
            "dedup.fusion" if accept else "dedup.refus",
            {"propositions": decided},
            who=who,
        )


def proposals_table(pending: pd.DataFrame) -> pd.DataFrame:
    """Pending proposals as a table to choose from (French headers).

    Parameters
    ----------
    pending : pandas.DataFrame
        As :func:`pending_proposals` returns.

    Returns
    -------
    pandas.DataFrame
        ``Choisir`` (all ``False``, for a checkbox column), ``Nouvel acteur``,
        ``SIRET (nouveau)``, ``Acteur existant``, ``SIRET (existant)``,
        ``Commune``, ``Distance (m)``, ``Source du nouveau``; same row order.
    """
    names = geography.communes()["nom"]
    return pd.DataFrame(
        {
            "Choisir": False,
            "Nouvel acteur": pending["nouveau_nom"],
            "SIRET (nouveau)": pending["nouveau_siret"].fillna(""),
            "Acteur existant": pending["existant_nom"],
            "SIRET (existant)": pending["existant_siret"].fillna(""),
            "Commune": pending["existant_code_commune"].map(names),
            "Distance (m)": pending["distance_m"],
            "Source du nouveau": pending["nouveau_source"],
        }
    )
