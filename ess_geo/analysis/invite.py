"""Who to invite into a territorial network: the ESS actors of its perimeter.

The cahier of the CNCRES (2011) says a network gathers 10 to 30 active
members and « s'appuie bien sur une volonté des acteurs locaux ». For a
network, :func:`invite` lists the actors inside its perimeter that are not
yet its members, in the order of the ``invite`` command of DESIGN.md:
employers by jobs descending, then the actors whose jobs are unknown, then
non-employers; ties by name in French alphabetical order, accents ignored.

Jobs are :func:`ess_geo.actors.estimate_jobs`'s: the exact ``effectif`` when
known, else the midpoint of the SIRENE ``tranche_effectif`` — so an actor
imported from SIRENE is ranked by its band instead of being "unknown".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ess_geo.actors import estimate_jobs, text_key
from ess_geo.analysis.filters import ActorFilters, apply, prepare
from ess_geo.errors import UnknownNetworkError
from ess_geo.workspace.networks import expand_perimeter

__all__ = [
    "INVITE_COLUMNS",
    "MEMBER_TARGET",
    "find_network",
    "invite",
    "members_from_lists",
    "perimeter_communes",
    "target_status",
]

INVITE_COLUMNS: tuple[str, ...] = (
    "siret",
    "nom",
    "famille",
    "naf",
    "effectif",
    "code_commune",
    "commune",
    "site_web",
    "telephone",
    "email",
    "rang",
)
"""Columns of the ``invite`` command's output, in order (DESIGN.md)."""

MEMBER_TARGET: tuple[int, int] = (10, 30)
"""Active members of a network, as the CNCRES cahier (2011) observes them."""


def find_network(networks: pd.DataFrame, name_or_id: str) -> pd.Series:
    """The network named or numbered ``name_or_id``.

    Parameters
    ----------
    networks : pandas.DataFrame
        ``nom`` and, for stored networks, ``id``.
    name_or_id : str
        An id (digits) or a name; case, accents and punctuation ignored.

    Returns
    -------
    pandas.Series
        The network's row.

    Raises
    ------
    UnknownNetworkError
        With the names of the networks known.
    """
    text = str(name_or_id).strip()
    if text.isdigit() and "id" in networks:
        hit = networks[networks["id"].astype(int) == int(text)]
        if len(hit):
            return hit.iloc[0]
    key = text_key(text)
    hit = networks[networks["nom"].map(text_key) == key] if key else networks.iloc[:0]
    if hit.empty:
        raise UnknownNetworkError(text, networks["nom"].astype(str))
    return hit.iloc[0]


def perimeter_communes(perimeters: pd.DataFrame, name: str) -> pd.Index:
    """INSEE codes of the communes inside a network's declared perimeter.

    Parameters
    ----------
    perimeters : pandas.DataFrame
        ``nom``, ``level``, ``code``.
    name : str
        The network's name.
    """
    reach = expand_perimeter(perimeters[perimeters["nom"] == name])
    return pd.Index(sorted(reach["commune"].unique()), dtype=object)


def members_from_lists(actors: pd.DataFrame) -> pd.DataFrame:
    """Memberships of an actor file's ``reseaux`` column (lists of network ids).

    Returns
    -------
    pandas.DataFrame
        ``network_id``, ``actor_id`` (the actors' index).
    """
    if "reseaux" not in actors:
        return pd.DataFrame({"network_id": [], "actor_id": []}, dtype="int64")
    lists = actors["reseaux"].map(lambda v: v if isinstance(v, list) else [])
    pairs = lists.explode().dropna()
    return pd.DataFrame(
        {"network_id": pairs.astype("int64").to_numpy(), "actor_id": pairs.index}
    )


def _order(table: pd.DataFrame) -> pd.DataFrame:
    """Employers by jobs descending, then unknown, then 0; ties by folded name."""
    jobs = table["emplois"].to_numpy(dtype="float64")
    group = np.select([jobs > 0, np.isnan(jobs)], [0, 1], default=2)
    keyed = table.assign(
        _group=group,
        _jobs=np.where(jobs > 0, -jobs, 0.0),
        _name=table["nom"].map(text_key),
        _siret=table["siret"].fillna("").astype(str),
    )
    ordered = keyed.sort_values(["_group", "_jobs", "_name", "_siret"], kind="stable")
    return ordered.drop(columns=["_group", "_jobs", "_name", "_siret"])


