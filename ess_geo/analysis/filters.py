"""Filters on actors: famille, secteur, network membership, employer, size.

A filter is a small immutable value (:class:`ActorFilters`) that a page
keeps in its state (and its URL) and applies to a prepared actor table
(:func:`prepare`, :func:`apply`). Preparing computes once what every filter
needs (NAF section, jobs, size class, membership), so that a filter change is
a few boolean masks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ess_geo.actors import FAMILY_LABELS, estimate_jobs, naf_section

__all__ = [
    "EMPLOYER_CHOICES",
    "NETWORK_CHOICES",
    "SIZE_CLASSES",
    "ActorFilters",
    "apply",
    "prepare",
    "size_class",
]

SIZE_CLASSES: dict[str, str] = {
    "0": "Non employeur (0 salarié)",
    "1-9": "1 à 9 salariés",
    "10-49": "10 à 49 salariés",
    "50-249": "50 à 249 salariés",
    "250-plus": "250 salariés et plus",
    "inconnu": "Effectif inconnu",
}
"""Size classes (URL value -> label), on salaried jobs as
:func:`ess_geo.actors.estimate_jobs` counts them. SIRENE bands fall whole
into one class: their bounds (1–2, 3–5, 6–9, 10–19, 20–49, 50–99, 100–199,
200–249, 250–499…) never straddle 10, 50 or 250."""

EMPLOYER_CHOICES: dict[str, str] = {
    "": "Tous",
    "oui": "Employeurs (au moins 1 salarié)",
    "non": "Non employeurs",
}
"""Employer filter (URL value -> label). Actors whose jobs are unknown are
neither employers nor non-employers: they only show under "Tous"."""

NETWORK_CHOICES: dict[str, str] = {
    "": "Tous les acteurs",
    "membre": "Membres d'au moins un réseau",
    "hors": "Membres d'aucun réseau",
}
"""Network filter (URL value -> label); a network id selects its members."""


@dataclass(frozen=True)
class ActorFilters:
    """Which actors to show; an empty field does not filter.

    Parameters
    ----------
    familles : tuple of str
        Among :data:`ess_geo.actors.FAMILIES`.
    secteurs : tuple of str
        NAF rév. 2 section letters (``"Q"``: santé humaine et action sociale).
    reseau : str
        ``""``, ``"membre"``, ``"hors"`` or a network id (as a string).
    employeur : str
        A key of :data:`EMPLOYER_CHOICES`.
    tailles : tuple of str
        Keys of :data:`SIZE_CLASSES`.
    """

    familles: tuple[str, ...] = field(default=())
    secteurs: tuple[str, ...] = field(default=())
    reseau: str = ""
    employeur: str = ""
    tailles: tuple[str, ...] = field(default=())

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return any(
            (self.familles, self.secteurs, self.reseau, self.employeur, self.tailles)
        )

    def describe(self, network_names: Mapping[str, str] | None = None) -> str:
        """The filters in French, for captions and file names' companions.

        Parameters
        ----------
        network_names : mapping, optional
            Network id -> name, to name a selected network.

        Returns
        -------
        str
            ``"aucun filtre"`` when none is set.

        Examples
        --------
        >>> ActorFilters(familles=("cooperative",), employeur="oui").describe()
        'famille : Coopérative ; Employeurs (au moins 1 salarié)'
        """
        parts = []
        if self.familles:
            names = ", ".join(FAMILY_LABELS[f] for f in self.familles)
            parts.append(f"famille : {names}")
        if self.secteurs:
            parts.append(f"secteur NAF : {', '.join(self.secteurs)}")
        if self.reseau:
            label = NETWORK_CHOICES.get(self.reseau) or "réseau : " + (
                (network_names or {}).get(self.reseau, self.reseau)
            )
            parts.append(label)
        if self.employeur:
            parts.append(EMPLOYER_CHOICES[self.employeur])
        if self.tailles:
            parts.append("taille : " + ", ".join(SIZE_CLASSES[t] for t in self.tailles))
        return " ; ".join(parts) if parts else "aucun filtre"


def size_class(jobs: pd.Series) -> pd.Series:
    """The size class of each actor from its salaried jobs.

    Parameters
    ----------
    jobs : pandas.Series
        Jobs as :func:`ess_geo.actors.estimate_jobs` gives them (``NaN`` when
        unknown).

    Returns
    -------
    pandas.Series
        Keys of :data:`SIZE_CLASSES`, same index.

    Examples
    --------
    >>> size_class(pd.Series([0, 1.5, 9, 10, 249, 250, None])).tolist()
    ['0', '1-9', '1-9', '10-49', '50-249', '250-plus', 'inconnu']
    """
    values = pd.to_numeric(jobs, errors="coerce").to_numpy(dtype="float64")
    classes = np.select(
        [
            np.isnan(values),
            values <= 0,
            values < 10,
            values < 50,
            values < 250,
        ],
        ["inconnu", "0", "1-9", "10-49", "50-249"],
        default="250-plus",
    )
    return pd.Series(classes, index=jobs.index, dtype="object")


def prepare(actors: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """The actor table with the columns every filter reads.

    Parameters
    ----------
    actors : pandas.DataFrame
        Indexed by actor id, with ``famille``, ``naf``, ``effectif`` and
        ``tranche_effectif``.
    members : pandas.DataFrame
        Network memberships: ``network_id``, ``actor_id``.

    Returns
    -------
    pandas.DataFrame
        A copy of ``actors`` with ``section`` (NAF section letter),
        ``emplois`` (jobs, ``NaN`` when unknown), ``taille`` (size class) and
        ``reseaux`` (number of networks the actor belongs to).
    """
    out = actors.copy()
    out["section"] = naf_section(out["naf"])
    out["emplois"] = estimate_jobs(out["effectif"], out["tranche_effectif"])
    out["taille"] = size_class(out["emplois"])
    counts = members.groupby("actor_id").size()
    out["reseaux"] = counts.reindex(out.index, fill_value=0).astype("int64")
    return out


def apply(
    prepared: pd.DataFrame, filters: ActorFilters, members: pd.DataFrame
) -> pd.DataFrame:
    """The actors that pass every filter.

    Parameters
    ----------
    prepared : pandas.DataFrame
        Output of :func:`prepare`, indexed by actor id.
    filters : ActorFilters
    members : pandas.DataFrame
        Network memberships: ``network_id``, ``actor_id``.

    Returns
    -------
    pandas.DataFrame
        The matching rows of ``prepared``, in their order (the same object
        when no filter is set).
    """
    if not filters.active:
        return prepared
    keep = np.ones(len(prepared), dtype=bool)
    if filters.familles:
        keep &= prepared["famille"].isin(filters.familles).to_numpy()
    if filters.secteurs:
        keep &= prepared["section"].isin(filters.secteurs).fillna(False).to_numpy()
    if filters.reseau == "membre":
        keep &= (prepared["reseaux"] > 0).to_numpy()
    elif filters.reseau == "hors":
        keep &= (prepared["reseaux"] == 0).to_numpy()
    elif filters.reseau:
        ids = members.loc[
            members["network_id"].astype(str) == filters.reseau, "actor_id"
        ]
        keep &= prepared.index.isin(ids)
    if filters.employeur:
        jobs = prepared["emplois"].to_numpy(dtype="float64")
        keep &= jobs > 0 if filters.employeur == "oui" else jobs == 0
    if filters.tailles:
        keep &= prepared["taille"].isin(filters.tailles).to_numpy()
    return prepared[keep]