def invite(
    networks: pd.DataFrame,
    perimeters: pd.DataFrame,
    actors: pd.DataFrame,
    members: pd.DataFrame,
    name_or_id: str,
    filters: ActorFilters | None = None,
) -> pd.DataFrame:
    """The actors to invite into a network, best first.

    Parameters
    ----------
    networks : pandas.DataFrame
        ``nom`` and (stored networks) ``id``.
    perimeters : pandas.DataFrame
        ``nom``, ``level``, ``code``.
    actors : pandas.DataFrame
        Indexed by actor id: ``siret``, ``nom``, ``famille``, ``naf``,
        ``effectif``, ``tranche_effectif``, ``code_commune``, ``commune``,
        ``site_web``, ``telephone``, ``email`` (missing contact columns are
        left empty).
    members : pandas.DataFrame
        Memberships: ``network_id``, ``actor_id``.
    name_or_id : str
        The network, see :func:`find_network`.
    filters : ActorFilters, optional
        Famille, secteur and size filters (the ``reseau`` one is ignored).

    Returns
    -------
    pandas.DataFrame
        :data:`INVITE_COLUMNS` then ``emplois`` (jobs counted), ``section``
        and ``taille``, one row per actor, ``rang`` 1 first, indexed by actor
        id.

    Raises
    ------
    UnknownNetworkError
        If the network is unknown.
    """
    network = find_network(networks, name_or_id)
    communes = perimeter_communes(perimeters, network["nom"])
    inside = actors[actors["code_commune"].isin(communes)].copy()
    for column in INVITE_COLUMNS[:-1]:
        if column not in inside:
            inside[column] = pd.NA
    if "tranche_effectif" not in inside:
        inside["tranche_effectif"] = pd.NA
    member_ids = (
        members.loc[members["network_id"] == network["id"], "actor_id"]
        if "id" in network
        else pd.Series([], dtype="int64")
    )
    candidates = inside[~inside.index.isin(member_ids)]
    prepared = prepare(candidates, members.iloc[:0])
    if filters is not None:
        prepared = apply(
            prepared,
            ActorFilters(
                familles=filters.familles,
                secteurs=filters.secteurs,
                tailles=filters.tailles,
                employeur=filters.employeur,
            ),
            members.iloc[:0],
        )
    prepared["emplois"] = estimate_jobs(
        prepared["effectif"], prepared["tranche_effectif"]
    )
    ordered = _order(prepared)
    ordered["rang"] = np.arange(1, len(ordered) + 1)
    return ordered[[*INVITE_COLUMNS, "emplois", "section", "taille"]]


def target_status(members: int, candidates: int) -> str:
    """Members and potential members against the cahier's 10 to 30.

    Examples
    --------
    >>> print(target_status(4, 40))
    4 membres aujourd'hui et 40 structures à inviter : de quoi atteindre les 10 à 30 membres actifs du cahier du CNCRES (2011).
    >>> print(target_status(2, 3))
    2 membres aujourd'hui et 3 structures à inviter : moins que les 10 membres actifs du cahier du CNCRES (2011), même si toutes rejoignaient le réseau.
    """  # noqa: E501
    low, high = MEMBER_TARGET
    head = (
        f"{members} membre{'s' if members > 1 else ''} aujourd'hui et "
        f"{candidates} structure{'s' if candidates > 1 else ''} à inviter : "
    )
    if members >= high:
        return head + (
            f"déjà au moins les {high} membres actifs qu'observe le cahier du "
            "CNCRES (2011)."
        )
    if members + candidates < low:
        return head + (
            f"moins que les {low} membres actifs du cahier du CNCRES (2011), même "
            "si toutes rejoignaient le réseau."
        )
    return head + (
        f"de quoi atteindre les {low} à {high} membres actifs du cahier du "
        "CNCRES (2011)."
    )
